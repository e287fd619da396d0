"""Where reminders go: e-mail, a Slack or Teams incoming webhook, or the console.

Every channel takes a `Note` (who, subject, text) and either delivers it or
raises `DeliveryError`; the ledger decides whether and when to try again.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from core.config import Config
from core.errors import SocialError

CHANNELS = ("email", "slack", "teams", "console")


class DeliveryError(SocialError):
    """A reminder could not be delivered; the text never contains a secret.

    `retry_after` (seconds) is the receiver's own wish (HTTP Retry-After); a
    `permanent` error (a webhook that is gone, a payload refused) is not retried.
    """

    def __init__(
        self, message: str, *, retry_after: float | None = None, permanent: bool = False
    ) -> None:
        super().__init__(message)
        self.retry_after = retry_after
        self.permanent = permanent


@dataclass(frozen=True)
class Recipient:
    """The person a reminder is for, with the addresses the channels need."""

    name: str
    email: str | None = None
    slack_member: str | None = None
    teams: str | None = None


@dataclass(frozen=True)
class Note:
    """One reminder ready to deliver: a subject line and a plain-text body."""

    recipient: Recipient
    subject: str
    text: str


class Channel(Protocol):
    """Something that delivers a Note or raises DeliveryError."""

    def send(self, note: Note) -> None: ...


def webhook_url(config: Config, channel: str) -> str:
    """The Slack or Teams webhook: SOCIAL_<CHANNEL>_WEBHOOK, else [reminders] <channel>_webhook."""
    from core.redact import remember

    return remember(
        os.environ.get(f"SOCIAL_{channel.upper()}_WEBHOOK", "")
        or str(config.get("reminders", f"{channel}_webhook"))
    )


def available(config: Config) -> set[str]:
    """Channels that are configured (the console always is)."""
    out = {"console"}
    if config.get("email", "host"):
        out.add("email")
    for name in ("slack", "teams"):
        if webhook_url(config, name):
            out.add(name)
    return out


def choose(config: Config, recipient: Recipient) -> str:
    """The first channel in [reminders] channels that is configured and reaches the person."""
    reaches = {
        "email": bool(recipient.email),
        "slack": bool(recipient.slack_member),
        "teams": bool(recipient.teams),
        "console": True,
    }
    ready = available(config)
    for name in [str(c) for c in config.get("reminders", "channels")]:
        if name in ready and reaches.get(name):
            return name
    return "console"


def build(config: Config, name: str, *, echo: Callable[[str], None] | None = None) -> Channel:
    """The channel object for a name in CHANNELS."""
    if name == "email":
        from scheduler.channels.email import EmailChannel

        return EmailChannel(config)
    if name == "slack":
        from scheduler.channels.slack import SlackChannel

        return SlackChannel(webhook_url(config, "slack"), config)
    if name == "teams":
        from scheduler.channels.teams import TeamsChannel

        return TeamsChannel(webhook_url(config, "teams"), config)
    from scheduler.channels.console import ConsoleChannel

    return ConsoleChannel(echo)
