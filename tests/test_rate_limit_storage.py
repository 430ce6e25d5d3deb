"""Rate limits count across workers by default: without Redis the counters live in a file of
the instance folder, which every worker process of the host opens (memory:// gave each
worker its own counts, and an attacker as many more tries)."""

from __future__ import annotations

from limits import parse
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter

from app import create_app
from tests import conftest


def test_by_default_counters_live_in_the_instance_folder(database_uri, tmp_path):
    settings = {**conftest.test_settings(database_uri), "RATELIMIT_STORAGE_URI": ""}
    app = create_app(settings, instance_path=str(tmp_path / "instance"))
    uri = app.config["RATELIMIT_STORAGE_URI"]
    assert uri == f"kollegium-sqlite://{tmp_path / 'instance' / 'ratelimits.sqlite'}"


def test_two_workers_share_the_counts(tmp_path):
    uri = f"kollegium-sqlite://{tmp_path / 'ratelimits.sqlite'}"
    # Each worker process opens the storage itself, as these two instances do.
    first, second = (FixedWindowRateLimiter(storage_from_string(uri)) for _ in range(2))
    limit = parse("3 per minute")
    assert [first.hit(limit, "micropost", "7") for _ in range(2)] == [True, True]
    assert second.hit(limit, "micropost", "7") is True
    assert first.hit(limit, "micropost", "7") is False
    assert second.hit(limit, "micropost", "7") is False
    assert second.hit(limit, "micropost", "8") is True  # another person counts apart
    second.storage.reset()
    assert first.hit(limit, "micropost", "7") is True
