"""`social privacy list/delete`: every personal detail kept, and deleting one person's."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from sqlite_utils import Database

from db import open_db
from social import privacy
from social.cli import cli

NAME = "Kari Bjørnstad"
EMAIL = "kari.bjornstad@example.no"
SLACK = "U012ABCDEF"
TEAMS = "kari.b@org.no"
NOW = "2026-11-01T00:00:00Z"


def run(runner: CliRunner, *args: str, input: str | None = None) -> Result:
    return runner.invoke(cli, list(args), input=input, env={"COLUMNS": "200"})


def dump(workspace: Path) -> str:
    db = open_db(workspace / "social.db")
    try:
        return "\n".join(db.iterdump())
    finally:
        db.close()


def _seed(workspace: Path, runner: CliRunner) -> None:
    """Kari is a team member, appears in a video and is a partner's contact; others stay."""
    for args in (
        ["team", "add", NAME, "--email", EMAIL, "--slack", SLACK, "--teams", TEAMS],
        ["team", "add", "Kari Hansen", "--email", "kari.hansen@example.no"],
        ["team", "add", "Per", "--role", "communications", "--email", "per@example.no"],
        ["team", "person", "add", NAME, "--consent-date", "2026-09-01"],
        ["team", "person", "add", "Ola (16)", "--under-18"],
    ):
        result = run(runner, *args)
        assert result.exit_code == 0, result.output
    db = open_db(workspace / "social.db")
    ids = dict(db.execute("SELECT name, id FROM team_members").fetchall())
    person = db.execute("SELECT id FROM people_in_videos WHERE name = ?", [NAME]).fetchone()[0]
    db.execute(
        "INSERT INTO partners (name, tier, contact_name, contact_email, created_at) VALUES "
        "('Equinor', 'large', ?, ?, ?), ('Aker', 'medium', 'Lise Lie', 'lise@aker.no', ?)",
        [NAME, EMAIL, NOW, NOW],
    )
    equinor = db.execute("SELECT id FROM partners WHERE name = 'Equinor'").fetchone()[0]
    db.execute(
        "INSERT INTO calendar_slots (uid, planned_at, platform, title, notes, partner_id, "
        "created_at, updated_at) VALUES ('s1@social', '2026-12-01T10:00:00Z', 'tiktok', "
        "'Lab day', ?, ?, ?, ?)",
        [f"{NAME} films, Kari Hansen edits; ask {EMAIL}", equinor, NOW, NOW],
    )
    slot = db.execute("SELECT id FROM calendar_slots").fetchone()[0]
    db.execute("INSERT INTO slot_owners VALUES (?, ?)", [slot, ids[NAME]])
    db.execute("INSERT INTO slot_owners VALUES (?, ?)", [slot, ids["Per"]])
    db.execute("INSERT INTO slot_appearances VALUES (?, ?)", [slot, person])
    db.execute(
        "INSERT INTO reminder_ledger (subject, rule, member_id, channel, due_at, status, sent_at, "
        "last_error) VALUES ('slot:1', 'day_before', ?, 'slack', '2026-11-30T10:00:00Z', 'sent', "
        "'2026-11-30T10:00:02Z', ?)",
        [ids[NAME], f"first try: user {SLACK} not in channel"],
    )
    db.execute(
        "INSERT INTO briefs (partner_id, template, deadline, variables, created_at, updated_at) "
        "VALUES (?, 'sponsored_video', '2026-12-10', ?, ?, ?)",
        [equinor, json.dumps({"contact_name": NAME, "contact_email": EMAIL}), NOW, NOW],
    )
    figures = {"adherence": {"members": [{"member": NAME, "planned": 2, "published": 1}]}}
    db.execute(
        "INSERT INTO generated_reports (kind, key, lang, generated_at, figures) "
        "VALUES ('weekly', '2026-W47', 'nb', ?, ?)",
        [NOW, json.dumps(figures)],  # ensure_ascii: the name is stored as Bj\u00f8rnstad
    )
    db.close()


