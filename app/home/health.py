"""What /health reports: can we reach the database and write the index folder?"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass

from flask import Flask
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app.extensions import db


@dataclass(frozen=True, slots=True)
class HealthReport:
    database: bool
    index_folder: bool

    @property
    def healthy(self) -> bool:
        return self.database and self.index_folder

    def as_json(self) -> dict:
        return {
            "status": "ok" if self.healthy else "failing",
            "database": self.database,
            "index_folder_writable": self.index_folder,
        }


def check(app: Flask) -> HealthReport:
    return HealthReport(database=_database_reachable(), index_folder=_writable(app))


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
