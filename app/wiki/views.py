"""Pages of the wiki: read, write, compare, restore, attach, export."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from app import content
from app.errors import DomainError, Invalid
from app.extensions import limiter
from app.forms import show_errors
from app.inputs import id_or_none, positive_int
from app.social import service as social
from app.spaces import policy
from app.uploads.store import CONTENT_TYPES, send_upload
from app.wiki import attachments, exports, imports, listings, service
from app.wiki.diffs import line_diff, word_diff
from app.wiki.forms import ActionForm, ImportForm, PageForm, UploadForm
from app.wiki.service import EditConflict, NewPage, PageEdit

bp = Blueprint("wiki", __name__, url_prefix="/wiki", template_folder="templates")


@bp.route("/")
def index():
    space_id = request.args.get("space", type=positive_int)
    username = request.args.get("person", "").strip() or None
    tag = request.args.get("tag", "").strip() or None
    number = request.args.get("page", 1, type=positive_int)
    spaces = listings.readable_spaces_for_wiki(current_user)
    space = next((s for s in spaces if s.id == space_id), None)
    space_id = space.id if space else None
    return render_template(
        "wiki/index.html",
        changes=listings.recent_changes(
            current_user,
            space_id=space_id,
            username=username,
            language=str(get_locale()),
            page=number,
        ),
        tree=listings.page_tree(current_user, space_id),
        tagged=listings.list_pages(current_user, tag=tag) if tag else None,
        spaces=spaces,
        space=space,
        person=username or "",
        tag=tag,
    )


@bp.route("/new", methods=["GET", "POST"])
def new_page():
    space_id = request.args.get("space_id", type=positive_int)
    form = PageForm()
    if request.method == "GET":
        form.space_id.data = space_id or 0
        form.title.data = request.args.get("title", "")[:200]
        form.parent_id.data = request.args.get("parent_id", 0, type=positive_int)
        template_id = request.args.get("template", type=positive_int)
        if template_id:
            form.body.data = service.get_template(current_user, template_id).body
    chosen_space = form.space_id.data or None
    _fill_choices(form, chosen_space)
    if form.validate_on_submit():
        try:
            page = service.create_page(
                current_user,
                NewPage(
                    title=form.title.data,
                    body=form.body.data or "",
                    space_id=chosen_space,
                    parent_id=form.parent_id.data or None,
                    tags=form.tags.data or "",
                    comment=form.comment.data or "",
                    is_template=form.is_template.data,
                ),
            )
        except DomainError as err:
            show_errors(form, err)
        else:
            flash(_("The page %(title)s was created.", title=page.title), "success")
            return redirect(page.url)
    templates = listings.template_choices(current_user, chosen_space, str(get_locale()))
    return render_template(
        "wiki/edit.html",
        form=form,
        page=None,
        templates=templates,
        can_template=policy.can_manage_wiki_templates(
            current_user, service.space_or_none(form.space_id.data)
        ),
    )


@bp.route("/import", methods=["GET", "POST"])
def import_documents():
    """Word and LibreOffice documents, one or many, become pages of a space or under a page."""
    form = ImportForm()
    if request.method == "GET":
        form.space_id.data = request.args.get("space_id", 0, type=int)
        form.parent_id.data = request.args.get("parent_id", 0, type=int)
    _fill_choices(form, form.space_id.data or None)
    outcomes = None
    if form.validate_on_submit():
        files = [f for f in form.files.data or [] if getattr(f, "filename", "")]
        if not files:
            form.files.errors = [_("Choose at least one document.")]
        else:
            outcomes = [
                imports.import_document(
                    current_user,
                    upload.filename,
                    upload.read(),
                    space_id=form.space_id.data or None,
                    parent_id=form.parent_id.data or None,
                )
                for upload in files
            ]
    return render_template("wiki/import.html", form=form, outcomes=outcomes)


@bp.route("/global/<slug>", defaults={"space_slug": None})
@bp.route("/spaces/<space_slug>/<slug>")
def show_page(space_slug: str | None, slug: str):
    page, moved = service.find_page(current_user, space_slug, slug)
    if moved:
        return redirect(page.url, code=301)
    content.viewed(current_user, "wiki_page", page)
    around = listings.surroundings(current_user, page)
    files = attachments.attachments_of(page)
    return render_template(
        "wiki/show.html",
        page=page,
        trail=listings.breadcrumbs(current_user, page),
        children=around.children,
        backlink_count=around.backlink_count,
        files=files,
        file_notes=attachments.unsearchable_notes(files),
        watching=around.watching,
        outdated=service.is_outdated(page),
        can_edit=policy.can_edit_page(current_user, page),
        can_delete=policy.can_delete_page(current_user, page),
        can_review=policy.can_review_page(current_user, page),
        action_form=ActionForm(),
        upload_form=UploadForm(),
        conversation=social.conversation(current_user, f"wiki_page:{page.id}"),
    )


@bp.route("/pages/<int:page_id>")
def page_by_id(page_id: int):
    return redirect(service.get_page(current_user, page_id).url)


@bp.route("/link")
def resolve_link():
    """Where a [[link]] written outside the wiki (comments, posts) leads: the page it names,
    else the form to create it."""
    title = request.args.get("title", "")[:200]
    space_id = request.args.get("space", type=positive_int)
    page = service.page_for_link(current_user, title, space_id)
    if page is not None:
        return redirect(page.url)
    return redirect(url_for("wiki.new_page", title=title, space_id=space_id))


@bp.route("/title-suggestions")
def title_suggestions():
    """JSON {items [{title, space}]}: readable pages for the editor's [[link]] picker."""
    found = listings.title_suggestions(current_user, request.args.get("q", "")[:200])
    return jsonify(
        items=[
            {"title": page.title, "space": page.space.name if page.space else None}
            for page in found
        ]
    )


