"""Figures for one platform and window: counts split organic/paid/total, and honest reach.

Rules applied here (DESIGN.md, "Rules the numbers obey"):

- ONE source per platform per measure: the account's daily series where the
  platform gives one, else growth of the posts' lifetime counters (rule 2);
  paid figures from the platform's own account split (Facebook's is_from_ads)
  or else from the ad stats. The chosen source is recorded in `basis`.
- A post counter with origin 'total' already holds the paid views of a boosted
  post or Spark Ad, so it is never added to paid views (rule 3).
- Reach is the platform's own number for the window; failing that a sum,
  always with a `method` saying what kind of sum it is (rule 1).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlite_utils import Database

from social.domain import PLATFORMS
from social.reports import queries
from social.reports.window import Window
from social.timeutil import from_utc_iso, local_date

ORIGINS = ("organic", "paid", "total")

# What "views" means per platform in the headline: LinkedIn counts impressions, not views.
VIEWS_CONCEPT = {"tiktok": "views", "linkedin": "impressions", "facebook": "views"}
# Where ad stats have no views, Meta's ad impressions are the same event ("views" replaced
# "impressions" in 2025).
PAID_VIEWS_FALLBACK = {"facebook": ("impressions",)}
ENGAGEMENT_PARTS = ("likes", "comments", "shares")

# Reach methods: the platform's own unique number, or a labelled sum.
EXACT_METHODS = frozenset(
    {"platform_day", "platform_week", "platform_campaign", "platform_lifetime"}
)


def views_concept(platform: str) -> str:
    return VIEWS_CONCEPT.get(platform, "views")


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

    def get(self, origin: str) -> float | None:
        value: float | None = getattr(self, origin)
        return value

    @property
    def empty(self) -> bool:
        return self.organic is None and self.paid is None and self.total is None

    def to_json(self) -> dict[str, Any]:
        return {
            "concept": self.concept,
            "organic": self.organic,
            "paid": self.paid,
            "total": self.total,
            "basis": dict(self.basis),
            "days_covered": self.days_covered,
            "notes": list(self.notes),
        }


def add(*values: float | None) -> float | None:
    """Sum of the known values; None when none is known."""
    known = [v for v in values if v is not None]
    return sum(known) if known else None


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or not denominator:
        return None
    return numerator / denominator


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
    """An additive concept for a platform and window, organic/paid/total, one source each."""
    split = Split(concept)
    names = queries.names(concept, platform)
    if scope.everything:
        rows = queries.account_day(db, platform, names, window)
        metric = next((m for m in names if m in rows), None)
        if metric:
            full = max(d.days for d in rows[metric].values())
            for origin, day_sum in rows[metric].items():
                # An origin with fewer days (say, an export file for a few of them next to the
                # API's organic series) would make total < organic: leave it out.
                if day_sum.days < full:
                    continue
                setattr(split, origin, day_sum.value)
                split.basis[origin] = f"account_day:{metric}"
            split.days_covered = full
    if split.organic is None and split.total is None:
        _from_snapshots(db, split, platform, names, window, scope)
    if with_paid and split.paid is None:
        for paid_concept in (concept, *paid_fallback):
            rows_paid = queries.ad_day(
                db, platform, queries.names(paid_concept, platform), window, scope.ad_ids
            )
            metric = next(
                (m for m in queries.names(paid_concept, platform) if m in rows_paid), None
            )
            if metric:
                split.paid = rows_paid[metric].value
                split.basis["paid"] = f"ads_day:{metric}"
                break
    if split.total is None and (split.organic is not None or split.paid is not None):
        split.total = add(split.organic, split.paid)
        split.basis["total"] = "organic+paid" if split.organic is not None else "paid"
    return split


def _from_snapshots(
    db: Database,
    split: Split,
    platform: str,
    names: list[str],
    window: Window,
    scope: Scope,
) -> None:
    gains = queries.snapshot_gains(db, names, window, platform=platform, post_ids=scope.post_ids)
    metric = next((m for m in names if any(g.metric == m for g in gains)), None)
    if metric is None:
        if scope.post_ids is not None:
            # The posts exist but did not grow in the window: zero, not "no data".
            origins = _snapshot_origins(db, names, scope.post_ids)
            if origins:
                origin = "total" if "total" in origins else "organic"
                setattr(split, origin, 0.0)
                split.basis[origin] = "post_snapshots"
        return
    per_post: dict[int, dict[str, float]] = {}
    first_seen: set[int] = set()
    for g in gains:
        if g.metric == metric:
            per_post.setdefault(g.post_id, {})[g.origin] = g.gain
            if g.first_seen:
                first_seen.add(g.post_id)
    organic = paid = unsplit = 0.0
    has_unsplit = False
    for by_origin in per_post.values():
        if "total" in by_origin:  # the platform did not split this post: paid views are inside
            unsplit += by_origin["total"]
            has_unsplit = True
        else:
            organic += by_origin.get("organic", 0.0)
            paid += by_origin.get("paid", 0.0)
    basis = f"post_snapshots:{metric}"
    any_paid = any("paid" in b and "total" not in b for b in per_post.values())
    if has_unsplit:
        split.total = unsplit + organic + paid
        split.basis["total"] = basis
        split.notes.append("total_includes_paid_views_of_boosted_posts")
    else:
        split.organic = organic
        split.basis["organic"] = basis
    if any_paid and not has_unsplit:
        split.paid = paid
        split.basis["paid"] = basis
    split.first_seen_posts = len(first_seen)


def _snapshot_origins(db: Database, names: list[str], post_ids: frozenset[int]) -> set[str]:
    ids = sorted(post_ids)
    if not ids:
        return set()
    marks = ",".join("?" * len(ids))
    metric_marks = ",".join("?" * len(names))
    return {
        r[0]
        for r in db.execute(
            f"""SELECT DISTINCT origin FROM post_latest
                WHERE post_id IN ({marks}) AND metric IN ({metric_marks})""",
            [*ids, *names],
        )
    }


def measure_views(db: Database, platform: str, window: Window, scope: Scope = ALL) -> Split:
    """The headline views (LinkedIn: impressions) of a platform."""
    return measure(
        db,
        platform,
        views_concept(platform),
        window,
        scope,
        paid_fallback=PAID_VIEWS_FALLBACK.get(platform, ()),
    )


def measure_engagements(db: Database, platform: str, window: Window, scope: Scope = ALL) -> Split:
    """Likes/reactions + comments + shares, per origin; a platform-combined figure if only that."""
    parts = [measure(db, platform, c, window, scope) for c in ENGAGEMENT_PARTS]
    split = Split("engagements")
    for origin in ORIGINS:
        setattr(split, origin, add(*(p.get(origin) for p in parts)))
        bases = sorted({p.basis[origin] for p in parts if origin in p.basis})
        if bases:
            split.basis[origin] = "+".join(bases)
    if split.organic is None and split.total is None:
        combined = measure(db, platform, "engagements", window, scope, with_paid=False)
        for origin in ("organic", "total"):
            if combined.get(origin) is not None:
                setattr(split, origin, combined.get(origin))
                split.basis[origin] = combined.basis[origin]
        if split.total is None and split.organic is not None:
            split.total = add(split.organic, split.paid)
            split.basis["total"] = "organic+paid"
    for p in parts:
        for note in p.notes:
            if note not in split.notes:
                split.notes.append(note)
    return split


def rates(engagements: Split, views: Split) -> dict[str, float | None]:
    """Engagement rate per origin: engagements / views of the same origin."""
    return {o: ratio(engagements.get(o), views.get(o)) for o in ORIGINS}


# --- reach ----------------------------------------------------------------------------------


@dataclass
class Reach:
    """A unique count and how it was obtained; only EXACT_METHODS are the platform's own number."""

    value: float
    method: str
    metric: str
    parts: int = 1

    @property
    def exact(self) -> bool:
        return self.method in EXACT_METHODS

    def to_json(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "method": self.method,
            "exact": self.exact,
            "metric": self.metric,
            "parts": self.parts,
        }


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