def _text_values(db: Database) -> list[tuple[str, str, str]]:
    """(table, column, value) for every text value in every table."""
    out = []
    for table in db.table_names():
        columns = [c[1] for c in db.execute(f'PRAGMA table_info("{table}")').fetchall()]
        for column in columns:
            for (value,) in db.execute(f'SELECT "{column}" FROM "{table}"').fetchall():
                if isinstance(value, str):
                    out.append((table, column, value))
    return out


def test_list_shows_all_three_kinds_and_where_they_are_referenced(
    workspace_dir: Path, runner: CliRunner
) -> None:
    _seed(workspace_dir, runner)

    result = run(runner, "privacy", "list", "--format", "json")

    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    by_kind: dict[str, dict[str, dict[str, Any]]] = {}
    for row in rows:
        by_kind.setdefault(row["kind"], {})[row["name"]] = row
    assert set(by_kind) == {"team_member", "person_in_video", "partner_contact"}
    assert set(by_kind["team_member"]) == {NAME, "Kari Hansen", "Per"}
    kari = by_kind["team_member"][NAME]
    assert kari["details"] == {
        "email": EMAIL,
        "slack": SLACK,
        "teams": TEAMS,
        "role": "student",
        "active": True,
    }
    assert kari["references"]["slots_owned"] == 1
    assert kari["references"]["reminders"] == 1
    assert kari["references"]["mentions"] == {
        "briefs.variables": 2,
        "calendar_slots.notes": 2,
        "generated_reports.figures": 1,
        "reminder_ledger.last_error": 1,
    }
    # "Kari Hansen" in the notes is someone else: not counted as a mention of Kari Bjørnstad.
    assert by_kind["team_member"]["Kari Hansen"]["references"]["mentions"] == {
        "calendar_slots.notes": 1
    }
    assert by_kind["person_in_video"][NAME]["details"]["consent_date"] == "2026-09-01"
    assert by_kind["person_in_video"][NAME]["references"]["slots_appearing"] == 1
    assert by_kind["person_in_video"]["Ola (16)"]["details"]["under_18"] is True
    contact = by_kind["partner_contact"][NAME]
    assert contact["details"] == {"email": EMAIL, "partner": "Equinor"}
    assert contact["references"]["briefs"] == 1
    assert "Lise Lie" in by_kind["partner_contact"]

    table = run(runner, "privacy", "list")
    assert table.exit_code == 0
    for text in ("team member", "person in videos", "partner contact", EMAIL, "Lise Lie"):
        assert text in table.output
    assert "7 record(s)" in table.output


def test_list_one_person_by_name_or_email(workspace_dir: Path, runner: CliRunner) -> None:
    _seed(workspace_dir, runner)
    for ref in (NAME, EMAIL.upper(), "kari bjørnstad"):
        rows = json.loads(run(runner, "privacy", "list", ref, "--format", "json").output)
        assert sorted(r["kind"] for r in rows) == [
            "partner_contact",
            "person_in_video",
            "team_member",
        ]
        assert {r["name"] for r in rows} == {NAME}


