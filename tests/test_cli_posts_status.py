"""`social posts` and `social status` on a real database file."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

from click.testing import CliRunner

from core.domain import Account, MetricValue, Page, Post, Snapshot
from db import open_db, writes
from social.cli import cli


def _seed(folder: Path) -> None:
    db = open_db(folder / "social.db")
    account = writes.upsert_account(db, Account("tiktok", "organic", "open-1", "STEM"))
    writes.save_page(
        db,
        account,
        Page(
            posts=[
                Post(
                    "tiktok",
                    "v1",
                    datetime(2026, 11, 15, 22, 30, tzinfo=UTC),
                    caption="Eksamenstips <b>#eksamen</b>",
                ),
                Post("tiktok", "v2", datetime(2026, 11, 1, 12, 0, tzinfo=UTC), caption="Studieliv"),
            ],
            snapshots=[
                Snapshot(
                    "v1",
                    datetime(2026, 11, 20, tzinfo=UTC),
                    {"view_count": 15230, "like_count": 812},
                ),
                Snapshot("v2", datetime(2026, 11, 20, tzinfo=UTC), {"view_count": 1500}),
            ],
            values=[
                MetricValue(
                    "follower_count", 1500, date(2026, 11, 20), date(2026, 11, 20), "day", "total"
                )
            ],
        ),
        source="api",
    )
    run = writes.start_sync_run(db, "tiktok")
    writes.finish_sync_run(db, run, outcome="ok", new_posts=2, updated_values=3, requests=4)


def test_posts_lists_latest_metrics_newest_first_in_local_time(
    workspace_dir: Path, runner: CliRunner
) -> None:
    _seed(workspace_dir)
    result = runner.invoke(cli, ["posts", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [r["id"] for r in rows] == ["v1", "v2"]
    assert rows[0]["published"] == "2026-11-15 23:30"  # Europe/Oslo
    assert (rows[0]["views"], rows[0]["likes"]) == (15230, 812)


def test_posts_filters_by_since_and_writes_csv(workspace_dir: Path, runner: CliRunner) -> None:
    _seed(workspace_dir)
    result = runner.invoke(cli, ["posts", "--since", "2026-11-10", "--format", "csv"])
    assert result.exit_code == 0
    lines = result.output.strip().splitlines()
    assert lines[0] == "platform,published,id,views,likes,comments,shares,caption"
    assert len(lines) == 2 and ",v1," in lines[1]


def test_a_wrong_date_is_one_clear_line(workspace_dir: Path, runner: CliRunner) -> None:
    result = runner.invoke(cli, ["posts", "--since", "2026-13-01"])
    assert result.exit_code == 2
    assert "'2026-13-01' is not a date; write it as YYYY-MM-DD" in result.output


def test_status_shows_accounts_last_sync_and_tokens(
    workspace_dir: Path, runner: CliRunner, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("SOCIAL_TIKTOK_ACCESS_TOKEN", raising=False)
    _seed(workspace_dir)
    result = runner.invoke(cli, ["status", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["accounts"][0]["posts"] == 2
    assert data["syncs"][0]["outcome"] == "ok" and data["syncs"][0]["requests"] == 4
    assert data["database_bytes"] > 0
    text = runner.invoke(cli, ["status"]).output
    assert "tiktok" in text and "not connected; run 'social auth tiktok'" in text


def test_status_counts_reminders_and_points_at_failed_ones(
    workspace_dir: Path, runner: CliRunner
) -> None:
    db = open_db(workspace_dir / "social.db")
    for i, status in enumerate(["sent", "sent", "failed"]):
        db.execute(
            """INSERT INTO reminder_ledger (subject, rule, channel, due_at, status)
               VALUES (?, 'before:24h', 'email', '2026-11-30T15:00:00Z', ?)""",
            [f"slot:{i}", status],
        )
    db.conn.close()
    assert json.loads(runner.invoke(cli, ["status", "--format", "json"]).output)["reminders"] == {
        "sent": 2,
        "failed": 1,
    }
    text = runner.invoke(cli, ["status"]).output
    assert "Reminders: 2 sent, 1 failed" in text
    assert "social scheduler ledger --status failed" in text
