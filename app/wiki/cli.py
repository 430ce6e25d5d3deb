"""`flask wiki import PATH… --space SLUG [--parent ID]`: documents from a file share."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import select

from app.accounts.models import User
from app.extensions import db
from app.spaces.models import Space
from app.wiki import imports

wiki_cli = AppGroup("wiki", help="The wiki: import documents.")


@wiki_cli.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--space", "space_slug", default=None, help="Slug of the space (default: global).")
@click.option("--parent", "parent_id", type=int, default=None, help="Id of the parent page.")
@click.option("--as", "username", default=None, help="Who imports (default: the first admin).")
def import_command(paths, space_slug, parent_id, username) -> None:
    """Import .docx and .odt files; folders become pages holding their contents."""
    actor = _actor(username)
    space_id = None
    if space_slug:
        space = db.session.scalar(select(Space).where(Space.slug == space_slug))
        if space is None:
            raise click.UsageError(f"No space with the slug {space_slug!r}.")
        space_id = space.id
    total = imports.documents_in(paths)
    with click.progressbar(
        length=total, label="Importing", file=click.get_text_stream("stderr")
    ) as bar:
        outcomes = imports.import_tree(
            actor, paths, space_id=space_id, parent_id=parent_id, progress=lambda _: bar.update(1)
        )
    imported = [outcome for outcome in outcomes if outcome.page is not None]
    skipped = [outcome for outcome in outcomes if outcome.page is None]
    click.echo(f"Imported: {len(imported)}  Skipped: {len(skipped)}")
    for outcome in imported:
        for note in outcome.notes:
            click.echo(f"  note  {outcome.name}: {note}")
    for outcome in skipped:
        click.echo(f"  skipped  {outcome.name}: {outcome.reason}")


def _actor(username: str | None) -> User:
    query = select(User).where(User.active)
    if username:
        query = query.where(User.username == username)
    else:
        query = query.where(User.is_admin).order_by(User.id)
    actor = db.session.scalars(query).first()
    if actor is None:
        raise click.UsageError("No such active user (an admin is needed without --as).")
    return actor
