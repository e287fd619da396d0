"""LinkedIn as a platform of social: the record the registry finds through its entry point."""

from core.registry import Platform, Views

PLATFORM = Platform(
    name="linkedin",
    display_name="LinkedIn",
    views=Views(
        concept="impressions",
        ad_metrics=frozenset(
            {
                "impressions",
                "clicks",
                "costInLocalCurrency",
                "videoViews",
                "likes",
                "comments",
                "shares",
                "follows",
                "landingPageClicks",
                "approximateMemberReach",
                "totalEngagements",
            }
        ),
        paid_fallback={},
        definition={
            "nb": "LinkedIn teller visninger i feeden (impressions), som står i samme rad",
            "en": "LinkedIn counts feed impressions, shown in the same row",
        },
    ),
    collector="collectors.linkedin.collector:build",
    order=20,
    own_rate_counts_clicks=True,
    post_id_prefixes=("urn:li:",),
    post_id_hint={"nb": "urn:li:share:…", "en": "urn:li:share:…"},
    example_post_id="urn:li:share:123",
    colour="#0a66c2",
)
