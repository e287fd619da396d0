"""Every real export file in ../shared/real-samples imports with the right numbers, or is refused.

Each test imports one real sample through `social import` into a real SQLite
file and checks that the stored sums equal the file's column totals, which
the test computes on its own with a plain csv / openpyxl / xlrd read. Every
numeric column of a file is either mapped here or named in the summary's
`not_stored`, so no column is silently dropped. The clock is pinned: TikTok
Studio's yearless dates take their year from "the most recent date not in the
future".
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import time_machine
import xlrd
from click.testing import CliRunner
from import_support import name_accounts

from collectors.importers import Context, parse_export
from social.cli import cli

SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "real-samples"
pytestmark = pytest.mark.skipif(
    not SAMPLES.is_dir(), reason=f"the real export samples are not at {SAMPLES}"
)
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
NO_VALUE = {"", "undefined", "nan"}

Key = tuple[str, str]  # (metric, origin)
Mapping = dict[str, Key]


# --- reading the samples independently ----------------------------------------------------


def utf8_rows(name: str) -> list[dict[str, str]]:
    with (SAMPLES / name).open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def meta_daily_sections(name: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """(title, [(date, value)]) per section of a Meta daily file, read by hand."""
    raw = (SAMPLES / name).read_bytes()
    text = raw.decode("utf-16") if raw[:2] == b"\xff\xfe" else raw.decode("utf-8")
    lines = text.splitlines()
    sep = ","
    if lines[0].startswith("sep="):
        sep, lines = lines[0][4:] or "\t", lines[1:]
    elif ";" in lines[0]:
        sep = ";"
    sections: list[tuple[str, list[tuple[str, str]]]] = []
    for row in csv.reader(io.StringIO("\n".join(lines)), delimiter=sep):
        cells = [c for c in row if c.strip()]
        if len(cells) == 1:
            sections.append((cells[0], []))
        elif len(cells) == 2 and cells[0] != "Date":
            sections[-1][1].append((cells[0], cells[1]))
    return sections


def xlsx_sheet(name: str, sheet: str) -> list[dict[str, Any]]:
    book = openpyxl.load_workbook(SAMPLES / name, read_only=True)
    rows = list(book[sheet].iter_rows(values_only=True))
    headers = [str(h) for h in rows[1]]  # row 1 is a sentence
    return [dict(zip(headers, r, strict=False)) for r in rows[2:]]


def xls_sheet(name: str, sheet: str) -> list[dict[str, Any]]:
    book = xlrd.open_workbook(str(SAMPLES / name))
    s = book.sheet_by_name(sheet)
    headers = [str(h) for h in s.row_values(1)]
    return [dict(zip(headers, s.row_values(i), strict=True)) for i in range(2, s.nrows)]


def number(cell: Any) -> float | None:
    if cell is None:
        return None
    if isinstance(cell, int | float):
        return float(cell)
    text = str(cell).strip()
    return None if text.casefold() in NO_VALUE else float(text.replace(",", ""))


def column_totals(rows: list[dict[str, Any]], mapping: Mapping) -> dict[Key, tuple[int, float]]:
    """(cells with a value, their total) per target, straight from the file."""
    out: dict[Key, list[float]] = defaultdict(list)
    for row in rows:
        for column, key in mapping.items():
            value = number(row.get(column))
            if value is not None:
                out[key].append(value)
    return {k: (len(v), sum(v)) for k, v in out.items()}


def numeric_columns(rows: list[dict[str, Any]], descriptive: set[str]) -> set[str]:
    found = set()
    for row in rows:
        for column, cell in row.items():
            if column in descriptive or column is None:
                continue
            try:
                if number(cell) is not None:
                    found.add(column)
            except ValueError:
                pass
    return found


# --- importing ------------------------------------------------------------------------------


@pytest.fixture
def imported(workspace_dir: Path) -> Iterator[Any]:
    """Import a sample for real; return (exit code, output, summary, stored sums)."""

    name_accounts(workspace_dir)  # most exports do not name their account

    def run(name: str, *args: str) -> tuple[int, str, dict[str, Any] | None, Stored]:
        with time_machine.travel(NOW, tick=False):
            result = CliRunner().invoke(
                cli, ["import", str(SAMPLES / name), "--format", "json", *args]
            )
        assert "Traceback" not in result.output and "internal error" not in result.output
        summary = json.loads(result.output) if result.exit_code == 0 else None
        return result.exit_code, result.output, summary, Stored(workspace_dir / "social.db")

    yield run


class Stored:
    """Sums of what an import stored, read back from the database."""

    def __init__(self, path: Path) -> None:
        from sqlite_utils import Database

        self.db = Database(path) if path.exists() else None

    def _group(self, sql: str) -> dict[Key, tuple[int, float]]:
        if self.db is None:
            return {}
        return {(m, o): (n, s) for m, o, n, s in self.db.execute(sql).fetchall()}

    @property
    def values(self) -> dict[Key, tuple[int, float]]:
        return self._group(
            "SELECT metric, origin, COUNT(*), SUM(value) FROM metric_values GROUP BY 1, 2"
        )

    @property
    def snapshots(self) -> dict[Key, tuple[int, float]]:
        return self._group(
            "SELECT metric, origin, COUNT(*), SUM(value) FROM post_snapshots GROUP BY 1, 2"
        )

    def window(self, metric: str) -> tuple[str, str]:
        assert self.db is not None
        row = self.db.execute(
            "SELECT MIN(window_start), MAX(window_end) FROM metric_values WHERE metric = ?",
            [metric],
        ).fetchone()
        return row[0], row[1]

    def count(self, table: str) -> int:
        return (
            0 if self.db is None else self.db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
        )


def assert_sums(
    stored: dict[Key, tuple[int, float]], expected: dict[Key, tuple[int, float]]
) -> None:
    assert set(stored) == set(expected)
    for key, (rows, total) in expected.items():
        assert stored[key][0] == rows, key
        assert stored[key][1] == pytest.approx(total, abs=1e-6), key


def assert_summary_matches(summary: dict[str, Any], stored: Stored) -> None:
    """The JSON summary's per-metric rows and sums are what the database holds."""
    values, snapshots = stored.values, stored.snapshots
    for entry in summary["breakdown"]:
        if entry["record"] == "posts":
            continue
        held = snapshots if entry["record"] == "snapshot" else values
        key = (entry["metric"], entry["origin"])
        assert held[key][0] == entry["rows"], key
        assert held[key][1] == pytest.approx(entry["sum"], abs=1e-6), key


