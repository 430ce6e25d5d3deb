"""Single sign-on with OpenID Connect, through Authlib's client.

The authorization code flow with PKCE (S256): ``start`` sends the browser to the provider
found by discovery (``OIDC_ISSUER/.well-known/openid-configuration``), ``finish`` takes the
answer, exchanges the code (``client_secret_basic``) and verifies the ID token: signed with
one of the provider's published keys (never ``alg: none``), from the configured issuer, for
this client, not expired, with the nonce sent. ``state`` is single-use (``sso.PendingStore``).
Nothing here writes accounts; ``accounts.service`` turns the claims into one.
"""

from __future__ import annotations

import logging
from typing import Any

import requests
from authlib.integrations.base_client import OAuthError
from authlib.integrations.flask_client import FlaskIntegration, FlaskOAuth2App
from flask import current_app, session
from flask_babel import gettext as _
from joserfc.errors import JoseError

from app.accounts.directory import DirectoryPerson
from app.accounts.sso import PendingStore, SignInRefused

log = logging.getLogger(__name__)

NAME = "oidc"
# Asymmetric signatures only: a symmetric one would be made with our own client secret,
# and "none" is no signature at all.
SIGNING_ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384")
ID_TOKEN_SESSION_KEY = "oidc_id_token"


def is_configured() -> bool:
    return bool(str(current_app.config["OIDC_ISSUER"]).strip())


def _client() -> FlaskOAuth2App:
    """The client for the configured provider, one per app and settings (it caches the
    provider's metadata and keys)."""
    config = current_app.config
    issuer = str(config["OIDC_ISSUER"]).strip().rstrip("/")
    settings = (
        issuer,
        config["OIDC_CLIENT_ID"],
        config["OIDC_CLIENT_SECRET"],
        config["OIDC_SCOPES"],
    )
    clients = current_app.extensions.setdefault("kollegium_oidc", {})
    if settings not in clients:
        clients[settings] = FlaskOAuth2App(
            FlaskIntegration(NAME, cache=PendingStore()),
            NAME,
            client_id=config["OIDC_CLIENT_ID"],
            client_secret=config["OIDC_CLIENT_SECRET"],
            server_metadata_url=f"{issuer}/.well-known/openid-configuration",
            client_kwargs={
                "scope": config["OIDC_SCOPES"],
                "code_challenge_method": "S256",
                "token_endpoint_auth_method": "client_secret_basic",
                "default_timeout": config["OIDC_TIMEOUT"],
            },
        )
    return clients[settings]


def start(redirect_uri: str):
    """A redirect to the provider's sign-in. Raises SignInRefused when it cannot be reached
    or its discovery document does not fit."""
    client = _client()
    _metadata(client)
    return client.authorize_redirect(redirect_uri)


def finish() -> tuple[str, DirectoryPerson]:
    """Verify the provider's answer to this request; the subject and who the person is.
    Raises SignInRefused."""
    client = _client()
    metadata = _metadata(client)
    try:
        token = client.authorize_access_token(
            claims_options={
                "iss": {"essential": True, "values": [metadata["issuer"]]},
                "aud": {"essential": True, "values": [client.client_id]},
                "exp": {"essential": True},
                "sub": {"essential": True},
                "nonce": {"essential": True},
            },
            leeway=60,
        )
    except OAuthError as err:
        if err.error == "mismatching_state":
            raise SignInRefused(
                "state",
                _("This sign-in was already used or has expired. Please start again."),
            ) from err
        log.warning("OpenID Connect provider refused: %s %s", err.error, err.description)
        raise SignInRefused(
            f"provider:{err.error}"[:60],
            _("The identity provider did not sign you in (%(error)s).", error=err.error or "?"),
        ) from err
    except JoseError as err:
        log.warning("OpenID Connect ID token refused: %s", err)
        raise SignInRefused(f"id_token:{err.error}"[:60], _id_token_message(err)) from err
    except (requests.RequestException, ValueError) as err:
        log.warning("OpenID Connect token exchange failed: %s", err)
        raise SignInRefused("token_exchange", _unreachable_message()) from err
    claims = token.get("userinfo")
    if not claims:
        # Without a verified ID token nobody is signed in, whatever else came back.
        raise SignInRefused("id_token:missing", _("The identity provider sent no ID token."))
    session[ID_TOKEN_SESSION_KEY] = token["id_token"]
    return str(claims["sub"]), person_from_claims(dict(claims))


