"""Put the insights together: settings from config, the analysis, a short honest paragraph."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlite_utils import Database

from core import formats
from core.config import Config
from core.errors import ConfigError
from social.insights.analysis import (
    GroupResult,
    add_running_baseline,
    analyse,
    outliers,
    theme_label,
)
from social.insights.data import PostPerformance, describe_points, history_start, load_posts
from social.insights.wording import (
    data_age_sentence,
    interval,
    source_sentence,
    verdict_phrase,
)

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
    first_measured: datetime | None = None  # the earliest measurement of any compared post
    data_age: str = ""  # said first, prominently, when measuring started late
    without_owner: int = 0  # posts left out of --by owner: the calendar names no owner

    def to_json(self) -> dict[str, Any]:
        def post(p: PostPerformance) -> dict[str, Any]:
            return {
                "platform": p.platform,
                "id": p.external_id,
                "published": p.published.isoformat(),
                "views_at_age": p.views,
                "measured_at_age": p.exact_age,
                "baseline": p.baseline,
                "ratio": p.ratio,
                "themes": [theme_label(t, self.lang) for t in p.themes],
                "caption": p.caption,
                "impression_sources": dict(p.sources),
                "source_note": source_sentence(p.platform, p.sources, self.lang),
            }

        return {
            "schema_version": 1,
            "by": self.by,
            "lang": self.lang,
            "age_days": self.age_days,
            "posts": self.posts,
            "posts_approximated": self.approximated,
            "first_measured": self.first_measured.isoformat() if self.first_measured else None,
            "data_age": self.data_age or None,
            "posts_without_owner": self.without_owner if self.by == "owner" else None,
            "groups": [
                {
                    **asdict(g),
                    "verdict": g.verdict,
                    "interval": interval(g, self.lang),
                    "verdict_text": verdict_phrase(g, self.lang),
                }
                for g in self.groups
            ],
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
    published_from: datetime | None = None,
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
        published_from=published_from,
        now=now,
    )
    compared = add_running_baseline(posts, int(config.get("insights", "baseline_posts")))
    return _insights(config, compared, by, lang, age)


def _insights(
    config: Config, compared: list[PostPerformance], by: str, lang: str, age: int
) -> Insights:
    groups = analyse(
        compared,
        by,
        lang=lang,
        min_posts=int(config.get("insights", "min_group_posts")),
        exam_periods=exam_periods(config),
    )
    top, bottom = outliers(compared)
    approximated = sum(1 for p in compared if not p.exact_age)
    points = describe_points(compared)
    without_owner = sum(1 for p in compared if not p.owners) if by == "owner" else 0
    age_text = data_age_sentence(
        points["first_measured"], approximated, len(compared), age, lang, config.timezone
    )
    summary = describe(groups, by, lang, len(compared), age)
    if without_owner:
        summary += " " + (
            f"{without_owner} innlegg uten ansvarlig i kalenderen er ikke med i gruppene."
            if lang == "nb"
            else f"{without_owner} posts with no owner in the calendar are not in any group."
        )
    return Insights(
        by,
        lang,
        age,
        len(compared),
        approximated,
        groups,
        top,
        bottom,
        (age_text + " " + summary) if age_text else summary,
        compared,
        points["first_measured"],
        age_text,
        without_owner,
    )


# "What worked" looks for a pattern among the posts of this many days before the week.
PATTERN_DAYS = 90


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
    the week's verdicts are about posts that turned `age_days` old in it. The read
    is bounded by the week: the posts of the PATTERN_DAYS before it (where the
    pattern is looked for) and the `baseline_posts` before those (for their
    baselines), never the whole history.
    """
    from zoneinfo import ZoneInfo

    age = int(config.get("insights", "age_days"))
    first = start - timedelta(days=age)
    last = end - timedelta(days=age)
    pattern_from = last - timedelta(days=PATTERN_DAYS)
    tz = ZoneInfo(config.timezone)
    window_start = datetime.combine(pattern_from, datetime.min.time(), tz)
    # Baselines look back `baseline_posts` posts; twice that leaves room for posts that were
    # never measured (they are not in anyone's baseline).
    read_from = history_start(db, window_start, 2 * int(config.get("insights", "baseline_posts")))
    posts = load_posts(
        db,
        zone=config.timezone,
        age_days=age,
        hashtag_themes=dict(config.get("insights", "hashtag_themes")),
        published_from=read_from,
        now=now,
    )
    compared = add_running_baseline(posts, int(config.get("insights", "baseline_posts")))
    recent = [p for p in compared if pattern_from <= p.published.date() <= last]
    result = _insights(config, recent, "theme", lang, age)
    matured = [p for p in recent if first <= p.published.date() <= last]
    best = sorted(matured, key=lambda p: p.ratio or 0, reverse=True)[:limit]
    strongest = next((g for g in result.groups if g.verdict == "better"), None)
    return {
        "age_days": age,
        "matured_posts": len(matured),
        "pattern_days": PATTERN_DAYS,
        "data_age": result.data_age or None,
        "posts": [
            {
                "platform": p.platform,
                "id": p.external_id,
                "caption": p.caption,
                "published": p.published.isoformat(),
                "views_at_age": p.views,
                "measured_at_age": p.exact_age,
                "ratio": p.ratio,
                "themes": [theme_label(t, lang) for t in p.themes],
                "source_note": source_sentence(p.platform, p.sources, lang),
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
            "interval": interval(strongest, lang),
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
        assert group.typical_ratio is not None
        ratio = formats.number(group.typical_ratio, lang, 1)
        span = interval(group, lang)
        if nb:
            direction = "bedre" if group.verdict == "better" else "svakere"
            side = "over" if group.verdict == "better" else "under"
            sentences.append(
                f"Innlegg med {what} «{group.key}» gjør det typisk {direction} enn vanlig: "
                f"{ratio}x (95 % usikkerhetsintervall {span}, hele intervallet {side} 1x, "
                f"{group.posts} innlegg)."
            )
        else:
            direction = "better" if group.verdict == "better" else "worse"
            side = "above" if group.verdict == "better" else "below"
            sentences.append(
                f"Posts with {what} “{group.key}” typically do {direction} than usual: "
                f"{ratio}x (95% interval {span}, all of it {side} 1x, {group.posts} posts)."
            )
    unclear = [g for g in groups if g.ranked and g.verdict == "unclear"]
    if (better or worse) and unclear:
        # An unclear group beside a better or worse one is not the opposite finding: say so.
        names = ", ".join(
            f"«{g.key}» ({interval(g, lang)})" if nb else f"“{g.key}” ({interval(g, lang)})"
            for g in unclear[:3]
        )
        sentences.append(
            f"For {names} omfatter intervallet 1x: de kan gjøre det både litt bedre og litt "
            "svakere enn vanlig, så der er det ingen konklusjon."
            if nb
            else f"For {names} the interval includes 1x: they may do a little better or a "
            "little worse than usual, so there is no conclusion there."
        )
    if by == "theme" and better and worse:
        sentences.append(
            "Et innlegg kan ha flere temaer, så gruppene overlapper; hvert funn gjelder "
            "temaet for seg."
            if nb
            else "A post can have several themes, so the groups overlap; each finding is "
            "about that theme alone."
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
