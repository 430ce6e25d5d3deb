"""Accepting the guidelines; administrators publish them and see who accepted."""

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.views import safe_target
from app.errors import DomainError, NotFound
from app.guidelines import service
from app.guidelines.gate import SESSION_KEY
from app.inputs import positive_int

bp = Blueprint("guidelines", __name__, template_folder="templates")


@bp.route("/guidelines", methods=["GET", "POST"])
def accept():
    release = service.current_release()
    if release is None:
        raise NotFound(_("No usage guidelines are published."))
    target = safe_target(request.values.get("next"), url_for("home.index"))
    if request.method == "POST":
        try:
            service.accept(current_user, request.form.get("version", 0, positive_int))
        except DomainError as err:
            flash(err.message, "warning")
            return redirect(url_for("guidelines.accept", next=target))
        session[SESSION_KEY] = release.version
        flash(_("Thank you. You accepted the usage guidelines."), "success")
        return redirect(target)
    title, html = service.published_text(release)
    return render_template(
        "guidelines/accept.html",
        release=release,
        title=title,
        html=html,
        accepted=service.has_accepted(current_user, release.version),
        next=target,
    )


@bp.route("/admin/guidelines", methods=["GET", "POST"])
def manage():
    if request.method == "POST":
        try:
            release = service.publish(current_user, request.form.get("page_id", 0, positive_int))
        except DomainError as err:
            if err.status == 403:
                raise
            flash(err.message, "danger")
        else:
            flash(
                _("Version %(version)d of the guidelines is published.", version=release.version),
                "success",
            )
        return redirect(url_for("guidelines.manage"))
    number = request.args.get("page", 1, positive_int)
    people, total = service.acceptances(current_user, page=number)
    release = service.current_release()
    return render_template(
        "guidelines/manage.html",
        pages=service.candidate_pages(current_user),
        release=release,
        accepted_count=service.acceptance_count(release.version) if release else 0,
        people=people,
        total=total,
        number=number,
        per_page=50,
    )
