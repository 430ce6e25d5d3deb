"""What the stream holds about a person: their posts. Erasure keeps them (work) and rewrites
@mentions of them in everyone's posts and link previews."""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from app.accounts.models import User
from app.extensions import db
from app.microblog.models import Micropost
from app.privacy.pseudonyms import Pseudonym


def export(user: User) -> dict[str, Any]:
    posts = db.session.scalars(
        select(Micropost)
        .where(Micropost.author_id == user.id)
        .options(selectinload(Micropost.tags), selectinload(Micropost.space))
        .order_by(Micropost.created_at, Micropost.id)
        .execution_options(yield_per=500)
    )
    return {
        "posts": (
            {
                "id": post.id,
                "body": post.body,
                "space": post.space.name if post.space else None,
                "is_reply": post.is_reply,
                "tags": [tag.tag for tag in post.tags],
                "created_at": post.created_at,
                "edited_at": post.edited_at,
                "deleted_at": post.deleted_at,
            }
            for post in posts
        )
    }


def erase(user: User, pseudonym: Pseudonym) -> None:
    pattern = f"%{pseudonym.former_username}%"
    posts = db.session.scalars(
        select(Micropost).where(
            or_(
                Micropost.body.ilike(pattern),
                Micropost.body_html.ilike(pattern),
                Micropost.preview_excerpt.ilike(pattern),
            )
        )
    )
    for post in posts:
        post.body = pseudonym.rewrite_source(post.body)
        post.body_html = pseudonym.rewrite_html(post.body_html)
        post.preview_excerpt = pseudonym.rewrite_source(post.preview_excerpt)