# --- TikTok Studio ----------------------------------------------------------------------------

OVERVIEW: Mapping = {
    "Video Views": ("video_views", "total"),
    "Profile Views": ("profile_views", "organic"),
    "Likes": ("likes", "organic"),
    "Comments": ("comments", "organic"),
    "Shares": ("shares", "organic"),
}


def test_tiktok_studio_overview_365_days_cross_new_year(imported: Any) -> None:
    name = "tiktok_studio_overview_htupy.csv"
    code, output, summary, stored = imported(name)
    assert code == 0, output
    rows = utf8_rows(name)
    assert numeric_columns(rows, {"Date"}) == set(OVERVIEW)
    assert_sums(stored.values, column_totals(rows, OVERVIEW))
    assert stored.window("video_views") == ("2025-02-28", "2026-02-27")
    assert summary["period"] == {"from": "2025-02-28", "to": "2026-02-27"}
    assert any("no year" in n and "2026-02-27" in n for n in summary["notes"])
    # real daily comments go below zero when deleted ones outnumber new ones: kept, and said
    assert any("negative daily value" in n for n in summary["notes"])
    assert_summary_matches(summary, stored)


@pytest.mark.parametrize(
    "name", ["tiktok_studio_overview_BossZY27.csv", "tiktok_studio_overview_BossZY27.xlsx"]
)
def test_tiktok_studio_overview_7_days_csv_and_xlsx(imported: Any, name: str) -> None:
    code, output, summary, stored = imported(name)
    assert code == 0, output
    if name.endswith(".xlsx"):
        book = openpyxl.load_workbook(SAMPLES / name)
        grid = list(book["Overview"].iter_rows(values_only=True))
        rows = [dict(zip(grid[0], r, strict=True)) for r in grid[1:]]
    else:
        rows = utf8_rows(name)
    assert_sums(stored.values, column_totals(rows, OVERVIEW))
    assert stored.window("video_views") == ("2026-04-12", "2026-04-18")


