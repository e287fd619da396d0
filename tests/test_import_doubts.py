"""Issue 14: doubtful values in `social import` are refused or warned about, never stored.

The policy (collectors/importers/cells.py): a number that cannot be a real
count (infinity, 400 digits, digits other than 0-9) refuses the file with its
row and column; a row dated outside 2000-01-01..tomorrow and a negative count
are left out with a warning counted in the summary, and the rest of the file
is stored; `nan` is no value.
"""

from __future__ import annotations

import json
import math
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from import_support import (
    TIKTOK_CONTENT_HEADERS,
    business_content_csv,
    csv_text,
    meta_daily_file,
    meta_posts_csv,
    meta_rows,
    name_accounts,
    studio_overview_csv,
    tiktok_content_csv,
    tiktok_content_rows,
    write_text,
)

from db import open_db
from social.cli import cli

TABLES = ("accounts", "posts", "post_snapshots", "post_latest", "metric_values")


@pytest.fixture(autouse=True)
def accounts(workspace_dir: Path) -> None:
    name_accounts(workspace_dir)  # the fixtures name no account, except Meta's Page ID


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, ["import", *args])


def dump(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    if not path.exists():
        return {}
    db = open_db(path)
    return {t: sorted(db.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in TABLES}


def meta_with(folder: Path, name: str, column: int, value: str) -> Path:
    rows = meta_rows()
    rows[0][column] = value
    return meta_posts_csv(folder / name, rows=rows)


VIEWS, PUBLISH = 12, 6


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("1" * 400, ["it has 400 digits", "at most 15"]),
        ("99999999999999999999", ["it has 20 digits"]),
        ("inf", ["'inf' is not a finite number"]),
        ("-Infinity", ["is not a finite number"]),
        ("١٢٣", ["'١٢٣' is not a number written with the digits 0-9"]),
        ("1٢3", ["digits 0-9"]),
    ],
)
def test_a_number_that_cannot_be_a_count_refuses_the_file_naming_row_and_column(
    workspace_dir: Path, value: str, words: list[str]
) -> None:
    db_file = workspace_dir / "social.db"
    assert run(str(meta_posts_csv(workspace_dir / "ok.csv"))).exit_code == 0
    before = dump(db_file)
    result = run(str(meta_with(workspace_dir, "bad.csv", VIEWS, value)))
    message = result.output.strip()
    assert result.exit_code == 1 and message.startswith("Error: bad.csv: row 2, column 'Views'")
    assert "\n" not in message and "internal error" not in message
    for word in words:
        assert word in message
    assert dump(db_file) == before


def test_a_negative_view_count_is_left_out_with_a_warning_and_the_rest_stored(
    workspace_dir: Path,
) -> None:
    result = run(str(meta_with(workspace_dir, "neg.csv", VIEWS, "-5")), "--format", "json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["warnings"] == [
        "1 negative count(s) not stored, as a count cannot be below 0 "
        "(first: row 2, column 'Views': -5)"
    ]
    db = open_db(workspace_dir / "social.db")
    views = db.execute(
        "SELECT COUNT(*), MIN(value) FROM post_snapshots WHERE metric = 'post_media_view'"
    ).fetchone()
    assert views == (1, 12000.0)  # the other post's views; the bad one is not stored
    assert db.execute("SELECT COUNT(*) FROM posts").fetchone()[0] == 2


