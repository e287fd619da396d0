"""Slack incoming webhook: a message that mentions the member (<@U…>) so they are notified."""

from __future__ import annotations

from scheduler.channels import Note
from scheduler.channels.webhook import post_json
from social.config import Config


class SlackChannel:
    """Posts reminders to the channel behind a Slack incoming webhook."""

    def __init__(self, url: str, config: Config) -> None:
        self.url = url
        self.timeout = float(config.get("sync", "timeout_seconds"))

    def send(self, note: Note) -> None:
        member = note.recipient.slack_member
        who = f"<@{member}> " if member else ""
        post_json(
            "slack",
            self.url,
            {"text": f"{who}*{note.subject}*\n{note.text}", "mrkdwn": True},
            timeout=self.timeout,
        )
