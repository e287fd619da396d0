"""`--out x.pdf` / `--format pdf` write a real PDF of the HTML report; `--send --attach-pdf`
attaches one; `--send` that cannot send fails before anything is printed or written."""

from __future__ import annotations

import email
import io
from email.policy import default
from pathlib import Path

import pytest
import time_machine
from click.testing import CliRunner

from db import open_db
from social.cli import cli
from tests.delivery_support import Sink
from tests.reports_support import CAMPAIGN_NOW, NOW, campaign_scenario, weekly_scenario

CHROMIUM = Path("/usr/bin/chromium")


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


@pytest.fixture
def filled(workspace_dir: Path) -> Path:
    db = open_db(workspace_dir / "social.db")
    weekly_scenario(db)
    db.conn.close()
    return workspace_dir


@pytest.mark.chromium
@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed")
@time_machine.travel(NOW, tick=False)
def test_out_pdf_writes_a_real_pdf_of_the_html_report(filled: Path, runner: CliRunner) -> None:
    result = runner.invoke(cli, ["report", "weekly", "--out", "uke48.pdf"])
    assert result.exit_code == 0, result.output
    data = (filled / "uke48.pdf").read_bytes()
    assert data.startswith(b"%PDF-") and b"%%EOF" in data[-1024:]
    text = pdf_text(data)
    assert "Ukerapport uke 48" in text
    assert "# Ukerapport" not in text  # not Markdown printed into a .pdf
    assert "Visninger, totalt" in text
    assert result.stdout == ""  # nothing else printed


def test_pdf_without_a_file_name_is_refused_before_anything_runs(
    filled: Path, runner: CliRunner
) -> None:
    result = runner.invoke(cli, ["report", "weekly", "--week", "2025-W48", "--format", "pdf"])
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: a PDF is a file; give it a name with --out, e.g. --out report.pdf\n"
    )
    assert result.stdout == ""


def test_pdf_without_chromium_is_one_clear_line(
    filled: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOCIAL_CHROMIUM", "/nonexistent/chromium")
    result = runner.invoke(cli, ["report", "weekly", "--week", "2025-W48", "--out", "u.pdf"])
    assert result.exit_code == 1
    assert "SOCIAL_CHROMIUM=/nonexistent/chromium is not an executable" in result.stderr
    assert "Traceback" not in result.output
    assert not (filled / "u.pdf").exists()


@time_machine.travel(NOW, tick=False)
def test_send_without_recipients_fails_before_printing_anything(
    filled: Path, runner: CliRunner
) -> None:
    result = runner.invoke(cli, ["report", "weekly", "--send"])
    assert result.exit_code == 1
    assert result.stdout == ""  # the report is not printed first
    assert result.stderr == "Error: no recipients; set [reports] recipients in social.toml\n"
    db = open_db(filled / "social.db")
    assert db.execute("SELECT COUNT(*) FROM generated_reports").fetchone()[0] == 0
    result = runner.invoke(cli, ["report", "weekly", "--send", "--out", "uke.html"])
    assert result.exit_code == 1 and not (filled / "uke.html").exists()


@pytest.mark.chromium
@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed")
@time_machine.travel(CAMPAIGN_NOW, tick=False)
def test_send_attaches_the_pdf_when_asked(workspace_dir: Path, smtp: tuple[Sink, int]) -> None:
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
        cli,
        ["report", "campaign", "Rollemodell 2025", "--format", "json", "--send", "--attach-pdf"],
    )
    assert result.exit_code == 0, result.output
    message = email.message_from_bytes(sink.envelopes[0].content, policy=default)
    assert message.get_content_type() == "multipart/mixed"
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename() == "campaign-rollemodell-2025.nb.pdf"
    assert "Kampanjerapport: Rollemodell 2025" in pdf_text(attachment.get_content())
    assert message.get_body(("html",)) is not None and message.get_body(("plain",)) is not None
