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
        definition={
            "nb": "LinkedIn teller visninger i feeden (impressions), som står i samme rad",
            "en": "LinkedIn counts feed impressions, shown in the same row",
        },
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
    own_rate_counts_clicks=True,
    post_id_prefixes=("urn:li:",),
    post_id_hint={"nb": "urn:li:share:…", "en": "urn:li:share:…"},
    example_post_id="urn:li:share:123",
    colour="#0a66c2",
    brief_templates="collectors.linkedin.briefs",
)
