"""The weekly report by e-mail through a real SMTP server (aiosmtpd)."""

from __future__ import annotations

import email
from email.message import EmailMessage
from email.policy import default
from pathlib import Path

import pytest
import time_machine
from click.testing import CliRunner
from sqlite_utils import Database

from core.config import Config
from core.errors import ConfigError
from db import open_db
from social.cli import cli
from social.reports.weekly import send_weekly
from tests.delivery_support import Sink
from tests.reports_support import CAMPAIGN_NOW, NOW, campaign_scenario, weekly_scenario


def mail_config(tmp_path: Path, port: int, recipients: list[str]) -> Config:
    return Config(
        path=tmp_path / "social.toml",
        values={
            "email": {
                "host": "127.0.0.1",
                "port": port,
                "security": "none",
                "sender": "rapport@example.no",
            },
            "reports": {"recipients": recipients},
        },
    )


@time_machine.travel(NOW, tick=False)
def test_send_weekly_mails_html_with_inline_charts_and_text(
    fresh_db: Database, tmp_path: Path, smtp: tuple[Sink, int]
) -> None:
    sink, port = smtp
    weekly_scenario(fresh_db)
    path = send_weekly(
        mail_config(tmp_path, port, ["leder@example.no", "team@example.no"]), fresh_db
    )
    assert path == tmp_path / "reports" / "weekly-2025-w48.nb.html"
    assert "<svg" in path.read_text(encoding="utf-8")
    assert len(sink.envelopes) == 1
    envelope = sink.envelopes[0]
    assert envelope.rcpt_tos == ["leder@example.no", "team@example.no"]
    message = email.message_from_bytes(envelope.content, policy=default)
    assert isinstance(message, EmailMessage)
    assert message["Subject"] == "Ukerapport uke 48: 24. nov. 2025 – 30. nov. 2025"
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert text is not None and html is not None
    assert "# Ukerapport uke 48" in text.get_content()
    body = html.get_content()
    # Charts are PNG parts referenced by cid:, not inline SVG (mail programs drop SVG).
    images = {
        part["Content-ID"].strip("<>"): part
        for part in message.walk()
        if part.get_content_type() == "image/png"
    }
    assert set(images) == {"views.weekly@social.report", "adherence.weekly@social.report"}
    for cid, part in images.items():
        assert f'src="cid:{cid}"' in body
        assert part.get_content().startswith(b"\x89PNG")
    assert "<svg" not in body
    # The caption with a script is text in the mail too.
    assert "&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;" in body
    assert fresh_db.execute("SELECT COUNT(*) FROM generated_reports").fetchone()[0] == 1


def test_send_weekly_needs_recipients(fresh_db: Database, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"set \[reports\] recipients"):
        send_weekly(mail_config(tmp_path, 25, []), fresh_db)


@time_machine.travel(CAMPAIGN_NOW, tick=False)
def test_cli_send_campaign_report(workspace_dir: Path, smtp: tuple[Sink, int]) -> None:
    sink, port = smtp
    db = open_db(workspace_dir / "social.db")
    campaign_scenario(db)
    db.conn.close()
    (workspace_dir / "social.toml").write_text(
        f"""[email]
host = "127.0.0.1"
port = {port}
security = "none"
sender = "rapport@example.no"

[reports]
recipients = ["leder@example.no"]
""",
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        cli, ["report", "campaign", "Rollemodell 2025", "--lang", "en", "--out", "c.html", "--send"]
    )
    assert result.exit_code == 0, result.output
    assert "Sent to 1 recipient(s)" in result.stderr
    message = email.message_from_bytes(sink.envelopes[0].content, policy=default)
    assert message["Subject"] == "Campaign report: Rollemodell 2025"
    parts = [p.get_content_type() for p in message.walk()]
    assert parts.count("image/png") == 3  # one cumulative chart per additive target
    assert "text/plain" in parts and "text/html" in parts
