"""A post's themes: its calendar slot's tags plus the mapped hashtags of its caption."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

UNTAGGED = "untagged"

# Hashtags the team uses, mapped to the themes they plan with; social.toml adds more.
DEFAULT_HASHTAG_THEMES: dict[str, str] = {
    "eksamen": "eksamen",
    "eksamenstips": "eksamen",
    "tips": "tips",
    "studietips": "tips",
    "studieliv": "studieliv",
    "tmatte": "T-matte",
    "rmatte": "R-matte",
    "ærlig": "ærlig historie",
    "aerlig": "ærlig historie",
    "rollemodell": "rollemodell",
    "jobb": "jobb",
    "karriere": "jobb",
}

_HASHTAG = re.compile(r"#([\wæøåÆØÅ]+)")


def hashtags(caption: str) -> list[str]:
    """Hashtags of a caption, lower-case, without '#', in order of appearance."""
    seen: list[str] = []
    for tag in _HASHTAG.findall(caption or ""):
        tag = tag.lower()
        if tag not in seen:
            seen.append(tag)
    return seen


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
