"""Privacy figures: export and erasure of a prolific colleague. Run:
python bench/privacy.py [ITEMS]. Prints figures; asserts nothing. ITEMS wiki revisions, stream
posts and comments each, bodies of ~2 KB (rows written straight to the database), each
mentioning the person. SQLite, 2026-11-23 (statements: both export passes; the lists are
read in batches, so they grow by one per batch):

    export    1000 items each    537 ms   45 statements  peak Python memory 6.4 MB
    erase     1000 items each    616 ms   32 statements
    export   20000 items each   7258 ms  121 statements  peak Python memory 7.0 MB
    erase    20000 items each  10177 ms   32 statements
"""

from __future__ import annotations

import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import event

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app import create_app
from app.extensions import db
from app.microblog.models import Micropost
from app.privacy import service
from app.social.models import Comment
from app.wiki.models import Page, Revision
from tests.conftest import test_settings
from tests.factories import make_user

BODY = "Verwaltungstext mit Vergaberecht. " * 60


def write_history(user, other, items: int) -> None:
    page = Page(title="Handbuch", title_key="handbuch", slug="handbuch", author_id=other.id)
    db.session.add(page)
    db.session.flush()
    for number in range(items):
        body = f"{BODY} @{user.username} {number}"
        db.session.add(
            Revision(
                page_id=page.id,
                number=number + 1,
                title="Handbuch",
                body=body,
                body_html=f"<p>{body}</p>",
                author_id=user.id,
            )
        )
        db.session.add(Micropost(author_id=user.id, body=body, body_html=f"<p>{body}</p>"))
        db.session.add(
            Comment(
                target_kind="wiki_page",
                target_id=page.id,
                author_id=user.id,
                body=body,
                body_html=f"<p>{body}</p>",
            )
        )
    db.session.commit()


def main(items: int) -> None:
    folder = Path(tempfile.mkdtemp())
    app = create_app(test_settings(f"sqlite:///{folder / 'bench.db'}"), str(folder / "i"))
    with app.app_context(), app.test_request_context():
        upgrade()
        admin = make_user("admin", is_admin=True)
        user, other = make_user("erika.muster"), make_user("karl")
        write_history(user, other, items)
        statements = []
        event.listen(db.engine, "before_cursor_execute", lambda *a: statements.append(1))

        started = time.perf_counter()
        with service.export_archive(user, user) as archive:
            size = archive.seek(0, 2)
        seconds = time.perf_counter() - started
        # Again, tracing memory (which slows it down several times).
        tracemalloc.start()
        service.export_archive(user, user).close()
        _now, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(
            f"export  {items:>6} items each  {seconds * 1000:8.0f} ms  {len(statements):3d} "
            f"statements  zip {size / 1e6:6.1f} MB  peak Python memory {peak / 1e6:6.1f} MB"
        )

        statements.clear()
        user.active = False
        db.session.commit()
        started = time.perf_counter()
        service.erase_user(admin, user)
        print(
            f"erase   {items:>6} items each  {(time.perf_counter() - started) * 1000:8.0f} ms  "
            f"{len(statements):3d} statements"
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
