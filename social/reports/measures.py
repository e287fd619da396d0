"""Figures for one platform and window: counts split organic/paid/total, and honest reach.

This module is THE definition of every figure; the weekly, campaign and partner
reports, the demo summary and the web app all read their numbers through it.
Rules applied here (DESIGN.md, "Rules the numbers obey"):

- Organic figures come from ONE source per platform: the account's daily series
  where the platform gives one, else the growth of the posts' lifetime counters
  (rule 2). Sponsored figures come from the ad statistics (Facebook's ads count
  views as impressions); where no ad statistics exist, from the platform's own
  paid split.
- views = organic + paid. A boosted post or Spark Ad is linked to its organic
  post (`ad_entities.post_external_id`): where the post's counter holds every
  view (origin 'total', e.g. TikTok's view_count), the linked ad's views are
  inside it, so they are shown as paid and taken out of organic, never counted
  twice. Views of ads that promote no post we count (dark posts) are paid views
  and count in the total (rule 3).
- A total is never below one of its parts. Where the stored data would make it
  so (an ad reports more views than its post's counter grew), organic is set to
  0, and the Split carries an issue that every report shows as a warning.
- Reach is the platform's own number for the window; failing that a sum,
  always with a `method` saying what kind of sum it is (rule 1).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlite_utils import Database

from core import registry
from core.registry import Views
from core.timeutil import from_utc_iso, local_date
from social.reports import queries, reads
from social.reports.window import Window

ORIGINS = ("organic", "paid", "total")

ENGAGEMENT_PARTS = ("likes", "comments", "shares")
# Concepts counted in whole units (interpolated counters are rounded to them).
UNCOUNTABLE = frozenset({"spend"})

# Reach methods: the platform's own unique number, or a labelled sum.
EXACT_METHODS = frozenset(
    {"platform_day", "platform_week", "platform_campaign", "platform_lifetime"}
)
# A sum of daily unique counts: every table, chart and sentence says "upper bound".
UPPER_BOUND = "sum_of_daily"
# Split issues that reports show as warnings (the rest are explanatory notes).
ISSUE_CODES = frozenset({"paid_exceeds_counter", "ads_unattributed", "counter_decreased"})


def _views(platform: str) -> Views:
    """How the platform defines views (a platform no longer installed: plain views, no ads)."""
    return registry.platform(platform).views if platform in registry.names() else Views()


def views_concept(platform: str) -> str:
    """What the headline "views" counts on the platform (LinkedIn: impressions)."""
    return _views(platform).concept


def ad_metric_names(concept: str, platform: str) -> list[str]:
    """The platform's metrics for a concept that its ad statistics carry (catalogue order)."""
    carried = _views(platform).ad_metrics
    return [m for m in queries.names(concept, platform) if m in carried]


def paid_metrics(concept: str, platform: str) -> list[str]:
    """The ad statistics' metric names for a concept, then those standing in for it.

    A platform's `Views.paid_fallback` names the concepts its ads report instead
    (Meta's ads count impressions, the same event Meta's posts call a view).
    """
    found = ad_metric_names(concept, platform)
    for fallback in _views(platform).paid_fallback.get(concept, ()):
        found += ad_metric_names(fallback, platform)
    return list(dict.fromkeys(found))


@dataclass(frozen=True)
class Scope:
    """Which posts and ad campaigns count; None means all of the platform's."""

    post_ids: frozenset[int] | None = None
    ad_ids: frozenset[int] | None = None

    @property
    def everything(self) -> bool:
        return self.post_ids is None


ALL = Scope()


