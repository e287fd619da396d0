"""A second, deliberately simple implementation of every figure in the weekly, campaign and
partner reports, for the figures audit (tests/test_figures_audit.py).

It shares no code with social/reports or social/insights: plain SQL that fetches rows, and
plain Python loops over them, written from the rules in README.md ("How the numbers work")
rather than from the reports' code. It reads the metric vocabulary (which platform metric
measures which concept) from core.catalogue, and the built-in hashtag themes, because
those are data both sides must agree on.

Every figure is keyed by a stable path (platform names, post ids, KPI keys instead of list
positions); `keyed(report)` turns a report's JSON into the same keys so the two can be
compared leaf by leaf.
"""

from __future__ import annotations

import json
import math
import re
import statistics
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from core import registry
from core.catalogue import metrics_for
from social.insights.themes import DEFAULT_HASHTAG_THEMES

# Which platforms there are, what "views" counts on each and what its ad statistics report:
# data from the platform registry, which both sides must agree on (like the catalogue).
PLATFORMS = registry.names()
HEADLINE = {p.name: p.views.concept for p in registry.platforms()}
AD_METRICS = {p.name: set(p.views.ad_metrics) for p in registry.platforms()}
PAID_FALLBACK = {p.name: dict(p.views.paid_fallback) for p in registry.platforms()}
EXACT = {"platform_day", "platform_week", "platform_campaign", "platform_lifetime"}

Figures = dict[str, float | None]


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def names(concept: str, platform: str) -> list[str]:
    return [m.metric for m in metrics_for(concept, platform)]


def ad_names(concept: str, platform: str) -> list[str]:
    found = [m for m in names(concept, platform) if m in AD_METRICS[platform]]
    # Ads that do not report the concept stand in with another metric (Meta: impressions).
    return found + list(PAID_FALLBACK[platform].get(concept, ()))


def add(*values: float | None) -> float | None:
    known = [v for v in values if v is not None]
    return sum(known) if known else None


def div(a: float | None, b: float | None) -> float | None:
    return None if a is None or not b else a / b


@dataclass
class Span:
    """Local dates first..last in a zone, with UTC bounds [start, end)."""

    first: date
    last: date
    zone: str

    @property
    def start(self) -> str:
        return iso(datetime.combine(self.first, time(0), ZoneInfo(self.zone)))

    @property
    def end(self) -> str:
        return iso(datetime.combine(self.last + timedelta(days=1), time(0), ZoneInfo(self.zone)))

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


@dataclass
class Split:
    organic: float | None = None
    paid: float | None = None
    total: float | None = None
    days: int | None = None
    estimated: set[int] = field(default_factory=set)


@dataclass
class Reach:
    value: float
    method: str
    parts: int = 1


