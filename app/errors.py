"""Domain errors: a rule said no. One handler in the factory maps them to HTTP."""

from __future__ import annotations

from collections.abc import Mapping


class DomainError(Exception):
    """A rule said no; the message is safe to show."""

    status = 400

    def __init__(self, message: str, errors: Mapping[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        # Field name -> messages, for forms and the API's "errors" object.
        self.errors = dict(errors or {})


class NotFound(DomainError):
    status = 404


class Forbidden(DomainError):
    status = 403


class Conflict(DomainError):
    status = 409


class Invalid(DomainError):
    status = 422


class TooLarge(DomainError):
    status = 413
