"""Wiki figures: page view and save of a page with 500 revisions and 200 backlinks.

Run: ``python bench/wiki.py`` (a temporary SQLite database; prints figures, asserts nothing).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_migrate import upgrade
from sqlalchemy import event

from app import create_app
from app.extensions import db
from app.wiki import service as wiki
from tests.factories import make_space, make_user

REVISIONS = 500
BACKLINKS = 200
RUNS = 50


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="bench-wiki-"))
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.db'}",
            "SECRET_KEY": "bench-secret-key-not-for-production",
            "ARGON2_TIME_COST": 1,
            "ARGON2_MEMORY_COST": 1024,
            "WTF_CSRF_ENABLED": False,
        },
        instance_path=str(folder / "instance"),
    )
    with app.app_context():
        upgrade()
        author = make_user("bench")
        space = make_space("Bench", members=[author])
        started = time.perf_counter()
        page = wiki.create_page(
            author, wiki.NewPage(title="Hauptseite", body="Absatz\n" * 40, space_id=space.id)
        )
        for number in range(REVISIONS - 1):
            _save(author, page, f"Absatz {number}\n" + "Absatz\n" * 40)
        for number in range(BACKLINKS):
            wiki.create_page(
                author,
                wiki.NewPage(title=f"Verweis {number}", body="[[Hauptseite]]", space_id=space.id),
            )
        print(f"setup: {time.perf_counter() - started:.1f} s")
        page_id, path = page.id, f"/wiki/spaces/{space.slug}/{page.slug}"
        user_id = author.get_id()

    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = user_id
    queries: list[str] = []
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", lambda *a: queries.append(a[2]))
        view_times = []
        for _ in range(RUNS):
            started = time.perf_counter()
            assert client.get(path).status_code == 200
            view_times.append(time.perf_counter() - started)
        per_view = len(queries) // RUNS

    with app.app_context():
        save_times = []
        for number in range(RUNS):
            page = wiki.get_page(author_of(page_id), page_id)
            started = time.perf_counter()
            _save(page.owner, page, f"Neu {number}\n" + "Absatz\n" * 40)
            save_times.append(time.perf_counter() - started)
        rename_started = time.perf_counter()
        page = wiki.get_page(author_of(page_id), page_id)
        wiki.update_page(
            page.owner,
            page,
            wiki.PageEdit(
                title="Hauptseite neu",
                body=page.body,
                base_revision=page.revision,
                tags="",
                parent_id=None,
                space_id=page.space_id,
            ),
        )
        rename = time.perf_counter() - rename_started

    print(f"page with {REVISIONS} revisions and {BACKLINKS} backlinks, {RUNS} runs each")
    print(f"page view: median {_ms(view_times)} ms, p95 {_ms(view_times, 0.95)} ms, "
          f"{per_view} SQL queries")  # fmt: skip
    print(f"save:      median {_ms(save_times)} ms, p95 {_ms(save_times, 0.95)} ms")
    print(f"rename (re-renders {BACKLINKS} linking pages): {rename * 1000:.0f} ms")


def author_of(page_id: int):
    from app.wiki.models import Page

    return db.session.get(Page, page_id).owner


def _save(actor, page, body: str) -> None:
    wiki.update_page(
        actor,
        page,
        wiki.PageEdit(
            title=page.title,
            body=body,
            base_revision=page.revision,
            tags=page.tags,
            parent_id=page.parent_id,
            space_id=page.space_id,
        ),
    )


def _ms(times: list[float], quantile: float = 0.5) -> str:
    ordered = sorted(times)
    if quantile == 0.5:
        return f"{statistics.median(ordered) * 1000:.1f}"
    return f"{ordered[min(len(ordered) - 1, int(len(ordered) * quantile))] * 1000:.1f}"


if __name__ == "__main__":
    main()
