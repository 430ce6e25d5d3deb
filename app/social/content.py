"""What social declares in the registry: comments, a kind of their own that lives on the
items of other kinds (readable exactly when its item is), and their search documents,
which follow their item when it moves."""

from __future__ import annotations

from collections.abc import Collection, Iterator

from sqlalchemy import select

from app import content
from app.content import ContentKind, Registry
from app.extensions import db
from app.social import privacy, search, service
from app.social.models import Comment


def comment_title(comment: Comment) -> str:
    item = _item(comment)
    return content.title_of(comment.target_kind, item) if item is not None else ""


def comment_url(comment: Comment) -> str:
    item = _item(comment)
    if item is None:
        return ""
    return f"{content.url_of(comment.target_kind, item).partition('#')[0]}#comment-{comment.id}"


def _item(comment: Comment):
    kind = content.registry().kind(comment.target_kind)
    return db.session.get(kind.model, comment.target_id) if kind is not None else None


def comment_keys(kind: str, ids: Collection[int]) -> Iterator[str]:
    """The search keys of the comments on these items: they follow their item."""
    declared = content.registry().kind(kind)
    if not ids or declared is None or not declared.commentable:
        return
    query = select(Comment.id).where(Comment.target_kind == kind, Comment.target_id.in_(ids))
    for comment_id in db.session.scalars(query):
        yield f"{Comment.search_kind}:{comment_id}"


def declare(registry: Registry) -> None:
    registry.declare(
        ContentKind(
            name="comment",
            model=Comment,
            get=service.get_comment,
            readable=service.readable_comments,
            title=comment_title,
            url=comment_url,
            search_kind=Comment.search_kind,
            search=search,
            likeable=True,
        )
    )
    registry.add_privacy("social", privacy)
    registry.attached_keys.append(comment_keys)
