"""Home page and insights page time on a large organisation (not a test; prints figures).

    /work/main/.venv/bin/python bench/home.py [--people 2000] [--pages 5000] [--runs 20]

Seeds a temporary SQLite database by bulk insert: people in departments of 20, wiki pages
with a revision each, a year of daily view counts for every page, likes and comments; then
times the home page of one colleague and the insights page (30 and 365 days) of an
administrator through the test client.

Measured 2026-11-23 (SQLite, test client, whole page rendered, 10 runs, 2 cores at load 5-7):
    home page, colleague        median  39 ms  p95  49 ms
    home page, administrator    median  16 ms  p95  23 ms
    insights, 30 days           median 388 ms  p95 514 ms
    insights, 365 days          median 361 ms  p95 440 ms
The home page runs a fixed number of queries whatever the data (tests/test_home_page.py).
Insights spend most of their time summing the daily view counts (110,000 rows for a year);
a larger install would keep weekly sums or move the page to PostgreSQL.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_migrate import upgrade
from sqlalchemy import insert, select

from app import create_app
from app.accounts.models import User
from app.clock import utcnow
from app.extensions import db
from app.insights.models import ViewCount
from app.social.models import Comment, Like
from app.spaces.models import Membership, Space
from app.wiki.models import Page, Revision

BATCH = 5_000
DEPARTMENT_SIZE = 20


def bulk(model, rows: list[dict]) -> None:
    for start in range(0, len(rows), BATCH):
        db.session.execute(insert(model), rows[start : start + BATCH])


def seed(people: int, pages: int) -> None:
    rng = random.Random(7)
    now = utcnow()
    bulk(
        User,
        [
            {
                "username": f"person{n}",
                "email": f"person{n}@example.org",
                "display_name": f"Person {n}",
                "is_admin": n == 0,
                "active": True,
                "session_version": 1,
                "created_at": now - timedelta(days=rng.randint(0, 900)),
            }
            for n in range(people)
        ],
    )
    user_ids = list(db.session.scalars(select(User.id)))
    departments = people // DEPARTMENT_SIZE
    bulk(
        Space,
        [
            {
                "name": f"Amt {n}",
                "slug": f"amt-{n}",
                "kind": "department",
                "visibility": "public",
                "description": "",
                "created_at": now,
            }
            for n in range(departments)
        ],
    )
    space_ids = list(db.session.scalars(select(Space.id)))
    bulk(
        Membership,
        [
            {
                "space_id": space_ids[i // DEPARTMENT_SIZE % len(space_ids)],
                "user_id": uid,
                "role": "member",
                "created_at": now,
            }
            for i, uid in enumerate(user_ids)
        ],
    )
    page_rows = []
    for n in range(pages):
        when = now - timedelta(days=rng.randint(0, 800))
        author = rng.choice(user_ids)
        page_rows.append(
            {
                "space_id": rng.choice(space_ids),
                "title": f"Seite {n}",
                "title_key": f"seite {n}",
                "slug": f"seite-{n}",
                "tags": "",
                "author_id": author,
                "owner_id": author,
                "editor_id": author,
                "revision": 1,
                "body": "Text",
                "body_html": "<p>Text</p>",
                "is_template": False,
                "reviewed_at": when,
                "created_at": when,
                "updated_at": when,
            }
        )
    bulk(Page, page_rows)
    rows = db.session.execute(select(Page.id, Page.author_id, Page.created_at)).all()
    page_ids = [row[0] for row in rows]
    bulk(
        Revision,
        [
            {
                "page_id": pid,
                "number": 1,
                "title": "t",
                "body": "",
                "body_html": "",
                "author_id": aid,
                "comment": "",
                "created_at": when,
            }
            for pid, aid, when in rows
        ],
    )
    views = []
    for day in range(365):
        for pid in rng.sample(page_ids, k=min(len(page_ids), 300)):
            views.append(
                {
                    "day": (now - timedelta(days=day)).date(),
                    "target_kind": "wiki_page",
                    "target_id": pid,
                    "space_id": None,
                    "views": rng.randint(1, 40),
                }
            )
    bulk(ViewCount, views)
    bulk(
        Like,
        [
            {
                "target_kind": "wiki_page",
                "target_id": pid,
                "user_id": uid,
                "created_at": now - timedelta(days=rng.randint(0, 365)),
            }
            for pid, uid in {(rng.choice(page_ids), rng.choice(user_ids)) for _ in range(20_000)}
        ],
    )
    bulk(
        Comment,
        [
            {
                "target_kind": "wiki_page",
                "target_id": rng.choice(page_ids),
                "author_id": rng.choice(user_ids),
                "body": "Gut",
                "body_html": "<p>Gut</p>",
                "is_question": False,
                "created_at": now - timedelta(days=rng.randint(0, 365)),
            }
            for _ in range(20_000)
        ],
    )
    db.session.commit()
    print(f"seeded {people} people, {pages} pages, {len(views)} daily view counts")


def timed(client, path: str, runs: int) -> str:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    times.sort()
    p95 = times[int(len(times) * 0.95) - 1]
    return f"{path:28} median {statistics.median(times):7.1f} ms  p95 {p95:7.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--pages", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.db",
                "SECRET_KEY": "bench-secret-key-0123456789",
                "WTF_CSRF_ENABLED": False,
            },
            instance_path=f"{folder}/instance",
        )
        with app.app_context():
            upgrade()
            seed(args.people, args.pages)
            admin, reader = [
                user.get_id()
                for user in db.session.scalars(select(User).order_by(User.id).limit(2))
            ]
        # Outside the seeding app context: each request gets its own, as in production.
        client = app.test_client()
        for user_id, paths in (
            (reader, ["/"]),
            (admin, ["/", "/insights/?days=30", "/insights/?days=365"]),
        ):
            with client.session_transaction() as session:
                session["_user_id"] = user_id
            for path in paths:
                print(timed(client, path, args.runs))


if __name__ == "__main__":
    main()