def test_tiktok_studio_overview_takes_the_year_from_period_end(imported: Any) -> None:
    code, output, summary, stored = imported(
        "tiktok_studio_overview_BossZY27.csv", "--period-end", "2025-04-19"
    )
    assert code == 0, output
    assert stored.window("video_views") == ("2025-04-12", "2025-04-18")
    assert any("--period-end 2025-04-19" in n for n in summary["notes"])


def test_tiktok_studio_viewers_undefined_is_no_value(imported: Any) -> None:
    name = "tiktok_studio_viewers_htupy.csv"
    code, output, summary, stored = imported(name)
    assert code == 0, output
    rows = utf8_rows(name)
    mapping: Mapping = {
        "Total Viewers": ("unique_video_views", "organic"),
        "New Viewers": ("new_viewers", "organic"),
        "Returning Viewers": ("returning_viewers", "organic"),
    }
    assert numeric_columns(rows, {"Date"}) == set(mapping)
    assert_sums(stored.values, column_totals(rows, mapping))
    undefined = sum(1 for r in rows if r["Total Viewers"] == "undefined")
    assert undefined == 25
    assert any(f"{undefined} cell(s) read as no value" in n for n in summary["notes"])


def test_tiktok_studio_follower_history_stores_levels_and_net_change(imported: Any) -> None:
    name = "tiktok_studio_followerhistory_htupy.csv"
    code, output, summary, stored = imported(name)
    assert code == 0, output
    rows = utf8_rows(name)
    mapping: Mapping = {
        "Followers": ("followers_count", "total"),  # the level, as the API collectors store it
        "Difference in followers from previous day": ("daily_total_followers", "organic"),
    }
    assert_sums(stored.values, column_totals(rows, mapping))
    assert stored.db is not None
    levels = stored.db.execute(
        """SELECT grain, subject_type, MIN(window_start = window_end) FROM metric_values
           WHERE metric = 'followers_count' GROUP BY 1, 2"""
    ).fetchall()
    assert levels == [("day", "account", 1)]
    last = stored.db.execute(
        "SELECT value FROM metric_values WHERE metric = 'followers_count' AND window_end = ?",
        ["2026-02-27"],
    ).fetchone()
    assert last == (5013.0,)


def test_tiktok_studio_content_gets_years_from_the_video_ids(imported: Any) -> None:
    name = "tiktok_studio_content_htupy.csv"
    code, output, summary, stored = imported(name)
    assert code == 0, output
    rows = utf8_rows(name)
    mapping: Mapping = {
        "Total views": ("view_count", "total"),
        "Total likes": ("like_count", "total"),
        "Total comments": ("comment_count", "total"),
        "Total shares": ("share_count", "total"),
    }
    assert numeric_columns(rows, {"Time", "Video title", "Video link", "Post time"}) == set(mapping)
    assert_sums(stored.snapshots, column_totals(rows, mapping))
    assert stored.db is not None
    published = dict(
        stored.db.execute("SELECT external_id, substr(published_at, 1, 10) FROM posts").fetchall()
    )
    assert published["7598683574904130871"] == "2026-01-23"  # "January 23"
    assert published["7527623000473079054"] == "2025-07-16"  # "July 16"
    captured = stored.db.execute("SELECT DISTINCT captured_at FROM post_snapshots").fetchall()
    assert captured == [("2026-02-28T22:59:59Z",)]  # the Time column's day, not the import day
    assert summary["totals_as_of"] == "2026-02-28T22:59:59Z"


# --- TikTok business account -------------------------------------------------------------


