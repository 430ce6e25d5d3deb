"""Time as the database stores it: naive datetimes in UTC."""

from datetime import UTC, datetime


def utcnow() -> datetime:
    """Now, in UTC, without tzinfo (SQLite keeps none; Babel formats naive times as UTC)."""
    return datetime.now(UTC).replace(tzinfo=None)
