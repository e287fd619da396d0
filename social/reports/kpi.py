"""Campaign KPIs: actual values for a target's scope, attainment and pacing.

A KPI target is (kpi, origin organic|paid|total, platform: an installed
platform's name or all). Actuals come from `measures` for the campaign's posts and ad
campaigns, so the same rules hold: one source per figure, a boosted post's
views counted once, and reach only as the platform's own number or a labelled
sum.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlite_utils import Database

from social.reports import measures, queries
from social.reports.measures import Reach, Scope, Split
from social.reports.window import Window

KPIS = (
    "views",
    "reach",
    "impressions",
    "clicks",
    "link_clicks",
    "ctr",
    "engagement_rate",
    "follower_gain",
    "cost_per_click",
    "cost_per_1000_reached",
    "cost_per_result",
    "spend",
)
ADDITIVE = frozenset({"views", "impressions", "clicks", "link_clicks", "follower_gain", "spend"})
# Spend projected below this share of its budget is "spending below plan".
SPEND_SLACK = 0.9
LOWER_IS_BETTER = frozenset({"cost_per_click", "cost_per_1000_reached", "cost_per_result"})
UNITS = {
    "ctr": "ratio",
    "engagement_rate": "ratio",
    "cost_per_click": "currency",
    "cost_per_1000_reached": "currency",
    "cost_per_result": "currency",
    "spend": "currency",
}

# What a "result" is, by the ad campaign's objective (matched case-insensitively).
RESULT_BY_OBJECTIVE = (
    (("VIDEO", "VIEW"), "views"),
    (("FOLLOW", "ENGAGEMENT", "COMMUNITY"), "follower_gain"),
    (("TRAFFIC", "CLICK", "LINK", "WEBSITE", "VISIT"), "link_clicks"),
)


@dataclass
class Value:
    """An actual KPI value and, for reach-based KPIs, how the reach was counted."""

    value: float | None
    method: str | None = None
    exact: bool = True


@dataclass
class KpiContext:
    """The campaign's scope per platform for one window, with measures computed once."""

    db: Database
    window: Window
    platforms: list[str]
    scopes: dict[str, Scope]
    account_platforms: list[str]  # platforms whose whole-account follower gain counts
    lifetime_until: date | None = None  # last collection day of posts' lifetime figures
    _memo: dict[tuple[str, str], Any] = field(default_factory=dict)

    def _cached(self, key: tuple[str, str], compute: Callable[[], Any]) -> Any:
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    def split(self, platform: str, concept: str) -> Split:
        """An additive concept for one platform, inside the campaign's scope."""
        scope = self.scopes[platform]

        def compute() -> Split:
            if concept == "views":
                return measures.measure_views(self.db, platform, self.window, scope)
            if concept == "engagements":
                return measures.measure_engagements(self.db, platform, self.window, scope)
            if concept == "follower_gain":
                return self._follower_gain(platform, scope)
            split = measures.measure(self.db, platform, concept, self.window, scope)
            if concept == "spend":
                split.organic, split.total = None, split.paid
            return split

        result: Split = self._cached((platform, concept), compute)
        return result

    def _follower_gain(self, platform: str, scope: Scope) -> Split:
        paid = measures.measure(self.db, platform, "follower_gain", self.window, scope)
        split = Split("follower_gain", paid=paid.paid, basis=dict(paid.basis))
        split.basis.pop("organic", None)
        split.basis.pop("total", None)
        if platform in self.account_platforms:
            whole = measures.measure(
                self.db, platform, "follower_gain", self.window, with_paid=False
            )
            split.organic = whole.organic
            if "organic" in whole.basis:
                split.basis["organic"] = whole.basis["organic"] + " (account)"
        split.total = measures.add(split.organic, split.paid)
        return split

    def reach(self, platform: str) -> dict[str, Reach | None]:
        scope = self.scopes[platform]

        def compute() -> dict[str, Reach | None]:
            organic = (
                measures.posts_reach(
                    self.db, scope.post_ids, self.lifetime_until or self.window.end
                )
                if scope.post_ids
                else None
            )
            paid = (
                measures.campaigns_reach(self.db, platform, scope.ad_ids, self.window)
                if scope.ad_ids
                else None
            )
            total = measures.sum_reach([organic, paid], "sum_organic_paid")
            return {"organic": organic, "paid": paid, "total": total}

        result: dict[str, Reach | None] = self._cached((platform, "reach"), compute)
        return result

    def results(self, platform: str) -> float | None:
        """Paid results of the platform's ad campaigns, by each campaign's objective."""
        scope = self.scopes[platform]

        def compute() -> float | None:
            ids = sorted(scope.ad_ids or ())
            if not ids:
                return None
            objectives = queries.ad_objectives(self.db, ids)
            concepts = ("views", "follower_gain", "link_clicks", "clicks")
            names = {c: queries.names(c, platform) for c in concepts}
            sums = queries.ad_day_by_entity(
                self.db, platform, sorted({n for v in names.values() for n in v}), self.window, ids
            )
            total: float | None = None
            for entity in ids:
                wanted = result_concept(objectives.get(entity, ""))
                row = sums.get(entity, {})
                for concept in (wanted, "clicks"):
                    metric = next((m for m in names[concept] if m in row), None)
                    if metric:
                        total = (total or 0.0) + row[metric]
                        break
            return total

        result: float | None = self._cached((platform, "results"), compute)
        return result

    # --- KPI values -------------------------------------------------------------------------

    def platforms_for(self, platform: str) -> list[str]:
        return self.platforms if platform == "all" else [p for p in self.platforms if p == platform]

    def additive(self, concept: str, origin: str, platform: str) -> float | None:
        return measures.add(
            *(self.split(p, concept).get(origin) for p in self.platforms_for(platform))
        )

    def reach_value(self, origin: str, platform: str) -> Reach | None:
        values = [self.reach(p)[origin] for p in self.platforms_for(platform)]
        return measures.sum_reach(values, "sum_across_platforms")

    def value(self, kpi: str, origin: str, platform: str) -> Value:
        """The actual value of a KPI for a target's origin and platform."""
        if kpi in ("views", "impressions", "clicks", "link_clicks", "follower_gain"):
            return Value(self.additive(kpi, origin, platform))
        if kpi == "spend":
            return Value(self.additive("spend", "paid", platform) if origin != "organic" else None)
        if kpi == "reach":
            r = self.reach_value(origin, platform)
            return Value(r.value if r else None, r.method if r else None, r.exact if r else True)
        if kpi == "ctr":
            return Value(
                measures.ratio(
                    self.additive("clicks", origin, platform),
                    self.additive("impressions", origin, platform),
                )
            )
        if kpi == "engagement_rate":
            return Value(
                measures.ratio(
                    self.additive("engagements", origin, platform),
                    self.additive("views", origin, platform),
                )
            )
        spend = self.additive("spend", "paid", platform)
        if kpi == "cost_per_click":
            return Value(measures.ratio(spend, self.additive("clicks", origin, platform)))
        if kpi == "cost_per_1000_reached":
            r = self.reach_value("paid" if origin == "organic" else origin, platform)
            cost = measures.ratio(spend, r.value if r else None)
            return Value(
                cost * 1000 if cost is not None else None,
                r.method if r else None,
                r.exact if r else True,
            )
        if kpi == "cost_per_result":
            results = measures.add(*(self.results(p) for p in self.platforms_for(platform)))
            return Value(measures.ratio(spend, results))
        raise ValueError(f"unknown KPI {kpi!r}")


