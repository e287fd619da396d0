"""`social calendar add/edit/move/done/link/list`: real CLI against a real SQLite file."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlite_utils import Database

from tests.calendar_support import (
    add_account,
    add_member,
    add_person,
    add_post,
    invoke,
    slot_row,
    workspace_db,
)


@pytest.fixture
def db(workspace_dir: Path) -> Database:
    db = workspace_db(workspace_dir)
    add_member(db, "Kari Nordmann")
    add_member(db, "Ola Hansen")
    add_person(db, "Siri Voksen", consent=True)
    add_person(db, "Elev (16 år)", under_18=True, consent=True, guardian=False)
    add_person(db, "Per Uten", consent=False)
    return db


def _add(runner: CliRunner, *extra: str) -> int:
    result = invoke(
        runner,
        "calendar", "add", "--at", "2026-12-01 16:00", "--platform", "tiktok",
        "--title", "3 tips før eksamen", *extra,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return int(result.stdout.split("Added slot ", 1)[1].split(" ", 1)[0])


def test_add_stores_utc_owners_tags_and_appearances(runner: CliRunner, db: Database) -> None:
    sid = _add(
        runner, "--owner", "kari nordmann", "--owner", "Ola Hansen", "--tag", "tips",
        "--tag", "T-matte", "--appears", "Siri Voksen", "--notes", "Ta med kalkulator",
    )  # fmt: skip
    row = slot_row(db, sid)
    assert row["planned_at"] == "2026-12-01T15:00:00Z"  # 16:00 in Oslo in winter
    assert json.loads(row["tags"]) == ["tips", "T-matte"]
    assert row["status"] == "planned" and row["sequence"] == 0
    owners = db.execute(
        "SELECT m.name FROM slot_owners o JOIN team_members m ON m.id = o.member_id "
        "WHERE slot_id = ? ORDER BY m.name",
        [sid],
    ).fetchall()
    assert [o[0] for o in owners] == ["Kari Nordmann", "Ola Hansen"]
    assert db.execute("SELECT COUNT(*) FROM slot_appearances").fetchone()[0] == 1


def test_add_accepts_iso_with_offset(runner: CliRunner, db: Database) -> None:
    result = invoke(
        runner, "calendar", "add", "--at", "2026-07-01T12:00:00+00:00", "--platform",
        "facebook", "--title", "Sommer",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert db.execute("SELECT planned_at FROM calendar_slots").fetchone()[0] == (
        "2026-07-01T12:00:00Z"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--owner", "Nobody"], "social team add"),
        (["--appears", "Ukjent"], "social team person add"),
        (["--campaign", "Nope"], "social campaign add"),
        (["--partner", "Nope"], "social partner add"),
    ],
)
def test_add_with_unknown_names_fails_cleanly_and_writes_nothing(
    runner: CliRunner, db: Database, args: list[str], message: str
) -> None:
    result = invoke(
        runner, "calendar", "add", "--at", "2026-12-01 16:00", "--platform", "tiktok",
        "--title", "x", "--owner", "Kari Nordmann", *args,
    )  # fmt: skip
    assert result.exit_code == 1
    assert message in result.output and "Traceback" not in result.output
    assert db.execute("SELECT COUNT(*) FROM calendar_slots").fetchone()[0] == 0
    assert db.execute("SELECT COUNT(*) FROM slot_owners").fetchone()[0] == 0


def test_add_rejects_a_time_skipped_by_summer_time(runner: CliRunner, db: Database) -> None:
    result = invoke(
        runner, "calendar", "add", "--at", "2026-03-29 02:30", "--platform", "tiktok",
        "--title", "x",
    )  # fmt: skip
    assert result.exit_code == 1 and "does not exist in Europe/Oslo" in result.output
    bad = invoke(
        runner, "calendar", "add", "--at", "tomorrow", "--platform", "tiktok", "--title", "x"
    )
    assert bad.exit_code == 1 and "YYYY-MM-DD HH:MM" in bad.output


def test_move_and_edit_bump_sequence_only_on_change(runner: CliRunner, db: Database) -> None:
    sid = _add(runner, "--owner", "Kari Nordmann")
    before = slot_row(db, sid)
    assert invoke(runner, "calendar", "move", str(sid), "--to", "2026-12-02 18:30").exit_code == 0
    moved = slot_row(db, sid)
    assert moved["planned_at"] == "2026-12-02T17:30:00Z"
    assert moved["sequence"] == before["sequence"] + 1
    # The same values again change nothing, so phones are not told to refresh.
    invoke(runner, "calendar", "edit", str(sid), "--title", "3 tips før eksamen")
    assert slot_row(db, sid)["sequence"] == moved["sequence"]
    uid = moved["uid"]
    result = invoke(
        runner, "calendar", "edit", uid, "--owner", "Ola Hansen", "--status", "in-production",
        "--tag", "studieliv",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    edited = slot_row(db, sid)
    assert edited["status"] == "in_production" and edited["sequence"] == moved["sequence"] + 1
    assert json.loads(edited["tags"]) == ["studieliv"]
    invoke(runner, "calendar", "edit", str(sid), "--clear", "tags", "--clear", "owners")
    cleared = slot_row(db, sid)
    assert cleared["tags"] == "[]"
    assert db.execute("SELECT COUNT(*) FROM slot_owners").fetchone()[0] == 0


def test_unknown_slot_is_a_clear_error(runner: CliRunner, db: Database) -> None:
    result = invoke(runner, "calendar", "move", "99", "--to", "2026-12-02 18:30")
    assert result.exit_code == 1 and "social calendar list" in result.output


def test_done_and_link_mark_published_and_link_by_hand(runner: CliRunner, db: Database) -> None:
    account = add_account(db)
    add_post(db, account, "tiktok", "7350000000000000001", "2026-12-01T15:10:00Z")
    first = _add(runner)
    second = _add(runner)
    assert invoke(runner, "calendar", "done", str(first)).exit_code == 0
    assert slot_row(db, first)["status"] == "published"
    assert slot_row(db, first)["post_id"] is None
    result = invoke(runner, "calendar", "link", str(second), "7350000000000000001")
    assert result.exit_code == 0, result.output
    row = slot_row(db, second)
    assert row["status"] == "published" and row["link_manual"] == 1 and row["post_id"]
    # A post belongs to one slot.
    again = invoke(runner, "calendar", "done", str(first), "--post", "7350000000000000001")
    assert again.exit_code == 1 and "already linked to slot" in again.output
    missing = invoke(runner, "calendar", "link", str(first), "123")
    assert missing.exit_code == 1 and "social sync" in missing.output


def test_list_filters_by_week_owner_and_status(runner: CliRunner, db: Database) -> None:
    _add(runner, "--owner", "Kari Nordmann")  # week 49
    invoke(
        runner, "calendar", "add", "--at", "2026-12-07 00:30", "--platform", "tiktok",
        "--title", "Neste uke", "--owner", "Ola Hansen", "--status", "idea",
    )  # fmt: skip
    # Sunday 23:30 local is still week 49 although it is Sunday 22:30 UTC.
    invoke(
        runner, "calendar", "add", "--at", "2026-12-06 23:30", "--platform", "tiktok",
        "--title", "Søndag kveld", "--owner", "Ola Hansen",
    )  # fmt: skip

    def titles(*args: str) -> list[str]:
        result = invoke(runner, "calendar", "list", "--format", "json", *args)
        assert result.exit_code == 0, result.output
        return [s["title"] for s in json.loads(result.stdout)]

    assert titles("--week", "2026-W49") == ["3 tips før eksamen", "Søndag kveld"]
    assert titles("--week", "2026-W50") == ["Neste uke"]
    assert titles("--owner", "Ola Hansen") == ["Søndag kveld", "Neste uke"]
    assert titles("--status", "idea") == ["Neste uke"]
    bad = invoke(runner, "calendar", "list", "--week", "49")
    assert bad.exit_code == 1 and "2026-W49" in bad.output


def test_list_calls_out_missing_consent(
    runner: CliRunner, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    _add(runner, "--appears", "Siri Voksen")
    _add(runner, "--appears", "Elev (16 år)", "--appears", "Per Uten")
    result = invoke(runner, "calendar", "list", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows[0]["consent"] == ""
    assert (
        "Elev (16 år): minor of unknown age: a guardian must consent (TikTok) or give the "
        "birth date" in rows[1]["consent"]
    )
    assert "Per Uten: no TikTok consent" in rows[1]["consent"]
    table = invoke(runner, "calendar", "list")
    assert "1. des. 2026" in table.stdout  # Norwegian date format
    added = invoke(
        runner, "calendar", "add", "--at", "2026-12-03 12:00", "--platform", "tiktok",
        "--title", "y", "--appears", "Per Uten",
    )  # fmt: skip
    assert "Warning: Per Uten: no TikTok consent" in added.output


def test_remove_deletes_slot_and_links(runner: CliRunner, db: Database) -> None:
    sid = _add(runner, "--owner", "Kari Nordmann", "--appears", "Siri Voksen")
    assert invoke(runner, "calendar", "remove", str(sid), "--yes").exit_code == 0
    assert db.execute("SELECT COUNT(*) FROM calendar_slots").fetchone()[0] == 0
    assert db.execute("SELECT COUNT(*) FROM slot_owners").fetchone()[0] == 0
