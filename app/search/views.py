"""The search page: one box, results of every kind the reader may see, and the people who
know about the query."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user

from app.errors import DomainError
from app.forms import show_errors
from app.inputs import positive_int
from app.search import service, synonyms
from app.search.documents import KINDS
from app.search.forms import RemoveSynonymsForm, SynonymsForm
from app.search.ranking import SummaryPart

bp = Blueprint("search", __name__, template_folder="templates")

MAX_PAGE = 100

KIND_LABELS = {
    "wiki": _l("Wiki page"),
    "blog": _l("Blog post"),
    "micro": _l("Stream post"),
    "comment": _l("Comment"),
    "profile": _l("Profile"),
    "file": _l("Attached file"),
}
# The same words as the profiles use for the four levels (search imports no tool).
SKILL_LEVELS = {1: _l("basic"), 2: _l("practical"), 3: _l("advanced"), 4: _l("expert")}
EVIDENCE_LABELS = {
    "skill": _l("Skill"),
    "training": _l("Training"),
    "project": _l("Project"),
    "ask_me_about": _l("Ask me about"),
    "answer": _l("Answered question"),
    **KIND_LABELS,
}


class PageNav:
    """What the pagination macro needs, for a page of search results."""

    def __init__(self, page: int, pages: int) -> None:
        self.page, self.pages = page, min(pages, MAX_PAGE)
        self.has_prev, self.has_next = page > 1, page < self.pages
        self.prev_num, self.next_num = page - 1, page + 1

    def iter_pages(self, edge: int = 2, around: int = 2):
        shown_gap = False
        for number in range(1, self.pages + 1):
            if number <= edge or number > self.pages - edge or abs(number - self.page) <= around:
                shown_gap = False
                yield number
            elif not shown_gap:
                shown_gap = True
                yield None


def summary_part_text(part: SummaryPart) -> str:
    """One phrase of an expert's explanation in the reader's language."""
    if part.kind == "skill":
        level = SKILL_LEVELS.get(part.level or 0, "")
        if part.endorsements:
            return ngettext(
                "lists %(skill)s (%(level)s, %(num)d endorsement)",
                "lists %(skill)s (%(level)s, %(num)d endorsements)",
                part.endorsements,
                skill=part.label,
                level=level,
            )
        return _("lists %(skill)s (%(level)s)", skill=part.label, level=level)
    if part.kind == "training":
        return _("trained in %(title)s", title=part.label)
    if part.kind == "project":
        return _("worked on %(title)s", title=part.label)
    if part.kind == "ask_me_about":
        return _("ask about %(topic)s", topic=part.label)
    if part.kind == "marked_answer":
        return ngettext(
            "answered a colleague's question about %(topic)s, marked as the answer",
            "gave the marked answer to %(num)d colleagues' questions, such as one about %(topic)s",
            part.count,
            topic=part.label,
        )
    if part.kind == "answer":
        return ngettext(
            "answered a colleague's question about %(topic)s",
            "answered %(num)d colleagues' questions, such as one about %(topic)s",
            part.count,
            topic=part.label,
        )
    counts = {
        "wiki": ngettext("wrote %(num)d wiki page", "wrote %(num)d wiki pages", part.count),
        "wiki_edit": ngettext("edited %(num)d wiki page", "edited %(num)d wiki pages", part.count),
        "blog": ngettext("%(num)d blog post", "%(num)d blog posts", part.count),
        "comment": ngettext("%(num)d comment", "%(num)d comments", part.count),
        "micro": ngettext("%(num)d stream post", "%(num)d stream posts", part.count),
    }
    return counts.get(part.kind, "")


def summary_text(parts) -> str:
    return " · ".join(text for part in parts if (text := summary_part_text(part)))


@bp.app_context_processor
def expert_words() -> dict:
    """What the experts macro (search/experts.html) words its evidence with, on any page."""
    return {"expert_summary": summary_text, "evidence_labels": EVIDENCE_LABELS}


def _date(raw: str | None) -> date | None:
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def filters_from(args) -> service.Filters:
    return service.Filters(
        kinds=tuple(kind for kind in args.getlist("kind") if kind in KINDS),
        space=args.get("space", None, positive_int),
        author=(args.get("author") or "").strip()[:64] or None,
        tag=(args.get("tag") or "").strip()[:64] or None,
        date_from=_date(args.get("from")),
        date_to=_date(args.get("to")),
        sort=args.get("sort") if args.get("sort") in service.SORTS else "relevance",
        page=min(args.get("page", 1, positive_int), MAX_PAGE),
    )


@bp.route("/search")
def results():
    query = (request.args.get("q") or "").strip()
    filters = filters_from(request.args)
    found = service.search(current_user, query, filters) if query or filters.tag else None
    experts = service.find_experts(current_user, query) if query and filters.page == 1 else []
    # Nobody found: offer to ask in the stream and the closest skills of the vocabulary.
    nobody = bool(query) and filters.page == 1 and not experts
    ask_text = service.ask_in_stream_text(query) if nobody else ""
    closest = service.closest_skills(query) if nobody else []
    keep = {
        key: value
        for key, value in {
            "q": query,
            "kind": list(filters.kinds),
            "space": filters.space,
            "author": filters.author,
            "tag": filters.tag,
            "from": request.args.get("from") if filters.date_from else None,
            "to": request.args.get("to") if filters.date_to else None,
            "sort": filters.sort if filters.sort != "relevance" else None,
        }.items()
        if value
    }
    nav = PageNav(found.page.page, found.page.page_count) if found else None
    return render_template(
        "search/results.html",
        query=query,
        filters=filters,
        found=found,
        nav=nav,
        keep=keep,
        experts=experts,
        ask_text=ask_text,
        closest_skills=closest,
        kinds=KINDS,
        spaces=service.space_choices(current_user),
        kind_labels=KIND_LABELS,
    )


@bp.route("/admin/synonyms", methods=["GET", "POST"])
def edit_synonyms():
    groups = synonyms.list_synonyms(current_user)  # Forbidden for all but administrators
    form = SynonymsForm()
    if form.validate_on_submit():
        try:
            synonyms.add_synonyms(current_user, form.names.data)
        except DomainError as err:
            show_errors(form, err)
        else:
            flash(_("The synonyms were added."), "success")
            return redirect(url_for("search.edit_synonyms"))
    status = 422 if form.errors or form.form_errors else 200
    page = render_template(
        "search/synonyms.html", form=form, remove_form=RemoveSynonymsForm(), groups=groups
    )
    return page, status


@bp.route("/admin/synonyms/<int:group_id>/remove", methods=["POST"])
def remove_synonyms(group_id: int):
    form = RemoveSynonymsForm()
    if form.validate_on_submit():
        synonyms.remove_synonyms(current_user, group_id)
        flash(_("The synonyms were removed."), "success")
    return redirect(url_for("search.edit_synonyms"))
