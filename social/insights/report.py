"""Put the insights together: settings from config, the analysis, a short honest paragraph."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlite_utils import Database

from social import formats
from social.config import Config
from social.errors import ConfigError
from social.insights.analysis import GroupResult, add_running_baseline, analyse, outliers
from social.insights.data import PostPerformance, load_posts

LABELS = {
    "theme": ("tema", "theme"),
    "owner": ("person", "person"),
    "format": ("format", "format"),
    "length": ("lengde", "length"),
    "weekday": ("ukedag", "weekday"),
    "hour": ("tidspunkt", "time of day"),
    "season": ("periode", "season"),
}


@dataclass
class Insights:
    """Everything `social insights` shows."""

    by: str
    lang: str
    age_days: int
    posts: int
    approximated: int
    groups: list[GroupResult]
    top: list[PostPerformance]
    bottom: list[PostPerformance]
    summary: str
    compared: list[PostPerformance] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        def post(p: PostPerformance) -> dict[str, Any]:
            return {
                "platform": p.platform,
                "id": p.external_id,
                "published": p.published.isoformat(),
                "views_at_age": p.views,
                "baseline": p.baseline,
                "ratio": p.ratio,
                "themes": p.themes,
                "caption": p.caption,
            }

        return {
            "schema_version": 1,
            "by": self.by,
            "lang": self.lang,
            "age_days": self.age_days,
            "posts": self.posts,
            "posts_approximated": self.approximated,
            "groups": [{**asdict(g), "verdict": g.verdict} for g in self.groups],
            "top": [post(p) for p in self.top],
            "bottom": [post(p) for p in self.bottom],
            "summary": self.summary,
        }


def exam_periods(config: Config) -> list[tuple[str, str]]:
    """Validated [insights] exam_periods as (MM-DD, MM-DD) pairs."""
    periods = []
    for item in config.get("insights", "exam_periods"):
        ok = isinstance(item, list) and len(item) == 2 and all(_is_mm_dd(x) for x in item)
        if not ok:
            raise ConfigError(
                f"[insights] exam_periods: {item!r} is not a pair like "
                '["05-01", "06-20"]; fix it in social.toml'
            )
        periods.append((item[0], item[1]))
    return periods


def _is_mm_dd(text: object) -> bool:
    try:
        datetime.strptime(f"2024-{text}", "%Y-%m-%d")
    except (TypeError, ValueError):
        return False
    return True


def build_insights(
    db: Database,
    config: Config,
    *,
    by: str = "theme",
    lang: str | None = None,
    platform: str | None = None,
    since: date | None = None,
    now: datetime,
) -> Insights:
    """Load, compare with the running median, group, and describe."""
    lang = lang or config.language
    age = int(config.get("insights", "age_days"))
    posts = load_posts(
        db,
        zone=config.timezone,
        age_days=age,
        hashtag_themes=dict(config.get("insights", "hashtag_themes")),
        platform=platform,
        since=since,
        now=now,
    )
    compared = add_running_baseline(posts, int(config.get("insights", "baseline_posts")))
    groups = analyse(
        compared,
        by,
        lang=lang,
        min_posts=int(config.get("insights", "min_group_posts")),
        exam_periods=exam_periods(config),
    )
    top, bottom = outliers(compared)
    approximated = sum(1 for p in compared if not p.exact_age)
    return Insights(
        by,
        lang,
        age,
        len(compared),
        approximated,
        groups,
        top,
        bottom,
        describe(groups, by, lang, len(compared), age),
        compared,
    )


def week_highlights(
    db: Database,
    config: Config,
    *,
    start: date,
    end: date,
    lang: str,
    now: datetime,
    limit: int = 3,
) -> dict[str, Any]:
    """'What worked this week': posts that reached the comparison age during the week.

    A post published in the last days of a week has not reached the age yet, so
    the week's verdicts are about posts that turned `age_days` old in it.
    """
    result = build_insights(db, config, by="theme", lang=lang, now=now)
    first = start - timedelta(days=result.age_days)
    last = end - timedelta(days=result.age_days)
    matured = [p for p in result.compared if first <= p.published.date() <= last]
    best = sorted(matured, key=lambda p: p.ratio or 0, reverse=True)[:limit]
    strongest = next((g for g in result.groups if g.verdict == "better"), None)
    return {
        "age_days": result.age_days,
        "matured_posts": len(matured),
        "posts": [
            {
                "platform": p.platform,
                "id": p.external_id,
                "caption": p.caption,
                "published": p.published.isoformat(),
                "views_at_age": p.views,
                "ratio": p.ratio,
                "themes": p.themes,
            }
            for p in best
        ],
        "pattern": None
        if strongest is None
        else {
            "theme": strongest.key,
            "typical_ratio": strongest.typical_ratio,
            "ci_low": strongest.ci_low,
            "ci_high": strongest.ci_high,
            "posts": strongest.posts,
        },
    }


def describe(groups: list[GroupResult], by: str, lang: str, posts: int, age: int) -> str:
    """A short paragraph stating only patterns whose interval excludes 'typical'."""
    nb = lang == "nb"
    what = LABELS[by][0 if nb else 1]
    if posts == 0:
        return (
            "Ingen innlegg er gamle nok til å sammenlignes ennå."
            if nb
            else "No posts are old enough to compare yet."
        )
    better = [g for g in groups if g.verdict == "better"]
    worse = [g for g in groups if g.verdict == "worse"]
    unranked = [g for g in groups if not g.ranked]
    intro = (
        f"Basert på {posts} innlegg, sammenlignet med kontoens vanlige nivå etter {age} dager"
        if nb
        else f"Based on {posts} posts, compared with the account's usual level after {age} days"
    )
    sentences = [intro + "."]
    for group in better[:2] + worse[:1]:
        assert (
            group.typical_ratio is not None
            and group.ci_low is not None
            and group.ci_high is not None
        )
        ratio = formats.number(group.typical_ratio, lang, 1)
        low = formats.number(group.ci_low, lang, 1)
        high = formats.number(group.ci_high, lang, 1)
        if nb:
            direction = "bedre" if group.verdict == "better" else "svakere"
            sentences.append(
                f"Innlegg med {what} «{group.key}» gjør det typisk {direction} enn vanlig: "
                f"{ratio}x (95 % usikkerhetsintervall {low}–{high}x, {group.posts} innlegg)."
            )
        else:
            direction = "better" if group.verdict == "better" else "worse"
            sentences.append(
                f"Posts with {what} “{group.key}” typically do {direction} than usual: "
                f"{ratio}x (95% interval {low}–{high}x, {group.posts} posts)."
            )
    ranked = len(groups) - len(unranked)
    if (better or worse) and ranked >= 5:
        # Many groups compared at 95 % means roughly one in twenty can look special by chance.
        sentences.append(
            f"Med {ranked} grupper sammenlignet kan et enkelt funn være tilfeldig; "
            "se om mønsteret holder seg over flere uker."
            if nb
            else f"With {ranked} groups compared, a single finding can be chance; "
            "check that the pattern holds over several weeks."
        )
    if not better and not worse:
        sentences.append(
            f"Ingen {what} skiller seg tydelig ut; forskjellene kan være tilfeldige."
            if nb
            else f"No {what} stands out clearly; the differences may be chance."
        )
    if unranked:
        names = ", ".join(f"«{g.key}»" if nb else f"“{g.key}”" for g in unranked[:4])
        sentences.append(
            f"For få innlegg til å si noe om {names}."
            if nb
            else f"Too few posts to say anything about {names}."
        )
    return " ".join(sentences)
