"""The stream pages: read the request, call the service, render."""

from __future__ import annotations

from flask import current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import content
from app.accounts.views import safe_target
from app.errors import Conflict, Invalid, TooLarge
from app.inputs import positive_int
from app.microblog import bp, service, streams
from app.microblog.limits import RateLimited, check_posting_rate
from app.microblog.streams import Stream
from app.microblog.suggestions import mention_suggestions as find_suggestions
from app.social import service as social
from app.spaces import policy
from app.uploads.store import send_upload


@bp.route("/", methods=["GET"])
def stream():
    tab = request.args.get("tab")
    if tab not in ("all", "following"):
        tab = streams.default_tab(current_user)
    return _render_stream(Stream(tab), heading=_("Stream"), tab=tab)


@bp.route("/", methods=["POST"])
def create_post():
    new = service.NewPost(
        body=request.form.get("body", ""),
        space_id=request.form.get("space_id", None, positive_int),
        reply_to=request.form.get("reply_to", None, positive_int),
        files=tuple(
            service.NewFile(upload.stream, upload.filename)
            for upload in request.files.getlist("files")
            if upload.filename
        ),
    )
    back = safe_target(request.form.get("next"), url_for("microblog.stream"))
    try:
        check_posting_rate(current_user)
        post = service.create_post(current_user, new)
    except (Invalid, TooLarge, RateLimited) as err:
        # Nothing written is lost: the text comes back with the reason, ready to resend.
        page = render_template("microblog/rejected.html", new=new, error=err.message, back=back)
        return page, err.status
    flash(_("Your post was published."), "success")
    target = back
    if post.is_reply:
        target = url_for("microblog.show_post", post_id=post.id) + f"#post-{post.id}"
    if request.headers.get("X-Composer") == "1":
        # The composer sent in the background: it goes there itself, and the notice waits
        # for that page (following a redirect here would show, and use up, the notice).
        return jsonify(url=target)
    return redirect(target)


@bp.route("/posts/<int:post_id>")
def show_post(post_id: int):
    page = streams.thread_page(current_user, post_id)
    root = page.posts[0]
    content.viewed(current_user, "micropost", root)
    return render_template(
        "microblog/thread.html",
        page=page,
        **content.panels(current_user, "micropost", root),
        conversation=page.posts,
        current_id=post_id,
        reply_to=post_id,
    )


@bp.route("/posts/<int:post_id>/attachments/<int:attachment_id>")
def show_attachment(post_id: int, attachment_id: int):
    attachment = service.get_attachment(current_user, post_id, attachment_id)
    return send_upload(attachment.upload, inline=request.args.get("inline") == "1")


@bp.route("/posts/<int:post_id>/edit", methods=["GET", "POST"])
def edit_post(post_id: int):
    post = service.editable_post(current_user, post_id)
    body = post.body
    error = None
    if request.method == "POST":
        body = request.form.get("body", "")
        try:
            service.edit_post(current_user, post_id, body)
        except (Invalid, Conflict) as err:
            error = err.message
        else:
            flash(_("Your post was saved."), "success")
            return redirect(url_for("microblog.show_post", post_id=post_id) + f"#post-{post_id}")
    status = 422 if error else 200  # the text stays, whatever went wrong
    return render_template("microblog/edit.html", post=post, body=body, error=error), status


@bp.route("/posts/<int:post_id>/delete", methods=["POST"])
def delete_post(post_id: int):
    post = service.delete_post(current_user, post_id, request.form.get("reason"))
    if post.removed_by_id:
        flash(_("The post was removed. Its author can read your reason."), "success")
    else:
        flash(_("Your post was deleted."), "success")
    return redirect(safe_target(request.form.get("next"), url_for("microblog.stream")))


@bp.route("/posts/<int:post_id>/pin", methods=["POST"])
def pin_post(post_id: int):
    service.pin_post(current_user, post_id)
    flash(_("The announcement is pinned to the top of the stream."), "success")
    return redirect(safe_target(request.form.get("next"), url_for("microblog.stream")))


