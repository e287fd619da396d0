"""Every CSV the tool writes guards formula cells (OWASP), keeps numbers numbers, and the
calendar's export -> import round trip stays lossless.

Finding from outside testing (issue 14): `calendar export`, `posts`, `partner list` and
`team list --format csv` wrote cells starting with `=`, `+`, `-`, `@` unchanged.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import given, settings
from hypothesis import strategies as st

from core.csvfile import read_cell, rows_to_csv, safe_cell
from db import open_db
from social.cli import cli

EVIL = [
    '=HYPERLINK("https://evil.example","klikk")',
    "+47 cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)",
    "\t=1+1",
    "\r=1+1",
]


def run(runner: CliRunner, *args: str) -> Result:
    return runner.invoke(cli, list(args))


def cells(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def assert_guarded(table: list[list[str]]) -> None:
    for row in table:
        for cell in row:
            assert not cell.startswith(("=", "@", "\t", "\r")), cell
            if cell.startswith(("-", "+")):
                float(cell.replace(",", "."))  # only a plain signed number may start with -/+


@pytest.mark.parametrize("value", EVIL)
def test_a_formula_cell_gets_a_text_marker_and_reads_back_the_same(value: str) -> None:
    assert safe_cell(value) == "'" + value
    assert read_cell(safe_cell(value)) == value


@pytest.mark.parametrize("value", [-5, 3.25, "-12", "3.5", "+47", 0, None, "", "'Tis", "Oslo"])
def test_numbers_stay_numbers_and_plain_text_is_unchanged(value: object) -> None:
    out = safe_cell(value)
    if value == "+47":
        assert out == "+47"  # a plain signed number
    else:
        assert out == value


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("'=+-@\t\r x1.,;\"é"), max_size=12))
def test_guarding_is_reversible_for_any_text(text: str) -> None:
    written = rows_to_csv([[text]])
    (row,) = cells(written)
    assert read_cell(row[0]) == text
    assert_guarded([row])


@pytest.fixture
def ws(workspace_dir: Path, runner: CliRunner) -> Path:
    for i, value in enumerate(EVIL):
        name = f"{value.strip()} {i}"
        result = run(runner, "team", "add", "--email", f"p{i}@example.no", "--", name)
        assert result.exit_code == 0, result.output
        partner = run(
            runner, "partner", "add", "--tier", "small", f"--region={value.strip()}", "--",
            f"{value.strip()} AS {i}",
        )  # fmt: skip
        assert partner.exit_code == 0, partner.output
        added = run(
            runner, "calendar", "add", "--at", f"2026-12-0{i + 1} 16:00", "--platform",
            "tiktok", "--title", value.strip() or "x", "--notes", value, "--tag", "=tag",
        )  # fmt: skip
        assert added.exit_code == 0, added.output
    db = open_db(workspace_dir / "social.db")
    with db.atomic():
        db.execute(
            "INSERT INTO accounts (platform, kind, external_id, name, created_at) "
            "VALUES ('tiktok', 'organic', 'acc', '=acc', '2026-01-01T00:00:00Z')"
        )
        for i, value in enumerate(EVIL):
            db.execute(
                "INSERT INTO posts (account_id, platform, external_id, published_at, caption, "
                "source, first_seen_at, updated_at) VALUES (1, 'tiktok', ?, ?, ?, 'api', "
                "'2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z')",
                [f"-{i}", f"2026-11-0{i + 1}T10:00:00Z", value],
            )
            for day, views in ((2, 0), (8, 1000 + i)):  # views gained in week 45
                db.execute(
                    "INSERT INTO post_snapshots (post_id, metric, origin, captured_at, value, "
                    "source) VALUES (?, 'view_count', 'total', ?, ?, 'api')",
                    [i + 1, f"2026-11-0{day}T12:00:00Z", views],
                )
    db.close()
    return workspace_dir


@pytest.mark.parametrize(
    "args",
    [
        ["posts", "--format", "csv"],
        ["partner", "list", "--format", "csv"],
        ["team", "list", "--format", "csv"],
        ["calendar", "list", "--format", "csv"],
        ["campaign", "list", "--format", "csv"],
        ["scheduler", "ledger", "--format", "csv"],
    ],
)
def test_listing_commands_write_guarded_csv(ws: Path, runner: CliRunner, args: list[str]) -> None:
    result = run(runner, *args)
    assert result.exit_code == 0, result.output
    assert_guarded(cells(result.output))


def test_posts_csv_keeps_the_evil_captions_as_text(ws: Path, runner: CliRunner) -> None:
    table = cells(run(runner, "posts", "--format", "csv").output)
    captions = {read_cell(row[-1]) for row in table[1:]}
    assert captions == set(EVIL)
    assert '\'=HYPERLINK("https://evil.example","klikk")' in [row[-1] for row in table]


def test_calendar_export_is_guarded_and_import_gives_back_the_same_slots(
    ws: Path, runner: CliRunner
) -> None:
    path = ws / "plan.csv"
    assert run(runner, "calendar", "export", str(path)).exit_code == 0
    text = path.read_text(encoding="utf-8-sig")
    assert_guarded(cells(text))
    before = json.loads(run(runner, "calendar", "list", "--format", "json").output)
    result = run(runner, "calendar", "import", str(path))
    assert result.exit_code == 0, result.output
    assert "0 new, 0 updated, 6 unchanged" in result.output
    after = json.loads(run(runner, "calendar", "list", "--format", "json").output)
    assert after == before
    assert {s["notes"] for s in after} == {v.strip() for v in EVIL}


def test_the_report_csv_uses_the_same_writer(ws: Path, runner: CliRunner) -> None:
    result = run(runner, "report", "weekly", "--week", "2026-W45", "--format", "csv")
    assert result.exit_code == 0, result.output
    table = cells(result.output)
    assert_guarded(table)
    shown = {read_cell(cell) for row in table for cell in row}
    assert len(shown & set(EVIL)) == 5  # the top five posts' captions, as text
