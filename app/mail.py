"""Sending e-mail through the SMTP server of the settings (``KOLLEGIUM_MAIL_*``).

The server's certificate is verified (STARTTLS with ``MAIL_USE_TLS``, TLS from the first
byte with ``MAIL_USE_SSL``) against the system's CAs or ``MAIL_CA_FILE``: without a context,
smtplib accepts any certificate, and the mail password would go to whoever answers. Every
message carries ``Date`` and ``Message-ID``, which spam filters and mail clients expect.
A batch of messages shares one connection.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from collections.abc import Sequence
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr

from flask import current_app

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Mail:
    to: str
    subject: str
    text: str


def send_mail(to: str, subject: str, text: str) -> bool:
    """Send one plain-text message. Returns False (and logs) when the mail server fails, so
    that whatever caused the message still succeeds."""
    return send_mails([Mail(to, subject, text)])[0]


def send_mails(mails: Sequence[Mail]) -> list[bool]:
    """Send ``mails`` over one connection; for each, whether the server took it. Never
    raises for a mail server's failure (it is logged)."""
    config = current_app.config
    sent = [False] * len(mails)
    if not config["MAIL_SERVER"] or not mails:
        return sent
    try:
        with _connect(config) as smtp:
            for number, mail in enumerate(mails):
                try:
                    smtp.send_message(_compose(mail, config["MAIL_SENDER"]))
                except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError) as err:
                    log.warning("the mail server refused mail to %s: %s", mail.to, err)
                else:
                    sent[number] = True
    except (smtplib.SMTPException, OSError) as err:
        log.warning("could not send %d mail(s): %s", len(mails) - sum(sent), err)
    return sent


def _connect(config) -> smtplib.SMTP:
    host, port, timeout = config["MAIL_SERVER"], config["MAIL_PORT"], config["MAIL_TIMEOUT"]
    if config["MAIL_USE_SSL"]:
        smtp: smtplib.SMTP = smtplib.SMTP_SSL(host, port, timeout=timeout, context=_tls(config))
    else:
        smtp = smtplib.SMTP(host, port, timeout=timeout)
    try:
        if config["MAIL_USE_TLS"]:
            smtp.starttls(context=_tls(config))
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
    except BaseException:
        smtp.close()
        raise
    return smtp


def _tls(config) -> ssl.SSLContext:
    """Verifies the certificate and the host name, as a browser would."""
    return ssl.create_default_context(cafile=config["MAIL_CA_FILE"] or None)


def _compose(mail: Mail, sender: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = mail.to
    message["Subject"] = mail.subject
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = make_msgid(domain=_domain_of(sender))
    message.set_content(mail.text)
    return message


def _domain_of(sender: str) -> str:
    address = parseaddr(sender)[1]
    try:
        return Address(addr_spec=address).domain or "localhost"
    except (ValueError, IndexError):
        return "localhost"
