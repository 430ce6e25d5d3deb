"""The insights page of the organisation (administrators) or a space (its owners), and the
CSV export of each of its tables."""

from datetime import date

from flask import Blueprint, Response, render_template, request
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user

from app.inputs import positive_int
from app.insights import charts, service

bp = Blueprint("insights", __name__, url_prefix="/insights", template_folder="templates")


def _scope() -> service.Scope:
    return service.scope_for(
        current_user,
        request.args.get("space", type=positive_int),
        request.args.get("days", type=positive_int),
    )


@bp.route("/")
def overview():
    scope = _scope()
    tables = {name: service.table(scope, name) for name in service.TABLE_NAMES}
    # Week, active colleagues, new pages, posts, comments (computed once, for table and charts).
    weeks = tables["adoption"].rows
    return render_template(
        "insights/overview.html",
        scope=scope,
        periods=service.PERIODS,
        tables=tables,
        min_group=service.min_group_size(),
        space_contributors=service.space_contributors(scope),
        charts={
            "most_read": charts.bar_chart(
                "most-read",
                _("Most read"),
                _("Views of the most read items in the period, one bar per item."),
                [(row[0], row[2]) for row in tables["most_read"].rows],
            ),
            "most_discussed": charts.bar_chart(
                "most-discussed",
                _("Most discussed"),
                _("Comments on the most discussed items in the period, one bar per item."),
                [(row[0], row[2]) for row in tables["most_discussed"].rows],
            ),
            "active": charts.column_chart(
                "active",
                _("Active colleagues per week"),
                _("Colleagues who signed in or wrote something, per week, oldest first."),
                [(_week_label(week[0]), week[1] or 0) for week in weeks],
            )
            if scope.space is None
            else None,
            "content": charts.column_chart(
                "content",
                _("New contributions per week"),
                _("New wiki pages, blog posts and comments together, per week, oldest first."),
                [(_week_label(week[0]), week[2] + week[3] + week[4]) for week in weeks],
            ),
        },
    )


def _week_label(iso_day: str) -> str:
    return format_date(date.fromisoformat(iso_day), "dd.MM.")


@bp.route("/<name>.csv")
def export_csv(name: str):
    scope = _scope()
    body = service.export_csv(scope, name)
    return Response(
        body,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="insights-{name}.csv"'},
    )
