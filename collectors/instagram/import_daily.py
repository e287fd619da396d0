"""Meta Business Suite daily downloads of Instagram: read by the shared Meta daily reader.

`Reach.csv` (title `Reach`) and `Instagram follows` sections are Instagram's
whatever the file's other sections; `Views` is used by both platforms, so a
lone `Views.csv` is Instagram's only when the import says so (`--platform
instagram`). This kind is the one `--platform instagram` picks for a daily
download with a section Instagram can have: the Instagram part is the one
stored, a Facebook part of the same file is listed as not stored. Without
--platform the shared reader (`collectors.meta.import_daily`) decides from the
titles, and a file with only Instagram sections is stored as Instagram.
"""

from __future__ import annotations

from dataclasses import replace

from collectors.importers.base import Context, Parsed, has_all
from collectors.importers.readers import Table
from collectors.instagram.exports import DAILY_TITLES, PLATFORM
from collectors.meta import import_daily as meta_daily

__all__ = ["EXPECTED", "KIND", "PLATFORM", "PRIORITY", "matches", "parse"]

KIND = meta_daily.KIND
# After the shared Meta daily reader: without --platform it tells the platforms apart.
PRIORITY = 55
EXPECTED = (
    "Meta Business Suite daily export of Instagram (a title such as 'Instagram reach', "
    "'Reach' or 'Views', then Date, Primary)"
)


def _titles(tables: list[Table]) -> list[str]:
    return [
        " ".join(t.title.split()).casefold() for t in tables if has_all(t, meta_daily.DAILY_KEYS)
    ]


def matches(tables: list[Table]) -> bool:
    """A daily download with a section Instagram can have."""
    return any(t in DAILY_TITLES for t in _titles(tables))


def parse(tables: list[Table], ctx: Context) -> Parsed:
    """The Instagram part, with the file's Facebook part (if any) among the others."""
    shared = all(t in DAILY_TITLES for t in _titles(tables))
    # Only a file of titles Instagram uses is all Instagram's; otherwise the titles decide.
    parsed = meta_daily.parse(tables, replace(ctx, platform=PLATFORM if shared else None))
    if parsed.platform == PLATFORM:
        return parsed
    mine = [p for p in parsed.others if p.platform == PLATFORM]
    if not mine:
        return parsed
    main, others = mine[0], [p for p in parsed.others if p is not mine[0]]
    parsed.others = []
    main.others = [parsed, *others]
    return main