@dataclass
class Split:
    """An additive figure as organic, paid and total, with the source of each."""

    concept: str
    organic: float | None = None
    paid: float | None = None
    total: float | None = None
    basis: dict[str, str] = field(default_factory=dict)
    days_covered: int | None = None
    first_seen_posts: int = 0
    notes: list[str] = field(default_factory=list)
    issues: list[dict[str, Any]] = field(default_factory=list)

    def get(self, origin: str) -> float | None:
        value: float | None = getattr(self, origin)
        return value

    @property
    def empty(self) -> bool:
        return self.organic is None and self.paid is None and self.total is None

    def note(self, code: str) -> None:
        if code not in self.notes:
            self.notes.append(code)

    def to_json(self) -> dict[str, Any]:
        return {
            "concept": self.concept,
            "organic": self.organic,
            "paid": self.paid,
            "total": self.total,
            "basis": dict(self.basis),
            "days_covered": self.days_covered,
            "notes": list(self.notes),
            "issues": [dict(i) for i in self.issues],
        }


def add(*values: float | None) -> float | None:
    """Sum of the known values; None when none is known."""
    known = [v for v in values if v is not None]
    return sum(known) if known else None


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or not denominator:
        return None
    return numerator / denominator


# --- sponsored views and the posts they are inside ------------------------------------------


@dataclass(frozen=True)
class Portion:
    """Part of an ad campaign's statistic, and the posts whose counters already hold it.

    `posts` empty: the ads promote no post we have (a dark post, a non-Spark ad);
    None: the campaign mixes linked and unlinked ads without per-ad statistics, so
    which part promoted which post cannot be told.
    """

    campaign: int
    value: float
    posts: frozenset[int] | None


@dataclass
class AdFigures:
    """One statistic of a platform's ad campaigns in a window, split by promoted post."""

    metric: str | None = None
    portions: list[Portion] = field(default_factory=list)

    def total(self, campaigns: frozenset[int] | None = None) -> float | None:
        values = [p.value for p in self.portions if campaigns is None or p.campaign in campaigns]
        return sum(values) if values else None

    @property
    def promoted(self) -> set[int]:
        return {pid for p in self.portions for pid in (p.posts or ())}


def ad_figures(
    db: Database,
    platform: str,
    metrics: list[str],
    window: Window,
    campaigns: Iterable[int] | None = None,
) -> AdFigures:
    """A statistic of ad campaigns (all of the platform's, or some) split by promoted post.

    Per campaign the highest level with rows is taken (campaign, else its ad
    groups, else its ads), so a campaign's and its ads' rows are never added. Per-ad
    rows, where stored, say exactly which views promoted which post.
    """
    if not metrics:
        return AdFigures()
    if campaigns is None:
        sums = reads.ad_entity_sums(db, platform, metrics, window)
        roots = reads.ad_roots(db, sums)
        trees = reads.ad_trees(db, platform, set(roots.values()))
    else:
        trees = reads.ad_trees(db, platform, campaigns)
        entity_ids = {n.id for nodes in trees.values() for n in nodes}
        sums = reads.ad_entity_sums(db, platform, metrics, window, entity_ids)
    metric = next((m for m in metrics if any(m in row for row in sums.values())), None)
    out = AdFigures(metric)
    if metric is None:
        return out
    for root in sorted(trees):
        nodes = trees[root]
        value_of = {n.id: sums[n.id][metric] for n in nodes if metric in sums.get(n.id, {})}
        if not value_of:
            continue
        ads = [n for n in nodes if n.level == "ad"]
        groups = [value_of[n.id] for n in nodes if n.level == "adgroup" and n.id in value_of]
        ad_values = {n.id: value_of[n.id] for n in ads if n.id in value_of}
        if root in value_of:
            whole = value_of[root]
        elif groups:
            whole = sum(groups)
        else:
            whole = sum(ad_values.values())
        out.portions += _portions(root, whole, ads, ad_values)
    return out


def _portions(
    root: int, whole: float, ads: list[queries.AdNode], ad_values: dict[int, float]
) -> list[Portion]:
    """A campaign's figure shared out to the posts its ads promote."""
    out = [
        Portion(root, ad_values[n.id], frozenset({n.post_id}) if n.post_id else frozenset())
        for n in ads
        if n.id in ad_values
    ]
    rest = whole - sum(ad_values.values())
    if out and abs(rest) < 0.5:
        return out
    silent = [n for n in ads if n.id not in ad_values]
    linked = frozenset(n.post_id for n in silent if n.post_id)
    if not silent or not linked:
        posts: frozenset[int] | None = frozenset()  # no ads, or only dark ones
    elif all(n.post_id for n in silent):
        posts = linked
    else:
        posts = None
    out.append(Portion(root, rest, posts))
    return out


