"""The notification page, marking as read, and the delivery settings."""

from flask import (
    Blueprint,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from app import pagecache
from app.accounts.views import safe_target
from app.errors import Invalid
from app.inputs import positive_int
from app.social import notifications

bp = Blueprint("notifications", __name__, template_folder="templates")


@bp.app_context_processor
def bell() -> dict:
    """The unread count for the bell in the layout, asked for only when a page shows it."""
    return {"unread_notifications": unread_for_bell}


def unread_for_bell() -> int:
    """The unread count. Counting checks every notification against what the reader may read
    now, and the bell is on every page: so the count is remembered until anything is written
    (a new notification, a read one, a moved page, an ended membership …)."""
    user = current_user._get_current_object()
    return pagecache.remembered(("bell", user.id), lambda: notifications.unread_count(user))


@bp.route("/notifications/")
def list_notifications():
    unread_only = request.args.get("unread") == "1"
    page = notifications.notifications_for(
        current_user, unread_only=unread_only, page=request.args.get("page", 1, positive_int)
    )
    return render_template(
        "social/notifications.html",
        notifications=page,
        unread_only=unread_only,
        describe=notifications.describe,
    )


@bp.route("/notifications/read", methods=["POST"])
def mark_read():
    raw_id = request.form.get("id")
    ids = None if raw_id is None else [request.form.get("id", 0, positive_int)]
    notifications.mark_read(current_user, ids)
    if ids is None:
        flash(_("All notifications are marked as read."), "success")
    return redirect(
        safe_target(request.form.get("go"), url_for("notifications.list_notifications"))
    )


@bp.route("/settings/notifications", methods=["GET", "POST"])
def settings():
    current = notifications.deliveries(current_user)
    error = None
    if request.method == "POST":
        wanted = {kind: request.form.get(kind, "app") for kind in notifications.KINDS}
        try:
            notifications.set_deliveries(current_user, wanted)
        except Invalid as err:
            error, current = err.message, wanted
        else:
            flash(_("Your notification settings are saved."), "success")
            return redirect(url_for("notifications.settings"))
    return render_template(
        "social/notification_settings.html",
        current=current,
        kinds=notifications.KINDS,
        label=notifications.kind_label,
        error=error,
    )
