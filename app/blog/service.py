"""Blogs and their posts. The only module that writes blogs, authors, posts and feed tokens.

Every function takes the acting user; ``get_blog`` and ``get_post`` are also the readers of
the social targets ``blog:ID`` and ``blog_post:ID`` (NotFound when missing or unreadable).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import BinaryIO

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import Select, and_, func, select, update
from sqlalchemy.orm import joinedload, selectinload

from app.accounts.models import User
from app.audit import service as audit
from app.blog.models import DRAFT, PUBLISHED, STATUSES, Blog, BlogAuthor, FeedToken, Post
from app.clock import utcnow
from app.errors import Conflict, Forbidden, Invalid, NotFound, TooLarge
from app.extensions import db
from app.markup import normalize_tag, reading_minutes, render_markdown
from app.slugs import slugify
from app.social import notifications
from app.social import service as social
from app.social.links import ContentLinks
from app.spaces import policy
from app.spaces.models import Space
from app.uploads import store as uploads
from app.uploads.models import Upload
from app.urls import path_for

MAX_TITLE = 200
MAX_DESCRIPTION = 2000
MAX_TAGS = 20
MAX_TAG_LENGTH = 40


class PostLinks(ContentLinks):
    """Conversation links, except that a #tag in a post leads to the blog's tag page."""

    def tag(self, tag: str) -> str:
        return path_for("blog.tag", tag=tag)


@dataclass(frozen=True, slots=True)
class NewBlog:
    title: str
    description: str = ""
    space_id: int | None = None


@dataclass(frozen=True, slots=True)
class PostDraft:
    """What an author writes: a new post or the new version of one."""

    title: str
    body: str
    status: str = DRAFT  # draft | published
    publish_at: datetime | None = None  # naive UTC; later than now: scheduled
    tags: tuple[str, ...] = ()


# --- blogs ---------------------------------------------------------------------------------


def get_blog(actor: User, blog_id: int) -> Blog:
    """A blog ``actor`` may read. Raises NotFound."""
    blog = db.session.get(Blog, blog_id)
    if blog is None or not policy.can_read(actor, blog):
        raise NotFound(_("No such blog."))
    return blog


def readable_blogs_query(actor: User) -> Select:
    return (
        select(Blog)
        .where(policy.readable(actor, Blog))
        .options(selectinload(Blog.space), selectinload(Blog.owner))
        .order_by(func.lower(Blog.title))
    )


def list_blogs(actor: User, *, space_id: int | None = None, page: int = 1, per_page=None):
    """The blogs ``actor`` may read, by title."""
    query = readable_blogs_query(actor)
    if space_id is not None:
        query = query.where(Blog.space_id == space_id)
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def all_readable_blogs(actor: User) -> list[Blog]:
    return list(db.session.scalars(readable_blogs_query(actor)))


def create_blog(actor: User, new: NewBlog) -> Blog:
    """A space's blog (its owners) or a personal blog. Raises Forbidden, Invalid, NotFound."""
    space = None
    if new.space_id is not None:
        space = db.session.get(Space, new.space_id)
        if space is None or not policy.can_read_space(actor, space):
            raise NotFound(_("No such space."), {"space_id": [_("No such space.")]})
    if not policy.can_create_blog(actor, space):
        raise Forbidden(_("Only the space's owners may start its blog."))
    title = " ".join(new.title.split())
    errors: dict[str, list[str]] = {}
    if not title or len(title) > MAX_TITLE:
        errors["title"] = [_("Enter a title of at most %(max)d characters.", max=MAX_TITLE)]
    if len(new.description) > MAX_DESCRIPTION:
        errors["description"] = [_("Use at most %(max)d characters.", max=MAX_DESCRIPTION)]
    if errors:
        raise Invalid(_("The blog could not be created."), errors)
    blog = Blog(
        title=title,
        description=new.description.strip(),
        space=space,
        owner=actor if space is None else None,
    )
    db.session.add(blog)
    db.session.commit()
    return blog


def spaces_for_new_blogs(actor: User) -> list[Space]:
    """The spaces ``actor`` may start a blog for (those they own; all for administrators)."""
    query = select(Space).order_by(func.lower(Space.name))
    if not actor.is_admin:
        query = query.where(Space.id.in_(policy.owned_space_ids_query(actor)))
    return list(db.session.scalars(query)) if actor.active else []