# --- one additive figure --------------------------------------------------------------------


@dataclass
class _Counters:
    """The organic side of a figure before the sponsored side is set against it."""

    organic: float | None = None  # counted apart from paid views
    whole: float | None = None  # counters holding every view, paid ones included
    own_paid: float | None = None  # the platform's own paid split (account or posts)
    basis: str = ""
    paid_basis: str = ""
    all_posts_whole: bool = False  # an account series: every post's paid views are inside it
    whole_posts: set[int] = field(default_factory=set)
    paid_posts: dict[int, float] = field(default_factory=dict)  # split posts' paid growth


def measure(
    db: Database,
    platform: str,
    concept: str,
    window: Window,
    scope: Scope = ALL,
    *,
    paid_fallback: tuple[str, ...] = (),
    with_paid: bool = True,
) -> Split:
    """An additive concept for a platform and window, organic/paid/total (module docstring)."""
    split = Split(concept)
    names = queries.names(concept, platform)
    counters = _Counters()
    if scope.everything:
        _from_account(db, split, counters, platform, names, window)
    if counters.organic is None and counters.whole is None:
        _from_snapshots(db, split, counters, platform, names, window, scope)
    ad_names = paid_metrics(concept, platform) if with_paid else []
    for extra in paid_fallback:
        ad_names += [m for m in queries.names(extra, platform) if m not in ad_names]
    ads = ad_figures(db, platform, ad_names, window) if ad_names else AdFigures()
    _combine(db, split, counters, ads, scope, platform, names, can_split=bool(ad_names))
    if concept not in UNCOUNTABLE:
        # Whole units, and a total that is still its parts' sum after rounding.
        for origin in ORIGINS:
            value = split.get(origin)
            if value is not None:
                setattr(split, origin, float(round(value)))
        if "total_not_split" not in split.notes and not split.empty:
            split.total = add(split.organic, split.paid)
    return split


def _from_account(
    db: Database,
    split: Split,
    counters: _Counters,
    platform: str,
    names: list[str],
    window: Window,
) -> None:
    rows = queries.account_day(db, platform, names, window)
    metric = next((m for m in names if m in rows), None)
    if metric is None:
        return
    full = max(d.days for d in rows[metric].values())
    basis = f"account_day:{metric}"
    for origin, day_sum in rows[metric].items():
        # An origin with fewer days (say, an export file for a few of them next to the API's
        # organic series) would make total < organic: leave it out.
        if day_sum.days < full:
            continue
        if origin == "organic":
            counters.organic = day_sum.value
        elif origin == "total":
            counters.whole = day_sum.value
            counters.all_posts_whole = True
        else:
            counters.own_paid = day_sum.value
            counters.paid_basis = basis
    counters.basis = basis
    split.days_covered = full


def _from_snapshots(
    db: Database,
    split: Split,
    counters: _Counters,
    platform: str,
    names: list[str],
    window: Window,
    scope: Scope,
) -> None:
    gains = reads.snapshot_gains(db, names, window, platform=platform, post_ids=scope.post_ids)
    metric = next((m for m in names if any(g.metric == m for g in gains)), None)
    if metric is None:
        if scope.post_ids:
            # The posts exist but did not grow in the window: zero, not "no data".
            origins = reads.snapshot_origins(db, names, scope.post_ids)
            if origins:
                if "total" in origins:
                    counters.whole = 0.0
                    counters.whole_posts = {
                        pid
                        for pid, o in reads.latest_origins(db, scope.post_ids, names).items()
                        if "total" in o
                    }
                if origins - {"total"}:
                    counters.organic = 0.0
                counters.basis = "post_snapshots"
        return
    per_post: dict[int, dict[str, float]] = {}
    first_seen: set[int] = set()
    lowered = False
    for g in gains:
        if g.metric == metric:
            # A platform may lower a counter (it removes invalid views): the window counts 0,
            # never a negative number of views, and the report says so.
            per_post.setdefault(g.post_id, {})[g.origin] = max(0.0, g.gain)
            lowered = lowered or g.gain < -0.5
            if g.first_seen:
                first_seen.add(g.post_id)
    if lowered:
        split.issues.append({"code": "counter_decreased"})
    for pid, by_origin in per_post.items():
        if "total" in by_origin:  # the platform does not split this post: paid views are inside
            counters.whole = (counters.whole or 0.0) + by_origin["total"]
            counters.whole_posts.add(pid)
        else:
            counters.organic = (counters.organic or 0.0) + by_origin.get("organic", 0.0)
            if "paid" in by_origin:
                counters.paid_posts[pid] = by_origin["paid"]
    counters.basis = f"post_snapshots:{metric}"
    counters.paid_basis = counters.basis
    split.first_seen_posts = len(first_seen)


