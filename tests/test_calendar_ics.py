"""`social calendar ics`: RFC 5545 output read back with icalendar."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner
from icalendar import Calendar
from sqlite_utils import Database

from tests.calendar_support import add_member, add_person, invoke, workspace_db

OSLO = ZoneInfo("Europe/Oslo")


@pytest.fixture
def db(workspace_dir: Path) -> Database:
    db = workspace_db(workspace_dir)
    add_member(db, "Kari Nordmann")
    add_member(db, "Ola Hansen")
    add_person(db, "Elev (16 år)", under_18=True, consent=True, guardian=False)
    return db


def _add(runner: CliRunner, at: str, title: str, *extra: str) -> None:
    result = invoke(
        runner, "calendar", "add", "--at", at, "--platform", "tiktok", "--title", title, *extra
    )
    assert result.exit_code == 0, result.output


def _events(runner: CliRunner, *args: str) -> dict[str, Any]:
    result = invoke(runner, "calendar", "ics", *args)
    assert result.exit_code == 0, result.output
    cal = Calendar.from_ical(result.stdout.encode("utf-8"))
    return {str(e.get("SUMMARY")): e for e in cal.walk("VEVENT")}


def test_feed_has_stable_uids_and_sequence_grows_after_move(
    runner: CliRunner, db: Database
) -> None:
    _add(runner, "2026-12-01 16:00", "Eksamenstips", "--owner", "Kari Nordmann")
    first = _events(runner)["TikTok: Eksamenstips"]
    uid, seq = str(first.get("UID")), int(first.get("SEQUENCE"))
    assert _events(runner)["TikTok: Eksamenstips"].get("UID") == uid  # re-rendered: same UID
    invoke(runner, "calendar", "move", "1", "--to", "2026-12-02 18:00")
    moved = _events(runner)["TikTok: Eksamenstips"]
    assert str(moved.get("UID")) == uid
    assert int(moved.get("SEQUENCE")) == seq + 1
    assert moved.decoded("DTSTART") == datetime(2026, 12, 2, 18, 0, tzinfo=OSLO)
    assert moved.decoded("DURATION") == timedelta(minutes=30)


def test_times_are_right_on_both_sides_of_the_autumn_change(
    runner: CliRunner, db: Database
) -> None:
    _add(runner, "2026-10-24 16:00", "Lørdag")  # CEST, UTC+2
    _add(runner, "2026-10-25 16:00", "Søndag")  # CET, UTC+1: clocks went back that night
    _add(runner, "2026-10-25 01:30", "Natt")  # before the change, still summer time
    result = invoke(runner, "calendar", "ics")
    assert "DTSTART;TZID=Europe/Oslo:20261025T160000" in result.stdout
    assert "BEGIN:VTIMEZONE" in result.stdout and "TZID:Europe/Oslo" in result.stdout
    events = _events(runner)
    utc = {k: v.decoded("DTSTART").astimezone(UTC) for k, v in events.items()}
    assert utc["TikTok: Lørdag"] == datetime(2026, 10, 24, 14, 0, tzinfo=UTC)
    assert utc["TikTok: Søndag"] == datetime(2026, 10, 25, 15, 0, tzinfo=UTC)
    assert utc["TikTok: Natt"] == datetime(2026, 10, 24, 23, 30, tzinfo=UTC)


def test_alarms_language_status_and_consent(runner: CliRunner, db: Database) -> None:
    _add(runner, "2026-12-01 16:00", "Med elev", "--appears", "Elev (16 år)", "--tag", "eksamen")
    _add(runner, "2026-12-02 16:00", "Droppet", "--status", "skipped")
    events = _events(runner)
    pupil = events["TikTok: Med elev"]
    triggers = sorted(a.decoded("TRIGGER") for a in pupil.walk("VALARM"))
    assert triggers == [timedelta(hours=-24), timedelta(hours=-2)]  # [reminders] before_hours
    assert all(str(a.get("ACTION")) == "DISPLAY" for a in pupil.walk("VALARM"))
    description = str(pupil.get("DESCRIPTION"))
    assert "Status: planlagt" in description
    # A feed travels far: how many people are in the video, never their names, ages or consent.
    assert "I videoen: 1 person(er), se social calendar list" in description
    assert "Elev" not in description and "16" not in description
    assert "samtykke" not in description.lower()
    assert [str(c) for c in pupil.get("CATEGORIES").cats] == ["eksamen"]
    skipped = events["TikTok: Droppet"]
    assert str(skipped.get("STATUS")) == "CANCELLED" and not skipped.walk("VALARM")
    english = _events(runner, "--lang", "en")
    assert "Status: skipped" in str(english["TikTok: Droppet"].get("DESCRIPTION"))


def test_owner_feed_and_file_output(runner: CliRunner, db: Database, workspace_dir: Path) -> None:
    _add(runner, "2026-12-01 16:00", "Karis", "--owner", "Kari Nordmann")
    _add(runner, "2026-12-02 16:00", "Olas", "--owner", "Ola Hansen")
    out = workspace_dir / "kari.ics"
    assert invoke(runner, "calendar", "ics", "--owner", "kari nordmann", "--out", str(out))
    cal = Calendar.from_ical(out.read_bytes())
    assert [str(e.get("SUMMARY")) for e in cal.walk("VEVENT")] == ["TikTok: Karis"]
    assert str(cal.get("X-WR-CALNAME")) == "Innholdskalender – Kari Nordmann"
    unknown = invoke(runner, "calendar", "ics", "--owner", "Nobody")
    assert unknown.exit_code == 1 and "social team add" in unknown.output


def test_an_unchanged_calendar_renders_byte_identical(runner: CliRunner, db: Database) -> None:
    _add(runner, "2026-12-01 16:00", "Stabil")
    assert invoke(runner, "calendar", "ics").stdout == invoke(runner, "calendar", "ics").stdout
