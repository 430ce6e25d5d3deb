"""Asking for and giving read confirmations; the author's overview."""

from flask import Blueprint, flash, redirect, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.views import safe_target
from app.confirmations import service

bp = Blueprint("confirmations", __name__, template_folder="templates")


def _back() -> str:
    return safe_target(request.form.get("next"), "/")


@bp.route("/confirmations/request", methods=["POST"])
def request_confirmation():
    service.request_confirmation(current_user, request.form.get("target", ""))
    flash(_("Readers are now asked to confirm that they read this."), "success")
    return redirect(_back())


@bp.route("/confirmations/confirm", methods=["POST"])
def confirm():
    service.confirm(current_user, request.form.get("target", ""))
    flash(_("Thank you for confirming."), "success")
    return redirect(_back())


@bp.route("/confirmations/report")
def show_report():
    found = service.report(current_user, request.args.get("target", ""))
    return render_template("confirmations/report.html", report=found)
