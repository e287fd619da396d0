"""TikTok as a platform of social: the record the registry finds through its entry point."""

from collectors.tiktok.catalogue import BREAKDOWN_LABELS, METRICS
from collectors.tiktok.settings import KEYS
from core.registry import Platform, TokenEntry, Views

PLATFORM = Platform(
    name="tiktok",
    display_name="TikTok",
    views=Views(
        concept="views",
        ad_metrics=frozenset(
            {
                "spend",
                "impressions",
                "reach",
                "clicks",
                "video_play_actions",
                "video_watched_2s",
                "video_watched_6s",
                "profile_visits",
                "likes",
                "comments",
                "shares",
                "follows",
            }
        ),
        paid_fallback={},
    ),
    config_keys=KEYS,
    metrics=METRICS,
    breakdown_labels=BREAKDOWN_LABELS,
    tokens=(
        TokenEntry("tiktok", "tiktok", "access_token", "social auth tiktok"),
        TokenEntry(
            "tiktok_business",
            "tiktok",
            "business_token",
            "social auth tiktok --part business",
            needed_when="business_id",
            env_refresh="business_refresh_token",
        ),
        TokenEntry(
            "tiktok_ads_token",
            "tiktok",
            "ads_token",
            "social auth tiktok --part ads --token ...",
            needed_when="advertiser_ids",
        ),
    ),
    collector="collectors.tiktok.collector:build",
    auth_command="collectors.tiktok.cli:command",
    sandbox="collectors.tiktok.sandbox:PART",
    importers="collectors.tiktok.exports:KINDS",
    import_account_key="business_id",
    order=10,
)
