"""Single sign-on with SAML 2.0, through pysaml2 (which signs and checks with Debian's
``xmlsec1``): SP-initiated, HTTP-Redirect to the identity provider, HTTP-POST back to
``/login/saml/acs``.

Assertions must be signed by the identity provider's key from its metadata, be addressed to
our assertion consumer service (destination and recipient), be for our entity id (audience),
be current, and answer the request this browser sent, which is used once
(``sso.PendingStore``); answers to no request only when SAML_ALLOW_UNSOLICITED is on. Each
assertion is taken once.
Nothing here writes accounts; ``accounts.service`` turns the attributes into one.
"""

from __future__ import annotations

import hmac
import logging
import secrets
import time
from typing import Any

from flask import current_app, session, url_for
from flask_babel import gettext as _
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.client import Saml2Client
from saml2.config import SPConfig
from saml2.metadata import create_metadata_string
from saml2.response import UnsolicitedResponse

from app.accounts.directory import DirectoryPerson
from app.accounts.sso import PendingStore, SignInRefused

log = logging.getLogger(__name__)

REQUEST_SECONDS = 600
# Assertion ids are kept at least this long against replays (longer when valid longer).
ASSERTION_MEMORY_SECONDS = 3600
SESSION_KEY = "saml_sign_in"
# The largest SAMLResponse taken (base64): a signed assertion is a few kilobytes.
MAX_RESPONSE_BYTES = 256 * 1024


def is_configured() -> bool:
    return bool(str(current_app.config["SAML_IDP_METADATA"]).strip())


def _settings() -> dict[str, Any]:
    config = current_app.config
    metadata = str(config["SAML_IDP_METADATA"]).strip()
    acs = url_for("sso.consume_saml", _external=True)
    entity_id = config["SAML_SP_ENTITY_ID"] or url_for("sso.saml_metadata", _external=True)
    settings: dict[str, Any] = {
        "entityid": entity_id,
        "xmlsec_binary": config["SAML_XMLSEC_BINARY"],
        "allow_unknown_attributes": True,
        "service": {
            "sp": {
                "name": "Kollegium",
                "endpoints": {"assertion_consumer_service": [(acs, BINDING_HTTP_POST)]},
                "want_assertions_signed": True,
                "want_response_signed": False,
                "allow_unsolicited": bool(config["SAML_ALLOW_UNSOLICITED"]),
                "authn_requests_signed": bool(config["SAML_SP_KEY_FILE"]),
            }
        },
        "metadata": (
            {"remote": [{"url": metadata}]}
            if metadata.startswith(("https://", "http://"))
            else {"local": [metadata]}
        ),
    }
    if config["SAML_SP_KEY_FILE"]:
        settings["key_file"] = config["SAML_SP_KEY_FILE"]
        settings["cert_file"] = config["SAML_SP_CERT_FILE"]
    return settings


def _client() -> Saml2Client:
    """The client for the configured identity provider (its metadata read once per app,
    settings and host)."""
    settings = _settings()
    key = repr(sorted((name, repr(value)) for name, value in settings.items()))
    clients = current_app.extensions.setdefault("kollegium_saml", {})
    if key not in clients:
        sp_config = SPConfig()
        try:
            sp_config.load(settings)
        except Exception as err:  # pysaml2 raises many kinds while reading metadata
            log.error("SAML identity provider metadata could not be read: %s", err)
            raise SignInRefused("metadata", _unreachable_message()) from err
        clients[key] = Saml2Client(config=sp_config)
    return clients[key]


def metadata_xml() -> str:
    """Our service provider metadata, for the identity provider's administrators."""
    return create_metadata_string(None, config=_client().config, valid=None).decode()


def start(next_path: str) -> str:
    """The identity provider's sign-in address with a new request, which only this browser
    may answer. Raises SignInRefused."""
    client = _client()
    relay_state = secrets.token_urlsafe(24)
    try:
        request_id, info = client.prepare_for_authenticate(
            relay_state=relay_state, binding=BINDING_HTTP_REDIRECT
        )
    except Exception as err:  # pysaml2: no usable SSO endpoint in the metadata, and the like
        log.error("SAML request could not be made: %s", err)
        raise SignInRefused("request_failed", _unreachable_message()) from err
    PendingStore().set(f"saml:{request_id}", next_path, REQUEST_SECONDS)
    # An answer is taken only in the browser that asked: otherwise someone could post the
    # answer to their own sign-in from their page and sign a colleague in as themselves.
    session[SESSION_KEY] = {"request": request_id, "relay_state": relay_state}
    return dict(info["headers"])["Location"]


def check_size(saml_response: str) -> None:
    """Refuse an empty answer, or one larger than any signed assertion. Raises SignInRefused."""
    if not saml_response or len(saml_response) > MAX_RESPONSE_BYTES:
        raise SignInRefused("response", _not_valid_message())


def started_here() -> bool:
    """Whether this browser's session holds a sign-in it started (its cookie came along)."""
    return isinstance(session.get(SESSION_KEY), dict)


