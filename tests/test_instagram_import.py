"""Meta Business Suite Instagram exports import as Instagram, with sums read from the files."""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

import pytest
import time_machine
from click.testing import CliRunner

from collectors.importers import Context, ImportFileError, read_export
from collectors.importers.base import Parsed
from social.cli import cli

SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "real-samples"
pytestmark = pytest.mark.skipif(
    not SAMPLES.is_dir(), reason=f"the real export samples are not at {SAMPLES}"
)
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
POSTS = "meta_ig_posts_dandirector_2026.csv"
ELI, CARY = "17841400882674637", "17841400057482273"
COUNTERS = {
    "Views": "views",
    "Likes": "likes",
    "Comments": "comments",
    "Shares": "shares",
    "Saves": "saved",
    "Follows": "follows",
}


def read(name: str, platform: str | None = None, **ids: str) -> Parsed:
    ctx = Context(name, "Europe/Oslo", NOW, NOW.date(), ids=dict(ids))
    return read_export(SAMPLES / name, ctx, platform)


def post_rows(account: str) -> list[dict[str, str]]:
    """The posts export's rows of one account, read with the csv module alone."""
    with (SAMPLES / POSTS).open(encoding="utf-8-sig", newline="") as handle:
        return [r for r in csv.DictReader(handle) if r["Account ID"] == account]


def daily_rows(name: str) -> list[tuple[str, list[tuple[str, float]]]]:
    """(title, [(day, value)]) per section of a UTF-16 Meta daily file, read by hand."""
    text = (SAMPLES / name).read_bytes().decode("utf-16")
    lines = text.splitlines()
    sep = lines[0][4:] or "\t"
    sections: list[tuple[str, list[tuple[str, float]]]] = []
    for row in csv.reader(io.StringIO("\n".join(lines[1:])), delimiter=sep):
        cells = [c for c in row if c.strip()]
        if len(cells) == 1:
            sections.append((cells[0], []))
        elif len(cells) == 2 and cells[0] != "Date":
            sections[-1][1].append((cells[0][:10], float(cells[1])))
    return sections


def snapshot_sums(parsed: Parsed) -> dict[str, float]:
    sums: dict[str, float] = defaultdict(float)
    for snap in parsed.page.snapshots:
        for metric, value in snap.values.items():
            sums[metric] += value
    return dict(sums)


def test_the_posts_export_stores_the_first_account_as_instagram_with_the_file_sums() -> None:
    parsed = read(POSTS)
    rows = post_rows(ELI)
    assert (parsed.platform, parsed.account_kind, parsed.account_id) == (
        "instagram",
        "business",
        ELI,
    )
    assert len(parsed.page.posts) == len(rows) == 20
    assert snapshot_sums(parsed) == {
        metric: sum(float(r[column]) for r in rows) for column, metric in COUNTERS.items()
    }
    reach = [v for v in parsed.page.values if v.metric == "reach"]
    assert all(v.grain == "lifetime" and v.subject_type == "post" for v in reach)
    assert sum(v.value for v in reach) == sum(float(r["Reach"]) for r in rows)
    [skipped] = parsed.skipped
    assert "@caryjack" in skipped and "import one account per file" in skipped


def test_the_configured_account_is_the_one_stored_from_a_two_account_file() -> None:
    parsed = read(POSTS, instagram=CARY)
    rows = post_rows(CARY)
    assert parsed.account_id == CARY and len(parsed.page.posts) == len(rows) == 1
    assert snapshot_sums(parsed)["views"] == float(rows[0]["Views"])
    assert "@elitravelguy" in parsed.skipped[0]


@pytest.mark.parametrize(
    ("name", "metric"),
    [
        ("meta_ig_daily_reach_dandirector_utf16.csv", "reach"),
        ("meta_ig_daily_follows_dandirector_utf16.csv", "follower_count"),
    ],
)
def test_instagram_daily_files_store_days_under_the_api_metric(name: str, metric: str) -> None:
    parsed = read(name)
    [(_, days)] = daily_rows(name)
    assert parsed.platform == "instagram" and parsed.skipped == []
    stored = {v.window_start.isoformat(): v.value for v in parsed.page.values}
    assert {v.metric for v in parsed.page.values} == {metric}
    assert all(v.grain == "day" and v.window_start == v.window_end for v in parsed.page.values)
    assert stored == dict(days)
    assert sum(stored.values()) == sum(value for _, value in days)


def test_a_lone_views_file_needs_the_platform_and_then_imports_as_instagram() -> None:
    name = "meta_ig_daily_views_dandirector_utf16.csv"
    with pytest.raises(ImportFileError, match="--platform facebook or --platform instagram"):
        read(name)
    parsed = read(name, "instagram")
    [(_, days)] = daily_rows(name)
    assert parsed.platform == "instagram"
    assert {(v.metric, v.window_start.isoformat(), v.value) for v in parsed.page.values} == {
        ("views", day, value) for day, value in days
    }


def test_a_two_platform_download_imports_its_instagram_part_when_asked() -> None:
    name = "meta_daily_follows_bubniak_utf16.csv"
    (fb_title, fb_days), (ig_title, ig_days) = daily_rows(name)
    assert ig_title == "Instagram follows"
    parsed = read(name, "instagram")
    assert parsed.platform == "instagram"
    assert sum(v.value for v in parsed.page.values) == sum(v for _, v in ig_days)
    assert len(parsed.page.values) == len(ig_days) == 229
    [skipped] = parsed.skipped
    assert f"'{fb_title}': {len(fb_days)} days" in skipped and "--platform facebook" in skipped


def test_social_import_stores_the_posts_export_as_instagram(
    workspace_dir: Path,
) -> None:
    with time_machine.travel(NOW, tick=False):
        result = CliRunner().invoke(cli, ["import", str(SAMPLES / POSTS), "--format", "json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["platform"] == "instagram"
    from sqlite_utils import Database

    db = Database(workspace_dir / "social.db")
    assert db.execute(
        "SELECT platform, kind, external_id, name FROM accounts WHERE platform = 'instagram'"
    ).fetchall() == [("instagram", "business", ELI, "elitravelguy")]
    views = db.execute(
        "SELECT SUM(value) FROM post_snapshots s JOIN posts p ON p.id = s.post_id "
        "WHERE p.platform = 'instagram' AND s.metric = 'views'"
    ).fetchone()[0]
    assert views == sum(float(r["Views"]) for r in post_rows(ELI))
