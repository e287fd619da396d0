"""Facebook as a platform of social: the record the registry finds through its entry point."""

from collectors.facebook.catalogue import METRICS
from collectors.facebook.settings import KEYS
from core.registry import Platform, TokenEntry, Views

PLATFORM = Platform(
    name="facebook",
    display_name="Facebook",
    views=Views(
        concept="views",
        ad_metrics=frozenset({"impressions", "reach", "clicks", "link_click", "spend"}),
        paid_fallback={"views": ("impressions",)},
    ),
    config_keys=KEYS,
    metrics=METRICS,
    tokens=(
        TokenEntry("facebook", "facebook", "access_token", "social auth facebook"),
        TokenEntry(
            "facebook_ads",
            "facebook",
            "ads_token",
            "social auth facebook",
            needed_when="ad_account_ids",
        ),
    ),
    collector="collectors.facebook.collector:build",
    auth_command="collectors.facebook.cli:command",
    sandbox="collectors.facebook.sandbox:PART",
    importers="collectors.facebook.exports:KINDS",
    import_account_key="page_id",
    order=30,
)
