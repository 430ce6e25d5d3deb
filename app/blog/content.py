"""What the blog declares in the registry of content kinds: blogs and their posts, and the
home page's blocks."""

from __future__ import annotations

from sqlalchemy import and_, select

from app.blog import privacy, search, service
from app.blog.models import Blog, Post
from app.content import ContentKind, Registry
from app.spaces import policy


def readable_posts(actor):
    """Posts ``actor`` may read in lists, in blogs that still exist."""
    live_blogs = select(Blog.id).where(Blog.deleted_at.is_(None))
    return and_(policy.readable_posts(actor, Post), Post.blog_id.in_(live_blogs))


def declare(registry: Registry) -> None:
    registry.declare(
        ContentKind(
            name="blog_post",
            model=Post,
            get=service.get_post,
            readable=readable_posts,
            title=lambda post: post.title,
            url=lambda post: post.url,
            label="blog",
            search_kind=Post.search_kind,
            search=search,
            commentable=True,
            likeable=True,
            counted=True,
            confirmable=lambda post: True,
        )
    )
    registry.declare(
        ContentKind(
            name="blog",
            model=Blog,
            get=service.get_blog,
            readable=lambda actor: policy.readable(actor, Blog),
            title=lambda blog: blog.title,
            url=lambda blog: blog.url,
        )
    )
    registry.add_privacy("blog", privacy)
    registry.offer("home.followed_posts", service.latest_posts_in)
    registry.offer("home.open_questions", service.questions_to_answer)
    registry.offer("insights.contributions", service.contributions_since)
    registry.offer("insights.new_posts", service.created_since)
    registry.offer("clock.due", service.announce_due_posts)
