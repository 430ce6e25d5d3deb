"""The streams: Following, All, a space's, a hashtag's and a person's posts.

Streams page by a keyset cursor on (created_at, id), never OFFSET, so page 50 costs what
page 1 costs. A page is a fixed number of queries whatever it holds: the posts (with their
authors and spaces), the pinned announcements, likes, my likes and the reply counts.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from app.accounts.models import User
from app.errors import Invalid, NotFound
from app.extensions import db
from app.inputs import id_or_none
from app.markup import normalize_tag
from app.microblog import service
from app.microblog.models import Micropost, PostAttachment, PostTag
from app.social import service as social
from app.social.models import Follow
from app.spaces import policy
from app.spaces.models import Space

STREAM_KINDS = ("following", "all", "space", "tag", "person")
LIKE_KIND = "micropost"
BEGINNING = datetime(2000, 1, 1)


@dataclass(frozen=True, slots=True)
class Stream:
    """Which stream: ``kind`` and, for space/tag/person, its key (space id, tag, username)."""

    kind: str = "following"
    key: str | None = None

    @property
    def token(self) -> str:
        """ "all", "space:3", "tag:öpnv": how the live-update endpoint names the stream."""
        return self.kind if self.key is None else f"{self.kind}:{self.key}"

    @classmethod
    def parse(cls, raw: str | None) -> Stream:
        """The stream a token names. Raises Invalid."""
        kind, _sep, key = (raw or "following").partition(":")
        if kind not in STREAM_KINDS or (kind in ("following", "all")) == bool(key):
            raise Invalid(_("Unknown stream."), {"stream": [_("Unknown stream.")]})
        if kind == "tag":
            key = normalize_tag(key.lstrip("#"))
        return cls(kind, key or None)


@dataclass(frozen=True, slots=True)
class Cursor:
    created_at: datetime
    id: int

    def encode(self) -> str:
        raw = f"{self.created_at.isoformat()}|{self.id}".encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def decode(cls, token: str) -> Cursor:
        """Raises Invalid for anything that is not a cursor we gave out."""
        try:
            padded = token + "=" * (-len(token) % 4)
            created, _sep, post_id = base64.urlsafe_b64decode(padded).decode().partition("|")
            return cls(datetime.fromisoformat(created), int(post_id))
        except (ValueError, binascii.Error, UnicodeDecodeError) as err:
            raise Invalid(_("Unknown cursor."), {"cursor": [_("Unknown cursor.")]}) from err

    @classmethod
    def of(cls, post: Micropost) -> Cursor:
        return cls(post.created_at, post.id)


@dataclass(slots=True)
class StreamPage:
    """One page of a stream and what its template needs, fetched in bulk."""

    posts: list[Micropost]
    pinned: list[Micropost]
    next_cursor: str | None
    newest_cursor: str | None
    like_counts: dict[int, int] = field(default_factory=dict)
    liked: set[int] = field(default_factory=set)
    reply_counts: dict[int, int] = field(default_factory=dict)
    removable: set[int] = field(default_factory=set)  # ids actor may delete or remove
    pinnable: set[int] = field(default_factory=set)  # ids actor may pin or unpin
    editable: set[int] = field(default_factory=set)  # ids actor may edit now
    # On a conversation: its marked answer (shown right below the question), and the
    # replies the actor may mark as the answer (the asker's own replies are none of them).
    answer: Micropost | None = None
    answerable: set[int] = field(default_factory=set)
    can_mark_answer: bool = False


def default_tab(actor: User) -> str:
    """Following for those who follow someone or something, else All: a newcomer's stream
    should not start empty."""
    follows_anything = db.session.scalar(
        select(Follow.id).where(Follow.user_id == actor.id, Follow.target_kind != "blog").limit(1)
    )
    return "following" if follows_anything is not None else "all"


def stream_page(
    actor: User, stream: Stream, cursor: str | None = None, limit: int | None = None
) -> StreamPage:
    """A page of ``stream``, newest first, after ``cursor``. Raises Invalid, NotFound."""
    limit = min(
        limit or current_app.config["STREAM_PAGE_SIZE"], current_app.config["MAX_PAGE_SIZE"]
    )
    query = _stream_query(actor, stream)
    if cursor:
        after = Cursor.decode(cursor)
        query = query.where(
            or_(
                Micropost.created_at < after.created_at,
                and_(Micropost.created_at == after.created_at, Micropost.id < after.id),
            )
        )
    rows = list(
        db.session.scalars(
            _with_people(query)
            .order_by(Micropost.created_at.desc(), Micropost.id.desc())
            # One more than asked tells whether there is a next page.
            .limit(limit + 1)
        )
    )
    posts, more = rows[:limit], len(rows) > limit
    pinned = [] if cursor else pinned_posts(actor, stream)
    page = StreamPage(
        posts=posts,
        pinned=pinned,
        next_cursor=Cursor.of(posts[-1]).encode() if more else None,
        newest_cursor=None if cursor else _newest_cursor(posts),
    )
    decorate(actor, page, posts + pinned)
    return page


def _newest_cursor(posts: list[Micropost]) -> str:
    """Where live updates count from: the newest post shown, or the beginning of time for
    an empty stream (so its first post is announced too)."""
    return (Cursor.of(posts[0]) if posts else Cursor(BEGINNING, 0)).encode()


def thread_page(actor: User, post_id: int) -> StreamPage:
    """The conversation ``post_id`` belongs to, oldest first, with likes and flags.
    Raises NotFound."""
    conversation = service.thread(actor, post_id)
    page = StreamPage(posts=conversation, pinned=[], next_cursor=None, newest_cursor=None)
    decorate(actor, page, conversation)
    question = conversation[0]
    if question.is_reply:  # the question is gone or unreadable: nothing to mark
        return page
    page.answer = next((post for post in conversation if post.id == question.answer_id), None)
    page.can_mark_answer = service.can_mark_answer(actor, question)
    if page.can_mark_answer:
        page.answerable = {
            post.id
            for post in conversation[1:]
            if post.author_id != question.author_id and post.deleted_at is None
        }
    return page


def decorate(actor: User, page: StreamPage, posts: list[Micropost]) -> None:
    """Fill likes, my likes, reply counts and moderation flags for ``posts`` in bulk."""
    ids = [post.id for post in posts]
    page.like_counts, page.liked = social.like_figures(actor, LIKE_KIND, ids)
    page.reply_counts = reply_counts(actor, ids)
    owned = policy.owned_space_ids(actor)
    page.editable = {post.id for post in posts if service.can_edit_now(actor, post)}
    page.removable = {post.id for post in posts if policy.can_edit_listed(actor, post, owned)}
    page.pinnable = {
        post.id
        for post in posts
        if not post.is_reply and policy.can_pin_listed(actor, post.space_id, owned)
    }


def pinned_posts(actor: User, stream: Stream) -> list[Micropost]:
    """Announcements pinned to this stream, most recently pinned first: the organisation's
    on Following and All, a space's on its stream."""
    if stream.kind in ("following", "all"):
        where_space: ColumnElement[bool] = Micropost.space_id.is_(None)
    elif stream.kind == "space":
        where_space = Micropost.space_id == (id_or_none(stream.key) or 0)
    else:
        return []
    query = (
        select(Micropost)
        .where(policy.readable(actor, Micropost), Micropost.pinned_at.is_not(None), where_space)
        .order_by(Micropost.pinned_at.desc())
        .limit(current_app.config["STREAM_PAGE_SIZE"])
    )
    return list(db.session.scalars(_with_people(query)))


