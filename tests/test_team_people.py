"""`social team person ...`: consent records of people who appear in videos."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from core import registry
from db import open_db
from social.cli import cli


def run(runner: CliRunner, *args: str, input: str | None = None) -> Result:
    return runner.invoke(cli, list(args), input=input)


def people(runner: CliRunner, *extra: str) -> dict[str, dict[str, object]]:
    result = run(runner, "team", "person", "list", "--format", "json", *extra)
    assert result.exit_code == 0, result.output
    return {row["name"]: row for row in json.loads(result.output)}


def dump(workspace: Path) -> str:
    db = open_db(workspace / "social.db")
    try:
        return "\n".join(db.iterdump())
    finally:
        db.close()


def test_list_flags_missing_consent_and_who_must_consent(
    workspace_dir: Path, runner: CliRunner
) -> None:
    out = run(runner, "team", "person", "add", "Ola (16)", "--under-18")
    assert out.exit_code == 0, out.output
    assert "Missing: no consent on record." in out.output
    # A minor of unknown age who signed themselves: a guardian may be needed (under 15).
    run(runner, "team", "person", "add", "Ida (17)", "--under-18", "--consent-date", "2026-09-01")
    # Born 2011: 15 when signing, so her own consent is enough (Datatilsynet: from 15).
    run(
        runner, "team", "person", "add", "Eva", "--born", "2011-03-01", "--consent-date",
        "2026-09-01",
    )  # fmt: skip
    run(
        runner, "team", "person", "add", "Eva (15)", "--under-18", "--consent-date",
        "2026-09-01", "--guardian-consent",
    )  # fmt: skip
    run(runner, "team", "person", "add", "Dr. Lund", "--consent", "--notes", "form in Drive")

    rows = people(runner)
    assert rows["Ola (16)"]["flags"] == ["no consent on record"]
    assert rows["Ida (17)"]["flags"] == [
        f"minor of unknown age: a guardian must consent ({ch}) or give the birth date"
        for ch in (*map(registry.display_name, registry.names()), "web")
    ]
    assert rows["Ida (17)"]["consent_date"] == "2026-09-01"
    assert rows["Eva"]["flags"] == [] and rows["Eva"]["under_18"] is True
    assert rows["Eva (15)"]["flags"] == []
    assert rows["Eva (15)"]["consents"]["tiktok"]["expires_on"] == "2027-09-01"
    assert rows["Dr. Lund"]["consent_on_record"] is True
    assert rows["Dr. Lund"]["flags"][0] == "TikTok consent has no date (renew it)"
    assert set(people(runner, "--flagged")) == {"Ola (16)", "Ida (17)", "Dr. Lund"}
    table = runner.invoke(cli, ["team", "person", "list"], env={"COLUMNS": "250"})
    assert "until 2027-09-01 (guardian)" in table.output


def test_edit_records_and_withdraws_consent(workspace_dir: Path, runner: CliRunner) -> None:
    run(runner, "team", "person", "add", "Ola", "--under-18")
    result = run(
        runner,
        "team",
        "person",
        "edit",
        "ola",
        "--consent-date",
        "2026-09-02",
        "--guardian-consent",
        "--rename",
        "Ola Nordmann",
    )
    assert result.exit_code == 0, result.output
    assert "Consent complete" in result.output
    row = people(runner)["Ola Nordmann"]
    assert row["consent_on_record"] is True and row["guardian_consent"] is True

    run(runner, "team", "person", "edit", "Ola Nordmann", "--no-consent", "--adult")
    row = people(runner)["Ola Nordmann"]
    assert row["consent_on_record"] is False and row["consent_date"] is None
    assert row["under_18"] is False
    today = date.today().isoformat()
    assert row["flags"][0] == f"TikTok consent withdrawn {today}"


def test_remove_deletes_the_record_and_appearances_but_keeps_slots(
    workspace_dir: Path, runner: CliRunner
) -> None:
    run(runner, "team", "person", "add", "Ola", "--under-18")
    db = open_db(workspace_dir / "social.db")
    db.execute(
        "INSERT INTO calendar_slots (uid, planned_at, platform, title, created_at, updated_at) "
        "VALUES ('s1@social', '2026-12-01T10:00:00Z', 'tiktok', 'Ola tests a robot', "
        "'2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z')"
    )
    db.execute(
        "INSERT INTO slot_appearances SELECT c.id, p.id FROM calendar_slots c, people_in_videos p"
    )
    db.close()
    assert people(runner)["Ola"]["slots"] == 1

    result = run(runner, "team", "person", "remove", "Ola", "--yes")

    assert result.exit_code == 0, result.output
    assert "Deleted Ola: consent record; 1 slot appearance removed" in result.output
    db = open_db(workspace_dir / "social.db")
    assert db.execute("SELECT COUNT(*) FROM people_in_videos").fetchone()[0] == 0
    assert db.execute("SELECT COUNT(*) FROM slot_appearances").fetchone()[0] == 0
    assert db.execute("SELECT title FROM calendar_slots").fetchall() == [
        ("[deleted] tests a robot",)
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["team", "person", "add", "ola"], "already exists"),
        (["team", "person", "add", "X", "--consent-date", "2026-13-01"], "YYYY-MM-DD"),
        (
            [
                "team",
                "person",
                "add",
                "X",
                "--consent-date",
                (date.today() + timedelta(days=3)).isoformat(),
            ],
            "in the future",
        ),
        (["team", "person", "edit", "Ola"], "nothing to change"),
        (
            ["team", "person", "edit", "Ola", "--no-consent", "--consent-date", "2026-01-01"],
            "contradict",
        ),
        (["team", "person", "edit", "Olga", "--consent"], "did you mean 'Ola'"),
        (["team", "person", "remove", "Olga", "--yes"], "did you mean 'Ola'"),
    ],
)
def test_bad_input_is_one_line_and_changes_nothing(
    workspace_dir: Path, runner: CliRunner, args: list[str], message: str
) -> None:
    run(runner, "team", "person", "add", "Ola", "--under-18")
    before = dump(workspace_dir)
    result = run(runner, *args)
    assert result.exit_code != 0
    assert message in result.output
    assert result.output.strip().splitlines()[-1].startswith("Error: ")
    assert "Traceback" not in result.output
    assert dump(workspace_dir) == before
