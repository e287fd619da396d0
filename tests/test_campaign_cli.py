"""`social campaign add|edit|list|show|remove`: round trips and clean failures."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import time_machine
from click.testing import CliRunner

from db import open_db
from social.cli import cli
from tests.campaign_support import ADD_REALFAG, run, seed_planning, tables


@pytest.fixture
def ws(workspace_dir: Path) -> Path:
    seed_planning(workspace_dir)
    return workspace_dir


@pytest.fixture
def realfag(ws: Path, runner: CliRunner) -> Path:
    result = run(runner, *ADD_REALFAG)
    assert result.exit_code == 0, result.output
    return ws


def show_json(runner: CliRunner, name: str) -> dict:
    result = run(runner, "show", name, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@time_machine.travel("2026-08-20T10:00:00Z", tick=False)
def test_add_stores_every_field_and_show_json_gives_it_back(ws: Path, runner: CliRunner) -> None:
    result = run(runner, *ADD_REALFAG)
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "Added campaign 'Realfag høst 2026' (2026-09-01 – 2026-10-31, 5 members, 4 targets).\n"
    )
    data = show_json(runner, "realfag HØST 2026")
    assert data == {
        "name": "Realfag høst 2026",
        "start": "2026-09-01",
        "end": "2026-10-31",
        "days": 61,
        "platforms": ["tiktok", "facebook"],
        "all_platforms": False,
        "partner": "Equinor",
        "budget": 60000.0,
        "currency": "NOK",
        "description": "Høstkampanje for realfag",
        "hashtags": ["realfag"],
        "posts": [{"platform": "tiktok", "id": "7301234567890123456"}],
        "slots": ["slot-1"],
        "ad_campaigns": [
            {"platform": "tiktok", "id": "1780000000000002"},
            {"platform": "facebook", "id": "120210000000000202"},
        ],
        "targets": [
            {"kpi": "views", "origin": "total", "platform": "all", "target": 400000.0,
             "unit": "count", "direction": "higher_is_better"},
            {"kpi": "reach", "origin": "paid", "platform": "tiktok", "target": 150000.0,
             "unit": "count", "direction": "higher_is_better"},
            {"kpi": "ctr", "origin": "paid", "platform": "all", "target": pytest.approx(0.012),
             "unit": "ratio", "direction": "higher_is_better"},
            {"kpi": "cost_per_result", "origin": "paid", "platform": "all", "target": 0.8,
             "unit": "currency", "direction": "lower_is_better"},
        ],
        "status": "planned",
    }  # fmt: skip
    # Stored in the report's vocabulary: hashtag without '#', members per platform.
    db = open_db(ws / "social.db")
    members = sorted(
        tuple(r) for r in db.execute("SELECT kind, value, platform FROM campaign_members")
    )
    assert members == [
        ("ad_campaign", "120210000000000202", "facebook"),
        ("ad_campaign", "1780000000000002", "tiktok"),
        ("hashtag", "realfag", ""),
        ("post", "7301234567890123456", "tiktok"),
        ("slot", "slot-1", ""),
    ]
    row = db.execute("SELECT platforms, partner_id, budget FROM campaigns").fetchone()
    assert json.loads(row[0]) == ["tiktok", "facebook"] and row[1] == 1 and row[2] == 60000


@time_machine.travel("2026-09-15T10:00:00Z", tick=False)
def test_show_text_reads_as_english_with_formatted_targets(
    realfag: Path, runner: CliRunner
) -> None:
    result = run(runner, "show", "Realfag høst 2026")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Period:      2026-09-01 – 2026-10-31 (61 days, running)" in out
    assert "Platforms:   TikTok, Facebook" in out
    assert "Partner:     Equinor" in out
    assert "Budget:      60,000.00 NOK" in out
    assert "  hashtag      #realfag" in out
    assert "  ad campaign  facebook:120210000000000202" in out
    lines = {line.split("  ")[1].strip(): line for line in out.splitlines() if "[" in line}
    assert "400,000" in lines["Views (total, all platforms)"]
    assert "1.20%" in lines["CTR (sponsored, all platforms)"]
    assert "[ctr:paid:all=1.2%]" in lines["CTR (sponsored, all platforms)"]
    assert "0.80 NOK" in lines["Cost per result (sponsored, all platforms)"]


def _add(runner: CliRunner, name: str, start: str, end: str, *extra: str) -> None:
    result = run(runner, "add", name, "--start", start, "--end", end, *extra)
    assert result.exit_code == 0, result.output


# 2026-10-31 22:30 UTC is already 1 November in Oslo (UTC+1 after the DST change).
@time_machine.travel("2026-10-31T23:30:00Z", tick=False)
def test_list_status_follows_the_oslo_date_in_every_format(ws: Path, runner: CliRunner) -> None:
    _add(runner, "Oktober", "2026-10-01", "2026-10-31", "--target", "views=1000")
    _add(runner, "November", "2026-11-01", "2026-11-30", "--budget", "1500", "--currency", "EUR")
    _add(runner, "Desember", "2026-12-01", "2026-12-24", "--platform", "linkedin")
    result = run(runner, "list", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = {r["name"]: r for r in json.loads(result.stdout)}
    assert {n: r["status"] for n, r in rows.items()} == {
        "Oktober": "ended",
        "November": "running",
        "Desember": "planned",
    }
    assert rows["November"]["budget"] == 1500 and rows["November"]["currency"] == "EUR"
    assert rows["Oktober"]["targets"] == 1 and rows["Oktober"]["platforms"] == ["all"]
    assert [r["name"] for r in json.loads(result.stdout)] == ["Desember", "November", "Oktober"]
    result = run(runner, "list", "--format", "csv")
    parsed = list(csv.DictReader(io.StringIO(result.stdout)))
    assert parsed[1] == {
        "name": "November",
        "start": "2026-11-01",
        "end": "2026-11-30",
        "platforms": "all",
        "status": "running",
        "targets": "0",
        "budget": "1500",
        "currency": "EUR",
        "partner": "",
    }
    result = run(runner, "list")
    assert result.exit_code == 0 and "running" in result.stdout and "1,500 EUR" in result.stdout


def test_list_of_an_empty_database_says_how_to_add_one(ws: Path, runner: CliRunner) -> None:
    result = run(runner, "list")
    assert result.exit_code == 0
    assert "No campaigns yet" in result.stdout
    assert json.loads(run(runner, "list", "--format", "json").stdout) == []


def test_edit_replaces_values_and_adds_and_removes_members_and_targets(
    realfag: Path, runner: CliRunner
) -> None:
    result = run(
        runner,
        "edit",
        "Realfag høst 2026",
        "--end",
        "2026-11-15",
        "--target",
        "views=500000",
        "--target",
        "follower_gain:organic:tiktok=800",
        "--remove-target",
        "ctr:paid",
        "--hashtag",
        "realfagsuka",
        "--remove-post",
        "tiktok:7301234567890123456",
        "--no-budget",
        "--rename",
        "Realfag 2026",
    )
    assert result.exit_code == 0, result.output
    assert "Updated campaign 'Realfag 2026'" in result.stdout
    data = show_json(runner, "Realfag 2026")
    assert data["end"] == "2026-11-15" and data["budget"] is None
    assert data["hashtags"] == ["realfag", "realfagsuka"] and data["posts"] == []
    assert [(t["kpi"], t["origin"], t["platform"], t["target"]) for t in data["targets"]] == [
        ("views", "total", "all", 500000),  # replaced in place
        ("reach", "paid", "tiktok", 150000),
        ("cost_per_result", "paid", "all", 0.8),
        ("follower_gain", "organic", "tiktok", 800),
    ]
    assert run(runner, "show", "Realfag høst 2026").exit_code == 1


def test_edit_can_replace_all_members_and_targets(realfag: Path, runner: CliRunner) -> None:
    result = run(
        runner, "edit", "Realfag høst 2026", "--replace-members", "--hashtag", "fysikk",
        "--replace-targets", "--target", "engagement_rate=5%", "--platform", "tiktok",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    data = show_json(runner, "Realfag høst 2026")
    assert data["platforms"] == ["tiktok"]
    assert (data["hashtags"], data["posts"], data["slots"], data["ad_campaigns"]) == (
        ["fysikk"], [], [], []
    )  # fmt: skip
    assert [(t["kpi"], t["target"]) for t in data["targets"]] == [
        ("engagement_rate", pytest.approx(0.05))
    ]


def test_edit_without_a_change_says_so_and_writes_nothing(realfag: Path, runner: CliRunner) -> None:
    before = tables(realfag)
    result = run(runner, "edit", "Realfag høst 2026", "--target", "views=400000")
    assert result.exit_code == 0
    assert "nothing changed" in result.stdout
    result = run(runner, "edit", "Realfag høst 2026")
    assert result.exit_code == 1
    assert "nothing to change" in result.stderr
    assert tables(realfag) == before


ADD_ERRORS = [
    (["--end", "2026-08-01"], "--end: the end 2026-08-01 is before the start 2026-09-01; give"),
    (["--start", "1.9.2026"], "--start: '1.9.2026' is not a date; write the start as YYYY-MM-DD"),
    (["--target", "veiws=10"], "--target: 'veiws=10': unknown KPI 'veiws'; did you mean 'views'?"),
    (["--target", "views:organc=10"], "--target: 'views:organc=10': unknown origin 'organc'; use"),
    (["--target", "views:paid:tiktokk=1"], "unknown platform 'tiktokk'; did you mean 'tiktok'?"),
    (["--target", "views"], "--target: 'views' has no value; write KPI[:ORIGIN[:PLATFORM]]=VALUE"),
    (["--target", "ctr:paid=1.2"], "ctr is a percentage; write the target with a percent sign"),
    (["--target", "views=5%"], "views is not a percentage; write a plain number"),
    (["--target", "views=400,000"], "'400,000' is ambiguous; write it without thousands"),
    (["--target", "views=-5"], "views target must be above 0"),
    (["--target", "clicks=10.5"], "clicks target must be a whole number"),
    (["--target", "spend:organic=100"], "spend has no organic value (it comes from ad spend)"),
    (["--target", "views=1", "--target", "views:total:all=2"], "views:total:all is given twice"),
    (["--target", "reach:paid:linkedin=5"], "is for linkedin, but the campaign runs on tiktok"),
    (["--platform", "tikttok"], "--platform: unknown platform 'tikttok'; did you mean 'tiktok'?"),
    (["--partner", "Equinr"], "--partner: unknown partner 'Equinr'; see 'social partner list' or"),
    (["--slot", "nope"], "--slot: no calendar slot 'nope'; see 'social calendar list'"),
    (["--post", "7301"], "--post: '7301' names no platform; write PLATFORM:ID, e.g. tiktok:"),
    (["--post", "tiktk:7301"], "--post: 'tiktk:7301': unknown platform 'tiktk'"),
    (["--post", "facebook:1_2"], "post facebook:1_2 is on facebook, but the campaign runs on"),
    (["--ad-campaign", "tiktok:"], "--ad-campaign: 'tiktok:' has no usable id"),
    (["--hashtag", "two words"], "--hashtag: 'two words' is not a hashtag; give one word"),
    (["--hashtag", "x", "--hashtag", "#X"], "--hashtag: #x is given twice"),
    (["--budget", "lots"], "--budget: budget 'lots' is not a number"),
    (["--budget", "-1"], "--budget: budget must not be negative"),
    (["--currency", "KRONER"], "--currency: unknown currency 'KRONER'; use a three-letter ISO"),
]


@pytest.mark.parametrize(("extra", "message"), ADD_ERRORS, ids=[" ".join(e) for e, _ in ADD_ERRORS])
def test_bad_add_names_the_option_and_the_fix_and_writes_nothing(
    realfag: Path, runner: CliRunner, extra: list[str], message: str
) -> None:
    before = tables(realfag)
    base = ["add", "Ny", "--start", "2026-09-01", "--end", "2026-09-30", "--platform", "tiktok"]
    result = run(runner, *base, *extra)
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("Error: ")
    assert message in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.output
    assert tables(realfag) == before


def test_adding_a_name_that_exists_points_to_edit(realfag: Path, runner: CliRunner) -> None:
    before = tables(realfag)
    result = run(runner, "add", "REALFAG høst 2026", "--start", "2026-01-01", "--end", "2026-01-02")
    assert result.exit_code == 1
    assert "already exists" in result.stderr
    assert 'social campaign edit "Realfag høst 2026"' in result.stderr
    assert tables(realfag) == before


EDIT_ERRORS = [
    (["Realfg høst 2026", "--end", "2026-12-01"], "unknown campaign 'Realfg høst 2026'; did you"),
    (["Realfag høst 2026", "--remove-target", "views:paid"], "has no target views:paid:all"),
    (["Realfag høst 2026", "--remove-hashtag", "fysikk"], "#fysikk is not a hashtag of"),
    (["Realfag høst 2026", "--platform", "linkedin"], "but the campaign runs on linkedin"),
    (["Realfag høst 2026", "--start", "2026-11-01"], "--end: the end 2026-10-31 is before"),
    (["Realfag høst 2026", "--rename", "Annen"], "a campaign named 'Annen' already exists"),
    (["Realfag høst 2026", "--partner", "X", "--no-partner"], "contradict"),
    (
        ["Realfag høst 2026", "--target", "views=1", "--target", "views=2"],
        "views:total:all is given twice",
    ),
]


@pytest.mark.parametrize(
    ("args", "message"), EDIT_ERRORS, ids=[" ".join(a) for a, _ in EDIT_ERRORS]
)
def test_bad_edit_fails_cleanly_and_writes_nothing(
    realfag: Path, runner: CliRunner, args: list[str], message: str
) -> None:
    _add(runner, "Annen", "2026-01-01", "2026-01-31")
    before = tables(realfag)
    result = run(runner, "edit", *args)
    assert result.exit_code == 1, result.output
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert tables(realfag) == before


def test_remove_asks_first_and_detaches_calendar_slots(realfag: Path, runner: CliRunner) -> None:
    db = open_db(realfag / "social.db")
    db.execute("UPDATE calendar_slots SET campaign_id = (SELECT id FROM campaigns)")
    db.conn.close()
    before = tables(realfag)
    result = run(runner, "remove", "Realfag høst 2026", input="n\n")
    assert result.exit_code == 1 and "Aborted" in result.output
    assert tables(realfag) == before
    result = run(runner, "remove", "realfag høst 2026", "--yes")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "Removed campaign 'Realfag høst 2026'. Detached 1 calendar slot and 0 briefs "
        "(they are kept).\n"
    )
    after = tables(realfag)
    assert after["campaigns"] == after["campaign_members"] == after["kpi_targets"] == []
    assert after["slot_links"] == [("slot-1", None)]


@time_machine.travel("2026-09-10T10:00:00Z", tick=False)
def test_campaign_report_reads_a_campaign_made_with_the_cli(
    realfag: Path, runner: CliRunner
) -> None:
    result = runner.invoke(cli, ["report", "campaign", "Realfag høst 2026", "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["campaign"]["status"] == "running"
    assert report["campaign"]["partner"] == "Equinor"
    assert report["campaign"]["platforms"] == ["tiktok", "facebook"]
    kpis = {(k["kpi"], k["origin"], k["platform"]): k for k in report["kpis"]}
    assert set(kpis) == {
        ("views", "total", "all"),
        ("reach", "paid", "tiktok"),
        ("ctr", "paid", "all"),
        ("cost_per_result", "paid", "all"),
    }
    assert kpis["ctr", "paid", "all"]["target"] == pytest.approx(0.012)
    assert kpis["ctr", "paid", "all"]["unit"] == "ratio"
    # No data collected yet: no actuals, and the missing ad campaigns are named.
    assert all(k["actual"] is None for k in report["kpis"])
    codes = [w["code"] for w in report["warnings"]]
    assert codes.count("missing_ad_campaign") == 2 and "no_targets" not in codes


@time_machine.travel("2026-08-01T10:00:00Z", tick=False)
def test_campaign_report_of_a_planned_cli_campaign_in_english(
    realfag: Path, runner: CliRunner
) -> None:
    result = runner.invoke(
        cli, ["report", "campaign", "Realfag høst 2026", "--format", "md", "--lang", "en"]
    )
    assert result.exit_code == 0, result.output
    assert "starts on 1 Sept 2026" in result.stdout or "starts on 1 Sep 2026" in result.stdout