def _combine(
    db: Database,
    split: Split,
    counters: _Counters,
    ads: AdFigures,
    scope: Scope,
    platform: str,
    names: list[str],
    *,
    can_split: bool,
) -> None:
    """Set the sponsored side against the counters: organic + paid = total, each view once."""
    # Which promoted posts' counters already hold their ads' views.
    holders: set[int] = set()
    promoted = ads.promoted
    if counters.all_posts_whole:
        holders = promoted
    elif promoted and counters.whole is not None:
        wanted = promoted if scope.post_ids is None else promoted & scope.post_ids
        holders = {
            pid
            for pid, origins in reads.latest_origins(db, wanted, names).items()
            if "total" in origins
        } | (promoted & counters.whole_posts)
    inside = [p for p in ads.portions if p.posts and p.posts <= holders]
    in_scope = [p for p in ads.portions if scope.ad_ids is None or p.campaign in scope.ad_ids]
    paid_parts = {id(p): p for p in [*in_scope, *inside]}
    paid_ads = sum(p.value for p in paid_parts.values()) if paid_parts else None
    if any(p.posts is None for p in in_scope):
        split.issues.append({"code": "ads_unattributed"})
    # Split posts' own paid counters count where no ad of ours promotes them (one source).
    own_posts = sum(v for pid, v in counters.paid_posts.items() if pid not in promoted)
    if paid_ads is not None:
        paid = paid_ads + (own_posts if counters.paid_posts else 0.0)
        split.basis["paid"] = f"ads_day:{ads.metric}" + (
            f"+{counters.paid_basis}" if own_posts else ""
        )
    elif counters.own_paid is not None:
        paid = counters.own_paid
        split.basis["paid"] = counters.paid_basis
    elif counters.paid_posts:
        paid = own_posts
        split.basis["paid"] = counters.paid_basis
    else:
        paid = None
    split.paid = paid

    organic = counters.organic
    if counters.whole is not None:
        if can_split:
            held = sum(p.value for p in inside)
            part = counters.whole - held
            if part < -0.5:
                split.issues.append(
                    {"code": "paid_exceeds_counter", "counter": counters.whole, "ads": held}
                )
            organic = add(organic, max(0.0, part))
            if held:
                split.note("paid_views_inside_post_counters")
        else:
            split.total = add(counters.whole, organic, paid)
            split.organic = organic
            split.basis["total"] = counters.basis
            split.note("total_not_split")
            if organic is not None:
                split.basis["organic"] = counters.basis
            return
    split.organic = organic
    if organic is not None:
        split.basis["organic"] = counters.basis
    if any(not p.posts for p in in_scope if p.posts is not None) and paid_ads:
        split.note("dark_ad_views_in_total")
    if organic is not None or paid is not None:
        split.total = add(organic, paid)
        split.basis["total"] = "organic+paid" if organic is not None else "paid"


def measure_views(db: Database, platform: str, window: Window, scope: Scope = ALL) -> Split:
    """The headline views (LinkedIn: impressions) of a platform."""
    return measure(db, platform, views_concept(platform), window, scope)


