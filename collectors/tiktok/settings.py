"""The [tiktok] section of social.toml: TikTok's keys, their defaults, ranges and help."""

from __future__ import annotations

from core.config import MAX_ID, Key, check_url

# In the order `social init` writes them.
KEYS: dict[str, Key] = {
    "enabled": Key(bool, True, "Collect TikTok"),
    "base_url": Key(
        str, "https://open.tiktokapis.com", "Display API v2 (organic)", check=check_url
    ),
    "business_base_url": Key(
        str,
        "https://business-api.tiktok.com/open_api/v1.3",
        "Business and Marketing API",
        check=check_url,
    ),
    "client_key": Key(
        str, "", "App client key (the secret comes from SOCIAL_TIKTOK_CLIENT_SECRET)"
    ),
    "business_id": Key(str, "", "Business account id for per-video reach and daily metrics"),
    "advertiser_ids": Key(
        list, [], "Ad accounts for paid stats", item=(str, int), low=0, high=MAX_ID
    ),
    "business_client_id": Key(
        str,
        "",
        "Business app id for the business-account sign-in and its daily token refresh "
        "(the secret comes from SOCIAL_TIKTOK_BUSINESS_CLIENT_SECRET)",
    ),
}
