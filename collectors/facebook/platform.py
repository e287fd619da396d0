"""Facebook as a platform of social: the record the registry finds through its entry point."""

from collectors.facebook.catalogue import METRICS
from collectors.facebook.settings import KEYS
from core.registry import Platform, Views

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
    collector="collectors.facebook.collector:build",
    order=30,
)
