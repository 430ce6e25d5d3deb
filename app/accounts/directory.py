"""The staff directory (LDAP / Active Directory) through ldap3: finding a person, checking
their password, reading who they are.

Nothing here writes tables; ``accounts.service`` turns what the directory says into accounts.
Every call opens its own short connection with the configured timeouts, so an unreachable
server costs seconds, never a hanging request.
"""

from __future__ import annotations

import logging
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from flask import current_app
from ldap3 import BASE, NO_ATTRIBUTES, NONE, SUBTREE, Connection, Server, Tls
from ldap3.core.exceptions import LDAPException, LDAPStartTLSError
from ldap3.utils.conv import escape_filter_chars

from app.config import ldap_server_urls

log = logging.getLogger(__name__)

# Active Directory's userAccountControl flag ACCOUNTDISABLE.
AD_ACCOUNT_DISABLED = 0x2
USER_ACCOUNT_CONTROL = "useraccountcontrol"
# At most this many entries are read for one sign-in name: more than one is ambiguous.
SEARCH_LIMIT = 2
# Search answers that are answers; anything else (busy, unavailable, no such search base)
# must not be read as "this person is gone", which would deactivate them.
SUCCESS = 0
SIZE_LIMIT_EXCEEDED = 4


class DirectoryUnavailable(Exception):
    """No configured directory server answered (or the service account was refused)."""


@dataclass(frozen=True, slots=True)
class DirectoryPerson:
    dn: str
    username: str
    display_name: str
    email: str
    department: str
    # None: no admin group is configured, so the directory does not decide the admin role.
    is_admin: bool | None
    is_disabled: bool


def is_configured() -> bool:
    return bool(ldap_server_urls(current_app.config))


def check_password(person: DirectoryPerson, password: str) -> bool:
    """Whether the directory accepts ``password`` for ``person`` (a bind as their DN).
    Raises DirectoryUnavailable."""
    if not password:
        # An empty password is an "unauthenticated bind", which many servers accept.
        return False
    connection = _connection(person.dn, password)
    accepted = connection.bound
    connection.unbind()
    return accepted


def lookup(username: str) -> DirectoryPerson | None:
    """The person with this sign-in name, or None when the directory does not know them.
    Raises DirectoryUnavailable."""
    with _service_connection() as connection:
        return _find(connection, username)


def lookup_many(usernames: list[str]) -> Iterator[tuple[str, DirectoryPerson | None]]:
    """Each name with its person (None: unknown), over one connection, for a sync of
    everyone. Raises DirectoryUnavailable."""
    with _service_connection() as connection:
        for username in usernames:
            yield username, _find(connection, username)


@contextmanager
def _service_connection() -> Iterator[Connection]:
    """A connection bound as the configured service account (or anonymous)."""
    config = current_app.config
    connection = _connection(config["LDAP_BIND_DN"] or None, config["LDAP_BIND_PASSWORD"])
    try:
        if not connection.bound:
            log.error("The LDAP service account was refused: %s", connection.result)
            raise DirectoryUnavailable("service bind refused")
        yield connection
    finally:
        connection.unbind()


def _connection(user: str | None, password: str | None) -> Connection:
    """Bind to the first server that answers. A refused bind returns an unbound connection;
    no answering server raises DirectoryUnavailable."""
    config = current_app.config
    failures = []
    for url in ldap_server_urls(config):
        server = Server(
            url, connect_timeout=config["LDAP_CONNECT_TIMEOUT"], tls=_tls(), get_info=NONE
        )
        connection = Connection(
            server,
            user=user,
            password=password if user else None,
            receive_timeout=config["LDAP_RECEIVE_TIMEOUT"],
            raise_exceptions=False,
        )
        try:
            connection.open()
            # Never fall back to sending the password in clear.
            if config["LDAP_START_TLS"] and not connection.start_tls():
                raise LDAPStartTLSError(f"StartTLS refused: {connection.result}")
            connection.bind()
        except LDAPException as err:
            failures.append(f"{url}: {err}")
            log.warning("LDAP server %s did not answer: %s", url, err)
            connection.unbind()
            continue
        return connection
    raise DirectoryUnavailable("; ".join(failures))


def _tls() -> Tls:
    ca_file = current_app.config["LDAP_CA_CERTS_FILE"] or None
    return Tls(validate=ssl.CERT_REQUIRED, ca_certs_file=ca_file)


