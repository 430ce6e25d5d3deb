"""Training certificates: PDF or image files, checked by their content, stored by hash."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _

from app.errors import TooLarge
from app.uploads.images import check_image

MAX_CERTIFICATE_BYTES = 10 * 1024 * 1024
MAX_NAME = 200
HASH_PATTERN = re.compile(r"^[0-9a-f]{64}$")
IMAGE_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png"}
PDF_TYPE = "application/pdf"
_MAGIC = {b"%PDF-": PDF_TYPE, b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}


def certificate_dir() -> Path:
    return Path(current_app.config["UPLOAD_DIR"]) / "certificates"


def certificate_path(certificate_hash: str) -> Path | None:
    if not HASH_PATTERN.match(certificate_hash or ""):
        return None
    return certificate_dir() / certificate_hash


def content_type(data: bytes) -> str:
    """The type of a certificate judged by its content (never by its name). Raises Invalid,
    or TooLarge for an image of too many pixels."""
    if data.startswith(b"%PDF-"):
        return PDF_TYPE
    message = _("Upload the certificate as a PDF, JPEG or PNG file.")
    return IMAGE_TYPES[check_image(data, IMAGE_TYPES, field="certificate", unreadable=message)]


def stored_type(data: bytes) -> str:
    """The type to serve a stored (so once checked) certificate as, from its first bytes."""
    for magic, kind in _MAGIC.items():
        if data.startswith(magic):
            return kind
    return "application/octet-stream"


def store_certificate(data: bytes, filename: str) -> tuple[str, str]:
    """Store an uploaded certificate; return (hash, cleaned file name). Raises TooLarge or
    Invalid."""
    if len(data) > MAX_CERTIFICATE_BYTES:
        message = _(
            "The certificate is too large: use at most %(mb)d MB.", mb=MAX_CERTIFICATE_BYTES >> 20
        )
        raise TooLarge(message, {"certificate": [message]})
    content_type(data)
    digest = hashlib.sha256(data).hexdigest()
    folder = certificate_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / digest
    if not path.exists():
        temporary = path.with_suffix(".tmp")
        temporary.write_bytes(data)
        temporary.replace(path)
    return digest, clean_name(filename)


def clean_name(filename: str) -> str:
    """A file name safe to offer for download: no folders, no control characters."""
    name = Path(filename.replace("\\", "/")).name
    name = "".join(char for char in name if char.isprintable() and char not in '"<>|:*?')
    # No hidden or parent-folder names such as "..".
    return name.strip(" .")[:MAX_NAME] or "certificate"
