"""Slack incoming webhook: a message that mentions the member (<@U…>) so they are notified.

Slack reads `&`, `<` and `>` as control characters in message text (`<!channel>`,
`<https://x|text>`, `<@U123>`), so every piece of text that comes from people or the
database (titles, notes, names) is escaped as Slack documents: `&amp;`, `&lt;`, `&gt;`.
Only the mention this module writes itself stays a control sequence.
"""

from __future__ import annotations

from core.config import Config
from scheduler.channels import Note
from scheduler.channels.webhook import post_json


def escape(text: str) -> str:
    """Text shown as written in a Slack message: no mentions, links or entities from it."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def message(note: Note) -> dict[str, object]:
    """The webhook payload: the mention, the subject in bold, the body."""
    member = note.recipient.slack_member
    # Member ids are validated (U/W and 8-12 letters or digits), so this is the only markup.
    who = f"<@{member}> " if member else ""
    return {"text": f"{who}*{escape(note.subject)}*\n{escape(note.text)}", "mrkdwn": True}


class SlackChannel:
    """Posts reminders to the channel behind a Slack incoming webhook."""

    def __init__(self, url: str, config: Config) -> None:
        self.url = url
        self.timeout = float(config.get("sync", "timeout_seconds"))

    def send(self, note: Note) -> None:
        post_json("slack", self.url, message(note), timeout=self.timeout)
