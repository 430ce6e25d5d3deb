"""Blog figures: time and SQL statements of the blog page, the index and a feed with many
posts, likes and comments. Run: python bench/blog.py [POSTS] [-v]. Prints figures; asserts
nothing. With 300 posts (SQLite, 2026-11-23), warm:

    blog page    200    20.8 ms  14 statements
    index        200    11.4 ms   9 statements
    tag page     200    23.6 ms   7 statements
    feed (all)   200     5.8 ms   5 statements
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import event

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app import create_app
from app.blog import service
from app.extensions import db
from app.social import service as social
from tests.conftest import test_settings
from tests.factories import make_blog, make_post, make_space, make_user
from tests.web import sign_in


def main(posts: int) -> None:
    folder = Path(tempfile.mkdtemp())
    app = create_app(test_settings(f"sqlite:///{folder / 'bench.db'}"), str(folder / "i"))
    with app.app_context(), app.test_request_context():
        upgrade()
        lead, reader = make_user("lead"), make_user("reader")
        blog = make_blog(space=make_space(owners=[lead], members=[reader]))
        started = time.perf_counter()
        for number in range(posts):
            post = make_post(blog, lead, f"Beitrag {number}", body="Text " * 200 + "#e-akte")
            social.like(reader, f"blog_post:{post.id}")
            social.add_comment(reader, social.NewComment(f"blog_post:{post.id}", "Frage?", True))
        print(
            f"wrote {posts} posts with likes and questions in {time.perf_counter() - started:.1f}s"
        )
        token = service.feed_token(reader)
        blog_id = blog.id
        client = app.test_client()
        sign_in(client, lead)
    for label, path in (
        ("blog page", f"/blog/{blog_id}"),
        ("index", "/blog/"),
        ("tag page", "/blog/tags/e-akte"),
        ("feed (all)", f"/blog/feeds/{token}/all.atom"),
    ):
        with app.app_context():
            statements: list[str] = []

            def record(*args, statements=statements):
                statements.append(args[2])

            event.listen(db.engine, "before_cursor_execute", record)
            client.get(path)  # warm up
            statements.clear()
            started = time.perf_counter()
            status = client.get(path).status_code
            elapsed = (time.perf_counter() - started) * 1000
            event.remove(db.engine, "before_cursor_execute", record)
            print(f"{label:12} {status} {elapsed:7.1f} ms {len(statements):3d} statements")
            if "-v" in sys.argv:
                print("\n".join(" ".join(s.split())[:150] for s in statements))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1].isdigit() else 300)