def authors_of(blog: Blog) -> list[User]:
    query = (
        select(User)
        .join(BlogAuthor, BlogAuthor.user_id == User.id)
        .where(BlogAuthor.blog_id == blog.id)
        .order_by(func.lower(User.display_name))
    )
    return list(db.session.scalars(query))


def name_author(actor: User, blog: Blog, username: str) -> BlogAuthor:
    """Let a colleague write in ``blog``. Raises Forbidden, NotFound, Invalid, Conflict."""
    if not policy.is_blog_owner(actor, blog):
        raise Forbidden(_("Only the blog's owners may name authors."))
    person = db.session.scalar(select(User).where(User.username == username.strip().lower()))
    if person is None or not person.active:
        raise NotFound(_("No such person."), {"username": [_("No such person.")]})
    if not policy.can_read(person, blog):
        message = _("%(name)s cannot read this blog's space.", name=person.display_name)
        raise Invalid(message, {"username": [message]})
    if policy.is_named_author(person, blog):
        raise Conflict(_("%(name)s is already an author.", name=person.display_name))
    named = BlogAuthor(blog=blog, user=person)
    db.session.add(named)
    db.session.commit()
    return named


def remove_author(actor: User, blog: Blog, username: str) -> None:
    """Raises Forbidden or NotFound."""
    if not policy.is_blog_owner(actor, blog):
        raise Forbidden(_("Only the blog's owners may remove authors."))
    named = db.session.scalar(
        select(BlogAuthor)
        .join(User, BlogAuthor.user_id == User.id)
        .where(BlogAuthor.blog_id == blog.id, User.username == username.strip().lower())
    )
    if named is None:
        raise NotFound(_("This person is not an author."))
    db.session.delete(named)
    db.session.commit()


# --- posts ---------------------------------------------------------------------------------


def get_post(actor: User, post_id: int) -> Post:
    """A post ``actor`` may read; drafts and scheduled posts only for their author and the
    blog's owners. Raises NotFound."""
    # The blog (with its named authors) and the space come along: the policy asks for them.
    post = db.session.get(
        Post,
        post_id,
        options=[joinedload(Post.blog).joinedload(Blog.authors), joinedload(Post.space)],
    )
    if post is None or not policy.can_read_post(actor, post):
        raise NotFound(_("No such post."))
    return post


def write_post(actor: User, blog: Blog, draft: PostDraft, cover: Upload | None = None) -> Post:
    """A new post in ``blog`` (``cover``: from save_cover). Raises Forbidden or Invalid."""
    if not policy.can_post(actor, blog):
        raise Forbidden(_("Only the blog's owners and authors may write here."))
    checked = _check(draft)
    now = utcnow()
    post = Post(blog=blog, space_id=blog.space_id, author=actor, created_at=now, updated_at=now)
    _apply(post, checked, now)
    if cover is not None:
        post.cover = cover
    db.session.add(post)
    told = _announce_if_visible(actor, post)
    db.session.commit()
    notifications.send_at_once(told)
    return post


def edit_post(actor: User, post: Post, draft: PostDraft, cover: Upload | None = None) -> Post:
    """Change a post (``cover``: a new cover from save_cover); a published post then shows
    "edited". Raises Forbidden or Invalid."""
    if not policy.can_edit_post(actor, post):
        raise Forbidden(_("Only the post's author and the blog's owners may change it."))
    checked = _check(draft)
    now = utcnow()
    was_visible = not post.is_draft
    _apply(post, checked, now)
    if cover is not None:
        post.cover = cover
    post.updated_at = now
    if was_visible and not post.is_draft:
        post.edited_at = now
    told = _announce_if_visible(actor, post)
    db.session.commit()
    notifications.send_at_once(told)
    return post


def _announce_if_visible(actor: User, post: Post) -> list:
    """The first time a post can be read, those it mentions and the blog's followers hear
    of it, in the transaction that made it readable. A scheduled post is announced when its
    time comes (``announce_due_posts``). Returns the notifications to mail after the
    commit."""
    if post.is_draft or post.announced_at is not None:
        return []
    post.announced_at = utcnow()
    db.session.flush()
    return _tell_followers(actor, post)