@bp.route("/posts/<int:post_id>/unpin", methods=["POST"])
def unpin_post(post_id: int):
    service.unpin_post(current_user, post_id)
    flash(_("The announcement is no longer pinned."), "success")
    return redirect(safe_target(request.form.get("next"), url_for("microblog.stream")))


@bp.route("/posts/<int:post_id>/answer", methods=["POST"])
def mark_answer(post_id: int):
    # Not a valid id: 0, which names no reply (the service answers 422).
    reply_id = request.form.get("reply_id", 0, positive_int)
    service.mark_answer(current_user, post_id, reply_id)
    flash(_("The reply is marked as the answer."), "success")
    return redirect(url_for("microblog.show_post", post_id=post_id) + "#answer")


@bp.route("/posts/<int:post_id>/answer/clear", methods=["POST"])
def clear_answer(post_id: int):
    service.clear_answer(current_user, post_id)
    flash(_("The reply is no longer marked as the answer."), "success")
    return redirect(url_for("microblog.show_post", post_id=post_id))


@bp.route("/tags/<tag>")
def tag_stream(tag: str):
    stream = Stream.parse(f"tag:{tag}")
    return _render_stream(stream, heading=_("Posts tagged #%(tag)s", tag=stream.key))


@bp.route("/spaces/<slug>")
def space_stream(slug: str):
    space = streams.stream_space(current_user, slug)
    return _render_stream(
        Stream("space", str(space.id)),
        heading=_("Stream of %(space)s", space=space.name),
        space=space,
    )


@bp.route("/people/<username>")
def person_stream(username: str):
    person = streams.stream_person(username)
    removed = service.removed_posts_of(current_user) if person.id == current_user.id else []
    return _render_stream(
        Stream("person", person.username),
        heading=_("Posts by %(name)s", name=person.display_name),
        person=person,
        removed=removed,
    )


@bp.route("/updates")
def stream_updates():
    """How many posts arrived since ``since`` (the stream page polls this)."""
    stream = Stream.parse(request.args.get("stream"))
    count, newest = streams.new_posts(current_user, stream, request.args.get("since"))
    return jsonify(count=count, newest=newest)


@bp.route("/mention-suggestions")
def mention_suggestions():
    found = find_suggestions(request.args.get("q", "")[:64])
    return jsonify(
        items=[
            {"username": item.username, "display_name": item.display_name, "skill": item.skill}
            for item in found
        ]
    )


def _render_stream(stream: Stream, *, heading: str, tab: str | None = None, **context):
    page = streams.stream_page(current_user, stream, request.args.get("cursor"))
    space = context.get("space")
    can_compose = stream.kind in ("following", "all") or (
        stream.kind == "space" and policy.can_contribute(current_user, space)
    )
    follow_target = _follow_target(stream)
    return render_template(
        "microblog/stream.html",
        follow_target=follow_target,
        following=follow_target is not None
        and follow_target.partition(":")[2]
        in social.follows_of(current_user, follow_target.partition(":")[0]),
        page=page,
        stream=stream,
        heading=heading,
        tab=tab,
        can_compose=can_compose,
        my_spaces=service.spaces_to_post_in(current_user) if stream.kind != "space" else [],
        poll_seconds=current_app.config["STREAM_POLL_SECONDS"],
        max_length=current_app.config["MICROPOST_MAX_LENGTH"],
        older_url=page.next_cursor
        and url_for(request.endpoint, **request.view_args, tab=tab, cursor=page.next_cursor),
        **context,
    )


def _follow_target(stream: Stream) -> str | None:
    """What the follow button of a space, tag or person stream follows (not oneself)."""
    if stream.kind == "person" and stream.key == current_user.username:
        return None
    kinds = {"space": "space", "tag": "tag", "person": "user"}
    return f"{kinds[stream.kind]}:{stream.key}" if stream.kind in kinds else None
