"""JSON API: comments, likes and follows on any target."""

from flask import request
from flask_babel import gettext as _
from flask_smorest import Blueprint

from app.accounts.auth import api_actor
from app.errors import Invalid
from app.restapi import per_page
from app.social import notifications, service
from app.social.schemas import (
    CommentSchema,
    FollowSchema,
    LikeSchema,
    MarkReadSchema,
    NewCommentSchema,
    NotificationListSchema,
    NotificationQuery,
    OptionalTargetSchema,
    TargetSchema,
)

blp = Blueprint("social_api", __name__, url_prefix="", description="Comments, likes, follows")


@blp.route("/comments", methods=["POST"])
@blp.arguments(NewCommentSchema)
@blp.response(201, CommentSchema)
def create_comment(data: dict):
    return service.add_comment(api_actor(), service.NewComment(**data))


@blp.route("/likes", methods=["POST"])
@blp.arguments(TargetSchema)
@blp.response(201, LikeSchema)
def create_like(data: dict):
    return service.like(api_actor(), data["target"])


@blp.route("/likes", methods=["DELETE"])
@blp.response(204)
def delete_like():
    service.unlike(api_actor(), _target_of_delete())


@blp.route("/follows", methods=["POST"])
@blp.arguments(TargetSchema)
@blp.response(201, FollowSchema)
def create_follow(data: dict):
    return service.follow(api_actor(), data["target"])


@blp.route("/follows", methods=["DELETE"])
@blp.response(204)
def delete_follow():
    service.unfollow(api_actor(), _target_of_delete())


@blp.route("/notifications", methods=["GET"])
@blp.arguments(NotificationQuery, location="query")
@blp.response(200, NotificationListSchema)
def list_notifications(args: dict):
    actor = api_actor()
    page = notifications.notifications_for(
        actor, unread_only=args["unread"], page=args["page"], per_page=per_page(args["per_page"])
    )
    return {
        "unread": notifications.unread_count(actor),
        "total": page.total,
        "page": page.page,
        "per_page": page.per_page,
        "items": page.items,
    }


@blp.route("/notifications/read", methods=["POST"])
@blp.arguments(MarkReadSchema)
@blp.response(204)
def mark_notifications_read(data: dict):
    notifications.mark_read(api_actor(), data["ids"])


def _target_of_delete() -> str:
    """DELETE takes the target in the JSON body or as ``?target=``."""
    body = request.get_json(silent=True) if request.data else None
    loaded = OptionalTargetSchema().load(body if isinstance(body, dict) else {})
    target = request.args.get("target") or loaded["target"]
    if not target:
        raise Invalid(_("Name the target."), {"target": [_("Name the target.")]})
    return target
