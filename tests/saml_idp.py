"""A real SAML 2.0 identity provider for the single sign-on tests, run as its own process.

Built on pysaml2's IdP side (which signs with Debian's ``xmlsec1``, installed with apt-get when
missing): metadata at ``/metadata``, a sign-in page at ``/sso`` (HTTP-Redirect binding) that
answers with a signed assertion posted back (HTTP-POST binding). Tests give it the service
provider's metadata, people and a ``mode`` through ``PUT /_test/config``: ``unsigned`` leaves
the assertion unsigned, ``wrong_recipient`` addresses it to another service.

Run: ``python -m tests.saml_idp PORT FOLDER``; ``SamlIdp`` starts and stops it.
"""

from __future__ import annotations

import datetime
import hmac
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from flask import Flask, jsonify, render_template_string, request

from tests.conftest import needs

XMLSEC = "/usr/bin/xmlsec1"
START_TIMEOUT = 60.0
APT_TIMEOUT = 600
MODES = ("normal", "unsigned", "wrong_recipient")
SAML_RESPONSE = re.compile(r'name="SAMLResponse" value="([^"]+)"')
RELAY_STATE = re.compile(r'name="RelayState" value="([^"]*)"')

SIGN_IN_PAGE = """<!doctype html>
<html lang="en"><head><title>Test SAML identity provider</title></head>
<body><main><h1>Test SAML identity provider</h1>
{% if failed %}<p role="alert">Wrong username or password.</p>{% endif %}
<form method="post">
<input type="hidden" name="SAMLRequest" value="{{ saml_request }}">
<input type="hidden" name="RelayState" value="{{ relay_state }}">
<label for="username">SAML username</label> <input id="username" name="username">
<label for="password">SAML password</label>
<input id="password" name="password" type="password">
<button type="submit">Continue</button>
</form></main></body></html>
"""


def ensure_xmlsec() -> str | None:
    """Install Debian's xmlsec1 when missing. Returns why that failed, or None."""
    if os.path.exists(XMLSEC):
        return None
    if shutil.which("apt-get") is None:
        return "xmlsec1 is not installed and apt-get is not available"
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "xmlsec1"]
    result = subprocess.run(install, env=env, capture_output=True, timeout=APT_TIMEOUT)
    if result.returncode != 0:
        subprocess.run(["apt-get", "update"], env=env, capture_output=True, timeout=APT_TIMEOUT)
        result = subprocess.run(install, env=env, capture_output=True, timeout=APT_TIMEOUT)
    if not os.path.exists(XMLSEC):
        return f"xmlsec1 could not be installed: {result.stderr.decode(errors='replace')[-300:]}"
    return None


