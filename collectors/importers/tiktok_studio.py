"""TikTok Studio exports (CSV or XLSX): Content and Overview.

TikTok does not document the column names, so the likely English variants are
accepted ('Video title' / 'Title', 'Total views' / 'Video views' / 'Views', ...).
- Content -> Posts keyed by the video id in the video link (the API's key), the
  lifetime counters as Snapshots under the Display API names (origin 'total').
- Overview -> account MetricValues per day under the Business API names
  (video_views, profile_views, likes, comments, shares; origin 'organic').
"""

from __future__ import annotations

import re

from collectors.importers.base import Context, Parsed, has_all, need, optional
from collectors.importers.readers import (
    ImportFileError,
    Table,
    parse_date,
    parse_datetime,
    parse_number,
    text_cell,
)
from social.domain import MetricValue, Post, Snapshot

KIND = "tiktok_studio"
PLATFORM = "tiktok"
ACCOUNT_KIND = "business"
CONFIG_KEY = "[tiktok] business_id"

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
DAILY: dict[tuple[str, ...], str] = {
    ("Video Views", "Video views", "Views"): "video_views",
    ("Profile Views", "Profile views"): "profile_views",
    ("Likes",): "likes",
    ("Comments",): "comments",
    ("Shares",): "shares",
}
VIDEO_ID = re.compile(r"/video/(\d+)")

EXPECTED = (
    "TikTok Studio export: Content (Video title, Video link, Post time, Total views, "
    "Total likes, Total comments, Total shares) or Overview (Date, Video Views, "
    "Profile Views, Likes, Comments, Shares)"
)


def matches(tables: list[Table]) -> bool:
    return any(has_all(t, CONTENT_KEYS) or has_all(t, OVERVIEW_KEYS) for t in tables)


def parse(tables: list[Table], ctx: Context) -> Parsed:
    parsed = Parsed(KIND, PLATFORM, ACCOUNT_KIND, ctx.ids.get(PLATFORM, ""), CONFIG_KEY)
    for table in tables:
        if has_all(table, CONTENT_KEYS):
            _content(table, parsed, ctx)
            parsed.parts.append(f"{len(table.rows)} videos")
        elif has_all(table, OVERVIEW_KEYS):
            _overview(table, parsed)
            parsed.parts.append(f"{len(table.rows)} days")
    return parsed


def video_id(text: str) -> str | None:
    """The video id in a TikTok video link, or the id itself."""
    text = text.strip()
    if text.isdigit():
        return text
    m = VIDEO_ID.search(text)
    return m[1] if m else None


def _content(table: Table, parsed: Parsed, ctx: Context) -> None:
    cols = need(table, CONTENT_KEYS | {"posted": POSTED})
    title = table.column(*TITLE)
    counters = optional(table, COUNTERS)
    for row in table.rows:
        link = _text(table, row, cols["link"])
        vid = video_id(link)
        if vid is None:
            raise ImportFileError(
                f"{table.where}: row {row[0]}, column '{table.headers[cols['link']]}': "
                f"{link!r} is not a TikTok video link "
                "(expected https://www.tiktok.com/@user/video/<digits>)."
            )
        parsed.add_post(
            Post(
                PLATFORM,
                vid,
                parse_datetime(table, row, cols["posted"], ctx.zone),
                caption=text_cell(table, row, title),
                link=link if "/" in link else "",
                format="video",
            )
        )
        values = {}
        for index, metric in counters:
            value = parse_number(table, row, index)
            if value is not None:
                values[metric] = value
        if values:
            parsed.page.snapshots.append(Snapshot(vid, ctx.now, values, "total"))


def _overview(table: Table, parsed: Parsed) -> None:
    cols = need(table, OVERVIEW_KEYS)
    present = optional(table, DAILY)
    for row in table.rows:
        day = parse_date(table, row, cols["date"])
        for index, metric in present:
            value = parse_number(table, row, index)
            if value is not None:
                parsed.page.values.append(MetricValue(metric, value, day, day, "day", "organic"))


def _text(table: Table, row: tuple[int, list[object]], index: int) -> str:
    value = row[1][index] if index < len(row[1]) else None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return text_cell(table, row, index)
