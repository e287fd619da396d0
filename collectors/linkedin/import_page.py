"""LinkedIn Page analytics exports (XLS/XLSX): content ('Metrics', 'All posts') and followers.

Row 1 of each sheet is a sentence, headers are on row 2, dates are MM/DD/YYYY
text in UTC (PLATFORMS.md).
- 'Metrics' daily rows -> account values (grain 'day') under the API's own
  metric names, organic / paid (sponsored) / total kept apart. Unique
  impressions are daily reach: grain 'day', never additive (catalogue).
- 'All posts' -> posts keyed by the URN in the post link, their lifetime
  counters as snapshots taken when the file was made. `Post type` says what a
  row is: `Organic` (origin 'organic'), `Sponsored` (one row per campaign:
  summed per post, origin 'paid') and `Total` (origin 'total', never added to
  the others). A post with Total and Sponsored rows but no Organic row gets
  organic = total - sponsored.
- Followers export -> daily follower gains (organic / paid).
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import UTC, date, datetime, time
from urllib.parse import unquote

from collectors.importers.base import Context, Parsed, has_all, need, optional, plural
from collectors.importers.cells import parse_count, parse_date, text_cell
from collectors.importers.daily import Column, read_daily
from collectors.importers.periods import end_of_day
from collectors.importers.readers import ImportFileError, Row, Table
from core.domain import Post, Snapshot

KIND = "linkedin_page"
PLATFORM = "linkedin"
# Detection order among every installed platform's export kinds (lower first).
PRIORITY = 10
ACCOUNT_KIND = "organization"
CONFIG_KEY = "[linkedin] organization_id"
ZONE = "UTC"  # "All dates and times are in UTC" (row 1 of every sheet)

METRICS_KEYS = {"date": ("Date",), "impressions": ("Impressions (organic)",)}
_ORIGINS = (("organic", "organic"), ("sponsored", "paid"), ("total", "total"))
DAILY: tuple[Column, ...] = (
    *(Column((f"Impressions ({o})",), "impressionCount", origin) for o, origin in _ORIGINS),
    Column(("Unique impressions (organic)",), "uniqueImpressionsCount", "organic"),
    *(Column((f"Clicks ({o})",), "clickCount", origin) for o, origin in _ORIGINS),
    # A day's reactions, comments and reposts are net of removals: they can be negative.
    *(Column((f"Reactions ({o})",), "likeCount", origin, "flow") for o, origin in _ORIGINS),
    *(Column((f"Comments ({o})",), "commentCount", origin, "flow") for o, origin in _ORIGINS),
    *(
        Column((f"Reposts ({o})", f"Shares ({o})"), "shareCount", origin, "flow")
        for o, origin in _ORIGINS
    ),
    *(Column((f"Engagement rate ({o})",), "engagement", origin, "rate") for o, origin in _ORIGINS),
)
POSTS_KEYS = {"link": ("Post link",), "created": ("Created date",)}
POST_COUNTERS: dict[tuple[str, ...], str] = {
    ("Impressions",): "impressionCount",
    ("Views",): "videoViews",
    ("Offsite Views",): "offsiteViews",
    ("Clicks",): "clickCount",
    ("Likes", "Reactions"): "likeCount",
    ("Comments",): "commentCount",
    ("Reposts", "Shares"): "shareCount",
    ("Follows",): "follows",
}
POSTS_NOT_STORED = {
    "Click through rate (CTR)": "a rate: clicks / impressions, recomputed from the counts",
    "Engagement rate": "a rate: recomputed from the counts",
}
FOLLOWERS_KEYS = {"date": ("Date",), "organic": ("Organic followers",)}
FOLLOWER_GAINS = (
    Column(("Organic followers",), "organicFollowerGain", "organic"),
    Column(("Sponsored followers",), "paidFollowerGain", "paid"),
)
FOLLOWERS_NOT_STORED = {
    "Auto-invited followers": "no API metric of its own",
    "Total followers": "the day's new followers of every kind: the sum of the columns before it",
}
FORMATS = {"video": "video", "image": "image", "text": "text", "article": "link", "link": "link"}
FORMATS.update({"document": "carousel", "carousel": "carousel", "poll": "text"})
URN = re.compile(r"urn:li:(share|ugcPost|activity):(\d+)", re.ASCII)

EXPECTED = (
    "LinkedIn page export: sheet 'Metrics' (Date, Impressions (organic), ...), "
    "'All posts' (Post link, Created date, Impressions, ...) or followers "
    "(Date, Organic followers, Sponsored followers)"
)


def matches(tables: list[Table]) -> bool:
    return any(has_all(t, k) for t in tables for k in (METRICS_KEYS, POSTS_KEYS, FOLLOWERS_KEYS))


def parse(tables: list[Table], ctx: Context) -> Parsed:
    parsed = Parsed(KIND, PLATFORM, ACCOUNT_KIND, ctx.ids.get(PLATFORM, ""), CONFIG_KEY)
    parsed.label = "LinkedIn Page export"
    metrics_days: list[date] = []
    # Daily sheets first: their last day dates the post counters when nothing else does.
    for table in tables:
        if has_all(table, METRICS_KEYS):
            days = read_daily(parsed, ctx, table, need(table, METRICS_KEYS)["date"], DAILY)
            metrics_days += days
            parsed.parts.append(f"{_name(table)}: {plural(len(days), 'day')}")
        elif has_all(table, FOLLOWERS_KEYS):
            days = read_daily(
                parsed, ctx, table, need(table, FOLLOWERS_KEYS)["date"], FOLLOWER_GAINS
            )
            parsed.ignore_columns(table, FOLLOWERS_NOT_STORED)
            parsed.parts.append(f"{_name(table)}: {plural(len(days), 'day')}")
    for table in tables:
        if has_all(table, POSTS_KEYS) and not has_all(table, METRICS_KEYS):
            posts = _posts(table, parsed, ctx, max(metrics_days, default=None))
            parsed.parts.append(f"{_name(table)}: {plural(posts, 'post')}")
    return parsed


def _name(table: Table) -> str:
    return f"sheet '{table.sheet}'" if table.sheet else "rows"


def post_urn(link: str) -> str | None:
    """The post URN inside a LinkedIn post link (also URL-encoded ones)."""
    m = URN.search(unquote(link))
    return f"urn:li:{m[1]}:{m[2]}" if m else None


def _posts(table: Table, parsed: Parsed, ctx: Context, last_metrics_day: date | None) -> int:
    cols = need(table, POSTS_KEYS)
    kind = table.column("Post type")
    title = table.column("Post title")
    content = table.column("Content Type")
    counters = optional(table, POST_COUNTERS)
    parsed.ignore_columns(table, POSTS_NOT_STORED)
    groups: dict[str, list[Row]] = defaultdict(list)
    for row in table.rows:
        link = text_cell(table, row, cols["link"])
        urn = post_urn(link)
        if urn is None:
            raise ImportFileError(
                f"{table.where}: row {row[0]}, column 'Post link': {link!r} is not a LinkedIn "
                "post link (expected one containing urn:li:share:..., urn:li:ugcPost:... "
                "or urn:li:activity:...)."
            )
        groups[urn].append(row)
    as_of = _as_of(parsed, ctx, table, groups, cols["created"], last_metrics_day)
    boosted = 0
    for urn, rows in groups.items():
        first = rows[0]
        day = parse_date(table, first, cols["created"])
        if parsed.skip_day(ctx, table, first, cols["created"], day):
            continue
        by_type: dict[str, list[dict[str, float]]] = defaultdict(list)
        for row in rows:
            row_type = text_cell(table, row, kind).casefold() or "organic"
            values = {}
            for index, metric in counters:
                value = parse_count(table, row, index, parsed.findings)
                if value is not None:
                    values[metric] = value
            by_type[row_type].append(values)
        origins = _origins(by_type)
        boosted += "paid" in origins
        parsed.add_post(
            Post(
                PLATFORM,
                urn,
                # the export gives the (UTC) day only; an API record keeps its exact time
                datetime.combine(day, time(12, 0), tzinfo=UTC),
                caption=next((t for r in rows if (t := text_cell(table, r, title))), ""),
                link=text_cell(table, first, cols["link"]),
                format=FORMATS.get(text_cell(table, first, content).casefold(), ""),
                is_ad="organic" not in origins and "total" not in origins,
            )
        )
        for origin, values in origins.items():
            if values:
                parsed.page.snapshots.append(Snapshot(urn, as_of, values, origin))
    if boosted:
        parsed.notes.append(
            f"{boosted} boosted post(s): their Sponsored rows (one per campaign) are summed as "
            "paid, their Total rows stored as total, never added to the others."
        )
    return len(groups)


def _origins(by_type: dict[str, list[dict[str, float]]]) -> dict[str, dict[str, float]]:
    """Snapshot values per origin from a post's Organic, Sponsored and Total rows."""
    out: dict[str, dict[str, float]] = {}
    if by_type.get("organic"):
        out["organic"] = by_type["organic"][0]
    sponsored = by_type.get("sponsored", [])
    if sponsored:
        paid: dict[str, float] = {}
        for values in sponsored:
            for metric, value in values.items():
                paid[metric] = paid.get(metric, 0.0) + value
        out["paid"] = paid
    if by_type.get("total"):
        out["total"] = by_type["total"][0]
        if "organic" not in out and "paid" in out:
            # organic = total - sponsored, where the export lists only those two
            out["organic"] = {
                m: out["total"][m] - out["paid"][m]
                for m in out["total"]
                if m in out["paid"] and out["total"][m] >= out["paid"][m]
            }
    return out


def _as_of(
    parsed: Parsed,
    ctx: Context,
    table: Table,
    groups: dict[str, list[Row]],
    created: int,
    last_metrics_day: date | None,
) -> datetime:
    """When the post totals were true: the export time or period end, else the last day shown."""
    named = ctx.named_period()
    if named is not None:
        parsed.as_of = named.moment or end_of_day(named.end, ZONE)
        parsed.notes.append(f"Post totals are dated {named.end.isoformat()}, from {named.basis}.")
        return parsed.as_of
    if last_metrics_day is not None:
        day, basis = last_metrics_day, "the last day of the Metrics sheet"
    else:
        days = [parse_date(table, rows[0], created) for rows in groups.values()]
        plausible = [d for d in days if ctx.plausible(d)]
        day, basis = max(plausible, default=ctx.today), "the newest post's created day"
    parsed.as_of = end_of_day(day, ZONE)
    parsed.notes.append(
        f"Post totals are dated {day.isoformat()} ({basis}); pass --period-end YYYY-MM-DD "
        "to give the export day."
    )
    return parsed.as_of
