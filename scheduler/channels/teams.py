"""Microsoft Teams incoming webhook (Workflows): an Adaptive Card that @mentions the member."""

from __future__ import annotations

from typing import Any

from scheduler.channels import Note
from scheduler.channels.webhook import post_json
from social.config import Config


def card(note: Note) -> dict[str, Any]:
    """The message envelope Teams webhooks accept, with one Adaptive Card."""
    body: list[dict[str, Any]] = [
        {"type": "TextBlock", "text": note.subject, "weight": "Bolder", "wrap": True},
        {"type": "TextBlock", "text": note.text, "wrap": True},
    ]
    content: dict[str, Any] = {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": "1.4",
        "body": body,
    }
    address = note.recipient.teams
    if address:
        mention = f"<at>{note.recipient.name}</at>"
        body.insert(0, {"type": "TextBlock", "text": mention, "wrap": True})
        content["msteams"] = {
            "entities": [
                {
                    "type": "mention",
                    "text": mention,
                    "mentioned": {"id": address, "name": note.recipient.name},
                }
            ]
        }
    return {
        "type": "message",
        "attachments": [
            {"contentType": "application/vnd.microsoft.card.adaptive", "content": content}
        ],
    }


class TeamsChannel:
    """Posts reminders to the chat or channel behind a Teams incoming webhook."""

    def __init__(self, url: str, config: Config) -> None:
        self.url = url
        self.timeout = float(config.get("sync", "timeout_seconds"))

    def send(self, note: Note) -> None:
        post_json("teams", self.url, card(note), timeout=self.timeout)
