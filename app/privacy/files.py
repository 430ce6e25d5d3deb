"""Stored files an erasure removes: only after the commit, so a failed erasure keeps them."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from app.extensions import db

PENDING = "privacy_files_to_remove"


def remove_after_commit(paths: Iterable[Path]) -> None:
    """Note files to delete once the current transaction is committed."""
    db.session.info.setdefault(PENDING, []).extend(paths)


def remove_pending() -> int:
    """Delete the noted files; return how many were there."""
    removed = 0
    for path in db.session.info.pop(PENDING, []):
        if path.is_file():
            path.unlink()
            removed += 1
    return removed


def forget_pending() -> None:
    db.session.info.pop(PENDING, None)