def announce_due_posts() -> int:
    """Announce the scheduled posts whose time has come (run by the clock: ``flask notify
    due``, the search worker and background drain). Each post once, even when several
    processes run this at the same moment. Returns how many were announced."""
    due = db.session.scalars(
        select(Post)
        .join(Blog, Blog.id == Post.blog_id)
        .where(
            Post.announced_at.is_(None),
            Post.published_clause(),
            Post.deleted_at.is_(None),
            Blog.deleted_at.is_(None),
        )
        .order_by(Post.publish_at)
    ).all()
    announced = 0
    for post in due:
        claimed = db.session.execute(
            update(Post)
            .where(Post.id == post.id, Post.announced_at.is_(None))
            .values(announced_at=utcnow())
        ).rowcount
        if claimed:
            created = _tell_followers(post.author, post)
            db.session.commit()
            notifications.send_at_once(created)
            announced += 1
    db.session.commit()
    return announced


def _tell_followers(actor: User, post: Post) -> list:
    """Those it mentions and those who follow the blog learn of a post that became readable
    (staged in the caller's transaction)."""
    target = f"blog_post:{post.id}"
    # Mentioned people hear of it as a mention; followers (the others) as a new post.
    mentions = render_markdown(post.body, PostLinks(post.space_id)).mentions
    mentioned = db.session.scalars(select(User).where(User.username.in_(mentions))).all()
    staged = notifications.stage(
        mentioned,
        "mention",
        actor=actor,
        subject=post,
        title=post.title,
        url=post.url,
        target=target,
    )
    told = {person.id for person in mentioned}
    follower_ids = [i for i in social.follower_ids("blog", str(post.blog_id)) if i not in told]
    if not follower_ids:
        return staged
    followers = db.session.scalars(select(User).where(User.id.in_(follower_ids)))
    return staged + notifications.stage(
        followers,
        "blog_post",
        actor=actor,
        subject=post,
        title=post.title,
        url=post.url,
        target=target,
    )


def delete_post(actor: User, post: Post) -> None:
    """Raises Forbidden."""
    if not policy.can_edit_post(actor, post):
        raise Forbidden(_("Only the post's author and the blog's owners may delete it."))
    post.deleted_at = utcnow()
    audit.record("content_deleted", actor=actor, subject=f"blog_post:{post.id}")
    db.session.commit()


def save_cover(actor: User, stream: BinaryIO, filename: str) -> Upload:
    """Check and store an image for a post's cover (through app.uploads: size, type and
    content checked, stored by content hash). Uncommitted: the post's save commits it.
    Raises Invalid or TooLarge."""
    message = _("The cover must be a JPEG, PNG, WebP or GIF image.")
    try:
        upload = uploads.save_upload(actor, stream, filename)
    except (Invalid, TooLarge) as err:
        raise type(err)(err.message, {"cover": [err.message]}) from err
    if not upload.is_image:
        if upload in db.session:
            db.session.expunge(upload)
        raise Invalid(message, {"cover": [message]})
    return upload


def _check(draft: PostDraft) -> PostDraft:
    title = " ".join(draft.title.split())
    body = draft.body.strip()
    limit = current_app.config["BLOG_POST_MAX_LENGTH"]
    errors: dict[str, list[str]] = {}
    if not title or len(title) > MAX_TITLE:
        errors["title"] = [_("Enter a title of at most %(max)d characters.", max=MAX_TITLE)]
    if not body:
        errors["body"] = [_("Write the post first.")]
    elif len(body) > limit:
        errors["body"] = [_("A post has at most %(max)d characters.", max=limit)]
    if draft.status not in STATUSES:
        errors["status"] = [_("Choose draft or published.")]
    tags = []
    for raw in draft.tags:
        tag = normalize_tag(raw)
        if not tag:
            continue
        if len(tag) > MAX_TAG_LENGTH or any(char.isspace() for char in tag):
            errors["tags"] = [
                _("A tag is one word of at most %(max)d characters.", max=MAX_TAG_LENGTH)
            ]
        elif tag not in tags:
            tags.append(tag)
    if len(tags) > MAX_TAGS:
        errors["tags"] = [_("Use at most %(max)d tags.", max=MAX_TAGS)]
    if errors:
        raise Invalid(_("The post could not be saved."), errors)
    return PostDraft(title, body, draft.status, draft.publish_at, tuple(tags))


