"""What every feature's JSON API shares: pagination, the list envelope, moments in time."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import current_app
from marshmallow import Schema, fields, validate


class UtcDateTime(fields.DateTime):
    """A moment in the API: sent with its offset ("…+00:00"), as OpenAPI's "date-time"
    requires and clients need to read it right; the database keeps naive UTC, so a moment
    received with an offset is turned into that."""

    def _serialize(self, value: datetime | None, attr, obj, **kwargs):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return super()._serialize(value, attr, obj, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs) -> datetime:
        moment = super()._deserialize(value, attr, data, **kwargs)
        return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment


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
