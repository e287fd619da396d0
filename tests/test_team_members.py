"""`social team add/list/edit/remove` against a real SQLite file."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from core.errors import SocialError
from db import open_db
from scheduler.team import in_quiet_hours, parse_quiet, validate_slack, validate_teams
from social.cli import cli


def run(runner: CliRunner, *args: str, input: str | None = None) -> Result:
    return runner.invoke(cli, list(args), input=input)


def dump(workspace: Path) -> str:
    """The whole database as SQL, to prove a failed command changed nothing."""
    db = open_db(workspace / "social.db")
    try:
        return "\n".join(db.iterdump())
    finally:
        db.close()


def members(runner: CliRunner, *extra: str) -> list[dict[str, object]]:
    result = run(runner, "team", "list", "--format", "json", *extra)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_add_then_list_shows_every_field(workspace_dir: Path, runner: CliRunner) -> None:
    result = run(
        runner,
        "team",
        "add",
        "Kari Nordmann",
        "--email",
        "kari@Example.no",
        "--slack",
        "u012abcdef",
        "--teams",
        "kari@org.no",
        "--quiet",
        "22:00-7:00",
        "--lang",
        "en",
    )
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "Added Kari Nordmann (student; email, slack, teams)."
    run(runner, "team", "add", "Per", "--role", "partner-contact")

    rows = members(runner)
    assert [r["name"] for r in rows] == ["Kari Nordmann", "Per"]
    kari = rows[0]
    assert kari == {
        "name": "Kari Nordmann",
        "role": "student",
        "email": "kari@example.no",
        "slack": "U012ABCDEF",
        "teams": "kari@org.no",
        "quiet": "22:00-07:00",
        "language": "en",
        "active": True,
        "slots": 0,
    }
    assert rows[1]["role"] == "partner_contact"
    assert rows[1]["language"] == "nb"  # the config's default language


def test_inactive_members_are_listed_only_with_all(workspace_dir: Path, runner: CliRunner) -> None:
    run(runner, "team", "add", "Ada")
    run(runner, "team", "add", "Bo", "--inactive")
    assert [r["name"] for r in members(runner)] == ["Ada"]
    assert [r["name"] for r in members(runner, "--all")] == ["Ada", "Bo"]


def test_list_as_csv_and_table(workspace_dir: Path, runner: CliRunner) -> None:
    run(runner, "team", "add", "Ada", "--email", "ada@example.no")
    out = run(runner, "team", "list", "--format", "csv").output
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows[0]["name"] == "Ada" and rows[0]["email"] == "ada@example.no"
    table = run(runner, "team", "list")
    assert table.exit_code == 0 and "Ada" in table.output


def test_empty_list_says_how_to_add(workspace_dir: Path, runner: CliRunner) -> None:
    result = run(runner, "team", "list")
    assert result.exit_code == 0
    assert "social team add" in result.output


def test_edit_changes_only_the_given_fields(workspace_dir: Path, runner: CliRunner) -> None:
    run(runner, "team", "add", "Kari", "--email", "kari@example.no", "--quiet", "22:00-07:00")
    result = run(
        runner,
        "team",
        "edit",
        "kari",
        "--rename",
        "Kari Nordmann",
        "--slack",
        "W0123ABCDE",
        "--inactive",
        "--role",
        "communications",
    )
    assert result.exit_code == 0, result.output
    (row,) = members(runner, "--all")
    assert row["name"] == "Kari Nordmann"
    assert row["slack"] == "W0123ABCDE"
    assert row["email"] == "kari@example.no"
    assert row["quiet"] == "22:00-07:00"
    assert row["role"] == "communications"
    assert row["active"] is False

    run(runner, "team", "edit", "Kari Nordmann", "--email", "", "--quiet", "none", "--active")
    (row,) = members(runner)
    assert row["email"] is None and row["quiet"] is None and row["active"] is True


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["team", "add", "X", "--email", "kari.example.no"], "not an e-mail address"),
        (["team", "add", "X", "--email", "kari@example"], "not an e-mail address"),
        (["team", "add", "X", "--quiet", "22-07"], "not HH:MM-HH:MM"),
        (["team", "add", "X", "--quiet", "24:00-07:00"], "not HH:MM-HH:MM"),
        (["team", "add", "X", "--quiet", "07:00-07:00"], "same time"),
        (["team", "add", "X", "--slack", "@kari"], "not a Slack member id"),
        (
            ["team", "add", "X", "--teams", "https://x.webhook.office.com/abc"],
            "SOCIAL_TEAMS_WEBHOOK",
        ),
        (["team", "add", "X", "--teams", "kari"], "not a Teams address"),
        (["team", "add", "Kari"], "already exists"),
        (["team", "add", "  kari "], "already exists"),
        (["team", "add", "   "], "name is empty"),
        (["team", "edit", "Kari", "--rename", "Per"], "already exists"),
        (["team", "edit", "Kari", "--email", "nope"], "not an e-mail address"),
        (["team", "edit", "Kari"], "nothing to change"),
        (["team", "edit", "Karl", "--inactive"], "did you mean 'Kari'"),
        (["team", "remove", "Karl", "--yes"], "did you mean 'Kari'"),
    ],
)
def test_bad_input_is_one_line_and_changes_nothing(
    workspace_dir: Path, runner: CliRunner, args: list[str], message: str
) -> None:
    run(runner, "team", "add", "Kari", "--email", "kari@example.no")
    run(runner, "team", "add", "Per")
    before = dump(workspace_dir)

    result = run(runner, *args)

    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    assert message in lines[0]
    assert "Traceback" not in result.output
    assert dump(workspace_dir) == before


def test_remove_keeps_slots_and_anonymises_reminder_history(
    workspace_dir: Path, runner: CliRunner
) -> None:
    run(runner, "team", "add", "Kari", "--email", "kari@example.no")
    run(runner, "team", "add", "Per")
    db = open_db(workspace_dir / "social.db")
    kari, per = (
        db.execute("SELECT id FROM team_members ORDER BY name").fetchall()[i][0] for i in (0, 1)
    )
    db.execute(
        "INSERT INTO calendar_slots (uid, planned_at, platform, title, notes, created_at, updated_at) "
        "VALUES ('s1@social', '2026-12-01T10:00:00Z', 'tiktok', 'Lab day', 'Kari films', "
        "'2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z')"
    )
    slot = db.execute("SELECT id FROM calendar_slots").fetchone()[0]
    db.execute("INSERT INTO slot_owners VALUES (?, ?), (?, ?)", [slot, kari, slot, per])
    db.execute(
        "INSERT INTO reminder_ledger (subject, rule, member_id, channel, due_at, status, last_error) "
        "VALUES ('slot:1', 'day_before', ?, 'email', '2026-11-30T10:00:00Z', 'failed', "
        "'550 kari@example.no: mailbox unavailable')",
        [kari],
    )
    db.close()

    result = run(runner, "team", "remove", "Kari", input="y\n")

    assert result.exit_code == 0, result.output
    assert "Remove Kari (student): owns 1 slot(s)" in result.output
    assert (
        "Deleted Kari: team member; 1 slot ownership removed; the calendar slots stay; "
        "1 reminder ledger row kept without a name" in result.output
    )
    db = open_db(workspace_dir / "social.db")
    assert db.execute("SELECT name FROM team_members").fetchall() == [("Per",)]
    assert db.execute("SELECT title, notes FROM calendar_slots").fetchall() == [
        ("Lab day", "[deleted] films")
    ]
    assert db.execute("SELECT member_id FROM slot_owners").fetchall() == [(per,)]
    ledger = db.execute("SELECT member_id, status, last_error FROM reminder_ledger").fetchall()
    assert ledger == [(None, "failed", "550 [deleted]: mailbox unavailable")]


def test_remove_asks_first_and_no_keeps_everything(workspace_dir: Path, runner: CliRunner) -> None:
    run(runner, "team", "add", "Kari")
    before = dump(workspace_dir)
    result = run(runner, "team", "remove", "Kari", input="n\n")
    assert result.exit_code == 1
    assert dump(workspace_dir) == before


def test_remove_points_at_privacy_delete_for_a_consent_record(
    workspace_dir: Path, runner: CliRunner
) -> None:
    run(runner, "team", "add", "Kari")
    run(runner, "team", "person", "add", "Kari", "--consent-date", "2026-01-05")
    result = run(runner, "team", "remove", "Kari", "--yes")
    assert result.exit_code == 0
    assert "social privacy delete" in result.output


def test_quiet_hours_across_midnight() -> None:
    from datetime import time

    assert parse_quiet("22:00-07:00") == ("22:00", "07:00")
    assert parse_quiet("off") is None
    assert in_quiet_hours("22:00", "07:00", time(23, 30))
    assert in_quiet_hours("22:00", "07:00", time(6, 59))
    assert not in_quiet_hours("22:00", "07:00", time(7, 0))
    assert in_quiet_hours("12:00", "13:00", time(12, 30))
    assert not in_quiet_hours("12:00", "13:00", time(13, 30))
    assert not in_quiet_hours(None, None, time(3, 0))


def test_channel_validators_normalise() -> None:
    assert validate_slack(" u012abcdef ") == "U012ABCDEF"
    assert validate_teams("0F8FAD5B-D9CB-469F-A165-70867728950E") == (
        "0f8fad5b-d9cb-469f-a165-70867728950e"
    )
    with pytest.raises(SocialError):
        validate_slack("U01")


def test_every_team_subcommand_has_an_example(runner: CliRunner) -> None:
    for path in (
        ["add"],
        ["list"],
        ["edit"],
        ["remove"],
        ["person"],
        ["person", "add"],
        ["person", "list"],
        ["person", "edit"],
        ["person", "remove"],
    ):
        result = run(runner, "team", *path, "--help")
        assert result.exit_code == 0 and "Example" in result.output, path
