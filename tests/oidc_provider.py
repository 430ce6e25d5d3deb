"""A real OpenID Connect provider for the single sign-on tests, run as its own process.

Built on Authlib's server side (authorization code grant, PKCE, OpenID Connect ID tokens
signed RS256), it speaks the protocol over HTTP: discovery, a sign-in page, the token endpoint
(``client_secret_basic`` only), the keys, and an end-session endpoint. Tests configure it
through ``PUT /_test/config`` (people, the client's addresses, and a ``mode`` that makes it
misbehave the way broken or hostile providers do) and read ``GET /_test/events``.

Run: ``python -m tests.oidc_provider PORT``; ``OidcProvider`` starts and stops it.
"""

from __future__ import annotations

import base64
import hmac
import json
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

import pytest
import requests
from authlib.integrations.flask_oauth2 import AuthorizationServer
from authlib.oauth2.rfc6749 import AuthorizationCodeMixin, ClientMixin, grants
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oidc.core.grants import OpenIDCode
from flask import Flask, jsonify, redirect, render_template_string, request
from joserfc import jwt
from joserfc.jwk import RSAKey

from tests.conftest import needs

CLIENT_ID = "kollegium"
CLIENT_SECRET = "kollegium-client-secret"
KEY_ID = "test-key-1"
START_TIMEOUT = 60.0
# Ways a provider can answer wrongly; "normal" answers correctly.
MODES = (
    "normal",
    "error",
    "wrong_audience",
    "wrong_issuer",
    "expired",
    "unsigned",
    "bad_signature",
    "wrong_nonce",
    "no_id_token",
)

SIGN_IN_PAGE = """<!doctype html>
<html lang="en"><head><title>Test identity provider</title></head>
<body><main>
<h1>Test identity provider</h1>
{% if failed %}<p role="alert">Wrong username or password.</p>{% endif %}
<form method="post">
<label for="username">IdP username</label> <input id="username" name="username">
<label for="password">IdP password</label> <input id="password" name="password" type="password">
<button type="submit">Continue</button>
</form></main></body></html>
"""


@dataclass
class Person:
    sub: str
    password: str
    claims: dict


@dataclass
class State:
    mode: str = "normal"
    people: dict[str, Person] = field(default_factory=dict)
    redirect_uris: list[str] = field(default_factory=list)
    codes: dict[str, Code] = field(default_factory=dict)
    events: list[dict] = field(default_factory=list)


class Client(ClientMixin):
    def __init__(self, state: State):
        self.state = state

    def get_client_id(self):
        return CLIENT_ID

    def get_default_redirect_uri(self):
        return self.state.redirect_uris[0] if self.state.redirect_uris else None

    def get_allowed_scope(self, scope):
        allowed = {"openid", "profile", "email"}
        return " ".join(item for item in scope.split() if item in allowed)

    def check_redirect_uri(self, redirect_uri):
        return redirect_uri in self.state.redirect_uris

    def check_client_secret(self, client_secret):
        return hmac.compare_digest(client_secret, CLIENT_SECRET)

    def check_endpoint_auth_method(self, method, endpoint):
        return method == "client_secret_basic" if endpoint == "token" else True

    def check_response_type(self, response_type):
        return response_type == "code"

    def check_grant_type(self, grant_type):
        return grant_type == "authorization_code"


@dataclass
class Code(AuthorizationCodeMixin):
    code: str
    redirect_uri: str
    scope: str
    person: Person
    nonce: str | None
    code_challenge: str | None
    code_challenge_method: str | None
    auth_time: int
    expires_at: float

    def get_redirect_uri(self):
        return self.redirect_uri

    def get_scope(self):
        return self.scope

    def get_nonce(self):
        return self.nonce

    def get_auth_time(self):
        return self.auth_time

    def get_acr(self):
        return None

    def get_amr(self):
        return None


