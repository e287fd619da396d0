"""`social import`: stores files all-or-nothing, idempotently, next to API data."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from import_support import (
    FB_PAGE,
    LINKEDIN_ORG,
    linkedin_xlsx,
    meta_posts_csv,
    meta_rows,
    tiktok_content_csv,
    write_text,
)
from sqlite_utils import Database

from core.domain import Account, Page, Post, Snapshot
from db import open_db
from db.writes import save_page, upsert_account
from social.cli import cli

TABLES = ("accounts", "posts", "post_snapshots", "post_latest", "metric_values")


def run(runner: CliRunner, *args: str) -> Result:
    return runner.invoke(cli, ["import", *args])


def dump(db_path: Path) -> dict[str, list[tuple[object, ...]]]:
    if not db_path.exists():
        return {}
    db = open_db(db_path)
    return {t: sorted(db.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in TABLES}


@pytest.fixture
def db_file(workspace_dir: Path) -> Path:
    return workspace_dir / "social.db"


def test_linkedin_export_is_stored_with_source_and_reimport_changes_nothing(
    runner: CliRunner, workspace_dir: Path, db_file: Path
) -> None:
    path = linkedin_xlsx(workspace_dir / "content.xlsx")
    first = run(runner, str(path), "--account", LINKEDIN_ORG)
    assert first.exit_code == 0, first.output
    assert "linkedin_page" in first.output and "2 posts (2 new)" in first.output
    before = dump(db_file)
    second = run(runner, str(path), "--account", LINKEDIN_ORG, "--format", "json")
    report = json.loads(second.output)
    assert report["new_posts"] == 0 and report["changed"] == 0
    assert report["unchanged"] == report["values"] > 0
    after = dump(db_file)
    assert after["post_snapshots"] == before["post_snapshots"]
    assert len(after["metric_values"]) == len(before["metric_values"])
    db = Database(db_file)
    assert {r[0] for r in db.execute("SELECT DISTINCT source FROM metric_values")} == {
        "import:linkedin_page"
    }
    account = db.execute("SELECT platform, kind, external_id FROM accounts").fetchall()
    assert account == [("linkedin", "organization", LINKEDIN_ORG)]


def test_a_post_that_came_through_the_api_is_not_counted_twice(
    runner: CliRunner, workspace_dir: Path, db_file: Path
) -> None:
    db = open_db(db_file)
    account_id = upsert_account(db, Account("facebook", "page", FB_PAGE, "Eksempel AS"))
    pid = f"{FB_PAGE}_1122334455667788"
    api_time = datetime(2025, 11, 24, 13, 5, 42, tzinfo=UTC)
    save_page(
        db,
        account_id,
        Page(
            posts=[Post("facebook", pid, api_time, caption="API caption")],
            snapshots=[Snapshot(pid, api_time, {"post_media_view": 5210.0})],
        ),
        source="api",
    )
    path = meta_posts_csv(workspace_dir / "posts.csv", encoding="utf-16", sep_line=True)
    result = run(runner, str(path))
    assert result.exit_code == 0, result.output
    assert "2 posts (1 new)" in result.output
    rows = db.execute(
        "SELECT source, caption, published_at FROM posts WHERE external_id = ?", [pid]
    ).fetchall()
    assert rows == [("api", "API caption", "2025-11-24T13:05:42Z")]
    assert db.execute("SELECT COUNT(*) FROM posts").fetchone()[0] == 2
    # the unchanged views counter was not written again
    views = db.execute(
        """SELECT COUNT(*) FROM post_snapshots s JOIN posts p ON p.id = s.post_id
           WHERE p.external_id = ? AND s.metric = 'post_media_view'""",
        [pid],
    ).fetchone()[0]
    assert views == 1


def test_dry_run_shows_what_would_be_stored_and_writes_nothing(
    runner: CliRunner, workspace_dir: Path, db_file: Path
) -> None:
    path = tiktok_content_csv(workspace_dir / "content.csv")
    empty = dump(db_file)  # the database `social init` made
    fresh = run(runner, str(path), "--dry-run", "--account", "biz-1")
    assert fresh.exit_code == 0, fresh.output
    assert "Dry run, nothing stored" in fresh.output and "view_count" in fresh.output
    assert dump(db_file) == empty
    assert run(runner, str(path), "--account", "biz-1").exit_code == 0
    before = dump(db_file)
    again = run(runner, str(path), "--dry-run", "--format", "json")
    report = json.loads(again.output)
    assert report["dry_run"] and report["new_posts"] == 0 and report["changed"] == 0
    assert report["account"] == "biz-1"  # the only stored TikTok account
    assert dump(db_file) == before


def test_missing_account_names_the_config_key(
    runner: CliRunner, workspace_dir: Path, db_file: Path
) -> None:
    path = tiktok_content_csv(workspace_dir / "content.csv")
    result = run(runner, str(path))
    assert result.exit_code == 1
    assert "content.csv" in result.output and "[tiktok] business_id" in result.output
    assert dump(db_file)["posts"] == []


def write_bytes(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def broken_files(folder: Path) -> dict[str, tuple[Path, list[str]]]:
    """name -> (file, words the error must contain)."""
    rows = meta_rows()
    bad_date = [list(r) for r in rows]
    bad_date[1][6] = "2025-13-45 09:30"
    bad_number = [list(r) for r in rows]
    bad_number[0][12] = "many"
    good = linkedin_xlsx(folder / "good.xlsx").read_bytes()
    latin1 = "Post ID,Page ID,Publish time\r\n1,2,Åpen dag\r\n".encode("latin-1")
    return {
        "bad date": (
            meta_posts_csv(folder / "bad_date.csv", rows=bad_date),
            ["bad_date.csv", "row 3", "'Publish time'", "2025-13-45"],
        ),
        "bad number": (
            meta_posts_csv(folder / "bad_number.csv", rows=bad_number),
            ["bad_number.csv", "row 2", "'Views'", "not a number"],
        ),
        "missing columns": (
            write_text(folder / "missing.csv", "Post ID,Views\r\n1,2\r\n", "utf-8"),
            ["missing.csv", "not a known export", "'Post ID'", "Publish time"],
        ),
        "wrong encoding": (
            write_bytes(folder / "latin1.csv", latin1),
            ["latin1.csv", "not valid UTF-8", "UTF-16"],
        ),
        "truncated xlsx": (
            write_bytes(folder / "cut.xlsx", good[: len(good) // 2]),
            ["cut.xlsx", "damaged or truncated"],
        ),
        "damaged xls": (
            write_bytes(folder / "old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100),
            ["old.xls", "damaged or truncated"],
        ),
        "bad post link": (
            write_text(
                folder / "link.csv",
                "Video title,Video link,Post time,Total views\r\nx,https://example.com/v,"
                "2025-11-20 10:00,5\r\n",
                "utf-8",
            ),
            ["link.csv", "row 2", "'Video link'", "not a TikTok video link"],
        ),
        "empty": (write_text(folder / "empty.csv", "", "utf-8"), ["empty.csv", "empty"]),
    }


@pytest.mark.parametrize(
    "case",
    [
        "bad date",
        "bad number",
        "missing columns",
        "wrong encoding",
        "truncated xlsx",
        "damaged xls",
        "bad post link",
        "empty",
    ],
)
def test_a_broken_file_names_the_problem_and_stores_nothing(
    runner: CliRunner, workspace_dir: Path, db_file: Path, case: str
) -> None:
    assert (
        run(runner, str(linkedin_xlsx(workspace_dir / "ok.xlsx")), "--account", "9").exit_code == 0
    )
    before = dump(db_file)
    path, words = broken_files(workspace_dir)[case]
    result = run(runner, str(path), "--account", "9")
    assert result.exit_code == 1
    assert (
        "Traceback" not in result.output
        and result.exception is None
        or isinstance(result.exception, SystemExit)
    )
    message = result.output.strip()
    assert message.startswith("Error: ") and "\n" not in message
    for word in words:
        assert word in message
    assert dump(db_file) == before


def test_a_bad_row_late_in_the_file_stores_none_of_the_rows_before_it(
    runner: CliRunner, workspace_dir: Path, db_file: Path
) -> None:
    rows = meta_rows() * 1
    rows.append(list(rows[0]))
    rows[-1][0] = "not-an-id"
    path = meta_posts_csv(workspace_dir / "late.csv", rows=rows)
    result = run(runner, str(path))
    assert result.exit_code == 1 and "row 4" in result.output and "'Post ID'" in result.output
    assert dump(db_file).get("posts", []) == []


def test_a_csv_cut_off_mid_row_is_refused_as_truncated(
    runner: CliRunner, workspace_dir: Path, db_file: Path
) -> None:
    whole = tiktok_content_csv(workspace_dir / "whole.csv").read_bytes()
    cut = workspace_dir / "cut.csv"
    cut.write_bytes(whole[: whole.rindex(b",") - 3])
    result = run(runner, str(cut), "--account", "1")
    assert result.exit_code == 1
    assert "cut.csv: row 3" in result.output and "truncated" in result.output
    assert "'Total views'" in result.output
    assert dump(db_file).get("posts", []) == []


def test_json_summary_gives_rows_and_sum_per_stored_metric_with_period_and_findings(
    runner: CliRunner, workspace_dir: Path, db_file: Path
) -> None:
    from import_support import meta_daily_file, meta_days

    fb = meta_days(date(2024, 2, 27), [2768, 2467, 100], us_dst=False)
    ig = meta_days(date(2024, 2, 27), [30, 31], us_dst=False)
    path = meta_daily_file(
        workspace_dir / "Reach.csv", [("Facebook reach", fb), ("Instagram reach", ig)], "tab"
    )
    result = run(runner, str(path), "--account", FB_PAGE, "--format", "json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["breakdown"] == [
        {
            "record": "account",
            "metric": "page_total_media_view_unique",
            "origin": "total",
            "grain": "day",
            "rows": 3,
            "sum": 2768 + 2467 + 100,
            "from": "2024-02-27",
            "to": "2024-02-29",
        }
    ]
    assert summary["period"] == {"from": "2024-02-27", "to": "2024-02-29"}
    assert summary["what"] == "Meta Business Suite daily export of Facebook"
    assert len(summary["skipped"]) == 1 and "Instagram reach" in summary["skipped"][0]
    db = Database(db_file)
    stored = db.execute("SELECT COUNT(*), SUM(value) FROM metric_values").fetchone()
    assert stored == (3, 5335.0)


def test_snapshot_sums_and_when_totals_were_true_are_in_the_summary(
    runner: CliRunner, workspace_dir: Path, db_file: Path
) -> None:
    from import_support import meta_posts_2025_csv

    path = meta_posts_2025_csv(workspace_dir)
    result = run(runner, str(path), "--dry-run", "--format", "json")
    summary = json.loads(result.output)
    views = [e for e in summary["breakdown"] if e["metric"] == "post_media_view"]
    assert views == [
        {
            "record": "snapshot",
            "metric": "post_media_view",
            "origin": "total",
            "grain": "to date",
            "rows": 3,
            "sum": 40 + 900 + 12,
            "from": "",
            "to": "",
        }
    ]
    assert summary["totals_as_of"] == "2025-04-14T21:59:59Z"
    assert summary["not_stored"] == [
        {
            "column": "Reactions, Comments and Shares",
            "why": "the sum of the stored Reactions, Comments and Shares",
        }
    ]
    assert [f["kind"] for f in summary["findings"]] == ["ragged"]
    table = run(runner, str(path), "--dry-run")
    assert "sum" in table.output and "Note: 1 row(s) had fewer cells" in table.output
    assert dump(db_file) == {table: [] for table in TABLES}  # a dry run stores nothing


def test_account_option_that_contradicts_the_files_own_page_is_refused(
    runner: CliRunner, workspace_dir: Path, db_file: Path
) -> None:
    path = meta_posts_csv(workspace_dir / "posts.csv")
    result = run(runner, str(path), "--account", "999")
    assert result.exit_code == 1
    assert f"belongs to facebook page {FB_PAGE}, but --account says 999" in result.output
    assert dump(db_file).get("posts", []) == []
