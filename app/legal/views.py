"""The legal pages: open to everyone (also before signing in), edited by administrators."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.errors import Invalid
from app.legal import service
from app.spaces import policy

bp = Blueprint("legal", __name__, template_folder="templates")


@bp.route("/about/<key>")
def show_page(key: str):
    text = service.get(key)
    can_edit = current_user.is_authenticated and policy.can_administer(current_user)
    return render_template("legal/show.html", text=text, can_edit=can_edit)


@bp.route("/admin/pages/<key>", methods=["GET", "POST"])
def edit_page(key: str):
    text = service.editable(current_user, key)
    body, error = text.body, None
    if request.method == "POST":
        body = request.form.get("body", "")
        try:
            service.update(current_user, key, body)
        except Invalid as err:
            error = err.message
        else:
            flash(_("The page was saved."), "success")
            return redirect(url_for("legal.show_page", key=key))
    return render_template("legal/edit.html", text=text, body=body, error=error)
