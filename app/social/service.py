"""Comments, likes and follows for every tool. The only module that writes their tables."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import ColumnElement, and_, delete, func, select
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from app import content
from app.accounts.models import User
from app.audit import service as audit
from app.clock import utcnow
from app.errors import Conflict, Forbidden, Invalid, NotFound
from app.extensions import db
from app.inputs import id_or_none
from app.markup import normalize_tag, render_micro
from app.social import notifications
from app.social.links import ContentLinks
from app.social.models import Comment, Follow, Like
from app.spaces import policy
from app.spaces.models import Space

FOLLOW_KINDS = ("user", "space", "tag", "blog")


@dataclass(frozen=True, slots=True)
class NewComment:
    target: str
    body: str
    is_question: bool = False
    parent_id: int | None = None


# --- comments -----------------------------------------------------------------------------


def get_comment(actor: User, comment_id: int) -> Comment:
    """A comment ``actor`` may read: visible, and on an item they may read now (wherever
    it moved since, draft or not). Raises NotFound."""
    comment = db.session.get(Comment, comment_id)
    if comment is None or not actor.active or not _target_readable(actor, comment):
        raise NotFound(_("No such comment."))
    if comment.deleted_at is not None and not actor.is_admin:
        raise NotFound(_("No such comment."))
    return comment


def _target_readable(actor: User, comment: Comment) -> bool:
    kind = content.registry().kind(comment.target_kind)
    return (
        kind is not None
        and kind.commentable
        and (content.readable_target(actor, comment.target_kind, comment.target_id) is not None)
    )


def readable_comments(actor: User) -> ColumnElement[bool]:
    """Condition on Comment: visible comments on items ``actor`` may read now."""
    commentable = [kind.name for kind in content.registry().where(commentable=True)]
    return and_(
        Comment.deleted_at.is_(None),
        content.attached_readable(actor, Comment.target_kind, Comment.target_id, commentable),
    )


def add_comment(actor: User, new: NewComment) -> Comment:
    """Comment on a readable target, or reply to a comment on it. Raises Invalid, NotFound."""
    target = content.resolve(actor, new.target)
    if not content.registry().kinds[target.kind].commentable:
        raise Invalid(_("This cannot be commented on."), {"target": [_("Not commentable.")]})
    body = new.body.strip()
    limit = current_app.config["COMMENT_MAX_LENGTH"]
    if not body:
        raise Invalid(_("Write a comment first."), {"body": [_("Write a comment first.")]})
    if len(body) > limit:
        message = _("A comment has at most %(max)d characters.", max=limit)
        raise Invalid(message, {"body": [message]})
    parent = None
    if new.parent_id is not None:
        parent = db.session.get(Comment, new.parent_id)
        if parent is None or parent.target != target.key or parent.deleted_at is not None:
            raise NotFound(_("No such comment."), {"parent_id": [_("No such comment.")]})
        # One level of replies: answering a reply answers its thread.
        parent = parent.parent or parent
    rendered = render_micro(body, ContentLinks(target.space_id))
    comment = Comment(
        target_kind=target.kind,
        target_id=target.id,
        space_id=target.space_id,
        author=actor,
        parent=parent,
        body=body,
        body_html=rendered.html,
        is_question=new.is_question and parent is None,
    )
    db.session.add(comment)
    db.session.commit()
    _tell_about_comment(actor, comment, target, rendered.mentions)
    return comment


def _tell_about_comment(actor: User, comment: Comment, target, mentions) -> None:
    """Mentioned people hear of it as a mention, the thread's author as a reply, the
    target's author as a comment: each person once, the most personal way."""
    title, url = target_title(target.obj), f"{target_url(target.obj)}#comment-{comment.id}"
    told: set[int] = set()
    mentioned = list(db.session.scalars(select(User).where(User.username.in_(mentions))))
    plan = [
        ("mention", mentioned),
        ("reply", [comment.parent.author] if comment.parent else []),
        ("comment", [p for p in [target_author(target.obj)] if p is not None]),
    ]
    for kind, people in plan:
        fresh = [person for person in people if person.id not in told]
        told.update(person.id for person in fresh)
        notifications.notify(
            fresh, kind, actor=actor, subject=comment, title=title, url=url, target=target.key
        )


def target_author(obj) -> User | None:
    """Whoever a tool's object belongs to: its author, else its owner."""
    author_id = getattr(obj, "author_id", None) or getattr(obj, "owner_id", None)
    return db.session.get(User, author_id) if author_id else None


def target_title(obj) -> str:
    """Any declared item's title (a comment's: its item's)."""
    kind = content.kind_of(obj)
    if kind is None:
        return ""
    return kind.title(obj)


def target_url(obj) -> str:
    """Any declared item's address (a comment's: its place under its item)."""
    kind = content.kind_of(obj)
    return kind.url(obj) if kind is not None else ""


def comments_on(actor: User, target_key: str) -> list[Comment]:
    """Top-level comments on a readable target, oldest first, replies loaded."""
    return _comments_of(content.resolve(actor, target_key))