def test_the_table_summary_prints_the_warning(workspace_dir: Path) -> None:
    result = run(str(meta_with(workspace_dir, "neg.csv", VIEWS, "-5")))
    assert result.exit_code == 0
    assert "1 warning(s) below" in result.output
    assert "  Warning: 1 negative count(s) not stored" in result.output


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("01/01/2099 10:00", "2099-01-01 is in the future"),
        ("12/31/9999 23:59", "9999-12-31 is in the future"),
        ("01/01/0001 00:00", "0001-01-01 is before 2000-01-01"),
        ("0001-01-01T00:00:00+05:00", "0001-01-01 is before 2000-01-01"),
        ("9999-12-31T23:59:59-05:00", "9999-12-31 is in the future"),
    ],
)
def test_a_post_dated_in_the_future_or_year_1_is_left_out_with_a_warning(
    workspace_dir: Path, value: str, why: str
) -> None:
    result = run(str(meta_with(workspace_dir, "when.csv", PUBLISH, value)), "--format", "json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    [warning] = summary["warnings"]
    assert "1 row(s) not stored because their date cannot be right" in warning and why in warning
    assert summary["posts"] == 1
    db = open_db(workspace_dir / "social.db")
    assert db.execute("SELECT MIN(published_at) FROM posts").fetchone()[0].startswith("2025-11-2")


@pytest.mark.parametrize(
    "day", ["0001-01-01T00:00:00", "9999-12-31T00:00:00", "2099-06-01T00:00:00"]
)
def test_a_daily_row_out_of_range_is_left_out_and_the_rest_stored(
    workspace_dir: Path, day: str
) -> None:
    path = meta_daily_file(
        workspace_dir / "Reach.csv", [("Facebook reach", [(day, 5), ("2025-01-02T00:00:00", 6)])]
    )
    result = run(str(path), "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["values"] == 1
    db = open_db(workspace_dir / "social.db")
    assert db.execute("SELECT window_start, value FROM metric_values").fetchall() == [
        ("2025-01-02", 6.0)
    ]


def test_a_file_whose_every_row_is_out_of_range_stores_nothing_and_says_why(
    workspace_dir: Path,
) -> None:
    path = meta_daily_file(
        workspace_dir / "Reach.csv", [("Facebook reach", [("2099-01-01T00:00:00", 5)])]
    )
    result = run(str(path))
    assert result.exit_code == 1
    assert "nothing to store" in result.output and "2099-01-01 is in the future" in result.output
    assert dump(workspace_dir / "social.db").get("metric_values", []) == []


@pytest.mark.parametrize("value", ["nan", "NaN", "NAN", "undefined"])
def test_nan_is_no_value_not_zero(workspace_dir: Path, value: str) -> None:
    result = run(str(meta_with(workspace_dir, "nan.csv", VIEWS, value)), "--format", "json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert any("read as no value, not zero" in n for n in summary["notes"])
    db = open_db(workspace_dir / "social.db")
    views = db.execute("SELECT value FROM post_snapshots WHERE metric = 'post_media_view'")
    assert [v for (v,) in views] == [12000.0]


@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31", "2099-01-01"])
def test_period_end_out_of_range_is_one_clear_line(workspace_dir: Path, value: str) -> None:
    path = studio_overview_csv(workspace_dir / "Overview.csv")
    result = run(str(path), "--period-end", value)
    message = result.output.strip().splitlines()[-1]
    assert result.exit_code == 2 and "--period-end" in message and value in message
    assert "internal error" not in result.output
    assert open_db(workspace_dir / "social.db")["posts"].count == 0


def test_a_yearless_date_with_year_1_period_end_is_refused(workspace_dir: Path) -> None:
    result = run(str(studio_overview_csv(workspace_dir / "Overview.csv")), "--period-end", "1-1-1")
    assert result.exit_code == 2 and "internal error" not in result.output


def test_a_video_in_the_future_is_left_out(workspace_dir: Path) -> None:
    rows = tiktok_content_rows()
    rows[0][2] = "2099-11-20 18:30:00"
    path = write_text(
        workspace_dir / "content.csv",
        csv_text(TIKTOK_CONTENT_HEADERS, rows, sep_line=False),
        "utf-8",
    )
    result = run(str(path), "--format", "json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["posts"] == 1 and "2099-11-20 is in the future" in summary["warnings"][0]


def test_stored_values_are_finite_after_any_import(workspace_dir: Path) -> None:
    for path in (
        tiktok_content_csv(workspace_dir / "c.csv"),
        business_content_csv(workspace_dir / "b.csv"),
        meta_with(workspace_dir, "m.csv", VIEWS, "nan"),
    ):
        assert run(str(path)).exit_code == 0
    db = open_db(workspace_dir / "social.db")
    for table in ("post_snapshots", "metric_values"):
        for (value,) in db.execute(f"SELECT value FROM {table}"):
            assert math.isfinite(value)
    assert date.fromisoformat(
        db.execute("SELECT MAX(substr(published_at, 1, 10)) FROM posts").fetchone()[0]
    ) < date(2026, 12, 31)
