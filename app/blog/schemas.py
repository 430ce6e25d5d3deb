from datetime import UTC

from flask import url_for
from marshmallow import Schema, fields, validate

from app.restapi import PageQuery, UtcDateTime


class NewBlogSchema(Schema):
    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    description = fields.String(load_default="", validate=validate.Length(max=2000))
    space_id = fields.Integer(load_default=None, allow_none=True)


class BlogSchema(Schema):
    id = fields.Integer()
    title = fields.String()
    description = fields.String()
    space_id = fields.Integer(allow_none=True)
    owner = fields.Function(lambda blog: blog.owner.username if blog.owner else None)
    created_at = UtcDateTime()
    url = fields.Function(lambda blog: url_for("blog.show_blog", blog_id=blog.id))


class BlogDetailSchema(BlogSchema):
    feed_url = fields.String()


class BlogListQuery(PageQuery):
    space_id = fields.Integer()


class BlogListSchema(Schema):
    total = fields.Integer()
    page = fields.Integer()
    per_page = fields.Integer()
    items = fields.List(fields.Nested(BlogSchema))


class PostInputSchema(Schema):
    # Lengths and emptiness are the service's rules (one message for pages and the API).
    title = fields.String(required=True)
    body = fields.String(required=True)
    status = fields.String(load_default="draft", validate=validate.OneOf(["draft", "published"]))
    # Naive times are UTC; times with an offset are converted to UTC.
    publish_at = fields.NaiveDateTime(load_default=None, allow_none=True, timezone=UTC)
    tags = fields.List(fields.String(), load_default=list)


class PostSchema(Schema):
    id = fields.Integer()
    blog_id = fields.Integer()
    title = fields.String()
    slug = fields.String()
    body = fields.String()
    html = fields.String(attribute="body_html")
    tags = fields.List(fields.String())
    status = fields.String()
    draft = fields.Boolean(attribute="is_draft")
    publish_at = UtcDateTime(allow_none=True)
    created_at = UtcDateTime()
    updated_at = UtcDateTime()
    edited_at = UtcDateTime(allow_none=True)
    reading_minutes = fields.Integer()
    author = fields.Function(lambda post: post.author.username)
    url = fields.Function(lambda post: url_for("blog.show_post", post_id=post.id, slug=post.slug))


class PostListSchema(Schema):
    total = fields.Integer()
    page = fields.Integer()
    per_page = fields.Integer()
    items = fields.List(fields.Nested(PostSchema))