class Audit:
    """The reports' figures, worked out again from the stored rows."""

    def __init__(self, db: Database, zone: str = "Europe/Oslo") -> None:
        self.db = db
        self.zone = zone

    def rows(self, sql: str, params: list[Any] | tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        return list(self.db.execute(sql, list(params)).fetchall())

    # --- posts' counters ---------------------------------------------------------------------

    def counter(self, post: int, metric: str, origin: str, moment: str) -> tuple[float, bool]:
        """The counter at a moment: the last snapshot at or before it; 0 before publication;
        a straight line from publication to the first snapshot (an estimate)."""
        snaps = self.rows(
            """SELECT captured_at, value FROM post_snapshots WHERE post_id = ? AND metric = ?
               AND origin = ? ORDER BY captured_at""",
            [post, metric, origin],
        )
        before = [v for at, v in snaps if at <= moment]
        if before:
            return float(before[-1]), False
        published = self.rows("SELECT published_at FROM posts WHERE id = ?", [post])[0][0]
        if moment <= published or not snaps:
            return 0.0, False
        first_at, first_value = snaps[0]
        span = (parse(first_at) - parse(published)).total_seconds()
        share = (parse(moment) - parse(published)).total_seconds() / span if span > 0 else 1.0
        return float(first_value) * min(1.0, max(0.0, share)), True

    def moved_posts(self, platform: str, span: Span, metrics: list[str]) -> set[int]:
        captured = self.rows(
            f"""SELECT DISTINCT s.post_id FROM post_snapshots s JOIN posts p ON p.id = s.post_id
                WHERE p.platform = ? AND s.captured_at > ? AND s.captured_at <= ?
                  AND s.metric IN ({",".join("?" * len(metrics))})""",
            [platform, span.start, span.end, *metrics],
        )
        published = self.rows(
            "SELECT id FROM posts WHERE platform = ? AND published_at >= ? AND published_at < ?",
            [platform, span.start, span.end],
        )
        return {r[0] for r in captured} | {r[0] for r in published}

    def counters_of(self, post: int, metrics: list[str]) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        for metric, origin in self.rows(
            f"""SELECT metric, origin FROM post_latest WHERE post_id = ?
                AND metric IN ({",".join("?" * len(metrics))})""",
            [post, *metrics],
        ):
            out.setdefault(metric, set()).add(origin)
        return out

    def gains(
        self, platform: str, concept: str, span: Span, posts: set[int] | None
    ) -> tuple[str | None, dict[int, dict[str, float]], set[int]]:
        """Per post and origin, how much the concept's counter grew in the window."""
        metrics = names(concept, platform)
        if not metrics:
            return None, {}, set()
        if posts is None:
            candidates = self.moved_posts(platform, span, metrics)
        else:
            candidates = {
                p
                for p in posts
                if self.rows("SELECT published_at FROM posts WHERE id = ?", [p])[0][0] < span.end
            } | (self.moved_posts(platform, span, metrics) & posts)
        having = {p: self.counters_of(p, metrics) for p in sorted(candidates)}
        metric = next((m for m in metrics if any(m in c for c in having.values())), None)
        out: dict[int, dict[str, float]] = {}
        estimated: set[int] = set()
        for post, by_metric in having.items():
            for origin in sorted(by_metric.get(metric or "", set())):
                end, e1 = self.counter(post, metric or "", origin, span.end)
                start, e2 = self.counter(post, metric or "", origin, span.start)
                out.setdefault(post, {})[origin] = max(0.0, end - start)  # never below 0
                if e1 or e2:
                    estimated.add(post)
        return metric, out, estimated

    # --- ads -----------------------------------------------------------------------------------

    def ad_roots(self, platform: str) -> list[int]:
        return [
            r[0]
            for r in self.rows(
                "SELECT id FROM ad_entities WHERE platform = ? AND parent_id IS NULL ORDER BY id",
                [platform],
            )
        ]

    def descendants(self, root: int) -> list[tuple[int, str, str | None]]:
        out = []
        todo = [root]
        while todo:
            entity = todo.pop()
            for eid, level, promotes in self.rows(
                "SELECT id, level, post_external_id FROM ad_entities WHERE id = ?", [entity]
            ):
                out.append((eid, level, promotes))
            todo += [
                r[0] for r in self.rows("SELECT id FROM ad_entities WHERE parent_id = ?", [entity])
            ]
        return out

    def day_sum(self, entity: int, metric: str, span: Span) -> float | None:
        value, n = self.rows(
            """SELECT SUM(value), COUNT(*) FROM metric_values WHERE subject_type = 'ad'
               AND subject_id = ? AND metric = ? AND grain = 'day' AND origin = 'paid'
               AND window_start BETWEEN ? AND ?""",
            [entity, metric, span.first.isoformat(), span.last.isoformat()],
        )[0]
        return float(value) if n else None

    def ad_metric(self, platform: str, metrics: list[str], span: Span) -> str | None:
        for metric in metrics:
            if self.rows(
                """SELECT 1 FROM metric_values WHERE platform = ? AND subject_type = 'ad'
                   AND grain = 'day' AND origin = 'paid' AND metric = ?
                   AND window_start BETWEEN ? AND ? LIMIT 1""",
                [platform, metric, span.first.isoformat(), span.last.isoformat()],
            ):
                return metric
        return None

    def post_id(self, platform: str, external: str | None) -> int | None:
        if external is None:
            return None
        found = self.rows(
            "SELECT id FROM posts WHERE platform = ? AND external_id = ?", [platform, external]
        )
        return found[0][0] if found else None

    def ad_parts(
        self, platform: str, metrics: list[str], span: Span, roots: list[int] | None = None
    ) -> list[tuple[int, float, frozenset[int] | None]]:
        """(campaign, value, posts whose counters hold it) for the ad campaigns in a window."""
        metric = self.ad_metric(platform, metrics, span)
        if metric is None:
            return []
        out = []
        for root in roots if roots is not None else self.ad_roots(platform):
            tree = self.descendants(root)
            values = {eid: self.day_sum(eid, metric, span) for eid, _, _ in tree}
            if all(v is None for v in values.values()):
                continue
            ads = [
                (eid, self.post_id(platform, promotes))
                for eid, lvl, promotes in tree
                if lvl == "ad"
            ]
            groups = [values[e] for e, lvl, _ in tree if lvl == "adgroup" and values[e] is not None]
            ad_values = {e: values[e] for e, _ in ads if values[e] is not None}
            if values[root] is not None:
                whole = values[root] or 0.0
            elif groups:
                whole = sum(g or 0.0 for g in groups)
            else:
                whole = sum(v or 0.0 for v in ad_values.values())
            for e, post in ads:
                if e in ad_values:
                    out.append((root, ad_values[e] or 0.0, frozenset({post} if post else ())))
            rest = whole - sum(v or 0.0 for v in ad_values.values())
            if ad_values and abs(rest) < 0.5:
                continue
            quiet = [post for e, post in ads if e not in ad_values]
            if not quiet or not any(quiet):
                posts: frozenset[int] | None = frozenset()
            elif all(quiet):
                posts = frozenset(p for p in quiet if p)
            else:
                posts = None
            out.append((root, rest, posts))
        return out

    def ad_total(
        self, platform: str, concept: str, span: Span, roots: list[int] | None
    ) -> float | None:
        metrics = [m for m in names(concept, platform) if m in AD_METRICS[platform]]
        parts = self.ad_parts(platform, metrics, span, roots)
        return sum(v for _, v, _ in parts) if parts else None

    # --- one additive figure -----------------------------------------------------------------

    def account_days(
        self, platform: str, metrics: list[str], span: Span, ads: bool = False
    ) -> tuple[str | None, dict[str, tuple[float, int]]]:
        for metric in metrics:
            rows = self.rows(
                f"""SELECT v.origin, SUM(v.value), COUNT(DISTINCT v.window_start)
                    FROM metric_values v JOIN accounts a ON a.id = v.account_id
                    WHERE v.platform = ? AND v.subject_type = 'account' AND v.grain = 'day'
                      AND v.metric = ? AND v.window_start BETWEEN ? AND ?
                      AND a.kind {"=" if ads else "!="} 'ads'
                    GROUP BY v.origin""",
                [platform, metric, span.first.isoformat(), span.last.isoformat()],
            )
            if rows:
                return metric, {o: (float(v), int(d)) for o, v, d in rows}
        return None, {}

    def split(
        self,
        platform: str,
        concept: str,
        span: Span,
        posts: set[int] | None = None,
        roots: list[int] | None = None,
        with_paid: bool = True,
    ) -> Split:
        """organic + paid = total; a boosted post's ad views are inside its own counter."""
        out = Split()
        organic = whole = own_paid = None
        whole_posts: set[int] = set()
        paid_posts: dict[int, float] = {}
        every_post_whole = False
        if posts is None:
            _, by_origin = self.account_days(platform, names(concept, platform), span)
            if by_origin:
                most = max(d for _, d in by_origin.values())
                out.days = most
                kept = {o: v for o, (v, d) in by_origin.items() if d == most}
                organic = kept.get("organic")
                whole = kept.get("total")
                own_paid = kept.get("paid")
                every_post_whole = "total" in kept
        if organic is None and whole is None:
            metric, grown, estimated = self.gains(platform, concept, span, posts)
            out.estimated = estimated
            if metric is None and posts:
                origins = {
                    o
                    for p in posts
                    for os_ in self.counters_of(p, names(concept, platform)).values()
                    for o in os_
                }
                if "total" in origins:
                    whole = 0.0
                    whole_posts = {
                        p
                        for p in posts
                        if any(
                            "total" in o
                            for o in self.counters_of(p, names(concept, platform)).values()
                        )
                    }
                if origins - {"total"}:
                    organic = 0.0
            for post, by_origin in grown.items():
                if "total" in by_origin:
                    whole = (whole or 0.0) + by_origin["total"]
                    whole_posts.add(post)
                else:
                    organic = (organic or 0.0) + by_origin.get("organic", 0.0)
                    if "paid" in by_origin:
                        paid_posts[post] = by_origin["paid"]
        metrics = ad_names(concept, platform) if with_paid else []
        parts = self.ad_parts(platform, metrics, span) if metrics else []
        promoted = {p for _, _, ps in parts for p in (ps or ())}
        if every_post_whole:
            holders = promoted
        elif promoted and whole is not None:
            wanted = promoted if posts is None else promoted & posts
            holders = {
                p
                for p in wanted
                if any("total" in o for o in self.counters_of(p, names(concept, platform)).values())
            } | (promoted & whole_posts)
        else:
            holders = set()
        inside = {n for n, (_, _, ps) in enumerate(parts) if ps and ps <= holders}
        mine = {n for n, (c, _, _) in enumerate(parts) if roots is None or c in roots}
        counted = mine | inside  # a part that is both is counted once
        ads_paid = sum(parts[n][1] for n in counted) if counted else None
        unpromoted = sum(v for p, v in paid_posts.items() if p not in promoted)
        if ads_paid is not None:
            paid = ads_paid + (unpromoted if paid_posts else 0.0)
        elif own_paid is not None:
            paid = own_paid
        elif paid_posts:
            paid = unpromoted
        else:
            paid = None
        if whole is not None:
            if metrics:
                organic = add(organic, max(0.0, whole - sum(parts[n][1] for n in inside)))
            else:
                out.organic = organic
                out.paid = paid
                out.total = add(whole, organic, paid)
                return self._rounded(out, concept, apart=False)
        out.organic, out.paid = organic, paid
        if organic is not None or paid is not None:
            out.total = add(organic, paid)
        return self._rounded(out, concept)

    @staticmethod
    def _rounded(figure: Split, concept: str, *, apart: bool = True) -> Split:
        """Counts in whole views; a split total is the sum of its rounded parts."""
        if concept != "spend":
            for origin in ("organic", "paid", "total"):
                value = getattr(figure, origin)
                if value is not None:
                    setattr(figure, origin, float(round(value)))
            if apart and figure.total is not None:
                figure.total = add(figure.organic, figure.paid)
        return figure

    def engagements(
        self,
        platform: str,
        span: Span,
        posts: set[int] | None = None,
        roots: list[int] | None = None,
    ) -> Split:
        parts = [
            self.split(platform, c, span, posts, roots) for c in ("likes", "comments", "shares")
        ]
        present = [
            p for p in parts if p.organic is not None or p.paid is not None or p.total is not None
        ]
        out = Split()
        if not any(p.organic is None and p.total is not None for p in present):
            out.organic = add(*(p.organic for p in present))
        out.paid = add(*(p.paid for p in present))
        out.total = add(*(p.total for p in present))
        if out.organic is None and out.total is None:
            combined = self.split(platform, "engagements", span, posts, roots, with_paid=False)
            out.organic, out.total = combined.organic, combined.total
            if out.total is None and out.organic is not None:
                out.total = add(out.organic, out.paid)
        return out

    # --- reach ---------------------------------------------------------------------------------

    def week_rows(
        self, platform: str, metric: str, span: Span, origin: str, ads: bool
    ) -> list[float]:
        return [
            float(v)
            for (v,) in self.rows(
                f"""SELECT v.value FROM metric_values v JOIN accounts a ON a.id = v.account_id
                    WHERE v.platform = ? AND v.subject_type = 'account' AND v.grain = 'week'
                      AND v.metric = ? AND v.origin = ? AND v.window_start = ? AND v.window_end = ?
                      AND a.kind {"=" if ads else "!="} 'ads'""",
                [platform, metric, origin, span.first.isoformat(), span.last.isoformat()],
            )
        ]

    def account_reach(self, platform: str, span: Span) -> dict[str, Reach | None]:
        metrics = names("reach", platform)
        week = span.first.isoweekday() == 1 and span.days == 7
        out: dict[str, Reach | None] = {}
        for origin, ads in (("organic", False), ("total", False), ("paid", True)):
            found = None
            if week:
                for metric in metrics:
                    values = self.week_rows(platform, metric, span, origin, ads)
                    if values:
                        method = "platform_week" if len(values) == 1 else "sum_across_accounts"
                        found = Reach(sum(values), method, len(values))
                        break
            if found is None and origin == "paid" and week:
                for metric in metrics:
                    values = [
                        float(v)
                        for (v,) in self.rows(
                            """SELECT v.value FROM metric_values v
                               JOIN ad_entities e ON e.id = v.subject_id
                               WHERE v.platform = ? AND v.subject_type = 'ad' AND v.grain = 'week'
                                 AND v.origin = 'paid' AND e.level = 'campaign' AND v.metric = ?
                                 AND v.window_start = ? AND v.window_end = ?""",
                            [platform, metric, span.first.isoformat(), span.last.isoformat()],
                        )
                    ]
                    if values:
                        method = "platform_week" if len(values) == 1 else "sum_across_campaigns"
                        found = Reach(sum(values), method, len(values))
                        break
            if found is None and origin != "paid":
                for metric in metrics:
                    _, by_origin = self.account_days(platform, [metric], span)
                    if origin in by_origin:
                        value, days = by_origin[origin]
                        if span.days == 1 and days == 1:
                            found = Reach(value, "platform_day")
                        else:
                            found = Reach(value, "sum_of_daily", days)
                        break
            if found is None and origin == "paid":
                found = self.daily_ad_reach(platform, span, None)
            out[origin] = found
        return out

    def daily_ad_reach(self, platform: str, span: Span, roots: list[int] | None) -> Reach | None:
        """Sum of daily reach of ad campaigns at one level (campaign rows first)."""
        for metric in names("reach", platform):
            for level in ("campaign", "adgroup", "ad"):
                params = [platform, metric, level, span.first.isoformat(), span.last.isoformat()]
                only = ""
                if roots is not None:
                    ids = [e for r in roots for e, _, _ in self.descendants(r)]
                    if not ids:
                        return None
                    only = f" AND e.id IN ({','.join('?' * len(ids))})"
                    params += ids
                value, days = self.rows(
                    f"""SELECT SUM(v.value), COUNT(DISTINCT v.window_start) FROM metric_values v
                        JOIN ad_entities e ON e.id = v.subject_id
                        WHERE v.platform = ? AND v.subject_type = 'ad' AND v.grain = 'day'
                          AND v.origin = 'paid' AND v.metric = ? AND e.level = ?
                          AND v.window_start BETWEEN ? AND ?{only}""",
                    params,
                )[0]
                if value is not None:
                    return Reach(float(value), "sum_of_daily", int(days))
        return None

    def flight_reach(self, platform: str, entity: int, last: date) -> Reach | None:
        metrics = names("reach", platform)
        for grain in ("campaign", "lifetime", "window"):
            rows = self.rows(
                f"""SELECT metric, value, window_start, window_end FROM metric_values
                    WHERE subject_type = 'ad' AND subject_id = ? AND origin = 'paid' AND grain = ?
                      AND window_end <= ? AND metric IN ({",".join("?" * len(metrics))})
                    ORDER BY window_end DESC""",
                [entity, grain, last.isoformat(), *metrics],
            )
            if not rows:
                continue
            metric = next(m for m in metrics if any(r[0] == m for r in rows))
            mine = [r for r in rows if r[0] == metric]
            if grain != "window":
                return Reach(float(mine[0][1]), "platform_campaign")
            latest: dict[str, float] = {}
            for _, value, start, _ in mine:
                latest.setdefault(start, float(value))
            if len(latest) == 1:
                return Reach(next(iter(latest.values())), "platform_campaign")
            return Reach(sum(latest.values()), "sum_of_windows", len(latest))
        return None

    def campaigns_reach(self, platform: str, roots: list[int], span: Span) -> Reach | None:
        parts = []
        missing = []
        for root in sorted(roots):
            found = self.flight_reach(platform, root, span.last)
            if found is None:
                missing.append(root)
            else:
                parts.append(found)
        if missing:
            daily = self.daily_ad_reach(platform, span, missing)
            if daily is not None:
                parts.append(daily)
        return self.reach_sum(parts, "sum_across_campaigns")

    @staticmethod
    def reach_sum(parts: list[Reach | None], method: str) -> Reach | None:
        known = [p for p in parts if p is not None]
        if not known:
            return None
        if len(known) == 1:
            return known[0]
        if any(p.method == "sum_of_daily" for p in known):
            method = "sum_of_daily"
        return Reach(sum(p.value for p in known), method, len(known))

    def lifetime_reach(self, post: int, platform: str, last: date) -> Reach | None:
        for metric in names("reach", platform):
            rows = self.rows(
                """SELECT value FROM metric_values WHERE subject_type = 'post' AND subject_id = ?
                   AND grain = 'lifetime' AND metric = ? AND window_end <= ?
                   ORDER BY window_end DESC LIMIT 1""",
                [post, metric, last.isoformat()],
            )
            if rows:
                return Reach(float(rows[0][0]), "platform_lifetime")
        return None

    def posts_reach(self, posts: set[int], last: date) -> Reach | None:
        found = [self.lifetime_reach(p, self.platform_of(p), last) for p in sorted(posts)]
        known = [f for f in found if f is not None]
        if not known:
            return None
        if len(known) == 1:
            return known[0]
        return Reach(sum(k.value for k in known), "sum_across_posts", len(known))

    def platform_of(self, post: int) -> str:
        return str(self.rows("SELECT platform FROM posts WHERE id = ?", [post])[0][0])

    # --- followers -----------------------------------------------------------------------------

    def level(
        self, platform: str, metrics: list[str], day: date, lookback: int
    ) -> tuple[str, float, date] | None:
        since = day - timedelta(days=lookback)
        for metric in metrics:
            rows = self.rows(
                """SELECT v.account_id, v.value, v.window_end FROM metric_values v
                   JOIN accounts a ON a.id = v.account_id
                   WHERE v.platform = ? AND v.subject_type = 'account' AND v.grain = 'day'
                     AND v.metric = ? AND a.kind != 'ads' AND v.window_start BETWEEN ? AND ?""",
                [platform, metric, since.isoformat(), day.isoformat()],
            )
            if rows:
                latest: dict[int, tuple[str, float]] = {}
                for account, value, end in rows:
                    if account not in latest or end > latest[account][0]:
                        latest[account] = (end, float(value))
                return (
                    metric,
                    sum(v for _, v in latest.values()),
                    date.fromisoformat(max(e for e, _ in latest.values())),
                )
        return None

    def followers(self, platform: str, span: Span) -> dict[str, float | None]:
        metrics = names("followers", platform)
        end = self.level(platform, metrics, span.last, 31)
        if end is None or end[2] < span.last:
            later = None
            for metric in metrics:
                first = self.rows(
                    """SELECT MIN(v.window_end) FROM metric_values v JOIN accounts a ON a.id = v.account_id
                       WHERE v.platform = ? AND v.subject_type = 'account' AND v.grain = 'day'
                         AND v.metric = ? AND a.kind != 'ads' AND v.window_start BETWEEN ? AND ?""",
                    [
                        platform,
                        metric,
                        (span.last + timedelta(days=1)).isoformat(),
                        (span.last + timedelta(days=31)).isoformat(),
                    ],
                )[0][0]
                if first:
                    total = self.rows(
                        """SELECT SUM(v.value) FROM metric_values v JOIN accounts a ON a.id = v.account_id
                           WHERE v.platform = ? AND v.subject_type = 'account' AND v.grain = 'day'
                             AND v.metric = ? AND a.kind != 'ads' AND v.window_end = ?""",
                        [platform, metric, first],
                    )[0][0]
                    later = (metric, float(total), date.fromisoformat(first))
                    break
            if later is not None:
                gap = Span(span.last + timedelta(days=1), later[2] - timedelta(days=1), self.zone)
                if gap.last < gap.first:
                    end = (later[0], later[1], span.last)
                else:
                    _, rows_by = self.gain_days(platform, gap)
                    if rows_by and all(d >= gap.days for _, d in rows_by):
                        end = (later[0], later[1] - sum(v for v, _ in rows_by), span.last)
        out: dict[str, float | None] = {"end": end[1] if end else None, "change": None}
        if end is not None and end[2] >= span.first:
            start = self.level(platform, [end[0]], span.first - timedelta(days=1), 7)
            if start is not None:
                out["change"] = end[1] - start[1]
        if out["change"] is None:
            _, rows_by = self.gain_days(platform, span)
            if rows_by:
                out["change"] = sum(v for v, _ in rows_by)
        out["as_of"] = end[2].toordinal() if end else None  # type: ignore[assignment]
        return out

    def gain_days(self, platform: str, span: Span) -> tuple[None, list[tuple[float, int]]]:
        out = []
        for metric in names("follower_gain", platform):
            for _, value, days in self.rows(
                """SELECT v.origin, SUM(v.value), COUNT(DISTINCT v.window_start)
                   FROM metric_values v JOIN accounts a ON a.id = v.account_id
                   WHERE v.platform = ? AND v.subject_type = 'account' AND v.grain = 'day'
                     AND v.metric = ? AND a.kind != 'ads' AND v.window_start BETWEEN ? AND ?
                   GROUP BY v.origin""",
                [platform, metric, span.first.isoformat(), span.last.isoformat()],
            ):
                out.append((float(value), int(days)))
        return None, out

    # --- per post views --------------------------------------------------------------------------

    def post_views(self, span: Span, posts: set[int] | None = None) -> dict[int, dict[str, Any]]:
        out: dict[int, dict[str, Any]] = {}
        for platform in PLATFORMS:
            concept = HEADLINE[platform]
            scoped = (
                None if posts is None else {p for p in posts if self.platform_of(p) == platform}
            )
            metric, grown, estimated = self.gains(platform, concept, span, scoped)
            if metric is None:
                continue
            linked: dict[int, float] = {}
            for _, value, ps in self.ad_parts(platform, ad_names(concept, platform), span):
                if ps and len(ps) == 1:
                    (p,) = ps
                    linked[p] = linked.get(p, 0.0) + value
            for post, by_origin in grown.items():
                paid = linked.get(post)
                if "total" in by_origin:
                    whole = float(round(by_origin["total"]))
                    total = whole if paid is None else max(whole, paid)
                    organic = None if paid is None else max(0.0, whole - paid)
                    to_date = self.counter(post, metric, "total", span.end)[0]
                else:
                    organic = float(round(by_origin.get("organic", 0.0)))
                    if "paid" in by_origin:
                        paid = float(round(by_origin["paid"]))
                    total = organic + (paid or 0.0)
                    to_date = sum(self.counter(post, metric, o, span.end)[0] for o in by_origin)
                out[post] = {
                    "total": total,
                    "organic": organic,
                    "paid": None if paid is None else float(round(paid)),
                    "to_date": float(round(to_date)),
                    "estimated": post in estimated,
                }
        return out


# --- the weekly report ------------------------------------------------------------------------


def week_of(monday: date, zone: str) -> Span:
    return Span(monday, monday + timedelta(days=6), zone)


class WeeklyAudit(Audit):
    """Every figure of the weekly report for one ISO week."""

    def platform(self, platform: str, span: Span) -> dict[str, Any]:
        published = self.rows(
            "SELECT COUNT(*) FROM posts WHERE platform = ? AND published_at >= ? AND published_at < ?",
            [platform, span.start, span.end],
        )[0][0]
        views = self.split(platform, HEADLINE[platform], span)
        engagements = self.engagements(platform, span)
        reach = self.account_reach(platform, span)
        paid: dict[str, float | None] = {
            k: self.ad_total(platform, k, span, None)
            for k in ("spend", "impressions", "clicks", "link_clicks")
        }
        paid["ctr"] = div(paid["clicks"], paid["impressions"])
        cpm = div(paid["spend"], paid["impressions"])
        paid["cpm"] = None if cpm is None else cpm * 1000
        paid["cpc"] = div(paid["spend"], paid["clicks"])
        followers = self.followers(platform, span)
        in_week = followers["as_of"] is not None and followers["as_of"] >= span.first.toordinal()
        has_data = bool(
            published
            or any(getattr(views, o) is not None for o in ("organic", "paid", "total"))
            or any(getattr(engagements, o) is not None for o in ("organic", "paid", "total"))
            or any(reach.values())
            or any(v is not None for v in paid.values())
            or in_week
            or followers["change"] is not None
        )
        return {
            "has_data": has_data,
            "followers": followers,
            "posts_published": published,
            "views": views,
            "engagements": engagements,
            "reach": reach,
            "paid": paid,
            "first_seen": len(views.estimated),
        }

    @staticmethod
    def headline(p: dict[str, Any]) -> dict[str, Any]:
        reach = p["reach"]
        content = reach.get("total") or reach.get("organic")
        views, eng = p["views"], p["engagements"]
        return {
            "followers_end": p["followers"]["end"],
            "followers_change": p["followers"]["change"],
            "posts_published": p["posts_published"],
            "views_total": views.total,
            "views_organic": views.organic,
            "views_paid": views.paid,
            "engagements_total": eng.total,
            "engagement_rate_total": div(eng.total, views.total),
            "spend": p["paid"]["spend"],
            "reach_content": (content.value, content.method) if content else (None, None),
            "reach_paid": (reach["paid"].value, reach["paid"].method)
            if reach["paid"]
            else (None, None),
        }

    def totals(self, platforms: dict[str, dict[str, Any]]) -> dict[str, Any]:
        ps = list(platforms.values())

        def have_all(get: Any) -> bool:
            return all(get(p) is not None for p in ps if p["has_data"])

        out: dict[str, Any] = {
            "views": {
                o: add(*(getattr(p["views"], o) for p in ps)) for o in ("organic", "paid", "total")
            },
            "engagements": {
                o: add(*(getattr(p["engagements"], o) for p in ps))
                for o in ("organic", "paid", "total")
            },
            "posts_published": sum(p["posts_published"] for p in ps),
            "paid": {
                k: add(*(p["paid"][k] for p in ps))
                for k in ("spend", "impressions", "clicks", "link_clicks")
            },
            "followers_end": add(*(p["followers"]["end"] for p in ps))
            if have_all(lambda p: p["followers"]["end"])
            else None,
            "followers_change": add(*(p["followers"]["change"] for p in ps))
            if have_all(lambda p: p["followers"]["change"])
            else None,
        }
        paid = out["paid"]
        paid["ctr"] = div(paid["clicks"], paid["impressions"])
        cpm = div(paid["spend"], paid["impressions"])
        paid["cpm"] = None if cpm is None else cpm * 1000
        paid["cpc"] = div(paid["spend"], paid["clicks"])
        both = [
            p for p in ps if p["views"].total is not None and p["engagements"].total is not None
        ]
        out["engagement_rate"] = div(
            add(*(p["engagements"].total for p in both)), add(*(p["views"].total for p in both))
        )
        for kind in ("content", "paid"):
            parts = []
            for p in ps:
                r = (
                    (p["reach"].get("total") or p["reach"].get("organic"))
                    if kind == "content"
                    else p["reach"]["paid"]
                )
                if r:
                    parts.append(r)
            if not parts:
                out[f"reach_{kind}"] = None
            else:
                upper = any(r.method == "sum_of_daily" for r in parts)
                method = parts[0].method if len(parts) == 1 else "sum_across_platforms"
                out[f"reach_{kind}"] = (
                    sum(r.value for r in parts),
                    "sum_of_daily" if upper else method,
                    len(parts),
                )
        return out

    @staticmethod
    def total_headline(t: dict[str, Any]) -> dict[str, Any]:
        def reach(r: Any) -> tuple[Any, Any]:
            return (r[0], r[1]) if r else (None, None)

        return {
            "followers_end": t["followers_end"],
            "followers_change": t["followers_change"],
            "posts_published": t["posts_published"],
            "views_total": t["views"]["total"],
            "views_organic": t["views"]["organic"],
            "views_paid": t["views"]["paid"],
            "engagements_total": t["engagements"]["total"],
            "engagement_rate_total": t["engagement_rate"],
            "spend": t["paid"]["spend"],
            "reach_content": reach(t["reach_content"]),
            "reach_paid": reach(t["reach_paid"]),
        }

    @staticmethod
    def wow(out: Figures, prefix: str, cur: dict[str, Any], prev: dict[str, Any]) -> None:
        for key, value in cur.items():
            before = prev[key]
            if isinstance(value, tuple):
                (value, method), (before, method_before) = value, before
                same = method == method_before
            else:
                same = True
            out[f"{prefix}.wow.current.{key}"] = value
            out[f"{prefix}.wow.previous.{key}"] = before
            out[f"{prefix}.wow.change.{key}"] = (
                value - before if value is not None and before is not None and same else None
            )

    def figures(self, monday: date) -> tuple[dict[str, dict[str, Any]], dict[str, Any]]:
        span = week_of(monday, self.zone)
        platforms = {p: self.platform(p, span) for p in PLATFORMS}
        return platforms, self.totals(platforms)

    def run(
        self,
        monday: date,
        now: datetime,
        *,
        top: int = 5,
        age_days: int = 7,
        baseline_posts: int = 30,
        min_group: int = 5,
        revised_from: dict[str, Any] | None = None,
    ) -> Figures:
        out: Figures = {}
        span = week_of(monday, self.zone)
        platforms, total = self.figures(monday)
        before, total_before = self.figures(monday - timedelta(days=7))
        for name, p in platforms.items():
            self.flat_platform(out, name, p)
            self.wow(out, name, self.headline(p), self.headline(before[name]))
        self.flat_total(out, total)
        self.wow(out, "total", self.total_headline(total), self.total_headline(total_before))
        views = self.post_views(span)
        ranked = sorted(
            ((v["total"], post) for post, v in views.items() if v["total"] > 0),
            key=lambda item: (-item[0], item[1]),
        )[:top]
        for value, post in ranked:
            ext = self.rows("SELECT external_id FROM posts WHERE id = ?", [post])[0][0]
            out[f"top_posts.{ext}.views_gained"] = value
            out[f"top_posts.{ext}.views_paid"] = views[post]["paid"]
            out[f"top_posts.{ext}.views_to_date"] = views[post]["to_date"]
        self.adherence(out, span)
        self.freshness(out, now)
        self.what_worked(out, span, now, age_days, baseline_posts, min_group)
        if revised_from is not None:
            self.revised(out, before, total_before, revised_from)
        return out

    def flat_platform(self, out: Figures, name: str, p: dict[str, Any]) -> None:
        out[f"{name}.followers.end"] = p["followers"]["end"]
        out[f"{name}.followers.change"] = p["followers"]["change"]
        out[f"{name}.posts_published"] = p["posts_published"]
        out[f"{name}.first_seen_posts"] = p["first_seen"]
        out[f"{name}.views.days_covered"] = p["views"].days
        for origin in ("organic", "paid", "total"):
            out[f"{name}.views.{origin}"] = getattr(p["views"], origin)
            out[f"{name}.engagements.{origin}"] = getattr(p["engagements"], origin)
            out[f"{name}.engagement_rate.{origin}"] = div(
                getattr(p["engagements"], origin), getattr(p["views"], origin)
            )
            r = p["reach"][origin]
            out[f"{name}.reach.{origin}.value"] = r.value if r else None
            out[f"{name}.reach.{origin}.parts"] = r.parts if r else None
        for key, value in p["paid"].items():
            out[f"{name}.paid.{key}"] = value

    def flat_total(self, out: Figures, t: dict[str, Any]) -> None:
        out["total.followers.end"] = t["followers_end"]
        out["total.followers.change"] = t["followers_change"]
        out["total.posts_published"] = t["posts_published"]
        for origin in ("organic", "paid", "total"):
            out[f"total.views.{origin}"] = t["views"][origin]
            out[f"total.engagements.{origin}"] = t["engagements"][origin]
        out["total.engagement_rate.total"] = t["engagement_rate"]
        for key, value in t["paid"].items():
            out[f"total.paid.{key}"] = value
        for kind in ("content", "paid"):
            r = t[f"reach_{kind}"]
            out[f"total.reach_sum.{kind}.value"] = r[0] if r else None
            out[f"total.reach_sum.{kind}.platforms"] = r[2] if r else None

    def adherence(self, out: Figures, span: Span) -> None:
        slots = self.rows(
            """SELECT id, status FROM calendar_slots WHERE planned_at >= ? AND planned_at < ?
               AND status != 'idea'""",
            [span.start, span.end],
        )
        by_member: dict[str, list[int]] = {}
        for sid, status in slots:
            owners = [
                r[0]
                for r in self.rows(
                    """SELECT m.name FROM slot_owners o JOIN team_members m ON m.id = o.member_id
                   WHERE o.slot_id = ?""",
                    [sid],
                )
            ] or ["-"]
            for owner in owners:
                by_member.setdefault(owner, []).append(1 if status == "published" else 0)
        for member, done in by_member.items():
            out[f"adherence.{member}.planned"] = len(done)
            out[f"adherence.{member}.published"] = sum(done)
            out[f"adherence.{member}.rate"] = sum(done) / len(done)
        out["adherence.planned"] = len(slots)
        out["adherence.published"] = sum(1 for _, s in slots if s == "published")
        out["adherence.rate"] = div(out["adherence.published"], len(slots))

    def freshness(self, out: Figures, now: datetime) -> None:
        for platform in PLATFORMS:
            last = self.rows(
                """SELECT finished_at FROM sync_runs
                   WHERE platform = ? AND kind = 'sync' AND outcome = 'ok'
                   ORDER BY id DESC LIMIT 1""",
                [platform],
            )
            out[f"freshness.{platform}.age_hours"] = (
                round((now - parse(last[0][0])).total_seconds() / 3600, 1) if last else None
            )

    # what worked: views at an age, compared with the account's earlier posts of the same kind

    def at_age(
        self, post: int, platform: str, published: str, age_days: int
    ) -> tuple[float, bool] | None:
        metrics = names(HEADLINE[platform], platform)
        points: dict[str, dict[str, list[tuple[str, float]]]] = {}
        for metric, origin, at, value in self.rows(
            f"""SELECT metric, origin, captured_at, value FROM post_snapshots WHERE post_id = ?
                AND metric IN ({",".join("?" * len(metrics))})
                UNION ALL
                SELECT metric, origin, collected_at, value FROM metric_values
                WHERE subject_type = 'post' AND subject_id = ? AND grain = 'lifetime'
                  AND metric IN ({",".join("?" * len(metrics))})""",
            [post, *metrics, post, *metrics],
        ):
            points.setdefault(metric, {}).setdefault(origin, []).append((at, float(value)))
        metric = next((m for m in metrics if m in points), None)
        if metric is None:
            return None
        origins = ["total"] if "total" in points[metric] else sorted(points[metric])
        moment = iso(parse(published) + timedelta(days=age_days))
        total, exact = 0.0, True
        for origin in origins:
            series = sorted(set(points[metric][origin]))
            before = [p for p in series if p[0] <= moment]
            after = [p for p in series if p[0] > moment]
            if before and after:
                (t0, v0), (t1, v1) = before[-1], after[0]
                share = (parse(moment) - parse(t0)).total_seconds() / max(
                    (parse(t1) - parse(t0)).total_seconds(), 1
                )
                total += v0 + (v1 - v0) * share
            elif before:
                total += before[-1][1]
            else:
                total += after[0][1]
                exact = False
        return total, exact

    def compared(self, now: datetime, age_days: int, baseline_posts: int) -> list[dict[str, Any]]:
        cutoff = iso(now - timedelta(days=age_days))
        posts = []
        for post, platform, account, ext, caption, published in self.rows(
            """SELECT id, platform, account_id, external_id, caption, published_at FROM posts
               WHERE published_at <= ? ORDER BY published_at, id""",
            [cutoff],
        ):
            value = self.at_age(post, platform, published, age_days)
            if value is not None:
                posts.append(
                    {"id": post, "ext": ext, "platform": platform, "account": account,
                     "caption": caption or "", "published": published,
                     "views": value[0], "exact": value[1]}
                )  # fmt: skip
        history: dict[tuple[str, int], list[dict[str, Any]]] = {}
        out = []
        for p in posts:
            earlier = history.setdefault((p["platform"], p["account"]), [])
            same = [q["views"] for q in earlier[-baseline_posts:] if q["exact"] == p["exact"]]
            if len(same) >= 5 and statistics.median(same) > 0 and p["views"] > 0:
                out.append({**p, "ratio": p["views"] / statistics.median(same)})
            earlier.append(p)
        return out

    def themes(self, post: dict[str, Any]) -> set[str]:
        found = set()
        for (tags,) in self.rows("SELECT tags FROM calendar_slots WHERE post_id = ?", [post["id"]]):
            for tag in json.loads(tags or "[]"):
                found.add(DEFAULT_HASHTAG_THEMES.get(str(tag).lower().lstrip("#"), tag))
        for tag in re.findall(r"#([\wæøåÆØÅ]+)", post["caption"]):
            if tag.lower() in DEFAULT_HASHTAG_THEMES:
                found.add(DEFAULT_HASHTAG_THEMES[tag.lower()])
        return found or {"uten tema"}

    def what_worked(
        self, out: Figures, span: Span, now: datetime, age_days: int, baseline: int, min_group: int
    ) -> None:
        moment = min(now, parse(span.end))
        posts = self.compared(moment, age_days, baseline)
        first, last = span.first - timedelta(days=age_days), span.last - timedelta(days=age_days)

        def local_day(p: dict[str, Any]) -> date:
            return parse(p["published"]).astimezone(ZoneInfo(self.zone)).date()

        recent = [p for p in posts if last - timedelta(days=90) <= local_day(p) <= last]
        matured = [p for p in recent if first <= local_day(p) <= last]
        out["what_worked.matured_posts"] = len(matured)
        for p in sorted(matured, key=lambda p: p["ratio"], reverse=True)[:3]:
            out[f"what_worked.posts.{p['ext']}.views_at_age"] = p["views"]
            out[f"what_worked.posts.{p['ext']}.ratio"] = p["ratio"]
        self.recent = recent  # the pattern's theme is the report's; its figures are checked here

    def pattern(self, out: Figures, theme: str) -> None:
        members = [p for p in self.recent if theme in self.themes(p)]
        out["what_worked.pattern.posts"] = len(members)
        out["what_worked.pattern.typical_ratio"] = math.exp(
            sum(math.log(p["ratio"]) for p in members) / len(members)
        )

    def revised(
        self,
        out: Figures,
        before: dict[str, dict[str, Any]],
        total: dict[str, Any],
        stored: dict[str, Any],
    ) -> None:
        now: Figures = {}
        for name, p in before.items():
            self.flat_platform(now, name, p)
        self.flat_total(now, total)
        for change in stored["changes"]:
            key = _revised_key(change["figure"])
            if key is None:
                continue
            out[f"revised.{change['figure']}.now"] = now.get(key)


def _revised_key(figure: str) -> str | None:
    """The report's path of a revised figure is the audit's key for it."""
    return figure


# --- the campaign report ----------------------------------------------------------------------

KPI_ADDITIVE = ("views", "impressions", "clicks", "link_clicks", "follower_gain")
LOWER_BETTER = ("cost_per_click", "cost_per_1000_reached", "cost_per_result")


@dataclass
class Members:
    platforms: list[str]
    posts: dict[str, set[int]]
    roots: dict[str, list[int]]


class CampaignAudit(Audit):
    """Every figure of the campaign report."""

    def members(self, campaign_id: int) -> tuple[dict[str, Any], Members]:
        name, start, end, platforms_json = self.rows(
            "SELECT name, start_date, end_date, platforms FROM campaigns WHERE id = ?",
            [campaign_id],
        )[0]
        platforms = [p for p in json.loads(platforms_json or "[]") if p in PLATFORMS] or list(
            PLATFORMS
        )
        flight = Span(date.fromisoformat(start), date.fromisoformat(end), self.zone)
        posts: set[int] = set()
        roots: dict[str, list[int]] = {}
        for kind, value, platform in self.rows(
            "SELECT kind, value, platform FROM campaign_members WHERE campaign_id = ?",
            [campaign_id],
        ):
            if kind == "hashtag":
                tag = value.lstrip("#").lower()
                for pid, caption, tags, plat in self.rows(
                    """SELECT id, caption, tags, platform FROM posts
                       WHERE published_at >= ? AND published_at < ?""",
                    [flight.start, flight.end],
                ):
                    if platform and plat != platform:
                        continue
                    words = re.findall(r"#([\wæøåÆØÅ]+)", caption or "")
                    listed = [str(t).lstrip("#").lower() for t in json.loads(tags or "[]")]
                    if tag in (w.lower() for w in words) or tag in listed:
                        posts.add(pid)
            elif kind == "post":
                posts |= {
                    r[0]
                    for r in self.rows(
                        "SELECT id FROM posts WHERE external_id = ?"
                        + (" AND platform = ?" if platform else ""),
                        [value, platform] if platform else [value],
                    )
                }
            elif kind == "slot":
                posts |= {
                    r[0]
                    for r in self.rows(
                        """SELECT post_id FROM calendar_slots WHERE (uid = ? OR CAST(id AS TEXT) = ?)
                           AND post_id IS NOT NULL""",
                        [value, value],
                    )
                }
            else:
                for eid, plat in self.rows(
                    "SELECT id, platform FROM ad_entities WHERE level = 'campaign' AND external_id = ?"
                    + (" AND platform = ?" if platform else ""),
                    [value, platform] if platform else [value],
                ):
                    if plat in platforms:
                        roots.setdefault(plat, []).append(eid)
        by_platform: dict[str, set[int]] = {}
        for pid in posts:
            plat = self.platform_of(pid)
            if plat in platforms:
                by_platform.setdefault(plat, set()).add(pid)
        info = {"name": name, "start": flight.first, "end": flight.last}
        return info, Members(platforms, by_platform, roots)

    def results(self, platform: str, roots: list[int], span: Span) -> float | None:
        total = None
        for root in sorted(roots):
            objective = (
                self.rows("SELECT objective FROM ad_entities WHERE id = ?", [root])[0][0] or ""
            ).upper()
            wanted = "clicks"
            for words, concept in (
                (("VIDEO", "VIEW"), "views"),
                (("FOLLOW", "ENGAGEMENT", "COMMUNITY"), "follower_gain"),
                (("TRAFFIC", "CLICK", "LINK", "WEBSITE", "VISIT"), "link_clicks"),
            ):
                if any(w in objective for w in words):
                    wanted = concept
                    break
            for concept in (wanted, "clicks"):
                found = None
                for metric in names(concept, platform):
                    found = self.day_sum(root, metric, span)
                    if found is not None:
                        break
                if found is not None:
                    total = (total or 0.0) + found
                    break
        return total

    def context(self, m: Members, span: Span, today: date) -> dict[str, Any]:
        """Per platform: the campaign's splits and reach over a window."""
        out: dict[str, Any] = {}
        for p in m.platforms:
            posts, roots = m.posts.get(p, set()), m.roots.get(p, [])
            split = {
                c: self.split(p, c, span, posts, roots)
                for c in ("impressions", "clicks", "link_clicks", "spend")
            }
            split["views"] = self.split(p, HEADLINE[p], span, posts, roots)
            split["engagements"] = self.engagements(p, span, posts, roots)
            paid_gain = self.split(p, "follower_gain", span, posts, roots).paid
            whole = self.split(p, "follower_gain", span, None, None, with_paid=False).organic
            split["follower_gain"] = Split(whole, paid_gain, add(whole, paid_gain))
            spend = split["spend"]
            split["spend"] = Split(None, spend.paid, spend.paid)
            organic = self.posts_reach(posts, today) if posts else None
            paid = self.campaigns_reach(p, roots, span) if roots else None
            reach = {
                "organic": organic,
                "paid": paid,
                "total": self.reach_sum([organic, paid], "sum_organic_paid"),
            }
            out[p] = {"split": split, "reach": reach, "results": self.results(p, roots, span)}
        return out

    @staticmethod
    def kpi(ctx: dict[str, Any], kpi: str, origin: str, platform: str) -> tuple[float | None, bool]:
        ps = list(ctx) if platform == "all" else [p for p in ctx if p == platform]

        def total(concept: str, o: str) -> float | None:
            return add(*(getattr(ctx[p]["split"][concept], o) for p in ps))

        def reach(o: str) -> Reach | None:
            return Audit.reach_sum([ctx[p]["reach"][o] for p in ps], "sum_across_platforms")

        spend = total("spend", "paid")
        if kpi in KPI_ADDITIVE:
            return total(kpi, origin), True
        if kpi == "spend":
            return (spend if origin != "organic" else None), True
        if kpi == "reach":
            r = reach(origin)
            return (r.value if r else None), (r.method in EXACT if r else True)
        if kpi == "ctr":
            return div(total("clicks", origin), total("impressions", origin)), True
        if kpi == "engagement_rate":
            return div(total("engagements", origin), total("views", origin)), True
        if kpi == "cost_per_click":
            return div(spend, total("clicks", origin)), True
        if kpi == "cost_per_1000_reached":
            r = reach("paid" if origin == "organic" else origin)
            cost = div(spend, r.value if r else None)
            return (None if cost is None else cost * 1000), True
        return div(spend, add(*(ctx[p]["results"] for p in ps))), True

    def run(self, campaign_id: int, now: datetime) -> Figures:
        out: Figures = {}
        info, m = self.members(campaign_id)
        today = now.astimezone(ZoneInfo(self.zone)).date()
        yesterday = today - timedelta(days=1)
        duration = (info["end"] - info["start"]).days + 1
        if yesterday < info["start"]:
            status, elapsed = "planned", 0
        elif yesterday >= info["end"]:
            status, elapsed = "ended", duration
        else:
            status, elapsed = "running", (yesterday - info["start"]).days + 1
        out["campaign.elapsed_days"] = elapsed
        out["campaign.duration_days"] = duration
        out["campaign.posts"] = sum(len(v) for v in m.posts.values())
        as_of = min(yesterday, info["end"])
        span = Span(info["start"], max(info["start"], as_of), self.zone)
        ctx = self.context(m, span, today)
        targets = self.rows(
            "SELECT kpi, origin, platform, target FROM kpi_targets WHERE campaign_id = ? ORDER BY id",
            [campaign_id],
        )
        for kpi, origin, platform, target in targets:
            key = f"kpis.{kpi}:{origin}:{platform}"
            actual = None if status == "planned" else self.kpi(ctx, kpi, origin, platform)[0]
            out[f"{key}.actual"] = actual
            if actual is None or not target:
                out[f"{key}.attainment"] = None
            elif kpi in LOWER_BETTER:
                out[f"{key}.attainment"] = target / actual if actual else None
            else:
                out[f"{key}.attainment"] = actual / target
            if status == "running" and actual is not None:
                if kpi in (*KPI_ADDITIVE, "reach", "spend"):
                    out[f"{key}.pacing.expected_to_date"] = target * elapsed / duration
                    out[f"{key}.pacing.projection"] = actual / elapsed * duration
                else:
                    out[f"{key}.pacing.expected_to_date"] = target
                    out[f"{key}.pacing.projection"] = actual
        if status == "planned":
            return out
        self.tables(out, ctx, m)
        charted = [t for t in targets if t[0] in (*KPI_ADDITIVE, "spend")][:4]
        before: dict[str, float | None] = {}
        day = span.first
        while charted and day <= span.last:
            daily_ctx = self.context(m, Span(span.first, day, self.zone), today)
            for kpi, origin, platform, _ in charted:
                series = f"progress.{kpi}:{origin}:{platform}"
                value = self.kpi(daily_ctx, kpi, origin, platform)[0]
                out[f"{series}.{day.isoformat()}.cumulative"] = value
                out[f"{series}.{day.isoformat()}.daily"] = (
                    None if value is None else value - (before.get(series) or 0.0)
                )
                if value is not None:
                    before[series] = value
            day += timedelta(days=1)
        members = {p for posts in m.posts.values() for p in posts}
        if members:
            views = self.post_views(span, members)
            ranked = sorted(
                ((v["total"], post) for post, v in views.items() if v["total"] > 0),
                key=lambda item: (-item[0], item[1]),
            )[:5]
            for value, post in ranked:
                ext = self.rows("SELECT external_id FROM posts WHERE id = ?", [post])[0][0]
                out[f"top_content.{self.platform_of(post)}:{ext}.views"] = value
        for platform, roots in m.roots.items():
            for root in roots:
                ext = self.rows("SELECT external_id FROM ad_entities WHERE id = ?", [root])[0][0]
                r = self.flight_reach(platform, root, as_of)
                out[f"ad_campaigns.{platform}:{ext}.reach.value"] = r.value if r else None
                out[f"ad_campaigns.{platform}:{ext}.reach.parts"] = r.parts if r else None
        return out

    def tables(self, out: Figures, ctx: dict[str, Any], m: Members) -> None:
        rows = {}
        for p, c in ctx.items():
            sp, reach = c["split"], c["reach"]
            spend, impressions = sp["spend"].paid, sp["impressions"].paid
            paid_reach = reach["paid"]
            row = {
                "organic.posts": len(m.posts.get(p, ())),
                "organic.views": sp["views"].organic,
                "organic.engagements": sp["engagements"].organic,
                "organic.clicks": sp["clicks"].organic,
                "paid.ad_campaigns": len(m.roots.get(p, ())),
                "paid.views": sp["views"].paid,
                "paid.impressions": impressions,
                "paid.clicks": sp["clicks"].paid,
                "paid.link_clicks": sp["link_clicks"].paid,
                "paid.engagements": sp["engagements"].paid,
                "paid.follower_gain": sp["follower_gain"].paid,
                "paid.spend": spend,
                "paid.cpm": None
                if div(spend, impressions) is None
                else div(spend, impressions) * 1000,  # type: ignore[operator]
                "paid.cpc": div(spend, sp["clicks"].paid),
                "paid.cost_per_1000_reached": None
                if div(spend, paid_reach.value if paid_reach else None) is None
                else div(spend, paid_reach.value) * 1000,  # type: ignore[union-attr,operator]
                "total.views": sp["views"].total,
                "total.engagements": sp["engagements"].total,
                "total.follower_gain": sp["follower_gain"].total,
            }
            for origin in ("organic", "paid"):
                r = reach[origin]
                row[f"{origin}.reach.value"] = r.value if r else None
                row[f"{origin}.reach.parts"] = r.parts if r else None
            rows[p] = row
            for key, value in row.items():
                out[f"platforms.{p}.{key}"] = value
        totals: dict[str, Any] = {}
        for key in ("organic.views", "organic.engagements", "paid.views", "paid.impressions",
                    "paid.clicks", "paid.link_clicks", "paid.spend", "total.views",
                    "total.engagements"):  # fmt: skip
            totals[key] = add(*(r[key] for r in rows.values()))
        totals["organic.posts"] = sum(r["organic.posts"] for r in rows.values())
        for origin in ("organic", "paid"):
            parts = [ctx[p]["reach"][origin] for p in ctx if ctx[p]["reach"][origin]]
            if len(parts) == 1:
                value, n = parts[0].value, parts[0].parts
            elif parts:
                value, n = sum(r.value for r in parts), len(parts)
            else:
                value = n = None
            totals[f"{origin}.reach.value"] = value
            totals[f"{origin}.reach.parts"] = n
        spend = totals["paid.spend"]
        totals["paid.cpm"] = (
            None
            if div(spend, totals["paid.impressions"]) is None
            else div(spend, totals["paid.impressions"]) * 1000
        )  # type: ignore[operator]
        totals["paid.cpc"] = div(spend, totals["paid.clicks"])
        per = div(spend, totals["paid.reach.value"])
        totals["paid.cost_per_1000_reached"] = None if per is None else per * 1000
        for key, value in totals.items():
            out[f"totals.{key}"] = value


# --- the partner report -----------------------------------------------------------------------


class PartnerAudit(CampaignAudit):
    """Every figure of the partner report for a year."""

    def run_partner(self, partner_id: int, year: int, now: datetime) -> Figures:
        out: Figures = {}
        today = now.astimezone(ZoneInfo(self.zone)).date()
        year_span = Span(date(year, 1, 1), date(year, 12, 31), self.zone)
        as_of = min(today - timedelta(days=1), year_span.last)
        span = Span(year_span.first, max(year_span.first, as_of), self.zone)
        campaigns = [
            r[0]
            for r in self.rows(
                """SELECT id FROM campaigns WHERE partner_id = ? AND start_date <= ? AND end_date >= ?
                   ORDER BY start_date""",
                [partner_id, year_span.last.isoformat(), year_span.first.isoformat()],
            )
        ]
        members = {c: self.members(c) for c in campaigns}
        posts = {
            r[0]
            for r in self.rows(
                "SELECT post_id FROM calendar_slots WHERE partner_id = ? AND post_id IS NOT NULL",
                [partner_id],
            )
        }
        for _, m in members.values():
            for ids in m.posts.values():
                posts |= ids
        posts = {
            p
            for p in posts
            if year_span.start
            <= self.rows("SELECT published_at FROM posts WHERE id = ?", [p])[0][0]
            < year_span.end
        }
        views = self.post_views(span, posts)
        content_views = []
        estimated = 0
        for post in sorted(posts):
            ext = self.rows("SELECT external_id FROM posts WHERE id = ?", [post])[0][0]
            key = f"content.{self.platform_of(post)}:{ext}"
            v = views.get(post)
            out[f"{key}.views"] = v["total"] if v else None
            out[f"{key}.views_organic"] = v["organic"] if v else None
            out[f"{key}.views_paid"] = v["paid"] if v else None
            estimated += bool(v and v["estimated"])
            if v:
                content_views.append(v["total"])
            r = self.lifetime_reach(post, self.platform_of(post), today)
            out[f"{key}.reach.value"] = r.value if r else None
            out[f"{key}.reach.parts"] = 1 if r else None
        # The year cut at every month and campaign boundary, each piece measured on its own.
        cuts = {span.first, span.last + timedelta(days=1)}
        d = date(span.first.year, span.first.month, 1)
        while d <= span.last:
            d = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
            cuts.add(d)
        for info, _ in members.values():
            cuts |= {info["start"], info["end"] + timedelta(days=1)}
        edges = sorted(c for c in cuts if span.first <= c <= span.last + timedelta(days=1))
        platforms = sorted(
            {self.platform_of(p) for p in posts} | {p for _, m in members.values() for p in m.roots}
        )
        monthly: dict[str, dict[str, float | None]] = {}
        per_platform: dict[str, dict[str, float | None]] = {}
        for first, after in zip(edges, edges[1:], strict=False):
            piece = Span(first, after - timedelta(days=1), self.zone)
            month = monthly.setdefault(
                first.strftime("%Y-%m"), {"total": None, "organic": None, "paid": None}
            )
            for platform in platforms:
                roots = [
                    r
                    for info, m in members.values()
                    if info["start"] <= piece.first and piece.last <= info["end"]
                    for r in m.roots.get(platform, [])
                ]
                mine = {p for p in posts if self.platform_of(p) == platform}
                s = self.split(platform, HEADLINE[platform], piece, mine, roots)
                row = per_platform.setdefault(
                    platform, {"total": None, "organic": None, "paid": None}
                )
                for origin in ("total", "organic", "paid"):
                    row[origin] = add(row[origin], getattr(s, origin))
                    month[origin] = add(month[origin], getattr(s, origin))
        for key, row in monthly.items():
            out[f"monthly.{key}.views"] = row["total"]
            out[f"monthly.{key}.views_organic"] = row["organic"]
            out[f"monthly.{key}.views_paid"] = row["paid"]
        for platform, row in per_platform.items():
            mine = [p for p in posts if self.platform_of(p) == platform]
            out[f"by_platform.{platform}.posts"] = len(mine)
            out[f"by_platform.{platform}.views"] = row["total"]
            out[f"by_platform.{platform}.views_organic"] = row["organic"]
            out[f"by_platform.{platform}.views_paid"] = row["paid"]
            r = self.posts_reach(set(mine), today)
            out[f"by_platform.{platform}.reach.value"] = r.value if r else None
            out[f"by_platform.{platform}.reach.parts"] = r.parts if r else None
        total = {
            o: add(*(r[o] for r in per_platform.values())) for o in ("total", "organic", "paid")
        }
        out["totals.posts"] = len(posts)
        out["totals.views"] = total["total"]
        out["totals.views_organic"] = total["organic"]
        out["totals.views_paid"] = total["paid"]
        out["totals.views_other"] = (
            None if total["total"] is None else max(0.0, total["total"] - sum(content_views))
        )
        out["totals.estimated_posts"] = estimated
        r = self.posts_reach(posts, today)
        out["totals.reach.value"] = r.value if r else None
        out["totals.reach.parts"] = r.parts if r else None
        spend = impressions = None
        reaches: list[Reach | None] = []
        for info, m in members.values():
            piece = Span(max(info["start"], span.first), min(info["end"], span.last), self.zone)
            if piece.last < piece.first:
                continue
            ctx = self.context(m, piece, today)
            row_spend = self.kpi(ctx, "spend", "paid", "all")[0]
            row_impr = self.kpi(ctx, "impressions", "paid", "all")[0]
            reach = Audit.reach_sum([ctx[p]["reach"]["paid"] for p in ctx], "sum_across_platforms")
            key = f"campaigns.{info['name']}"
            out[f"{key}.spend"] = row_spend
            out[f"{key}.impressions"] = row_impr
            out[f"{key}.views_paid"] = self.kpi(ctx, "views", "paid", "all")[0]
            out[f"{key}.reach.value"] = reach.value if reach else None
            out[f"{key}.reach.parts"] = reach.parts if reach else None
            spend, impressions = add(spend, row_spend), add(impressions, row_impr)
            reaches.append(reach)
        out["totals.spend"] = spend
        out["totals.impressions_paid"] = impressions
        total_reach = Audit.reach_sum(reaches, "sum_across_campaigns")
        out["totals.reach_paid.value"] = total_reach.value if total_reach else None
        out["totals.reach_paid.parts"] = total_reach.parts if total_reach else None
        out["totals.briefs"] = self.rows(
            "SELECT COUNT(*) FROM briefs WHERE partner_id = ? AND deadline >= ? AND deadline <= ?",
            [partner_id, year_span.first.isoformat(), year_span.last.isoformat() + "T99"],
        )[0][0]
        return out


# --- the reports' JSON under the same keys ----------------------------------------------------

# Numbers in the JSON that are inputs, settings or positions rather than figures, and the
# bootstrap interval (a random resample: its inputs, the ratios, are audited).
NOT_FIGURES = re.compile(
    r"^(schema_version|year|campaign\.budget|kpis\..*\.target|progress\..*\.target"
    r"|what_worked\.(age_days|pattern_days|pattern\.ci_low|pattern\.ci_high)"
    r"|top_posts\..*\.rank|revised\..*\.(reported|change))$"
)


def keyed(report: dict[str, Any]) -> Figures:
    """A report's numbers under the audit's keys."""
    out: Figures = {}

    def walk(value: Any, prefix: str) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, f"{prefix}.{k}" if prefix else k)
        elif isinstance(value, bool):
            return
        elif isinstance(value, int | float) or value is None:
            out[prefix] = None if value is None else float(value)

    kind = report["kind"]
    if kind == "weekly":
        for p in report["platforms"]:
            name = p["platform"]
            for key in ("followers", "views", "engagements", "engagement_rate", "reach", "paid"):
                walk(p[key], f"{name}.{key}")
            walk(p["posts_published"], f"{name}.posts_published")
            walk(p["first_seen_posts"], f"{name}.first_seen_posts")
            walk(p["week_on_week"], f"{name}.wow")
        t = report["total"]
        for key in ("followers", "views", "engagements", "engagement_rate", "paid", "reach_sum"):
            walk(t[key], f"total.{key}")
        walk(t["posts_published"], "total.posts_published")
        walk(t["week_on_week"], "total.wow")
        for post in report["top_posts"]:
            for key in ("views_gained", "views_paid", "views_to_date", "rank"):
                walk(post[key], f"top_posts.{post['id']}.{key}")
        a = report["adherence"]
        for m in a["members"]:
            for key in ("planned", "published", "rate"):
                walk(m[key], f"adherence.{m['member'] or '-'}.{key}")
        for key in ("planned", "published", "rate"):
            walk(a[key], f"adherence.{key}")
        for f in report["freshness"]:
            walk(f["age_hours"], f"freshness.{f['platform']}.age_hours")
        w = report["what_worked"]
        for key in ("age_days", "pattern_days", "matured_posts"):
            walk(w[key], f"what_worked.{key}")
        for post in w["posts"]:
            for key in ("views_at_age", "ratio"):
                walk(post[key], f"what_worked.posts.{post['id']}.{key}")
        if w["pattern"]:
            for key in ("typical_ratio", "ci_low", "ci_high", "posts"):
                walk(w["pattern"][key], f"what_worked.pattern.{key}")
        for change in (report["revised"] or {}).get("changes", []):
            for key in ("reported", "now", "change"):
                walk(change[key], f"revised.{change['figure']}.{key}")
        walk(report["schema_version"], "schema_version")
    elif kind == "campaign":
        c = report["campaign"]
        for key in ("elapsed_days", "duration_days", "posts", "budget"):
            walk(c[key], f"campaign.{key}")
        for a in c["ad_campaigns"]:
            reach = a["reach"] or {}
            walk(reach.get("value"), f"ad_campaigns.{a['platform']}:{a['id']}.reach.value")
            walk(reach.get("parts"), f"ad_campaigns.{a['platform']}:{a['id']}.reach.parts")
        for k in report["kpis"]:
            key = f"kpis.{k['kpi']}:{k['origin']}:{k['platform']}"
            for field_ in ("target", "actual", "attainment"):
                walk(k[field_], f"{key}.{field_}")
            if k["pacing"]:
                for field_ in ("expected_to_date", "projection"):
                    walk(k["pacing"][field_], f"{key}.pacing.{field_}")
        for p in report["platforms"]:
            for origin in ("organic", "paid", "total"):
                for key, value in p[origin].items():
                    if isinstance(value, dict):
                        walk(value.get("value"), f"platforms.{p['platform']}.{origin}.{key}.value")
                        walk(value.get("parts"), f"platforms.{p['platform']}.{origin}.{key}.parts")
                    else:
                        walk(value, f"platforms.{p['platform']}.{origin}.{key}")
        if report["platforms"]:
            for origin, block in report["totals"].items():
                for key, value in block.items():
                    if isinstance(value, dict) or value is None and key == "reach":
                        walk((value or {}).get("value"), f"totals.{origin}.{key}.value")
                        walk((value or {}).get("parts"), f"totals.{origin}.{key}.parts")
                    else:
                        walk(value, f"totals.{origin}.{key}")
        for s in report["progress"]:
            key = f"progress.{s['kpi']}:{s['origin']}:{s['platform']}"
            walk(s["target"], f"{key}.target")
            for day, cumulative, daily in zip(s["dates"], s["cumulative"], s["daily"], strict=True):
                walk(cumulative, f"{key}.{day}.cumulative")
                walk(daily, f"{key}.{day}.daily")
        for post in report["top_content"]:
            walk(post["views"], f"top_content.{post['platform']}:{post['id']}.views")
        walk(report["schema_version"], "schema_version")
    else:
        for post in report["content"]:
            key = f"content.{post['platform']}:{post['id']}"
            for field_ in ("views", "views_organic", "views_paid"):
                walk(post[field_], f"{key}.{field_}")
            walk((post["reach"] or {}).get("value"), f"{key}.reach.value")
            walk((post["reach"] or {}).get("parts"), f"{key}.reach.parts")
        for b in report["by_platform"]:
            key = f"by_platform.{b['platform']}"
            for field_ in ("posts", "views", "views_organic", "views_paid"):
                walk(b[field_], f"{key}.{field_}")
            walk((b["reach"] or {}).get("value"), f"{key}.reach.value")
            walk((b["reach"] or {}).get("parts"), f"{key}.reach.parts")
        t = report["totals"]
        for field_, value in t.items():
            if isinstance(value, dict) or field_ in ("reach", "reach_paid"):
                walk((value or {}).get("value"), f"totals.{field_}.value")
                walk((value or {}).get("parts"), f"totals.{field_}.parts")
            else:
                walk(value, f"totals.{field_}")
        for c in report["campaigns"]:
            key = f"campaigns.{c['name']}"
            for field_ in ("spend", "impressions", "views_paid"):
                walk(c[field_], f"{key}.{field_}")
            walk((c["reach"] or {}).get("value"), f"{key}.reach.value")
            walk((c["reach"] or {}).get("parts"), f"{key}.reach.parts")
        for m in report["monthly"]:
            for field_ in ("views", "views_organic", "views_paid"):
                walk(m[field_], f"monthly.{m['month']}.{field_}")
        walk(report["schema_version"], "schema_version")
        walk(report["year"], "year")
    return out


def disagreements(report: dict[str, Any], audit: Figures) -> list[str]:
    """Every figure of the report the audit does not rebuild to the same value."""
    found = keyed(report)
    problems = []
    for key, value in sorted(found.items()):
        if NOT_FIGURES.match(key):
            continue
        if key not in audit:
            if value is not None:
                problems.append(f"{key}: {value} in the report, not rebuilt by the audit")
            continue
        expected = audit[key]
        expected = None if expected is None else round(float(expected), 6)
        if value is None or expected is None:
            if value != expected:
                problems.append(f"{key}: report {value}, audit {expected}")
        elif not math.isclose(value, expected, rel_tol=1e-9, abs_tol=1e-6):
            problems.append(f"{key}: report {value}, audit {expected}")
    for key, value in sorted(audit.items()):
        if key not in found and value is not None and not NOT_FIGURES.match(key):
            problems.append(f"{key}: audit {value}, missing from the report")
    return problems