def result_concept(objective: str) -> str:
    """The result an ad campaign's objective aims for (clicks when it says nothing we know)."""
    for words, concept in RESULT_BY_OBJECTIVE:
        if any(word in objective.upper() for word in words):
            return concept
    return "clicks"


def attainment(kpi: str, actual: float | None, target: float) -> float | None:
    """Share of the target reached (for costs: target / actual, so 1.0 or more is good)."""
    if actual is None or not target:
        return None
    if kpi in LOWER_IS_BETTER:
        return target / actual if actual else None
    return actual / target


def pacing(
    kpi: str, actual: float | None, target: float, elapsed: int, duration: int
) -> dict[str, Any] | None:
    """Where a running campaign will end at its current rate.

    Counts: expected-to-date = target x elapsed / duration, projection =
    actual / elapsed x duration, on track if projection >= target. Reach grows
    slower than linearly, so its projection is flagged approximate. Rates and
    costs are taken to hold: on track if the current value meets the target.
    """
    if actual is None or elapsed <= 0 or duration <= 0:
        return None
    if kpi == "spend":
        # A spend target is a budget: spending below its pace is not "behind" (not red), and
        # spending above it is the thing to catch.
        projection = actual / elapsed * duration
        if projection > target:
            status = "over_pace"
        elif projection < target * SPEND_SLACK:
            status = "under_pace"
        else:
            status = "on_pace"
        return {
            "expected_to_date": target * elapsed / duration,
            "projection": projection,
            "on_track": status == "on_pace",
            "status": status,
            "approximate": False,
        }
    if kpi in ADDITIVE or kpi == "reach":
        projection = actual / elapsed * duration
        on_track = projection >= target
        return {
            "expected_to_date": target * elapsed / duration,
            "projection": projection,
            "on_track": on_track,
            "status": "on_track" if on_track else "behind",
            "approximate": kpi == "reach",
        }
    on_track = actual <= target if kpi in LOWER_IS_BETTER else actual >= target
    return {
        "expected_to_date": target,
        "projection": actual,
        "on_track": on_track,
        "status": "on_track" if on_track else "behind",
        "approximate": False,
    }


def evaluate(
    context: KpiContext,
    targets: Iterable[dict[str, Any]],
    *,
    elapsed: int,
    duration: int,
    running: bool,
) -> list[dict[str, Any]]:
    """Each target with its actual, attainment and (while running) pacing."""
    out = []
    for target in targets:
        kpi, origin, platform = target["kpi"], target["origin"], target["platform"]
        value = context.value(kpi, origin, platform)
        out.append(
            {
                "kpi": kpi,
                "origin": origin,
                "platform": platform,
                "unit": UNITS.get(kpi, "count"),
                "direction": "lower_is_better" if kpi in LOWER_IS_BETTER else "higher_is_better",
                "target": target["target"],
                "actual": value.value,
                "attainment": attainment(kpi, value.value, target["target"]),
                "method": value.method,
                "exact": value.exact,
                "pacing": pacing(kpi, value.value, target["target"], elapsed, duration)
                if running
                else None,
            }
        )
    return out
