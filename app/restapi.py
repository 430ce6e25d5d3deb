"""What every feature's JSON API shares: pagination, the list envelope and its ``Link``
header (RFC 8288: first, prev, next, last), so clients can follow pages without building
URLs themselves; moments in time."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from flask import after_this_request, current_app, request
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
    schema dumps the items. The response carries the pages' links."""
    last = max(pagination.pages, 1)
    links = {"first": 1, "last": last}
    if pagination.page > 1:
        links["prev"] = min(pagination.page - 1, last)
    if pagination.page < last:
        links["next"] = pagination.page + 1
    link_response({rel: {"page": number} for rel, number in links.items()})
    return {
        "total": pagination.total,
        "page": pagination.page,
        "per_page": pagination.per_page,
        "items": pagination.items,
    }


def per_page(requested: int | None) -> int:
    config = current_app.config
    return min(requested or config["PAGE_SIZE"], config["MAX_PAGE_SIZE"])


def link_response(relations: dict[str, dict[str, Any]]) -> None:
    """Add a ``Link`` header to the current response: for each relation, this request's
    path with its query changed as given. Paths, not absolute URLs: the request's Host header
    is not to be trusted, and clients resolve them against the URL they asked."""
    parts = []
    for rel, changes in relations.items():
        query = {**request.args.to_dict(), **changes}
        parts.append(f'<{request.path}?{urlencode(query)}>; rel="{rel}"')

    @after_this_request
    def add_links(response):
        response.headers["Link"] = ", ".join(parts)
        return response
