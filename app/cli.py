"""The ``kollegium`` command: the same command groups as ``flask --app wsgi``, without a
``wsgi.py`` beside it, so an installed package is run the same way as a clone."""

from __future__ import annotations

from flask.cli import FlaskGroup

from app import create_app


def main() -> None:
    FlaskGroup(
        name="kollegium",
        help="Kollegium, the intranet: database, users, search, backups and more.",
        create_app=create_app,
    ).main(prog_name="kollegium")
