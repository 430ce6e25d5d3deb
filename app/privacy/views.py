"""Pages: a person downloads their data (/settings/data); an administrator erases a former
colleague (/admin/users/<id>/erase, after a confirmation that names the consequences)."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts import service as accounts
from app.accounts.models import User
from app.clock import utcnow
from app.privacy import service

bp = Blueprint("privacy", __name__, template_folder="templates")


@bp.route("/settings/data")
def data_settings():
    return render_template("privacy/data.html")


@bp.route("/settings/data/export", methods=["POST"])
def export_data():
    return send_export(current_user._get_current_object())


def send_export(user: User) -> Response:
    """The ZIP of ``user``'s own data as a download (pages and the API)."""
    archive = service.export_archive(user, user)
    response = send_file(
        archive,
        mimetype="application/zip",
        as_attachment=True,
        download_name=service.export_filename(user, utcnow().date()),
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/admin/users/<int:user_id>/erase", methods=["GET", "POST"])
def erase_user(user_id: int):
    service.check_may_erase(current_user)
    user = accounts.get_user(current_user, user_id)
    if request.method == "POST":
        pseudonym = service.erase_user(current_user, user)
        flash(
            _(
                "The personal data was erased. The account is now %(name)s.",
                name=pseudonym.username,
            ),
            "success",
        )
        return redirect(url_for("admin.users"))
    return render_template(
        "privacy/erase.html",
        person=user,
        can_erase=service.can_be_erased(user),
        mode=service.erasure_mode(),
    )


@bp.app_template_global("can_be_erased")
def can_be_erased(user: User) -> bool:
    """For the people list of the admin pages: whether to offer the erasure."""
    return service.can_be_erased(user)
