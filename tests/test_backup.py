"""Backup while the site writes, restore into an empty installation, refuse damage and newer
schemas."""

import hashlib
import json
import os
import threading
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from app import create_app
from app.accounts.models import User
from app.backup import service
from app.extensions import db
from app.search import service as search
from app.spaces.models import Space
from tests.conftest import TEST_DATABASE_ENV
from tests.conftest import test_settings as settings_for
from tests.factories import make_page, make_space, make_user


def row_counts() -> dict[str, int]:
    return {
        table.name: db.session.scalar(select(func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    }


def file_hashes(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in folder.rglob("*")
        if p.is_file()
    }


def some_content(app):
    owner = make_user("berta", display_name="Berta Backup")
    make_space("Bauamt", owners=[owner])
    make_page("Bauantrag prüfen", author=owner, body="Die Prüfung der Bauanträge im Bauamt.")
    make_page("Vergabe", author=owner, body="Verträge unter 10.000 € und Bauanträge.")
    uploads = Path(app.config["UPLOAD_DIR"])
    (uploads / "ab").mkdir(parents=True)
    (uploads / "ab" / "abcdef").write_bytes(b"%PDF-1.4 Bauantrag")


@pytest.fixture
def empty_installation(app, tmp_path):
    """Makes a second installation with its own, empty database (of the same kind as the
    suite's) and folders; drops what it made afterwards."""
    made: list[tuple] = []
    source = make_url(app.config["SQLALCHEMY_DATABASE_URI"])

    def make(name: str = "restored"):
        if source.get_backend_name() == "postgresql":
            uri = source.set(database=f"kollegium_{name}")
            _recreate_database(source, uri.database)
            uri = uri.render_as_string(hide_password=False)
        else:
            uri = f"sqlite:///{tmp_path / name / 'kollegium.db'}"
        other = create_app(settings_for(uri), instance_path=str(tmp_path / name))
        made.append((other, uri))
        return other

    yield make
    for other, uri in made:
        with other.app_context():
            db.session.remove()
            db.engine.dispose()
        if uri.startswith("postgresql"):
            _recreate_database(source, make_url(uri).database, create=False)


def _recreate_database(server_url, name: str, *, create: bool = True) -> None:
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        if create:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()


def test_backup_under_load_restores_the_snapshot_exactly(app, tmp_path, empty_installation):
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("reads the SQLite snapshot; test_postgresql_backup_and_restore covers pg_dump")
    some_content(app)
    stop = threading.Event()

    def keep_writing():
        with app.app_context():
            number = 0
            while not stop.is_set():
                number += 1
                make_space(f"Projekt {number}")

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        summary = service.create_backup(tmp_path / "backup")
    finally:
        stop.set()
        writer.join()
    snapshot = create_engine(f"sqlite:///{tmp_path / 'backup' / service.SQLITE_FILE}")
    with snapshot.connect() as connection:
        spaces_in_snapshot = connection.execute(text("SELECT COUNT(*) FROM spaces")).scalar()
    snapshot.dispose()
    assert summary.files == 1

    restored = empty_installation()
    with restored.app_context():
        service.restore_backup(tmp_path / "backup")
        assert db.session.scalar(select(func.count()).select_from(Space)) == spaces_in_snapshot
        assert db.session.scalar(select(User.display_name)) == "Berta Backup"
        assert file_hashes(Path(restored.config["UPLOAD_DIR"])) == file_hashes(
            Path(app.config["UPLOAD_DIR"])
        )


QUERIES = ("Bauantrag", "Verträge", "Berta", "Prüfung", "nichts-dergleichen")


def search_results(username: str) -> dict[str, list[str]]:
    reader = db.session.scalar(select(User).where(User.username == username))
    return {q: [r.hit.key for r in search.search(reader, q).results] for q in QUERIES}


def test_restore_gives_the_same_rows_and_search_results(app, tmp_path, empty_installation):
    some_content(app)
    before, found = row_counts(), search_results("berta")
    assert found["Bauantrag"]
    service.create_backup(tmp_path / "backup")
    restored = empty_installation()
    with restored.app_context():
        service.restore_backup(tmp_path / "backup")
        assert row_counts() == before
        reindex = restored.test_cli_runner().invoke(args=["search", "reindex"])
        assert reindex.exit_code == 0, reindex.output
        assert search_results("berta") == found


def test_cli_creates_and_restores(app, tmp_path, empty_installation):
    some_content(app)
    result = app.test_cli_runner().invoke(args=["backup", "create", str(tmp_path / "b")])
    assert result.exit_code == 0, result.output
    assert "1 uploaded files" in result.output
    again = app.test_cli_runner().invoke(args=["backup", "create", str(tmp_path / "b")])
    assert again.exit_code == 1
    assert "not empty" in again.output
    restored = empty_installation()
    with restored.app_context():  # the command runs in whichever app is current
        result = restored.test_cli_runner().invoke(args=["backup", "restore", str(tmp_path / "b")])
        assert result.exit_code == 0, result.output
        assert db.session.scalar(select(User.username)) == "berta"
        # The search index is rebuilt from the restored database.
        assert "Indexed" in result.output
        check = restored.test_cli_runner().invoke(args=["search", "check"])
        assert check.exit_code == 0, check.output


def test_damaged_backup_is_refused_with_a_clear_message(app, tmp_path, empty_installation):
    some_content(app)
    service.create_backup(tmp_path / "backup")
    upload = tmp_path / "backup" / "uploads" / "ab" / "abcdef"
    upload.write_bytes(b"%PDF-1.4 changed")
    restored = empty_installation()
    with restored.app_context(), pytest.raises(service.BackupError, match="checksum"):
        service.restore_backup(tmp_path / "backup")
    (tmp_path / "backup" / "manifest.json").write_text("{broken")
    with restored.app_context(), pytest.raises(service.BackupError, match="damaged"):
        service.restore_backup(tmp_path / "backup")


def test_a_newer_schema_is_refused(app, tmp_path, empty_installation):
    some_content(app)
    service.create_backup(tmp_path / "backup")
    manifest_file = tmp_path / "backup" / "manifest.json"
    manifest = json.loads(manifest_file.read_text())
    manifest["schema_revision"] = "9999_from_the_future"
    manifest_file.write_text(json.dumps(manifest))
    restored = empty_installation()
    with restored.app_context(), pytest.raises(service.BackupError, match="newer"):
        service.restore_backup(tmp_path / "backup")


def test_restore_refuses_an_installation_with_data(app, tmp_path):
    some_content(app)
    service.create_backup(tmp_path / "backup")
    with pytest.raises(service.BackupError, match="already holds data"):
        service.restore_backup(tmp_path / "backup")


def test_postgresql_backup_and_restore(app, tmp_path, empty_installation):
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        if TEST_DATABASE_ENV in os.environ:
            pytest.fail("the PostgreSQL run must exercise pg_dump and pg_restore")
        pytest.skip("runs in the PostgreSQL pass (KOLLEGIUM_TEST_DATABASE_URI)")
    some_content(app)
    before = row_counts()
    service.create_backup(tmp_path / "backup")
    assert (tmp_path / "backup" / service.POSTGRES_FILE).exists()
    restored = empty_installation()
    with restored.app_context():
        service.restore_backup(tmp_path / "backup")
        assert row_counts() == before
