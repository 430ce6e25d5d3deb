"""Form endpoints behind the comment, like and follow buttons of every tool's pages."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.views import safe_target
from app.errors import Conflict, Invalid, NotFound
from app.inputs import positive_int
from app.social import service

bp = Blueprint("social", __name__, template_folder="templates")


def _back() -> str:
    return safe_target(request.form.get("next"), url_for("home.index"))


@bp.route("/comments", methods=["POST"])
def add_comment():
    new = service.NewComment(
        target=request.form.get("target", ""),
        body=request.form.get("body", ""),
        is_question=request.form.get("is_question") == "y",
        parent_id=request.form.get("parent_id", None, positive_int),
    )
    try:
        comment = service.add_comment(current_user, new)
    except Invalid as err:
        # Nothing written is lost: show the text again with the reason, ready to resend.
        page = render_template(
            "social/comment_rejected.html", comment=new, error=err.message, back=_back()
        )
        return page, 422
    flash(_("Your comment was published."), "success")
    return redirect(f"{_back()}#comment-{comment.id}")


@bp.route("/comments/<int:comment_id>/answer", methods=["POST"])
def mark_answer(comment_id: int):
    service.mark_answer(current_user, comment_id)
    flash(_("The reply is marked as the answer."), "success")
    return redirect(f"{_back()}#comment-{comment_id}")


@bp.route("/comments/<int:comment_id>/delete", methods=["POST"])
def delete_comment(comment_id: int):
    service.delete_comment(current_user, comment_id)
    flash(_("The comment was removed."), "success")
    return redirect(f"{_back()}#comments")


@bp.route("/likes", methods=["POST"])
def toggle_like():
    target = request.form.get("target", "")
    try:
        service.like(current_user, target)
    except Conflict:
        service.unlike(current_user, target)
    return redirect(_back())


@bp.route("/follows", methods=["POST"])
def toggle_follow():
    target = request.form.get("target", "")
    try:
        service.follow(current_user, target)
        flash(_("You follow this now."), "success")
    except Conflict:
        service.unfollow(current_user, target)
        flash(_("You no longer follow this."), "success")
    except NotFound as err:
        flash(err.message, "danger")
    return redirect(_back())
