"""A real OpenLDAP server for the directory sign-in tests.

Debian's ``slapd`` and ``ldap-utils`` are installed with apt-get when missing. The server is
our own process (never the system service), on a free loopback port, configured by a
generated slapd.conf in a temporary folder and filled with a generated LDIF before it starts.
"""

from __future__ import annotations

import base64
import hashlib
import os
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from ldap3 import Connection, Server
from ldap3.core.exceptions import LDAPException

from tests.conftest import needs

SUFFIX = "dc=musterstadt,dc=example"
ROOT_DN = f"cn=admin,{SUFFIX}"
ROOT_PASSWORD = "root-secret"
PEOPLE = f"ou=people,{SUFFIX}"
GROUPS = f"ou=groups,{SUFFIX}"
ADMIN_GROUP = f"cn=kollegium-admins,{GROUPS}"
SERVICE_DN = f"cn=kollegium,ou=services,{SUFFIX}"
SERVICE_PASSWORD = "service-secret"
SLAPD = Path("/usr/sbin/slapd")
SCHEMAS = ("core", "cosine", "inetorgperson", "nis")
START_TIMEOUT = 20.0
APT_TIMEOUT = 600


@dataclass(frozen=True, slots=True)
class Person:
    uid: str
    name: str
    mail: str
    password: str
    department: str = ""
    employee_type: str = ""

    @property
    def dn(self) -> str:
        return f"uid={self.uid},{PEOPLE}"


# The staff of the Stadtverwaltung Musterstadt, as the directory knows them.
STAFF = (
    Person("anna", "Anna Amtmann", "anna@musterstadt.example", "anna-pass-1", "Bauamt"),
    Person("bernd", "Bernd Bauer", "bernd@musterstadt.example", "bernd-pass-1", "Ordnungsamt"),
    Person("carla", "Carla Chef", "carla@musterstadt.example", "carla-pass-1", "Hauptamt"),
    Person(
        "dieter", "Dieter Dienst", "dieter@musterstadt.example", "dieter-pass-1", "", "disabled"
    ),
    Person("emil", "Emil Ende", "emil@musterstadt.example", "emil-pass-1", "Bauamt"),
)
ADMINS = ("carla",)


def ssha(password: str) -> str:
    """``{SSHA}`` as slapd checks it: SHA-1 of password and salt, then the salt."""
    salt = os.urandom(8)
    digest = hashlib.sha1(password.encode() + salt).digest()
    return "{SSHA}" + base64.b64encode(digest + salt).decode()


def directory_ldif() -> str:
    entries = [
        f"dn: {SUFFIX}\nobjectClass: dcObject\nobjectClass: organization\n"
        "dc: musterstadt\no: Stadtverwaltung Musterstadt",
        f"dn: {PEOPLE}\nobjectClass: organizationalUnit\nou: people",
        f"dn: {GROUPS}\nobjectClass: organizationalUnit\nou: groups",
        f"dn: ou=services,{SUFFIX}\nobjectClass: organizationalUnit\nou: services",
        f"dn: {SERVICE_DN}\nobjectClass: organizationalRole\nobjectClass: simpleSecurityObject\n"
        f"cn: kollegium\nuserPassword: {ssha(SERVICE_PASSWORD)}",
    ]
    for person in STAFF:
        surname = person.name.split()[-1]
        lines = [
            f"dn: {person.dn}",
            "objectClass: inetOrgPerson",
            f"uid: {person.uid}",
            f"cn: {person.name}",
            f"sn: {surname}",
            f"mail: {person.mail}",
            f"userPassword: {ssha(person.password)}",
        ]
        if person.department:
            lines.append(f"departmentNumber: {person.department}")
        if person.employee_type:
            lines.append(f"employeeType: {person.employee_type}")
        entries.append("\n".join(lines))
    members = "\n".join(f"member: uid={uid},{PEOPLE}" for uid in ADMINS)
    entries.append(f"dn: {ADMIN_GROUP}\nobjectClass: groupOfNames\ncn: kollegium-admins\n{members}")
    return "\n\n".join(entries) + "\n"


def slapd_conf(folder: Path) -> str:
    includes = "\n".join(f"include /etc/ldap/schema/{name}.schema" for name in SCHEMAS)
    return f"""{includes}
pidfile {folder / "slapd.pid"}
argsfile {folder / "slapd.args"}
modulepath /usr/lib/ldap
moduleload back_mdb
database mdb
maxsize 10485760
suffix "{SUFFIX}"
rootdn "{ROOT_DN}"
rootpw {ROOT_PASSWORD}
directory {folder / "data"}
access to attrs=userPassword
    by self read
    by anonymous auth
    by * none
access to *
    by * read
"""