def measure_engagements(db: Database, platform: str, window: Window, scope: Scope = ALL) -> Split:
    """Likes/reactions + comments + shares, per origin; a platform-combined figure if only that.

    Organic is given only when every part with data has it, so it never leaves a part out.
    """
    parts = [measure(db, platform, c, window, scope) for c in ENGAGEMENT_PARTS]
    present = [p for p in parts if not p.empty]
    split = Split("engagements")
    for origin in ORIGINS:
        values = [p.get(origin) for p in present]
        if origin == "organic" and any(
            v is None and p.total is not None for p, v in zip(present, values, strict=True)
        ):
            continue
        setattr(split, origin, add(*values))
        bases = sorted({p.basis[origin] for p in parts if origin in p.basis})
        if bases and split.get(origin) is not None:
            split.basis[origin] = "+".join(bases)
    if split.organic is None and split.total is None:
        combined = measure(db, platform, "engagements", window, scope, with_paid=False)
        for origin in ("organic", "total"):
            if combined.get(origin) is not None:
                setattr(split, origin, combined.get(origin))
                split.basis[origin] = combined.basis[origin]
        for note in combined.notes:
            split.note(note)
        if split.total is None and split.organic is not None:
            split.total = add(split.organic, split.paid)
            split.basis["total"] = "organic+paid"
    for p in parts:
        for note in p.notes:
            split.note(note)
        split.issues += [i for i in p.issues if i not in split.issues]
    return split


def rates(engagements: Split, views: Split) -> dict[str, float | None]:
    """Engagement rate per origin: engagements / views of the same origin."""
    return {o: ratio(engagements.get(o), views.get(o)) for o in ORIGINS}


# --- reach ----------------------------------------------------------------------------------


@dataclass
class Reach:
    """A unique count and how it was obtained; only EXACT_METHODS are the platform's own number.

    `start`/`end` are the window the platform's number covers (for a whole-flight
    or lifetime figure), and `as_of` the last day a lifetime figure counts.
    """

    value: float
    method: str
    metric: str
    parts: int = 1
    start: date | None = None
    end: date | None = None

    @property
    def exact(self) -> bool:
        return self.method in EXACT_METHODS

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "value": self.value,
            "method": self.method,
            "exact": self.exact,
            "metric": self.metric,
            "parts": self.parts,
        }
        if self.start is not None and self.end is not None:
            out["start"] = self.start.isoformat()
            out["end"] = self.end.isoformat()
        return out


def account_reach(db: Database, platform: str, window: Window) -> dict[str, Reach | None]:
    """Organic, paid and total reach of a platform's accounts for a window."""
    names = queries.names("reach", platform)
    out: dict[str, Reach | None] = {}
    for origin in ("organic", "total"):
        out[origin] = _account_reach(db, platform, names, window, origin, queries.CONTENT)
    paid = _account_reach(db, platform, names, window, "paid", queries.ADS)
    if paid is None and window.is_iso_week:
        rows = queries.ad_window_rows(db, platform, names, window, "week")
        metric = next((m for m in names if m in rows), None)
        if metric:
            values = [v for _, v in rows[metric]]
            method = "platform_week" if len(values) == 1 else "sum_across_campaigns"
            paid = Reach(sum(values), method, metric, len(values))
    if paid is None:
        daily = queries.ad_day(db, platform, names, window)
        metric = next((m for m in names if m in daily), None)
        if metric:
            paid = Reach(daily[metric].value, "sum_of_daily", metric, daily[metric].days)
    out["paid"] = paid
    return out


def _account_reach(
    db: Database, platform: str, names: list[str], window: Window, origin: str, kind: str
) -> Reach | None:
    if window.is_iso_week:
        rows = queries.account_window(db, platform, names, window, "week", origin, kind=kind)
        metric = next((m for m in names if m in rows), None)
        if metric:
            values = rows[metric]
            method = "platform_week" if len(values) == 1 else "sum_across_accounts"
            return Reach(sum(values), method, metric, len(values))
    daily = queries.account_day(db, platform, names, window, kind=kind)
    for metric in names:
        if origin in daily.get(metric, {}):
            day_sum = daily[metric][origin]
            if window.days == 1 and day_sum.days == 1:
                return Reach(day_sum.value, "platform_day", metric)
            return Reach(day_sum.value, "sum_of_daily", metric, day_sum.days)
    return None


