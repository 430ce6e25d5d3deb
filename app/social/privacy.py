"""Comments, likes, follows and notifications: a person's export, and erasure (their likes,
follows and notifications go; their comments stay, as work)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, or_, select, update

from app.accounts.models import User
from app.extensions import db
from app.privacy import BULK_WRITE
from app.privacy.pseudonyms import Pseudonym
from app.social.models import Comment, Follow, Like, Notification, NotificationSetting
from app.social.service import remove_follows_of

PERSON = "user"


def export(user: User) -> dict[str, Any]:
    comments = db.session.scalars(
        select(Comment)
        .where(Comment.author_id == user.id)
        .order_by(Comment.created_at)
        .execution_options(yield_per=500)
    )
    likes = db.session.scalars(
        select(Like).where(Like.user_id == user.id).order_by(Like.created_at)
    )
    follows = db.session.scalars(
        select(Follow).where(Follow.user_id == user.id).order_by(Follow.created_at)
    )
    settings = db.session.scalars(
        select(NotificationSetting)
        .where(NotificationSetting.user_id == user.id)
        .order_by(NotificationSetting.kind)
    )
    return {
        "comments": (
            {
                "id": comment.id,
                "on": comment.target,
                "body": comment.body,
                "is_question": comment.is_question,
                "is_reply": comment.parent_id is not None,
                "created_at": comment.created_at,
                "edited_at": comment.edited_at,
                "deleted_at": comment.deleted_at,
            }
            for comment in comments
        ),
        "likes": [
            {"on": like.target_kind + ":" + str(like.target_id), "at": like.created_at}
            for like in likes
        ],
        "follows": [
            {"kind": follow.target_kind, "what": follow.target_key, "since": follow.created_at}
            for follow in follows
        ],
        "notification_settings": [
            {"kind": setting.kind, "delivery": setting.delivery} for setting in settings
        ],
    }


def erase(user: User, pseudonym: Pseudonym) -> None:
    db.session.execute(delete(Like).where(Like.user_id == user.id), execution_options=BULK_WRITE)
    remove_follows_of(user)
    # Following a former colleague leads nowhere, and the key is their username.
    db.session.execute(
        delete(Follow).where(
            Follow.target_kind == PERSON, Follow.target_key == pseudonym.former_username
        ),
        execution_options=BULK_WRITE,
    )
    db.session.execute(
        delete(Notification).where(Notification.user_id == user.id), execution_options=BULK_WRITE
    )
    db.session.execute(
        update(Notification).where(Notification.actor_id == user.id).values(actor_id=None),
        execution_options=BULK_WRITE,
    )
    db.session.execute(
        delete(NotificationSetting).where(NotificationSetting.user_id == user.id),
        execution_options=BULK_WRITE,
    )
    pattern = f"%{pseudonym.former_username}%"
    mentioning = db.session.scalars(
        select(Comment).where(or_(Comment.body.ilike(pattern), Comment.body_html.ilike(pattern)))
    )
    for comment in mentioning:
        comment.body = pseudonym.rewrite_source(comment.body)
        comment.body_html = pseudonym.rewrite_html(comment.body_html)
