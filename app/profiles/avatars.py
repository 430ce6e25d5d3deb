"""Avatar images: verified with Pillow, cropped square, re-encoded in two sizes (which drops
EXIF and anything else hidden in the upload), stored by content hash."""

from __future__ import annotations

import hashlib
import io
import re
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from PIL import Image, ImageOps

from app.errors import TooLarge
from app.uploads.images import check_image, open_image

AVATAR_SIZES = (256, 64)
LARGE, SMALL = AVATAR_SIZES
MAX_AVATAR_BYTES = 5 * 1024 * 1024
ACCEPTED_FORMATS = frozenset({"JPEG", "PNG", "GIF", "WEBP"})
AVATAR_MIMETYPE = "image/jpeg"
HASH_PATTERN = re.compile(r"^[0-9a-f]{64}$")


def avatar_dir() -> Path:
    return Path(current_app.config["UPLOAD_DIR"]) / "avatars"


def avatar_path(avatar_hash: str, size: int) -> Path | None:
    """Where the stored avatar of ``size`` lives, or None for a malformed hash or size."""
    if not HASH_PATTERN.match(avatar_hash) or size not in AVATAR_SIZES:
        return None
    return avatar_dir() / f"{avatar_hash}-{size}.jpg"


def store_avatar(data: bytes) -> str:
    """Verify, crop and store an uploaded image; return its hash. Raises TooLarge or Invalid
    (with a message for the person who uploaded it)."""
    if len(data) > MAX_AVATAR_BYTES:
        message = _("The photo is too large: use at most %(mb)d MB.", mb=MAX_AVATAR_BYTES >> 20)
        raise TooLarge(message, {"avatar": [message]})
    not_an_image = _("This file is not an image. Use a JPEG, PNG, GIF or WebP photo.")
    check_image(data, ACCEPTED_FORMATS, field="avatar", unreadable=not_an_image)
    # verify() leaves the image unusable: open it again to decode.
    with open_image(data, ACCEPTED_FORMATS, field="avatar", unreadable=not_an_image) as image:
        image.load()
        encoded = _square_versions(image)
    avatar_hash = hashlib.sha256(encoded[LARGE]).hexdigest()
    folder = avatar_dir()
    folder.mkdir(parents=True, exist_ok=True)
    for size, content in encoded.items():
        path = folder / f"{avatar_hash}-{size}.jpg"
        if not path.exists():
            temporary = path.with_suffix(".tmp")
            temporary.write_bytes(content)
            temporary.replace(path)
    return avatar_hash


def _square_versions(image: Image.Image) -> dict[int, bytes]:
    # Turn the picture as the camera meant it, then forget the EXIF data.
    image = ImageOps.exif_transpose(image)
    if image.mode not in ("RGB", "L"):
        background = Image.new("RGB", image.size, "white")
        rgba = image.convert("RGBA")
        background.paste(rgba, mask=rgba.getchannel("A"))
        image = background
    image = image.convert("RGB")
    side = min(image.size)
    encoded = {}
    for size in AVATAR_SIZES:
        square = ImageOps.fit(image, (min(size, side), min(size, side)), Image.Resampling.LANCZOS)
        if square.size != (size, size):
            square = square.resize((size, size), Image.Resampling.LANCZOS)
        buffer = io.BytesIO()
        square.save(buffer, "JPEG", quality=88, optimize=True)
        encoded[size] = buffer.getvalue()
    return encoded
