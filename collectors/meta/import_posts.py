"""Meta Business Suite posts export (Facebook Page): one row per post, lifetime totals.

The file name carries the period (`Jan-14-2025_Apr-14-2025_<number>.csv`);
`Date` is `Lifetime` on every row: the totals as the file was made, so they
are dated at the period's end. The column set varies with what the user
picked; columns are matched by name, never position.
- Posts keyed '<page id>_<post id>' like the Graph API.
- Counters as snapshots under the Graph API's names, with their origin where
  Meta splits it ('3-second video views from Boosted posts' -> paid).
- Unique counts (Reach, its organic / boosted parts, viewers, the older
  `IMPRESSION:UNIQUE_USERS`) as lifetime values for the post (publish day ..
  period end), never counters: they do not add up.
- Rows Meta could not compute (no Post ID, a 'Data comment' saying so) are
  skipped and counted; rows with the last cells missing are padded (readers).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from collectors.importers.base import Context, Parsed, has_all, need, plural
from collectors.importers.cells import (
    id_text,
    local_day,
    parse_count,
    parse_datetime,
    parse_number,
    text_cell,
)
from collectors.importers.periods import NamedPeriod, end_of_day
from collectors.importers.readers import ImportFileError, Row, Table
from core.domain import MetricValue, Post, Snapshot

KIND = "meta_business_suite"
PLATFORM = "facebook"
# Detection order among every installed platform's export kinds (lower first).
PRIORITY = 40
ACCOUNT_KIND = "page"
CONFIG_KEY = "[facebook] page_id"


@dataclass(frozen=True)
class PostColumns:
    """How one platform's posts export maps to records."""

    account_id: tuple[str, ...]
    account_name: tuple[str, ...]
    caption: tuple[tuple[str, ...], ...]  # joined with a blank line
    counters: dict[tuple[str, ...], tuple[str, str]]  # header variants -> (metric, origin)
    uniques: dict[tuple[str, ...], tuple[str, str]]  # lifetime unique counts
    not_stored: dict[str, str]
    formats: dict[str, str]


FACEBOOK = PostColumns(
    account_id=("Page ID",),
    account_name=("Page name",),
    caption=(("Title",), ("Description",)),
    counters={
        ("Views",): ("post_media_view", "total"),
        ("Impressions",): ("post_impressions", "total"),
        ("Reactions",): ("post_reactions", "total"),
        ("Comments",): ("post_comments", "total"),
        ("Shares",): ("post_shares", "total"),
        ("Total clicks",): ("post_clicks", "total"),
        ("Link Clicks",): ("post_link_clicks", "total"),
        ("Other Clicks",): ("post_other_clicks", "total"),
        ("Matched Audience Targeting Consumption (Photo Click)",): ("post_photo_clicks", "total"),
        ("Seconds viewed",): ("post_video_view_time", "total"),
        ("Average Seconds viewed",): ("post_video_avg_time_watched", "total"),
        ("3-second video views",): ("post_video_views", "total"),
        ("3-second video views from Organic posts",): ("post_video_views", "organic"),
        ("3-second video views from Boosted posts",): ("post_video_views", "paid"),
        ("1-minute video views",): ("post_video_views_60s", "total"),
        ("Negative feedback from users",): ("post_negative_feedback", "total"),
        ("Negative feedback from users: Hide all",): ("post_negative_feedback_hide_all", "total"),
        ("Estimated earnings (USD)",): ("post_estimated_earnings_usd", "total"),
        ("Ad impressions",): ("post_ad_impressions", "total"),
    },
    uniques={
        ("Reach", "Viewers"): ("post_total_media_view_unique", "total"),
        ("Reach from Organic posts",): ("post_total_media_view_unique", "organic"),
        ("Reach from Boosted posts",): ("post_total_media_view_unique", "paid"),
        ("IMPRESSION:UNIQUE_USERS",): ("post_impressions_unique", "total"),
        ("3-Second viewers",): ("post_video_views_unique", "total"),
        ("1-minute viewers",): ("post_video_views_60s_unique", "total"),
        ("Unique negative feedback from users",): ("post_negative_feedback_unique", "total"),
    },
    not_stored={
        "Reactions, Comments and Shares": "the sum of the stored Reactions, Comments and Shares",
    },
    formats={
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
    },
)
POST_KEYS = {"post_id": ("Post ID",), "published": ("Publish time",)}

