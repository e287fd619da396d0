"""TikTok Studio analytics downloads: Overview, Viewers, FollowerHistory (CSV/XLSX) and Content.

Real files (PLATFORMS.md) write dates without a year ("February 28"): the
year comes from --period-end, the file name, or the most recent such date
not in the future (`daily.row_days`), and the summary says which.
- Overview -> daily account values under the business API's names
  (video_views, profile_views, likes, comments, shares), with the origins the
  business-account collector gives them ('total' for views, which count paid
  views too; 'organic' for the rest). A day's likes, comments and shares are
  net of removals and can be negative: stored as reported, and noted.
- Viewers -> daily unique viewers (`unique_video_views`, and new / returning
  viewers): unique counts per day, never additive.
- FollowerHistory -> the follower LEVEL per day (`followers_count`, origin
  'total', as the business-account collector stores its daily levels) and the
  daily net change (`daily_total_followers`: the business API's net change).
  `undefined` (the days before the account had data) is no value, not zero.
- Content -> posts keyed by the video id in the link (the API's key), their
  lifetime counters as snapshots taken when the file was made. A yearless
  `Post time` gets its year from the upload time in the video id when they
  agree, else the latest such day not after the file's date.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from collectors.importers.base import Context, Parsed, has_all, need, optional, plural
from collectors.importers.cells import (
    id_text,
    is_yearless,
    local_day,
    parse_count,
    parse_datetime,
    parse_month_day,
    text_cell,
)
from collectors.importers.daily import Column, read_daily
from collectors.importers.periods import end_of_day, most_recent, year_from_video_id
from collectors.importers.readers import ImportFileError, Row, Table
from core.domain import Post, Snapshot

KIND = "tiktok_studio"
PLATFORM = "tiktok"
# Detection order among every installed platform's export kinds (lower first).
PRIORITY = 70
ACCOUNT_KIND = "business"
CONFIG_KEY = "[tiktok] business_id"
# As collectors.tiktok.business stores the account's daily metrics: views count organic and
# paid together (PLATFORMS.md), the rest is organic; a follower level is a total.
ORIGIN = "organic"
VIEWS_ORIGIN = "total"

LINK = ("Video link", "Video URL", "Link", "URL", "Video ID")
VIEWS = ("Total views", "Video views", "Views", "Total video views")
CONTENT_KEYS = {"link": LINK, "views": VIEWS}
POSTED = ("Post time", "Posted on", "Post date", "Date posted", "Publish time", "Create time")
TITLE = ("Video title", "Title", "Video description", "Description", "Caption")
COUNTERS: dict[tuple[str, ...], str] = {
    VIEWS: "view_count",
    ("Total likes", "Likes"): "like_count",
    ("Total comments", "Comments"): "comment_count",
    ("Total shares", "Shares"): "share_count",
}
OVERVIEW_KEYS = {"date": ("Date",), "views": ("Video Views", "Video views", "Views")}
OVERVIEW = (
    Column(("Video Views", "Video views", "Views"), "video_views", VIEWS_ORIGIN),
    Column(("Profile Views", "Profile views"), "profile_views", ORIGIN),
    Column(("Likes",), "likes", ORIGIN, "flow"),
    Column(("Comments",), "comments", ORIGIN, "flow"),
    Column(("Shares",), "shares", ORIGIN, "flow"),
)
VIEWERS_KEYS = {"date": ("Date",), "total": ("Total Viewers",)}
VIEWERS = (
    Column(("Total Viewers",), "unique_video_views", ORIGIN),
    Column(("New Viewers",), "new_viewers", ORIGIN),
    Column(("Returning Viewers",), "returning_viewers", ORIGIN),
)
FOLLOWERS_KEYS = {"date": ("Date",), "followers": ("Followers",)}
FOLLOWERS = (
    Column(("Followers",), "followers_count", "total"),
    Column(("Difference in followers from previous day",), "daily_total_followers", ORIGIN, "net"),
)
VIDEO_ID = re.compile(r"/video/(\d+)", re.ASCII)

EXPECTED = (
    "TikTok Studio export: Overview (Date, Video Views, Profile Views, Likes, Comments, "
    "Shares), Viewers (Date, Total Viewers, ...), FollowerHistory (Date, Followers, ...) or "
    "Content (Time, Video title, Video link, Post time, Total likes, ..., Total views)"
)


def matches(tables: list[Table]) -> bool:
    return any(_shape(t) for t in tables)


def _shape(table: Table) -> str:
    if has_all(table, CONTENT_KEYS):
        return "Content"
    if has_all(table, VIEWERS_KEYS):
        return "Viewers"
    if has_all(table, FOLLOWERS_KEYS):
        return "FollowerHistory"
    if has_all(table, OVERVIEW_KEYS):
        return "Overview"
    return ""


def parse(tables: list[Table], ctx: Context) -> Parsed:
    parsed = Parsed(KIND, PLATFORM, ACCOUNT_KIND, ctx.ids.get(PLATFORM, ""), CONFIG_KEY)
    shapes = []
    for table in tables:
        shape = _shape(table)
        if shape == "Content":
            _content(table, parsed, ctx)
            parsed.parts.append(plural(len(parsed.page.posts), "video"))
        elif shape:
            columns = {"Overview": OVERVIEW, "Viewers": VIEWERS, "FollowerHistory": FOLLOWERS}
            date_col = need(table, {"date": ("Date",)})["date"]
            days = read_daily(parsed, ctx, table, date_col, columns[shape])
            parsed.parts.append(plural(len(days), "day"))
        if shape:
            shapes.append(shape)
    parsed.label = f"TikTok Studio {' and '.join(shapes)} export"
    return parsed


def video_id(text: str) -> str | None:
    """The video id in a TikTok video link, or the id itself."""
    text = text.strip()
    if text.isdigit() and text.isascii():
        return text
    m = VIDEO_ID.search(text)
    return m[1] if m else None


def _content(table: Table, parsed: Parsed, ctx: Context) -> None:
    cols = need(table, CONTENT_KEYS | {"posted": POSTED})
    title = table.column(*TITLE)
    counters = optional(table, COUNTERS)
    rows = []
    for row in table.rows:
        link = id_text(table, row, cols["link"])
        vid = video_id(link)
        if vid is None:
            raise ImportFileError(
                f"{table.where}: row {row[0]}, column '{table.headers[cols['link']]}': "
                f"{link!r} is not a TikTok video link "
                "(expected https://www.tiktok.com/@user/video/<digits>)."
            )
        rows.append((row, vid, link))
    as_of = _as_of(table, parsed, ctx, [(row, vid) for row, vid, _ in rows], cols["posted"])
    for row, vid, link in rows:
        published = _published(table, row, cols["posted"], vid, as_of.date(), ctx.zone)
        if parsed.skip_day(ctx, table, row, cols["posted"], local_day(published, ctx.zone)):
            continue
        parsed.add_post(
            Post(
                PLATFORM,
                vid,
                published,
                caption=text_cell(table, row, title),
                link=link if "/" in link else "",
                format="video",
            )
        )
        values = {}
        for index, metric in counters:
            value = parse_count(table, row, index, parsed.findings)
            if value is not None:
                values[metric] = value
        if values:
            parsed.page.snapshots.append(Snapshot(vid, as_of, values, "total"))


def _as_of(
    table: Table, parsed: Parsed, ctx: Context, videos: list[tuple[Row, str]], posted: int
) -> datetime:
    """When the Content file's totals were true: the period end, else the file's latest date.

    TikTok does not say whether `Time` is the export day or the period's first day; the
    totals were read no earlier than it, nor before the newest video was posted.
    """
    named = ctx.named_period()
    if named is not None:
        parsed.as_of = named.moment or end_of_day(named.end, ctx.zone)
        parsed.notes.append(f"Video totals are dated {named.end.isoformat()}, from {named.basis}.")
        return parsed.as_of
    candidates: list[tuple[date, str]] = []
    time_col = table.column("Time")
    if time_col is not None and table.rows and is_yearless(table, table.rows[0], time_col):
        month, day = parse_month_day(table, table.rows[0], time_col)
        found = most_recent(month, day, ctx.today)
        if found:
            candidates.append((found, f"the file's Time column, {table.rows[0][1][time_col]}"))
    for row, vid in videos:
        if is_yearless(table, row, posted):
            found = year_from_video_id(vid, *parse_month_day(table, row, posted))
        else:
            found = parse_datetime(table, row, posted, ctx.zone).date()
        if found and ctx.plausible(found):
            candidates.append((found, "the newest video's post day"))
    if not candidates:
        candidates.append((ctx.today, "the import day: the file has no date"))
    newest, basis = max(candidates)
    parsed.as_of = end_of_day(newest, ctx.zone)
    parsed.notes.append(
        f"Video totals are dated {newest.isoformat()} ({basis}); the file does not say when it "
        "was downloaded: pass --period-end YYYY-MM-DD to date them."
    )
    return parsed.as_of


def _published(table: Table, row: Row, index: int, vid: str, latest: date, zone: str) -> datetime:
    """The post time; a yearless one takes its year from the video id, else the latest fit."""
    if not is_yearless(table, row, index):
        return parse_datetime(table, row, index, zone)
    month, day = parse_month_day(table, row, index)
    found = year_from_video_id(vid, month, day)
    if found is not None:
        uploaded = datetime.fromtimestamp(int(vid) >> 32, UTC)
        if uploaded.astimezone(ZoneInfo(zone)).date() == found:
            return uploaded  # the id's exact upload time, on the day the file says
    else:
        found = most_recent(month, day, latest)
        if found is None:
            raise ImportFileError(
                f"{table.where}: row {row[0]}, column '{table.headers[index]}': no date "
                f"fits {text_cell(table, row, index)!r}; pass --period-end YYYY-MM-DD."
            )
    return datetime.combine(found, time(12, 0), tzinfo=ZoneInfo(zone))