def posts_reach(db: Database, post_ids: frozenset[int], window: Window) -> Reach | None:
    """Organic reach of a set of posts: each post's own lifetime reach, summed with a label."""
    lifetimes: dict[int, queries.WindowValue] = {}
    by_platform: dict[str, list[int]] = {}
    for pid, row in queries.posts_by_id(db, post_ids).items():
        by_platform.setdefault(row["platform"], []).append(pid)
    for platform, ids in by_platform.items():
        lifetimes.update(
            queries.post_lifetime(db, ids, queries.names("reach", platform), window.end)
        )
    if not lifetimes:
        return None
    values = list(lifetimes.values())
    method = "platform_lifetime" if len(values) == 1 else "sum_across_posts"
    return Reach(sum(v.value for v in values), method, values[0].metric, len(values))


def campaigns_reach(
    db: Database, platform: str, entity_ids: frozenset[int], window: Window
) -> Reach | None:
    """Paid reach of ad campaigns: each one's own flight number; several are a labelled sum."""
    names = queries.names("reach", platform)
    found: list[queries.WindowValue] = []
    windows_split = False
    for entity in sorted(entity_ids):
        rows = queries.entity_reach(db, entity, names, window.end)
        found.extend(rows)
        windows_split = windows_split or len(rows) > 1
    if found:
        if len(found) == 1:
            method = "platform_campaign"
        else:
            method = "sum_of_windows" if len(entity_ids) == 1 else "sum_across_campaigns"
        return Reach(sum(v.value for v in found), method, found[0].metric, len(found))
    daily = queries.ad_day(db, platform, names, window, entity_ids)
    metric = next((m for m in names if m in daily), None)
    if metric:
        return Reach(daily[metric].value, "sum_of_daily", metric, daily[metric].days)
    return None


