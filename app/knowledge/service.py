"""Turning an answered question or a stream thread into a wiki FAQ page."""

from __future__ import annotations

from collections.abc import Collection

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.accounts.models import User
from app.errors import Conflict, Forbidden, Invalid
from app.extensions import db
from app.home.items import item_url
from app.knowledge.models import KnowledgeLink
from app.markup import excerpt, plain_text
from app.social import service as social
from app.social import targets
from app.social.models import Comment
from app.spaces import policy
from app.wiki import service as wiki
from app.wiki.models import MAX_TITLE, Page

TITLE_WORDS = 120
MAX_TITLE_TRIES = 20


def quote(text: str) -> str:
    """Markdown quoting ``text`` (every line, so nothing escapes the quote)."""
    return "\n".join(f"> {line}" if line.strip() else ">" for line in text.strip().splitlines())


def page_for(kind: str, source_id: int) -> Page | None:
    link = db.session.scalar(
        select(KnowledgeLink)
        .where(KnowledgeLink.source_kind == kind, KnowledgeLink.source_id == source_id)
        .options(selectinload(KnowledgeLink.page))
    )
    return link.page if link is not None and link.page.deleted_at is None else None


def pages_for(kind: str, ids: Collection[int]) -> dict[int, Page]:
    """The FAQ pages made from the given conversations, in one query (for lists)."""
    if not ids:
        return {}
    links = db.session.scalars(
        select(KnowledgeLink)
        .join(Page, Page.id == KnowledgeLink.page_id)
        .where(
            KnowledgeLink.source_kind == kind,
            KnowledgeLink.source_id.in_(ids),
            Page.deleted_at.is_(None),
        )
        .options(selectinload(KnowledgeLink.page).selectinload(Page.space))
    )
    return {link.source_id: link.page for link in links}


def can_make_faq(actor: User, space) -> bool:
    return policy.can_contribute(actor, space)


def faq_from_question(actor: User, question_id: int) -> Page:
    """Make the answered question ``question_id`` a wiki page in the space of what it was
    asked on (the global wiki when outside spaces). Raises Invalid, Forbidden, Conflict,
    NotFound."""
    question = social.get_comment(actor, question_id)
    if not question.is_question or question.answer_id is None or question.deleted_at:
        raise Invalid(_("Only an answered question can become a wiki page."))
    if page_for("comment", question.id) is not None:
        raise Conflict(_("This question is already a wiki page."))
    target = targets.resolve(actor, question.target)
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
    page = _create(actor, _("FAQ: %(question)s", question=title), body, space)
    db.session.add(
        KnowledgeLink(
            source_kind="comment", source_id=question.id, page=page, created_by_id=actor.id
        )
    )
    db.session.commit()
    return page


def faq_from_thread(actor: User, post_id: int) -> Page:
    """Make a stream thread (a micropost and its replies) a wiki page. Raises Invalid,
    Forbidden, Conflict, NotFound."""
    post = targets.resolve(actor, f"micropost:{post_id}").obj
    if post.is_reply:
        raise Invalid(_("Only a post that starts a conversation can become a wiki page."))
    if page_for("micropost", post.id) is not None:
        raise Conflict(_("This thread is already a wiki page."))
    space = getattr(post, "space", None)
    if not can_make_faq(actor, space):
        raise Forbidden(_("You may not write in this wiki."))
    parts = [_("**%(name)s** wrote:", name=post.author.display_name), quote(post.body)]
    for reply in _thread_replies(actor, post):
        parts += [_("**%(name)s** replied:", name=reply.author.display_name), quote(reply.body)]
    parts.append(_("From the [conversation in the stream](%(url)s).", url=item_url(post)))
    title = excerpt(post.body_html, TITLE_WORDS) or _("Conversation")
    page = _create(actor, _("FAQ: %(question)s", question=title), "\n\n".join(parts), space)
    db.session.add(
        KnowledgeLink(source_kind="micropost", source_id=post.id, page=page, created_by_id=actor.id)
    )
    db.session.commit()
    return page


def _thread_replies(actor: User, post) -> list:
    """The readable replies of the conversation ``post`` starts, oldest first."""
    from app.microblog import service as microblog

    return [reply for reply in microblog.thread(actor, post.id) if reply.id != post.id]


def _create(actor: User, title: str, body: str, space) -> Page:
    """A new page titled ``title`` (numbered when the title is taken)."""
    base = " ".join(title.split())[: MAX_TITLE - 6]
    for number in range(1, MAX_TITLE_TRIES + 1):
        candidate = base if number == 1 else f"{base} ({number})"
        try:
            return wiki.create_page(
                actor,
                wiki.NewPage(
                    title=candidate,
                    body=body,
                    space_id=space.id if space else None,
                    tags="faq",
                    comment=_("From a conversation"),
                ),
            )
        except Invalid as err:
            if "title" not in (err.errors or {}):
                raise
    raise Invalid(_("Too many pages with this title."))


def answered_questions(actor: User, comments: list[Comment], space):
    """For an object's page: its answered questions, each with its FAQ page (or None), and
    whether ``actor`` may make one."""
    answered = [c for c in comments if c.is_question and c.answer_id is not None]
    pages = pages_for("comment", [c.id for c in answered])
    return [(c, pages.get(c.id)) for c in answered], can_make_faq(actor, space)
