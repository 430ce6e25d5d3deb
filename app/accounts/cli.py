"""``flask users …``: accounts from the command line."""

import click
from flask.cli import with_appcontext

from app.accounts import service, twofactor
from app.accounts.directory import DirectoryUnavailable
from app.errors import DomainError


@click.group("users", help="Create and manage accounts.")
def users_cli() -> None:
    pass


@users_cli.command("create")
@click.argument("username")
@click.option("--email", required=True)
@click.option("--display-name", required=True)
@click.option("--admin", is_flag=True, help="Make the account an administrator.")
@click.option("--password", help="Without it, you are asked for one.")
@with_appcontext
def create_command(username: str, email: str, display_name: str, admin: bool, password: str):
    """Create the account USERNAME."""
    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = service.create_user(
            None, service.NewUser(username, email, display_name, password, is_admin=admin)
        )
    except DomainError as err:
        _fail(err)
    click.echo(f"Created {user.username}{' (administrator)' if user.is_admin else ''}.")


@users_cli.command("token")
@click.argument("username")
@click.option("--name", default="command line", show_default=True)
@with_appcontext
def token_command(username: str, name: str):
    """Print a new API token for USERNAME."""
    try:
        user = service.get_user_by_username(None, username)
        _token, plain = service.create_token(user, name)
    except DomainError as err:
        _fail(err)
    click.echo(plain)


@users_cli.command("deactivate")
@click.argument("username")
@with_appcontext
def deactivate_command(username: str):
    """Deactivate USERNAME: no sign-in, no API; their content stays."""
    _set_active(username, False)


@users_cli.command("activate")
@click.argument("username")
@with_appcontext
def activate_command(username: str):
    """Reactivate USERNAME."""
    _set_active(username, True)


@users_cli.command("sync")
@with_appcontext
def sync_command():
    """Pull changes for everyone from the staff directory (LDAP): names, e-mail addresses,
    admin role, departments; deactivate people it no longer has. Prints what changed."""
    try:
        report = service.sync_directory()
    except DomainError as err:
        _fail(err)
    except DirectoryUnavailable as err:
        raise click.ClickException(f"The staff directory cannot be reached: {err}") from err
    for change in report:
        click.echo(f"{change.username}: {'; '.join(change.changes)}")
    click.echo(f"{len(report)} account(s) changed.")


@users_cli.command("reset-2fa")
@click.argument("username")
@with_appcontext
def reset_two_factor_command(username: str):
    """Remove USERNAME's second factors (a lost phone or key); signs them out everywhere."""
    try:
        user = service.get_user_by_username(None, username)
        twofactor.reset(None, user)
    except DomainError as err:
        _fail(err)
    click.echo(f"{user.username} has no second factor now.")


def _set_active(username: str, active: bool) -> None:
    try:
        user = service.get_user_by_username(None, username)
        service.set_active(None, user, active)
    except DomainError as err:
        _fail(err)
    click.echo(f"{user.username} is {'active' if active else 'deactivated'}.")


def _fail(err: DomainError):
    details = "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in err.errors.items())
    raise click.ClickException(f"{err.message} {details}".strip())
