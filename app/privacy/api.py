"""JSON API: ``GET /api/v1/me/export`` answers the caller's own data as a ZIP."""

from __future__ import annotations

from flask_smorest import Blueprint

from app.accounts.auth import api_actor
from app.privacy.views import send_export

blp = Blueprint("privacy_api", __name__, url_prefix="/me", description="One's own data")


@blp.route("/export")
@blp.response(200, content_type="application/zip")
def export_own_data():
    return send_export(api_actor())
