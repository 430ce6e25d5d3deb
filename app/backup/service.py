"""A backup is a folder: the database snapshot, the uploaded files, and a manifest with the
schema version and a checksum of every file. The search index is left out; a restore
rebuilds it. The secret key and the settings are kept separately (docs/operations.md).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sqlite3
import stat
import subprocess
import tarfile
import tempfile
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path

from alembic.script import ScriptDirectory
from flask import current_app
from flask_migrate import upgrade
from sqlalchemy import inspect, text
from sqlalchemy.engine import URL, make_url

from app.clock import utcnow
from app.extensions import db

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
POSTGRES_FILE = "database.pgdump"
UPLOADS = "uploads"
CHUNK = 1024 * 1024
CHECKSUM = re.compile(r"[0-9a-f]{64}")
MAX_PATH = 1024
# Windows separators and drive letters mean another place on some systems.
_FORBIDDEN_IN_PATHS = ("\\", ":")
_LEADING_DOTS = re.compile(r"^(?:\./)+")


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
        dump = ["pg_dump", "--format=custom", "--no-owner", f"--file={database_file}"]
        _run([*dump, _libpq(url)], url)
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


def restore_backup(source: Path) -> BackupSummary:
    """Restore ``source`` (a backup folder, or one packed as .tar, .tar.gz, .tgz or .zip)
    into this (empty) installation and migrate it to the current schema; the caller then
    rebuilds the search index. Raises BackupError: damaged or tampered backup, newer
    schema, or an installation that already holds data. Nothing is written before the
    whole backup has been checked."""
    source = Path(source)
    if source.is_dir():
        return _restore_folder(source)
    with tempfile.TemporaryDirectory(prefix="kollegium-restore-") as unpacked:
        unpack_archive(source, Path(unpacked))
        summary = _restore_folder(_backup_root(Path(unpacked)))
    return replace(summary, folder=source)


def _backup_root(unpacked: Path) -> Path:
    """The folder of an unpacked archive that holds the manifest: the top, or its only
    folder (an archive of the backup folder itself)."""
    entries = list(unpacked.iterdir())
    if not (unpacked / MANIFEST).exists() and len(entries) == 1 and entries[0].is_dir():
        return entries[0]
    return unpacked


def _restore_folder(folder: Path) -> BackupSummary:
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
        _run(["pg_restore", "--no-owner", f"--dbname={_libpq(url)}", str(database_file)], url)
    else:
        raise BackupError(
            f"This backup holds {database_file.name}, which cannot be restored into a "
            f"{url.get_backend_name()} database."
        )
    db.engine.dispose()
    upgrade()
    uploads = Path(current_app.config["UPLOAD_DIR"])
    for item in manifest["uploads"]:
        target = _inside(uploads, item["path"])
        target.parent.mkdir(parents=True, exist_ok=True)
        # The target is new (the folder was empty); never follow a link planted meanwhile.
        with (
            _inside(folder / UPLOADS, item["path"]).open("rb") as original,
            open(target, "xb", opener=_no_follow) as copy,
        ):
            shutil.copyfileobj(original, copy, CHUNK)
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
    """The manifest, checked entry by entry. Raises BackupError."""
    manifest_file = folder / MANIFEST
    if manifest_file.is_symlink():
        raise BackupError(f"{manifest_file} is a link: the backup has been tampered with.")
    try:
        manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
    except FileNotFoundError as err:
        raise BackupError(f"{folder} holds no {MANIFEST}: it is not a Kollegium backup.") from err
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise BackupError(f"{manifest_file} is damaged: {err}.") from err
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{manifest_file} is not a backup of format {FORMAT}.")
    _check_manifest(manifest)
    return manifest


def _check_manifest(manifest: dict) -> None:
    """Refuse a manifest whose entries could name anything but plain files of the backup:
    absolute paths, "..", odd characters, duplicates. Raises BackupError."""
    database = manifest.get("database")
    if (
        not isinstance(manifest.get("schema_revision"), str)
        or not isinstance(database, dict)
        or database.get("file") not in (SQLITE_FILE, POSTGRES_FILE)
        or not _is_checksum(database.get("sha256"))
        or not isinstance(manifest.get("uploads"), list)
    ):
        raise BackupError(f"The backup's {MANIFEST} is damaged: a required entry is wrong.")
    files: set[str] = set()
    folders: set[str] = set()
    for item in manifest["uploads"]:
        if not isinstance(item, dict) or not _is_checksum(item.get("sha256")):
            raise BackupError(f"The backup's {MANIFEST} is damaged: {item!r:.80} is no file.")
        path = item.get("path")
        if not is_plain_relative_path(path):
            raise BackupError(f"The manifest names a file outside the backup: {path!r:.200}.")
        # "a" and "a/b" cannot both be files: the folder would stand where the file was.
        key = path.casefold()
        parents = {"/".join(key.split("/")[:end]) for end in range(1, key.count("/") + 1)}
        if key in files or key in folders or parents & files:
            raise BackupError(f"The manifest names {path!r:.200} twice.")
        files.add(key)
        folders.update(parents)


def is_plain_relative_path(path: object) -> bool:
    """Say whether `path` is a relative POSIX path of plain names: not absolute, no ".",
    "..", empty parts, backslashes, drive letters or control characters."""
    if not isinstance(path, str) or not path or len(path) > MAX_PATH:
        return False
    if path.startswith("/") or any(char in path for char in _FORBIDDEN_IN_PATHS):
        return False
    if any(ord(char) < 32 or ord(char) == 127 for char in path):
        return False
    return all(part not in ("", ".", "..") for part in path.split("/"))


def _is_checksum(value: object) -> bool:
    return isinstance(value, str) and CHECKSUM.fullmatch(value) is not None


def _verify_checksums(folder: Path, manifest: dict) -> None:
    expected = [(folder, manifest["database"]["file"], manifest["database"]["sha256"])]
    expected += [(folder / UPLOADS, item["path"], item["sha256"]) for item in manifest["uploads"]]
    for root, relative, checksum in expected:
        path = _inside(root, relative)
        if any(part.is_symlink() for part in (path, *path.parents) if part != part.parent):
            raise BackupError(f"{path} is a link: the backup has been tampered with.")
        if not path.is_file():
            raise BackupError(f"The backup is damaged: {path} is missing.")
        if _sha256(path) != checksum:
            raise BackupError(f"The backup is damaged: {path} does not match its checksum.")


def _inside(root: Path, relative: str) -> Path:
    """`root / relative`, proven to lie inside `root` once links are followed. Raises
    BackupError."""
    path = root / relative
    if not path.resolve().is_relative_to(root.resolve()):
        raise BackupError(f"The manifest names a file outside its folder: {relative!r:.200}.")
    return path


def _no_follow(path: str, flags: int) -> int:
    return os.open(path, flags | getattr(os, "O_NOFOLLOW", 0), 0o600)


def unpack_archive(archive: Path, target: Path) -> None:
    """Unpack a backup packed as tar (optionally gzip'd) or zip into the empty `target`,
    after checking every member: plain files and folders with plain relative names, each
    once. Raises BackupError before anything is written."""
    name = archive.name.lower()
    try:
        if name.endswith(".zip"):
            with zipfile.ZipFile(archive) as packed:
                members = packed.infolist()
                _check_members(
                    [(m.filename.rstrip("/"), m.is_dir(), _zip_is_file(m)) for m in members]
                )
                for member in members:
                    if not member.is_dir():
                        destination = _inside(target, member.filename)
                        destination.parent.mkdir(parents=True, exist_ok=True)
                        with packed.open(member) as original, destination.open("xb") as copy:
                            shutil.copyfileobj(original, copy, CHUNK)
        elif name.endswith((".tar", ".tar.gz", ".tgz")):
            with tarfile.open(archive) as packed:
                members = packed.getmembers()
                _check_members([(m.name.rstrip("/"), m.isdir(), m.isfile()) for m in members])
                # The "data" filter refuses links, devices and paths outside once more.
                packed.extractall(target, filter="data")
        else:
            raise BackupError(f"{archive} is no backup folder, .tar, .tar.gz, .tgz or .zip.")
    except (tarfile.TarError, zipfile.BadZipFile, EOFError) as err:
        raise BackupError(f"{archive} is damaged: {err}.") from err


def _zip_is_file(member: zipfile.ZipInfo) -> bool:
    # Unix file types travel in the high bits; only regular files (or none stated) pass.
    kind = stat.S_IFMT(member.external_attr >> 16)
    return not member.is_dir() and kind in (0, stat.S_IFREG)


def _check_members(members: list[tuple[str, bool, bool]]) -> None:
    """`members`: (name, is a folder, is a plain file) of an archive. Raises BackupError."""
    seen: set[str] = set()
    for written, is_dir, is_file in members:
        name = _LEADING_DOTS.sub("", written)  # `tar -C backup -cf b.tar .` writes ./name
        if name in ("", ".") and is_dir:
            continue
        if not is_plain_relative_path(name):
            raise BackupError(f"The archive holds a file outside the backup: {name!r:.200}.")
        if not (is_dir or is_file):
            raise BackupError(f"The archive holds {name!r:.200}, which is no plain file.")
        if not is_dir and name.casefold() in seen:
            raise BackupError(f"The archive holds {name!r:.200} twice.")
        seen.add(name.casefold())


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
    """The connection string for pg_dump and pg_restore, without the password: a command
    line is visible to every user of the machine (ps), the environment is not."""
    plain = URL.create(
        "postgresql", url.username, None, url.host, url.port, url.database, url.query
    )
    return plain.render_as_string(hide_password=False)


def _run(command: list[str], url=None) -> None:
    environment = dict(os.environ)
    if url is not None and url.password:
        environment["PGPASSWORD"] = str(url.password)
    try:
        subprocess.run(command, check=True, capture_output=True, text=True, env=environment)
    except FileNotFoundError as err:
        raise BackupError(f"{command[0]} is not installed.") from err
    except subprocess.CalledProcessError as err:
        raise BackupError(f"{command[0]} failed: {err.stderr.strip()}") from err
