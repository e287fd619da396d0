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
    ),
    collector="collectors.linkedin.collector:build",
    sandbox="collectors.linkedin.sandbox:PART",
    order=20,
)
