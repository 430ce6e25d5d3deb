"""Backup while the site writes, restore into an empty installation, refuse damage and newer
schemas."""

import hashlib
import io
import json
import os
import stat
import tarfile
import threading
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, inspect, select, text
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


# --- tampered backups: nothing is written before everything is checked ----------------------


def tamper(backup: Path, change) -> None:
    manifest_file = backup / "manifest.json"
    manifest = json.loads(manifest_file.read_text())
    change(manifest)
    manifest_file.write_text(json.dumps(manifest))


def assert_nothing_restored(restored, tmp_path: Path) -> None:
    with restored.app_context():
        if "users" in inspect(db.engine).get_table_names():
            assert db.session.execute(text("SELECT COUNT(*) FROM users")).scalar() == 0
        uploads = Path(restored.config["UPLOAD_DIR"])
        assert not uploads.exists() or not [p for p in uploads.rglob("*") if p.is_file()]
    assert not (tmp_path / "restored" / "secret_key").exists()


def test_manifest_entry_outside_the_upload_folder_is_refused(app, tmp_path, empty_installation):
    """The attack of issue 14: "../secret_key" would land beside the upload folder."""
    some_content(app)
    backup = tmp_path / "backup"
    service.create_backup(backup)
    secret = b"attacker's key"
    (backup / "secret_key").write_bytes(secret)
    tamper(
        backup,
        lambda m: m["uploads"].append(
            {"path": "../secret_key", "sha256": hashlib.sha256(secret).hexdigest(), "size": 14}
        ),
    )
    restored = empty_installation()
    upload_dir = Path(restored.config["UPLOAD_DIR"])
    with restored.app_context(), pytest.raises(service.BackupError, match="outside"):
        service.restore_backup(backup)
    assert not (upload_dir.parent / "secret_key").exists()
    assert_nothing_restored(restored, tmp_path)


@pytest.mark.parametrize(
    "path",
    [
        "/etc/passwd",
        "ab/../../secret_key",
        "ab/./abcdef",
        "ab//abcdef",
        "ab\\..\\..\\secret_key",
        "C:secret_key",
        "",
        "ab/abc\x00def",
        ["ab", "abcdef"],
    ],
)
def test_manifest_paths_that_are_not_plain_are_refused(app, tmp_path, empty_installation, path):
    some_content(app)
    backup = tmp_path / "backup"
    service.create_backup(backup)
    tamper(backup, lambda m: m["uploads"][0].update(path=path))
    restored = empty_installation()
    with restored.app_context(), pytest.raises(service.BackupError, match=r"outside|damaged"):
        service.restore_backup(backup)
    assert_nothing_restored(restored, tmp_path)


@pytest.mark.parametrize(
    "change",
    [
        lambda m: m["uploads"].append(dict(m["uploads"][0])),  # the same file twice
        lambda m: m["uploads"].append({**m["uploads"][0], "path": "AB/ABCDEF"}),
        lambda m: m["uploads"].append({**m["uploads"][0], "path": "ab/abcdef/inner"}),
        lambda m: m["database"].update(file="../database.sqlite3"),
        lambda m: m["database"].update(file="uploads/ab/abcdef"),
        lambda m: m.update(uploads={"path": "x"}),
        lambda m: m["uploads"][0].update(sha256="../../etc"),
    ],
)
def test_duplicate_or_odd_manifest_entries_are_refused(app, tmp_path, empty_installation, change):
    some_content(app)
    backup = tmp_path / "backup"
    service.create_backup(backup)
    tamper(backup, change)
    restored = empty_installation()
    with restored.app_context(), pytest.raises(service.BackupError):
        service.restore_backup(backup)
    assert_nothing_restored(restored, tmp_path)


def test_a_link_inside_the_backup_is_refused(app, tmp_path, empty_installation):
    some_content(app)
    backup = tmp_path / "backup"
    service.create_backup(backup)
    upload = backup / "uploads" / "ab" / "abcdef"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.write_bytes(upload.read_bytes())  # same content: the checksum would match
    upload.unlink()
    upload.symlink_to(elsewhere)
    restored = empty_installation()
    with restored.app_context(), pytest.raises(service.BackupError, match=r"link|outside"):
        service.restore_backup(backup)
    assert_nothing_restored(restored, tmp_path)


