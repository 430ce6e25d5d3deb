"""Paths and absolute addresses of our pages from anywhere: requests, services, the command
line.

Absolute addresses (feeds, e-mails, vCards) come from ``PUBLIC_URL``, or, with Flask's
``TRUSTED_HOSTS`` set, from the request's host (Flask refuses any other host with 400). Never
from an unchecked ``Host`` header: a request for ``Host: evil.example`` would otherwise get
feeds and e-mails that send colleagues to evil.example.
"""

from urllib.parse import urlsplit

from flask import current_app, has_request_context, request


def path_for(endpoint: str, **values) -> str:
    """The path (without host) of ``endpoint``. Unlike url_for it needs no request, so
    services and commands (notifications, search documents, e-mails) can name pages."""
    root = current_app.config["APPLICATION_ROOT"].rstrip("/")
    adapter = current_app.url_map.bind("localhost", script_name=root or "/")
    return adapter.build(endpoint, values)


def public_origin() -> str:
    """Scheme and host of our absolute addresses, such as ``https://intranet.example``."""
    config = current_app.config
    if config["PUBLIC_URL"]:
        parts = urlsplit(config["PUBLIC_URL"])
        return f"{parts.scheme}://{parts.netloc}"
    if config.get("TRUSTED_HOSTS") and has_request_context():
        return f"{request.scheme}://{request.host}"  # checked against TRUSTED_HOSTS
    # Nothing configured: links that lead nowhere beat links an attacker chose.
    return f"{config['PREFERRED_URL_SCHEME']}://localhost"


def absolute_url_for(endpoint: str, **values) -> str:
    """The absolute address of ``endpoint`` (see ``public_origin``)."""
    return public_origin() + path_for(endpoint, **values)


def absolute(path: str) -> str:
    """A site-relative path ("/wiki/…") made absolute; other addresses stay as they are."""
    if not path or not path.startswith("/") or path.startswith("//"):
        return path
    return public_origin() + path


def is_own_host(netloc: str) -> bool:
    """Whether an address with this host part points at Kollegium."""
    return netloc.lower() == urlsplit(public_origin()).netloc.lower()
