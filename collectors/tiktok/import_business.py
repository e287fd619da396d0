"""TikTok business-account analytics downloads: overview and content (CSV).

Dates are `YYYY/MM/DD`; content `Post time` is `YYYY/MM/DD HH:MM:SS` in UTC
(it matches the upload time in the video id, PLATFORMS.md).
- Overview -> daily account values under the business API's names
  (`video_views`, `unique_video_views` for 'Reached audience' (daily unique,
  never additive; `NAN` is no value), `profile_views`, `likes`, `shares`,
  `comments`, `phone_number_clicks` (header with a trailing space),
  `lead_submissions`, and the follower flows `daily_new_followers`,
  `daily_lost_followers` and `daily_total_followers` (= 'Net growth', a net
  change, not a level)), with the business collector's origins ('total' for
  views, which count paid views too; 'organic' for the rest).
- Content -> posts keyed by video id with their lifetime totals as
  snapshots (`view_count`, `like_count`, `comment_count`, `share_count`,
  `favorites`) taken when the file was made.
"""

from __future__ import annotations

from datetime import date

from collectors.importers.base import Context, Parsed, has_all, need, optional, plural
from collectors.importers.cells import id_text, parse_count, parse_datetime, text_cell
from collectors.importers.daily import Column, read_daily
from collectors.importers.periods import end_of_day
from collectors.importers.readers import ImportFileError, Table
from collectors.tiktok.import_studio import video_id
from core.domain import Post, Snapshot

KIND = "tiktok_business"
PLATFORM = "tiktok"
# Detection order among every installed platform's export kinds (lower first); before TikTok Studio's: the business-account overview also has Date and Video views.
PRIORITY = 60
ACCOUNT_KIND = "business"
CONFIG_KEY = "[tiktok] business_id"
# As collectors.tiktok.business stores the account's daily metrics: views count organic and
# paid together (PLATFORMS.md), the rest is organic; a follower level is a total.
ORIGIN = "organic"
VIEWS_ORIGIN = "total"

OVERVIEW_KEYS = {"date": ("Date",), "reached": ("Reached audience",)}
OVERVIEW = (
    Column(("Video views",), "video_views", VIEWS_ORIGIN),
    Column(("Reached audience",), "unique_video_views", ORIGIN),
    Column(("Profile views",), "profile_views", ORIGIN),
    Column(("Likes",), "likes", ORIGIN, "flow"),
    Column(("Shares",), "shares", ORIGIN, "flow"),
    Column(("Comments",), "comments", ORIGIN, "flow"),
    Column(("Phone number clicks",), "phone_number_clicks", ORIGIN),
    Column(("Leads submission", "Lead submissions"), "lead_submissions", ORIGIN),
    Column(("Net growth",), "daily_total_followers", ORIGIN, "net"),
    Column(("New followers",), "daily_new_followers", ORIGIN),
    Column(("Lost followers",), "daily_lost_followers", ORIGIN),
)
CONTENT_KEYS = {
    "link": ("Video link",),
    "posted": ("Post time",),
    "views": ("Video views",),
    "favorites": ("Add to Favorites",),
}
COUNTERS: dict[tuple[str, ...], str] = {
    ("Video views",): "view_count",
    ("Likes",): "like_count",
    ("Comments",): "comment_count",
    ("Shares",): "share_count",
    ("Add to Favorites",): "favorites",
}

EXPECTED = (
    "TikTok business-account export: overview (Date, Video views, Reached audience, ...) or "
    "content (Video title, Video link, Post time, Video views, ..., Add to Favorites)"
)


def matches(tables: list[Table]) -> bool:
    return any(has_all(t, OVERVIEW_KEYS) or has_all(t, CONTENT_KEYS) for t in tables)


def parse(tables: list[Table], ctx: Context) -> Parsed:
    parsed = Parsed(KIND, PLATFORM, ACCOUNT_KIND, ctx.ids.get(PLATFORM, ""), CONFIG_KEY)
    for table in tables:
        if has_all(table, OVERVIEW_KEYS):
            days = read_daily(parsed, ctx, table, need(table, OVERVIEW_KEYS)["date"], OVERVIEW)
            parsed.parts.append(plural(len(days), "day"))
            parsed.label = "TikTok business-account overview export"
        elif has_all(table, CONTENT_KEYS):
            _content(table, parsed, ctx)
            parsed.parts.append(plural(len(parsed.page.posts), "video"))
            parsed.label = "TikTok business-account content export"
    return parsed


def _content(table: Table, parsed: Parsed, ctx: Context) -> None:
    cols = need(table, CONTENT_KEYS)
    title = table.column("Video title")
    counters = optional(table, COUNTERS)
    posts = []
    for row in table.rows:
        link = id_text(table, row, cols["link"])
        vid = video_id(link)
        if vid is None:
            raise ImportFileError(
                f"{table.where}: row {row[0]}, column 'Video link': {link!r} is not a TikTok "
                "video link (expected https://www.tiktok.com/@user/video/<digits>)."
            )
        published = parse_datetime(table, row, cols["posted"], "UTC")
        if parsed.skip_day(ctx, table, row, cols["posted"], published.date()):
            continue
        posts.append((row, vid, link, published))
    named = ctx.named_period()
    if named is not None:
        parsed.as_of = named.moment or end_of_day(named.end, ctx.zone)
        parsed.notes.append(f"Video totals are dated {named.end.isoformat()}, from {named.basis}.")
    else:
        newest: date = max((p[3].date() for p in posts), default=ctx.today)
        parsed.as_of = end_of_day(newest, ctx.zone)
        parsed.notes.append(
            f"Video totals are dated {newest.isoformat()} (the newest video's post day); the "
            "file does not say when it was downloaded: pass --period-end YYYY-MM-DD to date them."
        )
    for row, vid, link, published in posts:
        parsed.add_post(
            Post(
                PLATFORM,
                vid,
                published,
                caption=text_cell(table, row, title),
                link=link,
                format="video",
            )
        )
        values = {}
        for index, metric in counters:
            value = parse_count(table, row, index, parsed.findings)
            if value is not None:
                values[metric] = value
        if values:
            parsed.page.snapshots.append(Snapshot(vid, parsed.as_of, values, "total"))
