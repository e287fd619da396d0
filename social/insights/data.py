"""Load posts with their views at a fixed age, themes, owners, timing and where views came from.

Every platform with posts counts, by its headline figure (`Views.concept` in the
registry: views, or impressions where a platform counts those). A post's value at the age is read from its
counter snapshots and, where those are missing (a video the platform's listing
never returned, or days before the first sync), from the lifetime totals a
platform reports per video. Everything is read in a few queries for
all posts at once, never a query per post.
"""

from __future__ import annotations

import json
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from core.catalogue import metrics_for
from core.timeutil import from_utc_iso, to_utc_iso
from social.insights.themes import theme_mapping, themes_of
from social.reports.measures import views_concept

# Read per post beside views, where a platform gives them: the catalogue's concepts.
WATCH_CONCEPTS = ("avg_watch_time", "completion_rate")
ORIGINS = ("total", "organic", "paid")
CHUNK = 500


@dataclass
class PostPerformance:
    """One post, its views at the comparison age and what describes it."""

    post_id: int
    platform: str
    account_id: int
    external_id: str
    caption: str
    published: datetime  # local time
    views: float
    exact_age: bool  # False when the first measurement was already older than the age
    themes: list[str]
    owners: list[str] = field(default_factory=list)
    format: str = ""
    duration_s: float | None = None
    watch_time_s: float | None = None
    completion_rate: float | None = None
    ratio: float | None = None  # views / the account's running median at the same age
    baseline: float | None = None
    first_measured: datetime | None = None  # UTC
    sources: dict[str, float] = field(default_factory=dict)  # impression source -> share


def names_for(platform: str) -> list[str]:
    """The metrics that hold a platform's headline figure per post."""
    return [m.metric for m in metrics_for(views_concept(platform), platform)]


def load_posts(
    db: Database,
    *,
    zone: str,
    age_days: int,
    hashtag_themes: dict[str, str],
    platform: str | None = None,
    since: date | None = None,
    published_from: datetime | None = None,
    now: datetime,
) -> list[PostPerformance]:
    """Posts old enough to have reached the age, oldest first, with views at that age.

    `since` is a local date (the CLI's --since); `published_from` a UTC moment that
    bounds the read (the weekly report loads only the posts it needs).
    """
    tz = ZoneInfo(zone)
    mapping = theme_mapping(hashtag_themes)
    cutoff = to_utc_iso(now - timedelta(days=age_days))
    where = ["p.published_at <= ?"]
    params: list[object] = [cutoff]
    if platform:
        where.append("p.platform = ?")
        params.append(platform)
    if published_from is not None:
        where.append("p.published_at >= ?")
        params.append(to_utc_iso(published_from))
    rows = db.execute(
        f"""SELECT p.id, p.platform, p.account_id, p.external_id, p.caption, p.published_at,
                   p.format, p.duration_s,
                   (SELECT json_group_array(t.value) FROM calendar_slots s, json_each(s.tags) t
                     WHERE s.post_id = p.id),
                   (SELECT json_group_array(m.name) FROM calendar_slots s
                      JOIN slot_owners o ON o.slot_id = s.id
                      JOIN team_members m ON m.id = o.member_id WHERE s.post_id = p.id)
            FROM posts p WHERE {" AND ".join(where)} ORDER BY p.published_at, p.id""",
        params,
    ).fetchall()
    if since:
        rows = [r for r in rows if from_utc_iso(r[5]).astimezone(tz).date() >= since]
    ids = [int(r[0]) for r in rows]
    names = {plat: names_for(plat) for plat in {r[1] for r in rows}}
    age = timedelta(days=age_days)
    moments = {int(r[0]): to_utc_iso(from_utc_iso(r[5]) + age) for r in rows}
    points = _points(db, [(int(r[0]), names[r[1]], moments[int(r[0])]) for r in rows])
    watch = _watch(db, ids)
    sources = _sources(db, ids)
    out = []
    for pid, plat, account, ext, caption, published, fmt, duration, tags, owners in rows:
        published_at = from_utc_iso(published)
        series = _series(points.get(int(pid), {}), names[plat])
        at_age = _value_at(series, moments[int(pid)])
        if at_age is None:
            continue
        views, exact, first = at_age
        out.append(
            PostPerformance(
                int(pid),
                plat,
                int(account),
                ext,
                caption or "",
                published_at.astimezone(tz),
                views,
                exact,
                themes_of(caption or "", json.loads(tags or "[]"), mapping),
                sorted(set(json.loads(owners or "[]"))),
                fmt or "",
                duration,
                watch.get(int(pid), {}).get("avg_watch_time"),
                watch.get(int(pid), {}).get("completion_rate"),
                first_measured=first,
                sources=sources.get(int(pid), {}),
            )
        )
    return out