def test_tiktok_business_overview_with_trailing_space_header_and_nan(imported: Any) -> None:
    name = "tiktok_overview_vintage_raw.csv"
    code, output, summary, stored = imported(name)
    assert code == 0, output
    rows = utf8_rows(name)
    mapping: Mapping = {
        "Video views": ("video_views", "total"),
        "Reached audience": ("unique_video_views", "organic"),
        "Profile views": ("profile_views", "organic"),
        "Likes": ("likes", "organic"),
        "Shares": ("shares", "organic"),
        "Comments": ("comments", "organic"),
        "Phone number clicks ": ("phone_number_clicks", "organic"),
        "Leads submission": ("lead_submissions", "organic"),
        "Net growth": ("daily_total_followers", "organic"),
        "New followers": ("daily_new_followers", "organic"),
        "Lost followers": ("daily_lost_followers", "organic"),
    }
    assert numeric_columns(rows, {"Date"}) == set(mapping)
    assert_sums(stored.values, column_totals(rows, mapping))
    assert stored.window("video_views") == ("2025-10-31", rows[-1]["Date"].replace("/", "-"))
    assert_summary_matches(summary, stored)


def test_tiktok_business_content(imported: Any) -> None:
    name = "tiktok_content_vintage_raw.csv"
    code, output, summary, stored = imported(name)
    assert code == 0, output
    rows = utf8_rows(name)
    mapping: Mapping = {
        "Video views": ("view_count", "total"),
        "Likes": ("like_count", "total"),
        "Comments": ("comment_count", "total"),
        "Shares": ("share_count", "total"),
        "Add to Favorites": ("favorites", "total"),
    }
    descriptive = {"Video title", "Video link", "Post time"}
    assert numeric_columns(rows, descriptive) == set(mapping)
    assert_sums(stored.snapshots, column_totals(rows, mapping))
    assert stored.db is not None
    first = stored.db.execute(
        "SELECT published_at FROM posts WHERE external_id = '7567452112981069079'"
    ).fetchone()
    assert first == ("2025-10-31T18:19:10Z",)  # Post time is UTC


# --- LinkedIn -----------------------------------------------------------------------------

LINKEDIN_DAILY: Mapping = {
    **{
        f"{name} ({o})": (metric, origin)
        for name, metric in (
            ("Impressions", "impressionCount"),
            ("Clicks", "clickCount"),
            ("Reactions", "likeCount"),
            ("Comments", "commentCount"),
            ("Reposts", "shareCount"),
            ("Engagement rate", "engagement"),
        )
        for o, origin in (("organic", "organic"), ("sponsored", "paid"), ("total", "total"))
    },
    "Unique impressions (organic)": ("uniqueImpressionsCount", "organic"),
}
LINKEDIN_POSTS: Mapping = {
    "Impressions": ("impressionCount", ""),
    "Views": ("videoViews", ""),
    "Offsite Views": ("offsiteViews", ""),
    "Clicks": ("clickCount", ""),
    "Likes": ("likeCount", ""),
    "Comments": ("commentCount", ""),
    "Reposts": ("shareCount", ""),
    "Follows": ("follows", ""),
}
LINKEDIN_POST_TEXT = {
    "Post title",
    "Post link",
    "Post type",
    "Campaign name",
    "Posted by",
    "Created date",
    "Campaign start date",
    "Campaign end date",
    "Audience",
    "Content Type",
}
POST_TYPE_ORIGIN = {"Organic": "organic", "Sponsored": "paid", "Total": "total"}


