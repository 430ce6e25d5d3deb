from flask import url_for
from marshmallow import Schema, fields, validate

from app.inputs import MAX_ID
from app.restapi import UtcDateTime


class NewMicropostSchema(Schema):
    body = fields.String(required=True)
    space_id = fields.Integer(load_default=None, allow_none=True)
    reply_to = fields.Integer(load_default=None, allow_none=True)


class MicropostEditSchema(Schema):
    body = fields.String(required=True)


class AnswerSchema(Schema):
    # Strict: an id is a JSON number, never text such as "12", "²" or "٣".
    reply_id = fields.Integer(
        required=True, strict=True, validate=validate.Range(min=1, max=MAX_ID)
    )


class MicropostDeleteQuery(Schema):
    reason = fields.String(load_default=None, validate=validate.Length(max=500))


class MicropostSchema(Schema):
    id = fields.Integer()
    body = fields.String()
    html = fields.String(attribute="body_html")
    author = fields.Function(lambda post: post.author.username)
    space_id = fields.Integer(allow_none=True)
    reply_to = fields.Integer(attribute="reply_to_id", allow_none=True)
    root_id = fields.Integer(allow_none=True)
    # On a conversation's first post: the reply its asker marked as the answer.
    answer_id = fields.Integer(allow_none=True)
    tags = fields.Function(lambda post: [row.tag for row in post.tags])
    created = UtcDateTime(attribute="created_at")
    edited = UtcDateTime(attribute="edited_at", allow_none=True)
    pinned = fields.Function(lambda post: post.pinned_at is not None)
    url = fields.Function(lambda post: url_for("microblog.show_post", post_id=post.id))
    attachments = fields.Function(
        lambda post: [
            {
                "name": attachment.upload.original_filename,
                "image": attachment.upload.is_image,
                "url": url_for(
                    "microblog.show_attachment", post_id=post.id, attachment_id=attachment.id
                ),
            }
            for attachment in post.attachments
        ]
    )


class PostWithReplies:
    """A post and its readable replies, dumped by MicropostWithRepliesSchema."""

    def __init__(self, post, replies) -> None:
        self.post = post
        self.replies = replies

    def __getattr__(self, name: str):
        return getattr(self.post, name)


class MicropostWithRepliesSchema(MicropostSchema):
    replies = fields.List(fields.Nested(MicropostSchema))


class StreamQuery(Schema):
    stream = fields.String(load_default="following", validate=validate.OneOf(["following", "all"]))
    space = fields.Integer(load_default=None)
    tag = fields.String(load_default=None, validate=validate.Length(min=1, max=120))
    author = fields.String(load_default=None, validate=validate.Length(min=1, max=64))
    cursor = fields.String(load_default=None, validate=validate.Length(max=200))
    limit = fields.Integer(load_default=None, validate=validate.Range(min=1, max=100))


class StreamSchema(Schema):
    items = fields.List(fields.Nested(MicropostSchema))
    next_cursor = fields.String(allow_none=True)