def make_key_pair(folder: Path, name: str) -> tuple[str, str]:
    """A self-signed certificate and its key, as PEM files."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    key_path, cert_path = folder / f"{name}.key", folder / f"{name}.crt"
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return str(key_path), str(cert_path)


def create_idp(port: int, folder: Path) -> Flask:
    from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
    from saml2.config import IdPConfig
    from saml2.metadata import create_metadata_string
    from saml2.saml import NAMEID_FORMAT_PERSISTENT, NameID
    from saml2.server import Server

    app = Flask(__name__)
    base = f"http://127.0.0.1:{port}"
    key_file, cert_file = make_key_pair(folder, "idp")
    state: dict = {"mode": "normal", "people": {}, "server": None}

    def build(sp_metadata: str | None) -> Server:
        settings = {
            "entityid": f"{base}/metadata",
            "xmlsec_binary": XMLSEC,
            "key_file": key_file,
            "cert_file": cert_file,
            "allow_unknown_attributes": True,
            "service": {
                "idp": {
                    "name": "Test SAML identity provider",
                    "endpoints": {
                        "single_sign_on_service": [(f"{base}/sso", BINDING_HTTP_REDIRECT)]
                    },
                    "name_id_format": [NAMEID_FORMAT_PERSISTENT],
                    "policy": {"default": {"lifetime": {"minutes": 15}}},
                }
            },
        }
        if sp_metadata:
            settings["metadata"] = {"inline": [sp_metadata]}
        config = IdPConfig()
        config.load(settings)
        return Server(config=config)

    state["server"] = build(None)

    @app.get("/metadata")
    def metadata():
        xml = create_metadata_string(None, config=state["server"].config, valid=None)
        return xml, 200, {"Content-Type": "application/samlmetadata+xml"}

    @app.route("/sso", methods=["GET", "POST"])
    def single_sign_on():
        source = request.args if request.method == "GET" else request.form
        saml_request = source.get("SAMLRequest", "")
        relay_state = source.get("RelayState", "")
        server = state["server"]
        parsed = server.parse_authn_request(saml_request, BINDING_HTTP_REDIRECT)
        if request.method == "GET":
            return render_template_string(
                SIGN_IN_PAGE, saml_request=saml_request, relay_state=relay_state, failed=False
            )
        person = state["people"].get(request.form.get("username", ""))
        if person is None or not hmac.compare_digest(
            person["password"], request.form.get("password", "")
        ):
            page = render_template_string(
                SIGN_IN_PAGE, saml_request=saml_request, relay_state=relay_state, failed=True
            )
            return page, 401
        arguments = server.response_args(parsed.message)
        if state["mode"] == "wrong_recipient":
            arguments["destination"] = "http://localhost/elsewhere/acs"
        return answer(person, arguments, relay_state)

    @app.post("/_test/unsolicited")
    def unsolicited():
        """An IdP-initiated sign-in: an answer to no request (a tile in the IdP's portal)."""
        data = request.get_json()
        arguments = {
            "in_response_to": None,
            "destination": data["acs"],
            "sp_entity_id": data["sp_entity_id"],
        }
        return answer(state["people"][data["username"]], arguments, "")

    def answer(person: dict, arguments: dict, relay_state: str) -> str:
        """The signed assertion for ``person``, in the page that posts it back."""
        server = state["server"]
        response = server.create_authn_response(
            person["attributes"],
            userid=person["sub"],
            name_id=NameID(format=NAMEID_FORMAT_PERSISTENT, text=person["sub"]),
            authn={
                "class_ref": "urn:oasis:names:tc:SAML:2.0:ac:classes:Password",
                "authn_auth": base,
            },
            sign_assertion=state["mode"] != "unsigned",
            sign_response=False,
            **arguments,
        )
        posted = server.apply_binding(
            BINDING_HTTP_POST, str(response), arguments["destination"], relay_state, response=True
        )
        return posted["data"]

    @app.put("/_test/config")
    def configure():
        data = request.get_json()
        if data.get("mode", "normal") not in MODES:
            return jsonify(error="unknown mode"), 400
        state["mode"] = data.get("mode", "normal")
        if "people" in data:
            state["people"] = data["people"]
        if "sp_metadata" in data:
            state["server"] = build(data["sp_metadata"])
        return jsonify(ok=True)

    return app


class SamlIdp:
    """The identity provider as a child process on a free loopback port."""

    def __init__(self, folder: Path):
        from tests.oidc_provider import free_port

        self.folder = folder
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def start(self) -> str | None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.saml_idp", str(self.port), str(self.folder)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return f"SAML IdP exited: {self.process.stderr.read().decode()[-500:]}"
            try:
                requests.get(f"{self.url}/metadata", timeout=5)
            except (requests.ConnectionError, requests.Timeout):
                time.sleep(0.05)  # polling a condition: is the IdP listening yet?
                continue
            return None
        self.stop()
        return "the SAML IdP did not answer in time"

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def metadata_file(self) -> str:
        path = self.folder / "idp-metadata.xml"
        answer = requests.get(f"{self.url}/metadata", timeout=10)
        answer.raise_for_status()
        path.write_text(answer.text)
        return str(path)

    def unsolicited_answer(self, username: str, *, acs: str, sp_entity_id: str) -> str:
        """The page the IdP would show for an IdP-initiated sign-in of ``username``."""
        data = {"username": username, "acs": acs, "sp_entity_id": sp_entity_id}
        answer = requests.post(f"{self.url}/_test/unsolicited", json=data, timeout=10)
        answer.raise_for_status()
        return answer.text

    def configure(self, *, mode="normal", people=None, sp_metadata=None) -> None:
        data: dict = {"mode": mode}
        if people is not None:
            data["people"] = people
        if sp_metadata is not None:
            data["sp_metadata"] = sp_metadata
        requests.put(f"{self.url}/_test/config", json=data, timeout=10).raise_for_status()


@pytest.fixture(scope="session", name="saml_idp")
def saml_idp_fixture(tmp_path_factory):
    """The test SAML IdP, started once per test session (import this fixture to use it)."""
    problem = ensure_xmlsec()
    if problem:
        needs(problem)
    idp = SamlIdp(tmp_path_factory.mktemp("saml-idp"))
    problem = idp.start()
    if problem:
        needs(problem)
    yield idp
    idp.stop()


if __name__ == "__main__":
    idp_port = int(sys.argv[1])
    create_idp(idp_port, Path(sys.argv[2])).run(host="127.0.0.1", port=idp_port, threaded=True)
