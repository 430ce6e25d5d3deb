"""JSON API for blogs and their posts (comments and likes: /comments, /likes)."""

from flask_babel import gettext as _
from flask_smorest import Blueprint

from app.accounts.auth import api_actor
from app.blog import service
from app.blog.models import Post
from app.blog.schemas import (
    BlogDetailSchema,
    BlogListQuery,
    BlogListSchema,
    BlogSchema,
    NewBlogSchema,
    PostInputSchema,
    PostListSchema,
    PostSchema,
)
from app.errors import NotFound
from app.restapi import PageQuery, page_envelope, per_page
from app.urls import absolute_url_for

blp = Blueprint("blog_api", __name__, url_prefix="/blogs", description="Blogs and posts")


@blp.route("", methods=["POST"])
@blp.arguments(NewBlogSchema)
@blp.response(201, BlogSchema)
def create_blog(data: dict):
    return service.create_blog(api_actor(), service.NewBlog(**data))


@blp.route("", methods=["GET"])
@blp.arguments(BlogListQuery, location="query")
@blp.response(200, BlogListSchema)
def list_blogs(args: dict):
    blogs = service.list_blogs(
        api_actor(),
        space_id=args.get("space_id"),
        page=args["page"],
        per_page=per_page(args["per_page"]),
    )
    return page_envelope(blogs)


@blp.route("/<int:blog_id>", methods=["GET"])
@blp.response(200, BlogDetailSchema)
def get_blog(blog_id: int):
    blog = service.get_blog(api_actor(), blog_id)
    token = service.feed_token(api_actor())
    return _WithFeed(blog, absolute_url_for("blog.feed_blog", token=token, blog_id=blog.id))


@blp.route("/<int:blog_id>/posts", methods=["POST"])
@blp.arguments(PostInputSchema)
@blp.response(201, PostSchema)
def write_post(data: dict, blog_id: int):
    blog = service.get_blog(api_actor(), blog_id)
    return service.write_post(api_actor(), blog, _draft(data))


@blp.route("/<int:blog_id>/posts", methods=["GET"])
@blp.arguments(PageQuery, location="query")
@blp.response(200, PostListSchema)
def list_posts(args: dict, blog_id: int):
    blog = service.get_blog(api_actor(), blog_id)
    posts = service.list_posts(
        api_actor(),
        blog=blog,
        include_drafts=True,
        page=args["page"],
        per_page=per_page(args["per_page"]),
    )
    return page_envelope(posts)


@blp.route("/<int:blog_id>/posts/<int:post_id>", methods=["GET"])
@blp.response(200, PostSchema)
def get_post(blog_id: int, post_id: int):
    return _post(blog_id, post_id)


@blp.route("/<int:blog_id>/posts/<int:post_id>", methods=["PUT"])
@blp.arguments(PostInputSchema)
@blp.response(200, PostSchema)
def edit_post(data: dict, blog_id: int, post_id: int):
    return service.edit_post(api_actor(), _post(blog_id, post_id), _draft(data))


@blp.route("/<int:blog_id>/posts/<int:post_id>", methods=["DELETE"])
@blp.response(204)
def delete_post(blog_id: int, post_id: int):
    service.delete_post(api_actor(), _post(blog_id, post_id))


class _WithFeed:
    """A blog as the caller sees it: with the address of its feed for them."""

    def __init__(self, blog, feed_url: str) -> None:
        self._blog = blog
        self.feed_url = feed_url

    def __getattr__(self, name: str):
        return getattr(self._blog, name)


def _post(blog_id: int, post_id: int) -> Post:
    post = service.get_post(api_actor(), post_id)
    if post.blog_id != blog_id:
        raise NotFound(_("No such post."))
    return post


def _draft(data: dict) -> service.PostDraft:
    return service.PostDraft(
        title=data["title"],
        body=data["body"],
        status=data["status"],
        publish_at=data.get("publish_at"),
        tags=tuple(data.get("tags") or ()),
    )
