"""``flask notify digest``: send the daily digests (run it once a day, e.g. from cron);
``flask notify due``: announce scheduled posts whose time has come (the search worker and
the background drain do it too)."""

import click
from flask.cli import with_appcontext

from app.social import notifications


@click.group("notify", help="Notifications by e-mail.")
def notify_cli() -> None:
    pass


@notify_cli.command("digest", help="E-mail everyone who chose the digest what is new.")
@with_appcontext
def digest_command() -> None:
    sent = notifications.send_digests()
    click.echo(f"Sent {sent} digest e-mail(s).")


@notify_cli.command("due", help="Announce scheduled posts whose time has come.")
@with_appcontext
def due_command() -> None:
    announced = notifications.send_due()
    click.echo(f"Announced {announced} scheduled item(s).")
