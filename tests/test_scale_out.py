"""Kollegium on PostgreSQL with two gunicorn workers and the search worker as its own
process: colleagues write from both workers at once, and afterwards nothing is lost and the
index matches the database (`flask search check`)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode
from urllib.request import Request, urlopen

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from tests.conftest import TEST_DATABASE_ENV, needs
from tests.mailbox import free_port

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
DATABASE = "kollegium_scale_out"
WRITERS = 4
ITEMS_PER_WRITER = 6
DEADLINE_SECONDS = 120


def postgres_url():
    """The suite's PostgreSQL server (or the machine's default), with a database of our own."""
    server = make_url(os.environ.get(TEST_DATABASE_ENV) or DEFAULT_SERVER)
    if server.get_backend_name() != "postgresql":
        server = make_url(DEFAULT_SERVER)
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{DATABASE}"'))
    except OperationalError as err:
        needs(f"PostgreSQL is not reachable at {server.host}:{server.port}: {err.orig}")
    finally:
        admin.dispose()
    return server, server.set(database=DATABASE).render_as_string(hide_password=False)


@pytest.fixture
def installation(tmp_path):
    server, uri = postgres_url()
    env = {
        **os.environ,
        "KOLLEGIUM_SQLALCHEMY_DATABASE_URI": uri,
        "KOLLEGIUM_INSTANCE_PATH": str(tmp_path / "instance"),
        "KOLLEGIUM_SECRET_KEY": "scale-out-test-secret-key-0123456789",
        # Only the worker writes the index, as on several hosts.
        "KOLLEGIUM_SEARCH_DRAIN": "worker",
        "KOLLEGIUM_MICROPOST_RATE_LIMIT": "1000 per minute",
        "FLASK_APP": "wsgi",
    }
    env.pop("KOLLEGIUM_TEST_DATABASE_URI", None)
    flask = [sys.executable, "-m", "flask"]

    def run(*args: str) -> str:
        done = subprocess.run(
            [*flask, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    run("db", "upgrade")
    processes = []
    try:
        yield env, run, processes
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        admin = create_engine(server, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)'))
        admin.dispose()


def call(base: str, method: str, path: str, token: str | None = None, body=None, **query):
    """One HTTP request to the served app: (status, parsed JSON body or None)."""
    url = f"{base}{path}" + (f"?{urlencode(query)}" if query else "")
    data = json.dumps(body).encode() if body is not None else None
    request = Request(url, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urlopen(request, timeout=30) as response:
            status, raw = response.status, response.read()
    except HTTPError as err:
        status, raw = err.code, err.read()
    return status, json.loads(raw) if raw else None


def wait_until(condition, what: str) -> None:
    deadline = time.monotonic() + DEADLINE_SECONDS
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)  # polling a condition, with a deadline
    pytest.fail(f"gave up waiting for {what}")


def test_two_workers_and_the_search_worker_lose_nothing(installation):
    env, run, processes = installation
    run(
        "users",
        "create",
        "ada",
        "--email",
        "ada@example.org",
        "--display-name",
        "Ada",
        "--admin",
        "--password",
        "a long password",
    )
    run(
        "users",
        "create",
        "bea",
        "--email",
        "bea@example.org",
        "--display-name",
        "Bea",
        "--password",
        "a long password",
    )
    tokens = [run("users", "token", name).strip() for name in ("ada", "bea")]

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    gunicorn = [
        sys.executable,
        "-m",
        "gunicorn",
        "--workers",
        "2",
        "--bind",
        f"127.0.0.1:{port}",
        "wsgi:app",
    ]
    processes.append(subprocess.Popen(gunicorn, cwd=ROOT, env=env))
    processes.append(
        subprocess.Popen([sys.executable, "-m", "flask", "search", "worker"], cwd=ROOT, env=env)
    )

    def healthy() -> bool:
        try:
            return call(base, "GET", "/health")[0] == 200
        except (URLError, ConnectionError):
            return False

    wait_until(healthy, "gunicorn to answer /health")
    status, blog = call(base, "POST", "/api/v1/blogs", tokens[0], {"title": "Lastblog"})
    assert status == 201, blog

    def write(writer: int) -> list[str]:
        token = tokens[writer % 2]
        made = []
        for number in range(ITEMS_PER_WRITER):
            word = f"Lastwort{writer}x{number}"
            status, page = call(
                base,
                "POST",
                "/api/v1/wiki/pages",
                token,
                {"title": f"Seite {word}", "body": f"Inhalt {word}"},
            )
            assert status == 201, page
            status, micro = call(
                base, "POST", "/api/v1/microposts", token, {"body": f"Kurz {word}"}
            )
            assert status == 201, micro
            status, comment = call(
                base,
                "POST",
                "/api/v1/comments",
                token,
                {"target": f"wiki_page:{page['id']}", "body": f"Kommentar {word}"},
            )
            assert status == 201, comment
            if writer % 2 == 0:
                status, post = call(
                    base,
                    "POST",
                    f"/api/v1/blogs/{blog['id']}/posts",
                    token,
                    {"title": f"Beitrag {word}", "body": word, "status": "published"},
                )
                assert status == 201, post
            made.append(word)
        return made

    with ThreadPoolExecutor(WRITERS) as pool:
        words = [word for batch in pool.map(write, range(WRITERS)) for word in batch]

    status, pages = call(base, "GET", "/api/v1/wiki/pages", tokens[0], per_page=100)
    assert pages["total"] == len(words)

    def index_matches_database() -> bool:
        check = subprocess.run(
            [sys.executable, "-m", "flask", "search", "check"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        return check.returncode == 0

    wait_until(index_matches_database, "`flask search check` to report no drift")
    for word in (words[0], words[-1]):
        _status, found = call(base, "GET", "/api/v1/search", tokens[0], q=word)
        kinds = {result["kind"] for result in found["results"]}
        assert {"wiki", "micro", "comment"} <= kinds, (word, found)
