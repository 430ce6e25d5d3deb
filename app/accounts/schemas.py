from marshmallow import Schema, fields, validate

from app.restapi import UtcDateTime


class NewUserSchema(Schema):
    username = fields.String(required=True, validate=validate.Length(min=1, max=64))
    email = fields.String(required=True, validate=validate.Length(min=3, max=254))
    display_name = fields.String(required=True, validate=validate.Length(min=1, max=120))
    password = fields.String(required=True, load_only=True, validate=validate.Length(max=1024))
    is_admin = fields.Boolean(load_default=False)


class UserSchema(Schema):
    id = fields.Integer()
    username = fields.String()
    email = fields.String()
    display_name = fields.String()
    is_admin = fields.Boolean()
    active = fields.Boolean()
    created_at = UtcDateTime()