def linkedin_post_totals(posts: list[dict[str, Any]]) -> dict[Key, tuple[int, float]]:
    """Per origin: Organic rows, all Sponsored rows (summed per post: one snapshot each), Total."""
    by_origin: dict[Key, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for row in posts:
        origin = POST_TYPE_ORIGIN[row["Post type"]]
        for column, (metric, _) in LINKEDIN_POSTS.items():
            value = number(row.get(column))
            if value is not None:
                by_origin[(metric, origin)][row["Post link"]] += value
    return {k: (len(v), sum(v.values())) for k, v in by_origin.items()}


@pytest.mark.parametrize(
    ("name", "sheet"),
    [("linkedin_content_leafspace.xlsx", xlsx_sheet), ("linkedin_1year_ethioware.xls", xls_sheet)],
)
def test_linkedin_page_export_metrics_and_posts(imported: Any, name: str, sheet: Any) -> None:
    code, output, summary, stored = imported(name)
    assert code == 0, output
    metrics, posts = sheet(name, "Metrics"), sheet(name, "All posts")
    assert numeric_columns(metrics, {"Date"}) == set(LINKEDIN_DAILY)
    assert_sums(stored.values, column_totals(metrics, LINKEDIN_DAILY))
    not_stored = {c["column"] for c in summary["not_stored"]}
    assert numeric_columns(posts, LINKEDIN_POST_TEXT) - set(LINKEDIN_POSTS) == not_stored
    assert_sums(stored.snapshots, linkedin_post_totals(posts))
    assert stored.count("posts") == len({r["Post link"] for r in posts})
    assert_summary_matches(summary, stored)


def test_linkedin_boosted_post_total_is_not_added_to_its_parts(imported: Any) -> None:
    code, output, summary, stored = imported("linkedin_content_leafspace.xlsx")
    assert code == 0, output
    assert stored.db is not None
    urn = "urn:li:activity:7327977736608571394"
    rows = [
        r
        for r in xlsx_sheet("linkedin_content_leafspace.xlsx", "All posts")
        if urn in r["Post link"]
    ]
    assert sorted(r["Post type"] for r in rows) == ["Organic", "Sponsored", "Sponsored", "Total"]
    got = dict(
        stored.db.execute(
            """SELECT s.origin, s.value FROM post_snapshots s JOIN posts p ON p.id = s.post_id
               WHERE p.external_id = ? AND s.metric = 'impressionCount'""",
            [urn],
        ).fetchall()
    )
    sponsored = sum(r["Impressions"] for r in rows if r["Post type"] == "Sponsored")
    total = next(r["Impressions"] for r in rows if r["Post type"] == "Total")
    assert got == {"organic": 1526, "paid": sponsored, "total": total}
    assert got["total"] == got["organic"] + got["paid"]  # two campaigns, neither overwritten


# --- Meta daily ---------------------------------------------------------------------------

META_DAILY = {
    "meta_daily_fbreach_oigetit_utf16.csv": "page_total_media_view_unique",
    "meta_daily_fbvisits_oigetit_utf16.csv": "page_views_total",
    "meta_daily_follows_oigetit_utf16.csv": "page_daily_follows",
    "meta_daily_interactions_oigetit_utf16.csv": "page_post_engagements",
}


def daily_total(values: list[tuple[str, str]]) -> tuple[int, float]:
    return len(values), sum(float(v) for _, v in values)


@pytest.mark.parametrize("name", sorted(META_DAILY))
def test_meta_daily_facebook_file(imported: Any, name: str) -> None:
    code, output, summary, stored = imported(name)
    assert code == 0, output
    [(title, values)] = meta_daily_sections(name)
    assert_sums(stored.values, {(META_DAILY[name], "total"): daily_total(values)})
    first, last = values[0][0][:10], values[-1][0][:10]
    assert stored.window(META_DAILY[name]) == (first, last)


@pytest.mark.parametrize(
    ("name", "metric"),
    [
        ("meta_daily_fbreach_bubniak_tab_utf16.csv", "page_total_media_view_unique"),
        ("meta_daily_follows_bubniak_utf16.csv", "page_daily_follows"),
    ],
)
def test_meta_daily_two_section_file_stores_facebook_and_skips_instagram(
    imported: Any, name: str, metric: str
) -> None:
    code, output, summary, stored = imported(name)
    assert code == 0, output
    (fb_title, fb_values), (ig_title, ig_values) = meta_daily_sections(name)
    assert ig_title.startswith("Instagram")
    assert_sums(stored.values, {(metric, "total"): daily_total(fb_values)})
    [skipped] = summary["skipped"]
    assert f"'{ig_title}': {len(ig_values)} days" in skipped and "Instagram" in skipped


@pytest.mark.parametrize(
    "name", ["meta_daily_views_oigetit_utf16.csv", "meta_daily_views_vintage_semicolon.csv"]
)
def test_meta_daily_views_needs_to_be_told_it_is_facebook(imported: Any, name: str) -> None:
    code, output, _, stored = imported(name)
    assert code == 1 and "'Views'" in output and "--platform facebook" in output
    assert stored.count("metric_values") == 0
    code, output, summary, stored = imported(name, "--platform", "facebook")
    assert code == 0, output
    [(_, values)] = meta_daily_sections(name)
    assert_sums(stored.values, {("page_media_view", "total"): daily_total(values)})


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("meta_ig_daily_views_dandirector_utf16.csv", ["'Views'", "--platform instagram"]),
        ("meta_videos_vintage_requoted.csv", ["video export", "Post ID"]),
    ],
)
def test_a_lone_views_file_and_video_exports_are_refused_saying_what_they_are(
    imported: Any, name: str, words: list[str]
) -> None:
    code, output, _, stored = imported(name)
    message = output.strip()
    assert code == 1 and message.startswith(f"Error: {name}:") and "\n" not in message
    for word in words:
        assert word in message
    assert stored.count("posts") == stored.count("metric_values") == 0


