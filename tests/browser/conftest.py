"""Browser tests: Kollegium served from a thread, driven by Playwright in Debian's Chromium.

Never `playwright install`: the browser is /usr/bin/chromium. Without it the tests skip with a
reason, and fail when CI=true.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from flask import Flask
from flask_migrate import upgrade
from werkzeug.serving import make_server

from app import create_app
from app.i18n import compile_catalogues
from tests.conftest import needs, test_settings
from tests.factories import PASSWORD

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SERIOUS = ("serious", "critical")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@dataclass
class LiveServer:
    app: Flask
    url: str

    def run(self, function, *args, **kwargs):
        """Run ``function`` (factories, service calls) inside the served app. Return plain
        values, not database objects: they do not outlive the call."""
        with self.app.app_context():
            return function(*args, **kwargs)


@pytest.fixture(scope="session")
def compiled_catalogues() -> None:
    compile_catalogues()


# One server with a fresh database per flow (module): the flows were each written on their
# own and reuse names, so in one pytest process they must not meet in one database.
@pytest.fixture(scope="module")
def live_server(tmp_path_factory, compiled_catalogues) -> Iterator[LiveServer]:
    folder = tmp_path_factory.mktemp("live")
    settings = test_settings(f"sqlite:///{folder / 'live.db'}")
    app = create_app(settings, instance_path=str(folder / "instance"))
    with app.app_context():
        upgrade()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield LiveServer(app=app, url=f"http://127.0.0.1:{server.server_port}")
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        needs(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


def new_context(browser, base_url: str):
    """A browser context as the flows use it. Reduced motion switches off Bootstrap's colour
    transitions, so axe-core judges a just-clicked button in its final colours and not halfway
    between the hover and the resting state."""
    return browser.new_context(base_url=base_url, locale="en-GB", reduced_motion="reduce")


@pytest.fixture
def page(browser, live_server):
    context = new_context(browser, live_server.url)
    page = context.new_page()
    page.set_default_timeout(10_000)
    blocked: list[str] = []
    page.on(
        "console",
        lambda message: (
            blocked.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    yield page
    context.close()
    assert not blocked, f"the Content-Security-Policy blocked: {blocked}"


def sign_in(page, username: str, password: str = PASSWORD) -> None:
    page.goto("/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/login" not in url)


def markdown_source(page, label: str, *, exact: bool = False):
    """The Markdown box of a field with the visual editor, switched to the source view."""
    box = page.get_by_label(label, exact=exact).and_(page.locator("textarea"))
    editor = box.locator("xpath=ancestor::*[@data-editor][1]")
    toggle = editor.locator("button.md-source-toggle")  # in any language
    if toggle.get_attribute("aria-pressed") == "false":
        toggle.click()
    return box


def assert_accessible(page) -> None:
    """axe-core finds no serious or critical violation on the current page."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    violations = [v for v in results.response["violations"] if v["impact"] in SERIOUS]
    summary = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in violations]
    assert not violations, f"{page.url}: {summary}"


__all__ = ["PASSWORD", "assert_accessible", "markdown_source", "new_context", "sign_in"]
