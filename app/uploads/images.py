"""The one way any feature opens an uploaded image: size, format and content checked.

A PNG of a few bytes may claim 30000×30000 pixels; decoding it would take gigabytes of
memory. Pillow refuses such files only far above what we accept (and with an error nobody
catches), so every upload is measured here first, from its header, before anything decodes.
"""

from __future__ import annotations

import io
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from PIL import Image, UnidentifiedImageError

from app.errors import Invalid, TooLarge

# Everything Pillow may raise on a damaged, truncated or hostile file it was asked to read.
UNREADABLE = (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError)


def check_image(
    source: bytes | Path, formats: Collection[str], *, field: str, unreadable: str | None = None
) -> str:
    """Check that `source` (bytes or a file) is a whole image in one of `formats` (Pillow's
    names) within the pixel limit; return its format. Raises TooLarge (too many pixels) or
    Invalid (not an image, another format, damaged: `unreadable` or a general message), each
    with its message under `field`."""
    with open_image(source, formats, field=field, unreadable=unreadable) as image:
        found = image.format or ""
        image.verify()
    return found


@contextmanager
def open_image(
    source: bytes | Path, formats: Collection[str], *, field: str, unreadable: str | None = None
) -> Iterator[Image.Image]:
    """Open `source` as an image of one of `formats`, within IMAGE_MAX_PIXELS, ready to decode.

    Raises TooLarge or Invalid as check_image does; errors while the caller decodes the
    image inside the block become Invalid too.
    """
    limit = current_app.config["IMAGE_MAX_PIXELS"]
    try:
        image = Image.open(io.BytesIO(source) if isinstance(source, bytes) else source)
    except Image.DecompressionBombError as err:  # past twice Pillow's own limit
        raise _too_many_pixels(field, limit) from err
    except UNREADABLE as err:
        raise _not_an_image(field, formats, unreadable) from err
    with image:
        if image.format not in formats:
            raise _not_an_image(field, formats, unreadable)
        width, height = image.size
        if width * height > limit or width <= 0 or height <= 0:
            raise _too_many_pixels(field, limit)
        try:
            yield image
        except UNREADABLE as err:
            raise _not_an_image(field, formats, unreadable) from err


def _too_many_pixels(field: str, limit: int) -> TooLarge:
    message = _(
        "The image has too many pixels: at most %(megapixels)s million are allowed.",
        megapixels=f"{limit / 1_000_000:g}",
    )
    return TooLarge(message, {field: [message]})


def _not_an_image(field: str, formats: Collection[str], message: str | None) -> Invalid:
    message = message or _(
        "The file is not a readable image of an allowed type (%(types)s).",
        types=", ".join(sorted(formats)),
    )
    return Invalid(message, {field: [message]})
