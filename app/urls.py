"""Paths to our pages from anywhere: requests, services, the command line."""

from flask import current_app


def path_for(endpoint: str, **values) -> str:
    """The path (without host) of ``endpoint``. Unlike url_for it needs no request, so
    services and commands (notifications, search documents, e-mails) can name pages."""
    root = current_app.config["APPLICATION_ROOT"].rstrip("/")
    adapter = current_app.url_map.bind("localhost", script_name=root or "/")
    return adapter.build(endpoint, values)