def _apply(post: Post, draft: PostDraft, now: datetime) -> None:
    rendered = render_markdown(draft.body, PostLinks(post.space_id))
    tags = list(draft.tags)
    tags += [tag for tag in rendered.tags if tag not in tags and len(tag) <= MAX_TAG_LENGTH]
    post.title = draft.title
    post.slug = slugify(draft.title, fallback="post")
    post.body = draft.body
    post.body_html = rendered.html
    post.tags_text = f" {' '.join(tags[:MAX_TAGS])} " if tags else ""
    post.reading_minutes = reading_minutes(rendered.html)
    post.status = draft.status
    if draft.status == PUBLISHED:
        if draft.publish_at is not None:
            post.publish_at = draft.publish_at
        elif post.publish_at is None or post.publish_at > now:
            post.publish_at = now  # publish now (also a scheduled post published at once)
    else:
        post.publish_at = draft.publish_at


# --- lists ---------------------------------------------------------------------------------


def _posts_query(actor: User, *, published_only: bool) -> Select:
    return (
        select(Post)
        .join(Blog, Post.blog_id == Blog.id)
        .where(policy.readable_posts(actor, Post, published_only=published_only))
        .where(Blog.deleted_at.is_(None))
        .options(selectinload(Post.author), selectinload(Post.blog))
        .order_by(func.coalesce(Post.publish_at, Post.created_at).desc(), Post.id.desc())
    )


def list_posts(
    actor: User,
    *,
    blog: Blog | None = None,
    space_id: int | None = None,
    tag: str | None = None,
    include_drafts: bool = False,
    page: int = 1,
    per_page: int | None = None,
):
    """Posts ``actor`` may read, newest first, paginated. Drafts (for those who may see
    them) only with ``include_drafts``."""
    query = _posts_query(actor, published_only=not include_drafts)
    if blog is not None:
        query = query.where(Post.blog_id == blog.id)
    if space_id is not None:
        query = query.where(Post.space_id == space_id)
    if tag:
        query = query.where(Post.tags_text.contains(f" {normalize_tag(tag)} ", autoescape=True))
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def feed_posts(actor: User, blog: Blog | None, limit: int) -> list[Post]:
    """The newest published posts ``actor`` may read, for a feed."""
    query = _posts_query(actor, published_only=True).limit(limit)
    if blog is not None:
        query = query.where(Post.blog_id == blog.id)
    return list(db.session.scalars(query))


def open_questions(actor: User, blog: Blog, limit: int = 200) -> tuple[list, dict[int, str]]:
    """Unanswered questions on the blog's newest ``limit`` posts, with the posts' titles:
    three queries, however many posts and questions."""
    query = (
        select(Post.id, Post.title)
        .where(Post.blog_id == blog.id, policy.readable_posts(actor, Post))
        .order_by(Post.id.desc())
        .limit(limit)
    )
    titles = dict(db.session.execute(query).all())
    return social.unanswered_questions(actor, "blog_post", list(titles)), titles


def archive_months(actor: User, blog: Blog) -> list[tuple[int, int, int]]:
    """(year, month, number of posts) of the blog's published posts, newest first."""
    query = (
        select(Post.publish_at)
        .where(Post.blog_id == blog.id, policy.readable_posts(actor, Post, published_only=True))
        .order_by(Post.publish_at.desc())
    )
    counts = Counter((when.year, when.month) for when in db.session.scalars(query))
    return [(year, month, count) for (year, month), count in counts.items()]


ARCHIVE_FIRST_YEAR = 1970
ARCHIVE_LAST_YEAR = 9998