def history_start(
    db: Database, published_before: datetime, posts: int, platform: str | None = None
) -> datetime | None:
    """The publication time `posts` posts before a moment, per account at the most: where a
    bounded read must start for every post's running baseline to be complete."""
    params: list[object] = [to_utc_iso(published_before)]
    clause = ""
    if platform:
        clause = " AND platform = ?"
        params.append(platform)
    earliest: datetime | None = None
    accounts = [
        r[0]
        for r in db.execute(
            f"SELECT DISTINCT account_id FROM posts WHERE published_at < ?{clause}", params
        )
    ]
    for account in accounts:
        row = db.execute(
            """SELECT published_at FROM posts WHERE account_id = ? AND published_at < ?
               ORDER BY published_at DESC LIMIT 1 OFFSET ?""",
            [account, to_utc_iso(published_before), posts - 1],
        ).fetchone()
        if row is None:
            return None  # this account's whole history is needed
        moment = from_utc_iso(row[0])
        earliest = moment if earliest is None or moment < earliest else earliest
    return earliest


# metric -> origin -> (UTC ISO moment, value); stored UTC ISO strings sort like the moments.
Points = dict[str, dict[str, list[tuple[str, float]]]]


def _chunks(ids: Sequence[int]) -> Iterable[list[int]]:
    for i in range(0, len(ids), CHUNK):
        yield list(ids[i : i + CHUNK])


def _points(db: Database, targets: Sequence[tuple[int, list[str], str]]) -> dict[int, Points]:
    """The measurements of each post's counters that decide its value at a moment.

    `targets` holds (post id, the metrics that may hold its views in catalogue order,
    the UTC ISO moment). Only the first metric with measurements counts (`_series`),
    so metrics are tried in that order, each only for the posts still without one.
    Lifetime totals the platform reported per post (at the moment they were
    collected) are few and read whole; counter snapshots are many (one per change),
    so SQL seeks only the three that `_interpolate` can use per series: the first,
    the last at or before the moment and the first after it. Interpolating over
    these gives the same value as over every point.
    """
    out: dict[int, Points] = {}

    def add(pid: int, metric: str, origin: str, moment: str, value: float) -> None:
        out.setdefault(pid, {}).setdefault(metric, {}).setdefault(origin, []).append(
            (moment, value)
        )

    metrics = sorted({metric for _, names, _ in targets for metric in names})
    if not metrics:
        return out
    for pid, metric, origin, moment, value in db.execute(
        f"""SELECT subject_id, metric, origin, collected_at, value FROM metric_values
            WHERE subject_type = 'post' AND subject_id IN (SELECT value FROM json_each(?))
              AND grain = 'lifetime' AND metric IN ({",".join("?" * len(metrics))})""",
        [json.dumps([pid for pid, _, _ in targets]), *metrics],
    ):
        add(int(pid), metric, origin, moment, float(value))
    rank = 0
    while True:
        combos = [
            [pid, names[rank], origin, at]
            for pid, names, at in targets
            if rank < len(names) and not any(m in out.get(pid, {}) for m in names[:rank])
            for origin in ORIGINS
        ]
        if not combos:
            return out
        for pid, metric, origin, *found in db.execute(_NEIGHBOURS, [json.dumps(combos)]):
            for point in set(found) - {None}:
                moment, _, value = point.partition(" ")
                add(int(pid), metric, origin, moment, float(value))
        rank += 1


_SEEK = """(SELECT captured_at || ' ' || value FROM post_snapshots s
            WHERE s.post_id = k.pid AND s.metric = k.metric AND s.origin = k.origin {})"""
