"""Slot titles, notes and names reach Slack and Teams as text, never as mentions or links.

Finding from outside testing (issue 14): `<!channel>`, `<https://evil|klikk her>` and `& < >`
in slot titles and notes went straight into the message.
"""

from __future__ import annotations

import json
from datetime import UTC
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from scheduler.calendar import SlotFields, update_slot
from scheduler.channels import Note, Recipient
from scheduler.channels.slack import message
from scheduler.channels.teams import card
from scheduler.tick import send_reminders
from tests.delivery_support import Webhook
from tests.reminders_support import oslo, slot, team, write_config

TITLE = "<!channel> Eksamen & <https://evil.example|klikk her> <@U999EVIL1>"
NOTES = "[klikk her](https://evil.example) **viktig** <at>Kari</at> & > <!here>"


def _texts(node: Any, kind: str) -> list[str]:
    """Every 'text' of elements of this type anywhere in an Adaptive Card."""
    found = []
    if isinstance(node, dict):
        if node.get("type") == kind and "text" in node:
            found.append(node["text"])
        for value in node.values():
            found += _texts(value, kind)
    elif isinstance(node, list):
        for value in node:
            found += _texts(value, kind)
    return found


def test_slack_escapes_control_characters_as_slack_documents() -> None:
    note = Note(Recipient("Sander", slack_member="U0123ABCDE"), TITLE, NOTES)
    text = str(message(note)["text"])
    assert text.startswith("<@U0123ABCDE> *")  # our own mention stays a mention
    assert text.count("<") == 1 and text.count(">") == 1
    assert "&lt;!channel&gt;" in text and "&lt;!here&gt;" in text
    assert "&lt;https://evil.example|klikk her&gt;" in text
    assert "&lt;@U999EVIL1&gt;" in text
    assert "Eksamen &amp; " in text and " &amp; &gt; " in text


def test_teams_puts_untrusted_text_only_in_plain_text_runs() -> None:
    note = Note(Recipient("Kari [x](https://e)", teams="kari@org.no"), TITLE, NOTES + "\n\nEnd")
    payload = card(note)
    content = payload["attachments"][0]["content"]
    (mention,) = _texts(content, "TextBlock")
    assert mention == "<at>Kari x https://e</at>"
    assert content["msteams"]["entities"][0]["text"] == mention
    runs = _texts(content, "TextRun")
    assert runs == [TITLE, NOTES, "End"]  # shown exactly as typed, as plain text
    assert all(b["type"] in ("TextBlock", "RichTextBlock") for b in content["body"])
    assert content["body"][-1]["spacing"] == "Medium"  # the blank line is kept as space


def test_a_reminder_with_hostile_title_and_notes_is_delivered_inert(
    tmp_path: Path, fresh_db: Database
) -> None:
    team(fresh_db)
    sid = slot(fresh_db, "2026-12-01 16:00", "Sander", title="x")
    update_slot(fresh_db, sid, SlotFields(title=TITLE, notes=NOTES))
    other = slot(fresh_db, "2026-12-01 16:00", "Amina", title="y")
    update_slot(fresh_db, other, SlotFields(title=TITLE, notes=NOTES))
    with Webhook() as hook:
        config = write_config(
            tmp_path,
            extra=f'slack_webhook = "{hook.url}/slack"\nteams_webhook = "{hook.url}/teams"\n',
        )
        outcome = send_reminders(fresh_db, config, now=oslo("2026-11-30 16:00").astimezone(UTC))
    assert outcome.sent == 2, outcome.lines
    posts = dict(hook.posts)
    slack = posts["/slack"]["text"]
    assert "<!channel>" not in slack and "<https://evil" not in slack and "<!here>" not in slack
    teams = posts["/teams"]["attachments"][0]["content"]
    assert not any("evil" in text for text in _texts(teams, "TextBlock"))
    assert any(TITLE in text for text in _texts(teams, "TextRun"))
    assert "[klikk her](https://evil.example)" in json.dumps(teams, ensure_ascii=False)
