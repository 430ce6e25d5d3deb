"""A backup is a folder: the database snapshot, the uploaded files, and a manifest with the
schema version and a checksum of every file. The search index is left out; a restore
rebuilds it. The secret key and the settings are kept separately (docs/operations.md).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from alembic.script import ScriptDirectory
from flask import current_app
from flask_migrate import upgrade
from sqlalchemy import inspect, text
from sqlalchemy.engine import make_url

from app.clock import utcnow
from app.extensions import db

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
POSTGRES_FILE = "database.pgdump"
UPLOADS = "uploads"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore cannot go on; the message says why, for the operator."""


@dataclass(frozen=True, slots=True)
class BackupSummary:
    folder: Path
    schema_revision: str
    files: int


def create_backup(folder: Path) -> BackupSummary:
    """Write a snapshot of the running installation into the empty or new ``folder``.
    Raises BackupError."""
    folder = Path(folder)
    if folder.exists() and any(folder.iterdir()):
        raise BackupError(f"{folder} is not empty: choose a new folder for the backup.")
    folder.mkdir(parents=True, exist_ok=True)
    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() == "sqlite":
        database_file = folder / SQLITE_FILE
        _snapshot_sqlite(Path(url.database), database_file)
        revision = _sqlite_revision(database_file)
    elif url.get_backend_name() == "postgresql":
        database_file = folder / POSTGRES_FILE
        # pg_dump reads one consistent snapshot while the site keeps writing.
        _run(["pg_dump", "--format=custom", "--no-owner", f"--file={database_file}", _libpq(url)])
        revision = _current_revision()
    else:
        raise BackupError(f"Backups of {url.get_backend_name()} databases are not supported.")
    uploads = _copy_uploads(Path(current_app.config["UPLOAD_DIR"]), folder / UPLOADS)
    manifest = {
        "format": FORMAT,
        "created": utcnow().isoformat(timespec="seconds") + "Z",
        "schema_revision": revision,
        "database": {"file": database_file.name, "sha256": _sha256(database_file)},
        "uploads": uploads,
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True))
    return BackupSummary(folder=folder, schema_revision=revision, files=len(uploads))


def restore_backup(folder: Path) -> BackupSummary:
    """Restore ``folder`` into this (empty) installation and migrate it to the current
    schema; the caller then rebuilds the search index. Raises BackupError: damaged backup,
    newer schema, or an installation that already holds data."""
    folder = Path(folder)
    manifest = _read_manifest(folder)
    _verify_checksums(folder, manifest)
    revision = manifest["schema_revision"]
    if not _known_revision(revision):
        raise BackupError(
            f"The backup has schema revision {revision}, which this version of Kollegium "
            "does not know (it is newer). Upgrade Kollegium first."
        )
    _ensure_empty_installation()
    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
    database_file = folder / manifest["database"]["file"]
    db.session.remove()
    db.engine.dispose()
    if url.get_backend_name() == "sqlite" and database_file.name == SQLITE_FILE:
        target = Path(url.database)
        target.parent.mkdir(parents=True, exist_ok=True)
        for leftover in (target, Path(f"{target}-wal"), Path(f"{target}-shm")):
            leftover.unlink(missing_ok=True)
        shutil.copyfile(database_file, target)
    elif url.get_backend_name() == "postgresql" and database_file.name == POSTGRES_FILE:
        with db.engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        _run(["pg_restore", "--no-owner", f"--dbname={_libpq(url)}", str(database_file)])
    else:
        raise BackupError(
            f"This backup holds {database_file.name}, which cannot be restored into a "
            f"{url.get_backend_name()} database."
        )
    db.engine.dispose()
    upgrade()
    uploads = Path(current_app.config["UPLOAD_DIR"])
    for item in manifest["uploads"]:
        target = uploads / item["path"]
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(folder / UPLOADS / item["path"], target)
    return BackupSummary(folder=folder, schema_revision=revision, files=len(manifest["uploads"]))


def _snapshot_sqlite(source: Path, target: Path) -> None:
    # SQLite's online backup API copies a consistent state while others keep writing.
    origin, copy = sqlite3.connect(source), sqlite3.connect(target)
    try:
        origin.backup(copy)
    finally:
        copy.close()
        origin.close()


def _sqlite_revision(database_file: Path) -> str:
    connection = sqlite3.connect(database_file)
    try:
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    finally:
        connection.close()
    return row[0] if row else ""


def _current_revision() -> str:
    with db.engine.connect() as connection:
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar() or ""


def _copy_uploads(source: Path, target: Path) -> list[dict]:
    copied = []
    if not source.exists():
        return copied
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        relative = path.relative_to(source).as_posix()
        destination = target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, destination)
        copied.append(
            {"path": relative, "sha256": _sha256(destination), "size": destination.stat().st_size}
        )
    return copied


def _read_manifest(folder: Path) -> dict:
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except FileNotFoundError as err:
        raise BackupError(f"{folder} holds no {MANIFEST}: it is not a Kollegium backup.") from err
    except json.JSONDecodeError as err:
        raise BackupError(f"{folder / MANIFEST} is damaged: {err}.") from err
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{folder / MANIFEST} is not a backup of format {FORMAT}.")
    return manifest


def _verify_checksums(folder: Path, manifest: dict) -> None:
    expected = [(folder / manifest["database"]["file"], manifest["database"]["sha256"])]
    expected += [(folder / UPLOADS / item["path"], item["sha256"]) for item in manifest["uploads"]]
    for path, checksum in expected:
        if not path.resolve().is_relative_to(folder.resolve()):
            raise BackupError(f"The manifest names a file outside the backup: {path}.")
        if not path.is_file():
            raise BackupError(f"The backup is damaged: {path} is missing.")
        if _sha256(path) != checksum:
            raise BackupError(f"The backup is damaged: {path} does not match its checksum.")


def _known_revision(revision: str) -> bool:
    scripts = ScriptDirectory(current_app.extensions["migrate"].directory)
    return revision in {script.revision for script in scripts.walk_revisions()}


def _ensure_empty_installation() -> None:
    tables = set(inspect(db.engine).get_table_names()) - {"alembic_version"}
    if tables and db.session.execute(text("SELECT COUNT(*) FROM users")).scalar():
        raise BackupError("This installation already holds data: restore into an empty one.")
    uploads = Path(current_app.config["UPLOAD_DIR"])
    if uploads.exists() and any(p.is_file() for p in uploads.rglob("*")):
        raise BackupError(f"{uploads} already holds files: restore into an empty installation.")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _libpq(url) -> str:
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def _run(command: list[str]) -> None:
    try:
        subprocess.run(command, check=True, capture_output=True, text=True)
    except FileNotFoundError as err:
        raise BackupError(f"{command[0]} is not installed.") from err
    except subprocess.CalledProcessError as err:
        raise BackupError(f"{command[0]} failed: {err.stderr.strip()}") from err
