"""Posting, replying, editing, removing and pinning microposts. The only module that writes
the microblog's tables; the streams live in ``app.microblog.streams``."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import timedelta
from typing import BinaryIO

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import joinedload, selectinload

from app.accounts.models import User
from app.audit import service as audit
from app.clock import utcnow
from app.errors import Conflict, Forbidden, Invalid, NotFound
from app.extensions import db
from app.markup import excerpt, render_micro
from app.microblog.models import Micropost, PostAttachment, PostMention, PostTag
from app.microblog.previews import find_preview
from app.social import notifications
from app.social.links import ContentLinks
from app.spaces import policy
from app.spaces.models import Space
from app.uploads import texts
from app.uploads.store import save_upload
from app.urls import path_for

REMOVAL_REASON_MAX = 500
NOTIFICATION_TITLE_LENGTH = 120
MAX_ATTACHMENTS = 4


@dataclass(frozen=True, slots=True)
class NewFile:
    stream: BinaryIO
    filename: str


@dataclass(frozen=True, slots=True)
class NewPost:
    body: str
    space_id: int | None = None
    reply_to: int | None = None
    files: tuple[NewFile, ...] = ()


def get_post(actor: User, post_id: int) -> Micropost:
    """The post if ``actor`` may read it. Raises NotFound (also for members-only posts)."""
    post = db.session.get(Micropost, post_id)
    if post is None or not policy.can_read(actor, post):
        raise NotFound(_("No such post."))
    return post


def create_post(actor: User, new: NewPost) -> Micropost:
    """Post to the organisation or a space, or reply to a readable post (a reply belongs to
    its conversation's space). Raises Invalid, NotFound, Forbidden."""
    body = _checked_body(new.body)
    if len(new.files) > MAX_ATTACHMENTS:
        message = _("Attach at most %(max)d images or files.", max=MAX_ATTACHMENTS)
        raise Invalid(message, {"files": [message]})
    reply_to = None
    if new.reply_to is not None:
        reply_to = get_post(actor, new.reply_to)
        space = reply_to.space
        # Like comments, any reader of a conversation may answer it: answers come from
        # unexpected places. Only starting a post in a space needs membership.
    else:
        space = None
        if new.space_id is not None:
            space = db.session.get(Space, new.space_id)
            if space is None or not policy.can_read_space(actor, space):
                raise NotFound(_("No such space."), {"space_id": [_("No such space.")]})
        if not policy.can_contribute(actor, space):
            raise Forbidden(_("Only members may post in this space."))
    post = Micropost(
        author=actor,
        space=space,
        reply_to=reply_to,
        root_id=reply_to.conversation_id if reply_to else None,
    )
    mentioned = _render_into(actor, post, body)
    for position, new_file in enumerate(new.files):
        # Raises Invalid or TooLarge before anything is committed.
        upload = save_upload(actor, new_file.stream, new_file.filename)
        # Read in the background (never here): the text becomes searchable under the post.
        texts.request_text(upload)
        post.attachments.append(PostAttachment(upload=upload, position=position))
    db.session.add(post)
    db.session.commit()
    _tell_about_post(actor, post, mentioned)
    return post


def edit_post(actor: User, post_id: int, body: str) -> Micropost:
    """Change one's own post within the edit window. Raises NotFound, Forbidden, Conflict,
    Invalid."""
    post = editable_post(actor, post_id)
    before = {row.user_id for row in post.mentions}
    mentioned = _render_into(actor, post, _checked_body(body))
    post.edited_at = utcnow()
    db.session.commit()
    # Only people newly mentioned hear of the edit.
    _tell_about_post(actor, post, [person for person in mentioned if person.id not in before])
    return post


def has_posted(actor: User) -> bool:
    """Whether ``actor`` ever wrote in the stream (their own posts, removed ones too)."""
    query = select(Micropost.id).where(Micropost.author_id == actor.id).limit(1)
    return db.session.scalar(query) is not None


def get_attachment(actor: User, post_id: int, attachment_id: int) -> PostAttachment:
    """An attachment of a post ``actor`` may read. Raises NotFound."""
    post = get_post(actor, post_id)
    attachment = db.session.get(PostAttachment, attachment_id)
    if attachment is None or attachment.post_id != post.id:
        raise NotFound(_("No such attachment."))
    return attachment


def get_file(actor: User, attachment_id: int) -> PostAttachment:
    """An attachment of any post ``actor`` may read. Raises NotFound."""
    attachment = db.session.get(PostAttachment, attachment_id)
    if attachment is None:
        raise NotFound(_("No such attachment."))
    return get_attachment(actor, attachment.post_id, attachment_id)


def readable_files(actor: User) -> ColumnElement[bool]:
    """Condition on PostAttachment: the attachments of posts ``actor`` may read."""
    return PostAttachment.post_id.in_(select(Micropost.id).where(policy.readable(actor, Micropost)))


def editable_post(actor: User, post_id: int) -> Micropost:
    """The post, if ``actor`` may edit it now. Raises NotFound, Forbidden, Conflict."""
    post = get_post(actor, post_id)
    if post.author_id != actor.id:
        raise Forbidden(_("Only the author may edit a post."))
    if not is_editable(post):
        raise Conflict(
            _(
                "A post can be edited for %(minutes)d minutes only.",
                minutes=current_app.config["MICROPOST_EDIT_MINUTES"],
            )
        )
    return post


def can_edit_now(actor: User, post: Micropost) -> bool:
    """May ``actor`` edit ``post`` now (its author, inside the window)? For buttons."""
    return post.author_id == actor.id and is_editable(post)


def is_editable(post: Micropost) -> bool:
    """Is the post still inside its edit window?"""
    window = timedelta(minutes=current_app.config["MICROPOST_EDIT_MINUTES"])
    return utcnow() - post.created_at <= window


def delete_post(actor: User, post_id: int, reason: str | None = None) -> Micropost:
    """The author deletes their post; administrators and space owners remove another's post
    with a reason, which is kept for the author. Raises NotFound, Forbidden, Invalid."""
    post = get_post(actor, post_id)
    if post.author_id != actor.id:
        if not policy.can_edit(actor, post):
            raise Forbidden(_("You may not remove this post."))
        reason = (reason or "").strip()
        if not reason:
            message = _("Say why you remove the post: its author will read it.")
            raise Invalid(message, {"reason": [message]})
        if len(reason) > REMOVAL_REASON_MAX:
            message = _("A reason has at most %(max)d characters.", max=REMOVAL_REASON_MAX)
            raise Invalid(message, {"reason": [message]})
        post.removed_by_id = actor.id
        post.removal_reason = reason
    post.deleted_at = utcnow()
    post.pinned_at = None
    question = db.session.get(Micropost, post.root_id) if post.root_id is not None else None
    if question is not None and question.answer_id == post.id:
        question.answer = None  # a deleted reply answers nothing, and earns no credit
    audit.record(
        "content_deleted",
        actor=actor,
        subject=f"micropost:{post.id}",
        details={"reason": reason} if post.removed_by_id else {},
    )
    db.session.commit()
    return post


def mark_answer(actor: User, question_id: int, reply_id: int) -> Micropost:
    """The asker marks a reply in their conversation as its answer, in place of an earlier
    mark (the policy may let moderators of the stream do it too). Returns the question.
    Raises NotFound, Forbidden, Invalid."""
    question = _question_to_mark(actor, question_id)
    reply = db.session.get(Micropost, reply_id)
    # One message for every reply that is not a readable, live reply of this conversation:
    # a reader must not learn which ids exist elsewhere.
    if (
        reply is None
        or reply.root_id != question.id
        or reply.deleted_at is not None
        or not policy.can_read(actor, reply)
    ):
        message = _("Choose a reply of this conversation.")
        raise Invalid(message, {"reply_id": [message]})
    if reply.author_id == question.author_id:
        message = _("The asker's own reply cannot be the answer.")
        raise Invalid(message, {"reply_id": [message]})
    question.answer = reply
    db.session.commit()
    return question


def clear_answer(actor: User, question_id: int) -> Micropost:
    """Take the mark off the conversation's answer. Raises NotFound, Forbidden, Invalid."""
    question = _question_to_mark(actor, question_id)
    question.answer = None
    db.session.commit()
    return question


def marked_answer(question: Micropost) -> Micropost | None:
    """The reply marked as the answer to ``question``, unless it was deleted since."""
    answer = question.answer
    return answer if answer is not None and answer.deleted_at is None else None


def can_mark_answer(actor: User, post: Micropost) -> bool:
    """May ``actor`` mark the answer of the conversation ``post`` starts? For buttons."""
    return not post.is_reply and policy.can_mark_answer(actor, post)


def _question_to_mark(actor: User, question_id: int) -> Micropost:
    question = get_post(actor, question_id)
    if question.is_reply:
        raise Invalid(_("Only the post that starts a conversation has an answer."))
    if not policy.can_mark_answer(actor, question):
        raise Forbidden(_("Only the one who asked may mark the answer."))
    return question


def removed_posts_of(actor: User) -> list[Micropost]:
    """The author's posts that moderators removed, with their reasons, newest first."""
    query = (
        select(Micropost)
        .where(
            Micropost.author_id == actor.id,
            Micropost.deleted_at.is_not(None),
            Micropost.removed_by_id.is_not(None),
        )
        .order_by(Micropost.deleted_at.desc())
        .limit(50)
    )
    return list(db.session.scalars(query))


def pin_post(actor: User, post_id: int) -> Micropost:
    """Pin an announcement to the top of its stream. Raises NotFound, Forbidden, Invalid."""
    post = get_post(actor, post_id)
    if not policy.can_pin(actor, post.space):
        raise Forbidden(_("You may not pin posts in this stream."))
    if post.is_reply:
        raise Invalid(_("Only a post that starts a conversation can be pinned."))
    post.pinned_at = utcnow()
    post.pinned_by_id = actor.id
    db.session.commit()
    return post


def unpin_post(actor: User, post_id: int) -> Micropost:
    """Take an announcement off the top of its stream. Raises NotFound, Forbidden."""
    post = get_post(actor, post_id)
    if not policy.can_pin(actor, post.space):
        raise Forbidden(_("You may not pin posts in this stream."))
    post.pinned_at = None
    post.pinned_by_id = None
    db.session.commit()
    return post


def thread(actor: User, post_id: int) -> list[Micropost]:
    """The readable posts of the conversation ``post_id`` belongs to, oldest first.
    Raises NotFound."""
    post = get_post(actor, post_id)
    root_id = post.conversation_id
    query = (
        select(Micropost)
        .where(
            policy.readable(actor, Micropost),
            (Micropost.id == root_id) | (Micropost.root_id == root_id),
        )
        .options(
            joinedload(Micropost.author),  # in the same statement: one each per post
            joinedload(Micropost.space),
            selectinload(Micropost.attachments).selectinload(PostAttachment.upload),
        )
        .order_by(Micropost.created_at, Micropost.id)
    )
    return list(db.session.scalars(query))


def visible_length(text: str) -> int:
    """Characters as the reader sees them: code points after NFC composition, so "ü" typed
    as u + combining diaeresis counts once. (Emoji built from several code points still
    count as several; full grapheme clusters would need a library we do not ship.)"""
    return len(unicodedata.normalize("NFC", text))


def _checked_body(raw: str) -> str:
    body = unicodedata.normalize("NFC", (raw or "").strip())
    limit = current_app.config["MICROPOST_MAX_LENGTH"]
    if not body:
        message = _("Write something first.")
        raise Invalid(message, {"body": [message]})
    if visible_length(body) > limit:
        message = _("A post has at most %(max)d characters.", max=limit)
        raise Invalid(message, {"body": [message]})
    return body


def _render_into(actor: User, post: Micropost, body: str) -> list[User]:
    """Render ``body`` and store the HTML, tags, mentions and link preview beside it.
    Returns the people mentioned."""
    space_id = post.space.id if post.space is not None else None
    rendered = render_micro(body, ContentLinks(space_id))
    post.body = body
    post.body_html = rendered.html
    # Keep the rows that stay: the unit of work inserts before it deletes, so a fresh row
    # for an unchanged tag would collide with the old one.
    kept_tags = {row.tag: row for row in post.tags}
    post.tags = [kept_tags.get(tag) or PostTag(tag=tag) for tag in rendered.tags]
    mentioned: list[User] = []
    if rendered.mentions:
        mentioned = list(
            db.session.scalars(
                select(User).where(User.username.in_(rendered.mentions), User.id != actor.id)
            )
        )
    kept_mentions = {row.user_id: row for row in post.mentions}
    post.mentions = [kept_mentions.get(user.id) or PostMention(user=user) for user in mentioned]
    preview = find_preview(actor, rendered.html, post.space)
    post.preview_url = preview.url if preview else None
    post.preview_title = preview.title if preview else None
    post.preview_space = preview.space if preview else None
    post.preview_excerpt = preview.excerpt if preview else None
    return mentioned


def _tell_about_post(actor: User, post: Micropost, mentioned: list[User]) -> None:
    """Mentioned people hear of a post as a mention, the author of the answered post as a
    reply: each person once, the most personal way (notify skips those who may not read)."""
    title = excerpt(post.body_html, NOTIFICATION_TITLE_LENGTH)
    url = path_for("microblog.show_post", post_id=post.id) + f"#post-{post.id}"
    replied_to = [post.reply_to.author] if post.reply_to is not None else []
    told = {person.id for person in mentioned}
    for kind, people in (
        ("mention", mentioned),
        ("reply", [person for person in replied_to if person.id not in told]),
    ):
        notifications.notify(
            people,
            kind,
            actor=actor,
            subject=post,
            title=title,
            url=url,
            target=f"micropost:{post.id}",
        )


def spaces_to_post_in(actor: User) -> list[Space]:
    """The spaces ``actor`` may start posts in (their memberships), by name."""
    query = select(Space).where(Space.id.in_(policy.member_space_ids(actor))).order_by(Space.name)
    return list(db.session.scalars(query))
