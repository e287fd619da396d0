"""Facebook as a platform of social: the record the registry finds through its entry point."""

from core.registry import Platform, Views

PLATFORM = Platform(
    name="facebook",
    display_name="Facebook",
    views=Views(
        concept="views",
        ad_metrics=frozenset({"impressions", "reach", "clicks", "link_click", "spend"}),
        paid_fallback={"views": ("impressions",)},
    ),
    collector="collectors.facebook.collector:build",
    sandbox="collectors.facebook.sandbox:PART",
    order=30,
)