def test_instagram_posts_are_parsed_in_full_per_account() -> None:
    name = "meta_ig_posts_dandirector_2026.csv"
    ctx = Context(name, "Europe/Oslo", NOW, date(2026, 12, 1))
    parsed = parse_export(SAMPLES / name, ctx)
    parts = [parsed, *parsed.others]
    assert {p.platform for p in parts} == {"instagram"}
    rows = utf8_rows(name)
    for part in parts:
        own = [r for r in rows if r["Account ID"] == part.account_id]
        assert len(part.page.posts) == len(own) > 0
        snaps: dict[str, float] = defaultdict(float)
        for snap in part.page.snapshots:
            for metric, value in snap.values.items():
                snaps[metric] += value
        for column, metric in (("Views", "views"), ("Likes", "likes"), ("Saves", "saved")):
            assert snaps[metric] == sum(number(r[column]) or 0 for r in own)
        reach = sum(v.value for v in part.page.values if v.metric == "reach")
        assert reach == sum(number(r["Reach"]) or 0 for r in own)
        newest = max(datetime.strptime(r["Publish time"], "%m/%d/%Y %H:%M").date() for r in own)
        assert part.as_of is not None and part.as_of.date() == newest


# --- Meta posts -----------------------------------------------------------------------------

META_COUNTERS: Mapping = {
    "Views": ("post_media_view", "total"),
    "Impressions": ("post_impressions", "total"),
    "Reactions": ("post_reactions", "total"),
    "Comments": ("post_comments", "total"),
    "Shares": ("post_shares", "total"),
    "Total clicks": ("post_clicks", "total"),
    "Link Clicks": ("post_link_clicks", "total"),
    "Other Clicks": ("post_other_clicks", "total"),
    "Matched Audience Targeting Consumption (Photo Click)": ("post_photo_clicks", "total"),
    "Seconds viewed": ("post_video_view_time", "total"),
    "Average Seconds viewed": ("post_video_avg_time_watched", "total"),
    "3-second video views": ("post_video_views", "total"),
    "3-second video views from Organic posts": ("post_video_views", "organic"),
    "3-second video views from Boosted posts": ("post_video_views", "paid"),
    "1-minute video views": ("post_video_views_60s", "total"),
    "Negative feedback from users": ("post_negative_feedback", "total"),
    "Negative feedback from users: Hide all": ("post_negative_feedback_hide_all", "total"),
    "Estimated earnings (USD)": ("post_estimated_earnings_usd", "total"),
    "Ad impressions": ("post_ad_impressions", "total"),
}
META_UNIQUES: Mapping = {
    "Reach": ("post_total_media_view_unique", "total"),
    "Reach from Organic posts": ("post_total_media_view_unique", "organic"),
    "Reach from Boosted posts": ("post_total_media_view_unique", "paid"),
    "IMPRESSION:UNIQUE_USERS": ("post_impressions_unique", "total"),
    "3-Second viewers": ("post_video_views_unique", "total"),
    "1-minute viewers": ("post_video_views_60s_unique", "total"),
    "Unique negative feedback from users": ("post_negative_feedback_unique", "total"),
}
META_TEXT = {
    "Post ID",
    "Page ID",
    "Page name",
    "Title",
    "Description",
    "Duration (sec)",
    "Publish time",
    "Caption type",
    "Permalink",
    "Is crosspost",
    "Is share",
    "Post type",
    "Languages",
    "Custom labels",
    "Funded content status",
    "Data comment",
    "Date",
}


