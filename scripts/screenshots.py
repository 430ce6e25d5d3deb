"""Screenshots of the demo town, desktop and mobile, in German.

    .venv/bin/python scripts/screenshots.py [OUTPUT_DIR]   (default: docs/screenshots)

Builds a fresh demo town in a temporary instance folder (`flask seed-demo`), serves it from a
thread and drives Debian's Chromium (/usr/bin/chromium) over the main pages as a colleague
(Anna Schmidt). Nothing is downloaded; the instance folder is removed afterwards.
"""

from __future__ import annotations

import logging
import sys
import tempfile
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from anywhere

from flask_migrate import upgrade
from playwright.sync_api import sync_playwright
from sqlalchemy import select
from werkzeug.serving import make_server

from app import create_app
from app.demo.cli import CREDENTIALS_FILE, seed_demo
from app.i18n import compile_catalogues

CHROMIUM = "/usr/bin/chromium"
USERNAME = "anna.schmidt"
SIZES = {"desktop": (1366, 900), "mobile": (390, 844)}
WIKI_TITLE = "Beschaffung unter 10.000 €"
EXPERT_QUERY = "Vergabe"


def pages(app) -> dict[str, str]:
    """Name -> path of the pages shown in the README."""
    from app.wiki.models import Page

    with app.app_context():
        page_id = app.extensions["sqlalchemy"].session.scalar(
            select(Page.id).where(Page.title == WIKI_TITLE)
        )
    return {
        "home": "/",
        "wiki-page": f"/wiki/pages/{page_id}",
        "stream": "/stream/",
        "search-experts": f"/search?q={EXPERT_QUERY}",
        "profile": f"/people/{USERNAME}",
    }


def shrink(path: Path) -> None:
    """A 128-colour palette keeps a screenshot of our flat pages small and sharp."""
    from PIL import Image

    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=128, method=Image.Quantize.MEDIANCUT)
    small.save(path, optimize=True)


def main(output: Path) -> None:
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    output.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        compile_catalogues()
        app = create_app(
            {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/demo.db", "RATELIMIT_ENABLED": False},
            instance_path=folder,
        )
        with app.app_context():
            upgrade()
        app.test_cli_runner().invoke(seed_demo)
        password = (Path(folder) / CREDENTIALS_FILE).read_text().split()[1]
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_port}"
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
                )
                for size, (width, height) in SIZES.items():
                    context = browser.new_context(
                        base_url=base,
                        locale="de-DE",
                        viewport={"width": width, "height": height},
                        device_scale_factor=1,
                    )
                    page = context.new_page()
                    page.goto("/login")
                    page.locator("input[name=username]").fill(USERNAME)
                    page.locator("input[name=password]").fill(password)
                    page.locator("form button[type=submit]").last.click()
                    page.wait_for_url(lambda url: "/login" not in url)
                    for name, path in pages(app).items():
                        page.goto(path)
                        page.wait_for_load_state("networkidle")
                        target = output / f"{name}-{size}.png"
                        page.screenshot(path=str(target), full_page=False)
                        shrink(target)
                        print(target)
                    context.close()
                browser.close()
        finally:
            server.shutdown()


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots"))