EXPECTED = (
    "Meta Business Suite posts export (Post ID, Page ID, Publish time, Permalink, Views, "
    "Reach, Reactions, Comments, Shares, ...)"
)


def matches(tables: list[Table]) -> bool:
    return any(
        has_all(t, POST_KEYS) and t.column("Account ID", "Account username") is None for t in tables
    )


def parse(tables: list[Table], ctx: Context) -> Parsed:
    parsed = Parsed(KIND, PLATFORM, ACCOUNT_KIND, ctx.ids.get(PLATFORM, ""), CONFIG_KEY)
    parsed.label = "Meta Business Suite posts export (Facebook)"
    for table in tables:
        if has_all(table, POST_KEYS):
            read_posts(table, ctx, FACEBOOK, lambda _id: parsed, one_account=True)
            parsed.parts.append(plural(len(parsed.page.posts), "post"))
    return parsed


def read_posts(
    table: Table,
    ctx: Context,
    spec: PostColumns,
    part_for: Callable[[str], Parsed],
    *,
    one_account: bool,
) -> list[Parsed]:
    """Read every post row into the Parsed of its account (`part_for(account id)`)."""
    cols = need(table, POST_KEYS)
    account_col = table.column(*spec.account_id)
    name_col = table.column(*spec.account_name)
    zone = ZoneInfo(ctx.zone)
    named = ctx.named_period()
    parts: list[Parsed] = []
    rows: list[tuple[Row, Parsed, str, datetime]] = []
    errors: list[str] = []
    file_account = ""
    for row in table.rows:
        raw_id = id_text(table, row, cols["post_id"])
        account = id_text(table, row, account_col)
        if not raw_id:
            # Meta writes an error row when it could not compute a post's numbers.
            comment = text_cell(table, row, table.column("Data comment"))
            errors.append(f"row {row[0]}: {comment or 'no Post ID'}")
            continue
        if not raw_id.replace("_", "").isdigit() or not raw_id.isascii():
            raise ImportFileError(
                f"{table.where}: row {row[0]}, column 'Post ID': {raw_id!r} is not a post id "
                "(expected digits such as 1234567890 or <pageid>_<postid>)."
            )
        if one_account and account:
            if file_account and account != file_account:
                raise ImportFileError(
                    f"{table.where}: row {row[0]}, column '{table.headers[account_col or 0]}': "
                    f"{account} differs from {file_account} in the rows above; "
                    "export one Page per file."
                )
            file_account = account
        part = part_for(account)
        if part not in parts:
            parts.append(part)
        if account:
            part.account_id = part.file_account = account
            part.account_name = part.account_name or text_cell(table, row, name_col)
        published = parse_datetime(table, row, cols["published"], ctx.zone)
        if part.skip_day(ctx, table, row, cols["published"], local_day(published, ctx.zone)):
            continue
        if named and published.astimezone(zone).date() > named.end:
            raise ImportFileError(
                f"{table.where}: row {row[0]}, column 'Publish time': "
                f"{text_cell(table, row, cols['published'])} is after the period end "
                f"{named.end.isoformat()} from {named.basis}; pass --period-end with the "
                "export's last day."
            )
        rows.append((row, part, raw_id, published))
    if errors:
        if not parts:
            parts.append(part_for(""))
        parts[0].findings.add("error_row", errors[0], len(errors))
    lookup = _Columns.of(table, spec)
    for part in parts:
        own = [r for r in rows if r[1] is part]
        _date_part(part, ctx, named, [p for *_, p in own])
        part.ignore_columns(table, spec.not_stored)
        for row, _, raw_id, published in own:
            _post(table, row, part, spec, lookup, raw_id, published, ctx)
    return parts