def _tar(path: Path, members: list[tuple[tarfile.TarInfo, bytes | None]]) -> Path:
    with tarfile.open(path, "w:gz") as packed:
        for info, data in members:
            info.size = len(data) if data is not None else 0
            packed.addfile(info, io.BytesIO(data) if data is not None else None)
    return path


def test_packed_backup_restores_from_tar_and_zip(app, tmp_path, empty_installation):
    some_content(app)
    backup = tmp_path / "backup"
    service.create_backup(backup)
    with tarfile.open(tmp_path / "backup.tar.gz", "w:gz") as packed:
        packed.add(backup, arcname=".")  # as `tar -C backup -czf backup.tar.gz .` makes it
    with zipfile.ZipFile(tmp_path / "backup.zip", "w") as packed:
        for path in sorted(backup.rglob("*")):
            packed.write(path, "backup/" + path.relative_to(backup).as_posix())
    for index, archive in enumerate(("backup.tar.gz", "backup.zip")):
        restored = empty_installation(f"restored{index}")
        with restored.app_context():
            summary = service.restore_backup(tmp_path / archive)
            assert summary.files == 1
            assert db.session.scalar(select(User.username)) == "berta"
            assert file_hashes(Path(restored.config["UPLOAD_DIR"])) == file_hashes(
                Path(app.config["UPLOAD_DIR"])
            )


def _member(name: str, kind: bytes = tarfile.REGTYPE, target: str = "") -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = target
    return info


@pytest.mark.parametrize(
    "members",
    [
        [(_member("../evil"), b"x")],
        [(_member("/tmp/evil-absolute"), b"x")],
        [(_member("uploads/../../evil"), b"x")],
        [(_member("uploads/link", tarfile.SYMTYPE, "/etc/passwd"), None)],
        [(_member("uploads/hard", tarfile.LNKTYPE, "/etc/passwd"), None)],
        [(_member("uploads", tarfile.SYMTYPE, ".."), None), (_member("uploads/evil"), b"x")],
        [(_member("dev", tarfile.CHRTYPE), None)],
        [(_member("manifest.json"), b"{}"), (_member("manifest.json"), b"{}")],
    ],
)
def test_crafted_tar_archives_are_refused_before_writing(
    app, tmp_path, empty_installation, members
):
    archive = _tar(tmp_path / "crafted.tar.gz", members)
    restored = empty_installation()
    with restored.app_context(), pytest.raises(service.BackupError):
        service.restore_backup(archive)
    assert not (tmp_path / "evil").exists() and not Path("/tmp/evil-absolute").exists()
    assert_nothing_restored(restored, tmp_path)


@pytest.mark.parametrize("name", ["../evil", "/tmp/evil-absolute", "a/../../evil", "link"])
def test_crafted_zip_archives_are_refused_before_writing(app, tmp_path, empty_installation, name):
    archive = tmp_path / "crafted.zip"
    with zipfile.ZipFile(archive, "w") as packed:
        info = zipfile.ZipInfo(name)
        if name == "link":  # a symbolic link as Info-ZIP stores it
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
        packed.writestr(info, "/etc/passwd" if name == "link" else "x")
    restored = empty_installation()
    with restored.app_context(), pytest.raises(service.BackupError):
        service.restore_backup(archive)
    assert not (tmp_path / "evil").exists() and not Path("/tmp/evil-absolute").exists()
    assert_nothing_restored(restored, tmp_path)


def test_database_password_goes_through_the_environment(monkeypatch):
    calls = []
    monkeypatch.setattr(
        service.subprocess, "run", lambda command, **kw: calls.append((command, kw))
    )
    url = make_url("postgresql+psycopg://kollegium:s3cr3t-pw@db.example:5432/kollegium")
    service._run(["pg_dump", service._libpq(url)], url)
    [(command, options)] = calls
    assert "s3cr3t-pw" not in " ".join(command)
    assert "kollegium@db.example:5432/kollegium" in command[-1]
    assert options["env"]["PGPASSWORD"] == "s3cr3t-pw"
