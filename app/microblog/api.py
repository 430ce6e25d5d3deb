"""JSON API for microposts and the streams, calling the same service as the pages."""

from flask_smorest import Blueprint

from app.accounts.auth import api_actor
from app.microblog import service, streams
from app.microblog.limits import check_posting_rate
from app.microblog.schemas import (
    AnswerSchema,
    MicropostDeleteQuery,
    MicropostEditSchema,
    MicropostSchema,
    MicropostWithRepliesSchema,
    NewMicropostSchema,
    PostWithReplies,
    StreamQuery,
    StreamSchema,
)
from app.microblog.streams import Stream
from app.restapi import link_response

blp = Blueprint("microblog_api", __name__, url_prefix="/microposts", description="Microblog")


@blp.route("", methods=["POST"])
@blp.arguments(NewMicropostSchema)
@blp.response(201, MicropostSchema)
def create_micropost(data: dict):
    actor = api_actor()
    check_posting_rate(actor)
    return service.create_post(actor, service.NewPost(**data))


@blp.route("", methods=["GET"])
@blp.arguments(StreamQuery, location="query")
@blp.response(200, StreamSchema)
def list_microposts(args: dict):
    """Newest first; follow ``next_cursor`` for older posts. ``space``, ``tag`` or
    ``author`` choose that stream instead of ``stream``."""
    if args["space"] is not None:
        stream = Stream("space", str(args["space"]))
    elif args["tag"]:
        stream = Stream.parse(f"tag:{args['tag']}")
    elif args["author"]:
        stream = Stream("person", args["author"].lower())
    else:
        stream = Stream(args["stream"])
    page = streams.stream_page(api_actor(), stream, args["cursor"], args["limit"])
    if page.next_cursor:
        link_response({"next": {"cursor": page.next_cursor}})
    return {"items": page.posts, "next_cursor": page.next_cursor}


@blp.route("/<int:post_id>", methods=["GET"])
@blp.response(200, MicropostWithRepliesSchema)
def get_micropost(post_id: int):
    actor = api_actor()
    post = service.get_post(actor, post_id)
    # A conversation's first post comes with the whole conversation; a reply with the
    # replies to it.
    replies = [
        reply
        for reply in service.thread(actor, post_id)
        if reply.id != post.id and (reply.root_id == post.id or reply.reply_to_id == post.id)
    ]
    return PostWithReplies(post, replies)


@blp.route("/<int:post_id>", methods=["PATCH"])
@blp.arguments(MicropostEditSchema)
@blp.response(200, MicropostSchema)
def edit_micropost(data: dict, post_id: int):
    return service.edit_post(api_actor(), post_id, data["body"])


@blp.route("/<int:post_id>", methods=["DELETE"])
@blp.arguments(MicropostDeleteQuery, location="query")
@blp.response(204)
def delete_micropost(args: dict, post_id: int):
    """Delete one's own post; moderators give a ``reason``, kept for the author."""
    service.delete_post(api_actor(), post_id, args["reason"])


@blp.route("/<int:post_id>/answer", methods=["PUT"])
@blp.arguments(AnswerSchema)
@blp.response(200, MicropostSchema)
def mark_answer(data: dict, post_id: int):
    """The asker marks a reply of the conversation ``post_id`` starts as its answer."""
    return service.mark_answer(api_actor(), post_id, data["reply_id"])


@blp.route("/<int:post_id>/answer", methods=["DELETE"])
@blp.response(204)
def clear_answer(post_id: int):
    """The asker takes the mark off the conversation's answer."""
    service.clear_answer(api_actor(), post_id)
