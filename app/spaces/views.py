"""Pages of spaces: list, create, show, join and leave, manage members."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.errors import DomainError
from app.forms import show_errors
from app.inputs import positive_int
from app.spaces import policy, service
from app.spaces.forms import MemberForm, SpaceForm

bp = Blueprint("spaces", __name__, url_prefix="/spaces", template_folder="templates")


@bp.route("/")
def list_spaces():
    kind = request.args.get("kind") or None
    if kind not in (None, "department", "project", "community"):
        kind = None
    spaces = service.list_spaces(
        current_user, kind=kind, page=request.args.get("page", 1, positive_int)
    )
    return render_template("spaces/list.html", spaces=spaces, kind=kind)


@bp.route("/new", methods=["GET", "POST"])
def create_space():
    form = SpaceForm()
    departments = service.department_choices(current_user)
    form.parent_id.choices = [(0, _("— none —")), *departments]
    if form.validate_on_submit():
        try:
            space = service.create_space(
                current_user,
                service.NewSpace(
                    name=form.name.data,
                    kind=form.kind.data,
                    visibility=form.visibility.data,
                    description=form.description.data or "",
                    parent_id=form.parent_id.data or None,
                ),
            )
        except DomainError as err:
            show_errors(form, err)
        else:
            flash(_("The space %(name)s was created.", name=space.name), "success")
            return redirect(url_for("spaces.show_space", slug=space.slug))
    return render_template("spaces/new.html", form=form)


@bp.route("/<slug>")
def show_space(slug: str):
    space = service.get_space_by_slug(current_user, slug)
    return render_template(
        "spaces/show.html",
        space=space,
        members=service.members(current_user, space),
        is_member=policy.is_member(current_user, space),
        can_join=policy.can_join(current_user, space),
        can_manage=policy.can_manage_space(current_user, space),
        member_form=MemberForm(),
    )


@bp.route("/<slug>/join", methods=["POST"])
def join_space(slug: str):
    space = service.get_space_by_slug(current_user, slug)
    service.join(current_user, space)
    flash(_("You joined %(name)s.", name=space.name), "success")
    return redirect(url_for("spaces.show_space", slug=space.slug))


@bp.route("/<slug>/leave", methods=["POST"])
def leave_space(slug: str):
    space = service.get_space_by_slug(current_user, slug)
    service.leave(current_user, space)
    flash(_("You left %(name)s.", name=space.name), "success")
    if policy.can_read_space(current_user, space):
        return redirect(url_for("spaces.show_space", slug=space.slug))
    return redirect(url_for("spaces.list_spaces"))


@bp.route("/<slug>/members", methods=["POST"])
def add_member(slug: str):
    space = service.get_space_by_slug(current_user, slug)
    form = MemberForm()
    if form.validate_on_submit():
        try:
            added = service.add_member(current_user, space, form.username.data, form.role.data)
        except DomainError as err:
            flash(err.message, "danger")
        else:
            flash(_("%(name)s was added.", name=added.user.display_name), "success")
    else:
        flash(_("Enter the username of the colleague to add."), "danger")
    return redirect(url_for("spaces.show_space", slug=space.slug))


@bp.route("/<slug>/members/<username>/remove", methods=["POST"])
def remove_member(slug: str, username: str):
    space = service.get_space_by_slug(current_user, slug)
    service.remove_member(current_user, space, username)
    flash(_("The member was removed."), "success")
    return redirect(url_for("spaces.show_space", slug=space.slug))


@bp.route("/<slug>/members/<username>/role", methods=["POST"])
def change_role(slug: str, username: str):
    space = service.get_space_by_slug(current_user, slug)
    service.set_role(current_user, space, username, request.form.get("role", ""))
    flash(_("The role was changed."), "success")
    return redirect(url_for("spaces.show_space", slug=space.slug))
