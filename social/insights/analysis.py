"""Outperformance against the account's own running median, grouped, with bootstrap intervals."""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from social.insights.data import PostPerformance
from social.insights.themes import UNTAGGED

GROUPINGS = ("theme", "owner", "format", "length", "weekday", "hour", "season")
WEEKDAYS = {
    "nb": ["mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"],
    "en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
}
MIN_BASELINE = 5


@dataclass
class GroupResult:
    """How one group of posts did relative to the account's usual level."""

    key: str
    posts: int
    median_ratio: float
    low_quartile: float
    high_quartile: float
    ci_low: float | None  # 95 % bootstrap interval of the typical (geometric mean) ratio
    ci_high: float | None
    typical_ratio: float | None
    ranked: bool  # False when there are too few posts to say anything
    median_watch_time_s: float | None = None
    median_completion_rate: float | None = None

    @property
    def verdict(self) -> str:
        """'better', 'worse' or 'unclear': only an interval that excludes 1 makes a claim."""
        if not self.ranked or self.ci_low is None or self.ci_high is None:
            return "unclear"
        if self.ci_low > 1:
            return "better"
        if self.ci_high < 1:
            return "worse"
        return "unclear"


def add_running_baseline(posts: list[PostPerformance], window: int) -> list[PostPerformance]:
    """Set each post's ratio against the median of the same account's previous `window` posts.

    Posts measured at the age and posts first measured later (whose figure is an upper
    bound) are compared only with their own kind: the median is taken over those of the
    previous `window` posts measured the same way (at least MIN_BASELINE of them).
    """
    history: dict[tuple[str, int], list[tuple[float, bool]]] = defaultdict(list)
    for post in sorted(posts, key=lambda p: (p.published, p.post_id)):
        earlier = history[(post.platform, post.account_id)]
        same = [views for views, exact in earlier[-window:] if exact == post.exact_age]
        if len(same) >= MIN_BASELINE:
            baseline = statistics.median(same)
            if baseline > 0:
                post.baseline = baseline
                post.ratio = post.views / baseline if post.views > 0 else None
        earlier.append((post.views, post.exact_age))
    return [p for p in posts if p.ratio is not None]


def group_keys(
    post: PostPerformance, by: str, lang: str, exam_periods: Sequence[tuple[str, str]]
) -> list[str]:
    """The group(s) a post falls in for a grouping (a post can have several themes)."""
    if by == "theme":
        return [theme_label(t, lang) for t in post.themes]
    if by == "owner":
        return list(post.owners)  # a post the calendar has no owner for is in no group
    if by == "format":
        return [post.format or "?"]
    if by == "length":
        return [_length_bucket(post.duration_s, lang)]
    if by == "weekday":
        return [WEEKDAYS[lang][post.published.weekday()]]
    if by == "hour":
        start = post.published.hour // 3 * 3
        return [f"{start:02d}-{start + 3:02d}"]
    if by == "season":
        exam = in_periods(post.published.date(), exam_periods)
        if lang == "nb":
            return ["eksamensperiode" if exam else "resten av året"]
        return ["exam period" if exam else "rest of the year"]
    raise ValueError(f"unknown grouping {by!r}; use one of {', '.join(GROUPINGS)}")


def theme_label(theme: str, lang: str) -> str:
    """A theme as the reader sees it ('untagged' is 'uten tema' in Norwegian)."""
    if theme == UNTAGGED:
        return "uten tema" if lang == "nb" else "untagged"
    return theme


def _length_bucket(seconds: float | None, lang: str) -> str:
    if seconds is None:
        return "ukjent lengde" if lang == "nb" else "unknown length"
    for limit, label in ((20, "< 20 s"), (40, "20-40 s"), (60, "40-60 s")):
        if seconds < limit:
            return label
    return "> 60 s"


def in_periods(day: date, periods: Sequence[tuple[str, str]]) -> bool:
    """Whether a date falls in one of the MM-DD ranges (a range may wrap the new year)."""
    key = day.strftime("%m-%d")
    for start, end in periods:
        if (start <= key <= end) if start <= end else (key >= start or key <= end):
            return True
    return False


def analyse(
    posts: list[PostPerformance],
    by: str,
    *,
    lang: str,
    min_posts: int,
    exam_periods: Sequence[tuple[str, str]],
    seed: int = 0,
    resamples: int = 2000,
) -> list[GroupResult]:
    """Group posts and summarise their ratios; ranked groups first, best typical ratio first."""
    groups: dict[str, list[PostPerformance]] = defaultdict(list)
    for post in posts:
        for key in group_keys(post, by, lang, exam_periods):
            groups[key].append(post)
    rng = np.random.default_rng(seed)
    results = [
        _summarise(key, members, min_posts, rng, resamples) for key, members in groups.items()
    ]
    return sorted(results, key=lambda r: (not r.ranked, -(r.typical_ratio or r.median_ratio)))


def _summarise(
    key: str,
    members: list[PostPerformance],
    min_posts: int,
    rng: np.random.Generator,
    resamples: int,
) -> GroupResult:
    ratios = np.array([p.ratio for p in members], dtype=float)
    logs = np.log(ratios)
    q1, med, q3 = (float(x) for x in np.quantile(ratios, [0.25, 0.5, 0.75]))
    ranked = len(members) >= min_posts
    ci_low = ci_high = typical = None
    if ranked:
        typical = math.exp(float(logs.mean()))
        # Bootstrap the geometric mean: resample posts, average their log ratios.
        samples = rng.choice(logs, size=(resamples, len(logs)), replace=True).mean(axis=1)
        ci_low, ci_high = (math.exp(float(x)) for x in np.quantile(samples, [0.025, 0.975]))
    return GroupResult(
        key,
        len(members),
        med,
        q1,
        q3,
        ci_low,
        ci_high,
        typical,
        ranked,
        _median([p.watch_time_s for p in members]),
        _median([p.completion_rate for p in members]),
    )


def _median(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return statistics.median(present) if present else None


def outliers(
    posts: list[PostPerformance],
    *,
    factor: float = 2.0,
    limit: int = 5,
    key: Callable[[PostPerformance], float] = lambda p: p.ratio or 0,
) -> tuple[list[PostPerformance], list[PostPerformance]]:
    """Posts at least `factor` above and below their baseline, most extreme first."""
    above = sorted((p for p in posts if (p.ratio or 0) >= factor), key=key, reverse=True)
    below = sorted((p for p in posts if 0 < (p.ratio or 0) <= 1 / factor), key=key)
    return above[:limit], below[:limit]
