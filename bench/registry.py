"""Registry figures: what deciding access at read time (a join through the content registry,
not a copied space) costs, in the worst cases a colleague meets.

- the notification list and the bell of someone with 3,000 notifications about 300 pages in
  three spaces (each row judged from its page's current place);
- the comments of a page with 300 comments, and one comment read by id;
- moving a page with 300 comments into a members-only space (the outbox marks the page and
  every comment; the inline drain rebuilds their documents).

Run: ``python bench/registry.py`` (a temporary SQLite database; prints figures, asserts
nothing).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_migrate import upgrade

from app import create_app
from app.extensions import db
from app.social import notifications
from app.social import service as social
from app.social.models import Comment, Notification
from app.wiki import service as wiki
from tests.factories import make_space, make_user

PAGES = 300
NOTIFICATIONS = 3000
COMMENTS = 300
RUNS = 30


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="bench-registry-"))
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.db'}",
            "SECRET_KEY": "bench-secret-key-not-for-production",
            "ARGON2_TIME_COST": 1,
            "ARGON2_MEMORY_COST": 1024,
            "SEARCH_DRAIN": "inline",
        },
        instance_path=str(folder / "instance"),
    )
    with app.app_context():
        upgrade()
        writer = make_user("writer")
        reader = make_user("reader")
        spaces = [
            make_space(f"Raum {n}", visibility=v, members=[writer, reader])
            for n, v in enumerate(("public", "members", "members"))
        ]
        started = time.perf_counter()
        pages = [
            wiki.create_page(
                writer,
                wiki.NewPage(title=f"Seite {n}", body="Text", space_id=spaces[n % 3].id),
            )
            for n in range(PAGES)
        ]
        db.session.add_all(
            Notification(
                user_id=reader.id,
                kind="mention",
                actor_id=writer.id,
                target=f"wiki_page:{pages[n % PAGES].id}",
                title=f"Seite {n % PAGES}",
                url=pages[n % PAGES].url,
                space_id=pages[n % PAGES].space_id,
            )
            for n in range(NOTIFICATIONS)
        )
        target = pages[0]
        db.session.add_all(
            Comment(
                target_kind="wiki_page",
                target_id=target.id,
                space_id=target.space_id,
                author_id=writer.id,
                body=f"Kommentar {n}",
                body_html=f"<p>Kommentar {n}</p>",
            )
            for n in range(COMMENTS)
        )
        db.session.commit()
        print(f"setup: {time.perf_counter() - started:.1f} s")

        listing = _timed(lambda: notifications.notifications_for(reader).items)
        bell = _timed(lambda: notifications.unread_count(reader))
        comments = _timed(lambda: social.comments_on(reader, f"wiki_page:{target.id}"))
        one_id = db.session.query(Comment.id).first()[0]
        one = _timed(lambda: social.get_comment(reader, one_id))
        closed = make_space("Geheim", visibility="members", members=[writer])
        page = wiki.get_page(writer, target.id)
        started = time.perf_counter()
        wiki.update_page(
            writer,
            page,
            wiki.PageEdit(
                title="Seite geheim",
                body=page.body,
                base_revision=page.revision,
                tags="",
                parent_id=None,
                space_id=closed.id,
            ),
        )
        move = time.perf_counter() - started

    print(f"{NOTIFICATIONS} notifications about {PAGES} pages, {RUNS} runs each (median, p95)")
    print(f"notification list (first page): {listing}")
    print(f"bell (unread count):            {bell}")
    print(f"comments of a page ({COMMENTS}):      {comments}")
    print(f"one comment by id:              {one}")
    print(f"move a page with {COMMENTS} comments (outbox and inline drain): {move * 1000:.0f} ms")


def _timed(call) -> str:
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return f"{statistics.median(ordered) * 1000:.1f} ms, {p95 * 1000:.1f} ms"


if __name__ == "__main__":
    main()