def create_provider(port: int) -> Flask:
    app = Flask(__name__)
    app.secret_key = "provider-secret"
    issuer = f"http://127.0.0.1:{port}"
    state = State()
    key = RSAKey.generate_key(2048, parameters={"kid": KEY_ID, "use": "sig", "alg": "RS256"})
    other_key = RSAKey.generate_key(2048, parameters={"kid": KEY_ID})

    class CodeGrant(grants.AuthorizationCodeGrant):
        TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic"]

        def save_authorization_code(self, code, req):
            data = req.payload.data
            state.codes[code] = Code(
                code=code,
                redirect_uri=req.payload.redirect_uri,
                scope=req.scope,
                person=req.user,
                nonce=data.get("nonce"),
                code_challenge=data.get("code_challenge"),
                code_challenge_method=data.get("code_challenge_method"),
                auth_time=int(time.time()),
                expires_at=time.time() + 300,
            )

        def query_authorization_code(self, code, client):
            item = state.codes.get(code)
            if item is not None and item.expires_at > time.time():
                return item
            return None

        def delete_authorization_code(self, authorization_code):
            state.codes.pop(authorization_code.code, None)

        def authenticate_user(self, authorization_code):
            return authorization_code.person

    class IdToken(OpenIDCode):
        def get_jwt_config(self, grant=None, client=None):
            return {"key": key, "alg": "RS256", "iss": issuer, "exp": 600, "kid": KEY_ID}

        def resolve_client_private_key(self, client):
            return key

        def get_client_claims(self, client):
            now = int(time.time())
            return {"iss": issuer, "aud": [CLIENT_ID], "exp": now + 600}

        def get_encode_header(self, client):
            return {"alg": "RS256", "kid": KEY_ID}

        def get_client_algorithm(self, client):
            return "RS256"

        def exists_nonce(self, nonce, req):
            return any(item.nonce == nonce for item in state.codes.values())

        def generate_user_info(self, user, scope):
            return {"sub": user.sub, **user.claims}

        def process_token(self, grant, response):
            token = super().process_token(grant, response)
            if state.mode == "no_id_token":
                token.pop("id_token", None)
            return token

        def encode_id_token(self, token, req):
            signed = super().encode_id_token(token, req)
            if state.mode == "normal":
                return signed
            claims = dict(jwt.decode(signed, key).claims)
            now = int(time.time())
            if state.mode == "wrong_audience":
                claims["aud"] = ["someone-else"]
            elif state.mode == "wrong_issuer":
                claims["iss"] = "http://127.0.0.1:1"
            elif state.mode == "expired":
                claims.update(iat=now - 7200, auth_time=now - 7200, exp=now - 3600)
            elif state.mode == "wrong_nonce":
                claims["nonce"] = "not-the-nonce-that-was-sent"
            elif state.mode == "unsigned":
                return _unsigned(claims)
            elif state.mode == "bad_signature":
                return jwt.encode({"alg": "RS256", "kid": KEY_ID}, claims, other_key)
            return jwt.encode({"alg": "RS256", "kid": KEY_ID}, claims, key)

    server = AuthorizationServer(
        app, query_client=lambda client_id: Client(state) if client_id == CLIENT_ID else None
    )
    server._save_token = lambda token, req: None
    server.register_grant(CodeGrant, [IdToken(require_nonce=True), CodeChallenge(required=True)])

    @app.get("/.well-known/openid-configuration")
    def discovery():
        return jsonify(
            issuer=issuer,
            authorization_endpoint=f"{issuer}/authorize",
            token_endpoint=f"{issuer}/token",
            jwks_uri=f"{issuer}/jwks",
            end_session_endpoint=f"{issuer}/logout",
            response_types_supported=["code"],
            subject_types_supported=["public"],
            id_token_signing_alg_values_supported=["RS256"],
            token_endpoint_auth_methods_supported=["client_secret_basic"],
            code_challenge_methods_supported=["S256"],
            scopes_supported=["openid", "profile", "email"],
        )

    @app.get("/jwks")
    def jwks():
        return jsonify(keys=[key.as_dict(private=False)])

    @app.route("/authorize", methods=["GET", "POST"])
    def authorize():
        state.events.append({"event": "authorize", "args": request.args.to_dict()})
        if state.mode == "error":
            target = request.args.get("redirect_uri", "")
            query = urlencode(
                {
                    "error": "access_denied",
                    "error_description": "The user is not allowed to use this application.",
                    "state": request.args.get("state", ""),
                }
            )
            return redirect(f"{target}?{query}")
        if request.method == "GET":
            server.get_consent_grant(end_user=None)  # refuses bad requests before the form
            return render_template_string(SIGN_IN_PAGE, failed=False)
        person = state.people.get(request.form.get("username", ""))
        if person is None or not hmac.compare_digest(
            person.password, request.form.get("password", "")
        ):
            return render_template_string(SIGN_IN_PAGE, failed=True), 401
        return server.create_authorization_response(grant_user=person)

    @app.post("/token")
    def issue_token():
        state.events.append({"event": "token"})
        return server.create_token_response()

    @app.get("/logout")
    def end_session():
        state.events.append({"event": "logout", "args": request.args.to_dict()})
        target = request.args.get("post_logout_redirect_uri")
        if target and any(target.startswith(uri.split("/login")[0]) for uri in state.redirect_uris):
            return redirect(target)
        return "Signed out at the provider."

    @app.put("/_test/config")
    def configure():
        data = request.get_json()
        state.mode = data.get("mode", "normal")
        if state.mode not in MODES:
            return jsonify(error=f"unknown mode {state.mode}"), 400
        if "redirect_uris" in data:
            state.redirect_uris = list(data["redirect_uris"])
        if "people" in data:
            state.people = {
                name: Person(item["sub"], item["password"], item["claims"])
                for name, item in data["people"].items()
            }
        return jsonify(ok=True)

    @app.get("/_test/events")
    def events():
        return jsonify(state.events)

    return app


