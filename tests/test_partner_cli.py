"""`social partner add/list/show/edit`: tiers from the partner programme, fees, links, errors."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefs.tiers import fee_text, tier_for_employees
from tests.brief_support import add_campaign, count, db, one_line_error, run


@pytest.mark.parametrize(
    ("employees", "tier"),
    [
        (0, "small"),
        (49, "small"),
        (50, "medium"),
        (500, "medium"),
        (501, "large"),
        (21000, "large"),
    ],
)
def test_employees_give_the_programme_tier(employees: int, tier: str) -> None:
    assert tier_for_employees(employees) == tier


def test_fees_are_written_the_norwegian_way() -> None:
    assert fee_text("small") == "gratis"
    assert fee_text("medium") == "25 000 kr"
    assert fee_text("large") == "50 000 kr"
    assert fee_text("medium", "en") == "NOK 25,000"
    assert fee_text("small", "en") == "free"


def test_add_then_list_shows_tier_and_yearly_fee(workspace_dir: Path, runner: CliRunner) -> None:
    result = run(
        runner,
        "partner",
        "add",
        "Equinor",
        "--employees",
        "21000",
        "--contact-name",
        "Kari Nordmann",
        "--contact-email",
        "kari@example.no",
        "--region",
        "Vestland",
        "--industry",
        "Energi",
    )
    assert result.exit_code == 0, result.output
    assert "Added partner Equinor (large, yearly fee 50 000 kr)." in result.output
    assert run(runner, "partner", "add", "Lokal Elektro AS", "--tier", "small").exit_code == 0
    assert run(runner, "partner", "add", "Midt Bygg", "--employees", "120").exit_code == 0

    rows = json.loads(run(runner, "partner", "list", "--format", "json").output)
    assert [(r["name"], r["tier"], r["fee_nok"], r["fee"]) for r in rows] == [
        ("Equinor", "large", 50000, "50 000 kr"),
        ("Lokal Elektro AS", "small", 0, "gratis"),
        ("Midt Bygg", "medium", 25000, "25 000 kr"),
    ]
    assert rows[0]["contact_email"] == "kari@example.no"
    assert rows[0]["region"] == "Vestland"

    table = run(runner, "partner", "list").output
    assert "gratis" in table and "25 000 kr" in table

    parsed = list(
        csv.DictReader(io.StringIO(run(runner, "partner", "list", "--format", "csv").output))
    )
    assert parsed[2]["fee"] == "25 000 kr" and parsed[2]["fee_nok"] == "25000"


def test_a_duplicate_name_is_refused_and_nothing_changes(
    workspace_dir: Path, runner: CliRunner
) -> None:
    run(runner, "partner", "add", "Equinor", "--tier", "large")
    error = one_line_error(run(runner, "partner", "add", "  equinor ", "--tier", "small"))
    assert "already exists" in error and "partner edit" in error
    assert count(workspace_dir, "partners") == 1


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["Acme"], "--tier small|medium|large or --employees N"),
        (["Acme", "--tier", "small", "--employees", "900"], "does not match --employees 900"),
        (["Acme", "--tier", "small", "--contact-email", "kari(at)acme"], "not an e-mail address"),
        (["   ", "--tier", "small"], "partner name is empty"),
    ],
)
def test_bad_input_is_one_clear_line_and_stores_nothing(
    workspace_dir: Path, runner: CliRunner, args: list[str], expected: str
) -> None:
    assert expected in one_line_error(run(runner, "partner", "add", *args))
    assert count(workspace_dir, "partners") == 0


def test_show_lists_briefs_campaigns_and_content(workspace_dir: Path, runner: CliRunner) -> None:
    run(runner, "partner", "add", "Equinor", "--tier", "large", "--contact-name", "Kari")
    add_campaign(workspace_dir, "Realfag høst", "Equinor", ["realfag"])
    database = db(workspace_dir)
    partner_id = database.execute("SELECT id FROM partners").fetchone()[0]
    with database.atomic():
        for i, status in enumerate(["published", "planned", "planned", "skipped"]):
            database.execute(
                "INSERT INTO calendar_slots (uid, planned_at, platform, title, partner_id, status,"
                " created_at, updated_at) VALUES (?, '2030-09-0' || ? || 'T14:00:00Z', 'tiktok', 'x',"
                " ?, ?, '2030-08-01T08:00:00Z', '2030-08-01T08:00:00Z')",
                [f"s{i}@test", i + 1, partner_id, status],
            )
    result = run(
        runner,
        "brief",
        "new",
        "--partner",
        "Equinor",
        "--template",
        "tiktok_partner_nb",
        "--deadline",
        "2030-09-20",
        "--out",
        "brief.md",
    )
    assert result.exit_code == 0, result.output

    text = run(runner, "partner", "show", "equinor").output
    assert "Yearly fee: 50 000 kr" in text
    assert "Realfag høst (2030-09-01 – 2030-11-30)" in text
    assert "4 calendar slots (1 published, 2 planned)" in text
    assert "#1 TikTok-brief for partnere: Equinor: deadline 2030-09-20, draft" in text

    data = json.loads(run(runner, "partner", "show", "Equinor", "--format", "json").output)
    assert data["content"] == {"planned": 2, "published": 1, "total": 4}
    assert [c["name"] for c in data["campaigns"]] == ["Realfag høst"]
    assert data["briefs"][0]["status"] == "draft"
    assert data["fee_nok"] == 50000


def test_show_of_an_unknown_partner_suggests_the_nearest(
    workspace_dir: Path, runner: CliRunner
) -> None:
    run(runner, "partner", "add", "Lokal Elektro AS", "--tier", "small")
    error = one_line_error(run(runner, "partner", "show", "Lokal Elektro"))
    assert "no partner named 'Lokal Elektro' (did you mean 'Lokal Elektro AS'?)" in error


def test_edit_renames_and_retiers(workspace_dir: Path, runner: CliRunner) -> None:
    run(runner, "partner", "add", "Lokal Elektro", "--tier", "small")
    result = run(
        runner,
        "partner",
        "edit",
        "lokal elektro",
        "--rename",
        "Lokal Elektro AS",
        "--employees",
        "60",
        "--region",
        "Innlandet",
    )
    assert result.exit_code == 0, result.output
    assert "Updated partner Lokal Elektro AS (medium, yearly fee 25 000 kr)." in result.output
    row = json.loads(run(runner, "partner", "show", "Lokal Elektro AS", "--format", "json").output)
    assert (row["tier"], row["region"], row["industry"]) == ("medium", "Innlandet", "")


def test_edit_errors_leave_the_partner_as_it_was(workspace_dir: Path, runner: CliRunner) -> None:
    run(runner, "partner", "add", "Equinor", "--tier", "large")
    run(runner, "partner", "add", "Aker", "--tier", "large")
    assert "already exists" in one_line_error(
        run(runner, "partner", "edit", "Aker", "--rename", "EQUINOR")
    )
    assert "nothing to change" in one_line_error(run(runner, "partner", "edit", "Aker"))
    assert "not an e-mail address" in one_line_error(
        run(runner, "partner", "edit", "Aker", "--tier", "small", "--contact-email", "nope")
    )
    assert "no partner named 'Statkraft'" in one_line_error(
        run(runner, "partner", "edit", "Statkraft", "--tier", "small")
    )
    names = db(workspace_dir).execute(
        "SELECT name, tier, contact_email FROM partners ORDER BY name"
    )
    assert names.fetchall() == [("Aker", "large", None), ("Equinor", "large", None)]


def test_an_empty_list_says_how_to_add(workspace_dir: Path, runner: CliRunner) -> None:
    assert "social partner add" in run(runner, "partner", "list").output
    assert json.loads(run(runner, "partner", "list", "--format", "json").output) == []