def test_delete_leaves_no_trace_of_the_name_or_contacts(
    workspace_dir: Path, runner: CliRunner
) -> None:
    _seed(workspace_dir, runner)

    result = run(runner, "privacy", "delete", NAME, "--yes")

    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 3  # the database, the files, the check of the database file
    assert lines[1] == "Files: none of the files the tool wrote mentions them."
    assert lines[2] == "Database file: checked, none of the deleted details is left in it."
    assert lines[0].startswith(
        f"Deleted {NAME}: team member, consent record, contact at partner Equinor; "
        "1 slot ownership removed; 1 slot appearance removed; the calendar slots stay; "
        "1 reminder ledger row kept without a name; 6 mentions redacted"
    )
    db = open_db(workspace_dir / "social.db")
    needles = [NAME, EMAIL, SLACK, TEAMS, "Bj\\u00f8rnstad", "Bjørnstad"]
    leftovers = [
        (table, column)
        for table, column, value in _text_values(db)
        for needle in needles
        if needle.casefold() in value.casefold()
    ]
    assert leftovers == []
    # Anonymous history and everyone else stay.
    assert db.execute("SELECT name FROM team_members ORDER BY name").fetchall() == [
        ("Kari Hansen",),
        ("Per",),
    ]
    assert db.execute("SELECT name FROM people_in_videos").fetchall() == [("Ola (16)",)]
    assert db.execute(
        "SELECT name, contact_name, contact_email FROM partners ORDER BY name"
    ).fetchall() == [("Aker", "Lise Lie", "lise@aker.no"), ("Equinor", None, None)]
    assert db.execute("SELECT title, notes FROM calendar_slots").fetchall() == [
        ("Lab day", "[deleted] films, Kari Hansen edits; ask [deleted]")
    ]
    assert db.execute("SELECT COUNT(*) FROM slot_owners").fetchone()[0] == 1
    assert db.execute("SELECT COUNT(*) FROM slot_appearances").fetchone()[0] == 0
    assert db.execute("SELECT member_id, status, sent_at FROM reminder_ledger").fetchall() == [
        (None, "sent", "2026-11-30T10:00:02Z")
    ]
    figures = json.loads(db.execute("SELECT figures FROM generated_reports").fetchone()[0])
    assert figures["adherence"]["members"] == [
        {"member": "[deleted]", "planned": 2, "published": 1}
    ]
    assert db.execute("SELECT COUNT(*) FROM briefs").fetchone()[0] == 1
    db.close()


def test_delete_overwrites_the_bytes_in_the_database_file(
    workspace_dir: Path, runner: CliRunner
) -> None:
    _seed(workspace_dir, runner)
    assert run(runner, "privacy", "delete", EMAIL, "--yes").exit_code == 0

    files = [p for p in workspace_dir.iterdir() if p.name.startswith("social.db")]
    raw = b"".join(p.read_bytes() for p in files)
    for needle in (NAME, EMAIL, SLACK, TEAMS):
        assert needle.encode() not in raw, needle
    assert b"Kari Hansen" in raw  # the scan would see a name that is still there


def test_delete_asks_first_and_no_keeps_everything(workspace_dir: Path, runner: CliRunner) -> None:
    _seed(workspace_dir, runner)
    before = dump(workspace_dir)
    result = run(runner, "privacy", "delete", NAME, input="n\n")
    assert result.exit_code == 1
    assert "contact at partner Equinor" in result.output
    assert "6 mention(s) in free text" in result.output
    assert dump(workspace_dir) == before


def test_unknown_name_lists_close_matches_and_changes_nothing(
    workspace_dir: Path, runner: CliRunner
) -> None:
    _seed(workspace_dir, runner)
    before = dump(workspace_dir)
    for args in (["privacy", "delete", "Kari Bjornstad", "--yes"], ["privacy", "list", "Kari"]):
        result = run(runner, *args)
        assert result.exit_code == 1
        (line,) = result.output.strip().splitlines()
        assert line.startswith("Error: no personal details stored for")
        assert "did you mean" in line and "'social privacy list'" in line
    assert f"'{NAME}'" in run(runner, "privacy", "delete", "Kari Bjornstad", "--yes").output
    assert dump(workspace_dir) == before


def test_a_failure_part_way_rolls_the_whole_deletion_back(
    workspace_dir: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    _seed(workspace_dir, runner)
    before = dump(workspace_dir)

    def broken(db: Database, subject: privacy.Subject) -> dict[str, int]:
        raise RuntimeError("disk full")

    monkeypatch.setattr(privacy, "_redact_everywhere", broken)
    result = run(runner, "privacy", "delete", NAME, "--yes")

    assert result.exit_code == 1
    assert "internal error" in result.output
    assert dump(workspace_dir) == before


def test_list_with_nothing_stored(workspace_dir: Path, runner: CliRunner) -> None:
    result = run(runner, "privacy", "list")
    assert result.exit_code == 0
    assert "No personal details are stored." in result.output
    assert json.loads(run(runner, "privacy", "list", "--format", "json").output) == []


def test_every_privacy_subcommand_has_an_example(runner: CliRunner) -> None:
    for path in (["list"], ["delete"]):
        result = run(runner, "privacy", *path, "--help")
        assert result.exit_code == 0 and "Example" in result.output, path
