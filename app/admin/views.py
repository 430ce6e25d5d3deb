"""Administrators create people, deactivate and reactivate them, grant the admin role, set
a colleague's password and reset their two-factor sign-in."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts import service as accounts
from app.accounts import twofactor
from app.accounts.forms import NewUserForm, SetPasswordForm
from app.errors import DomainError, Forbidden
from app.forms import show_errors
from app.inputs import positive_int
from app.spaces import policy

bp = Blueprint("admin", __name__, url_prefix="/admin", template_folder="templates")


@bp.before_request
def administrators_only():
    if not policy.can_administer(current_user):
        raise Forbidden(_("Only administrators may do this."))


@bp.route("/users", methods=["GET", "POST"])
def users():
    form = NewUserForm()
    if form.validate_on_submit():
        try:
            user = accounts.create_user(
                current_user,
                accounts.NewUser(
                    username=form.username.data,
                    email=form.email.data,
                    display_name=form.display_name.data,
                    password=form.password.data,
                    is_admin=form.is_admin.data,
                ),
            )
        except DomainError as err:
            show_errors(form, err)
        else:
            flash(_("The account %(username)s was created.", username=user.username), "success")
            return redirect(url_for("admin.users"))
    search = request.args.get("q", "")
    status = request.args.get("status", "")
    people = accounts.list_users(
        current_user, page=request.args.get("page", 1, positive_int), search=search, status=status
    )
    return render_template(
        "admin/users.html",
        form=form,
        people=people,
        search=search,
        status=status if status in accounts.USER_STATUSES else "",
        with_second_factor=twofactor.with_second_factor([user.id for user in people.items]),
    )


@bp.route("/users/<int:user_id>/active", methods=["POST"])
def set_active(user_id: int):
    user = accounts.get_user(current_user, user_id)
    active = request.form.get("active") == "1"
    accounts.set_active(current_user, user, active)
    if active:
        flash(_("%(name)s can sign in again.", name=user.display_name), "success")
    else:
        flash(_("%(name)s was deactivated.", name=user.display_name), "success")
    return redirect(url_for("admin.users"))


@bp.route("/users/<int:user_id>/admin", methods=["POST"])
def set_admin(user_id: int):
    user = accounts.get_user(current_user, user_id)
    accounts.set_admin(current_user, user, request.form.get("admin") == "1")
    flash(_("The role of %(name)s was changed.", name=user.display_name), "success")
    return redirect(url_for("admin.users"))


@bp.route("/users/<int:user_id>/two-factor/reset", methods=["POST"])
def reset_two_factor(user_id: int):
    user = accounts.get_user(current_user, user_id)
    try:
        twofactor.reset(current_user, user)
    except DomainError as err:
        flash(err.message, "danger")
    else:
        flash(
            _(
                "Two-factor sign-in of %(name)s was reset and they were signed out everywhere.",
                name=user.display_name,
            ),
            "success",
        )
    return redirect(url_for("admin.users"))


@bp.route("/users/<int:user_id>/password", methods=["GET", "POST"])
def set_password(user_id: int):
    user = accounts.get_user(current_user, user_id)
    accounts.check_may_set_password(current_user, user)
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            accounts.set_password(current_user, user, form.password.data)
        except DomainError as err:
            show_errors(form, err)
        else:
            flash(
                _(
                    "The password of %(name)s was set. They choose their own at the next sign-in.",
                    name=user.display_name,
                ),
                "success",
            )
            return redirect(url_for("admin.users"))
    return render_template("admin/set_password.html", form=form, person=user)
