"""Tokens never reach the access log: a real gunicorn, started as `make run` starts it."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path
from urllib.error import HTTPError
from urllib.request import Request, urlopen

from app.accesslog import RedactingFilter
from tests.mailbox import free_port
from tests.servers import wait_for_health

ROOT = Path(__file__).resolve().parent.parent
SECRETS = ("feedsecret123", "querysecret456", "kol_bearersecret789")


def get(url: str, headers: dict | None = None) -> int:
    try:
        # Generous: a busy CI machine can take seconds for a worker's first pages.
        with urlopen(Request(url, headers=headers or {}), timeout=60) as response:
            return response.status
    except HTTPError as err:
        return err.code


def test_gunicorn_access_log_holds_no_tokens(database_uri, tmp_path):
    log_file = tmp_path / "access.log"
    port = free_port()
    env = {
        **os.environ,
        "KOLLEGIUM_SQLALCHEMY_DATABASE_URI": database_uri,
        "KOLLEGIUM_INSTANCE_PATH": str(tmp_path / "instance"),
        "KOLLEGIUM_SEARCH_DRAIN": "worker",
    }
    server = subprocess.Popen(
        [
            *(sys.executable, "-m", "gunicorn", "--workers", "1", "--bind", f"127.0.0.1:{port}"),
            *("--access-logfile", str(log_file), "--logger-class"),
            *("app.accesslog.RedactingLogger", "wsgi:app"),
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_health(base)
        get(f"{base}/blog/feeds/feedsecret123/all.atom")
        get(f"{base}/blog/feeds/feedsecret123/7.atom?x=1")
        get(
            f"{base}/api/v1/search?q=amt&token=querysecret456",
            {
                "Authorization": "Bearer kol_bearersecret789",
                "Referer": f"{base}/?key=querysecret456",
            },
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
    logged = log_file.read_text()
    assert "/blog/feeds/[redacted]/all.atom" in logged
    assert "/api/v1/search?q=amt&token=[redacted]" in logged
    assert not any(secret in logged for secret in SECRETS)


def test_development_server_log_holds_no_tokens():
    record = logging.LogRecord(
        "werkzeug", logging.INFO, __file__, 1, '%s - - [%s] "%s" %s', None, None
    )
    record.args = ("127.0.0.1", "now", "GET /blog/feeds/feedsecret123/all.atom HTTP/1.1", "200")
    RedactingFilter().filter(record)
    assert "feedsecret123" not in record.getMessage()
    assert "/blog/feeds/[redacted]/all.atom" in record.getMessage()
