"""Examples in messages, help texts and form hints, taken from the installed platforms.

A light module (it imports only the registry), so the CLI can build its help
texts without loading the campaign machinery.
"""

from __future__ import annotations

from core import registry


def example_platform() -> str:
    """The first installed platform, for examples such as reach:paid:<platform>."""
    return next(iter(registry.names()), "platform")


def example_scope() -> str:
    """A KPI[:ORIGIN[:PLATFORM]] example naming a platform: reach:paid:<first platform>."""
    return f"reach:paid:{example_platform()}"


def example_ids(kind: str) -> list[str]:
    """PLATFORM:ID of every platform with an example id of this kind (post | ad_campaign)."""
    out = []
    for p in registry.platforms():
        ident = p.example_post_id if kind == "post" else p.example_ad_campaign_id
        if ident:
            out.append(f"{p.name}:{ident}")
    return out


def example_id(kind: str) -> str:
    """PLATFORM:ID of the first platform with an example id of this kind."""
    return next(iter(example_ids(kind)), f"{example_platform()}:123")
