"""Pages of profiles: the directory, a profile, editing it, skills, departments, vCards."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.models import User
from app.errors import DomainError
from app.extensions import db
from app.forms import show_errors
from app.inputs import positive_int
from app.privacy.pseudonyms import is_erased
from app.profiles import (
    avatars,
    certificates,
    directory,
    endorsements,
    levels,
    service,
    vocabulary,
)
from app.profiles.forms import AvatarForm, CertificateForm, MergeSkillForm, ProfileForm
from app.profiles.levels import SKILL_LEVEL_NAMES, language_choices
from app.profiles.models import LANGUAGE_LEVELS
from app.profiles.vcard import vcard
from app.search import service as search
from app.spaces import policy
from app.spaces import service as spaces
from app.urls import absolute_url_for

bp = Blueprint("profiles", __name__, url_prefix="/people", template_folder="templates")

# Avatars never change under their hash: browsers may keep them for a year.
AVATAR_MAX_AGE = 365 * 24 * 3600


@bp.route("/", endpoint="directory")
def list_people():
    wanted = _filter_from_request()
    try:
        found = directory.search_directory(
            current_user, wanted, page=request.args.get("page", 1, positive_int)
        )
        errors = {}
    except DomainError as err:
        found, errors = None, err.errors
    experts = _experts(wanted.q)
    # Nobody found: as the search does, offer the closest skills and to ask in the stream.
    nobody = found is not None and found.pagination.total == 0 and not experts
    topic = " ".join((wanted.skill or wanted.q).split())
    return render_template(
        "profiles/directory.html",
        found=found,
        experts=experts,
        nobody=nobody,
        ask_text=search.ask_in_stream_text(topic) if nobody and topic else "",
        closest_skills=search.closest_skills(topic) if nobody and topic else [],
        wanted=wanted,
        errors=errors,
        departments=directory.department_choices(current_user),
        languages=language_choices(),
        language_levels=LANGUAGE_LEVELS,
        skill_levels=SKILL_LEVEL_NAMES,
        filter_args=_filter_args(wanted),
    )


def _experts(topic: str) -> list:
    """ "Who here knows about X?" beside the name search."""
    return search.find_experts(current_user, topic) if topic else []


def _filter_from_request() -> directory.DirectoryFilter:
    args = request.args
    return directory.DirectoryFilter(
        q=args.get("q", ""),
        skill=args.get("skill", ""),
        min_level=args.get("min_level", None, positive_int),
        language=args.get("language", ""),
        min_language_level=args.get("min_language_level") or None,
        department_id=args.get("department", None, positive_int),
        location=args.get("location", ""),
        include_former=args.get("former") == "1",
        sort=args.get("sort", "name") if args.get("sort") in directory.SORTS else "name",
    )


def _filter_args(wanted: directory.DirectoryFilter) -> dict:
    """The filter as query arguments, for pagination and sort links."""
    args = {
        "q": wanted.q,
        "skill": wanted.skill,
        "min_level": wanted.min_level,
        "language": wanted.language,
        "min_language_level": wanted.min_language_level,
        "department": wanted.department_id,
        "location": wanted.location,
        "former": "1" if wanted.include_former else None,
        "sort": wanted.sort if wanted.sort != "name" else None,
    }
    return {key: value for key, value in args.items() if value}


@bp.route("/skills.json")
def skill_suggestions():
    """Autocomplete for the skill fields (signed-in session, like every page)."""
    found = vocabulary.suggest_skills(current_user, request.args.get("q", "")[:100])
    return jsonify([{"id": skill.id, "name": skill.name} for skill in found])


@bp.route("/skills/<skill_ref>")
def show_skill(skill_ref: str):
    skill = vocabulary.get_skill(current_user, skill_ref)
    include_former = request.args.get("former") == "1"
    merge_form = None
    if policy.can_merge_skills(current_user):
        merge_form = MergeSkillForm()
        merge_form.into.choices = [
            choice for choice in vocabulary.all_skill_choices() if choice[0] != skill.id
        ]
    return render_template(
        "profiles/skill.html",
        skill=skill,
        holders=directory.holders_of(current_user, skill, include_former=include_former),
        include_former=include_former,
        merge_form=merge_form,
    )


@bp.route("/skills/<int:skill_id>/merge", methods=["POST"])
def merge_skill(skill_id: int):
    source = vocabulary.get_skill(current_user, skill_id)
    form = MergeSkillForm()
    form.into.choices = vocabulary.all_skill_choices()
    if not form.validate_on_submit():
        flash(_("Choose the skill to merge into."), "danger")
        return redirect(url_for("profiles.show_skill", skill_ref=source.slug))
    target = vocabulary.get_skill(current_user, form.into.data)
    source_name = source.name
    vocabulary.merge_skills(current_user, source, target)
    flash(
        _("%(source)s was merged into %(target)s.", source=source_name, target=target.name),
        "success",
    )
    return redirect(url_for("profiles.show_skill", skill_ref=target.slug))


@bp.route("/departments/<slug>")
def show_department(slug: str):
    department = spaces.get_space_by_slug(current_user, slug)
    return render_template(
        "profiles/department.html", tree=directory.department_tree(current_user, department)
    )


@bp.route("/avatars/<avatar_hash>-<int:size>.jpg")
def avatar(avatar_hash: str, size: int):
    path = avatars.avatar_path(avatar_hash, size)
    if path is None or not path.exists():
        abort(404)
    response = send_file(path, mimetype=avatars.AVATAR_MIMETYPE, max_age=AVATAR_MAX_AGE)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.route("/<username>.vcf")
def download_vcard(username: str):
    person = service.get_person(current_user, username)
    url = absolute_url_for("profiles.show_profile", username=person.user.username)
    response = Response(vcard(person, url), mimetype="text/vcard")
    response.headers["Content-Type"] = "text/vcard; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{person.user.username}.vcf"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.route("/<username>")
def show_profile(username: str):
    person = service.get_person(current_user, username)
    user = person.user
    if is_erased(user):
        return render_template("privacy/former_profile.html", user=user)
    is_own = user.id == current_user.id
    return render_template(
        "profiles/show.html",
        person=person,
        spaces=spaces.spaces_of(current_user, user),
        is_own=is_own,
        can_edit=policy.can_edit_profile(current_user, user),
        can_endorse=policy.can_endorse(current_user, user),
        can_see_certificates=policy.can_see_certificates(current_user, user),
        endorsed=endorsements.endorsed_skill_ids(current_user, user),
        completeness=service.completeness(person) if is_own else None,
    )


@bp.route("/<username>/edit", methods=["GET", "POST"])
def edit_profile(username: str):
    person = service.get_person(current_user, username)
    if not policy.can_edit_profile(current_user, person.user):
        abort(403)
    form = ProfileForm() if request.method == "POST" else _form_for(person)
    form.department_id.choices = [(0, _("— none —")), *directory.department_choices(current_user)]
    form.offer_languages()
    if form.validate_on_submit():
        try:
            service.update_profile(current_user, person.user, form.to_edit())
        except DomainError as err:
            show_errors(form, err)
        else:
            flash(
                _("Your profile was saved.")
                if person.user.id == current_user.id
                else _("The profile was saved."),
                "success",
            )
            return redirect(url_for("profiles.show_profile", username=person.user.username))
    form.add_blank_rows()
    return render_template(
        "profiles/edit.html",
        form=form,
        person=person,
        avatar_form=AvatarForm(),
        certificate_form=CertificateForm(),
    )


def _form_for(person: service.PersonProfile) -> ProfileForm:
    form = ProfileForm(
        formdata=None,
        data={
            "display_name": person.user.display_name,
            "email": person.user.email,
            "job_title": person.job_title,
            "department_id": person.department.id if person.department else 0,
            "location": person.location,
            "phone": person.phone,
            "about": person.about,
            "ask_me_about": person.ask_me_about,
            "projects": "\n".join(person.projects),
            "skills": [{"name": s.skill.name, "level": str(s.level)} for s in person.skills],
            "languages": [{"code": lang.code, "level": lang.level} for lang in person.languages],
            "trainings": [
                {"title": t.title, "provider": t.provider, "completed_on": t.completed_on}
                for t in person.trainings
            ],
        },
    )
    return form


@bp.route("/<username>/avatar", methods=["POST"])
def upload_avatar(username: str):
    person = service.get_person(current_user, username)
    if not policy.can_edit_profile(current_user, person.user):
        abort(403)
    form = AvatarForm()
    if not form.validate_on_submit():
        flash(_("The form had expired. Please send it again."), "danger")
    elif form.remove.data:
        service.set_avatar(current_user, person.user, None)
        flash(_("Your photo was removed."), "success")
    elif not form.avatar.data:
        flash(_("Choose a photo to upload."), "danger")
    else:
        try:
            avatar_hash = avatars.store_avatar(form.avatar.data.read(avatars.MAX_AVATAR_BYTES + 1))
            service.set_avatar(current_user, person.user, avatar_hash)
        except DomainError as err:
            flash(err.message, "danger")
        else:
            flash(_("Your photo was saved."), "success")
    return redirect(url_for("profiles.edit_profile", username=person.user.username))


@bp.route("/<username>/skills/<int:skill_id>/endorse", methods=["POST"])
def endorse_skill(username: str, skill_id: int):
    person = service.get_person(current_user, username)
    if request.form.get("withdraw") == "1":
        endorsements.withdraw_endorsement(current_user, person.user, str(skill_id))
        flash(_("Your endorsement was withdrawn."), "success")
    else:
        endorsements.endorse(current_user, person.user, str(skill_id))
        flash(_("You endorsed %(name)s.", name=person.user.display_name), "success")
    return redirect(url_for("profiles.show_profile", username=person.user.username) + "#skills")


@bp.app_template_global("photo_url")
def photo_url(user, size: int = 64) -> str | None:
    """Where a colleague's photo is, for the face macro; None shows their initials.

    Not one query per face: the first face looks up everyone the request has loaded so far
    (the people a page shows are in the session by the time it renders), and the answers
    stay on ``g``, which lives exactly as long as the request."""
    photos = g.setdefault("profile_photos", {})
    if user.id not in photos:
        loaded = {obj.id for obj in db.session.identity_map.values() if isinstance(obj, User)}
        photos.update(service.photo_hashes((loaded - photos.keys()) | {user.id}))
    if photos[user.id] is None:
        return None
    return url_for("profiles.avatar", avatar_hash=photos[user.id], size=256 if size > 64 else 64)


@bp.context_processor
def level_names() -> dict:
    """Names of levels and languages, in the reader's UI language, for the templates."""
    return {
        "language_name": levels.language_name,
        "language_level_label": levels.language_level_label,
        "skill_level_name": levels.skill_level_name,
    }


