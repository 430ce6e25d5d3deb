"""A real SMTP server on a free loopback port (aiosmtpd) that keeps what it receives."""

from __future__ import annotations

import socket
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller


class Mailbox:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        # The client's address and port of each message: one per connection.
        self.peers: list[tuple] = []

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd calls it by this name
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        self.peers.append(session.peer)
        return "250 Message accepted"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SmtpServer:
    """Start with ``with SmtpServer() as server:``; ``server.port``, ``server.messages``."""

    def __init__(self, **tls) -> None:
        """``tls``: aiosmtpd's ``tls_context``/``require_starttls`` for STARTTLS, or
        ``ssl_context`` for TLS from the first byte."""
        self.mailbox = Mailbox()
        self.port = free_port()
        self.controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port, **tls)

    @property
    def messages(self) -> list[EmailMessage]:
        return self.mailbox.messages

    @property
    def connections(self) -> int:
        return len(set(self.mailbox.peers))

    def __enter__(self) -> SmtpServer:
        self.controller.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.controller.stop()
