"""The registry walk: for every declared content kind and every change that takes an item
away from a reader, the reader sees nothing of it afterwards, on any surface — before and
after `flask search reindex`.

``MAKERS`` says, per kind, how to write an item and which changes a tool offers; a kind the
registry declares without a maker fails ``test_every_declared_kind_is_walked``, so a new tool
is walked as soon as it declares itself.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import count
from typing import Any

import pytest

from app import content
from app.accounts import service as accounts
from app.blog import service as blog_service
from app.errors import Invalid, NotFound
from app.extensions import db
from app.insights import service as insights
from app.microblog import service as microblog
from app.privacy import service as privacy
from app.search import service as search
from app.social import notifications
from app.social import service as social
from app.spaces import service as spaces
from app.uploads import texts
from app.wiki import attachments as wiki_files
from app.wiki import service as wiki
from tests.factories import make_blog, make_page, make_space, make_token, make_user
from tests.web import bearer, sign_in

_numbers = count(1)


@dataclass
class Maker:
    """How a test writes an item of one kind into a space, and takes it away again."""

    make: Callable[[Any, Any, str], Any]  # (author, space, word) -> item
    move: Callable[[Any, Any, Any, str], None] | None = None  # (author, item, space, title)
    unpublish: Callable[[Any, Any], None] | None = None
    delete: Callable[[Any, Any], None] | None = None
    # The item a comment/like/notification hangs on (itself, or its target for a comment).
    spaced: bool = True
    changes: tuple[str, ...] = field(default=())


def _page(author, space, word):
    return make_page(f"Seite {word}", author=author, space=space, body=f"Über {word} und mehr.")


def _move_page(author, page, space, title):
    edit = wiki.PageEdit(
        title=title,
        body=page.body,
        base_revision=page.revision,
        tags=page.tags,
        parent_id=None,
        space_id=space.id,
    )
    wiki.update_page(author, page, edit)


def _post(author, space, word):
    blog = make_blog(f"Blog {next(_numbers)}", space=space)
    draft = blog_service.PostDraft(
        title=f"Beitrag {word}", body=f"Über {word}.", status="published"
    )
    return blog_service.write_post(author, blog, draft)


def _unpublish_post(author, post):
    draft = blog_service.PostDraft(title=post.title, body=post.body, status="draft")
    blog_service.edit_post(author, post, draft)


def _micropost(author, space, word):
    return microblog.create_post(
        author, microblog.NewPost(body=f"Wer kennt sich mit {word} aus?", space_id=space.id)
    )


def _comment(author, space, word):
    page = _page(author, space, f"Ziel{word}")
    return social.add_comment(
        author, social.NewComment(f"wiki_page:{page.id}", f"Ein Kommentar zu {word}.")
    )


def _move_comment(author, comment, space, title):
    _move_page(author, wiki.get_page(author, comment.target_id), space, title)


def _delete_comment_target(author, comment):
    page = wiki.get_page(author, comment.target_id)
    wiki.delete_page(author, page)


def _wiki_file(author, space, word):
    """A page whose attached file alone holds the word, read as the worker would."""
    page = make_page(f"Akte {next(_numbers)}", author=author, space=space, body="Siehe Anhang.")
    attached = wiki_files.attach_file(author, page, io.BytesIO(f"Vermerk {word}".encode()), "a.txt")
    texts.extract_pending()
    return attached


def _stream_file(author, space, word):
    post = microblog.create_post(
        author,
        microblog.NewPost(
            body="Im Anhang",
            space_id=space.id,
            files=(microblog.NewFile(io.BytesIO(f"Vermerk {word}".encode()), "a.txt"),),
        ),
    )
    texts.extract_pending()
    return post.attachments[0]


def _blog(author, space, word):
    return make_blog(f"Blog {next(_numbers)}", space=space)


def _profile(author, space, word):
    return author


MAKERS: dict[str, Maker] = {
    "wiki_page": Maker(_page, move=_move_page, delete=lambda a, p: wiki.delete_page(a, p)),
    "blog_post": Maker(
        _post, unpublish=_unpublish_post, delete=lambda a, p: blog_service.delete_post(a, p)
    ),
    "micropost": Maker(_micropost, delete=lambda a, p: microblog.delete_post(a, p.id)),
    "comment": Maker(_comment, move=_move_comment, delete=_delete_comment_target),
    "blog": Maker(_blog),
    # The text of attached files follows the page or post they are attached to.
    "wiki_file": Maker(
        _wiki_file,
        move=lambda a, f, space, title: _move_page(a, f.page, space, title),
        delete=lambda a, f: wiki_files.remove_attachment(a, f.page, f),
    ),
    "micropost_file": Maker(_stream_file, delete=lambda a, f: microblog.delete_post(a, f.post_id)),
    # Every colleague reads every profile: only deactivation takes one's reading away.
    "profile": Maker(_profile, spaced=False),
}

CHANGES = ("moved", "unpublished", "deleted", "membership_removed", "deactivated")


def cases():
    for kind, maker in MAKERS.items():
        for change in CHANGES:
            offered = {
                "moved": maker.move,
                "unpublished": maker.unpublish,
                "deleted": maker.delete,
                "membership_removed": maker.spaced or None,
                "deactivated": True,
            }[change]
            if offered:
                yield pytest.param(kind, change, id=f"{kind}-{change}")


def test_every_declared_kind_is_walked(app):
    assert set(content.registry().kinds) <= set(MAKERS), "declare a Maker for the new kind"


# --- what the reader sees -------------------------------------------------------------------


def search_keys(reader, word: str) -> set[str]:
    found = search.search(reader, word)
    keys = {result.hit.key for result in found.results}
    return keys


def evidence_text(reader, word: str) -> str:
    return repr([expert.evidence for expert in search.find_experts(reader, word)])


def export_text(reader) -> str:
    if not reader.active:
        return ""
    handle = privacy.export_archive(reader, reader)
    with zipfile.ZipFile(io.BytesIO(handle.read())) as archive:
        return "".join(
            archive.read(name).decode() for name in archive.namelist() if name.endswith(".json")
        )


def notification_targets(reader) -> set[str]:
    return {n.target for n in notifications.notifications_for(reader, per_page=100).items}


def insight_text(owner, space) -> str:
    if not owner.active:
        return ""
    scope = insights.scope_for(owner, space.id, 30)
    tables = ["".join(insights.export_csv(scope, name)) for name in insights.TABLE_NAMES]
    return "".join(tables)


def results_on_page(client, word: str) -> str:
    """The list of results of the search page (the page also repeats the question)."""
    html = client.get(f"/search?q={word}").get_data(as_text=True)
    start = html.find("search-results")
    return html[start : html.find("</ol>", start)] if start >= 0 else ""


@pytest.mark.parametrize(("kind", "change"), list(cases()))
def test_a_reader_sees_nothing_of_an_item_taken_away(app, client, kind, change):
    maker = MAKERS[kind]
    number = next(_numbers)
    word = f"Zebrafink{number}"
    writer = make_user(f"writer{number}", display_name="Wanda Writer")
    reader = make_user(f"reader{number}", display_name="Rolf Reader")
    # Owns the open space and sees its insights; never a member of the closed one.
    watcher = make_user(f"watcher{number}", display_name="Wilma Watcher")
    token = make_token(reader)
    open_space = make_space(
        f"Offen {number}", visibility="public", owners=[writer, watcher], members=[reader]
    )
    closed = make_space(f"Geschlossen {number}", visibility="members", owners=[writer])
    start = closed if change == "membership_removed" else open_space
    if change == "membership_removed":
        spaces.add_member(writer, closed, reader.username)
    item = maker.make(writer, start if maker.spaced else None, word)
    declared = content.registry().kinds[kind]
    key = f"{kind}:{item.id}"
    url = declared.url(item)

    # Everything attached to it: the reader's comment and like, a mention of the reader.
    attached = []
    if declared.commentable:
        mine = social.add_comment(reader, social.NewComment(key, f"Meine Frage zu {word}"))
        social.add_comment(writer, social.NewComment(key, f"@{reader.username} {word} erklärt"))
        social.like(writer, f"comment:{mine.id}")
        attached.append(f"comment:{mine.id}")
    if declared.likeable:
        social.like(writer, key)
    assert content.readable_target(reader, kind, item.id) is not None
    if declared.search is not None and kind != "profile":
        assert search_keys(reader, word), "the reader finds it while they may read it"

    # The reader has seen the item's page, home and the search for it: pages kept for their
    # browser (app/pagecache.py) must not outlive the change.
    sign_in(client, reader)
    seen = [url, "/", f"/search?q={word}"] if url else ["/", f"/search?q={word}"]
    for path in seen * 2:  # a browser's first page also notes its bell in the session
        assert client.get(path).status_code == 200, path
    if declared.search is not None and kind != "profile":
        assert word in results_on_page(client, word)

    secret = f"Geheim {word}"
    if change == "moved":
        maker.move(writer, item, closed, secret)
    elif change == "unpublished":
        maker.unpublish(writer, item)
    elif change == "deleted":
        maker.delete(writer, item)
    elif change == "membership_removed":
        spaces.remove_member(writer, closed, reader.username)
    else:
        accounts.set_active(None, reader, False)
    db.session.expire_all()

    def nothing_left() -> None:
        if change == "deactivated" or kind != "profile":
            assert content.readable_target(reader, kind, item.id) is None
        for other in attached:
            other_kind, _sep, other_id = other.partition(":")
            assert content.readable_target(reader, other_kind, int(other_id)) is None
            with pytest.raises((NotFound, Invalid)):
                social.like(reader, other)
        if declared.likeable and change != "deactivated":
            with pytest.raises((NotFound, Invalid)):
                social.like(reader, key)
        found = search_keys(reader, word)
        assert found == set(), f"{found} still found"
        assert word not in evidence_text(reader, word)
        left = {key, *attached} & notification_targets(reader)
        assert not left, f"notifications about {left}"
        assert secret not in export_text(reader)
        if change in ("moved", "deleted"):
            shown = insight_text(watcher, open_space)
            assert secret not in shown and word not in shown

    nothing_left()
    # Pages and the API answer as the service does, also to the browser that saw them.
    if reader.active:
        if url:
            answer = client.get(url, follow_redirects=True)
            shown = answer.get_data(as_text=True)
            assert answer.status_code == 404 or (secret not in shown and word not in shown)
        home = client.get("/").get_data(as_text=True)
        assert word not in home
        if kind != "profile":
            assert word not in results_on_page(client, word)
    else:
        for path in seen:
            assert client.get(path).status_code == 302, path  # to the sign-in page
    api = client.get(f"/api/v1/search?q={word}", headers=bearer(token)).get_json() or {}
    assert not api.get("results"), api
    assert app.test_cli_runner().invoke(args=["search", "reindex"]).exit_code == 0
    db.session.expire_all()
    nothing_left()