def person_from_claims(claims: dict[str, Any]) -> DirectoryPerson:
    """Who the claims say the person is. Raises SignInRefused when they name nobody usable."""
    config = current_app.config
    email = _text(claims.get("email"))
    username = _text(claims.get("preferred_username")) or email.partition("@")[0]
    if not username:
        raise SignInRefused(
            "claims:username",
            _("The identity provider sent neither a username nor an e-mail address."),
        )
    name = _text(claims.get("name")) or " ".join(
        part for part in (_text(claims.get("given_name")), _text(claims.get("family_name"))) if part
    )
    admin_group = str(config["OIDC_ADMIN_GROUP"]).strip()
    groups = claims.get(config["OIDC_GROUPS_CLAIM"]) or []
    groups = [str(group) for group in (groups if isinstance(groups, list) else [groups])]
    return DirectoryPerson(
        dn="",
        username=username.lower(),
        display_name=name or username,
        email=email,
        department=_text(claims.get(config["OIDC_DEPARTMENT_CLAIM"])),
        is_admin=(admin_group in groups) if admin_group else None,
        is_disabled=False,
    )


def logout_url(post_logout_redirect_uri: str) -> str | None:
    """Where to end the session at the provider too, when it offers that and this session
    was opened there; else None. Forgets the ID token."""
    id_token = session.pop(ID_TOKEN_SESSION_KEY, None)
    if not id_token or not is_configured():
        return None
    client = _client()
    try:
        if not _metadata(client).get("end_session_endpoint"):
            return None
    except SignInRefused:
        return None
    return client.create_logout_url(
        post_logout_redirect_uri=post_logout_redirect_uri,
        id_token_hint=id_token,
        client_id=client.client_id,
    )["url"]


def _metadata(client: FlaskOAuth2App) -> dict[str, Any]:
    try:
        metadata = client.load_server_metadata()
    except (requests.RequestException, ValueError) as err:
        log.warning("OpenID Connect discovery failed: %s", err)
        raise SignInRefused("discovery", _unreachable_message()) from err
    issuer = str(current_app.config["OIDC_ISSUER"]).strip().rstrip("/")
    metadata.setdefault("issuer", "")
    if str(metadata["issuer"]).rstrip("/") != issuer:
        # A discovery document for another issuer: its tokens would be checked against it.
        client.server_metadata.pop("_loaded_at", None)
        log.error(
            "OpenID Connect discovery names issuer %r, not %r", metadata.get("issuer"), issuer
        )
        raise SignInRefused("discovery:issuer", _unreachable_message())
    offered = metadata.get("id_token_signing_alg_values_supported") or ["RS256"]
    metadata["id_token_signing_alg_values_supported"] = [
        alg for alg in offered if alg in SIGNING_ALGORITHMS
    ]
    return metadata


def _id_token_message(err: JoseError) -> str:
    if err.error == "expired_token":
        return _("The identity provider's confirmation has expired. Please sign in again.")
    if err.error in ("invalid_claim", "missing_claim"):
        return _("The identity provider's confirmation was not meant for Kollegium.")
    return _("The identity provider's confirmation could not be verified.")


def _unreachable_message() -> str:
    return _("The identity provider cannot be reached. Please try again later.")


def _text(value: Any) -> str:
    """A claim as one line of printable text ("" for lists, objects and the like)."""
    if not isinstance(value, str | int):
        return ""
    return " ".join("".join(char for char in str(value) if char.isprintable()).split())