@bp.route("/pages/<int:page_id>/edit", methods=["GET", "POST"])
def edit_page(page_id: int):
    page = service.get_page(current_user, page_id)
    if not policy.can_edit_page(current_user, page):
        abort(403)
    form = PageForm(obj=page)
    if request.method == "GET":
        form.base_revision.data = page.revision
        form.space_id.data = page.space_id or 0
        form.parent_id.data = page.parent_id or 0
        form.tags.data = page.tags
        form.comment.data = ""
    _fill_choices(form, form.space_id.data or None, exclude=page)
    conflict = None
    if form.validate_on_submit():
        try:
            saved = service.update_page(current_user, page, _edit_from(form))
        except EditConflict as err:
            conflict = err
            form.base_revision.data = err.theirs_revision
            form.body.data = err.mine
        except DomainError as err:
            show_errors(form, err)
        else:
            if saved.merged:
                flash(
                    _(
                        "Someone saved this page while you were editing. Your changes "
                        "did not overlap with theirs, so both were kept."
                    ),
                    "warning",
                )
            elif saved.changed:
                flash(_("Page saved."), "success")
            else:
                flash(_("Nothing changed."), "info")
            return redirect(saved.page.url)
    return render_template(
        "wiki/edit.html",
        form=form,
        page=page,
        conflict=conflict,
        conflict_diff=line_diff(conflict.theirs_body, conflict.mine) if conflict else None,
        templates=[],
        can_template=False,
    ), (409 if conflict else 200)


def _preview_rate_limit() -> str:
    return current_app.config["WIKI_PREVIEW_RATE_LIMIT"]


def _preview_key() -> str:
    # Per person, not per address: colleagues behind one proxy share an address.
    return f"wiki-preview:{current_user.get_id()}"


@bp.route("/preview", methods=["POST"])
@limiter.limit(_preview_rate_limit, key_func=_preview_key)
def preview():
    """JSON {body, space_id?} -> {html}: the live preview of the editor (static/js/wiki.js)."""
    data = request.get_json(silent=True) or {}
    body = data.get("body")
    if not isinstance(body, str):
        raise Invalid(_("Nothing to preview."))
    html = service.preview(current_user, body, id_or_none(data.get("space_id")))
    return jsonify(html=html)


@bp.route("/pages/<int:page_id>/history")
def history(page_id: int):
    page = service.get_page(current_user, page_id)
    revisions = listings.history(
        current_user, page, number=request.args.get("page", 1, type=positive_int)
    )
    return render_template("wiki/history.html", page=page, revisions=revisions)


@bp.route("/pages/<int:page_id>/revisions/<int:number>")
def show_revision(page_id: int, number: int):
    page = service.get_page(current_user, page_id)
    revision = service.get_revision(current_user, page, number)
    return render_template(
        "wiki/revision.html",
        page=page,
        revision=revision,
        can_edit=policy.can_edit_page(current_user, page),
        action_form=ActionForm(),
    )


