"""`social campaign import FILE.toml`: idempotent, all-or-nothing, errors by key and line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from core import registry
from tests.campaign_support import run, seed_planning, tables

GOOD = """\
# Campaigns kept as a file
[[campaign]]
name = "Realfag høst 2026"
start = 2026-09-01
end = 2026-10-31
platforms = ["tiktok", "facebook"]
partner = "Equinor"
budget = { amount = 60000, currency = "NOK" }
description = "Høstkampanje"
hashtags = ["realfag", "#Fysikk"]
posts = ["tiktok:7301234567890123456"]
slots = ["slot-1"]
ad_campaigns = { tiktok = ["1780000000000002"], facebook = ["120210000000000202"] }
targets = [
  { kpi = "views", origin = "total", platform = "all", value = 400000 },
  { kpi = "reach", origin = "paid", platform = "tiktok", value = 150000 },
  { kpi = "ctr", origin = "paid", value = "1,2 %" },
]

[[campaign]]
name = "Jenter og teknologi"
start = "2026-03-01"
end = 2026-03-31
budget = 5000

[[campaign.targets]]
kpi = "followers_gained"
origin = "organic"
platform = "tiktok"
value = 500

[[campaign.targets]]
kpi = "cost_per_result"
origin = "paid"
value = 1.5
"""


@pytest.fixture
def ws(workspace_dir: Path) -> Path:
    seed_planning(workspace_dir)
    return workspace_dir


def write(folder: Path, text: str, name: str = "campaigns.toml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def show(runner: CliRunner, name: str) -> dict:
    result = run(runner, "show", name, "--format", "json")
    assert result.exit_code == 0, result.output
    data: dict = json.loads(result.stdout)
    data.pop("status")
    return data


def test_import_adds_every_campaign_and_reimport_changes_nothing(
    ws: Path, runner: CliRunner
) -> None:
    write(ws, GOOD)
    result = run(runner, "import", "campaigns.toml")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "Added 'Realfag høst 2026'",
        "Added 'Jenter og teknologi'",
        "campaigns.toml: 2 campaigns, 2 new, 0 updated, 0 unchanged.",
    ]
    realfag = show(runner, "Realfag høst 2026")
    assert realfag["partner"] == "Equinor" and realfag["budget"] == 60000
    assert realfag["hashtags"] == ["realfag", "fysikk"] and realfag["slots"] == ["slot-1"]
    assert realfag["ad_campaigns"] == [
        {"platform": "tiktok", "id": "1780000000000002"},
        {"platform": "facebook", "id": "120210000000000202"},
    ]
    assert [(t["kpi"], t["origin"], t["platform"]) for t in realfag["targets"]] == [
        ("views", "total", "all"),
        ("reach", "paid", "tiktok"),
        ("ctr", "paid", "all"),
    ]
    assert realfag["targets"][2]["target"] == pytest.approx(0.012)
    jenter = show(runner, "Jenter og teknologi")
    # A campaign for all platforms lists every installed one.
    assert jenter["platforms"] == list(registry.names()) and jenter["all_platforms"]
    assert [(t["kpi"], t["target"]) for t in jenter["targets"]] == [
        ("follower_gain", 500),
        ("cost_per_result", 1.5),
    ]
    before = tables(ws)
    result = run(runner, "import", "campaigns.toml")
    assert result.exit_code == 0, result.output
    assert "0 new, 0 updated, 2 unchanged." in result.stdout
    assert tables(ws) == before  # not even updated_at moves


def test_reimport_of_a_changed_file_updates_in_place(ws: Path, runner: CliRunner) -> None:
    write(ws, GOOD)
    assert run(runner, "import", "campaigns.toml").exit_code == 0
    ids = {row[1]: row[0] for row in tables(ws)["campaigns"]}
    changed = GOOD.replace('hashtags = ["realfag", "#Fysikk"]', 'hashtags = ["realfag"]').replace(
        "value = 400000", "value = 450000"
    )
    write(ws, changed)
    result = run(runner, "import", "campaigns.toml")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[:2] == [
        "Updated 'Realfag høst 2026'",
        "Unchanged 'Jenter og teknologi'",
    ]
    assert {row[1]: row[0] for row in tables(ws)["campaigns"]} == ids
    realfag = show(runner, "Realfag høst 2026")
    assert realfag["hashtags"] == ["realfag"]
    assert realfag["targets"][0]["target"] == 450000


def test_dry_run_reports_and_writes_nothing(ws: Path, runner: CliRunner) -> None:
    write(ws, GOOD)
    before = tables(ws)
    result = run(runner, "import", "campaigns.toml", "--dry-run")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "Would add 'Realfag høst 2026'",
        "Would add 'Jenter og teknologi'",
        "campaigns.toml: 2 campaigns, 2 new, 0 updated, 0 unchanged (dry run: nothing written).",
    ]
    assert tables(ws) == before


def test_a_bad_second_campaign_keeps_the_first_out_too(ws: Path, runner: CliRunner) -> None:
    write(ws, GOOD.replace("budget = 5000", 'budget = 5000\npartner = "Ukjent"'))
    before = tables(ws)
    result = run(runner, "import", "campaigns.toml")
    assert result.exit_code == 1
    assert "unknown partner 'Ukjent'" in result.stderr
    assert tables(ws) == before


def _line_of(text: str, needle: str) -> int:
    return text.count("\n", 0, text.index(needle)) + 1


# (replace this, with that, expected key path, the line containing this text, message part)
BAD = [
    ('value = "1,2 %"', "value = 1.2", "campaign[0].targets[2].value", "value = 1.2",
     "ctr is a percentage; write the target with a percent sign"),
    ('platform = "tiktok", value = 150000', 'platform = "tiktk", value = 150000',
     "campaign[0].targets[1].platform", "tiktk", "did you mean 'tiktok'?"),
    ('{ kpi = "views", origin', '{ kpi = "veiws", origin', "campaign[0].targets[0].kpi", "veiws",
     "unknown KPI 'veiws'; did you mean 'views'?"),
    ('kpi = "followers_gained"', 'kpi = "folowers"', "campaign[1].targets[0].kpi", "folowers",
     "unknown KPI 'folowers'"),
    ('origin = "paid"\nvalue = 1.5', 'origin = "organic"\nvalue = 1.5',
     "campaign[1].targets[1].origin", 'origin = "organic"\nvalue = 1.5',
     "cost_per_result has no organic value"),
    ("end = 2026-10-31", "end = 2026-08-31", "campaign[0].end", "end = 2026-08-31",
     "the end 2026-08-31 is before the start 2026-09-01"),
    ('partner = "Equinor"', 'partner = "Equinr"', "campaign[0].partner", "Equinr",
     "unknown partner 'Equinr'; see 'social partner list'"),
    ('slots = ["slot-1"]', 'slots = ["slot-1", "slot-9"]', "campaign[0].slots[1]", "slot-9",
     "no calendar slot 'slot-9'"),
    ('posts = ["tiktok:7301234567890123456"]', 'posts = ["linkedin:urn:li:share:1"]',
     "campaign[0].posts[0]", "urn:li:share:1", "is on linkedin, but the campaign runs on tiktok"),
    ('facebook = ["120210000000000202"]', 'facebok = ["1"]', "campaign[0].ad_campaigns.facebok",
     "facebok", "unknown platform 'facebok'"),
    ('currency = "NOK"', 'currency = "KR"', "campaign[0].budget.currency", 'currency = "KR"',
     "unknown currency 'KR'"),
    ("budget = 5000", "budget = 5000\nbudsjett = 1", "campaign[1].budsjett", "budsjett",
     "unknown key 'budsjett'; did you mean 'budget'?"),
    ('name = "Jenter og teknologi"', 'name = "REALFAG HØST 2026"', "campaign[1].name",
     "REALFAG HØST", "is also campaign[0] in this file"),
    ('start = "2026-03-01"', 'start = "1. mars"', "campaign[1].start", "1. mars",
     "is not a date; write start as YYYY-MM-DD"),
    ('hashtags = ["realfag", "#Fysikk"]', 'hashtags = ["realfag", "to ord"]',
     "campaign[0].hashtags[1]", "to ord", "is not a hashtag"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("old", "new", "path", "needle", "message"), BAD, ids=[b[2] + " " + b[1] for b in BAD]
)
def test_bad_file_names_the_key_and_line_and_writes_nothing(
    ws: Path, runner: CliRunner, old: str, new: str, path: str, needle: str, message: str
) -> None:
    assert old in GOOD
    text = GOOD.replace(old, new, 1)
    write(ws, text)
    before = tables(ws)
    result = run(runner, "import", "campaigns.toml")
    assert result.exit_code == 1, result.output
    prefix = f"Error: campaigns.toml:{_line_of(text, needle)}: {path}: "
    assert result.stderr.startswith(prefix), result.stderr
    assert message in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.output
    assert tables(ws) == before


def test_toml_syntax_error_names_the_line(ws: Path, runner: CliRunner) -> None:
    text = GOOD.replace("end = 2026-03-31", "end = 2026-02-31")
    write(ws, text)
    result = run(runner, "import", "campaigns.toml")
    assert result.exit_code == 1
    line = _line_of(text, "2026-02-31")
    assert result.stderr.startswith(f"Error: campaigns.toml:{line}: not valid TOML (")
    assert result.stderr.rstrip().endswith("fix that line")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "campaigns.toml:1: campaign: no campaigns; write each one as a [[campaign]] table"),
        ("[campaign]\nname = 'x'\n", "no campaigns; write each one as a [[campaign]] table"),
        ('title = "x"\n', "campaigns.toml:1: title: unknown key 'title'; campaigns go in"),
        ("[[campaign]]\nname = 'x'\nstart = 2026-01-01\n", "campaign[0]: missing 'end'"),
    ],
)
def test_files_without_campaigns_fail_clearly(
    ws: Path, runner: CliRunner, text: str, message: str
) -> None:
    write(ws, text)
    result = run(runner, "import", "campaigns.toml")
    assert result.exit_code == 1
    assert message in result.stderr


def test_missing_file_fails_cleanly(ws: Path, runner: CliRunner) -> None:
    result = run(runner, "import", "nope.toml")
    assert result.exit_code == 1
    assert (
        result.stderr == "Error: nope.toml: no such file; give the path of a campaigns .toml file\n"
    )
