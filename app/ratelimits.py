"""Counters of the rate limits (Flask-Limiter) in a SQLite file of the instance folder, the
default when no Redis is configured: every worker of the host counts together, where the
``memory://`` storage would give each worker its own counts (and an attacker as many more
tries as there are workers). Several hosts: ``RATELIMIT_STORAGE_URI=redis://…``.

The scheme is ``kollegium-sqlite:///path/to/file``; ``limits`` finds this class by it.
"""

from __future__ import annotations

import sqlite3
import time
from contextlib import closing

from limits.storage import Storage

SCHEME = "kollegium-sqlite"


class InstanceFileStorage(Storage):
    """Fixed-window counters: key, count, and when the window ends."""

    STORAGE_SCHEME = [SCHEME]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options) -> None:
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self.path = (uri or "").partition("://")[2]
        with closing(self._connect()) as connection:
            connection.execute(
                "CREATE TABLE IF NOT EXISTS counters"
                " (key TEXT PRIMARY KEY, value INTEGER NOT NULL, expires REAL NOT NULL)"
            )

    @property
    def base_exceptions(self) -> type[Exception]:
        return sqlite3.Error

    def _connect(self) -> sqlite3.Connection:
        # Autocommit; writers take the file's lock with BEGIN IMMEDIATE, waiting up to 5 s.
        return sqlite3.connect(self.path, timeout=5, isolation_level=None)

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = time.time()
        with closing(self._connect()) as connection:
            connection.execute("BEGIN IMMEDIATE")
            row = connection.execute(
                "SELECT value, expires FROM counters WHERE key = ?", (key,)
            ).fetchone()
            value, expires = (amount, now + expiry) if row is None or row[1] <= now else row
            if row is not None and row[1] > now:
                value += amount
            connection.execute(
                "INSERT OR REPLACE INTO counters (key, value, expires) VALUES (?, ?, ?)",
                (key, value, expires),
            )
            # Ended windows go as new ones begin: the file stays small.
            connection.execute("DELETE FROM counters WHERE expires <= ?", (now,))
            connection.execute("COMMIT")
        return value

    def get(self, key: str) -> int:
        row = self._row(key)
        return row[0] if row else 0

    def get_expiry(self, key: str) -> float:
        row = self._row(key)
        return row[1] if row else time.time()

    def _row(self, key: str) -> tuple[int, float] | None:
        with closing(self._connect()) as connection:
            return connection.execute(
                "SELECT value, expires FROM counters WHERE key = ? AND expires > ?",
                (key, time.time()),
            ).fetchone()

    def check(self) -> bool:
        with closing(self._connect()) as connection:
            connection.execute("SELECT 1")
        return True

    def reset(self) -> int | None:
        with closing(self._connect()) as connection:
            return connection.execute("DELETE FROM counters").rowcount

    def clear(self, key: str) -> None:
        with closing(self._connect()) as connection:
            connection.execute("DELETE FROM counters WHERE key = ?", (key,))
