"""JSON API for spaces and their members."""

from flask_smorest import Blueprint

from app.accounts.auth import api_actor
from app.restapi import page_envelope, per_page
from app.spaces import service
from app.spaces.schemas import (
    MembershipSchema,
    NewMemberSchema,
    NewSpaceSchema,
    SpaceListQuery,
    SpaceListSchema,
    SpaceSchema,
)

blp = Blueprint("spaces_api", __name__, url_prefix="/spaces", description="Spaces and members")


@blp.route("", methods=["POST"])
@blp.arguments(NewSpaceSchema)
@blp.response(201, SpaceSchema)
def create_space(data: dict):
    return service.create_space(api_actor(), service.NewSpace(**data))


@blp.route("", methods=["GET"])
@blp.arguments(SpaceListQuery, location="query")
@blp.response(200, SpaceListSchema)
def list_spaces(args: dict):
    spaces = service.list_spaces(
        api_actor(), kind=args.get("kind"), page=args["page"], per_page=per_page(args["per_page"])
    )
    return page_envelope(spaces)


@blp.route("/<int:space_id>", methods=["GET"])
@blp.response(200, SpaceSchema)
def get_space(space_id: int):
    return service.get_space(api_actor(), space_id)


@blp.route("/<int:space_id>/members", methods=["POST"])
@blp.arguments(NewMemberSchema)
@blp.response(201, MembershipSchema)
def add_member(data: dict, space_id: int):
    space = service.get_space(api_actor(), space_id)
    return service.add_member(api_actor(), space, data["username"], data["role"])


@blp.route("/<int:space_id>/members/<username>", methods=["DELETE"])
@blp.response(204)
def remove_member(space_id: int, username: str):
    space = service.get_space(api_actor(), space_id)
    service.remove_member(api_actor(), space, username)