def posts_of_month(actor: User, blog: Blog, year: int, month: int) -> list[Post]:
    """Raises NotFound for a month that is no month."""
    # The month after the last one datetime can hold (9999-12) has no start to compare with.
    if not (1 <= month <= 12 and ARCHIVE_FIRST_YEAR <= year <= ARCHIVE_LAST_YEAR):
        raise NotFound(_("No such month."))
    start = datetime(year, month, 1)
    end = datetime(year + month // 12, month % 12 + 1, 1)
    query = _posts_query(actor, published_only=True).where(
        Post.blog_id == blog.id, and_(Post.publish_at >= start, Post.publish_at < end)
    )
    return list(db.session.scalars(query))


# --- feed tokens ---------------------------------------------------------------------------


def _token_for(nonce: str) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"feed:{nonce}".encode(), hashlib.sha256).hexdigest()[:40]


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def feed_token(actor: User) -> str:
    """``actor``'s feed token, created on first use."""
    found = db.session.scalar(select(FeedToken).where(FeedToken.user_id == actor.id))
    if found is None:
        return new_feed_token(actor)
    return _token_for(found.nonce)


def new_feed_token(actor: User) -> str:
    """A new feed token for ``actor``; the old one stops working at once."""
    nonce = secrets.token_hex(16)
    token = _token_for(nonce)
    found = db.session.scalar(select(FeedToken).where(FeedToken.user_id == actor.id))
    if found is None:
        db.session.add(FeedToken(user_id=actor.id, nonce=nonce, token_hash=_hash(token)))
    else:
        found.nonce, found.token_hash, found.created_at = nonce, _hash(token), utcnow()
    db.session.commit()
    return token


def user_for_feed_token(token: str) -> User:
    """The active owner of a valid feed token. Raises NotFound (feeds show nothing else)."""
    if not token or len(token) > 100:
        raise NotFound(_("No such feed."))
    found = db.session.scalar(select(FeedToken).where(FeedToken.token_hash == _hash(token)))
    if found is None or not found.user.active:
        raise NotFound(_("No such feed."))
    return found.user


# --- for the home page ---------------------------------------------------------------------


def latest_posts_in(actor: User, blog_ids: list[int], limit: int) -> list[Post]:
    """The newest published posts of the given blogs that ``actor`` may read."""
    if not blog_ids:
        return []
    query = _posts_query(actor, published_only=True).where(Post.blog_id.in_(blog_ids))
    return list(db.session.scalars(query.limit(limit)))


def answerable_post_ids(actor: User, limit: int = 200) -> list[int]:
    """Posts whose questions ``actor`` answers as an author: their own, and those in blogs
    they run or were named to write in (the newest ``limit``)."""
    my_blogs = select(Blog.id).where(
        Blog.deleted_at.is_(None),
        (Blog.owner_id == actor.id)
        | Blog.id.in_(select(BlogAuthor.blog_id).where(BlogAuthor.user_id == actor.id))
        | Blog.space_id.in_(policy.owned_space_ids_query(actor)),
    )
    query = (
        select(Post.id)
        .where(
            Post.deleted_at.is_(None),
            (Post.author_id == actor.id) | Post.blog_id.in_(my_blogs),
        )
        .order_by(Post.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(query))


def posts_by_ids(actor: User, post_ids: list[int]) -> list[Post]:
    """The readable posts among ``post_ids`` (drafts included for those who may see them)."""
    if not post_ids:
        return []
    query = _posts_query(actor, published_only=False).where(Post.id.in_(post_ids))
    return list(db.session.scalars(query))


def questions_to_answer(actor: User, limit: int) -> list[tuple]:
    """Unanswered questions on posts ``actor`` answers for, oldest first, each with its
    post (for the home page)."""
    post_ids = answerable_post_ids(actor)
    questions = social.unanswered_questions(actor, "blog_post", post_ids)[:limit]
    posts = {post.id: post for post in posts_by_ids(actor, [q.target_id for q in questions])}
    return [(q, posts[q.target_id]) for q in questions if q.target_id in posts]


# --- for insights (offered through the content registry) ----------------------------------


def contributions_since(since: datetime) -> Select:
    """(user_id, space_id, created_at) of every post written since ``since``."""
    return select(
        Post.author_id.label("user_id"),
        Post.space_id.label("space_id"),
        Post.created_at.label("created_at"),
    ).where(Post.created_at >= since)


def created_since(start: datetime) -> Select:
    """(created_at, space_id) of the posts written since ``start``."""
    return select(Post.created_at, Post.space_id).where(Post.created_at >= start)
