"""The plain text of an uploaded document, read in a child process that may not run long.

A hostile or broken file (a PDF whose content streams decompress to gigabytes, a zip bomb,
a parser stuck in a loop) must never hang or exhaust the process that runs it, so
``extract_text`` starts this file as its own Python process with a wall-clock timeout and
memory and CPU limits, and reads one JSON answer from its output. The child reads at most
``max_bytes`` of the file and keeps at most ``max_chars`` characters; a PDF stops after
``MAX_PDF_PAGES`` pages.

The child imports nothing of the app (it is started as a plain script), only the readers:
pypdf for PDF (pure Python and maintained; it reports encryption before reading), mammoth
for Word (as the wiki's import does), defusedxml for LibreOffice's content.xml.
"""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

EXTRACTABLE = ("pdf", "docx", "odt", "txt", "csv")
DONE = "done"
SKIPPED = "skipped"
# Why a file's text could not be read (the note kept beside it).
ENCRYPTED = "encrypted"
UNREADABLE = "unreadable"
TIMEOUT = "timeout"
TOO_LARGE = "too large"
MAX_PDF_PAGES = 500
# A zip member (content.xml, document.xml) may not unpack to more than this.
MAX_UNPACKED_BYTES = 50_000_000
MEMORY_LIMIT_BYTES = 1_000_000_000
ODF_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"


@dataclass(frozen=True, slots=True)
class Extracted:
    """What reading a file gave: its text (``status`` DONE) or why not (SKIPPED, ``note``)."""

    status: str
    text: str = ""
    note: str = ""


def extract_text(
    path: Path, extension: str, *, max_bytes: int, max_chars: int, timeout: float
) -> Extracted:
    """The text of the file at ``path``, read by a child process within the limits."""
    if extension not in EXTRACTABLE:
        return Extracted(SKIPPED, note=UNREADABLE)
    try:
        size = path.stat().st_size
    except OSError:  # the stored file is gone (a restore without the uploads folder)
        return Extracted(SKIPPED, note=UNREADABLE)
    if size > max_bytes:
        return Extracted(SKIPPED, note=TOO_LARGE)
    seconds = str(max(1, int(timeout)))
    command = [sys.executable, "-I", __file__, str(path), extension, str(max_chars), seconds]
    try:
        finished = subprocess.run(command, capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return Extracted(SKIPPED, note=TIMEOUT)
    try:
        answer = json.loads(finished.stdout)
    except ValueError:
        # Killed by a limit (memory, CPU) before it could answer.
        return Extracted(SKIPPED, note=UNREADABLE)
    return Extracted(
        answer["status"], _storable(answer.get("text", ""))[:max_chars], answer.get("note", "")
    )


def _storable(text: str) -> str:
    """Text a database can store: no NUL characters (PostgreSQL refuses them) and no lone
    surrogates (not UTF-8), both of which PDFs yield."""
    return text.replace("\x00", " ").encode("utf-8", "replace").decode("utf-8")


# --- in the child ------------------------------------------------------------------------------


def read_file(path: Path, extension: str, max_chars: int) -> Extracted:
    """Read the text in this process (the child's work). Never raises for a bad file."""
    try:
        text = READERS[extension](path, max_chars)
    except EncryptedFile:
        return Extracted(SKIPPED, note=ENCRYPTED)
    except Exception:  # any reader error on a hostile file means: unreadable
        return Extracted(SKIPPED, note=UNREADABLE)
    return Extracted(DONE, " ".join(text.split())[:max_chars])


class EncryptedFile(Exception):
    """The file needs a password."""


def _pdf(path: Path, max_chars: int) -> str:
    from pypdf import PdfReader

    reader = PdfReader(path)
    if reader.is_encrypted:
        raise EncryptedFile
    parts: list[str] = []
    length = 0
    for page in reader.pages[:MAX_PDF_PAGES]:
        part = page.extract_text() or ""
        parts.append(part)
        length += len(part)
        if length >= max_chars:
            break
    return "\n".join(parts)


def _docx(path: Path, max_chars: int) -> str:
    import mammoth

    with zipfile.ZipFile(path) as archive:
        if "EncryptedPackage" in archive.namelist():
            raise EncryptedFile
        _check_unpacked(archive)
    with path.open("rb") as handle:
        return mammoth.extract_raw_text(handle).value


def _odt(path: Path, max_chars: int) -> str:
    from defusedxml import ElementTree

    with zipfile.ZipFile(path) as archive:
        _check_unpacked(archive)
        manifest_name = "META-INF/manifest.xml"
        manifest = archive.read(manifest_name) if manifest_name in archive.namelist() else b""
        if b"encryption-data" in manifest:
            raise EncryptedFile
        root = ElementTree.fromstring(archive.read("content.xml"))
    blocks = (f"{{{ODF_TEXT}}}p", f"{{{ODF_TEXT}}}h")
    return "\n".join("".join(node.itertext()) for node in root.iter() if node.tag in blocks)


def _check_unpacked(archive: zipfile.ZipFile) -> None:
    if sum(member.file_size for member in archive.infolist()) > MAX_UNPACKED_BYTES:
        raise ValueError("unpacks too large")


def _plain(path: Path, max_chars: int) -> str:
    # UTF-8 (with or without BOM) as most exports write it; old Windows files are cp1252.
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


READERS = {"pdf": _pdf, "docx": _docx, "odt": _odt, "txt": _plain, "csv": _plain}


def limit_this_process(cpu_seconds: int) -> None:
    """Memory and CPU limits for the child, set by itself (a parent with threads must not
    run code between fork and exec)."""
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT_BYTES, MEMORY_LIMIT_BYTES))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))


def main(arguments: list[str]) -> None:
    path, extension, max_chars = Path(arguments[0]), arguments[1], int(arguments[2])
    limit_this_process(int(arguments[3]))
    found = read_file(path, extension, max_chars)
    json.dump({"status": found.status, "text": found.text, "note": found.note}, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1:])
