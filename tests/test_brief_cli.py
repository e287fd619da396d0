"""`social brief new/list/status/show/templates`: a brief is recorded as a draft with an ISO
deadline, its status is kept current, and it renders again the same way."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.brief_support import add_campaign, count, db, one_line_error, run


@pytest.fixture
def ws(workspace_dir: Path, runner: CliRunner) -> Path:
    assert run(runner, "partner", "add", "Equinor", "--tier", "large").exit_code == 0
    assert run(runner, "partner", "add", "Lokal Elektro AS", "--tier", "small").exit_code == 0
    add_campaign(workspace_dir, "Realfag høst 2030", "Equinor", ["realfag"])
    return workspace_dir


def _new(runner: CliRunner, *extra: str, partner: str = "Equinor") -> str:
    result = run(
        runner,
        "brief",
        "new",
        "--partner",
        partner,
        "--template",
        "tiktok_partner_nb",
        "--deadline",
        "2030-10-04",
        *extra,
    )
    assert result.exit_code == 0, result.output
    return result.stdout


def test_new_records_a_draft_with_iso_deadline_and_variables(ws: Path, runner: CliRunner) -> None:
    result = run(
        runner,
        "brief",
        "new",
        "--partner",
        "equinor",
        "--template",
        "tiktok_partner_nb",
        "--campaign",
        "realfag høst 2030",
        "--deadline",
        "2030-10-04",
        "--var",
        "role_model=Ola, lærling",
        "--out",
        "equinor.md",
    )
    assert result.exit_code == 0, result.output
    assert "Brief #1 recorded as draft (deadline 2030-10-04)." in result.stderr
    assert result.stdout == ""
    assert "Ola, lærling" in (ws / "equinor.md").read_text(encoding="utf-8")
    row = (
        db(ws)
        .execute(
            "SELECT p.name, b.template, c.name, b.title, b.deadline, b.language, b.status, b.variables"
            " FROM briefs b JOIN partners p ON p.id = b.partner_id JOIN campaigns c"
            " ON c.id = b.campaign_id"
        )
        .fetchone()
    )
    assert row == (
        "Equinor",
        "tiktok_partner_nb",
        "Realfag høst 2030",
        "TikTok-brief for partnere: Equinor",
        "2030-10-04",
        "nb",
        "draft",
        '{"role_model": "Ola, lærling"}',
    )


def test_list_status_and_filters(
    ws: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    _new(runner)
    _new(runner, "--title", "Lærlingvideo", partner="Lokal Elektro AS")
    changed = run(runner, "brief", "status", "2", "content-received")
    assert changed.exit_code == 0, changed.output
    assert "Brief #2 (Lokal Elektro AS) is now content received." in changed.output

    table = run(runner, "brief", "list").output
    assert "draft" in table and "content received" in table and "Lærlingvideo" in table

    rows = json.loads(run(runner, "brief", "list", "--format", "json").output)
    assert [(r["id"], r["status"], r["deadline"]) for r in rows] == [
        (1, "draft", "2030-10-04"),
        (2, "content_received", "2030-10-04"),
    ]
    only = json.loads(
        run(runner, "brief", "list", "--status", "content received", "--format", "json").output
    )
    assert [r["partner"] for r in only] == ["Lokal Elektro AS"]
    mine = json.loads(
        run(runner, "brief", "list", "--partner", "Equinor", "--format", "json").output
    )
    assert [r["id"] for r in mine] == [1]
    csv_text = run(runner, "brief", "list", "--format", "csv").output
    assert csv_text.splitlines()[0].startswith("id,partner,title,template,campaign,deadline,status")


def test_status_changes_update_the_row_the_reminders_read(ws: Path, runner: CliRunner) -> None:
    _new(runner)
    for given, stored in [
        ("sent", "sent"),
        ("content_received", "content_received"),
        ("Published", "published"),
    ]:
        assert run(runner, "brief", "status", "1", given).exit_code == 0
        assert db(ws).execute("SELECT status FROM briefs").fetchone()[0] == stored
    error = one_line_error(run(runner, "brief", "status", "1", "done"))
    assert "unknown brief status 'done'" in error and "content-received" in error
    assert db(ws).execute("SELECT status FROM briefs").fetchone()[0] == "published"
    assert "no brief with id 9" in one_line_error(run(runner, "brief", "status", "9", "sent"))


def test_show_renders_the_stored_brief_again(ws: Path, runner: CliRunner) -> None:
    first = _new(runner, "--var", "role_model=Ola, lærling", "--campaign", "Realfag høst 2030")
    again = run(runner, "brief", "show", "1")
    assert again.exit_code == 0, again.output
    assert again.stdout == first
    html = run(runner, "brief", "show", "1", "--format", "html", "--out", "b.html")
    assert html.exit_code == 0, html.output
    page = (ws / "b.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "Ola, lærling" in page


def test_templates_lists_built_ins_with_their_variables(ws: Path, runner: CliRunner) -> None:
    rows = json.loads(run(runner, "brief", "templates", "--format", "json").output)
    by_name = {r["name"]: r for r in rows}
    assert by_name["tiktok_partner_nb"]["language"] == "nb"
    assert "role_model" in by_name["tiktok_partner_nb"]["variables"]
    assert by_name["partner_spotlight_nb"]["title"] == "Bak partner-logoen"
    assert "tiktok_partner_en" in run(runner, "brief", "templates").output


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--partner", "Equinr"], "no partner named 'Equinr' (did you mean 'Equinor'?)"),
        (
            ["--template", "tiktok_partner"],
            "no brief template named 'tiktok_partner'; did you mean",
        ),
        (["--campaign", "Vår 2031"], "no campaign named 'Vår 2031'"),
        (["--var", "role_model"], "is not key=value"),
        (["--var", "partner=Statoil"], "--var partner is set from the database"),
        (["--out", "missing/dir/b.md"], "does not exist; create it first"),
    ],
)
def test_new_with_bad_input_stores_nothing(
    ws: Path, runner: CliRunner, args: list[str], expected: str
) -> None:
    base = {"--partner": "Equinor", "--template": "tiktok_partner_nb", "--deadline": "2030-10-04"}
    for key, value in zip(args[::2], args[1::2], strict=True):
        base[key] = value
    flat = [x for pair in base.items() for x in pair]
    assert expected in one_line_error(run(runner, "brief", "new", *flat))
    assert count(ws, "briefs") == 0


def test_a_bad_deadline_is_refused_by_the_option(ws: Path, runner: CliRunner) -> None:
    result = run(
        runner,
        "brief",
        "new",
        "--partner",
        "Equinor",
        "--template",
        "tiktok_partner_nb",
        "--deadline",
        "4.10.2030",
    )
    assert result.exit_code == 2 and "YYYY-MM-DD" in result.output
    assert count(ws, "briefs") == 0


def test_a_misspelt_var_is_warned_about(ws: Path, runner: CliRunner) -> None:
    result = run(
        runner,
        "brief",
        "new",
        "--partner",
        "Equinor",
        "--template",
        "tiktok_partner_nb",
        "--deadline",
        "2030-10-04",
        "--var",
        "rolemodel=Ola",
    )
    assert result.exit_code == 0
    assert "does not use --var rolemodel (did you mean role_model?)" in result.stderr


def test_a_past_deadline_is_warned_about(ws: Path, runner: CliRunner) -> None:
    result = run(
        runner,
        "brief",
        "new",
        "--partner",
        "Equinor",
        "--template",
        "tiktok_partner_nb",
        "--deadline",
        "2020-01-06",
    )
    assert result.exit_code == 0
    assert "the deadline 2020-01-06 has already passed" in result.stderr


def test_the_demo_brief_renders(ws: Path, runner: CliRunner) -> None:
    """Briefs written by other code (the demo seed) with no variables still render."""
    database = db(ws)
    with database.atomic():
        database.execute(
            "INSERT INTO briefs (partner_id, template, title, deadline, created_at, updated_at)"
            " VALUES (1, 'tiktok_partner_nb', 'Equinor: ingeniørhverdag på TikTok', '2030-10-04',"
            " '2030-01-01T00:00:00Z', '2030-01-01T00:00:00Z')"
        )
    result = run(runner, "brief", "show", "1")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# Equinor: ingeniørhverdag på TikTok")
