"""How TikTok's impression sources read inside a sentence of the insights, (nb, en).

"42 % av visningene kom fra søk" / "42 % of the views came from search": the keys
are TikTok's (post_breakdowns, dimension 'impression_source').
"""

SOURCE_PHRASES: dict[str, tuple[str, str]] = {
    "For You": ("For deg-siden", "the For You feed"),
    "Search": ("søk", "search"),
    "Follow": ("følgerne", "followers"),
    "Personal Profile": ("profilen", "the profile"),
    "Hashtag": ("emneknagger", "hashtags"),
    "Sound": ("lyden", "the sound"),
    "Direct Message": ("direktemeldinger", "direct messages"),
}
