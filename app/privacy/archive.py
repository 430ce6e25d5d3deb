"""Writing an export: one JSON file per tool and the person's files, into a ZIP built in a
temporary file, so a large export never sits in memory as a whole."""

from __future__ import annotations

import io
import json
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from app.uploads.store import clean_filename

FILES_FOLDER = "files"
FALLBACK_NAME = "file"


@dataclass(frozen=True, slots=True)
class ExportFile:
    """A stored file that belongs in an export. ``name`` comes from the person (an upload's
    original file name) and is cleaned before it enters the archive."""

    name: str
    path: Path


def open_archive() -> tuple[IO[bytes], zipfile.ZipFile]:
    # Returned open: the response streams it, then closes it.
    handle = tempfile.TemporaryFile()  # noqa: SIM115
    return handle, zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED)


def write_json(archive: zipfile.ZipFile, name: str, data: dict[str, Any]) -> None:
    """Write ``data`` as ``name``; lists may be iterators, written item by item."""
    with archive.open(name, "w", force_zip64=True) as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8")
        _write_value(text, data, 0)
        text.write("\n")
        text.flush()
        text.detach()


def write_files(archive: zipfile.ZipFile, tool: str, files: Iterable[ExportFile]) -> None:
    """Copy each existing file to ``files/<tool>/<clean name>``; names never leave that folder
    and never collide."""
    taken: set[str] = set()
    for item in files:
        if not item.path.is_file():
            continue
        archive.write(item.path, f"{FILES_FOLDER}/{tool}/{_unique(safe_name(item.name), taken)}")


def safe_name(name: str) -> str:
    """One plain file name: no folders, no "..", no control characters."""
    cleaned = clean_filename(name).replace("..", ".").lstrip(".")
    return cleaned or FALLBACK_NAME


def _unique(name: str, taken: set[str]) -> str:
    candidate, number = name, 1
    while candidate in taken:
        number += 1
        stem, dot, extension = name.rpartition(".")
        candidate = f"{stem}-{number}.{extension}" if dot and stem else f"{name}-{number}"
    taken.add(candidate)
    return candidate


def _write_value(out: IO[str], value: Any, depth: int) -> None:
    indent = "\n" + "  " * (depth + 1)
    if isinstance(value, dict):
        out.write("{")
        for number, (key, item) in enumerate(value.items()):
            out.write(("," if number else "") + indent + json.dumps(str(key)) + ": ")
            _write_value(out, item, depth + 1)
        out.write("\n" + "  " * depth + "}" if value else "}")
    elif isinstance(value, list | tuple | Iterator):
        out.write("[")
        empty = True
        for number, item in enumerate(value):
            out.write(("," if number else "") + indent)
            _write_value(out, item, depth + 1)
            empty = False
        out.write("]" if empty else "\n" + "  " * depth + "]")
    else:
        out.write(json.dumps(value, ensure_ascii=False, default=_plain))


def _plain(value: Any) -> str:
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"not JSON-ready: {type(value).__name__}")
