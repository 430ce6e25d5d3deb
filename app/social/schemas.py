from marshmallow import Schema, fields, validate

from app.restapi import UtcDateTime
from app.social.notifications import describe


class NewCommentSchema(Schema):
    target = fields.String(required=True, validate=validate.Length(min=3, max=60))
    body = fields.String(required=True)
    is_question = fields.Boolean(load_default=False)
    parent_id = fields.Integer(load_default=None, allow_none=True)


class CommentSchema(Schema):
    id = fields.Integer()
    target = fields.String()
    author = fields.Function(lambda comment: comment.author.username)
    body = fields.String()
    html = fields.String(attribute="body_html")
    is_question = fields.Boolean()
    parent_id = fields.Integer(allow_none=True)
    answer_id = fields.Integer(allow_none=True)
    created = UtcDateTime(attribute="created_at")


class TargetSchema(Schema):
    target = fields.String(required=True, validate=validate.Length(min=3, max=140))


class OptionalTargetSchema(Schema):
    target = fields.String(load_default=None, validate=validate.Length(min=3, max=140))


class LikeSchema(Schema):
    target = fields.Function(lambda like: f"{like.target_kind}:{like.target_id}")
    created = UtcDateTime(attribute="created_at")


class FollowSchema(Schema):
    target = fields.Function(lambda follow: f"{follow.target_kind}:{follow.target_key}")
    created = UtcDateTime(attribute="created_at")


class NotificationQuery(Schema):
    unread = fields.Boolean(load_default=False)
    page = fields.Integer(load_default=1, validate=validate.Range(min=1))
    per_page = fields.Integer(load_default=None, validate=validate.Range(min=1, max=100))


class NotificationSchema(Schema):
    id = fields.Integer()
    kind = fields.String()
    actor = fields.Function(lambda n: n.actor.username if n.actor else None)
    text = fields.Function(lambda n: describe(n))
    url = fields.String()
    read = fields.Boolean(attribute="is_read")
    created = UtcDateTime(attribute="created_at")


class NotificationListSchema(Schema):
    unread = fields.Integer()
    total = fields.Integer()
    page = fields.Integer()
    per_page = fields.Integer()
    items = fields.List(fields.Nested(NotificationSchema))


class MarkReadSchema(Schema):
    ids = fields.List(fields.Integer(), load_default=None)
