"""The [facebook] section of social.toml: Facebook's keys, their defaults, ranges and help."""

from __future__ import annotations

from collectors.meta.settings import graph_version
from core.config import MAX_ID, Key, check_url

# In the order `social init` writes them.
KEYS: dict[str, Key] = {
    "enabled": Key(bool, False, "Collect Facebook"),
    "base_url": Key(str, "https://graph.facebook.com", "Graph API host", check=check_url),
    "api_version": Key(str, "v25.0", "Graph API version", check=graph_version),
    "app_id": Key(str, "", "App id (the secret comes from SOCIAL_FACEBOOK_APP_SECRET)"),
    "page_id": Key(str, "", "Facebook Page id"),
    "ad_account_ids": Key(
        list, [], "Ad accounts (without the act_ prefix)", item=(str, int), low=0, high=MAX_ID
    ),
    "page_metrics": Key(
        list,
        [
            "page_media_view",
            "page_total_media_view_unique",
            "page_post_engagements",
            "page_daily_follows",
            "page_follows",
        ],
        "Daily Page insights metrics (a metric Meta retires is skipped with a warning)",
        item=str,
    ),
    "post_metrics": Key(
        list,
        ["post_media_view", "post_total_media_view_unique"],
        "Lifetime post insights metrics",
        item=str,
    ),
}
