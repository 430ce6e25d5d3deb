"""``flask backup create DIR`` and ``flask backup restore DIR`` (or an archive of it)."""

from pathlib import Path

import click
from flask.cli import with_appcontext

from app.backup import service
from app.search.cli import reindex_command


@click.group("backup", help="Back up and restore the database and the uploads.")
def backup_cli() -> None:
    pass


@backup_cli.command("create")
@click.argument("folder", type=click.Path(path_type=Path))
@with_appcontext
def create_command(folder: Path) -> None:
    """Write a consistent snapshot into the new or empty FOLDER (the site may keep running)."""
    try:
        summary = service.create_backup(folder)
    except service.BackupError as err:
        raise click.ClickException(str(err)) from err
    click.echo(
        f"Backup written to {summary.folder} (schema {summary.schema_revision}, "
        f"{summary.files} uploaded files)."
    )


@backup_cli.command("restore")
@click.argument("backup", type=click.Path(path_type=Path, exists=True))
@with_appcontext
def restore_command(backup: Path) -> None:
    """Restore BACKUP (a folder, or it packed as .tar, .tar.gz, .tgz or .zip) into this
    empty installation and rebuild the search index."""
    try:
        summary = service.restore_backup(backup)
    except service.BackupError as err:
        raise click.ClickException(str(err)) from err
    click.echo(f"Restored {summary.folder} ({summary.files} uploaded files).")
    # The index is not in the backup: build it from the restored database.
    click.get_current_context().invoke(reindex_command)