def _comments_of(target: content.Target) -> list[Comment]:
    # One statement whatever the number of comments: every comment on the target with its
    # author, the replies then hung under their comments.
    rows = db.session.scalars(
        select(Comment)
        .where(Comment.target_kind == target.kind, Comment.target_id == target.id)
        .options(joinedload(Comment.author))
        .order_by(Comment.created_at, Comment.id)
    ).all()
    return _threads(rows)


def _threads(rows: list[Comment]) -> list[Comment]:
    """The visible top-level comments of ``rows`` (oldest first), each with its replies."""
    replies: dict[int, list[Comment]] = {}
    for row in rows:
        if row.parent_id is not None:
            replies.setdefault(row.parent_id, []).append(row)
    top_level = [row for row in rows if row.parent_id is None and row.deleted_at is None]
    for comment in top_level:
        set_committed_value(comment, "replies", replies.get(comment.id, []))
    return top_level


@dataclass(frozen=True, slots=True)
class Conversation:
    """What a page shows under an object: its comments and its likes."""

    target: str
    comments: list[Comment]
    likes: int
    liked: bool
    can_mark_answer: bool


def conversation(actor: User, target_key: str) -> Conversation:
    """Comments and likes of a readable target, for its page. Raises Invalid, NotFound."""
    target = content.resolve(actor, target_key)
    # One statement whatever the numbers: the likes counted into a one-row table, every
    # comment with its author joined to it (no comments: that one row, without a comment).
    counts = (
        select(
            func.count().label("likes"),
            func.count().filter(Like.user_id == actor.id).label("liked"),
        )
        .where(Like.target_kind == target.kind, Like.target_id == target.id)
        .subquery()
    )
    rows = db.session.execute(
        select(counts.c.likes, counts.c.liked, Comment)
        .select_from(counts)
        .outerjoin(
            Comment, and_(Comment.target_kind == target.kind, Comment.target_id == target.id)
        )
        .options(joinedload(Comment.author))
        .order_by(Comment.created_at, Comment.id)
    ).all()
    return Conversation(
        target=target.key,
        comments=_threads([row.Comment for row in rows if row.Comment is not None]),
        likes=rows[0].likes,
        liked=bool(rows[0].liked),
        can_mark_answer=policy.can_mark_answer(actor, target.obj),
    )


def mark_answer(actor: User, reply_id: int) -> Comment:
    """Mark a reply as the answer to its question. Only those who may edit the commented
    object (its authors, the space's owners, administrators) do. Raises Forbidden, Invalid."""
    reply = get_comment(actor, reply_id)
    question = reply.parent
    if question is None or not question.is_question:
        raise Invalid(_("Only a reply to a question can be its answer."))
    target = content.resolve(actor, question.target)
    if not policy.can_mark_answer(actor, target.obj):
        raise Forbidden(_("Only the authors may mark an answer."))
    question.answer_id = reply.id
    db.session.commit()
    notifications.notify(
        [question.author],
        "answer",
        actor=reply.author,
        subject=question,
        title=target_title(target.obj),
        url=f"{target_url(target.obj)}#comment-{reply.id}",
        target=target.key,
    )
    return question


def delete_comment(actor: User, comment_id: int) -> None:
    """Remove a comment (its author, the target's editors, administrators). Raises Forbidden."""
    comment = get_comment(actor, comment_id)
    if comment.author_id != actor.id:
        target = content.resolve(actor, comment.target)
        if not policy.can_edit(actor, target.obj):
            raise Forbidden(_("You may not remove this comment."))
    comment.deleted_at = utcnow()
    audit.record("content_deleted", actor=actor, subject=f"comment:{comment.id}")
    db.session.commit()


def comment_counts(kind: str, ids: Collection[int]) -> dict[int, int]:
    """Visible comments per target id, in one query (for lists)."""
    if not ids:
        return {}
    query = (
        select(Comment.target_id, func.count())
        .where(
            Comment.target_kind == kind,
            Comment.target_id.in_(ids),
            Comment.deleted_at.is_(None),
        )
        .group_by(Comment.target_id)
    )
    return dict(db.session.execute(query).all())


def unanswered_questions(actor: User, kind: str, ids: Collection[int]) -> list[Comment]:
    """Open questions on the given targets, oldest first."""
    if not ids:
        return []
    query = (
        select(Comment)
        .where(
            Comment.target_kind == kind,
            Comment.target_id.in_(ids),
            Comment.is_question.is_(True),
            Comment.answer_id.is_(None),
            readable_comments(actor),
        )
        .options(selectinload(Comment.author))
        .order_by(Comment.created_at)
    )
    return list(db.session.scalars(query))


# --- likes --------------------------------------------------------------------------------


