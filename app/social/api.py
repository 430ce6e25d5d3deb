"""JSON API: comments, likes and follows on any target."""

from flask import request
from flask_babel import gettext as _
from flask_smorest import Blueprint

from app.accounts.auth import api_actor
from app.errors import Invalid
from app.social import service
from app.social.schemas import (
    CommentSchema,
    FollowSchema,
    LikeSchema,
    NewCommentSchema,
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


def _target_of_delete() -> str:
    """DELETE takes the target in the JSON body or as ``?target=``."""
    body = request.get_json(silent=True) if request.data else None
    loaded = OptionalTargetSchema().load(body if isinstance(body, dict) else {})
    target = request.args.get("target") or loaded["target"]
    if not target:
        raise Invalid(_("Name the target."), {"target": [_("Name the target.")]})
    return target
