"""Instagram's words in Meta Business Suite exports: daily titles, and whose part a file is.

Meta Business Suite downloads hold Facebook and Instagram numbers in the same
shapes; only titles and columns tell them apart (PLATFORMS.md). The shared
readers in `collectors.meta` use this vocabulary to put Instagram's sections
and rows into an Instagram part, stored under the Instagram API's own metric
names, so an imported day and a synced day are the same metric.
"""

from __future__ import annotations

from collectors.importers.base import Context, Parsed

KIND = "meta_business_suite"
PLATFORM = "instagram"
ACCOUNT_KIND = "business"  # as the collector stores the account
ACCOUNT_KEY = "ig_user_id"  # the [instagram] key naming the account
CONFIG_KEY = f"[{PLATFORM}] {ACCOUNT_KEY}"

# Title of a daily section (casefolded) -> the Instagram API's account metric.
DAILY_TITLES = {
    "instagram reach": "reach",
    "reach": "reach",
    "instagram views": "views",
    "views": "views",
    "viewers": "reach",
    "visits": "profile_views",
    "instagram follows": "follower_count",
    "instagram profile visits": "profile_views",
    "instagram link clicks": "website_clicks",
    "instagram content interactions": "total_interactions",
    "instagram interactions": "total_interactions",
}
# These never appear in a Facebook download (PLATFORMS.md): they mark an Instagram one.
INSTAGRAM_ONLY_TITLES = frozenset({"reach"})


def new_part(ctx: Context, account: str = "") -> Parsed:
    """An empty Instagram part of a file (the account from the file, else from the config)."""
    return Parsed(KIND, PLATFORM, ACCOUNT_KIND, account or ctx.ids.get(PLATFORM, ""), CONFIG_KEY)
