"""Meta Business Suite daily metric downloads: a title (the metric), then `Date`, `Primary`.

UTF-16 with `sep=,` (or `sep=<TAB>`, CRLF, unquoted), or re-saved with `;`.
A file may hold several sections, each with its own title: a Facebook one and
an Instagram one over the same period. The time part of `Date` flips with US
daylight saving, so the date part is the day.

Only the title says whose numbers they are: `Facebook …` and `Instagram …`
say it; `Follows` and `Content interactions` were seen only in Facebook
downloads and `Reach` only in Instagram ones; `Views` (and the unseen
`Viewers`, `Visits`) occur in both. An unprefixed title takes --platform when
given, else what the other sections of the same file show; a lone `Views`
file is refused with a line asking for `--platform facebook`.

Facebook sections become account values of the Page (grain 'day', origin
'total': Meta does not split them); Instagram sections are parsed the same
way into an Instagram part (vocabulary in `collectors.instagram.exports`).
"""

from __future__ import annotations

from collectors.importers.base import Context, Parsed, has_all, need, plural
from collectors.importers.daily import Column, Kind, read_daily
from collectors.importers.readers import ImportFileError, Table
from collectors.instagram import exports as meta_instagram

KIND = "meta_business_suite"
PLATFORM = "facebook"
# Detection order among every installed platform's export kinds (lower first).
PRIORITY = 50
ACCOUNT_KIND = "page"
CONFIG_KEY = "[facebook] page_id"

DAILY_KEYS = {"date": ("Date",), "value": ("Primary", "Value")}
# title (casefolded) -> the Graph API's Page metric
FACEBOOK_TITLES = {
    "facebook views": "page_media_view",
    "facebook reach": "page_total_media_view_unique",
    "facebook viewers": "page_total_media_view_unique",
    "facebook visits": "page_views_total",
    "facebook follows": "page_daily_follows",
    "follows": "page_daily_follows",
    "new follows": "page_daily_follows",
    "facebook interactions": "page_post_engagements",
    "facebook content interactions": "page_post_engagements",
    "content interactions": "page_post_engagements",
    "interactions": "page_post_engagements",
    "facebook link clicks": "page_link_clicks",
    "link clicks": "page_link_clicks",
}
# Daily interactions are net of removals (unlikes), like LinkedIn's and TikTok's.
FLOWS = frozenset({"page_post_engagements", "total_interactions"})
# Unprefixed titles Meta uses for both platforms: the file alone cannot say whose they are.
SHARED_TITLES = {
    "views": "page_media_view",
    "reach": "page_total_media_view_unique",  # seen only from Instagram; Facebook if told so
    "viewers": "page_total_media_view_unique",
    "visits": "page_views_total",
}

EXPECTED = (
    "Meta Business Suite daily metric export (a title such as 'Facebook reach', then Date, Primary)"
)


def matches(tables: list[Table]) -> bool:
    return any(has_all(t, DAILY_KEYS) for t in tables)


def _title(table: Table) -> str:
    return " ".join(table.title.split()).casefold()


def _known(title: str) -> bool:
    return (
        title in FACEBOOK_TITLES or title in SHARED_TITLES or title in meta_instagram.DAILY_TITLES
    )


def parse(tables: list[Table], ctx: Context) -> Parsed:
    sections = [t for t in tables if has_all(t, DAILY_KEYS)]
    for table in sections:
        if not _known(_title(table)):
            known = sorted({*FACEBOOK_TITLES, *SHARED_TITLES, *meta_instagram.DAILY_TITLES})
            raise ImportFileError(
                f"{table.where}: the metric title above the Date/Primary columns is "
                f"{table.title or 'missing'!r}; expected one of "
                f"{', '.join(t.capitalize() for t in known)}."
            )
    facebook = Parsed(KIND, PLATFORM, ACCOUNT_KIND, ctx.ids.get(PLATFORM, ""), CONFIG_KEY)
    instagram = meta_instagram.new_part(ctx)
    titles = [_title(t) for t in sections]
    for table, title in zip(sections, titles, strict=True):
        platform = _platform(table, title, titles, ctx)
        part = facebook if platform == PLATFORM else instagram
        if platform == PLATFORM:
            metric = FACEBOOK_TITLES.get(title) or SHARED_TITLES[title]
        else:
            metric = meta_instagram.DAILY_TITLES[title]
        cols = need(table, DAILY_KEYS)
        kind: Kind = "flow" if metric in FLOWS else "count"
        column = Column((table.headers[cols["value"]],), metric, "total", kind)
        days = read_daily(part, ctx, table, cols["date"], [column])
        part.parts.append(f"'{table.title}': {plural(len(days), 'day')}")
    for part, name in ((facebook, "Facebook"), (instagram, "Instagram")):
        part.label = f"Meta Business Suite daily export of {name}"
    if facebook.parts:
        if instagram.parts:
            facebook.others.append(instagram)
        return facebook
    return instagram


def _platform(table: Table, title: str, titles: list[str], ctx: Context) -> str:
    """Whose section this is: the title's prefix, --platform, or the file's other titles."""
    if title.startswith("facebook "):
        return PLATFORM
    if title.startswith("instagram "):
        return meta_instagram.PLATFORM
    if ctx.platform:
        return ctx.platform
    if title in FACEBOOK_TITLES:
        return PLATFORM
    others = [t for t in titles if t != title]
    if title in meta_instagram.INSTAGRAM_ONLY_TITLES:
        return meta_instagram.PLATFORM
    if any(t.startswith("instagram ") for t in others):
        return PLATFORM  # Meta prefixes the Instagram sections of a two-platform download
    if any(t in meta_instagram.INSTAGRAM_ONLY_TITLES for t in others):
        return meta_instagram.PLATFORM
    if any(t.startswith("facebook ") or t in FACEBOOK_TITLES for t in others):
        return PLATFORM
    days = len(table.rows)
    raise ImportFileError(
        f"{table.file}: a Meta Business Suite daily '{table.title}' export ({plural(days, 'day')}); "
        "Meta gives Facebook and Instagram the same title, so the file does not say whose "
        "it is; import it with --platform facebook or --platform instagram."
    )
