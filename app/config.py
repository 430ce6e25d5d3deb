"""Defaults for every setting. Environment variables prefixed ``KOLLEGIUM_`` override them
(``KOLLEGIUM_SQLALCHEMY_DATABASE_URI=postgresql+psycopg://…``)."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from limits import parse as parse_limit

ENV_PREFIX = "KOLLEGIUM"
LANGUAGES = ("de", "en")

DEFAULTS: dict[str, Any] = {
    # Filled from the instance folder when left empty (see apply_instance_defaults).
    "SQLALCHEMY_DATABASE_URI": "",
    "SEARCH_INDEX_DIR": "",
    "UPLOAD_DIR": "",
    "SECRET_KEY": "",
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    "BABEL_DEFAULT_LOCALE": "de",
    "BABEL_DEFAULT_TIMEZONE": "Europe/Berlin",
    "LANGUAGES": LANGUAGES,
    "BOOTSTRAP_SERVE_LOCAL": True,
    "BOOTSTRAP_BOOTSWATCH_THEME": None,
    # Rate-limit counters (posting limits): empty, a file in the instance folder that every
    # worker of the host shares (app/ratelimits.py); with several hosts, redis://….
    "RATELIMIT_STORAGE_URI": "",
    "RATELIMIT_HEADERS_ENABLED": False,
    # Failed sign-ins (app/accounts/throttle.py, counted in the database): one address on one
    # account; one address on any account (generous: offices share one address); any unknown
    # address on one account (the owner's usual addresses stay open).
    "LOGIN_RATE_LIMIT": "5 per 5 minutes",
    "LOGIN_ADDRESS_RATE_LIMIT": "30 per 5 minutes",
    "LOGIN_ACCOUNT_RATE_LIMIT": "20 per 15 minutes",
    # How long "stay signed in" lasts, and a sign-in without it at most (also on the server).
    "REMEMBER_DAYS": 14,
    "SESSION_HOURS": 24,
    "PREFERRED_URL_SCHEME": "http",
    # Where people reach Kollegium (https://intranet.example): the one source of absolute
    # links in feeds and e-mails. Unset, they come from the request only when Flask checks its
    # host against TRUSTED_HOSTS (a JSON list), else they point at localhost (app/urls.py).
    "PUBLIC_URL": "",
    # Hops of reverse proxies whose X-Forwarded-For/-Proto/-Host to trust (0: none).
    "PROXY_FIX_X_FOR": 0,
    "PROXY_FIX_X_PROTO": 0,
    "PROXY_FIX_X_HOST": 0,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    "WTF_CSRF_TIME_LIMIT": None,
    # Uploads up to 20 MB (UPLOAD_MAX_BYTES) plus the form around them.
    "MAX_CONTENT_LENGTH": 21 * 1024 * 1024,
    # The upload store (app/uploads): largest file, and the file name extensions allowed.
    "UPLOAD_MAX_BYTES": 20 * 1000 * 1000,
    # Images with more pixels are refused before decoding (a tiny file may claim billions).
    "IMAGE_MAX_PIXELS": 40_000_000,
    "UPLOAD_ALLOWED_TYPES": (
        *("pdf", "txt", "csv"),
        *("doc", "docx", "xls", "xlsx", "ppt", "pptx", "odt", "ods", "odp"),
        *("png", "jpg", "jpeg", "gif", "webp"),
    ),
    # Reading the text of attached documents for search (in the background): files larger
    # than this are not read, at most this many characters are kept, and one file may take
    # this many seconds (the reader runs in a child process that is ended after that).
    "EXTRACT_MAX_BYTES": 20 * 1000 * 1000,
    "EXTRACT_MAX_CHARS": 200_000,
    "EXTRACT_TIMEOUT_SECONDS": 20,
    # The wiki: a page not reviewed for this many months "may be outdated".
    "WIKI_REVIEW_MONTHS": 12,
    "PASSWORD_MIN_LENGTH": 8,
    # argon2id cost; tests lower it, production keeps argon2-cffi's defaults.
    "ARGON2_TIME_COST": 3,
    "ARGON2_MEMORY_COST": 65536,
    "COMMENT_MAX_LENGTH": 10_000,
    # Blogs: longest post (characters), entries per Atom feed. (Covers: UPLOAD_MAX_BYTES.)
    "BLOG_POST_MAX_LENGTH": 100_000,
    "BLOG_FEED_SIZE": 30,
    # Outgoing mail for notifications; no server: notifications stay in the app.
    "MAIL_SERVER": "",
    "MAIL_PORT": 25,
    # STARTTLS (port 587), or TLS from the start (MAIL_USE_SSL, port 465); the server's
    # certificate is verified against the system's CAs, or MAIL_CA_FILE (a PEM bundle).
    "MAIL_USE_TLS": False,
    "MAIL_USE_SSL": False,
    "MAIL_CA_FILE": "",
    "MAIL_USERNAME": "",
    "MAIL_PASSWORD": "",
    "MAIL_SENDER": "Kollegium <kollegium@localhost>",
    "MAIL_TIMEOUT": 5,
    # "At once" notification e-mails leave after the commit in a background thread of each
    # process ("background"; processes claim rows, so none is sent twice), or in the
    # committing thread ("inline"; always when testing). Each drain uses one connection.
    "MAIL_DRAIN": "background",
    "MAIL_DRAIN_RETRY_SECONDS": 60.0,
    # Insights: figures of a department with fewer members than this are not shown.
    "INSIGHTS_MIN_GROUP_SIZE": 5,
    # Page views are buffered per process and written this often, so a page view writes
    # nothing. VIEW_COUNTING: "buffered", "inline" (a write per view), or None: inline only
    # when testing.
    "VIEW_COUNTING": None,
    "VIEW_FLUSH_SECONDS": 10.0,
    # How long a process trusts the published guidelines version it read (the gate asks on
    # every page); publishing forgets it at once in the publishing process.
    "GUIDELINES_RECHECK_SECONDS": 30.0,
    # Rendered pages kept per browser until anything is written (app/pagecache.py), at most
    # this long (0: nothing kept, nor the bell remembered), and the memory they may take in
    # each worker.
    "PAGE_CACHE_SECONDS": 30.0,
    "PAGE_CACHE_BYTES": 32 * 1024 * 1024,
    # Directory sign-in (LDAP / Active Directory); off while LDAP_SERVER_URLS is empty.
    # Several URLs (comma-separated) are tried in order: ldap://host:389 or ldaps://host:636.
    "LDAP_SERVER_URLS": "",
    "LDAP_START_TLS": False,
    # A CA bundle to verify the server's certificate (empty: the system's CAs).
    "LDAP_CA_CERTS_FILE": "",
    # The service account that searches for people; both empty: an anonymous search.
    "LDAP_BIND_DN": "",
    "LDAP_BIND_PASSWORD": "",
    "LDAP_USER_SEARCH_BASE": "",
    # {username} is replaced by the escaped name typed on the sign-in page.
    "LDAP_USER_FILTER": "(&(objectClass=inetOrgPerson)(uid={username}))",
    "LDAP_USERNAME_ATTRIBUTE": "uid",
    "LDAP_DISPLAY_NAME_ATTRIBUTE": "cn",
    "LDAP_EMAIL_ATTRIBUTE": "mail",
    # A department space whose name equals this attribute's value gets the person as member.
    "LDAP_DEPARTMENT_ATTRIBUTE": "departmentNumber",
    # Members of this group are administrators, others not (empty: admins grant the role here).
    "LDAP_ADMIN_GROUP_DN": "",
    # How membership is read: memberOf on the person (AD), or member/uniqueMember on the group.
    "LDAP_GROUP_MEMBERSHIP": "member",
    # A disabled account: AD's userAccountControl (bit 2), or an attribute that is present
    # (LDAP_DISABLED_VALUE empty, e.g. pwdAccountLockedTime) or has a value (employeeType=disabled).
    "LDAP_DISABLED_ATTRIBUTE": "",
    "LDAP_DISABLED_VALUE": "",
    "LDAP_CONNECT_TIMEOUT": 5,
    "LDAP_RECEIVE_TIMEOUT": 10,
    # How long a directory account's "still there and enabled" verdict is trusted before the
    # directory is asked again (API tokens and sessions).
    "LDAP_RECHECK_SECONDS": 300,
    # Single sign-on with OpenID Connect; off while OIDC_ISSUER is empty. The issuer must use
    # https (a loopback http://127.0.0.1:PORT or http://localhost:PORT is allowed for trials);
    # its /.well-known/openid-configuration names the endpoints. The client authenticates
    # with client_secret_basic and returns to /login/oidc/callback.
    "OIDC_ISSUER": "",
    "OIDC_CLIENT_ID": "",
    "OIDC_CLIENT_SECRET": "",
    "OIDC_SCOPES": "openid profile email",
    # Claims that carry the department (matched to a department space by name) and the
    # groups; members of OIDC_ADMIN_GROUP are administrators (empty: admins grant the role).
    "OIDC_DEPARTMENT_CLAIM": "department",
    "OIDC_GROUPS_CLAIM": "groups",
    "OIDC_ADMIN_GROUP": "",
    "OIDC_TIMEOUT": 10,
    # Single sign-on with SAML 2.0; off while SAML_IDP_METADATA is empty: the identity
    # provider's metadata, a file or an https:// URL (http:// only on the loopback). Our
    # metadata is served at /login/saml/metadata, assertions are posted to /login/saml/acs.
    "SAML_IDP_METADATA": "",
    # Our entity id (empty: the address of our metadata).
    "SAML_SP_ENTITY_ID": "",
    # A key and certificate to sign our requests with (both or neither).
    "SAML_SP_KEY_FILE": "",
    "SAML_SP_CERT_FILE": "",
    "SAML_XMLSEC_BINARY": "/usr/bin/xmlsec1",
    # Attributes (names as the provider sends them, any case) and the admin group.
    "SAML_USERNAME_ATTRIBUTE": "uid",
    "SAML_EMAIL_ATTRIBUTE": "mail",
    "SAML_DISPLAY_NAME_ATTRIBUTE": "displayName",
    "SAML_DEPARTMENT_ATTRIBUTE": "department",
    "SAML_GROUPS_ATTRIBUTE": "groups",
    "SAML_ADMIN_GROUP": "",
    # Accept answers the identity provider sends unasked (IdP-initiated sign-in, a tile in a
    # portal). Off: such an answer cannot be tied to the browser that posts it, so anyone
    # with an account could sign a colleague's browser into that account (login CSRF).
    "SAML_ALLOW_UNSOLICITED": False,
    # The sign-in form with a password (local accounts, LDAP) beside single sign-on: local
    # administrators keep a way in when the provider is down ("break-glass"). False turns the
    # form off while single sign-on is configured.
    "PASSWORD_SIGN_IN": True,
    # Two-factor sign-in (authenticator app, security key) for local and directory accounts:
    # "none" (each person chooses), "admins" (administrators must set it up) or "everyone".
    "TWO_FACTOR_REQUIRED": "none",
    # The name authenticator apps show beside the account.
    "TWO_FACTOR_ISSUER": "Kollegium",
    # The WebAuthn relying party: the host name security keys are bound to (empty: the host
    # of the request, e.g. intranet.musterstadt.de). Changing it invalidates registered keys.
    "WEBAUTHN_RP_ID": "",
    "PAGE_SIZE": 20,
    # Erasing a former colleague (app/privacy): "pseudonymise" shows their work as
    # "Former colleague #<id>"; "attribute" keeps their display name on it. Either way their
    # username, e-mail address and all private data go.
    "ERASURE_MODE": "pseudonymise",
    # Search: who carries the outbox into the index after a commit. "background": a thread
    # of each process (one host); "inline": the committing thread (tests always do this);
    # "worker": nobody here, `flask search worker` does (several hosts, docs/operations.md).
    "SEARCH_DRAIN": "background",
    # The background thread retries rows a failed drain left this often.
    "SEARCH_DRAIN_RETRY_SECONDS": 30.0,
    "SEARCH_PAGE_SIZE": 20,
    # Decoded postings of frequent words kept in each process's memory and shared by its
    # searches (least recently used go first); 0 keeps none. 100,000 documents' everyday
    # words need about 130 MiB.
    "SEARCH_POSTINGS_BYTES": 160 * 1024 * 1024,
    # Offer "did you mean" when a search finds at most this many results.
    "SEARCH_SUGGEST_BELOW": 3,
    "EXPERTS_LIMIT": 5,
    # Microblog: characters as the reader sees them (NFC code points), minutes a post stays
    # editable, posts per person, and how often the stream page asks for new posts.
    "MICROPOST_MAX_LENGTH": 500,
    "MICROPOST_EDIT_MINUTES": 15,
    "MICROPOST_RATE_LIMIT": "10 per minute",
    # The wiki editor asks for a preview when typing pauses (each one renders the whole page).
    "WIKI_PREVIEW_RATE_LIMIT": "60 per minute",
    "STREAM_PAGE_SIZE": 20,
    "STREAM_POLL_SECONDS": 15,
    "MAX_PAGE_SIZE": 100,
    # flask-smorest / OpenAPI
    "API_TITLE": "Kollegium",
    "API_VERSION": "v1",
    "OPENAPI_VERSION": "3.0.3",
    "OPENAPI_URL_PREFIX": "/api/v1",
    "OPENAPI_JSON_PATH": "openapi.json",
    # Every operation but the document itself wants a personal API token (settings page).
    "API_SPEC_OPTIONS": {
        "components": {
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A personal API token from the settings page (kol_…).",
                }
            }
        },
        "security": [{"bearerAuth": []}],
    },
    # Logging (app/logs.py): the level of Kollegium's own messages, and "text" or "json"
    # (one JSON object a line, for a log collector).
    "LOG_LEVEL": "INFO",
    "LOG_FORMAT": "text",
    # /health answers 503 (and `flask search check` exits 1) when the oldest row waiting in
    # the search outbox is older than this: the index has stopped following the database.
    "HEALTH_OUTBOX_MAX_AGE_SECONDS": 600,
}


def load_settings(config: dict[str, Any], overrides: dict[str, Any] | None) -> None:
    """Fill ``config`` with defaults, then the environment, then explicit overrides."""
    config.update(DEFAULTS)
    config.from_prefixed_env(ENV_PREFIX)
    if overrides:
        config.update(overrides)


def apply_instance_defaults(config: dict[str, Any], instance_path: str) -> None:
    """Point empty storage settings at the instance folder and create what is missing."""
    instance = Path(instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    if not config["SQLALCHEMY_DATABASE_URI"]:
        config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{instance / 'kollegium.db'}"
    if not config["SEARCH_INDEX_DIR"]:
        config["SEARCH_INDEX_DIR"] = str(instance / "search")
    if not config["UPLOAD_DIR"]:
        config["UPLOAD_DIR"] = str(instance / "uploads")
    if not config["RATELIMIT_STORAGE_URI"]:
        config["RATELIMIT_STORAGE_URI"] = f"kollegium-sqlite://{instance / 'ratelimits.sqlite'}"
    if not config["SECRET_KEY"]:
        config["SECRET_KEY"] = _instance_secret_key(instance / "secret_key")
    secure = config["PREFERRED_URL_SCHEME"] == "https"
    config.setdefault("SESSION_COOKIE_SECURE", secure)
    config.setdefault("REMEMBER_COOKIE_SECURE", secure)


def derive_settings(config: dict[str, Any]) -> None:
    """Settings of extensions that follow from ours (after check_settings)."""
    # Flask-Login's remember-me cookie; the server ends the sign-in then too (SignIn).
    config["REMEMBER_COOKIE_DURATION"] = timedelta(days=config["REMEMBER_DAYS"])


def check_settings(config: dict[str, Any]) -> None:
    """Refuse to start on settings that cannot work. Raises RuntimeError."""
    if config["BABEL_DEFAULT_LOCALE"] not in config["LANGUAGES"]:
        raise RuntimeError(
            f"BABEL_DEFAULT_LOCALE {config['BABEL_DEFAULT_LOCALE']!r} is not one of "
            f"{config['LANGUAGES']}"
        )
    if len(str(config["SECRET_KEY"])) < 16:
        raise RuntimeError("SECRET_KEY is too short: use at least 16 characters.")
    if config["ERASURE_MODE"] not in ("pseudonymise", "attribute"):
        raise RuntimeError("ERASURE_MODE must be 'pseudonymise' or 'attribute'.")
    positive = (
        "PAGE_SIZE",
        "MAX_PAGE_SIZE",
        "PASSWORD_MIN_LENGTH",
        "REMEMBER_DAYS",
        "SESSION_HOURS",
        "IMAGE_MAX_PIXELS",
        "EXTRACT_MAX_BYTES",
        "EXTRACT_MAX_CHARS",
        "EXTRACT_TIMEOUT_SECONDS",
    )
    for key in (*positive, "UPLOAD_MAX_BYTES", "WIKI_REVIEW_MONTHS", "INSIGHTS_MIN_GROUP_SIZE"):
        if not isinstance(config[key], int) or config[key] < 1:
            raise RuntimeError(f"{key} must be a positive whole number.")
    if config["VIEW_COUNTING"] not in (None, "buffered", "inline"):
        raise RuntimeError("VIEW_COUNTING must be 'buffered' or 'inline'.")
    if (
        not isinstance(config["VIEW_FLUSH_SECONDS"], int | float)
        or config["VIEW_FLUSH_SECONDS"] <= 0
    ):
        raise RuntimeError("VIEW_FLUSH_SECONDS must be a positive number.")
    kept = config["PAGE_CACHE_SECONDS"]
    if isinstance(kept, bool) or not isinstance(kept, int | float) or kept < 0:
        raise RuntimeError("PAGE_CACHE_SECONDS must be a number, 0 or more.")
    if not isinstance(config["PAGE_CACHE_BYTES"], int) or config["PAGE_CACHE_BYTES"] < 0:
        raise RuntimeError("PAGE_CACHE_BYTES must be a whole number, 0 or more.")
    postings = config["SEARCH_POSTINGS_BYTES"]
    if isinstance(postings, bool) or not isinstance(postings, int) or postings < 0:
        raise RuntimeError("SEARCH_POSTINGS_BYTES must be a whole number, 0 or more.")
    if config["TWO_FACTOR_REQUIRED"] not in ("none", "admins", "everyone"):
        raise RuntimeError("TWO_FACTOR_REQUIRED must be 'none', 'admins' or 'everyone'.")
    if config["MAIL_USE_TLS"] and config["MAIL_USE_SSL"]:
        raise RuntimeError("Set MAIL_USE_TLS (STARTTLS) or MAIL_USE_SSL (TLS), not both.")
    public = urlsplit(str(config["PUBLIC_URL"]))
    if config["PUBLIC_URL"] and (public.scheme not in ("http", "https") or not public.netloc):
        raise RuntimeError("PUBLIC_URL must be an http:// or https:// address with a host.")
    for key in ("LOGIN_RATE_LIMIT", "LOGIN_ADDRESS_RATE_LIMIT", "LOGIN_ACCOUNT_RATE_LIMIT"):
        try:
            parse_limit(str(config[key]))
        except ValueError as err:
            raise RuntimeError(f"{key} is not a limit such as '5 per 5 minutes'.") from err
    if config["LOG_FORMAT"] not in ("text", "json"):
        raise RuntimeError("LOG_FORMAT must be 'text' or 'json'.")
    if str(config["LOG_LEVEL"]).upper() not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
        raise RuntimeError("LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL.")
    check_ldap_settings(config)
    check_oidc_settings(config)
    check_saml_settings(config)


LDAP_GROUP_MEMBERSHIPS = ("memberOf", "member", "uniqueMember")


def ldap_server_urls(config: dict[str, Any]) -> list[str]:
    """The configured directory servers, in the order they are tried."""
    raw = config["LDAP_SERVER_URLS"]
    items = raw.replace(",", " ").split() if isinstance(raw, str) else list(raw)
    return [str(item).strip() for item in items if str(item).strip()]


def check_ldap_settings(config: dict[str, Any]) -> None:
    """Refuse directory settings that cannot work. Raises RuntimeError."""
    urls = ldap_server_urls(config)
    if not urls:
        return
    for url in urls:
        scheme = url.partition("://")[0].lower()
        if scheme not in ("ldap", "ldaps") or not url.partition("://")[2].strip("/"):
            raise RuntimeError(f"LDAP_SERVER_URLS: {url!r} is not an ldap:// or ldaps:// URL.")
        if scheme == "ldaps" and config["LDAP_START_TLS"]:
            raise RuntimeError("LDAP_START_TLS is for ldap:// URLs; ldaps:// is TLS already.")
    if not str(config["LDAP_USER_SEARCH_BASE"]).strip():
        raise RuntimeError("LDAP_USER_SEARCH_BASE is required when LDAP_SERVER_URLS is set.")
    query = str(config["LDAP_USER_FILTER"])
    balanced = query.count("(") == query.count(")")
    if "{username}" not in query or not query.startswith("(") or not balanced:
        raise RuntimeError(
            "LDAP_USER_FILTER must be a parenthesised LDAP filter containing {username}."
        )
    if bool(config["LDAP_BIND_DN"]) != bool(config["LDAP_BIND_PASSWORD"]):
        raise RuntimeError(
            "Set both LDAP_BIND_DN and LDAP_BIND_PASSWORD, or neither (anonymous search)."
        )
    for key in ("LDAP_USERNAME_ATTRIBUTE", "LDAP_DISPLAY_NAME_ATTRIBUTE", "LDAP_EMAIL_ATTRIBUTE"):
        if not str(config[key]).strip():
            raise RuntimeError(f"{key} must name a directory attribute.")
    if config["LDAP_GROUP_MEMBERSHIP"] not in LDAP_GROUP_MEMBERSHIPS:
        raise RuntimeError(f"LDAP_GROUP_MEMBERSHIP must be one of {LDAP_GROUP_MEMBERSHIPS}.")
    if config["LDAP_DISABLED_VALUE"] and not config["LDAP_DISABLED_ATTRIBUTE"]:
        raise RuntimeError("LDAP_DISABLED_VALUE needs LDAP_DISABLED_ATTRIBUTE.")
    for key in ("LDAP_CONNECT_TIMEOUT", "LDAP_RECEIVE_TIMEOUT"):
        if not isinstance(config[key], int | float) or not 0 < config[key] <= 120:
            raise RuntimeError(f"{key} must be a number of seconds between 1 and 120.")
    if not isinstance(config["LDAP_RECHECK_SECONDS"], int) or config["LDAP_RECHECK_SECONDS"] < 0:
        raise RuntimeError("LDAP_RECHECK_SECONDS must be a whole number, 0 or more.")


LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


def check_oidc_settings(config: dict[str, Any]) -> None:
    """Refuse OpenID Connect settings that cannot work or would be unsafe. Raises
    RuntimeError."""
    issuer = str(config["OIDC_ISSUER"]).strip()
    if not issuer:
        return
    parts = urlsplit(issuer)
    loopback = parts.scheme == "http" and parts.hostname in LOOPBACK_HOSTS
    if not (parts.scheme == "https" and parts.hostname) and not loopback:
        raise RuntimeError(
            "OIDC_ISSUER must be an https:// URL (http:// only for 127.0.0.1 or localhost)."
        )
    if parts.query or parts.fragment:
        raise RuntimeError("OIDC_ISSUER must not have a query or fragment.")
    for key in ("OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET"):
        if not str(config[key]).strip():
            raise RuntimeError(f"{key} is required when OIDC_ISSUER is set.")
    if "openid" not in str(config["OIDC_SCOPES"]).split():
        raise RuntimeError("OIDC_SCOPES must include openid.")
    if not isinstance(config["OIDC_TIMEOUT"], int | float) or not 0 < config["OIDC_TIMEOUT"] <= 120:
        raise RuntimeError("OIDC_TIMEOUT must be a number of seconds between 1 and 120.")


def check_saml_settings(config: dict[str, Any]) -> None:
    """Refuse SAML settings that cannot work or would be unsafe. Raises RuntimeError."""
    if not isinstance(config["SAML_ALLOW_UNSOLICITED"], bool):
        raise RuntimeError("SAML_ALLOW_UNSOLICITED must be true or false.")
    metadata = str(config["SAML_IDP_METADATA"]).strip()
    if not metadata:
        return
    if "://" in metadata:
        parts = urlsplit(metadata)
        loopback = parts.scheme == "http" and parts.hostname in LOOPBACK_HOSTS
        if not (parts.scheme == "https" and parts.hostname) and not loopback:
            raise RuntimeError(
                "SAML_IDP_METADATA must be a file or an https:// URL "
                "(http:// only for 127.0.0.1 or localhost)."
            )
    elif not Path(metadata).is_file():
        raise RuntimeError(f"SAML_IDP_METADATA: no file {metadata!r}.")
    if bool(config["SAML_SP_KEY_FILE"]) != bool(config["SAML_SP_CERT_FILE"]):
        raise RuntimeError("Set both SAML_SP_KEY_FILE and SAML_SP_CERT_FILE, or neither.")
    if not Path(str(config["SAML_XMLSEC_BINARY"])).is_file():
        raise RuntimeError(
            f"SAML needs xmlsec1 at {config['SAML_XMLSEC_BINARY']!r} (apt-get install xmlsec1)."
        )


def _instance_secret_key(path: Path) -> str:
    """Read the secret key, generating it once so restarts keep sessions valid."""
    if not path.exists():
        # O_EXCL: when several workers start at once, exactly one writes the key.
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_hex(32))
    key = path.read_text().strip()
    if not key:
        raise RuntimeError(f"{path} is empty: delete it to generate a new secret key.")
    return key