def sum_reach(values: list[Reach | None], method: str) -> Reach | None:
    """A labelled sum of several reach figures (never called reach without its method)."""
    known = [v for v in values if v is not None]
    if not known:
        return None
    if len(known) == 1:
        return known[0]
    return Reach(
        sum(v.value for v in known), method, "+".join(sorted({v.metric for v in known})), len(known)
    )


# --- paid block -----------------------------------------------------------------------------


def paid_block(
    db: Database, platform: str, window: Window, entity_ids: frozenset[int] | None = None
) -> dict[str, float | None]:
    """Spend, impressions, clicks and link clicks from the ad stats, with CTR, CPM and CPC."""
    out: dict[str, float | None] = {}
    for concept in ("spend", "impressions", "clicks", "link_clicks"):
        names = queries.names(concept, platform)
        rows = queries.ad_day(db, platform, names, window, entity_ids)
        metric = next((m for m in names if m in rows), None)
        out[concept] = rows[metric].value if metric else None
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
        # Daily gains: every gain metric counts (LinkedIn splits organic and paid gains into
        # two metrics that do not overlap).
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

    LinkedIn only gives today's follower count, but daily gains for every day: today's count
    minus the gains after the week is the count at the end of the week.
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


def top_posts(
    db: Database, window: Window, limit: int, post_ids: frozenset[int] | None = None
) -> list[dict[str, Any]]:
    """Posts by views gained in the window (LinkedIn: impressions), across platforms."""
    gained: dict[int, dict[str, float]] = {}
    reached: dict[int, dict[str, float]] = {}
    first_seen: set[int] = set()
    metric_of: dict[int, str] = {}
    for platform in PLATFORMS:
        names = queries.names(views_concept(platform), platform)
        gains = queries.snapshot_gains(db, names, window, platform=platform, post_ids=post_ids)
        chosen = next((m for m in names if any(g.metric == m for g in gains)), None)
        for g in gains:
            if g.metric != chosen:
                continue
            gained.setdefault(g.post_id, {})[g.origin] = g.gain
            reached.setdefault(g.post_id, {})[g.origin] = g.end_value
            metric_of[g.post_id] = g.metric
            if g.first_seen:
                first_seen.add(g.post_id)

    def combined(by_origin: dict[str, float]) -> float:
        # The platform's total, or organic + paid where it splits (never both: rule 3).
        return by_origin["total"] if "total" in by_origin else sum(by_origin.values())

    ranked = sorted(
        ((combined(v), pid) for pid, v in gained.items() if combined(v) > 0),
        key=lambda item: (-item[0], item[1]),
    )[:limit]
    info = queries.posts_by_id(db, (pid for _, pid in ranked))
    out = []
    for rank, (value, pid) in enumerate(ranked, start=1):
        post = info[pid]
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
                "metric": metric_of[pid],
                "views_gained": value,
                "views_to_date": combined(reached[pid]),
                "first_seen": pid in first_seen,
            }
        )
    return out
