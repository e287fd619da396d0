"""LinkedIn Page analytics exports (XLS/XLSX): content ('Metrics', 'All posts') and followers.

Row 1 of each sheet is a title, headers are on row 2 and dates are MM/DD/YYYY.
- 'Metrics' daily rows -> account MetricValues (grain 'day') under the API's own
  metric names, organic / paid (sponsored) / total kept apart. Unique impressions
  are daily reach: stored as grain 'day', never additive (catalogue).
- 'All posts' -> Posts keyed by the URN in the post link (the API's key), with
  the lifetime counters as Snapshots (organic rows 'organic' like the API,
  sponsored rows 'paid').
- Followers export -> daily follower gains (organic / paid).
"""

from __future__ import annotations

import re
from datetime import datetime, time
from urllib.parse import unquote
from zoneinfo import ZoneInfo

from collectors.importers.base import Context, Parsed, has_all, need, optional
from collectors.importers.readers import (
    ImportFileError,
    Table,
    parse_date,
    parse_number,
    text_cell,
)
from social.domain import MetricValue, Post, Snapshot

KIND = "linkedin_page"
PLATFORM = "linkedin"
ACCOUNT_KIND = "organization"
CONFIG_KEY = "[linkedin] organization_id"

METRICS_KEYS = {"date": ("Date",), "impressions": ("Impressions (organic)",)}
# column variants -> (API metric name, origin)
DAILY: dict[tuple[str, ...], tuple[str, str]] = {
    ("Impressions (organic)",): ("impressionCount", "organic"),
    ("Impressions (sponsored)",): ("impressionCount", "paid"),
    ("Impressions (total)",): ("impressionCount", "total"),
    ("Unique impressions (organic)",): ("uniqueImpressionsCount", "organic"),
    ("Clicks (organic)",): ("clickCount", "organic"),
    ("Clicks (sponsored)",): ("clickCount", "paid"),
    ("Clicks (total)",): ("clickCount", "total"),
    ("Reactions (organic)",): ("likeCount", "organic"),
    ("Reactions (sponsored)",): ("likeCount", "paid"),
    ("Reactions (total)",): ("likeCount", "total"),
    ("Comments (organic)",): ("commentCount", "organic"),
    ("Comments (sponsored)",): ("commentCount", "paid"),
    ("Comments (total)",): ("commentCount", "total"),
    ("Reposts (organic)", "Shares (organic)"): ("shareCount", "organic"),
    ("Reposts (sponsored)", "Shares (sponsored)"): ("shareCount", "paid"),
    ("Reposts (total)", "Shares (total)"): ("shareCount", "total"),
    ("Engagement rate (organic)",): ("engagement", "organic"),
    ("Engagement rate (sponsored)",): ("engagement", "paid"),
    ("Engagement rate (total)",): ("engagement", "total"),
}
RATES = {"engagement"}
POSTS_KEYS = {"link": ("Post link",), "created": ("Created date",)}
POST_COUNTERS: dict[tuple[str, ...], str] = {
    ("Impressions",): "impressionCount",
    ("Clicks",): "clickCount",
    ("Likes", "Reactions"): "likeCount",
    ("Comments",): "commentCount",
    ("Reposts", "Shares"): "shareCount",
}
FOLLOWERS_KEYS = {"date": ("Date",), "organic": ("Organic followers",)}
FOLLOWER_GAINS: dict[tuple[str, ...], tuple[str, str]] = {
    ("Organic followers",): ("organicFollowerGain", "organic"),
    ("Sponsored followers",): ("paidFollowerGain", "paid"),
}
FORMATS = {"video": "video", "image": "image", "text": "text", "article": "link", "link": "link"}
FORMATS.update({"document": "carousel", "carousel": "carousel", "poll": "text"})
URN = re.compile(r"urn:li:(share|ugcPost|activity):(\d+)")

EXPECTED = (
    "LinkedIn page export: sheet 'Metrics' (Date, Impressions (organic), ...), "
    "'All posts' (Post link, Created date, Impressions, ...) or followers "
    "(Date, Organic followers, Sponsored followers)"
)


def matches(tables: list[Table]) -> bool:
    return any(has_all(t, k) for t in tables for k in (METRICS_KEYS, POSTS_KEYS, FOLLOWERS_KEYS))


def parse(tables: list[Table], ctx: Context) -> Parsed:
    parsed = Parsed(KIND, PLATFORM, ACCOUNT_KIND, ctx.ids.get(PLATFORM, ""), CONFIG_KEY)
    for table in tables:
        if has_all(table, METRICS_KEYS):
            _metrics(table, parsed, DAILY)
            parsed.parts.append(f"{_name(table)}: {len(table.rows)} days")
        elif has_all(table, POSTS_KEYS):
            _posts(table, parsed, ctx)
            parsed.parts.append(f"{_name(table)}: {len(table.rows)} posts")
        elif has_all(table, FOLLOWERS_KEYS):
            _metrics(table, parsed, FOLLOWER_GAINS)
            parsed.parts.append(f"{_name(table)}: {len(table.rows)} days")
    return parsed


def _name(table: Table) -> str:
    return f"sheet '{table.sheet}'" if table.sheet else "rows"


def _metrics(table: Table, parsed: Parsed, columns: dict[tuple[str, ...], tuple[str, str]]) -> None:
    date_col = need(table, {"date": ("Date",)})["date"]
    present = [(i, m) for names, m in columns.items() if (i := table.column(*names)) is not None]
    for row in table.rows:
        day = parse_date(table, row, date_col)
        for index, (metric, origin) in present:
            value = parse_number(table, row, index, percent=metric in RATES)
            if value is not None:
                parsed.page.values.append(MetricValue(metric, value, day, day, "day", origin))


def post_urn(link: str) -> str | None:
    """The post URN inside a LinkedIn post link (also URL-encoded ones)."""
    m = URN.search(unquote(link))
    return f"urn:li:{m[1]}:{m[2]}" if m else None


def _posts(table: Table, parsed: Parsed, ctx: Context) -> None:
    cols = need(table, POSTS_KEYS)
    title = table.column("Post title")
    kind = table.column("Post type")
    content = table.column("Content Type", "Content type")
    counters = optional(table, POST_COUNTERS)
    tz = ZoneInfo(ctx.zone)
    for row in table.rows:
        link = text_cell(table, row, cols["link"])
        urn = post_urn(link)
        if urn is None:
            raise ImportFileError(
                f"{table.where}: row {row[0]}, column 'Post link': {link!r} is not a LinkedIn "
                "post link (expected one containing urn:li:share:..., urn:li:ugcPost:... "
                "or urn:li:activity:...)."
            )
        day = parse_date(table, row, cols["created"])
        sponsored = text_cell(table, row, kind).casefold() == "sponsored"
        parsed.add_post(
            Post(
                PLATFORM,
                urn,
                # the export gives the day only; an API record keeps its exact time
                datetime.combine(day, time(12, 0), tzinfo=tz),
                caption=text_cell(table, row, title),
                link=link,
                format=FORMATS.get(text_cell(table, row, content).casefold(), ""),
                is_ad=sponsored,
            )
        )
        values = {}
        for index, metric in counters:
            value = parse_number(table, row, index)
            if value is not None:
                values[metric] = value
        if values:
            # Organic rows line up with the API's organic share statistics; sponsored rows
            # are the paid side of the same post, so nothing is counted twice.
            origin = "paid" if sponsored else "organic"
            parsed.page.snapshots.append(Snapshot(urn, ctx.now, values, origin))
