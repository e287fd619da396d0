"""TikTok as a platform of social: the record the registry finds through its entry point."""

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
        counter_holds_ad_views=True,
    ),
    collector="collectors.tiktok.collector:build",
    order=10,
    post_id_hint={"nb": "video-ID-en", "en": "the video id"},
    example_post_id="7301234567890123456",
    example_ad_campaign_id="1780000000000002",
    colour="#111827",
)
