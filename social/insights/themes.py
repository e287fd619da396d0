"""A post's themes: its calendar slot's tags plus the mapped hashtags of its caption."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from core.hashtags import DEFAULT_HASHTAG_THEMES, hashtags

UNTAGGED = "untagged"


def themes_of(caption: str, slot_tags: Iterable[str], mapping: Mapping[str, str]) -> list[str]:
    """Themes from the slot's tags and mapped hashtags; ['untagged'] when there are none."""
    found: list[str] = []
    for tag in slot_tags:
        theme = mapping.get(tag.lower().lstrip("#"), tag)
        if theme and theme not in found:
            found.append(theme)
    for tag in hashtags(caption):
        mapped = mapping.get(tag)
        if mapped and mapped not in found:
            found.append(mapped)
    return found or [UNTAGGED]


def theme_mapping(extra: Mapping[str, str]) -> dict[str, str]:
    """Built-in hashtag mapping overridden by social.toml's [insights] hashtag_themes."""
    merged = dict(DEFAULT_HASHTAG_THEMES)
    merged.update({k.lower().lstrip("#"): str(v) for k, v in extra.items()})
    return merged