def finish(saml_response: str, relay_state: str) -> tuple[str, DirectoryPerson, str]:
    """Verify the posted response; the subject, who the person is, and where they were
    going. The response must answer the request this browser started (or, when
    SAML_ALLOW_UNSOLICITED is on, answer none), and each assertion is taken once.
    Raises SignInRefused."""
    started = session.pop(SESSION_KEY, None)
    check_size(saml_response)
    client = _client()
    request_id, outstanding = _request_of_this_browser(started, relay_state)
    try:
        response = client.parse_authn_request_response(
            saml_response, BINDING_HTTP_POST, outstanding=outstanding
        )
    except UnsolicitedResponse as err:
        raise SignInRefused("request", _not_this_browser_message()) from err
    except Exception as err:  # pysaml2 raises bare Exception for some failed checks
        log.warning("SAML response refused: %s: %s", type(err).__name__, err)
        raise SignInRefused(f"response:{type(err).__name__}"[:60], _not_valid_message()) from err
    if response is None or response.assertion is None or response.name_id is None:
        log.warning("SAML response refused: not addressed to us or without an assertion")
        raise SignInRefused("response:destination", _not_valid_message())
    answered = _answered_requests(response)
    if answered and (answered != {request_id} or request_id not in outstanding):
        # pysaml2 lets these through when unsolicited answers are allowed.
        raise SignInRefused("request", _not_this_browser_message())
    if not answered and not current_app.config["SAML_ALLOW_UNSOLICITED"]:
        raise SignInRefused("request:unsolicited", _not_this_browser_message())
    if not PendingStore().claim(f"saml-assertion:{response.assertion.id}", _remember_for(response)):
        raise SignInRefused("request:replayed", _not_this_browser_message())
    identity = {name.lower(): values for name, values in (response.get_identity() or {}).items()}
    next_path = outstanding.get(request_id, "") if answered else ""
    return str(response.name_id.text), person_from_attributes(identity), next_path


def _request_of_this_browser(started: object, relay_state: str) -> tuple[str, dict[str, str]]:
    """The request this browser started, and the requests pysaml2 may accept an answer to:
    that one if it came back with its relay state and is still pending (each is spent here,
    so a second answer finds nothing)."""
    if not isinstance(started, dict):
        return "", {}
    request_id = str(started.get("request") or "")
    expected = str(started.get("relay_state") or "")
    # Compared as bytes: compare_digest refuses str with non-ASCII characters.
    if not (
        request_id and expected and hmac.compare_digest(expected.encode(), relay_state.encode())
    ):
        return request_id, {}
    next_path = PendingStore().get(f"saml:{request_id}")
    return request_id, ({} if next_path is None else {request_id: next_path})


def _answered_requests(response: Any) -> set[str]:
    """The request ids the response and its assertion say they answer. (The assertion's are
    signed; the response's own attribute may not be.)"""
    answered = {response.in_response_to} if response.in_response_to else set()
    for confirmation in response.assertion.subject.subject_confirmation or []:
        data = confirmation.subject_confirmation_data
        if data is not None and data.in_response_to:
            answered.add(data.in_response_to)
    return answered


def _remember_for(response: Any) -> int:
    """How long an assertion id is kept: as long as the assertion is valid."""
    valid_for = response.not_on_or_after - time.time() if response.not_on_or_after else 0
    return int(max(valid_for, ASSERTION_MEMORY_SECONDS)) + 1


def person_from_attributes(identity: dict[str, list]) -> DirectoryPerson:
    """Who the attributes say the person is. Raises SignInRefused."""
    config = current_app.config

    def first(setting: str) -> str:
        values = identity.get(str(config[setting]).lower()) or []
        text = "".join(char for char in str(values[0]) if char.isprintable()) if values else ""
        return " ".join(text.split())

    email = first("SAML_EMAIL_ATTRIBUTE")
    username = first("SAML_USERNAME_ATTRIBUTE") or email.partition("@")[0]
    if not username:
        raise SignInRefused(
            "claims:username",
            _("The identity provider sent neither a username nor an e-mail address."),
        )
    admin_group = str(config["SAML_ADMIN_GROUP"]).strip()
    groups = [
        str(group) for group in identity.get(str(config["SAML_GROUPS_ATTRIBUTE"]).lower(), [])
    ]
    return DirectoryPerson(
        dn="",
        username=username.lower(),
        display_name=first("SAML_DISPLAY_NAME_ATTRIBUTE") or username,
        email=email,
        department=first("SAML_DEPARTMENT_ATTRIBUTE"),
        is_admin=(admin_group in groups) if admin_group else None,
        is_disabled=False,
    )


def _not_valid_message() -> str:
    return _("The identity provider's confirmation could not be verified.")


def _not_this_browser_message() -> str:
    return _(
        "This sign-in was not started in this browser, was already used or has expired. "
        "Please start again."
    )


def _unreachable_message() -> str:
    return _("The identity provider cannot be reached. Please try again later.")
