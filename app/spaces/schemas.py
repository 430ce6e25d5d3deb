from flask import url_for
from marshmallow import Schema, fields, validate

from app.restapi import PageQuery, UtcDateTime


class NewSpaceSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=120))
    kind = fields.String(
        required=True, validate=validate.OneOf(["department", "project", "community"])
    )
    visibility = fields.String(
        load_default="public", validate=validate.OneOf(["public", "members"])
    )
    description = fields.String(load_default="", validate=validate.Length(max=5000))
    parent_id = fields.Integer(load_default=None, allow_none=True)


class SpaceSchema(Schema):
    id = fields.Integer()
    slug = fields.String()
    name = fields.String()
    kind = fields.String()
    visibility = fields.String()
    description = fields.String()
    parent_id = fields.Integer(allow_none=True)
    created_at = UtcDateTime()
    url = fields.Function(lambda space: url_for("spaces.show_space", slug=space.slug))


class SpaceListQuery(PageQuery):
    kind = fields.String(validate=validate.OneOf(["department", "project", "community"]))


class SpaceListSchema(Schema):
    total = fields.Integer()
    page = fields.Integer()
    per_page = fields.Integer()
    items = fields.List(fields.Nested(SpaceSchema))


class NewMemberSchema(Schema):
    username = fields.String(required=True, validate=validate.Length(min=1, max=64))
    role = fields.String(load_default="member", validate=validate.OneOf(["member", "owner"]))


class MembershipSchema(Schema):
    space_id = fields.Integer()
    username = fields.Function(lambda membership: membership.user.username)
    display_name = fields.Function(lambda membership: membership.user.display_name)
    role = fields.String()
