"""Preview cards for links to Kollegium's own wiki pages and blog posts."""

from types import SimpleNamespace

import pytest

from app.content import Target
from app.errors import NotFound
from app.microblog import previews, service
from tests.factories import make_space


@pytest.mark.parametrize(
    ("href", "expected"),
    [
        ("/wiki/pages/12", "wiki_page:12"),
        ("/wiki/pages/12/haushalt-2027", "wiki_page:12"),
        ("http://localhost/wiki/pages/7?x=1", "wiki_page:7"),
        ("/blog/bauamt/posts/34", "blog_post:34"),
        ("https://example.org/wiki/pages/12", None),
        ("javascript:/wiki/pages/12", None),
        ("/wiki/pages/abc", None),
        ("/stream/posts/3", None),
    ],
)
def test_only_same_host_wiki_and_blog_links_make_cards(app, href, expected):
    with app.test_request_context("/", base_url="http://localhost"):
        assert previews.target_of(href) == expected


def a_page(space=None, **extra):
    fields = {"title": "Haushalt 2027", "space": space, "body_html": "<p>Der Entwurf.</p>"}
    return SimpleNamespace(**{**fields, **extra})


def test_post_with_wiki_link_gets_a_card(app, member, monkeypatch):
    space = make_space("Kämmerei", visibility="public", members=[member])
    monkeypatch.setattr(
        previews.content,
        "resolve",
        lambda actor, key: Target("wiki_page", 12, a_page(space)),
    )
    with app.test_request_context("/", base_url="http://localhost"):
        post = service.create_post(member, service.NewPost("Siehe http://localhost/wiki/pages/12"))
    assert (post.preview_title, post.preview_space) == ("Haushalt 2027", space.name)
    assert "Entwurf" in post.preview_excerpt


def test_members_only_target_makes_no_card_in_an_open_post(app, member, monkeypatch):
    secret = make_space(visibility="members", members=[member])
    monkeypatch.setattr(
        previews.content, "resolve", lambda actor, key: Target("wiki_page", 1, a_page(secret))
    )
    post = service.create_post(member, service.NewPost("Siehe [den Plan](/wiki/pages/1)"))
    assert post.preview_url is None
    in_space = service.create_post(
        member, service.NewPost("Siehe [den Plan](/wiki/pages/1)", space_id=secret.id)
    )
    assert in_space.preview_title == "Haushalt 2027"


def test_unreadable_or_missing_tool_makes_no_card(app, member, monkeypatch):
    def refuse(actor, key):
        raise NotFound("no")

    monkeypatch.setattr(previews.content, "resolve", refuse)
    post = service.create_post(member, service.NewPost("Siehe [Plan](/wiki/pages/1)"))
    assert post.preview_url is None
    # Without the wiki installed the real resolver says Invalid; that is skipped too.
    monkeypatch.undo()
    post = service.create_post(member, service.NewPost("Siehe [Plan](/wiki/pages/2)"))
    assert post.preview_url is None


def test_link_to_a_real_wiki_page_gets_a_card(app, member):
    from tests.factories import make_page

    space = make_space("Kämmerei", visibility="public", members=[member])
    page = make_page("Haushalt 2027", author=member, body="Der **Entwurf** liegt vor.", space=space)
    with app.test_request_context("/", base_url="http://localhost"):
        post = service.create_post(
            member, service.NewPost(f"Bitte lesen: http://localhost/wiki/pages/{page.id}")
        )
    assert (post.preview_title, post.preview_space) == ("Haushalt 2027", "Kämmerei")
    assert "Entwurf liegt vor" in post.preview_excerpt