def content_reach(reach: dict[str, Reach | None]) -> Reach | None:
    """The reach of the account's content: the platform's total (unique viewers) or organic."""
    return reach.get("total") or reach.get("organic")


def posts_reach(db: Database, post_ids: frozenset[int], last_day: date) -> Reach | None:
    """Organic reach of a set of posts: each post's own lifetime reach, summed with a label.

    `last_day` is the last lifetime figure's collection day to use (a report as of
    yesterday uses the figure collected this morning: a post's lifetime to date).
    """
    lifetimes: dict[int, queries.WindowValue] = {}
    by_platform: dict[str, list[int]] = {}
    for pid, row in queries.posts_by_id(db, post_ids).items():
        by_platform.setdefault(row["platform"], []).append(pid)
    for platform, ids in by_platform.items():
        lifetimes.update(queries.post_lifetime(db, ids, queries.names("reach", platform), last_day))
    if not lifetimes:
        return None
    values = list(lifetimes.values())
    if len(values) == 1:
        v = values[0]
        return Reach(v.value, "platform_lifetime", v.metric, 1, v.start, v.end)
    return Reach(sum(v.value for v in values), "sum_across_posts", values[0].metric, len(values))


@dataclass
class FlightReach:
    """An ad campaign's reach for its flight, and how the platform's window fits the flight."""

    entity: int
    reach: Reach | None
    flight_start: date | None = None
    clipped: bool = False  # the platform's window starts after the flight did


def flight_reach(
    db: Database, platform: str, entity_ids: Iterable[int], last_day: date
) -> list[FlightReach]:
    """Each ad campaign's own reach for its flight (to `last_day`), as the platform counts it.

    The number is the latest whole-flight ('campaign') row ending on or before the
    day. Its window is kept: a row starting after the ad campaign's flight started
    (the platform no longer serves the earliest days) is flagged as clipped.
    """
    names = queries.names("reach", platform)
    ids = sorted(set(entity_ids))
    flights = queries.flights(db, ids)
    out = []
    for entity in ids:
        rows = queries.entity_reach(db, entity, names, last_day)
        start_text = flights.get(entity, (None, None))[0]
        flight_start = date.fromisoformat(start_text) if start_text else None
        if not rows:
            out.append(FlightReach(entity, None, flight_start))
            continue
        first = min(r.start for r in rows)
        if len(rows) == 1:
            r = rows[0]
            reach = Reach(r.value, "platform_campaign", r.metric, 1, r.start, r.end)
        else:
            reach = Reach(
                sum(r.value for r in rows),
                "sum_of_windows",
                rows[0].metric,
                len(rows),
                first,
                max(r.end for r in rows),
            )
        clipped = flight_start is not None and first > flight_start
        out.append(FlightReach(entity, reach, flight_start, clipped))
    return out


def campaigns_reach(
    db: Database, platform: str, entity_ids: frozenset[int], window: Window
) -> Reach | None:
    """Paid reach of ad campaigns: each one's own flight number; several are a labelled sum.

    An ad campaign without a whole-flight figure falls back to the sum of its daily
    reach inside the window, labelled as an upper bound.
    """
    names = queries.names("reach", platform)
    found = flight_reach(db, platform, entity_ids, window.end)
    parts: list[Reach] = [f.reach for f in found if f.reach is not None]
    missing = frozenset(f.entity for f in found if f.reach is None)
    if missing:
        daily = queries.ad_day(db, platform, names, window, missing)
        metric = next((m for m in names if m in daily), None)
        if metric:
            parts.append(Reach(daily[metric].value, "sum_of_daily", metric, daily[metric].days))
    if not parts:
        return None
    if len(parts) == 1:
        return parts[0]
    method = (
        "sum_of_daily" if any(p.method == "sum_of_daily" for p in parts) else "sum_across_campaigns"
    )
    return Reach(sum(p.value for p in parts), method, parts[0].metric, len(parts))