@bp.route("/pages/<int:page_id>/compare")
def compare(page_id: int):
    page = service.get_page(current_user, page_id)
    old_number = request.args.get("from", max(page.revision - 1, 1), type=positive_int)
    new_number = request.args.get("to", page.revision, type=positive_int)
    mode = "lines" if request.args.get("mode") == "lines" else "words"
    old = service.get_revision(current_user, page, old_number)
    new = service.get_revision(current_user, page, new_number)
    differ = line_diff if mode == "lines" else word_diff
    return render_template(
        "wiki/compare.html",
        page=page,
        old=old,
        new=new,
        mode=mode,
        segments=differ(old.body, new.body),
        title_changed=old.title != new.title,
    )


@bp.route("/pages/<int:page_id>/revisions/<int:number>/restore", methods=["POST"])
def restore_revision(page_id: int, number: int):
    page = service.get_page(current_user, page_id)
    saved = service.restore_revision(current_user, page, number)
    flash(_("Revision %(number)d is the current text again.", number=number), "success")
    return redirect(saved.page.url)


@bp.route("/pages/<int:page_id>/backlinks")
def backlinks(page_id: int):
    page = service.get_page(current_user, page_id)
    return render_template(
        "wiki/backlinks.html", page=page, pages=listings.backlinks(current_user, page)
    )


@bp.route("/pages/<int:page_id>/watch", methods=["POST"])
def watch(page_id: int):
    page = service.get_page(current_user, page_id)
    watching = request.form.get("watching") == "1"
    service.set_watch(current_user, page, watching)
    if watching:
        flash(_("You are watching this page."), "success")
    else:
        flash(_("You no longer watch this page."), "success")
    return redirect(page.url)


@bp.route("/pages/<int:page_id>/review", methods=["POST"])
def review(page_id: int):
    page = service.get_page(current_user, page_id)
    service.mark_reviewed(current_user, page)
    flash(_("Thank you: the page is marked as current."), "success")
    return redirect(page.url)


@bp.route("/pages/<int:page_id>/delete", methods=["POST"])
def delete_page(page_id: int):
    page = service.get_page(current_user, page_id)
    service.delete_page(current_user, page)
    flash(_("The page %(title)s was moved to the trash.", title=page.title), "success")
    return redirect(url_for("wiki.index"))


@bp.route("/trash")
def trash():
    return render_template(
        "wiki/trash.html", pages=listings.trash(current_user), action_form=ActionForm()
    )


@bp.route("/trash/<int:page_id>/restore", methods=["POST"])
def restore_page(page_id: int):
    page = service.restore_page(current_user, page_id)
    flash(_("The page %(title)s is back.", title=page.title), "success")
    return redirect(page.url)


@bp.route("/wanted")
def wanted():
    return render_template("wiki/wanted.html", wanted=listings.wanted_pages(current_user))


@bp.route("/review")
def outdated():
    return render_template("wiki/outdated.html", pages=listings.outdated_pages(current_user))


@bp.route("/pages/<int:page_id>/export.md")
def export_markdown(page_id: int):
    page = service.get_page(current_user, page_id)
    response = Response(service.markdown_export(page), mimetype="text/markdown")
    # Slugs are ASCII, so the plain filename parameter is enough.
    response.headers["Content-Disposition"] = f'attachment; filename="{page.slug}.md"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.route("/pages/<int:page_id>/export.zip")
def export_page_tree(page_id: int):
    """The page and the pages below it, with their files, as Markdown in a ZIP."""
    page = service.get_page(current_user, page_id)
    archive = exports.markdown_zip(current_user, space_id=page.space_id, root=page)
    return _zip_response(archive, page.slug)


@bp.route("/pages/<int:page_id>/export.docx")
def export_word(page_id: int):
    """The page as a Word document."""
    page = service.get_page(current_user, page_id)
    return _word_response(exports.page_docx(current_user, page), page.slug)


@bp.route("/export.zip")
def export_space():
    """All pages of a space (or of the global wiki) the reader may read, as Markdown."""
    space = _export_space()
    archive = exports.markdown_zip(current_user, space_id=space.id if space else None)
    return _zip_response(archive, space.slug if space else "wiki")