def _find(connection: Connection, username: str) -> DirectoryPerson | None:
    config = current_app.config
    query = config["LDAP_USER_FILTER"].replace("{username}", escape_filter_chars(username))
    wanted = [
        config["LDAP_USERNAME_ATTRIBUTE"],
        config["LDAP_DISPLAY_NAME_ATTRIBUTE"],
        config["LDAP_EMAIL_ATTRIBUTE"],
        *_optional_attributes(config),
    ]
    try:
        connection.search(
            config["LDAP_USER_SEARCH_BASE"],
            query,
            search_scope=SUBTREE,
            attributes=wanted,
            size_limit=SEARCH_LIMIT,
        )
    except LDAPException as err:
        raise DirectoryUnavailable(str(err)) from err
    _require_answer(connection, (SUCCESS, SIZE_LIMIT_EXCEEDED))
    entries = [
        entry for entry in connection.response or () if entry.get("type") == "searchResEntry"
    ]
    if len(entries) != 1:
        return None
    entry = entries[0]
    attributes = {key.lower(): value for key, value in entry["attributes"].items()}
    directory_name = _first(attributes, config["LDAP_USERNAME_ATTRIBUTE"])
    if directory_name.lower() != username.lower():
        # The filter matched someone by another attribute: never sign in under a wrong name.
        return None
    return DirectoryPerson(
        dn=entry["dn"],
        username=directory_name.lower(),
        display_name=_first(attributes, config["LDAP_DISPLAY_NAME_ATTRIBUTE"]) or directory_name,
        email=_first(attributes, config["LDAP_EMAIL_ATTRIBUTE"]),
        department=_first(attributes, config["LDAP_DEPARTMENT_ATTRIBUTE"]),
        is_admin=_is_admin(connection, entry["dn"], attributes),
        is_disabled=_is_disabled(attributes),
    )


def _require_answer(connection: Connection, accepted: tuple[int, ...]) -> None:
    result = connection.result or {}
    if result.get("result") not in accepted:
        log.error("LDAP search failed: %s", result)
        raise DirectoryUnavailable(f"search failed: {result.get('description')}")


def _optional_attributes(config: dict[str, Any]) -> list[str]:
    wanted = [config["LDAP_DEPARTMENT_ATTRIBUTE"], config["LDAP_DISABLED_ATTRIBUTE"]]
    if config["LDAP_ADMIN_GROUP_DN"] and config["LDAP_GROUP_MEMBERSHIP"] == "memberOf":
        wanted.append("memberOf")
    return [name for name in wanted if name]


def _values(attributes: dict[str, Any], name: str) -> list[str]:
    if not name:
        return []
    value = attributes.get(name.lower())
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    return [str(item) for item in items]


def _first(attributes: dict[str, Any], name: str) -> str:
    values = _values(attributes, name)
    return values[0].strip() if values else ""


def _is_admin(connection: Connection, dn: str, attributes: dict[str, Any]) -> bool | None:
    config = current_app.config
    group = config["LDAP_ADMIN_GROUP_DN"]
    if not group:
        return None
    if config["LDAP_GROUP_MEMBERSHIP"] == "memberOf":
        return _normal_dn(group) in {_normal_dn(value) for value in _values(attributes, "memberOf")}
    # OpenLDAP has no memberOf by default: ask the group whether it lists the person.
    query = f"({config['LDAP_GROUP_MEMBERSHIP']}={escape_filter_chars(dn)})"
    try:
        connection.search(group, query, search_scope=BASE, attributes=[NO_ATTRIBUTES])
    except LDAPException as err:
        raise DirectoryUnavailable(str(err)) from err
    _require_answer(connection, (SUCCESS,))
    return any(entry.get("type") == "searchResEntry" for entry in connection.response or ())


def _normal_dn(dn: str) -> str:
    return ",".join(part.strip() for part in dn.lower().split(","))


def _is_disabled(attributes: dict[str, Any]) -> bool:
    config = current_app.config
    name = config["LDAP_DISABLED_ATTRIBUTE"]
    if not name:
        return False
    values = _values(attributes, name)
    if name.lower() == USER_ACCOUNT_CONTROL:
        return any(value.isdigit() and int(value) & AD_ACCOUNT_DISABLED for value in values)
    wanted = config["LDAP_DISABLED_VALUE"]
    if not wanted:
        return bool(values)
    return any(value.lower() == wanted.lower() for value in values)