# For each [post id, metric, origin, moment]: its first snapshot, the last at or
# before the moment, the first after it ("moment value" each), where it has any.
_NEIGHBOURS = f"""
    WITH k(pid, metric, origin, at) AS (
        SELECT value->>0, value->>1, value->>2, value->>3 FROM json_each(?))
    SELECT * FROM (
        SELECT pid, metric, origin,
               {_SEEK.format("ORDER BY captured_at LIMIT 1")} AS first,
               {_SEEK.format("AND captured_at <= k.at ORDER BY captured_at DESC LIMIT 1")},
               {_SEEK.format("AND captured_at > k.at ORDER BY captured_at LIMIT 1")}
        FROM k)
    WHERE first IS NOT NULL"""


def _series(points: Points, names: list[str]) -> dict[str, list[tuple[str, float]]]:
    """The first metric (catalogue order) with measurements: its points per origin, in order.

    A counter that holds every view (origin 'total') is used alone; else organic and paid
    are added (rule 3: never both).
    """
    metric = next((m for m in names if m in points), None)
    if metric is None:
        return {}
    by_origin = points[metric]
    use = {"total"} if "total" in by_origin else set(by_origin)
    return {o: sorted(set(by_origin[o])) for o in use}


def _value_at(
    series: dict[str, list[tuple[str, float]]], at: str
) -> tuple[float, bool, datetime] | None:
    """Views at a UTC ISO moment (interpolated between measurements), whether exact, first
    measured."""
    if not series:
        return None
    total = 0.0
    exact = True
    first = min(points[0][0] for points in series.values() if points)
    for points in series.values():
        value, point_exact = _interpolate(points, at)
        total += value
        exact = exact and point_exact
    return total, exact, from_utc_iso(first)


def _interpolate(points: list[tuple[str, float]], at: str) -> tuple[float, bool]:
    index = bisect_right(points, (at, float("inf")))
    if 0 < index < len(points):
        (t0, v0), (t1, v1) = points[index - 1], points[index]
        start, end = from_utc_iso(t0), from_utc_iso(t1)
        share = (from_utc_iso(at) - start).total_seconds() / max((end - start).total_seconds(), 1)
        return v0 + (v1 - v0) * share, True
    if index:
        # Snapshots are written only on change: no later one means the value stayed put.
        return points[-1][1], True
    # First measured only after the age: its earliest value is an upper bound of views then.
    return points[0][1], False


def _watch(db: Database, ids: Sequence[int]) -> dict[int, dict[str, float]]:
    """Latest average watch time and completion rate per post, by concept (WATCH_CONCEPTS)."""
    out: dict[int, dict[str, float]] = {}
    concept_of = {m.metric: m.concept for c in WATCH_CONCEPTS for m in metrics_for(c)}
    if not ids or not concept_of:
        return out
    metrics = sorted(concept_of)
    marks = ",".join("?" * len(metrics))
    latest: dict[tuple[int, str], str] = {}
    for chunk in _chunks(ids):
        id_marks = ",".join("?" * len(chunk))
        for pid, metric, moment, value in db.execute(
            f"""SELECT post_id, metric, captured_at, value FROM post_latest
                WHERE post_id IN ({id_marks}) AND metric IN ({marks})
                UNION ALL
                SELECT subject_id, metric, collected_at, value FROM metric_values
                WHERE subject_type = 'post' AND subject_id IN ({id_marks})
                  AND grain = 'lifetime' AND metric IN ({marks})""",
            [*chunk, *metrics, *chunk, *metrics],
        ):
            key = (int(pid), metric)
            if key not in latest or moment > latest[key]:
                latest[key] = moment
                out.setdefault(int(pid), {})[concept_of[metric]] = float(value)
    return out


def _sources(db: Database, ids: Sequence[int]) -> dict[int, dict[str, float]]:
    """Where each post's views came from (For You, Search, Follow...), as shares 0..1."""
    out: dict[int, dict[str, float]] = {}
    for chunk in _chunks(ids):
        id_marks = ",".join("?" * len(chunk))
        for pid, key, value in db.execute(
            f"""SELECT post_id, key, value FROM post_breakdowns
                WHERE dimension = 'impression_source' AND post_id IN ({id_marks})""",
            chunk,
        ):
            out.setdefault(int(pid), {})[str(key)] = float(value)
    return out


def describe_points(posts: Sequence[PostPerformance]) -> dict[str, Any]:
    """How old the data is: when measuring started and how many posts were measured late."""
    late = [p for p in posts if not p.exact_age]
    firsts = [p.first_measured for p in posts if p.first_measured is not None]
    return {
        "first_measured": min(firsts) if firsts else None,
        "posts_measured_late": len(late),
    }
