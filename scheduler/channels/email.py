"""E-mail over SMTP (STARTTLS, TLS or plain), the password from SOCIAL_SMTP_PASSWORD."""

from __future__ import annotations

import os
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from core.config import Config
from core.errors import ConfigError
from scheduler.channels import DeliveryError, Note


def send_email(config: Config, *, message: EmailMessage) -> None:
    """Send a ready-made message with the [email] settings (reports use this too)."""
    host = str(config.get("email", "host"))
    if not host:
        raise ConfigError("e-mail is off; set [email] host (and sender) in social.toml")
    port = int(config.get("email", "port"))
    security = str(config.get("email", "security"))
    username = str(config.get("email", "username"))
    password = os.environ.get("SOCIAL_SMTP_PASSWORD", "")
    timeout = float(config.get("sync", "timeout_seconds"))
    try:
        if security == "tls":
            server: smtplib.SMTP = smtplib.SMTP_SSL(
                host, port, timeout=timeout, context=ssl.create_default_context()
            )
        else:
            server = smtplib.SMTP(host, port, timeout=timeout)
        with server:
            if security == "starttls":
                server.starttls(context=ssl.create_default_context())
            # The user name alone may just name the sender; log in only with a password.
            if username and password:
                server.login(username, password)
            server.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        # Names the server and the error, never the password.
        raise DeliveryError(
            f"could not send e-mail through {host}:{port} ({type(exc).__name__}: {exc}); "
            "check [email] in social.toml and SOCIAL_SMTP_PASSWORD"
        ) from None


def sender(config: Config) -> str:
    """The From address: [email] sender, else the SMTP user name."""
    value = str(config.get("email", "sender")) or str(config.get("email", "username"))
    if not value:
        raise ConfigError("no sender address; set [email] sender in social.toml")
    return value


class EmailChannel:
    """Reminders as plain-text e-mails."""

    def __init__(self, config: Config) -> None:
        self.config = config

    def send(self, note: Note) -> None:
        if not note.recipient.email:
            raise DeliveryError(f"{note.recipient.name} has no e-mail address")
        message = EmailMessage()
        message["Subject"] = note.subject
        message["From"] = sender(self.config)
        message["To"] = note.recipient.email
        message["Date"] = formatdate(localtime=False)
        message["Message-ID"] = make_msgid(domain="social.reminder")
        message.set_content(note.text)
        send_email(self.config, message=message)
