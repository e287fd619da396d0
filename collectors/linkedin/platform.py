"""LinkedIn as a platform of social: the record the registry finds through its entry point."""

from collectors.linkedin.catalogue import METRICS
from collectors.linkedin.settings import KEYS
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
    config_keys=KEYS,
    metrics=METRICS,
    collector="collectors.linkedin.collector:build",
    order=20,
)