def _unsigned(claims: dict) -> str:
    def part(value: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(claims)}."


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class OidcProvider:
    """The provider as a child process on a free loopback port."""

    def __init__(self):
        self.port = free_port()
        self.issuer = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def start(self) -> str | None:
        """Start it; returns why it did not answer, or None."""
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.oidc_provider", str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return f"provider exited: {self.process.stderr.read().decode()[-500:]}"
            try:
                requests.get(f"{self.issuer}/.well-known/openid-configuration", timeout=5)
            except (requests.ConnectionError, requests.Timeout):
                time.sleep(0.05)  # polling a condition: is the provider listening yet?
                continue
            return None
        self.stop()
        return "the provider did not answer in time"

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def configure(self, *, mode="normal", redirect_uris=None, people=None) -> None:
        data: dict = {"mode": mode}
        if redirect_uris is not None:
            data["redirect_uris"] = redirect_uris
        if people is not None:
            data["people"] = people
        requests.put(f"{self.issuer}/_test/config", json=data, timeout=5).raise_for_status()

    def events(self) -> list[dict]:
        return requests.get(f"{self.issuer}/_test/events", timeout=5).json()


@pytest.fixture(scope="session", name="oidc_provider")
def oidc_provider_fixture():
    """The test provider, started once per test session (import this fixture to use it)."""
    provider = OidcProvider()
    problem = provider.start()
    if problem:
        needs(problem)
    yield provider
    provider.stop()


def settings_for(provider: OidcProvider) -> dict:
    return {
        "OIDC_ISSUER": provider.issuer,
        "OIDC_CLIENT_ID": CLIENT_ID,
        "OIDC_CLIENT_SECRET": CLIENT_SECRET,
        "OIDC_ADMIN_GROUP": "kollegium-admins",
    }


if __name__ == "__main__":
    provider_port = int(sys.argv[1])
    create_provider(provider_port).run(host="127.0.0.1", port=provider_port, threaded=True)