def sum_reach(values: list[Reach | None], method: str) -> Reach | None:
    """A labelled sum of several reach figures (never called reach without its method)."""
    known = [v for v in values if v is not None]
    if not known:
        return None
    if len(known) == 1:
        return known[0]
    if any(v.method == UPPER_BOUND for v in known):
        method = UPPER_BOUND  # the strongest caveat wins: the sum is at most an upper bound
    return Reach(
        sum(v.value for v in known), method, "+".join(sorted({v.metric for v in known})), len(known)
    )


# --- paid block -----------------------------------------------------------------------------


def paid_block(
    db: Database, platform: str, window: Window, entity_ids: frozenset[int] | None = None
) -> dict[str, float | None]:
    """Spend, impressions, clicks and link clicks from the ad stats, with CTR, CPM and CPC.

    CPM is per 1,000 ad impressions (not per 1,000 views).
    """
    out: dict[str, float | None] = {}
    for concept in ("spend", "impressions", "clicks", "link_clicks"):
        names = ad_metric_names(concept, platform)
        out[concept] = ad_figures(db, platform, names, window, entity_ids).total()
    out["ctr"] = ratio(out["clicks"], out["impressions"])
    cpm = ratio(out["spend"], out["impressions"])
    out["cpm"] = cpm * 1000 if cpm is not None else None
    out["cpc"] = ratio(out["spend"], out["clicks"])
    return out


def followers(db: Database, platform: str, window: Window) -> dict[str, Any]:
    """Followers at the end of the window and the change over it (one metric for both ends)."""
    names = queries.names("followers", platform)
    end = queries.level(db, platform, names, window.end)
    out: dict[str, Any] = {
        "end": end.value if end else None,
        "as_of": end.as_of.isoformat() if end else None,
        "metric": end.metric if end else None,
        "end_basis": "level" if end else None,
        "change": None,
        "change_basis": None,
    }
    if end is None or end.as_of < window.end:
        derived = _level_from_later(db, platform, names, window)
        if derived is not None:
            end = derived
            out.update(end=end.value, as_of=end.as_of.isoformat(), metric=end.metric)
            out["end_basis"] = "later_level_minus_daily_gains"
    if end is not None and end.as_of >= window.start:
        before = window.start - timedelta(days=1)
        start = queries.level(db, platform, [end.metric], before, lookback=7)
        if start is not None:
            out["change"] = end.value - start.value
            out["change_basis"] = "level_difference"
    if out["change"] is None:
        # Daily gains: every gain metric counts (a platform may split organic and paid gains
        # into two metrics that do not overlap).
        rows = queries.account_day(db, platform, queries.names("follower_gain", platform), window)
        sums = [d.value for by_origin in rows.values() for d in by_origin.values()]
        if sums:
            out["change"] = sum(sums)
            out["change_basis"] = "sum_of_daily_gains"
    return out


def _level_from_later(
    db: Database, platform: str, names: list[str], window: Window
) -> queries.Level | None:
    """The level at the window's end, worked back from a later level and every daily gain since.

    A generic rule for a platform that gives only today's follower count but daily gains
    for every day (LinkedIn does): today's count minus the gains after the week is the
    count at the end of the week. A missing day gives no figure.
    """
    later = queries.first_level_after(db, platform, names, window.end)
    if later is None:
        return None
    gap = Window(window.end + timedelta(days=1), later.as_of - timedelta(days=1), window.zone)
    if gap.end < gap.start:
        return queries.Level(later.metric, later.value, window.end)
    rows = queries.account_day(db, platform, queries.names("follower_gain", platform), gap)
    days = (gap.end - gap.start).days + 1
    sums = [d for by_origin in rows.values() for d in by_origin.values()]
    if not sums or any(d.days < days for d in sums):
        return None  # a missing day would make the figure wrong, so none is better
    return queries.Level(later.metric, later.value - sum(d.value for d in sums), window.end)


