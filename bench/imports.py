"""Import figures: a folder of Word and LibreOffice documents through `flask wiki import`'s
code (conversion, attachments, rendering, one page each). Run: python bench/imports.py
[DOCUMENTS]. Prints time per document and per MB; asserts nothing. With 200 documents
(a third each short .docx, .odt, and 40-section .docx; 0.5 MB; SQLite, search drained after
every page as in tests; 2 shared cores under load, 2026-12-06):

    documents   200 (0.5 MB), imported 200
    total       374.9 s
    per document 1874 ms

Again on 2026-12-07 (same machine, less load from other processes):

    documents   200 (0.5 MB), imported 200
    total       89.8 s
    per document 449 ms
    per MB      170.42 s

Most of it is per page, not per byte: mammoth reading the parts (~0.23 s) and the search
index commit after each page (~0.27 s; a `search worker` takes that off the import).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from flask_migrate import upgrade

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app import create_app
from app.wiki import imports
from tests.conftest import test_settings
from tests.documents import docx, link, minutes_odt, para, png, procedure_docx, run, table
from tests.factories import make_space, make_user


def long_docx(number: int) -> bytes:
    """A longer service instruction: 40 sections of text, lists and a table."""
    body = ""
    for section in range(40):
        body += para(run(f"Abschnitt {section} der Anweisung {number}"), style="Heading2")
        body += para(run("Die Sachbearbeitung prüft den Antrag " * 12), run("sofort.", bold=True))
        body += para(run("Unterlagen anfordern"), list_level=0)
        body += para(run("Frist setzen"), list_level=1)
        body += table([["Schritt", "Frist"], ["Prüfung", "3 Tage"], ["Bescheid", "2 Wochen"]])
    body += para(run("Mehr: "), link("Handbuch", "rL1"))
    return docx(
        body, title=f"Anweisung {number}", links={"rL1": "https://intranet.example/h"},
        images={"rImg": png(800, 600)},
    )  # fmt: skip


def main(count: int) -> None:
    folder = Path(tempfile.mkdtemp())
    app = create_app(test_settings(f"sqlite:///{folder / 'bench.db'}"), str(folder / "i"))
    share = folder / "share"
    for number in range(count):
        sub = share / f"Amt {number % 10}"
        sub.mkdir(parents=True, exist_ok=True)
        kind = number % 3
        if kind == 0:
            (sub / f"Posteingang {number}.docx").write_bytes(
                procedure_docx(f"Posteingang {number}")
            )
        elif kind == 1:
            (sub / f"Protokoll {number}.odt").write_bytes(minutes_odt(f"Protokoll {number}"))
        else:
            (sub / f"Anweisung {number}.docx").write_bytes(long_docx(number))
    files = [path for path in share.rglob("*") if path.is_file()]
    megabytes = sum(path.stat().st_size for path in files) / 1e6
    with app.app_context():
        upgrade()
        admin = make_user("admin", is_admin=True)
        space = make_space("Handbuch", members=[admin])
        started = time.perf_counter()
        outcomes = imports.import_tree(admin, [share], space_id=space.id, parent_id=None)
        seconds = time.perf_counter() - started
    done = [outcome for outcome in outcomes if outcome.page is not None]
    print(f"documents   {len(files)} ({megabytes:.1f} MB), imported {len(done)}")
    print(f"total       {seconds:.1f} s")
    print(f"per document {1000 * seconds / max(len(files), 1):.0f} ms")
    print(f"per MB      {seconds / max(megabytes, 1e-9):.2f} s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
