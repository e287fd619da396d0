"""TikTok as a platform of social: the record the registry finds through its entry point."""

from collectors.tiktok.catalogue import BREAKDOWN_LABELS, METRICS
from collectors.tiktok.settings import KEYS
from core.registry import Platform, Views

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
    collector="collectors.tiktok.collector:build",
    order=10,
)
