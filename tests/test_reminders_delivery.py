"""Reminders delivered for real: an SMTP server, Slack and Teams webhooks, retries, once only."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC
from pathlib import Path

import pytest
import time_machine
from click.testing import CliRunner
from sqlite_utils import Database

from db import open_db
from scheduler import ledger
from scheduler.tick import send_reminders
from social.cli import cli
from tests.delivery_support import Sink, Webhook, free_port
from tests.reminders_support import oslo, slot, team, write_config


def _tick(runner: CliRunner, folder: Path, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(cli, ["--config", str(folder / "social.toml"), "tick", *args])


def test_the_24_hour_reminder_arrives_by_email_once(
    tmp_path: Path, fresh_db: Database, smtp: tuple[Sink, int], runner: CliRunner
) -> None:
    sink, port = smtp
    write_config(tmp_path, port)
    team(fresh_db)
    slot(fresh_db, "2026-12-01 16:00", "Ingrid", notes="Husk stativ")
    with time_machine.travel(oslo("2026-11-30 16:05"), tick=False):
        first = _tick(runner, tmp_path)
        again = _tick(runner, tmp_path)
    assert first.exit_code == 0, first.output
    assert "sent before:24h slot:" in first.output and "1 sent, 0 failed" in first.output
    assert "0 sent, 0 failed" in again.output
    (message,) = sink.messages()
    assert message["To"] == "ingrid@example.no" and message["From"] == "kalender@example.no"
    assert message["Subject"] == "Påminnelse: «Eksamenstips» om 24 timer"
    body = message.get_content()
    assert "planlagt 1. des. 2026 kl. 16:00" in body and "Husk stativ" in body


def test_slack_and_teams_get_their_payloads_with_a_mention(
    tmp_path: Path, fresh_db: Database
) -> None:
    team(fresh_db)
    slot(fresh_db, "2026-12-01 16:00", "Sander")
    slot(fresh_db, "2026-12-01 16:00", "Amina", title="Lab day")
    with Webhook() as hook:
        config = write_config(
            tmp_path,
            extra=f'slack_webhook = "{hook.url}/slack"\nteams_webhook = "{hook.url}/teams"\n',
        )
        outcome = send_reminders(fresh_db, config, now=oslo("2026-11-30 16:00").astimezone(UTC))
    assert outcome.sent == 2 and outcome.failed == 0
    posts = dict(hook.posts)
    assert posts["/slack"]["text"].startswith(
        "<@U0123ABCDE> *Påminnelse: «Eksamenstips» om 24 timer*"
    )
    card = posts["/teams"]["attachments"][0]
    assert card["contentType"] == "application/vnd.microsoft.card.adaptive"
    entity = card["content"]["msteams"]["entities"][0]
    assert entity["mentioned"] == {"id": "amina@uni.no", "name": "Amina"}
    subject = card["content"]["body"][1]
    assert subject["type"] == "RichTextBlock"  # plain text: no Markdown from titles
    assert subject["inlines"][0]["text"] == "Reminder: “Lab day” in 24 hours"


def test_a_rate_limited_webhook_is_retried_after_a_pause_and_delivered_once(
    tmp_path: Path, fresh_db: Database
) -> None:
    team(fresh_db)
    slot(fresh_db, "2026-12-01 16:00", "Sander")
    now = oslo("2026-11-30 16:00").astimezone(UTC)
    with Webhook() as hook:
        hook.statuses = [429]
        config = write_config(tmp_path, extra=f'slack_webhook = "{hook.url}/hook"\n')
        first = send_reminders(fresh_db, config, now=now)
        assert first.failed == 1 and "HTTP 429" in first.lines[0] and "will retry" in first.lines[0]
        assert hook.url not in first.lines[0]  # the webhook URL is a secret
        too_soon = send_reminders(fresh_db, config, now=now.replace(second=30))
        later = send_reminders(fresh_db, config, now=now.replace(minute=2))
        again = send_reminders(fresh_db, config, now=now.replace(minute=10))
    assert (too_soon.sent, later.sent, again.sent) == (0, 1, 0)
    assert len(hook.posts) == 2
    (row,) = ledger.rows(fresh_db)
    assert (row["status"], row["attempts"], row["last_error"]) == ("sent", 2, None)


def test_an_unreachable_smtp_server_is_recorded_retried_and_given_up_without_the_password(
    tmp_path: Path, fresh_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOCIAL_SMTP_PASSWORD", "hunter2-secret")
    team(fresh_db)
    slot(fresh_db, "2026-12-01 16:00", "Ingrid")
    config = write_config(tmp_path, free_port(), extra="max_attempts = 2\n")
    now = oslo("2026-11-30 16:00").astimezone(UTC)
    first = send_reminders(fresh_db, config, now=now)
    second = send_reminders(fresh_db, config, now=now.replace(minute=5))
    third = send_reminders(fresh_db, config, now=now.replace(hour=now.hour + 3))
    assert (first.failed, second.failed, third.failed) == (1, 1, 0)
    assert "will retry" in first.lines[0] and "gave up" in second.lines[0]
    (row,) = ledger.rows(fresh_db)
    assert row["status"] == "failed" and row["attempts"] == 2
    assert "127.0.0.1" in row["last_error"] and "hunter2" not in row["last_error"]


def test_tick_exits_non_zero_when_a_delivery_failed(
    tmp_path: Path, fresh_db: Database, runner: CliRunner
) -> None:
    write_config(tmp_path, free_port())
    team(fresh_db)
    slot(fresh_db, "2026-12-01 16:00", "Ingrid")
    result = _tick(runner, tmp_path, "--now", "2026-11-30 16:00")
    assert result.exit_code == 1 and "failed before:24h" in result.output
    assert "Traceback" not in result.output


def test_dry_run_shows_what_is_due_and_records_nothing(
    tmp_path: Path, fresh_db: Database, runner: CliRunner
) -> None:
    write_config(tmp_path)
    team(fresh_db)
    slot(fresh_db, "2026-12-01 16:00", "Sander")
    result = _tick(runner, tmp_path, "--dry-run", "--now", "2026-12-01 14:30")
    assert result.exit_code == 0, result.output
    assert "would send before:2h" in result.output
    assert "would skip (a nearer one is due) before:24h" in result.output
    assert fresh_db.execute("SELECT COUNT(*) FROM reminder_ledger").fetchone()[0] == 0


def test_two_scheduler_processes_on_one_database_send_each_reminder_once(
    tmp_path: Path, smtp: tuple[Sink, int]
) -> None:
    sink, port = smtp
    write_config(tmp_path, port)
    db = open_db(tmp_path / "social.db")
    team(db)
    for i in range(12):
        slot(db, f"2026-12-01 {8 + i}:00", "Ingrid" if i % 2 else "Kari", title=f"Video {i}")
    db.conn.close()
    command = [
        sys.executable,
        "-m",
        "social",
        "--config",
        str(tmp_path / "social.toml"),
        "tick",
        "--now",
        "2026-11-30 23:30",
    ]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    workers = [
        subprocess.Popen(
            command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    results = [w.communicate(timeout=60) for w in workers]
    assert all(w.returncode == 0 for w in workers), results
    subjects = [m["Subject"] for m in sink.messages()]
    assert len(subjects) == 12 and len(set(subjects)) == 12  # every slot once, none twice
    sent = sum(int(out.split(" sent,")[0].split()[-1]) for out, _ in results)
    assert sent == 12
    rows = (
        open_db(tmp_path / "social.db")
        .execute(
            "SELECT COUNT(*), COUNT(DISTINCT subject) FROM reminder_ledger WHERE status = 'sent'"
        )
        .fetchone()
    )
    assert rows == (12, 12)


def test_the_weekly_report_goes_out_once_on_monday_morning(
    tmp_path: Path, fresh_db: Database, smtp: tuple[Sink, int]
) -> None:
    from core.config import load_config
    from scheduler.tick import send_weekly_report
    from social.jobs import weekly_report
    from tests.reports_support import NOW, weekly_scenario

    sink, port = smtp
    weekly_scenario(fresh_db)
    write_config(tmp_path, port)
    path = tmp_path / "social.toml"
    path.write_text(path.read_text() + '\n[reports]\nrecipients = ["leder@example.no"]\n')
    config = load_config(path)
    with time_machine.travel(NOW, tick=False):  # Monday 08:00 in Oslo; the cron said 07:00
        first = send_weekly_report(fresh_db, config, weekly_report)
        second = send_weekly_report(fresh_db, config, weekly_report)
    assert first is not None and first.startswith("sent weekly report 2025-W48 to 1 recipient")
    assert second is None
    (message,) = sink.messages()
    assert message["Subject"].startswith("Ukerapport uke 48")
    with time_machine.travel("2025-12-05T07:00:00Z", tick=False):  # Friday: too late, no resend
        assert send_weekly_report(fresh_db, config, weekly_report) is None


def test_a_moved_slot_is_reminded_again_for_its_new_time(
    tmp_path: Path, fresh_db: Database, runner: CliRunner
) -> None:
    config = write_config(tmp_path)
    team(fresh_db)
    sid = slot(fresh_db, "2026-12-01 16:00", "Sander")
    before = send_reminders(fresh_db, config, now=oslo("2026-11-30 16:00").astimezone(UTC))
    result = runner.invoke(
        cli,
        [
            "--config",
            str(tmp_path / "social.toml"),
            "calendar",
            "move",
            str(sid),
            "--to",
            "2026-12-02 16:00",
        ],
    )
    assert result.exit_code == 0, result.output
    same_day = send_reminders(fresh_db, config, now=oslo("2026-11-30 17:00").astimezone(UTC))
    new_time = send_reminders(fresh_db, config, now=oslo("2026-12-01 16:00").astimezone(UTC))
    assert (before.sent, same_day.sent, new_time.sent) == (1, 0, 1)


def test_scheduler_status_lists_what_is_still_to_send(
    tmp_path: Path, fresh_db: Database, runner: CliRunner
) -> None:
    write_config(tmp_path)
    team(fresh_db)
    slot(fresh_db, "2026-12-01 16:00", "Sander")
    with time_machine.travel(oslo("2026-11-30 16:05"), tick=False):
        status = runner.invoke(
            cli, ["--config", str(tmp_path / "social.toml"), "scheduler", "status"]
        )
        assert "Due now, not yet sent: 1 reminder(s)" in status.output
        assert "due before:24h slot:" in status.output and "-> Sander (console)" in status.output
        assert _tick(runner, tmp_path, "--channel", "console").exit_code == 0
        status = runner.invoke(
            cli, ["--config", str(tmp_path / "social.toml"), "scheduler", "status"]
        )
    assert "Due now, not yet sent: 0 reminder(s); failed deliveries: 0" in status.output