def reply_counts(actor: User, ids: list[int]) -> dict[int, int]:
    """Readable replies per conversation, in one query."""
    if not ids:
        return {}
    query = (
        select(Micropost.root_id, func.count())
        .where(Micropost.root_id.in_(ids), policy.readable(actor, Micropost))
        .group_by(Micropost.root_id)
    )
    return dict(db.session.execute(query).all())


def new_posts(actor: User, stream: Stream, since: str | None) -> tuple[int, str | None]:
    """How many posts arrived in ``stream`` after the cursor ``since``, and the cursor of
    the newest post. Raises Invalid, NotFound."""
    query = _stream_query(actor, stream)
    newest = db.session.scalar(
        query.order_by(Micropost.created_at.desc(), Micropost.id.desc()).limit(1)
    )
    newest_cursor = Cursor.of(newest).encode() if newest else None
    if not since:
        return 0, newest_cursor
    after = Cursor.decode(since)
    newer = query.where(
        or_(
            Micropost.created_at > after.created_at,
            and_(Micropost.created_at == after.created_at, Micropost.id > after.id),
        )
    )
    count = db.session.scalar(select(func.count()).select_from(newer.subquery())) or 0
    return count, newest_cursor


def stream_space(actor: User, slug: str) -> Space:
    """The space whose stream ``actor`` wants to read. Raises NotFound."""
    space = db.session.scalar(select(Space).where(Space.slug == slug))
    if space is None or not policy.can_read_space(actor, space):
        raise NotFound(_("No such space."))
    return space


