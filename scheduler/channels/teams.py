"""Microsoft Teams incoming webhook (Workflows): an Adaptive Card that @mentions the member.

An Adaptive Card `TextBlock` renders Markdown (`[text](url)` links, `**bold**`,
lists), and its escaping differs between Teams clients, so text from people or
the database (titles, notes, names) never goes into a TextBlock: it goes into
`RichTextBlock` `TextRun`s, which the schema defines as plain text ("Markdown is
not supported"). The only TextBlock holds the `<at>…</at>` mention Teams needs,
with the name stripped of Markdown and tag characters.
"""

from __future__ import annotations

import re
from typing import Any

from core.config import Config
from scheduler.channels import Note
from scheduler.channels.webhook import post_json

_MARKUP = re.compile(r"[<>\[\]()*_~`#\\|!{}]")


def mention_name(name: str) -> str:
    """A display name safe inside `<at>…</at>` in a Markdown TextBlock."""
    return " ".join(_MARKUP.sub(" ", name).split()) or "?"


def plain(text: str, *, bold: bool = False) -> list[dict[str, Any]]:
    """Plain-text paragraphs (one RichTextBlock per line; a blank line adds space)."""
    blocks: list[dict[str, Any]] = []
    gap = False
    for line in text.split("\n"):
        if not line.strip():
            gap = True
            continue
        run: dict[str, Any] = {"type": "TextRun", "text": line}
        if bold:
            run["weight"] = "Bolder"
        block: dict[str, Any] = {"type": "RichTextBlock", "inlines": [run]}
        block["spacing"] = "Medium" if gap else "None"
        blocks.append(block)
        gap = False
    return blocks


def card(note: Note) -> dict[str, Any]:
    """The message envelope Teams webhooks accept, with one Adaptive Card."""
    body: list[dict[str, Any]] = [*plain(note.subject, bold=True), *plain(note.text)]
    content: dict[str, Any] = {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": "1.4",
        "body": body,
    }
    address = note.recipient.teams
    if address:
        name = mention_name(note.recipient.name)
        mention = f"<at>{name}</at>"
        body.insert(0, {"type": "TextBlock", "text": mention, "wrap": True})
        content["msteams"] = {
            "entities": [
                {
                    "type": "mention",
                    "text": mention,
                    "mentioned": {"id": address, "name": name},
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
