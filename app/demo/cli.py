"""``flask seed-demo``: fill an empty Kollegium with the demo town (idempotent)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from app.demo import blog as demo_blog
from app.demo import home as demo_home
from app.demo import microblog as demo_microblog
from app.demo import organisation
from app.demo import profiles as demo_profiles
from app.demo import town as demo_town
from app.demo import wiki as demo_wiki

CREDENTIALS_FILE = "demo-credentials.txt"


@click.command("seed-demo", help="Create the demo organisation (does nothing when it exists).")
@with_appcontext
def seed_demo() -> None:
    credentials = Path(current_app.instance_path) / CREDENTIALS_FILE
    if organisation.is_seeded():
        click.echo("The demo organisation exists already.")
    else:
        # A fresh random password per installation: no secret lives in the repository.
        password = secrets.token_urlsafe(12)
        demo = organisation.seed(password)
        demo_wiki.seed(demo)
        demo_profiles.seed(demo)
        demo_blog.seed(demo)
        demo_microblog.seed(demo)
        demo_home.seed(demo)
        demo_town.seed(demo)
        fd = os.open(credentials, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(f"{organisation.ADMIN_USERNAME}\n{password}\n")
        click.echo("Created the demo organisation of Musterstadt.")
    if credentials.exists():
        username, password = credentials.read_text().split()[:2]
        click.echo(f"Sign in as {username} with the password {password}")
        click.echo("(every demo colleague, e.g. anna.schmidt, has the same password).")
