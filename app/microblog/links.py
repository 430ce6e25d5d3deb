"""Rendering posts outside a request (the command line, the demo seed)."""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext

from flask import current_app, has_request_context


def url_context() -> AbstractContextManager:
    """A request context for the link resolver's url_for while rendering outside a
    request: the links it builds are relative, so no server name is needed."""
    if has_request_context():
        return nullcontext()
    return current_app.test_request_context("/")
