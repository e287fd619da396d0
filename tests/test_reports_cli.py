"""`social report ...`: formats, languages, files and clean failures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import time_machine
from click.testing import CliRunner

from core import registry
from db import open_db
from social.cli import cli
from tests.reports_support import NOW, campaign_scenario, weekly_scenario


@pytest.fixture
def filled(workspace_dir: Path) -> Path:
    db = open_db(workspace_dir / "social.db")
    weekly_scenario(db)
    db.conn.close()
    return workspace_dir


def stored_reports(folder: Path) -> int:
    db = open_db(folder / "social.db")
    try:
        return int(db.execute("SELECT COUNT(*) FROM generated_reports").fetchone()[0])
    finally:
        db.conn.close()


@time_machine.travel(NOW, tick=False)
def test_weekly_defaults_to_last_complete_week_in_norwegian_markdown(
    filled: Path, runner: CliRunner
) -> None:
    result = runner.invoke(cli, ["report", "weekly"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# Ukerapport uke 48\n")
    # Facebook and any other installed platform have no data that week: a dash each.
    dashes = " | ".join("–" for _ in registry.names()[2:])
    assert f"| Visninger, totalt | 9\xa0300 | 2\xa0800 | {dashes} | 12\xa0100 |" in result.stdout
    assert stored_reports(filled) == 1


@time_machine.travel(NOW, tick=False)
def test_weekly_html_file_and_english_json(filled: Path, runner: CliRunner) -> None:
    result = runner.invoke(cli, ["report", "weekly", "--out", "uke.html"])
    assert result.exit_code == 0, result.output
    html = (filled / "uke.html").read_text(encoding="utf-8")
    assert html.startswith("<!doctype html>")
    assert "Wrote uke.html" in result.stderr
    result = runner.invoke(
        cli, ["report", "weekly", "--week", "2025-W48", "--format", "json", "--lang", "en"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["lang"], data["week"]["iso"], data["total"]["views"]["total"]) == (
        "en",
        "2025-W48",
        12100,
    )
    result = runner.invoke(cli, ["report", "weekly", "--out", "uke.csv"])
    assert (
        (filled / "uke.csv")
        .read_text()
        .startswith("section,platform,item,measure,origin,value,method\n")
    )


@time_machine.travel(NOW, tick=False)
def test_bad_week_fails_cleanly_and_stores_nothing(filled: Path, runner: CliRunner) -> None:
    result = runner.invoke(cli, ["report", "weekly", "--week", "2025-W60"])
    assert result.exit_code == 1
    assert result.stderr == "Error: --week: '2025-W60' is not an ISO week; write it like 2025-W48\n"
    assert "Traceback" not in result.output
    assert stored_reports(filled) == 0


@time_machine.travel("2025-11-26T10:00:00Z", tick=False)
def test_empty_database_says_run_sync_yet_writes_the_report(
    workspace_dir: Path, runner: CliRunner
) -> None:
    result = runner.invoke(cli, ["report", "weekly", "--out", "tom.html"])
    assert result.exit_code == 1
    assert "Error: no data for week 47 (2025-W47); run 'social sync' first" in result.stderr
    html = (workspace_dir / "tom.html").read_text(encoding="utf-8")
    assert "ingen data" in html
    assert "Traceback" not in result.output


@time_machine.travel("2025-11-16T08:00:00Z", tick=False)
def test_campaign_and_partner_commands(workspace_dir: Path, runner: CliRunner) -> None:
    db = open_db(workspace_dir / "social.db")
    campaign_scenario(db)
    db.conn.close()
    result = runner.invoke(cli, ["report", "campaign", "rollemodell 2025", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["campaign"]["elapsed_days"] == 15
    result = runner.invoke(
        cli, ["report", "campaign", "Rollemodell 2025", "--lang", "en", "--out", "c.md"]
    )
    assert result.exit_code == 0, result.output
    assert (workspace_dir / "c.md").read_text().startswith("# Campaign report: Rollemodell 2025")
    result = runner.invoke(
        cli, ["report", "partner", "Equinor", "--year", "2025", "--format", "csv"]
    )
    assert result.exit_code == 0, result.output
    assert "briefs,,Rollemodell-video,status,,published,2025-10-15" in result.stdout


def test_unknown_names_fail_cleanly(workspace_dir: Path, runner: CliRunner) -> None:
    result = runner.invoke(cli, ["report", "campaign", "Nope"])
    assert result.exit_code == 1
    assert result.stderr == "Error: unknown campaign 'Nope'; create it with 'social campaign add'\n"
    result = runner.invoke(cli, ["report", "partner", "Nope", "--year", "2025"])
    assert result.exit_code == 1
    assert result.stderr == "Error: unknown partner 'Nope'; add it with 'social partner add'\n"
    result = runner.invoke(cli, ["report", "partner", "Nope", "--year", "1999"])
    assert result.exit_code == 2
    assert "1999 is not in the range 2000<=x<=2100" in result.stderr


@time_machine.travel(NOW, tick=False)
def test_send_without_email_settings_fails_with_the_fix(filled: Path, runner: CliRunner) -> None:
    Path("social.toml").write_text(
        Path("social.toml")
        .read_text()
        .replace("recipients = []", 'recipients = ["leder@example.no"]'),
        encoding="utf-8",
    )
    result = runner.invoke(cli, ["report", "weekly", "--send", "--out", "uke.html"])
    assert result.exit_code == 1
    assert "Error: e-mail is off; set [email] host (and sender) in social.toml" in result.stderr


def test_out_into_missing_folder(workspace_dir: Path, runner: CliRunner) -> None:
    with time_machine.travel(NOW, tick=False):
        result = runner.invoke(cli, ["report", "weekly", "--out", "nope/uke.html"])
    assert result.exit_code == 1
    assert "folder nope does not exist" in result.stderr


def test_report_file_names_spell_out_norwegian_letters() -> None:
    from social.reports.render import default_filename

    report = {"kind": "campaign", "key": "Realfag høst 2026 / Ærlig talt", "lang": "nb"}
    assert default_filename(report, "html") == "campaign-realfag-host-2026-aerlig-talt.nb.html"
