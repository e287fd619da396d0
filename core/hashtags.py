"""Hashtags in a caption and the built-in mapping from hashtags to the themes the team plans with.

Shared by insights (a post's themes) and the calendar (matching a post to its slot).
"""

from __future__ import annotations

import re

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
