"""How insights are said: intervals that cannot contradict their verdict, honest data age,
and where a post's views came from."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from core import formats, registry
from social.insights.analysis import GroupResult


def _bound(value: float, lang: str, decimals: int) -> str:
    return formats.number(value, lang, decimals)


def interval(group: GroupResult, lang: str) -> str:
    """The 95 % interval as text, precise enough that it never seems to contradict the verdict.

    Rounded to one decimal, 0.97-1.40 reads "1,0–1,4x" beside "unclear", and 0.62-0.98
    reads "0,6–1,0x" beside "worse": the same "1,0" under opposite verdicts. Where a bound
    would round onto 1, two decimals are shown (0,97–1,40x; 0,62–0,98x).
    """
    if group.ci_low is None or group.ci_high is None:
        return ""
    low, high = group.ci_low, group.ci_high
    one = _bound(1.0, lang, 1)
    decimals = 2 if one in (_bound(low, lang, 1), _bound(high, lang, 1)) else 1
    return f"{_bound(low, lang, decimals)}–{_bound(high, lang, decimals)}x"


def verdict_phrase(group: GroupResult, lang: str) -> str:
    """The verdict with what it rests on, so 'unclear' cannot be read as 'better' or 'worse'."""
    nb = lang == "nb"
    if not group.ranked:
        return "for få innlegg til å si noe" if nb else "too few posts to say"
    if group.verdict == "better":
        return (
            "bedre enn vanlig (hele intervallet over 1x)"
            if nb
            else ("better than usual (the whole interval above 1x)")
        )
    if group.verdict == "worse":
        return (
            "svakere enn vanlig (hele intervallet under 1x)"
            if nb
            else ("worse than usual (the whole interval below 1x)")
        )
    return (
        "ingen tydelig forskjell (intervallet omfatter 1x)"
        if nb
        else ("no clear difference (the interval includes 1x)")
    )


def data_age_sentence(
    first: datetime | None, late: int, posts: int, age: int, lang: str, zone: str
) -> str:
    """Said first when measuring started late: how many posts were first measured after the age.

    Empty when every post was measured in time.
    """
    if not late or first is None:
        return ""
    nb = lang == "nb"
    day = formats.day(first.astimezone(ZoneInfo(zone)), lang)
    if nb:
        return (
            f"NB: Målingene startet sent (første måling {day}). {late} av {posts} innlegg ble "
            f"målt første gang etter at de var {age} dager gamle; for dem brukes første måling, "
            f"som er en øvre grense for visningene etter {age} dager, og de sammenlignes bare med "
            "innlegg som også ble målt sent."
        )
    return (
        f"Note: measuring started late (first measurement {day}). {late} of {posts} posts were "
        f"first measured after they were {age} days old; for them the first measurement is used, "
        f"an upper bound of their views after {age} days, and they are compared only with posts "
        "that were also measured late."
    )


def source_sentence(platform: str, sources: dict[str, float], lang: str) -> str:
    """'42 % av visningene kom fra søk': the biggest source of a post's views, where known.

    The source reads as the platform words it (`Platform.source_phrases`).
    """
    if not sources:
        return ""
    key, share = max(sources.items(), key=lambda item: (item[1], item[0]))
    phrases = registry.platform(platform).source_phrases if platform in registry.names() else {}
    nb_name, en_name = phrases.get(key, (key, key))
    pct = formats.percent(share, lang, 0)
    if lang == "nb":
        return f"{pct} av visningene kom fra {nb_name}"
    return f"{pct} of the views came from {en_name}"
