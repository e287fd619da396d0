"""Meta Business Suite CSV exports (often UTF-16 with a BOM and a `sep=,` first line).

- Post export (`Post ID`, `Page ID`, `Publish time`, `Permalink`, `Views`, `Reach`,
  `Reactions`, ...) -> Posts keyed '<page id>_<post id>' like the Graph API, the
  lifetime counters as Snapshots under the API's metric names (origin 'total':
  the file has no organic/paid split), and `Reach` (unique viewers) as a
  lifetime MetricValue (publish date .. today), never a counter.
- Page daily export (a metric title row such as "Views", then `Date`,`Primary`)
  -> account MetricValues of that metric, grain 'day'. Daily viewers/reach stay
  grain 'day' and are not additive (catalogue).
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

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

KIND = "meta_business_suite"
PLATFORM = "facebook"
ACCOUNT_KIND = "page"
CONFIG_KEY = "[facebook] page_id"

POST_KEYS = {"post_id": ("Post ID",), "published": ("Publish time",)}
PAGE_ID = ("Page ID", "Account ID")
PAGE_NAME = ("Page name", "Account name")
POST_COUNTERS: dict[tuple[str, ...], str] = {
    ("Views", "Impressions"): "post_media_view",
    ("Reactions",): "post_reactions",
    ("Comments",): "post_comments",
    ("Shares",): "post_shares",
    ("Total clicks",): "post_clicks",
}
REACH = ("Reach", "Viewers")
FORMATS = {
    "photos": "image",
    "photo": "image",
    "videos": "video",
    "video": "video",
    "reels": "video",
    "reel": "video",
    "links": "link",
    "link": "link",
    "text": "text",
    "status": "text",
    "albums": "carousel",
    "carousel": "carousel",
}
DAILY_KEYS = {"date": ("Date",), "value": ("Primary", "Value")}
# the metric title row of a daily export -> the API's metric name
DAILY_TITLES = {
    "views": "page_media_view",
    "facebook views": "page_media_view",
    "viewers": "page_total_media_view_unique",
    "facebook viewers": "page_total_media_view_unique",
    "reach": "page_total_media_view_unique",
    "facebook reach": "page_total_media_view_unique",
    "follows": "page_daily_follows",
    "facebook follows": "page_daily_follows",
    "new follows": "page_daily_follows",
    "interactions": "page_post_engagements",
    "content interactions": "page_post_engagements",
    "facebook interactions": "page_post_engagements",
}

EXPECTED = (
    "Meta Business Suite export: posts (Post ID, Page ID, Publish time, Permalink, Views, "
    "Reach, Reactions, Comments, Shares) or a daily page metric (title row such as 'Views', "
    "then Date, Primary)"
)


def matches(tables: list[Table]) -> bool:
    return any(has_all(t, POST_KEYS) or has_all(t, DAILY_KEYS) for t in tables)


def parse(tables: list[Table], ctx: Context) -> Parsed:
    parsed = Parsed(KIND, PLATFORM, ACCOUNT_KIND, ctx.ids.get(PLATFORM, ""), CONFIG_KEY)
    for table in tables:
        if has_all(table, POST_KEYS):
            _posts(table, parsed, ctx)
            parsed.parts.append(f"{len(table.rows)} posts")
        elif has_all(table, DAILY_KEYS):
            metric = _daily(table, parsed)
            parsed.parts.append(f"{len(table.rows)} days of {metric}")
    return parsed


def _daily(table: Table, parsed: Parsed) -> str:
    cols = need(table, DAILY_KEYS)
    title = " ".join(table.title.split()).casefold()
    metric = DAILY_TITLES.get(title)
    if metric is None:
        raise ImportFileError(
            f"{table.where}: the metric title above the Date/Primary columns is "
            f"{table.title or 'missing'!r}; expected one of "
            f"{', '.join(sorted({t.title() for t in DAILY_TITLES if ' ' not in t}))}."
        )
    for row in table.rows:
        day = parse_date(table, row, cols["date"])
        value = parse_number(table, row, cols["value"])
        if value is not None:
            parsed.page.values.append(MetricValue(metric, value, day, day, "day", "total"))
    return metric


def external_id(post_id: str, page_id: str) -> str:
    """The Graph API's post id '<page id>_<post id>' from the export's columns."""
    return post_id if "_" in post_id or not page_id else f"{page_id}_{post_id}"


def _posts(table: Table, parsed: Parsed, ctx: Context) -> None:
    cols = need(table, POST_KEYS)
    page_col = table.column(*PAGE_ID)
    name_col = table.column(*PAGE_NAME)
    title = table.column("Title")
    description = table.column("Description")
    link = table.column("Permalink")
    kind = table.column("Post type")
    duration = table.column("Duration (sec)")
    reach = table.column(*REACH)
    counters = optional(table, POST_COUNTERS)
    zone = ZoneInfo(ctx.zone)
    file_page = ""
    for row in table.rows:
        raw_id = _id_text(table, row, cols["post_id"])
        page_id = _id_text(table, row, page_col) if page_col is not None else ""
        if page_id:
            if file_page and page_id != file_page:
                raise ImportFileError(
                    f"{table.where}: row {row[0]}, column 'Page ID': {page_id} differs from "
                    f"{file_page} in the rows above; export one Page per file."
                )
            file_page = parsed.account_id = page_id
            parsed.account_name = parsed.account_name or text_cell(table, row, name_col)
        if not raw_id.replace("_", "").isdigit():
            raise ImportFileError(
                f"{table.where}: row {row[0]}, column 'Post ID': {raw_id!r} is not a post id "
                "(expected digits such as 1234567890 or <pageid>_<postid>)."
            )
        pid = external_id(raw_id, page_id or parsed.account_id)
        published = parse_datetime(table, row, cols["published"], ctx.zone)
        caption = "\n\n".join(
            t for t in (text_cell(table, row, title), text_cell(table, row, description)) if t
        )
        seconds = parse_number(table, row, duration) if duration is not None else None
        parsed.add_post(
            Post(
                PLATFORM,
                pid,
                published,
                caption=caption,
                link=text_cell(table, row, link),
                format=FORMATS.get(text_cell(table, row, kind).casefold(), ""),
                duration_s=seconds,
            )
        )
        values = {}
        for index, metric in counters:
            value = parse_number(table, row, index)
            if value is not None:
                values[metric] = value
        if values:
            parsed.page.snapshots.append(Snapshot(pid, ctx.now, values, "total"))
        unique = parse_number(table, row, reach) if reach is not None else None
        if unique is not None:
            start = published.astimezone(zone).date()
            parsed.page.values.append(
                MetricValue(
                    "post_total_media_view_unique",
                    unique,
                    min(start, ctx.today),
                    ctx.today,
                    "lifetime",
                    "total",
                    subject_type="post",
                    subject_external_id=pid,
                )
            )


def _id_text(table: Table, row: tuple[int, list[object]], index: int | None) -> str:
    """An id cell as text; spreadsheets turn long ids into floats, which is undone here."""
    if index is None:
        return ""
    value = row[1][index] if index < len(row[1]) else None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return text_cell(table, row, index).lstrip("'")
