"""What a page costs: a small fixed number of statements whatever the data, no write on a
GET, and answers a browser may keep and revalidate (ETag, 304) without ever seeing what
another reader sees."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from app.extensions import db
from app.insights.counter import flush_views
from app.insights.models import ViewCount
from app.social import service as social
from app.spaces import service as spaces
from tests.factories import (
    give_skill,
    make_blog,
    make_endorsement,
    make_micropost,
    make_page,
    make_post,
    make_profile,
    make_space,
    make_user,
)
from tests.web import post_form, sign_in, statements_of

WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


def buffer_views(app) -> None:
    """Count views as production does; the test flushes (the flush thread would write
    while a test counts statements). Pages are rendered every time: what is counted is a
    page's cost after anything changed (a page served again unchanged costs one statement,
    tests/test_page_cache.py)."""
    app.config["PAGE_CACHE_SECONDS"] = 0
    app.config["VIEW_COUNTING"] = "buffered"
    app.config["VIEW_FLUSH_SECONDS"] = 3600.0


def views_of(kind: str, target_id: int) -> int:
    return db.session.scalar(
        select(func.coalesce(func.sum(ViewCount.views), 0)).where(
            ViewCount.target_kind == kind, ViewCount.target_id == target_id
        )
    )


def test_reading_pages_writes_nothing_and_views_are_counted_when_flushed(app, client, member):
    buffer_views(app)
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


# --- HTTP caching -------------------------------------------------------------------------


def test_a_reader_revalidates_an_unchanged_page_and_gets_304(client, member, owner):
    page = make_page("Zuständigkeiten", author=member)
    sign_in(client, member)
    first = client.get(page.url)
    tag = first.headers["ETag"]
    assert first.headers["Cache-Control"] == "private, no-cache"
    again = client.get(page.url, headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.data == b""

    # Someone comments: the page changed, so it is sent again with a new tag.
    social.add_comment(owner, social.NewComment(target=f"wiki_page:{page.id}", body="Danke!"))
    changed = client.get(page.url, headers={"If-None-Match": tag})
    assert changed.status_code == 200 and "Danke!" in changed.get_data(as_text=True)
    assert changed.headers["ETag"] != tag


def test_a_tag_never_serves_one_readers_page_to_another(client, member, owner):
    page = make_page("Für alle", author=member)
    sign_in(client, member)
    tag = client.get(page.url).headers["ETag"]
    sign_in(client, owner)
    response = client.get(page.url, headers={"If-None-Match": tag})
    assert response.status_code == 200
    assert response.headers["ETag"] != tag


def test_a_former_member_revalidating_gets_404_not_304(client, member, owner):
    space = make_space("Personalrat", visibility="members", owners=[owner], members=[member])
    page = make_page("Sitzungstermine", author=owner, space=space)
    sign_in(client, member)
    tag = client.get(page.url).headers["ETag"]
    assert client.get(page.url, headers={"If-None-Match": tag}).status_code == 304
    spaces.remove_member(owner, space, member.username)
    response = client.get(page.url, headers={"If-None-Match": tag})
    assert response.status_code == 404
    assert "Sitzungstermine" not in response.get_data(as_text=True)


def test_feeds_are_revalidated_too(client, member):
    from app.blog import service as blog

    make_post(make_blog(owner=member), member, title="Neu im Amt")
    token = blog.feed_token(member)
    first = client.get(f"/blog/feeds/{token}/all.atom")
    assert first.status_code == 200 and "Neu im Amt" in first.get_data(as_text=True)
    again = client.get(
        f"/blog/feeds/{token}/all.atom", headers={"If-None-Match": first.headers["ETag"]}
    )
    assert again.status_code == 304


def test_static_files_have_fingerprinted_addresses_kept_for_a_year(client, member):
    sign_in(client, member)
    html = client.get("/").get_data(as_text=True)
    address = re.search(r'href="(/static/css/kollegium\.css\?v=[0-9a-f]+)"', html).group(1)
    response = client.get(address)
    assert response.status_code == 200
    assert "max-age=31536000" in response.headers["Cache-Control"]
    assert "immutable" in response.headers["Cache-Control"]
    bootstrap = re.search(r'href="(/bootstrap/static/[^"]+\?v=[0-9a-f]+)"', html)
    assert bootstrap is not None
    plain = client.get("/static/css/kollegium.css")
    assert "max-age=31536000" not in (plain.headers.get("Cache-Control") or "")


def test_signing_out_clears_the_browsers_cache(client, member):
    sign_in(client, member)
    response = post_form(client, "/logout", {})
    assert response.headers["Clear-Site-Data"] == '"cache"'


# --- statements per page ------------------------------------------------------------------


def discuss(target: str, people: list, rounds: int) -> None:
    """``rounds`` comments, each with a reply, and a like from each of ``people``."""
    for number in range(rounds):
        author = people[number % len(people)]
        comment = social.add_comment(author, social.NewComment(target, f"Frage {number}", True))
        social.add_comment(
            people[(number + 1) % len(people)],
            social.NewComment(target, f"Antwort {number}", parent_id=comment.id),
        )


def test_item_pages_issue_a_fixed_number_of_statements(app, client, member, owner):
    buffer_views(app)
    space = make_space("Bauamt", owners=[owner], members=[member])
    page = make_page("Bauantrag", author=owner, space=space)
    post = make_post(make_blog(space=space), owner)
    micropost = make_micropost(owner, space=space)
    # The faces of everyone a page shows come with one more statement (their photos), the
    # reader's membership of the space with another (a page outside spaces needs none), the
    # bell with a third (counted once after each change, then remembered).
    items = {
        f"wiki_page:{page.id}": (page.url, 8),
        f"blog_post:{post.id}": (post.url, 8),
        f"micropost:{micropost.id}": (f"/stream/posts/{micropost.id}", 13),
    }
    people = [member, owner]
    for target in items:
        discuss(target, people, 1)
        social.like(owner, target)
    sign_in(client, member)
    few = {}
    for target, (path, _limit) in items.items():
        client.get(path)  # the first page of a process also reads the guidelines version
        few[target] = len(statements_of(client, path))

    people += [make_user(f"kollege{number}") for number in range(6)]
    for target in items:
        discuss(target, people, 12)
        for person in people[2:]:
            social.like(person, target)
    for target, (path, limit) in items.items():
        many = len(statements_of(client, path))
        assert many == few[target], target
        assert many <= limit, (target, many)


def colleague(number: int, department, people: list) -> None:
    """A colleague with a profile, two skills, an endorsement, a stream post and a page."""
    person = make_user(f"kollegin{number}")
    make_profile(person, job_title="Sachbearbeitung", department_id=department.id)
    skill = give_skill(person, "Vergaberecht", level=3)
    give_skill(person, f"Fachgebiet {number}")
    make_endorsement(people[0], person, skill)
    make_micropost(person, f"Notiz {number} zur #e-akte @{people[0].username}")
    make_page(f"Vergabe Schritt {number}", author=person, body="Vergaberecht im Bauamt")
    people.append(person)


def test_main_pages_issue_a_fixed_number_of_statements(app, client, member, owner):
    buffer_views(app)
    department = make_space("Bauamt", kind="department", owners=[owner], members=[member])
    make_profile(member, job_title="Bauingenieurin", department_id=department.id)
    give_skill(member, "Vergaberecht", level=4)
    people = [member, owner]
    pages = {
        "/": 22,
        "/stream/": 11,
        f"/people/{member.username}": 13,
        "/people/": 14,
        "/search?q=vergaberecht": 31,
    }
    for number in range(2):
        colleague(number, department, people)
    sign_in(client, member)
    few = {}
    for path in pages:
        client.get(path)  # the first page of a process also reads the guidelines version
        few[path] = len(statements_of(client, path))

    for number in range(2, 14):
        colleague(number, department, people)
    for path, limit in pages.items():
        many = len(statements_of(client, path))
        assert many == few[path], (path, few[path], many)
        assert many <= limit, (path, many)