@bp.route("/<username>/trainings/<int:training_id>/certificate", methods=["POST"])
def upload_certificate(username: str, training_id: int):
    person = service.get_person(current_user, username)
    form = CertificateForm()
    if not form.validate_on_submit():
        flash(_("The form had expired. Please send it again."), "danger")
    elif form.remove.data:
        service.remove_certificate(current_user, person.user, training_id)
        flash(_("The certificate was removed."), "success")
    elif not form.certificate.data:
        flash(_("Choose a certificate to upload."), "danger")
    else:
        upload = form.certificate.data
        try:
            service.attach_certificate(
                current_user,
                person.user,
                training_id,
                upload.read(certificates.MAX_CERTIFICATE_BYTES + 1),
                upload.filename or "",
            )
        except DomainError as err:
            if err.status == 403:
                raise
            flash(err.message, "danger")
        else:
            flash(_("The certificate was saved."), "success")
    return redirect(
        url_for("profiles.edit_profile", username=person.user.username) + "#certificates"
    )


@bp.route("/<username>/trainings/<int:training_id>/certificate")
def download_certificate(username: str, training_id: int):
    person = service.get_person(current_user, username)
    path, kind, name = service.certificate_of(current_user, person.user, training_id)
    response = send_file(path, mimetype=kind, as_attachment=True, download_name=name)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
