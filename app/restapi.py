"""What every feature's JSON API shares: pagination and the list envelope."""

from __future__ import annotations

from typing import Any

from flask import current_app
from marshmallow import Schema, fields, validate


class PageQuery(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1))
    per_page = fields.Integer(load_default=None, validate=validate.Range(min=1, max=100))


def page_envelope(pagination) -> dict[str, Any]:
    """``{total, page, per_page, items}`` from a Flask-SQLAlchemy pagination; the response
    schema dumps the items."""
    return {
        "total": pagination.total,
        "page": pagination.page,
        "per_page": pagination.per_page,
        "items": pagination.items,
    }


def per_page(requested: int | None) -> int:
    config = current_app.config
    return min(requested or config["PAGE_SIZE"], config["MAX_PAGE_SIZE"])
