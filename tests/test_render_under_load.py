"""No body stalls the server: while the heaviest Markdown bodies are saved at once, a real
gunicorn still answers /health within a second."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.error import HTTPError
from urllib.request import Request, urlopen

import pytest

from app.wiki.service import MAX_BODY
from tests.mailbox import free_port
from tests.servers import wait_for_health

ROOT = Path(__file__).resolve().parent.parent
# The slowest constructs of bench/markup.py, each at the largest body a wiki page accepts.
HEAVY_UNITS = ("- [x] a\n", "[^1]: a\n", "a\n\n", "# h\n")
# Idle, /health answers in well under 0.1 s; before rendering was linear it took 11 s. The
# margin is for a machine busy with other work (CI runs the suite on both cores).
HEALTH_LIMIT_SECONDS = 2.5


def heavy_body(unit: str) -> str:
    return (unit * (MAX_BODY // len(unit) + 1))[:MAX_BODY]


def request(url: str, body: dict | None = None, token: str | None = None) -> int:
    data = json.dumps(body).encode() if body is not None else None
    sent = Request(url, data=data, method="POST" if data else "GET")
    sent.add_header("Content-Type", "application/json")
    if token:
        sent.add_header("Authorization", f"Bearer {token}")
    try:
        # Generous: a busy machine can take long for a worker's first request.
        with urlopen(sent, timeout=120) as response:
            return response.status
    except HTTPError as err:
        return err.code


@pytest.mark.slow
def test_health_answers_promptly_while_heavy_bodies_render(tmp_path):
    env = {
        **os.environ,
        "KOLLEGIUM_SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'kollegium.db'}",
        "KOLLEGIUM_INSTANCE_PATH": str(tmp_path / "instance"),
        "KOLLEGIUM_SECRET_KEY": "render-load-test-secret-key-0123456789",
        "KOLLEGIUM_SEARCH_DRAIN": "worker",
        # One worker per heavy save, and one left for /health.
        "KOLLEGIUM_WORKERS": str(len(HEAVY_UNITS) + 1),
        "KOLLEGIUM_ACCESS_LOG": str(tmp_path / "access.log"),
        "FLASK_APP": "wsgi",
    }
    env.pop("KOLLEGIUM_TEST_DATABASE_URI", None)

    def flask(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "flask", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    flask("db", "upgrade")
    flask(
        "users",
        "create",
        "ada",
        "--email",
        "ada@example.org",
        "--display-name",
        "Ada",
        "--password",
        "a long password",
    )
    token = flask("users", "token", "ada").strip()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [
            *(sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py"),
            *("--bind", f"127.0.0.1:{port}", "wsgi:app"),
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        wait_for_health(base)

        # Every worker serves a first request before the test starts timing: a worker's
        # first request pays for loading what the app loads lazily.
        for _round in range(3):
            warmers = [
                threading.Thread(target=request, args=(f"{base}/health",))
                for _worker in range(len(HEAVY_UNITS) + 1)
            ]
            for warmer in warmers:
                warmer.start()
            for warmer in warmers:
                warmer.join()

        statuses: list[int] = []

        def save(number: int, unit: str) -> None:
            page = {"title": f"Schwer {number}", "body": heavy_body(unit)}
            statuses.append(request(f"{base}/api/v1/wiki/pages", page, token))

        savers = [
            threading.Thread(target=save, args=(number, unit))
            for number, unit in enumerate(HEAVY_UNITS)
        ]
        for saver in savers:
            saver.start()
        waits = []
        while any(saver.is_alive() for saver in savers):
            started = time.monotonic()
            assert request(f"{base}/health") == 200
            waits.append(time.monotonic() - started)
        for saver in savers:
            saver.join()
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert statuses == [201] * len(HEAVY_UNITS)
    assert waits, "the saves finished before /health was asked"
    assert max(waits) < HEALTH_LIMIT_SECONDS