def like(actor: User, target_key: str) -> Like:
    """Like a readable target. Raises Invalid, NotFound, Conflict (liked already)."""
    target = content.resolve(actor, target_key)
    if not content.registry().kinds[target.kind].likeable:
        raise Invalid(_("This cannot be liked."), {"target": [_("Not likeable.")]})
    existing = db.session.scalar(_like_query(actor, target.kind, target.id))
    if existing is not None:
        raise Conflict(_("You like this already."))
    liked = Like(target_kind=target.kind, target_id=target.id, user=actor)
    db.session.add(liked)
    db.session.commit()
    author = target_author(target.obj)
    notifications.notify(
        [author] if author else [],
        "like",
        actor=actor,
        subject=target.obj,
        title=target_title(target.obj),
        url=target_url(target.obj),
        target=target.key,
    )
    return liked


def unlike(actor: User, target_key: str) -> None:
    """Withdraw a like. Raises Invalid or NotFound."""
    kind, target_id = content.parse(target_key)
    existing = db.session.scalar(_like_query(actor, kind, target_id))
    if existing is None:
        raise NotFound(_("You do not like this."))
    db.session.delete(existing)
    db.session.commit()


def like_counts(kind: str, ids: Collection[int]) -> dict[int, int]:
    """Likes per target id, in one query (for lists)."""
    if not ids:
        return {}
    query = (
        select(Like.target_id, func.count())
        .where(Like.target_kind == kind, Like.target_id.in_(ids))
        .group_by(Like.target_id)
    )
    return dict(db.session.execute(query).all())


def like_figures(actor: User, kind: str, ids: Collection[int]) -> tuple[dict[int, int], set[int]]:
    """Likes per target id, and which of them ``actor`` likes, in one grouped query."""
    if not ids:
        return {}, set()
    query = (
        select(Like.target_id, func.count(), func.count().filter(Like.user_id == actor.id))
        .where(Like.target_kind == kind, Like.target_id.in_(ids))
        .group_by(Like.target_id)
    )
    rows = db.session.execute(query).all()
    return {row[0]: row[1] for row in rows}, {row[0] for row in rows if row[2]}


def _like_query(actor: User, kind: str, target_id: int):
    return select(Like).where(
        Like.target_kind == kind, Like.target_id == target_id, Like.user_id == actor.id
    )


# --- follows ------------------------------------------------------------------------------


def follow(actor: User, target: str) -> Follow:
    """Follow ``user:NAME``, ``space:ID``, ``tag:NAME`` or ``blog:ID``.
    Raises Invalid, NotFound, Conflict."""
    kind, key = _follow_target(actor, target)
    existing = db.session.scalar(_follow_query(actor, kind, key))
    if existing is not None:
        raise Conflict(_("You follow this already."))
    followed = Follow(user_id=actor.id, target_kind=kind, target_key=key)
    db.session.add(followed)
    db.session.commit()
    return followed


def unfollow(actor: User, target: str) -> None:
    """Stop following. Raises Invalid or NotFound."""
    kind, _sep, raw_key = target.strip().partition(":")
    key = _normal_follow_key(kind, raw_key)
    existing = db.session.scalar(_follow_query(actor, kind, key))
    if existing is None:
        raise NotFound(_("You do not follow this."))
    db.session.delete(existing)
    db.session.commit()


def follows_of(actor: User, kind: str) -> set[str]:
    """The keys of everything of ``kind`` that ``actor`` follows."""
    query = select(Follow.target_key).where(Follow.user_id == actor.id, Follow.target_kind == kind)
    return set(db.session.scalars(query))


def follower_ids(kind: str, key: str) -> list[int]:
    query = select(Follow.user_id).where(Follow.target_kind == kind, Follow.target_key == key)
    return list(db.session.scalars(query))


def remove_follows_of(user: User) -> None:
    """Forget everything ``user`` follows (used when erasing a former colleague)."""
    db.session.execute(delete(Follow).where(Follow.user_id == user.id))


def _follow_target(actor: User, target: str) -> tuple[str, str]:
    kind, _sep, raw_key = (target or "").strip().partition(":")
    if kind not in FOLLOW_KINDS or not raw_key.strip():
        raise Invalid(
            _("Unknown target: %(target)s", target=target[:60]),
            {"target": [_("Use user:NAME, space:ID, tag:NAME or blog:ID.")]},
        )
    key = _normal_follow_key(kind, raw_key)
    if kind == "user":
        person = db.session.scalar(select(User).where(User.username == key))
        if person is None:
            raise NotFound(_("No such person."))
        if person.id == actor.id:
            raise Invalid(_("You cannot follow yourself."))
    elif kind == "space":
        space_id = id_or_none(key)
        space = db.session.get(Space, space_id) if space_id else None
        if space is None or not policy.can_read_space(actor, space):
            raise NotFound(_("No such space."))
    elif kind == "blog":
        content.resolve(actor, f"blog:{key}")  # raises NotFound for unreadable blogs
    return kind, key


def _normal_follow_key(kind: str, raw_key: str) -> str:
    key = raw_key.strip()
    if kind == "user":
        return key.lower()
    if kind == "tag":
        return normalize_tag(key.lstrip("#"))
    return key


def _follow_query(actor: User, kind: str, key: str):
    return select(Follow).where(
        Follow.user_id == actor.id, Follow.target_kind == kind, Follow.target_key == key
    )
