"""Saving uploads (checked, by content hash) and serving them safely. See the package doc."""

from __future__ import annotations

import hashlib
import os
import tempfile
import unicodedata
from pathlib import Path
from typing import BinaryIO

from flask import Response, current_app, send_file
from flask_babel import gettext as _

from app.accounts.models import User
from app.errors import Invalid, TooLarge
from app.extensions import db
from app.uploads.images import check_image
from app.uploads.models import IMAGE_TYPES, Upload

CHUNK = 64 * 1024
MAX_FILENAME = 255
# What an allowed extension is served as. Nothing here renders as a web page.
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt": "application/vnd.ms-powerpoint",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
    "txt": "text/plain; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
}
# Pillow's name for each image type: a PNG named photo.jpg is refused.
PILLOW_FORMATS = {
    "image/png": "PNG",
    "image/jpeg": "JPEG",
    "image/gif": "GIF",
    "image/webp": "WEBP",
}
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Office formats are containers: the first bytes say which kind.
MAGIC = {
    "pdf": (b"%PDF-",),
    "docx": (ZIP_MAGIC,),
    "xlsx": (ZIP_MAGIC,),
    "pptx": (ZIP_MAGIC,),
    "odt": (ZIP_MAGIC,),
    "ods": (ZIP_MAGIC,),
    "odp": (ZIP_MAGIC,),
    "doc": (OLE_MAGIC,),
    "xls": (OLE_MAGIC,),
    "ppt": (OLE_MAGIC,),
}


def save_upload(actor: User | None, stream: BinaryIO, filename: str) -> Upload:
    """Check and store a file; return its (uncommitted) Upload. Raises TooLarge or Invalid."""
    name = clean_filename(filename)
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    allowed = current_app.config["UPLOAD_ALLOWED_TYPES"]
    if not name or extension not in allowed or extension not in CONTENT_TYPES:
        message = _(
            "This type of file is not allowed. Allowed are: %(types)s.",
            types=", ".join(sorted(allowed)),
        )
        raise Invalid(message, {"file": [message]})
    content_type = CONTENT_TYPES[extension]
    folder = Path(current_app.config["UPLOAD_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    temporary, digest, size = _copy_limited(stream, folder)
    try:
        _check_content(temporary, extension, content_type, size)
        target = path_for(digest)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(temporary, target)
    finally:
        if temporary.exists():
            temporary.unlink()
    upload = Upload(
        sha256=digest,
        size=size,
        content_type=content_type,
        original_filename=name,
        uploader=actor,
    )
    db.session.add(upload)
    return upload


def path_for(digest: str) -> Path:
    """Where the file with this SHA-256 lives: UPLOAD_DIR/ab/cd/abcd…"""
    return Path(current_app.config["UPLOAD_DIR"]) / digest[:2] / digest[2:4] / digest


def send_upload(upload: Upload, *, inline: bool) -> Response:
    """Answer with the file. Only images are shown inline; everything else downloads."""
    show_inline = inline and upload.content_type in IMAGE_TYPES
    response = send_file(
        path_for(upload.sha256),
        # Stored types may carry "; charset=utf-8"; Flask adds the charset to text types once.
        mimetype=upload.content_type.split(";", 1)[0].strip(),
        as_attachment=not show_inline,
        download_name=upload.original_filename,
        conditional=True,
        etag=upload.sha256,
        max_age=3600,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    # Even if a browser rendered it, a file may not run script or load anything.
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.cache_control.private = True
    return response


def clean_filename(filename: str) -> str:
    """The last path part of a client's file name, without control characters."""
    name = unicodedata.normalize("NFC", filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip(" .")
    if len(name) > MAX_FILENAME:
        stem, dot, extension = name.rpartition(".")
        name = stem[: MAX_FILENAME - len(extension) - 1] + dot + extension if dot else name[:255]
    return name


def _copy_limited(stream: BinaryIO, folder: Path) -> tuple[Path, str, int]:
    """Copy ``stream`` to a temporary file, hashing it. Raises TooLarge past the limit."""
    limit = current_app.config["UPLOAD_MAX_BYTES"]
    digest = hashlib.sha256()
    size = 0
    fd, raw_path = tempfile.mkstemp(dir=folder, prefix=".upload-")
    path = Path(raw_path)
    with os.fdopen(fd, "wb") as handle:
        while chunk := stream.read(CHUNK):
            size += len(chunk)
            if size > limit:
                handle.close()
                path.unlink()
                message = _(
                    "The file is too large: at most %(megabytes)s MB are allowed.",
                    megabytes=f"{limit / 1_000_000:g}",
                )
                raise TooLarge(message, {"file": [message]})
            digest.update(chunk)
            handle.write(chunk)
    if size == 0:
        path.unlink()
        message = _("The file is empty.")
        raise Invalid(message, {"file": [message]})
    return path, digest.hexdigest(), size


def _check_content(path: Path, extension: str, content_type: str, size: int) -> None:
    """The content must be what the name says. Raises Invalid, or TooLarge for an image of
    too many pixels."""
    message = _("The file's content does not match its type.")
    if content_type in IMAGE_TYPES:
        check_image(path, {PILLOW_FORMATS[content_type]}, field="file", unreadable=message)
        return
    prefixes = MAGIC.get(extension)
    if prefixes:
        with path.open("rb") as handle:
            head = handle.read(16)
        if not head.startswith(prefixes):
            raise Invalid(message, {"file": [message]})