def stream_person(username: str) -> User:
    """Raises NotFound."""
    person = db.session.scalar(select(User).where(User.username == username.lower()))
    if person is None:
        raise NotFound(_("No such person."))
    return person


def _stream_query(actor: User, stream: Stream) -> Select:
    """Readable posts that start a conversation (replies show on the thread page)."""
    query = select(Micropost).where(
        policy.readable(actor, Micropost), Micropost.reply_to_id.is_(None)
    )
    if stream.kind in ("following", "all"):
        # The organisation's announcements stand above the stream, not again within it.
        query = query.where(~and_(Micropost.pinned_at.is_not(None), Micropost.space_id.is_(None)))
    if stream.kind == "following":
        return query.where(_following(actor))
    if stream.kind == "space":
        space_id = id_or_none(stream.key)
        space = db.session.get(Space, space_id) if space_id else None
        if space is None or not policy.can_read_space(actor, space):
            raise NotFound(_("No such space."))
        return query.where(Micropost.space_id == space.id, Micropost.pinned_at.is_(None))
    if stream.kind == "tag":
        tagged = select(PostTag.post_id).where(PostTag.tag == stream.key)
        return query.where(Micropost.id.in_(tagged))
    if stream.kind == "person":
        return query.where(Micropost.author_id == stream_person(stream.key or "").id)
    return query


def _following(actor: User) -> ColumnElement[bool]:
    """My own posts and those of the people, spaces and hashtags I follow."""
    people = social.follows_of(actor, "user")
    space_ids = [i for key in social.follows_of(actor, "space") if (i := id_or_none(key))]
    tags = social.follows_of(actor, "tag")
    conditions = [Micropost.author_id == actor.id]
    if people:
        conditions.append(Micropost.author_id.in_(select(User.id).where(User.username.in_(people))))
    if space_ids:
        conditions.append(Micropost.space_id.in_(space_ids))
    if tags:
        conditions.append(Micropost.id.in_(select(PostTag.post_id).where(PostTag.tag.in_(tags))))
    return or_(*conditions)


def _with_people(query: Select) -> Select:
    return query.options(
        joinedload(Micropost.author),  # in the same statement: one each per post
        joinedload(Micropost.space),
        selectinload(Micropost.attachments).selectinload(PostAttachment.upload),
    )


def home_stream(actor: User, limit: int) -> tuple[list[Micropost], list[Micropost]]:
    """The pinned announcements and the newest posts of ``actor``'s Following stream."""
    following = stream_page(actor, Stream("following"), limit=limit)
    return following.pinned[:limit], following.posts
