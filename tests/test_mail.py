"""E-mail: the server's certificate is verified, messages carry standard headers, and
notification mail leaves outside the request, over one connection per batch."""

from __future__ import annotations

import gc
import socket
import ssl
import subprocess
import time

import pytest

from app.mail import Mail, send_mail, send_mails
from app.social import mailout, notifications
from app.social import service as social
from tests.factories import make_micropost, make_user
from tests.mailbox import SmtpServer, free_port


@pytest.fixture(scope="module")
def certificate(tmp_path_factory) -> tuple[str, str]:
    """A self-signed certificate for 127.0.0.1: what an attacker in the middle would show."""
    folder = tmp_path_factory.mktemp("tls")
    cert, key = str(folder / "cert.pem"), str(folder / "key.pem")
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"),
            *("-keyout", key, "-out", cert),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


def server_context(certificate) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*certificate)
    return context


def test_starttls_refuses_a_certificate_it_cannot_verify(app, certificate):
    with SmtpServer(tls_context=server_context(certificate), require_starttls=True) as smtp:
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp.port, MAIL_USE_TLS=True)
        assert send_mail("a@example.org", "Hallo", "Text") is False
        assert smtp.messages == []
        app.config["MAIL_CA_FILE"] = certificate[0]
        assert send_mail("a@example.org", "Hallo", "Text") is True
        assert len(smtp.messages) == 1


def test_smtps_refuses_a_certificate_it_cannot_verify(app, certificate):
    with SmtpServer(ssl_context=server_context(certificate)) as smtp:
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp.port, MAIL_USE_SSL=True)
        assert send_mail("a@example.org", "Hallo", "Text") is False
        app.config["MAIL_CA_FILE"] = certificate[0]
        assert send_mail("a@example.org", "Hallo", "Text") is True
        assert len(smtp.messages) == 1


def test_messages_carry_date_and_message_id(app):
    app.config["MAIL_SENDER"] = "Kollegium <kollegium@rathaus.example>"
    with SmtpServer() as smtp:
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp.port)
        send_mails([Mail("a@example.org", "Eins", "1"), Mail("b@example.org", "Zwei", "2")])
    first, second = smtp.messages
    assert first["Date"] and first["Message-ID"].endswith("@rathaus.example>")
    assert first["Message-ID"] != second["Message-ID"]
    assert smtp.connections == 1


def test_notification_mails_wait_and_leave_together_over_one_connection(app, member):
    readers = [make_user(f"leser{number}") for number in range(3)]
    for reader in readers:
        notifications.set_deliveries(reader, {"like": "email"})
    posts = [make_micropost(reader, f"Beitrag {reader.username}") for reader in readers]
    # The mail server is down while colleagues like the posts: nothing is lost, nothing breaks.
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port())
    for post in posts:
        social.like(member, f"micropost:{post.id}")
    assert all(
        n.emailed_at is None for r in readers for n in notifications.notifications_for(r).items
    )
    with SmtpServer() as smtp:
        app.config["MAIL_PORT"] = smtp.port
        assert mailout.drain() == 3
        assert mailout.drain() == 0  # sent once only
    assert sorted(m["To"] for m in smtp.messages) == sorted(r.email for r in readers)
    assert smtp.connections == 1


def test_a_silent_mail_server_does_not_slow_the_request(app, client, member):
    """The like answers at once; the mail leaves in the background."""
    reader = make_user("leser")
    notifications.set_deliveries(reader, {"like": "email"})
    post = make_micropost(reader, "Beitrag")
    with socket.socket() as silent:  # accepts connections, never says a word
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        app.config.update(
            MAIL_SERVER="127.0.0.1", MAIL_PORT=silent.getsockname()[1], MAIL_TIMEOUT=3
        )
        drain = app.extensions[mailout.EXTENSION_KEY] = mailout.MailDrain(app, background=True)
        started = time.monotonic()
        social.like(member, f"micropost:{post.id}")
        assert time.monotonic() - started < 1.5
        # Let the drain thread end: it lives while its app keeps the drain.
        thread = drain._thread
        del app.extensions[mailout.EXTENSION_KEY], drain
        gc.collect()
    thread.join(timeout=10)
    assert not thread.is_alive()
