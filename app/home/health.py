"""What /health reports: can we reach the database and write the index folder, and does the
search index keep up (rows waiting in the outbox, and the age of the oldest)?"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass

from flask import Flask
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app.extensions import db
from app.search import outbox
from app.search.outbox import Backlog


@dataclass(frozen=True, slots=True)
class HealthReport:
    database: bool
    index_folder: bool
    outbox: Backlog | None  # None: the database could not be asked
    outbox_max_age_seconds: float

    @property
    def index_keeps_up(self) -> bool:
        return self.outbox is not None and (
            self.outbox.oldest_age_seconds <= self.outbox_max_age_seconds
        )

    @property
    def healthy(self) -> bool:
        return self.database and self.index_folder and self.index_keeps_up

    def as_json(self) -> dict:
        report = {
            "status": "ok" if self.healthy else "failing",
            "database": self.database,
            "index_folder_writable": self.index_folder,
        }
        if self.outbox is not None:
            report["search_outbox"] = {
                "rows": self.outbox.rows,
                "oldest_age_seconds": round(self.outbox.oldest_age_seconds, 1),
                "max_age_seconds": self.outbox_max_age_seconds,
            }
        return report


def check(app: Flask) -> HealthReport:
    database = _database_reachable()
    return HealthReport(
        database=database,
        index_folder=_writable(app),
        outbox=_outbox_backlog() if database else None,
        outbox_max_age_seconds=app.config["HEALTH_OUTBOX_MAX_AGE_SECONDS"],
    )


def _outbox_backlog() -> Backlog | None:
    try:
        return outbox.backlog()
    except SQLAlchemyError:
        db.session.rollback()
        return None


def _database_reachable() -> bool:
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return False
    return True


def _writable(app: Flask) -> bool:
    folder = app.config["SEARCH_INDEX_DIR"]
    try:
        os.makedirs(folder, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".health-"):
            pass
    except OSError:
        return False
    return True