def meta_post_rows(name: str) -> list[dict[str, str]]:
    """Rows with a Post ID; a duplicate header keeps its first column (csv.reader, by hand)."""
    with (SAMPLES / name).open(encoding="utf-8-sig", newline="") as handle:
        grid = list(csv.reader(handle))
    out = []
    for cells in grid[1:]:
        row: dict[str, str] = {}
        for header, cell in zip(grid[0], cells, strict=False):
            row.setdefault(header, cell)
        if row["Post ID"]:
            out.append(row)
    return out


@pytest.mark.parametrize(
    ("name", "posts", "error_rows"),
    [
        ("meta_posts_oigetit_2025.csv", 261, 0),
        ("meta_posts_oigetit_mar2025_twoviews.csv", 48, 0),
        ("meta_posts_bubniak_2024.csv", 41, 3),
    ],
)
def test_meta_posts_export(imported: Any, name: str, posts: int, error_rows: int) -> None:
    code, output, summary, stored = imported(name)
    assert code == 0, output
    rows = meta_post_rows(name)
    assert len(rows) == posts == stored.count("posts")
    not_stored = {c["column"] for c in summary["not_stored"]}
    mapped = set(META_COUNTERS) | set(META_UNIQUES)
    assert numeric_columns(rows, META_TEXT) <= mapped | not_stored and not mapped & not_stored
    assert_sums(stored.snapshots, column_totals(rows, META_COUNTERS))
    assert_sums(stored.values, column_totals(rows, META_UNIQUES))
    skipped = [f for f in summary["findings"] if f["kind"] == "error_row"]
    assert sum(f["count"] for f in skipped) == error_rows
    if error_rows:
        assert "933528094972880" in skipped[0]["message"]
    assert_summary_matches(summary, stored)


def test_meta_posts_ragged_rows_are_padded_and_counted(imported: Any) -> None:
    code, output, summary, stored = imported("meta_posts_oigetit_2025.csv")
    assert code == 0, output
    [ragged] = [f for f in summary["findings"] if f["kind"] == "ragged"]
    assert ragged["count"] == 5 and "27 of 31" in ragged["message"]


def test_meta_posts_lifetime_values_end_with_the_period_in_the_file_name(
    imported: Any, workspace_dir: Path
) -> None:
    # The sample was renamed by its owner; the original name carries the period.
    original = workspace_dir / "Jan-14-2025_Apr-14-2025_1396269028466733.csv"
    original.write_bytes((SAMPLES / "meta_posts_oigetit_2025.csv").read_bytes())
    with time_machine.travel(NOW, tick=False):
        result = CliRunner().invoke(cli, ["import", str(original), "--format", "json"])
    summary = json.loads(result.output)
    assert summary["period"] == {"from": "2025-01-14", "to": "2025-04-14"}
    assert summary["totals_as_of"] == "2025-04-14T21:59:59Z"  # 23:59:59 in Oslo (summer time)
    reach = [e for e in summary["breakdown"] if e["metric"] == "post_total_media_view_unique"]
    assert reach[0]["to"] == "2025-04-14" and reach[0]["grain"] == "lifetime"
