"""What a page costs: a small fixed number of statements whatever the data, no write on a
GET, and answers a browser may keep and revalidate (ETag, 304) without ever seeing what
another reader sees."""

from __future__ import annotations

from sqlalchemy import event, func, select

from app.extensions import db
from app.insights.counter import flush_views
from app.insights.models import ViewCount
from tests.factories import make_blog, make_micropost, make_page, make_post, make_user
from tests.web import sign_in

WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


def statements_of(client, path: str, *, status: int = 200, headers=None) -> list[str]:
    statements: list[str] = []

    def record(*args):
        statements.append(" ".join(args[2].split()))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        response = client.get(path, headers=headers or {})
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert response.status_code == status, (path, response.status_code)
    return statements


def views_of(kind: str, target_id: int) -> int:
    return db.session.scalar(
        select(func.coalesce(func.sum(ViewCount.views), 0)).where(
            ViewCount.target_kind == kind, ViewCount.target_id == target_id
        )
    )


def test_reading_pages_writes_nothing_and_views_are_counted_when_flushed(app, client, member):
    app.config["VIEW_COUNTING"] = "buffered"
    page = make_page("Gelesen", author=member)
    post = make_post(make_blog(owner=member), member)
    micropost = make_micropost(member)
    sign_in(client, member)
    paths = (page.url, post.url, f"/stream/posts/{micropost.id}")
    for path in paths:
        statements = statements_of(client, path)
        assert not [s for s in statements if s.upper().startswith(WRITES)], path
    assert views_of("wiki_page", page.id) == 0

    with app.app_context():
        assert flush_views() == 3
    assert views_of("wiki_page", page.id) == 1
    assert views_of("blog_post", post.id) == 1
    assert views_of("micropost", micropost.id) == 1

    # Reading again the same day counts nothing more; another reader counts once.
    reader = make_user("rita")
    for path in paths:
        client.get(path)
    sign_in(client, reader)
    client.get(page.url)
    client.get(page.url)
    with app.app_context():
        flush_views()
    assert views_of("wiki_page", page.id) == 2
    assert views_of("blog_post", post.id) == 1