def ensure_installed() -> str | None:
    """Install slapd and ldap-utils when missing. Returns why that failed, or None."""
    if SLAPD.exists() and shutil.which("ldapsearch"):
        return None
    if shutil.which("apt-get") is None:
        return "slapd is not installed and apt-get is not available"
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "slapd", "ldap-utils"]
    result = subprocess.run(install, env=env, capture_output=True, timeout=APT_TIMEOUT)
    if result.returncode != 0:
        # A fresh container has no package lists yet.
        subprocess.run(["apt-get", "update"], env=env, capture_output=True, timeout=APT_TIMEOUT)
        result = subprocess.run(install, env=env, capture_output=True, timeout=APT_TIMEOUT)
    if result.returncode != 0 or not SLAPD.exists():
        return f"slapd could not be installed: {result.stderr.decode(errors='replace')[-300:]}"
    return None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Slapd:
    """One slapd process with the generated directory. ``start`` returns why it could not
    start, or None."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.port = free_port()
        self.url = f"ldap://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def start(self) -> str | None:
        (self.folder / "data").mkdir(parents=True)
        conf = self.folder / "slapd.conf"
        conf.write_text(slapd_conf(self.folder))
        ldif = self.folder / "directory.ldif"
        ldif.write_text(directory_ldif())
        loaded = subprocess.run(
            [str(SLAPD), "-T", "add", "-f", str(conf), "-l", str(ldif)],
            capture_output=True,
            timeout=60,
        )
        if loaded.returncode != 0:
            return f"slapadd failed: {loaded.stderr.decode(errors='replace')[-300:]}"
        log = (self.folder / "slapd.log").open("wb")
        # -d keeps slapd in the foreground, so it is our child and stops with us.
        self.process = subprocess.Popen(
            [str(SLAPD), "-f", str(conf), "-h", f"{self.url}/", "-d", "0"],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                output = (self.folder / "slapd.log").read_text(errors="replace")
                return f"slapd exited with {self.process.returncode}: {output[-300:]}"
            if self.answers():
                return None
            time.sleep(0.05)  # polling a condition: has slapd started listening?
        self.stop()
        return f"slapd did not answer within {START_TIMEOUT} seconds"

    def answers(self) -> bool:
        try:
            with self.admin_connection() as connection:
                return connection.search(SUFFIX, "(objectClass=organization)")
        except LDAPException:
            return False

    def admin_connection(self) -> Connection:
        server = Server(self.url, connect_timeout=2)
        return Connection(
            server, ROOT_DN, ROOT_PASSWORD, auto_bind=True, receive_timeout=5, raise_exceptions=True
        )

    def delete(self, dn: str) -> None:
        with self.admin_connection() as connection:
            connection.delete(dn)

    def add_person(self, person: Person) -> None:
        attributes = {
            "uid": person.uid,
            "cn": person.name,
            "sn": person.name.split()[-1],
            "mail": person.mail,
            "userPassword": ssha(person.password),
        }
        if person.department:
            attributes["departmentNumber"] = person.department
        with self.admin_connection() as connection:
            connection.add(person.dn, ["inetOrgPerson"], attributes)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None


@pytest.fixture(scope="session", name="slapd")
def slapd_fixture(tmp_path_factory):
    """The test directory, started once per test session (import this fixture to use it)."""
    problem = ensure_installed()
    if problem:
        needs(problem)
    server = Slapd(tmp_path_factory.mktemp("slapd"))
    problem = server.start()
    if problem:
        needs(problem)
    yield server
    server.stop()


def settings_for(url: str) -> dict:
    """Kollegium's LDAP settings for the test directory at ``url``."""
    return {
        "LDAP_SERVER_URLS": url,
        "LDAP_BIND_DN": SERVICE_DN,
        "LDAP_BIND_PASSWORD": SERVICE_PASSWORD,
        "LDAP_USER_SEARCH_BASE": PEOPLE,
        "LDAP_ADMIN_GROUP_DN": ADMIN_GROUP,
        "LDAP_GROUP_MEMBERSHIP": "member",
        "LDAP_DISABLED_ATTRIBUTE": "employeeType",
        "LDAP_DISABLED_VALUE": "disabled",
        "LDAP_CONNECT_TIMEOUT": 2,
        "LDAP_RECEIVE_TIMEOUT": 2,
    }
