"""LinkedIn as a platform of social: the record the registry finds through its entry point."""

from collectors.linkedin.catalogue import METRICS
from collectors.linkedin.settings import KEYS
from core.registry import Platform, TokenEntry, Views

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
    tokens=(
        TokenEntry("linkedin", "linkedin", "access_token", "social auth linkedin --part page"),
        TokenEntry(
            "linkedin_ads",
            "linkedin",
            "ads_access_token",
            "social auth linkedin --part ads",
            needed_when="ad_account_ids",
        ),
    ),
    collector="collectors.linkedin.collector:build",
    auth_command="collectors.linkedin.cli:command",
    sandbox="collectors.linkedin.sandbox:PART",
    importers="collectors.linkedin.exports:KINDS",
    import_account_key="organization_id",
    order=20,
)
