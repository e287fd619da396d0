"""Meta Business Suite posts export of Instagram: one part per account, stored as Instagram.

Columns `Post ID`, `Account ID`, `Account username`, ... `Saves` (Facebook's
has `Page ID` / `Page name`). A file may hold several accounts: the first is
the file's part, the others are listed as parts not stored (one account per
import). Counters (views, likes, comments, shares, saved, follows) become
snapshots dated at the period end; `reach` a lifetime value per post (unique
accounts, never additive). Ids and metric names are the Instagram API's, so
imported and synced posts are the same records.
"""

from __future__ import annotations

from collectors.importers.base import Context, Parsed, has_all, plural
from collectors.importers.readers import Table
from collectors.instagram.exports import KIND, PLATFORM, new_part
from collectors.meta.import_posts import POST_KEYS, PostColumns, read_posts

__all__ = ["EXPECTED", "KIND", "PLATFORM", "PRIORITY", "matches", "parse"]

# Detection order across platforms: before Facebook's posts export (both have `Post ID`).
PRIORITY = 30

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
EXPECTED = (
    "Meta Business Suite posts export of Instagram (Post ID, Account ID, Account username, ...)"
)


def matches(tables: list[Table]) -> bool:
    return any(
        has_all(t, POST_KEYS) and t.column("Account ID", "Account username") is not None
        for t in tables
    )


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
    # The configured account's part is the one stored; else the file's first account.
    mine = [p for p in parts if p.account_id and p.account_id == ctx.ids.get(PLATFORM)]
    ordered = mine + [p for p in parts if p not in mine]
    main = ordered[0] if ordered else new_part(ctx)
    main.others = ordered[1:]
    return main