@dataclass
class PostViews:
    """One post's views in a window by the module's definition: each view once."""

    post_id: int
    platform: str
    metric: str
    total: float
    organic: float | None
    paid: float | None  # from the ads that promote it, else its own paid counter
    to_date: float  # its counter at the window's end
    first_seen: bool  # its value before the first snapshot is an estimate
    exceeds: bool = False  # its ads reported more views than its counter grew


def post_views(
    db: Database, window: Window, post_ids: frozenset[int] | None = None
) -> dict[int, PostViews]:
    """Per post: views gained in the window (LinkedIn: impressions), organic and sponsored.

    Candidates are the posts whose counters moved or that were published in the
    window (or the listed posts). A post's sponsored views are its own paid counter
    where the platform splits it (Facebook), else those of the ads linked to it (only
    ads with their own statistics, or campaigns promoting just that post, can be tied
    to one post).
    """
    out: dict[int, PostViews] = {}
    for platform in registry.names():
        names = queries.names(views_concept(platform), platform)
        gains = reads.snapshot_gains(db, names, window, platform=platform, post_ids=post_ids)
        chosen = next((m for m in names if any(g.metric == m for g in gains)), None)
        if chosen is None:
            continue
        grown: dict[int, dict[str, queries.Gain]] = {}
        for g in gains:
            if g.metric == chosen:
                grown.setdefault(g.post_id, {})[g.origin] = g
        ads = ad_figures(db, platform, paid_metrics(views_concept(platform), platform), window)
        linked: dict[int, float] = {}
        for portion in ads.portions:
            if portion.posts and len(portion.posts) == 1:
                (pid,) = portion.posts
                linked[pid] = linked.get(pid, 0.0) + portion.value
        for pid, by_origin in grown.items():
            first = any(g.first_seen for g in by_origin.values())
            paid = linked.get(pid)
            if "total" in by_origin:
                whole = float(round(max(0.0, by_origin["total"].gain)))
                organic = None if paid is None else max(0.0, whole - paid)
                total = whole if paid is None else max(whole, paid)
                exceeds = paid is not None and paid > whole + 0.5
                to_date = by_origin["total"].end_value
            else:
                organic = (
                    float(round(max(0.0, by_origin["organic"].gain)))
                    if "organic" in by_origin
                    else 0.0
                )
                if "paid" in by_origin:
                    # The post's own paid counter: a post's line agrees with its count to date.
                    paid = float(round(max(0.0, by_origin["paid"].gain)))
                total = organic + (paid or 0.0)
                exceeds = False
                to_date = sum(g.end_value for g in by_origin.values())
            out[pid] = PostViews(
                pid,
                platform,
                chosen,
                total,
                organic,
                None if paid is None else float(round(paid)),
                float(round(to_date)),
                first,
                exceeds,
            )
    return out


def top_posts(
    db: Database, window: Window, limit: int, post_ids: frozenset[int] | None = None
) -> list[dict[str, Any]]:
    """Posts by views gained in the window (LinkedIn: impressions), across platforms."""
    views = post_views(db, window, post_ids)
    ranked = sorted(
        ((v.total, pid) for pid, v in views.items() if v.total > 0),
        key=lambda item: (-item[0], item[1]),
    )[:limit]
    info = queries.posts_by_id(db, (pid for _, pid in ranked))
    out = []
    for rank, (value, pid) in enumerate(ranked, start=1):
        post, v = info[pid], views[pid]
        out.append(
            {
                "rank": rank,
                "platform": post["platform"],
                "id": post["external_id"],
                "published_at": post["published_at"],
                "published_date": local_date(
                    from_utc_iso(post["published_at"]), window.zone
                ).isoformat(),
                "caption": post["caption"],
                "link": post["link"],
                "is_ad": bool(post["is_ad"]),
                "metric": v.metric,
                "views_gained": value,
                "views_paid": v.paid,
                "views_to_date": v.to_date,
                "first_seen": v.first_seen,
            }
        )
    return out
