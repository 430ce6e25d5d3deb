from marshmallow import Schema, fields, validate

from app.restapi import PageQuery, UtcDateTime
from app.wiki.models import MAX_TITLE
from app.wiki.service import MAX_BODY, MAX_COMMENT


class NewPageSchema(Schema):
    title = fields.String(required=True, validate=validate.Length(min=1, max=MAX_TITLE))
    body = fields.String(load_default="", validate=validate.Length(max=MAX_BODY))
    space_id = fields.Integer(load_default=None, allow_none=True)
    parent_id = fields.Integer(load_default=None, allow_none=True)
    tags = fields.String(load_default="", validate=validate.Length(max=500))
    comment = fields.String(load_default="", validate=validate.Length(max=MAX_COMMENT))


class PageEditSchema(Schema):
    title = fields.String(validate=validate.Length(min=1, max=MAX_TITLE))
    body = fields.String(required=True, validate=validate.Length(max=MAX_BODY))
    base_revision = fields.Integer(required=True, validate=validate.Range(min=1))
    tags = fields.String(validate=validate.Length(max=500))
    comment = fields.String(load_default="", validate=validate.Length(max=MAX_COMMENT))
    # Moving: another space (null: the global wiki) and/or another parent page (null: none).
    space_id = fields.Integer(allow_none=True, validate=validate.Range(min=1))
    parent_id = fields.Integer(allow_none=True, validate=validate.Range(min=1))


class PageSummarySchema(Schema):
    id = fields.Integer()
    title = fields.String()
    slug = fields.String()
    space_id = fields.Integer(allow_none=True)
    parent_id = fields.Integer(allow_none=True)
    revision = fields.Integer()
    tags = fields.Function(lambda page: page.tag_list)
    owner = fields.Function(lambda page: page.owner.username if page.owner else None)
    created_at = UtcDateTime()
    updated_at = UtcDateTime()
    reviewed_at = UtcDateTime(allow_none=True)
    url = fields.String()


class PageSchema(PageSummarySchema):
    body = fields.String()
    html = fields.String(attribute="body_html")


class PageListQuery(PageQuery):
    space_id = fields.Integer()
    space = fields.Integer()  # the name other lists use (GET /search, /microposts)
    tag = fields.String(validate=validate.Length(max=100))


class PageListSchema(Schema):
    total = fields.Integer()
    page = fields.Integer()
    per_page = fields.Integer()
    items = fields.List(fields.Nested(PageSummarySchema))


class RevisionSchema(Schema):
    number = fields.Integer()
    title = fields.String()
    author = fields.Function(lambda revision: revision.author.username if revision.author else None)
    comment = fields.String()
    created_at = UtcDateTime()


class RevisionListSchema(Schema):
    total = fields.Integer()
    page = fields.Integer()
    per_page = fields.Integer()
    items = fields.List(fields.Nested(RevisionSchema))
