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
    order=30,
    post_id_hint={"nb": "sideid_innleggsid", "en": "pageid_postid"},
    colour="#6d28d9",
)