def _date_part(
    part: Parsed, ctx: Context, named: NamedPeriod | None, published: list[datetime]
) -> None:
    """Date the part's lifetime totals: the period end, else the newest post's day."""
    zone = ZoneInfo(ctx.zone)
    days = [p.astimezone(zone).date() for p in published]
    part.cover(days)
    if named is not None:
        part.as_of = named.moment or end_of_day(named.end, ctx.zone)
        part.period = (named.start or min(days, default=named.end), named.end)
        part.notes.append(f"Lifetime totals are dated {named.end.isoformat()}, from {named.basis}.")
        return
    newest: date = max(days, default=ctx.today)
    part.as_of = end_of_day(newest, ctx.zone)
    part.notes.append(
        f"Lifetime totals are dated {newest.isoformat()} (the newest post's day): the file "
        "name has no period (Meta names it Mon-DD-YYYY_Mon-DD-YYYY_...); pass --period-end "
        "YYYY-MM-DD to give the export's last day."
    )


def external_id(post_id: str, page_id: str) -> str:
    """The Graph API's post id '<page id>_<post id>' from the export's columns."""
    return post_id if "_" in post_id or not page_id else f"{page_id}_{post_id}"


@dataclass(frozen=True)
class _Columns:
    """Where one table keeps what a post row needs (looked up once per table)."""

    caption: list[int]
    link: int | None
    kind: int | None
    duration: int | None
    counters: list[tuple[list[int], str, str]]  # (indexes, first = stored), metric, origin
    uniques: list[tuple[list[int], str, str]]

    @classmethod
    def of(cls, table: Table, spec: PostColumns) -> _Columns:
        def found(
            names: dict[tuple[str, ...], tuple[str, str]],
        ) -> list[tuple[list[int], str, str]]:
            out = []
            for variants, (metric, origin) in names.items():
                first = table.column(*variants)
                if first is not None:
                    out.append((table.columns(table.headers[first]), metric, origin))
            return out

        return cls(
            caption=[i for names in spec.caption if (i := table.column(*names)) is not None],
            link=table.column("Permalink"),
            kind=table.column("Post type"),
            duration=table.column("Duration (sec)"),
            counters=found(spec.counters),
            uniques=found(spec.uniques),
        )


def _post(
    table: Table,
    row: Row,
    part: Parsed,
    spec: PostColumns,
    cols: _Columns,
    raw_id: str,
    published: datetime,
    ctx: Context,
) -> None:
    pid = external_id(raw_id, part.account_id) if part.platform == PLATFORM else raw_id
    caption = "\n\n".join(t for i in cols.caption if (t := text_cell(table, row, i)))
    part.add_post(
        Post(
            part.platform,
            pid,
            published,
            caption=caption,
            link=text_cell(table, row, cols.link),
            format=spec.formats.get(text_cell(table, row, cols.kind).casefold(), ""),
            duration_s=(
                parse_number(table, row, cols.duration) if cols.duration is not None else None
            ),
        )
    )
    assert part.as_of is not None
    by_origin: dict[str, dict[str, float]] = {}
    for indexes, metric, origin in cols.counters:
        value = _first_of(table, row, indexes, part)
        if value is not None:
            by_origin.setdefault(origin, {})[metric] = value
    for origin, values in by_origin.items():
        part.page.snapshots.append(Snapshot(pid, part.as_of, values, origin))
    start = published.astimezone(ZoneInfo(ctx.zone)).date()
    for indexes, metric, origin in cols.uniques:
        value = _first_of(table, row, indexes, part)
        if value is not None:
            part.page.values.append(
                MetricValue(
                    metric,
                    value,
                    start,
                    part.as_of.date(),
                    "lifetime",
                    origin,
                    subject_type="post",
                    subject_external_id=pid,
                )
            )


def _first_of(table: Table, row: Row, indexes: list[int], part: Parsed) -> float | None:
    """The value of the first of same-named columns; a duplicate column must agree."""
    first, *others = indexes
    value = parse_count(table, row, first, part.findings)
    for other in others:
        again = parse_number(table, row, other)
        if again != value and not (again is not None and again < 0 and value is None):
            part.findings.add(
                "duplicate_column",
                f"row {row[0]}: two '{table.headers[first]}' columns hold {_shown(value)} and "
                f"{_shown(again)}; the first is stored",
            )
    return value


def _shown(value: float | None) -> str:
    return "nothing" if value is None else f"{value:g}"
