"""Sending e-mail through the SMTP server of the settings (``KOLLEGIUM_MAIL_*``)."""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage

from flask import current_app

log = logging.getLogger(__name__)


def send_mail(to: str, subject: str, text: str) -> bool:
    """Send one plain-text message. Returns False (and logs) when the mail server fails, so
    that whatever caused the message still succeeds."""
    config = current_app.config
    if not config["MAIL_SERVER"]:
        return False
    message = EmailMessage()
    message["From"] = config["MAIL_SENDER"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(text)
    try:
        with smtplib.SMTP(
            config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT"]
        ) as smtp:
            if config["MAIL_USE_TLS"]:
                smtp.starttls()
            if config["MAIL_USERNAME"]:
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
            smtp.send_message(message)
    except (smtplib.SMTPException, OSError) as err:
        log.warning("could not send mail to %s: %s", to, err)
        return False
    return True
