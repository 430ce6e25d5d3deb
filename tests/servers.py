"""Waiting for a server the tests started in another process."""

from __future__ import annotations

import time
from urllib.error import HTTPError, URLError
from urllib.request import urlopen

import pytest


def wait_for_health(base: str, seconds: float = 60) -> None:
    """Return once ``base``/health answers 200; fail the test after ``seconds``."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urlopen(f"{base}/health", timeout=10) as response:
                if response.status == 200:
                    return
        except (HTTPError, URLError, ConnectionError):
            pass
        if time.monotonic() > deadline:
            pytest.fail(f"the server at {base} did not answer /health")
        time.sleep(0.2)  # polling a condition, with a deadline
