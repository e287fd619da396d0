"""Instagram content in Meta Business Suite exports: recognised and parsed in full.

Instagram is not a platform in social yet, so `read_export` refuses what this
module parses (one line saying it is an Instagram export) and a Facebook file
with an Instagram section stores only its Facebook part. The records are
complete so that the issue making Instagram a platform only has to let them
through: platform 'instagram', account kind 'business', the Instagram Graph
API's ids (media id, account id) and metric names.

- Posts export (`Post ID`, `Account ID`, `Account username`, ... `Saves`): one
  part per account (a file may hold several); counters (views, likes,
  comments, shares, saved, follows) as snapshots dated at the period end,
  `reach` as a lifetime value per post (unique, never additive).
- Daily sections (`Instagram reach`, `Instagram follows`, and in an
  Instagram-only download `Reach` and `Views`): see `meta_daily`; their
  metric names are `DAILY_TITLES` here.
"""

from __future__ import annotations

from collectors.importers.base import Context, Parsed, has_all, plural
from collectors.importers.readers import Table
from collectors.meta.import_posts import POST_KEYS, PostColumns, read_posts

KIND = "meta_business_suite"
PLATFORM = "instagram"
# Detection order among every installed platform's export kinds (lower first); before the Facebook posts reader: an Instagram posts export also has Post ID.
PRIORITY = 30
ACCOUNT_KIND = "business"
CONFIG_KEY = "[instagram] account_id"

INSTAGRAM = PostColumns(
    account_id=("Account ID",),
    account_name=("Account username",),
    caption=(("Description",),),
    counters={
        ("Views",): ("views", "total"),
        ("Likes",): ("likes", "total"),
        ("Comments",): ("comments", "total"),
        ("Shares",): ("shares", "total"),
        ("Saves",): ("saved", "total"),
        ("Follows",): ("follows", "total"),
    },
    uniques={("Reach",): ("reach", "total")},
    not_stored={},
    formats={"ig reel": "video", "ig image": "image", "ig carousel": "carousel"},
)
# Title of a daily section (casefolded) -> the Instagram Graph API's account metric.
DAILY_TITLES = {
    "instagram reach": "reach",
    "reach": "reach",
    "instagram views": "views",
    "views": "views",
    "viewers": "reach",
    "visits": "profile_views",
    "instagram follows": "follows",
    "instagram profile visits": "profile_views",
    "instagram link clicks": "website_clicks",
    "instagram content interactions": "total_interactions",
    "instagram interactions": "total_interactions",
}
# These never appear in a Facebook download (PLATFORMS.md): they mark an Instagram one.
INSTAGRAM_ONLY_TITLES = frozenset({"reach"})

EXPECTED = (
    "Meta Business Suite posts export of Instagram (Post ID, Account ID, Account username, ...)"
)


def matches(tables: list[Table]) -> bool:
    return any(
        has_all(t, POST_KEYS) and t.column("Account ID", "Account username") is not None
        for t in tables
    )


def new_part(ctx: Context, account: str = "") -> Parsed:
    """An empty Instagram part of a file."""
    return Parsed(KIND, PLATFORM, ACCOUNT_KIND, account, CONFIG_KEY)


def parse(tables: list[Table], ctx: Context) -> Parsed:
    by_account: dict[str, Parsed] = {}

    def part_for(account: str) -> Parsed:
        if account not in by_account:
            by_account[account] = new_part(ctx, account)
        return by_account[account]

    parts: list[Parsed] = []
    for table in tables:
        if has_all(table, POST_KEYS):
            parts += [p for p in read_posts(table, ctx, INSTAGRAM, part_for, one_account=False)]
    for part in parts:
        part.label = "Meta Business Suite posts export of Instagram"
        name = f"@{part.account_name}" if part.account_name else f"account {part.account_id}"
        part.parts.append(f"{plural(len(part.page.posts), 'post')} of {name}")
    main = parts[0] if parts else new_part(ctx)
    main.others = parts[1:]
    return main