@bp.route("/export.docx")
def export_space_word():
    """All pages of a space (or of the global wiki) the reader may read, as one Word
    document."""
    space = _export_space()
    document = exports.space_docx(
        current_user,
        space_id=space.id if space else None,
        title=space.name if space else _("Wiki"),
    )
    return _word_response(document, space.slug if space else "wiki")


def _export_space():
    """The space named by ``?space=`` if the reader may read its wiki (404 otherwise), or
    None for the global wiki."""
    space_id = request.args.get("space", type=int)
    if space_id is None:
        return None
    space = next(
        (s for s in listings.readable_spaces_for_wiki(current_user) if s.id == space_id), None
    )
    if space is None:
        abort(404)
    return space


def _word_response(document, name: str) -> Response:
    return send_file(
        document, mimetype=CONTENT_TYPES["docx"], as_attachment=True, download_name=f"{name}.docx"
    )


def _zip_response(archive, name: str) -> Response:
    return send_file(
        archive, mimetype="application/zip", as_attachment=True, download_name=f"{name}.zip"
    )


@bp.route("/pages/<int:page_id>/print")
def print_page(page_id: int):
    page = service.get_page(current_user, page_id)
    return render_template("wiki/print.html", page=page)


@bp.route("/pages/<int:page_id>/files", methods=["POST"])
def upload(page_id: int):
    page = service.get_page(current_user, page_id)
    form = UploadForm()
    if not form.validate_on_submit():
        for error in form.file.errors or [_("Choose a file.")]:
            flash(error, "danger")
        return redirect(page.url)
    try:
        attachment = attachments.attach_file(
            current_user, page, form.file.data.stream, form.file.data.filename or ""
        )
    except DomainError as err:
        return render_template("wiki/upload_error.html", page=page, message=err.message), (
            err.status
        )
    flash(_("%(name)s was attached.", name=attachment.upload.original_filename), "success")
    return redirect(page.url)


@bp.route("/pages/<int:page_id>/images", methods=["POST"])
def upload_image(page_id: int):
    """An image pasted or dropped into the editor: attached like any file, answered in JSON
    {url, name} for the editor to link (errors as {message} with their status)."""
    page = service.get_page(current_user, page_id)
    image = request.files.get("file")
    if image is None:
        return jsonify(message=_("Choose a file.")), 400
    try:
        attachment = attachments.attach_image(
            current_user, page, image.stream, image.filename or ""
        )
    except DomainError as err:
        return jsonify(message=err.message), err.status
    name = attachment.upload.original_filename
    url = url_for("wiki.download", page_id=page.id, attachment_id=attachment.id, name=name)
    return jsonify(url=f"{url}?inline=1", name=name), 201


@bp.route("/pages/<int:page_id>/files/<int:attachment_id>/<path:name>")
def download(page_id: int, attachment_id: int, name: str):
    page = service.get_page(current_user, page_id)
    attachment = attachments.get_attachment(current_user, page, attachment_id)
    return send_upload(attachment.upload, inline=request.args.get("inline") == "1")


@bp.route("/pages/<int:page_id>/files/<int:attachment_id>/remove", methods=["POST"])
def remove_file(page_id: int, attachment_id: int):
    page = service.get_page(current_user, page_id)
    attachment = attachments.get_attachment(current_user, page, attachment_id)
    name = attachment.upload.original_filename
    attachments.remove_attachment(current_user, page, attachment)
    flash(_("%(name)s was removed from the page.", name=name), "success")
    return redirect(page.url)


def _edit_from(form: PageForm) -> PageEdit:
    try:
        base = int(form.base_revision.data)
    except (TypeError, ValueError) as err:
        raise Invalid(_("The form is incomplete. Please reload the page.")) from err
    return PageEdit(
        title=form.title.data,
        body=form.body.data or "",
        base_revision=base,
        tags=form.tags.data or "",
        parent_id=form.parent_id.data or None,
        space_id=form.space_id.data or None,
        comment=form.comment.data or "",
    )


def _fill_choices(form: PageForm | ImportForm, space_id: int | None, exclude=None) -> None:
    form.space_id.choices = [
        (0, _("Global wiki")),
        *[(s.id, s.name) for s in listings.writable_spaces(current_user)],
    ]
    form.parent_id.choices = [
        (0, _("— none —")),
        *[(p.id, p.title) for p in listings.parent_choices(current_user, space_id, exclude)],
    ]
