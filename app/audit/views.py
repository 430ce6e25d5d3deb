"""The audit log for administrators: filter by person, action and period; export as CSV."""

from datetime import date

from flask import Blueprint, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from app import spreadsheets
from app.audit import service, wording
from app.inputs import positive_int

bp = Blueprint("audit", __name__, url_prefix="/admin/audit", template_folder="templates")


def _filter_from_request() -> tuple[service.AuditFilter, list[str]]:
    problems = []
    dates: dict[str, date | None] = {}
    for name in ("since", "until"):
        raw = request.args.get(name, "").strip()
        try:
            dates[name] = date.fromisoformat(raw) if raw else None
        except ValueError:
            dates[name] = None
            problems.append(_("Not a date: %(raw)s (use YYYY-MM-DD).", raw=raw[:20]))
    action = request.args.get("action") or None
    if action not in (None, *service.ACTIONS):
        problems.append(_("Unknown action."))
        action = None
    wanted = service.AuditFilter(
        person=request.args.get("person", "").strip() or None,
        action=action,
        since=dates["since"],
        until=dates["until"],
    )
    return wanted, problems


@bp.route("/")
def list_entries():
    wanted, problems = _filter_from_request()
    page = service.entries(current_user, wanted, page=request.args.get("page", 1, positive_int))
    return render_template(
        "audit/list.html",
        entries=page,
        lines=wording.lines(current_user, page.items),
        wanted=wanted,
        problems=problems,
        actions=[(action, wording.ACTION_LABELS.get(action, action)) for action in service.ACTIONS],
    )


@bp.route("/export.csv")
def export():
    wanted, _problems = _filter_from_request()
    lines = service.export_csv(current_user, wanted)
    return spreadsheets.csv_download(lines, "kollegium-audit.csv")
