"""Turning an answered question or a stream thread into a wiki FAQ page.

The wiki offers "knowledge.create_page" in the content registry (and the stream
"knowledge.thread"); without a wiki there are no FAQ pages. The page and its link row are
one transaction, and a link only shows a page its reader may read now."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from app import content
from app.accounts.models import User
from app.errors import Conflict, Forbidden, Invalid
from app.extensions import db
from app.knowledge.models import KnowledgeLink
from app.markup import excerpt, plain_text
from app.social import service as social
from app.social.models import Comment
from app.spaces import policy

TITLE_WORDS = 120
PAGE_KIND = "wiki_page"


def quote(text: str) -> str:
    """Markdown quoting ``text`` (every line, so nothing escapes the quote)."""
    return "\n".join(f"> {line}" if line.strip() else ">" for line in text.strip().splitlines())


def page_for(actor: User, kind: str, source_id: int) -> Any | None:
    """The FAQ page made from a conversation, when ``actor`` may read it (now)."""
    return pages_for(actor, kind, [source_id]).get(source_id)


def pages_for(actor: User, kind: str, ids: Collection[int]) -> dict[int, Any]:
    """The FAQ pages made from the given conversations that ``actor`` may read, in one
    query per table (for lists)."""
    if not ids or content.registry().kind(PAGE_KIND) is None:
        return {}
    links = db.session.execute(
        select(KnowledgeLink.source_id, KnowledgeLink.page_id).where(
            KnowledgeLink.source_kind == kind,
            KnowledgeLink.source_id.in_(ids),
            KnowledgeLink.page_id.in_(content.readable_ids(actor, PAGE_KIND)),
        )
    ).all()
    pages = content.load_items((PAGE_KIND, page_id) for _source, page_id in links)
    return {source: pages[(PAGE_KIND, page_id)] for source, page_id in links}


def _made_already(kind: str, source_id: int) -> bool:
    """Whether a live page was made from the conversation (whoever may read it)."""
    found = db.session.scalar(
        select(KnowledgeLink.page_id).where(
            KnowledgeLink.source_kind == kind, KnowledgeLink.source_id == source_id
        )
    )
    if found is None:
        return False
    page = content.load_items([(PAGE_KIND, found)]).get((PAGE_KIND, found))
    return page is not None and page.deleted_at is None


def can_make_faq(actor: User, space) -> bool:
    return policy.can_contribute(actor, space)


def faq_from_question(actor: User, question_id: int) -> Any:
    """Make the answered question ``question_id`` a wiki page in the space of what it was
    asked on (the global wiki when outside spaces). Raises Invalid, Forbidden, Conflict,
    NotFound."""
    question = social.get_comment(actor, question_id)
    if not question.is_question or question.answer_id is None or question.deleted_at:
        raise Invalid(_("Only an answered question can become a wiki page."))
    if _made_already("comment", question.id):
        raise Conflict(_("This question is already a wiki page."))
    target = content.resolve(actor, question.target)
    space = getattr(target.obj, "space", None)
    if not can_make_faq(actor, space):
        raise Forbidden(_("You may not write in this wiki."))
    answer = db.session.get(Comment, question.answer_id)
    source_title = social.target_title(target.obj)
    source_url = social.target_url(target.obj)
    body = "\n\n".join(
        [
            _("**Question** from %(name)s:", name=question.author.display_name),
            quote(question.body),
            _("**Answer** from %(name)s:", name=answer.author.display_name),
            quote(answer.body),
            _(
                "From the conversation on [%(title)s](%(url)s).",
                title=source_title.replace("]", ")").replace("[", "("),
                url=f"{source_url}#comment-{question.id}",
            ),
        ]
    )
    title = excerpt(question.body_html, TITLE_WORDS) or plain_text(question.body_html)[:TITLE_WORDS]
    return _create(
        actor, _("FAQ: %(question)s", question=title), body, space, "comment", question.id
    )


def faq_from_thread(actor: User, post_id: int) -> Any:
    """Make a stream thread (a micropost and its replies) a wiki page. Raises Invalid,
    Forbidden, Conflict, NotFound."""
    post = content.resolve(actor, f"micropost:{post_id}").obj
    if post.is_reply:
        raise Invalid(_("Only a post that starts a conversation can become a wiki page."))
    if _made_already("micropost", post.id):
        raise Conflict(_("This thread is already a wiki page."))
    space = getattr(post, "space", None)
    if not can_make_faq(actor, space):
        raise Forbidden(_("You may not write in this wiki."))
    parts = [_("**%(name)s** wrote:", name=post.author.display_name), quote(post.body)]
    for reply in _thread_replies(actor, post):
        parts += [_("**%(name)s** replied:", name=reply.author.display_name), quote(reply.body)]
    url = content.url_of("micropost", post)
    parts.append(_("From the [conversation in the stream](%(url)s).", url=url))
    title = excerpt(post.body_html, TITLE_WORDS) or _("Conversation")
    faq_title = _("FAQ: %(question)s", question=title)
    return _create(actor, faq_title, "\n\n".join(parts), space, "micropost", post.id)


def _thread_replies(actor: User, post) -> list:
    """The readable replies of the conversation ``post`` starts, oldest first."""
    thread = content.registry().service("knowledge.thread")
    replies = thread(actor, post.id) if thread is not None else []
    return [reply for reply in replies if reply.id != post.id]


def _create(actor: User, title: str, body: str, space, source_kind: str, source_id: int):
    """A new FAQ page titled ``title`` (numbered when the title is taken) and its link
    row, committed together. Raises Invalid (no wiki, no free title), Conflict (made
    meanwhile by someone else: nothing is left behind)."""
    create_page = content.registry().service("knowledge.create_page")
    if create_page is None:
        raise Invalid(_("There is no wiki to write the page in."))

    def link(page) -> None:
        db.session.add(
            KnowledgeLink(
                source_kind=source_kind,
                source_id=source_id,
                page_id=page.id,
                created_by_id=actor.id,
            )
        )

    return create_page(
        actor,
        title,
        body,
        space.id if space else None,
        tags="faq",
        comment=_("From a conversation"),
        with_page=link,
    )


def answered_questions(actor: User, comments: list[Comment], space):
    """For an object's page: its answered questions, each with its FAQ page (or None), and
    whether ``actor`` may make one."""
    answered = [c for c in comments if c.is_question and c.answer_id is not None]
    pages = pages_for(actor, "comment", [c.id for c in answered])
    return [(c, pages.get(c.id)) for c in answered], can_make_faq(actor, space)


def page_panels(actor: User, kind: str, obj, *, comments=(), **_context) -> dict:
    """For a tool's page (through the registry): its answered questions with their FAQ
    pages, the FAQ page made from it, and whether ``actor`` may make one."""
    space = getattr(obj, "space", None)
    answered, may_make = answered_questions(actor, list(comments), space)
    return {
        "knowledge": answered,
        "faq_page": page_for(actor, kind, obj.id),
        "can_make_faq": may_make and not getattr(obj, "is_reply", False),
    }
