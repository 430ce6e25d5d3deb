"""Pages of blogs: index, blog, post, editor, archive, tags, Atom feeds, feed settings."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import to_user_timezone, to_utc
from flask_login import current_user
from flask_wtf import FlaskForm

from app import content
from app.blog import feeds, service
from app.blog.forms import AuthorForm, BlogForm, PostForm
from app.blog.models import PUBLISHED, Post
from app.errors import DomainError, Invalid
from app.forms import show_errors
from app.inputs import positive_int
from app.social import service as social
from app.spaces import policy
from app.uploads.store import send_upload
from app.urls import absolute_url_for

bp = Blueprint("blog", __name__, template_folder="templates")


def _page() -> int:
    return request.args.get("page", 1, positive_int)


def _social_figures(posts: list[Post]) -> dict:
    """Likes and comment counts of the listed posts: two queries, whatever the length."""
    ids = [post.id for post in posts]
    return {
        "likes": social.like_counts("blog_post", ids),
        "comment_counts": social.comment_counts("blog_post", ids),
    }


@bp.route("/blog/")
def index():
    space_id = request.args.get("space", type=positive_int)
    tag = (request.args.get("tag") or "").strip() or None
    posts = service.list_posts(current_user, space_id=space_id, tag=tag, page=_page())
    blogs = service.all_readable_blogs(current_user)
    spaces = sorted({blog.space for blog in blogs if blog.space}, key=lambda s: s.name.lower())
    return render_template(
        "blog/index.html",
        posts=posts,
        blogs=blogs,
        spaces=spaces,
        space_id=space_id,
        tag=tag,
        **_social_figures(posts.items),
    )


@bp.route("/blog/new", methods=["GET", "POST"])
def new_blog():
    form = BlogForm()
    form.space_id.choices = [
        (0, _("— my personal blog —")),
        *((space.id, space.name) for space in service.spaces_for_new_blogs(current_user)),
    ]
    if request.method == "GET":
        form.space_id.data = request.args.get("space", 0, positive_int)
    if form.validate_on_submit():
        try:
            blog = service.create_blog(
                current_user,
                service.NewBlog(
                    form.title.data, form.description.data or "", form.space_id.data or None
                ),
            )
        except DomainError as err:
            show_errors(form, err)
        else:
            flash(_("The blog %(title)s was created.", title=blog.title), "success")
            return redirect(url_for("blog.show_blog", blog_id=blog.id))
    return render_template("blog/new_blog.html", form=form)


@bp.route("/blog/<int:blog_id>")
def show_blog(blog_id: int):
    blog = service.get_blog(current_user, blog_id)
    posts = service.list_posts(current_user, blog=blog, include_drafts=True, page=_page())
    can_post = policy.can_post(current_user, blog)
    is_owner = policy.is_blog_owner(current_user, blog)
    questions, post_titles = [], {}
    if can_post:
        # Open questions on the blog's posts, for its authors to answer.
        questions, post_titles = service.open_questions(current_user, blog)
    return render_template(
        "blog/blog.html",
        blog=blog,
        posts=posts,
        can_post=can_post,
        is_owner=is_owner,
        authors=service.authors_of(blog),
        questions=questions,
        post_titles=post_titles,
        following=str(blog.id) in social.follows_of(current_user, "blog"),
        author_form=AuthorForm(),
        **_social_figures(posts.items),
    )


@bp.route("/blog/<int:blog_id>/authors", methods=["POST"])
def add_author(blog_id: int):
    blog = service.get_blog(current_user, blog_id)
    form = AuthorForm()
    if form.validate_on_submit():
        try:
            service.name_author(current_user, blog, form.username.data)
        except DomainError as err:
            if err.status == 403:
                raise
            flash(err.message, "danger")
        else:
            flash(_("%(username)s may write here now.", username=form.username.data), "success")
    return redirect(url_for("blog.show_blog", blog_id=blog.id))


@bp.route("/blog/<int:blog_id>/authors/<username>/remove", methods=["POST"])
def remove_author(blog_id: int, username: str):
    blog = service.get_blog(current_user, blog_id)
    service.remove_author(current_user, blog, username)
    flash(_("%(username)s no longer writes here.", username=username), "success")
    return redirect(url_for("blog.show_blog", blog_id=blog.id))


@bp.route("/blog/<int:blog_id>/archive")
def archive(blog_id: int):
    blog = service.get_blog(current_user, blog_id)
    return render_template(
        "blog/archive.html", blog=blog, months=service.archive_months(current_user, blog)
    )


@bp.route("/blog/<int:blog_id>/archive/<int:year>/<int:month>")
def archive_month(blog_id: int, year: int, month: int):
    blog = service.get_blog(current_user, blog_id)
    posts = service.posts_of_month(current_user, blog, year, month)
    return render_template(
        "blog/month.html",
        blog=blog,
        posts=posts,
        year=year,
        month=month,
        **_social_figures(posts),
    )


@bp.route("/blog/tags/<tag>")
def tag(tag: str):
    posts = service.list_posts(current_user, tag=tag, page=_page())
    return render_template("blog/tag.html", tag=tag, posts=posts, **_social_figures(posts.items))


@bp.route("/blog/posts/<int:post_id>")
@bp.route("/blog/posts/<int:post_id>/<slug>")
def show_post(post_id: int, slug: str | None = None):
    post = service.get_post(current_user, post_id)
    target = f"blog_post:{post.id}"
    if not post.is_draft:
        content.viewed(current_user, "blog_post", post)
    conversation = social.conversation(current_user, target)
    return render_template(
        "blog/post.html",
        post=post,
        target=target,
        comments=conversation.comments,
        **content.panels(current_user, "blog_post", post, comments=conversation.comments),
        likes=conversation.likes,
        liked=conversation.liked,
        can_edit=policy.can_edit_post(current_user, post),
        can_mark_answer=conversation.can_mark_answer,
    )


@bp.route("/blog/<int:blog_id>/write", methods=["GET", "POST"])
def write_post(blog_id: int):
    blog = service.get_blog(current_user, blog_id)
    if not policy.can_post(current_user, blog):
        abort(403)
    form = PostForm()
    if form.is_submitted():
        if form.validate():
            try:
                draft = _draft_from(form)
                post = service.write_post(current_user, blog, draft, _cover(form))
            except DomainError as err:
                show_errors(form, err)
            else:
                flash(_status_message(post), "success")
                return redirect(_post_url(post))
        return render_template("blog/editor.html", form=form, blog=blog, post=None), 422
    return render_template("blog/editor.html", form=form, blog=blog, post=None)


@bp.route("/blog/posts/<int:post_id>/edit", methods=["GET", "POST"])
def edit_post(post_id: int):
    post = service.get_post(current_user, post_id)
    if not policy.can_edit_post(current_user, post):
        abort(403)
    form = PostForm()
    if form.is_submitted():
        if form.validate():
            try:
                draft = _draft_from(form)
                service.edit_post(current_user, post, draft, _cover(form))
            except DomainError as err:
                show_errors(form, err)
            else:
                flash(_status_message(post), "success")
                return redirect(_post_url(post))
        return render_template("blog/editor.html", form=form, blog=post.blog, post=post), 422
    form.title.data = post.title
    form.body.data = post.body
    form.tags.data = " ".join(post.tags)
    if post.status == PUBLISHED:
        form.status.data = "scheduled" if post.is_scheduled else "published"
    if post.publish_at is not None and post.is_draft:
        form.publish_at.data = to_user_timezone(post.publish_at).replace(tzinfo=None)
    return render_template("blog/editor.html", form=form, blog=post.blog, post=post)


@bp.route("/blog/posts/<int:post_id>/delete", methods=["POST"])
def delete_post(post_id: int):
    post = service.get_post(current_user, post_id)
    blog_id = post.blog_id
    service.delete_post(current_user, post)
    flash(_("The post was deleted."), "success")
    return redirect(url_for("blog.show_blog", blog_id=blog_id))


def _draft_from(form: PostForm) -> service.PostDraft:
    choice = form.status.data
    publish_at = None
    if choice == "scheduled":
        if form.publish_at.data is None:
            message = _("Choose the publication time.")
            raise Invalid(message, {"publish_at": [message]})
        publish_at = to_utc(form.publish_at.data)
    raw_tags = (form.tags.data or "").replace(",", " ").split()
    return service.PostDraft(
        title=form.title.data or "",
        body=form.body.data or "",
        status=PUBLISHED if choice in ("published", "scheduled") else "draft",
        publish_at=publish_at,
        tags=tuple(raw_tags),
    )


def _cover(form: PostForm):
    upload = form.cover.data
    if not upload or not getattr(upload, "filename", ""):
        return None
    return service.save_cover(current_user, upload.stream, upload.filename)


def _status_message(post: Post) -> str:
    if post.is_scheduled:
        return _("The post is scheduled.")
    if post.is_draft:
        return _("The draft was saved.")
    return _("The post is published.")


def _post_url(post: Post, **values) -> str:
    return url_for("blog.show_post", post_id=post.id, slug=post.slug, **values)


@bp.route("/blog/posts/<int:post_id>/cover")
def cover(post_id: int):
    post = service.get_post(current_user, post_id)
    if post.cover is None:
        abort(404)
    return send_upload(post.cover, inline=True)


# --- feeds ---------------------------------------------------------------------------------


@bp.route("/blog/feeds/<token>/all.atom")
def feed_all(token: str):
    reader = service.user_for_feed_token(token)
    return feeds.atom_response(reader, None)


@bp.route("/blog/feeds/<token>/<int:blog_id>.atom")
def feed_blog(token: str, blog_id: int):
    reader = service.user_for_feed_token(token)
    return feeds.atom_response(reader, service.get_blog(reader, blog_id))


@bp.route("/settings/feeds", methods=["GET", "POST"])
def feed_settings():
    form = FlaskForm()
    if form.validate_on_submit():
        service.new_feed_token(current_user)
        flash(_("Your feeds have a new address. The old addresses no longer work."), "success")
        return redirect(url_for("blog.feed_settings"))
    token = service.feed_token(current_user)
    return render_template(
        "blog/feed_settings.html",
        form=form,
        all_url=absolute_url_for("blog.feed_all", token=token),
        blogs=[
            (blog, absolute_url_for("blog.feed_blog", token=token, blog_id=blog.id))
            for blog in service.all_readable_blogs(current_user)
        ],
    )


@bp.context_processor
def archive_helpers() -> dict:
    from datetime import date

    from flask_babel import format_date

    def month_name(year: int, month: int) -> str:
        return format_date(date(year, month, 1), "MMMM yyyy")

    return {"month_name": month_name}
