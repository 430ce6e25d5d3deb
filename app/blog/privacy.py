"""What the blogs hold about a person: their posts, blogs and feed token. Erasure keeps the
posts (work), drops the feed token and author rights, and rewrites @mentions of them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import joinedload

from app.accounts.models import User
from app.blog.models import Blog, BlogAuthor, FeedToken, Post
from app.extensions import db
from app.privacy import BULK_WRITE
from app.privacy.pseudonyms import Pseudonym


def export(user: User) -> dict[str, Any]:
    posts = db.session.scalars(
        select(Post)
        .where(Post.author_id == user.id)
        .options(joinedload(Post.blog))
        .order_by(Post.created_at, Post.id)
        .execution_options(yield_per=200)
    )
    blogs = db.session.scalars(select(Blog).where(Blog.owner_id == user.id).order_by(Blog.id))
    return {
        "posts": (
            {
                "id": post.id,
                "blog": post.blog.title,
                "title": post.title,
                "body": post.body,
                "tags": post.tags,
                "status": post.status,
                "publish_at": post.publish_at,
                "created_at": post.created_at,
                "edited_at": post.edited_at,
                "deleted_at": post.deleted_at,
            }
            for post in posts
        ),
        "personal_blogs": [
            {"title": blog.title, "description": blog.description, "created_at": blog.created_at}
            for blog in blogs
        ],
    }


def erase(user: User, pseudonym: Pseudonym) -> None:
    db.session.execute(
        delete(FeedToken).where(FeedToken.user_id == user.id), execution_options=BULK_WRITE
    )
    db.session.execute(
        delete(BlogAuthor).where(BlogAuthor.user_id == user.id), execution_options=BULK_WRITE
    )
    pattern = f"%{pseudonym.former_username}%"
    posts = db.session.scalars(
        select(Post).where(or_(Post.body.ilike(pattern), Post.body_html.ilike(pattern)))
    )
    for post in posts:
        post.body = pseudonym.rewrite_source(post.body)
        post.body_html = pseudonym.rewrite_html(post.body_html)
    for blog in db.session.scalars(select(Blog).where(Blog.description.ilike(pattern))):
        blog.description = pseudonym.rewrite_source(blog.description)
