"""Bad values at the command line and in calendar spreadsheets are one line naming the problem.

Findings from outside testing (issue 14): dates in years 0001 or 9999 in `calendar add/move/
import`, slot ids that are not numbers or too large, cells over 131 072 characters, and
file names the system refuses ended in "internal error"; the database must stay as it was.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from db import open_db
from social.cli import cli


def run(runner: CliRunner, *args: str) -> Result:
    return runner.invoke(cli, list(args))


def dump(workspace: Path) -> str:
    db = open_db(workspace / "social.db")
    try:
        return "\n".join(db.iterdump())
    finally:
        db.close()


def one_line_error(result: Result) -> str:
    assert result.exit_code == 1, result.output
    assert "internal error" not in result.output and "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    return lines[0]


@pytest.fixture
def ws(workspace_dir: Path, runner: CliRunner) -> Path:
    assert run(runner, "team", "add", "Kari").exit_code == 0
    added = run(
        runner, "calendar", "add", "--at", "2026-12-01 16:00", "--platform", "tiktok",
        "--title", "Eksamenstips", "--owner", "Kari",
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    return workspace_dir


@pytest.mark.parametrize("when", ["0001-01-01 00:30", "9999-12-31 23:59", "0001-01-01T00:00Z"])
def test_add_and_move_refuse_dates_out_of_range(ws: Path, runner: CliRunner, when: str) -> None:
    before = dump(ws)
    add = run(
        runner, "calendar", "add", "--at", when, "--platform", "tiktok", "--title", "x"
    )  # fmt: skip
    assert one_line_error(add) == (
        f"Error: '{when}' is out of range; give a date between 1900 and 2199"
    )
    move = run(runner, "calendar", "move", "1", "--to", when)
    assert "out of range; give a date between 1900 and 2199" in one_line_error(move)
    assert dump(ws) == before


@pytest.mark.parametrize(
    ("ref", "shown"),
    [
        ("99999999999999999999", "99999999999999999999"),
        ("²", "²"),
        ("١", "١"),
        ("x" * 500, "x" * 37 + "..."),
    ],
)
def test_a_slot_id_that_is_not_a_usable_number_is_not_found(
    ws: Path, runner: CliRunner, ref: str, shown: str
) -> None:
    before = dump(ws)
    for command in (["edit", ref, "--title", "y"], ["move", ref, "--to", "2026-12-02 10:00"]):
        error = one_line_error(run(runner, "calendar", *command))
        assert error == f"Error: no calendar slot '{shown}'; see 'social calendar list' for the ids"
    assert dump(ws) == before


def _sheet(ws: Path, rows: list[str]) -> Path:
    path = ws / "plan.csv"
    header = "id,uid,planned_at,platform,account,title,owners,tags,status,campaign,partner,appears,notes,post"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def test_import_reports_every_bad_row_by_line_and_writes_nothing(
    ws: Path, runner: CliRunner
) -> None:
    path = _sheet(
        ws,
        [
            ",,2026-12-03 10:00,tiktok,,Good row,,,planned,,,,,",
            ",,0001-01-01 10:00,tiktok,,Year one,,,planned,,,,,",
            ",,9999-12-31 23:30,tiktok,,Year 9999,,,planned,,,,,",
            "99999999999999999999,,2026-12-03 10:00,tiktok,,Huge id,,,planned,,,,,",
            "²,,2026-12-03 10:00,tiktok,,Superscript id,,,planned,,,,,",
            "abc,,2026-12-03 10:00,tiktok,,Letters,,,planned,,,,,",
        ],
    )
    before = dump(ws)
    result = run(runner, "calendar", "import", str(path))
    assert result.exit_code == 1
    assert "internal error" not in result.output and "Traceback" not in result.output
    errors = [line for line in result.output.splitlines() if line.strip()]
    assert errors == [
        "Error: plan.csv line 3: '0001-01-01 10:00' is out of range; give a date between 1900 "
        "and 2199",
        "plan.csv line 4: '9999-12-31 23:30' is out of range; give a date between 1900 and 2199",
        "plan.csv line 5: id '99999999999999999999' is not a slot number (digits 0-9, at most "
        "18); leave it empty for a new slot",
        "plan.csv line 6: id '²' is not a slot number (digits 0-9, at most 18); leave it empty "
        "for a new slot",
        "plan.csv line 7: id 'abc' is not a slot number (digits 0-9, at most 18); leave it empty "
        "for a new slot",
        "nothing was imported; fix the rows above in plan.csv",
    ]
    assert dump(ws) == before


def test_a_cell_over_the_csv_limit_is_named_by_line(ws: Path, runner: CliRunner) -> None:
    path = _sheet(
        ws,
        [
            ",,2026-12-03 10:00,tiktok,,Fine,,,planned,,,,,",
            f',,2026-12-03 11:00,tiktok,,Long,,,planned,,,,"{"n" * 131_073}",',
        ],
    )
    before = dump(ws)
    result = run(runner, "calendar", "import", str(path))
    assert result.exit_code == 1
    assert "Traceback" not in result.output and "internal error" not in result.output
    assert result.output.splitlines()[0] == (
        "Error: plan.csv line 3: a cell is longer than 131 072 characters (the most a cell may "
        "hold); shorten it"
    )
    assert dump(ws) == before


def test_titles_and_notes_have_a_length_limit(ws: Path, runner: CliRunner) -> None:
    long_title = run(
        runner, "calendar", "add", "--at", "2026-12-02 10:00", "--platform", "tiktok",
        "--title", "t" * 301,
    )  # fmt: skip
    assert "keep it to 300 (put the rest in the notes)" in one_line_error(long_title)
    long_notes = run(runner, "calendar", "edit", "1", "--notes", "n" * 20_001)
    assert "keep them to 20000" in one_line_error(long_notes)


@pytest.mark.parametrize(
    "args",
    [
        ["calendar", "list", "--week", "9999-W52"],
        ["calendar", "list", "--week", "0001-W01"],
        ["report", "weekly", "--week", "9999-W52"],
        ["tick", "--dry-run", "--now", "0001-01-01"],
        ["posts", "--since", "0001-01-01"],
        ["insights", "--since", "9999-12-31"],
    ],
)
def test_weeks_and_moments_out_of_range_are_refused(
    ws: Path, runner: CliRunner, args: list[str]
) -> None:
    result = run(runner, *args)
    assert result.exit_code in (1, 2), result.output
    assert "out of range" in result.output and "between 1900 and 2199" in result.output
    assert "internal error" not in result.output and "Traceback" not in result.output


@pytest.mark.parametrize(
    "args",
    [
        ["calendar", "match", "--window-hours", "inf"],
        ["calendar", "match", "--window-hours", "nan"],
        ["calendar", "match", "--window-hours", "99999999999999999999"],
        ["posts", "--limit", "99999999999999999999"],
        ["scheduler", "ledger", "--limit", "0"],
        ["brief", "show", "99999999999999999999"],
    ],
)
def test_numbers_out_of_range_are_usage_errors(
    ws: Path, runner: CliRunner, args: list[str]
) -> None:
    result = run(runner, *args)
    assert result.exit_code == 2, result.output
    assert "Invalid value" in result.output
    assert "internal error" not in result.output and "Traceback" not in result.output


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("x" * 300 + ".csv", "file name too long"),
        ("missing/folder/plan.csv", "no such file or directory"),
        ("a\x00b.csv", "contains a nul character"),
    ],
)
def test_file_names_the_system_refuses_are_one_line(
    ws: Path, runner: CliRunner, name: str, expected: str
) -> None:
    for args in (
        ["calendar", "export", name],
        ["calendar", "ics", "--out", name],
        ["calendar", "import", name],
    ):
        error = one_line_error(run(runner, *args))
        assert expected in error.lower(), error


def test_terminal_control_characters_are_refused_in_titles_and_notes(
    ws: Path, runner: CliRunner
) -> None:
    before = dump(ws)
    title = run(runner, "calendar", "edit", "1", "--title", "Hei \x1b[2J\x1b[31mrød")
    assert "the title contains control characters" in one_line_error(title)
    notes = run(runner, "calendar", "edit", "1", "--notes", "linje 1\nlinje 2\x07")
    assert "the notes contain control characters" in one_line_error(notes)
    assert dump(ws) == before
    assert run(runner, "calendar", "edit", "1", "--notes", "linje 1\n\tlinje 2").exit_code == 0


@pytest.mark.parametrize(
    "args",
    [
        ["calendar", "export", "social.db"],
        ["calendar", "ics", "--out", "social.toml"],
        ["report", "weekly", "--out", "social.db-wal"],
        ["backup", "--to", ".social-tokens.json"],
    ],
)
def test_output_never_overwrites_the_workspaces_own_files(
    ws: Path, runner: CliRunner, args: list[str]
) -> None:
    before = dump(ws)
    config = (ws / "social.toml").read_text()
    error = one_line_error(run(runner, *args))
    assert "is one of this workspace's own files (database, config or tokens)" in error
    assert dump(ws) == before and (ws / "social.toml").read_text() == config
