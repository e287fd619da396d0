"""A privacy deletion reaches every file the tool wrote and confirms the database file is clean.

Finding from outside testing (issue 14): privacy delete left the person in calendar.ics, feed
files, reports, briefs and CSV exports, and, while another connection held a read
transaction, in the database file until a later checkpoint, while saying it was done.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from db import open_db
from db.files import record_written, written_files
from social.cli import cli
from social.privacy_files import variants

NAME = "Kari Nordmann"
EMAIL = "kari.nordmann@example.no"


def run(runner: CliRunner, *args: str) -> Result:
    return runner.invoke(cli, list(args))


def ok(runner: CliRunner, *args: str) -> Result:
    result = run(runner, *args)
    assert result.exit_code == 0, result.output
    return result


def unfolded(path: Path) -> str:
    """The text of a file, with iCalendar line folding and escaping undone."""
    text = path.read_bytes().decode("utf-8", errors="replace")
    return re.sub(r"\r?\n[ \t]", "", text).replace("\\,", ",").replace("\\;", ";")


@pytest.fixture
def ws(workspace_dir: Path, runner: CliRunner) -> Path:
    ok(runner, "team", "add", NAME, "--email", EMAIL)
    ok(runner, "team", "add", "Per Hansen", "--email", "per@example.no")
    ok(runner, "partner", "add", "Equinor", "--tier", "large", "--contact-name", NAME)
    # A long title, so the name is folded across two lines in the iCalendar files.
    ok(
        runner, "calendar", "add", "--at", "2026-12-09 16:00", "--platform", "tiktok",
        "--title", "Planleggingsmøte om eksamensvideoene sammen med " + NAME,
        "--owner", NAME, "--owner", "Per Hansen", "--notes", f"Spør {NAME} ({EMAIL})",
    )  # fmt: skip
    ok(runner, "calendar", "ics", "--out", "calendar.ics")
    ok(runner, "calendar", "ics", "--owner", NAME, "--out", "kari-nordmann.ics")
    ok(runner, "calendar", "feeds", "--out", "feeds")
    ok(runner, "calendar", "export", "plan.csv")
    ok(
        runner, "brief", "new", "--partner", "Equinor", "--template", "tiktok_partner_nb",
        "--deadline", "2026-12-20", "--var", f"role_model={NAME}", "--out", "brief.md",
    )  # fmt: skip
    ok(
        runner, "brief", "new", "--partner", "Equinor", "--template", "tiktok_partner_en",
        "--deadline", "2026-12-20", "--var", f"role_model={NAME}", "--format", "html",
        "--out", "brief.html",
    )  # fmt: skip
    ok(runner, "backup")
    pdf = workspace_dir / "reports" / "weekly.pdf"
    pdf.parent.mkdir()
    pdf.write_bytes(b"%PDF-1.7\n" + NAME.encode() + b"\n%%EOF\n")
    db = open_db(workspace_dir / "social.db")
    record_written(db, pdf, "report")
    db.close()
    return workspace_dir


def test_delete_rewrites_or_removes_every_written_file_and_reports_the_rest(
    ws: Path, runner: CliRunner
) -> None:
    feeds = sorted((ws / "feeds").glob("*.ics"))
    assert len(feeds) == 2
    db = open_db(ws / "social.db")
    (token,) = db.execute("SELECT feed_token FROM team_members WHERE name = ?", [NAME]).fetchone()
    db.close()
    kari_feed = ws / "feeds" / f"{token}.ics"
    assert kari_feed in feeds
    for path in (ws / "calendar.ics", ws / "plan.csv", ws / "brief.md", ws / "brief.html"):
        assert NAME in unfolded(path) or "Kari" in unfolded(path), path

    result = ok(runner, "privacy", "delete", NAME, "--yes")
    lines = result.output.strip().splitlines()
    assert lines[0].startswith(f"Deleted {NAME}: team member, contact at partner Equinor")
    files_line = lines[1]
    assert files_line.startswith("Files: rewrote ")
    for name in ("calendar.ics", "plan.csv", "brief.md", "brief.html", "backups/social-"):
        assert name in files_line
    assert "kari-nordmann.ics: its name holds the person's name" in files_line
    assert f"feeds/{kari_feed.name}: the person's own feed" in files_line
    assert "COULD NOT REACH 1 (reports/weekly.pdf: a PDF file cannot be checked" in files_line
    assert lines[2] == "Database file: checked, none of the deleted details is left in it."

    assert not (ws / "kari-nordmann.ics").exists() and not kari_feed.exists()
    remaining = [ws / "calendar.ics", ws / "plan.csv", ws / "brief.md", ws / "brief.html"]
    remaining += list((ws / "feeds").glob("*.ics"))
    assert len(remaining) == 5
    for path in remaining:
        text = unfolded(path)
        assert "Nordmann" not in text and "kari" not in text.lower(), path
    assert "[deleted]" in unfolded(ws / "calendar.ics")
    assert "Per Hansen" in unfolded(ws / "calendar.ics")  # other people stay
    (backup,) = (ws / "backups").glob("social-*.db")
    data = backup.read_bytes()
    assert b"Nordmann" not in data and EMAIL.encode() not in data
    conn = sqlite3.connect(backup)
    assert conn.execute("SELECT name FROM team_members").fetchall() == [("Per Hansen",)]
    conn.close()
    for path in (ws / "social.db", ws / "social.db-wal"):
        if path.exists():
            assert b"Nordmann" not in path.read_bytes()
    db = open_db(ws / "social.db")
    kinds = {w.path.name: w.kind for w in written_files(db)}
    assert "kari-nordmann.ics" not in kinds and kari_feed.name not in kinds


def _reader(db_file: Path) -> sqlite3.Connection:
    """Another program in the middle of a read (an open read transaction)."""
    conn = sqlite3.connect(db_file, isolation_level=None, check_same_thread=False)
    conn.execute("BEGIN")
    conn.execute("SELECT COUNT(*) FROM team_members").fetchone()
    return conn


def test_a_reader_holding_the_database_is_reported_and_checkpoint_finishes_the_job(
    ws: Path, runner: CliRunner
) -> None:
    db_file = ws / "social.db"
    reader = _reader(db_file)
    result = ok(runner, "privacy", "delete", NAME, "--yes", "--wait", "0.3")
    last = result.output.strip().splitlines()[-1]
    assert last.startswith("Database file: NOT CONFIRMED. Another program")
    assert "run 'social privacy checkpoint'" in last
    stale = db_file.read_bytes() + (ws / "social.db-wal").read_bytes()
    assert b"Nordmann" in stale  # what the message warns about is real
    busy = run(runner, "privacy", "checkpoint", "--wait", "0.3")
    assert busy.exit_code == 1 and "still reading the database" in busy.output
    reader.close()
    done = ok(runner, "privacy", "checkpoint")
    assert "write-ahead log is empty" in done.output
    assert b"Nordmann" not in db_file.read_bytes()
    wal = ws / "social.db-wal"
    assert not wal.exists() or wal.stat().st_size == 0


def test_delete_waits_for_a_reader_that_finishes(ws: Path, runner: CliRunner) -> None:
    reader = _reader(ws / "social.db")
    threading.Timer(0.5, reader.close).start()
    result = ok(runner, "privacy", "delete", NAME, "--yes", "--wait", "20")
    assert result.output.strip().splitlines()[-1] == (
        "Database file: checked, none of the deleted details is left in it."
    )
    assert b"Nordmann" not in (ws / "social.db").read_bytes()


def test_a_name_is_found_in_every_escaped_form() -> None:
    forms = variants("Åse O'Neil, Jr.")
    assert "Åse O&#x27;Neil, Jr." in forms and "Åse O&#39;Neil, Jr." in forms
    assert "\\u00c5se O'Neil, Jr." in forms  # JSON with ensure_ascii
    assert "Åse O'Neil\\, Jr." in forms  # iCalendar text
    assert "Åse O'Neil, Jr\\." in forms  # Markdown-escaped
