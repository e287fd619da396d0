"""Reads that one report build repeats, kept for the length of that build.

A report measures many windows on the same stored data: the campaign report
one per KPI and platform, and one more per day of the flight for its progress
chart. Two kinds of read are kept here while a build runs (`build`):

- what depends only on the stored rows, not on the window: the ad campaigns'
  trees, the top of each ad entity's tree, and which origins posts' counters have;
- with a `span` (the campaign's flight so far), the daily rows of ad statistics
  and the posts' snapshots inside it, read once, so that every window from the
  span's first day to any day in it is answered from memory with exactly the
  figures the SQL reads in `queries` give (the sums are SQLite's own running sums,
  added in the same order as its grouped sums).

Nothing is kept past the build: the web app keeps one connection for hours and
other connections write to the database between builds. Outside a build every
read goes straight to `queries`.
"""

from __future__ import annotations

import bisect
from collections.abc import Hashable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from social.reports import queries
from social.reports.window import Window


@dataclass
class _Memo:
    """One build's kept reads, for one database connection."""

    db: Database
    span: Window | None
    kept: dict[Hashable, Any] = field(default_factory=dict)


_ACTIVE: ContextVar[_Memo | None] = ContextVar("report_build_reads", default=None)


@contextmanager
def build(db: Database, span: Window | None = None) -> Iterator[None]:
    """Keep this build's repeated reads of `db` until the block ends (see the module docstring).

    `span`: windows starting on its first day and ending inside it are answered
    from its daily rows, read once. The block must not write to the database.
    """
    token = _ACTIVE.set(_Memo(db, span))
    try:
        yield
    finally:
        _ACTIVE.reset(token)


def _memo(db: Database) -> _Memo | None:
    memo = _ACTIVE.get()
    return memo if memo is not None and memo.db is db else None


def _prefix_of(memo: _Memo | None, window: Window) -> Window | None:
    """The build's span when the window runs from its first day to a day inside it."""
    if memo is None or memo.span is None:
        return None
    span = memo.span
    inside = window.start == span.start and window.zone == span.zone
    return span if inside and span.start <= window.end <= span.end else None


# --- window-independent reads ---------------------------------------------------------------


def ad_roots(db: Database, entity_ids: Iterable[int]) -> dict[int, int]:
    """queries.ad_roots, each entity's root read once per build."""
    memo = _memo(db)
    if memo is None:
        return queries.ad_roots(db, entity_ids)
    known: dict[int, int] = memo.kept.setdefault("ad_roots", {})
    ids = set(entity_ids)
    missing = ids - known.keys()
    if missing:
        known.update(queries.ad_roots(db, missing))
    return {i: known[i] for i in sorted(ids) if i in known}


def ad_trees(db: Database, platform: str, roots: Iterable[int]) -> dict[int, list[queries.AdNode]]:
    """queries.ad_trees, each campaign's tree read once per build."""
    memo = _memo(db)
    if memo is None:
        return queries.ad_trees(db, platform, roots)
    known: dict[int, list[queries.AdNode]] = memo.kept.setdefault(("ad_trees", platform), {})
    ids = set(roots)
    missing = ids - known.keys()
    if missing:
        found = queries.ad_trees(db, platform, missing)
        for root in missing:
            known[root] = found.get(root, [])
    return {i: known[i] for i in sorted(ids) if known[i]}


def snapshot_origins(db: Database, metrics: Sequence[str], post_ids: Iterable[int]) -> set[str]:
    """queries.snapshot_origins, read once per build for the same posts and metrics."""
    memo = _memo(db)
    if memo is None:
        return queries.snapshot_origins(db, metrics, post_ids)
    ids = frozenset(post_ids)
    key = ("snapshot_origins", tuple(metrics), ids)
    if key not in memo.kept:
        memo.kept[key] = queries.snapshot_origins(db, metrics, ids)
    return set(memo.kept[key])


def latest_origins(
    db: Database, post_ids: Iterable[int], metrics: Sequence[str]
) -> dict[int, set[str]]:
    """queries.latest_origins, read once per build for the same posts and metrics."""
    memo = _memo(db)
    if memo is None:
        return queries.latest_origins(db, post_ids, metrics)
    ids = frozenset(post_ids)
    key = ("latest_origins", tuple(metrics), ids)
    if key not in memo.kept:
        memo.kept[key] = queries.latest_origins(db, ids, metrics)
    return {pid: set(origins) for pid, origins in memo.kept[key].items()}


# --- daily rows of the span -----------------------------------------------------------------


def ad_entity_sums(
    db: Database,
    platform: str,
    metrics: Sequence[str],
    window: Window,
    entity_ids: Iterable[int] | None = None,
) -> dict[int, dict[str, float]]:
    """queries.ad_entity_sums; inside a build's span, from its daily rows read once."""
    memo = _memo(db)
    span = _prefix_of(memo, window)
    if memo is None or span is None or not metrics:
        return queries.ad_entity_sums(db, platform, metrics, window, entity_ids)
    key = ("ad_running_sums", platform, tuple(metrics))
    if key not in memo.kept:
        memo.kept[key] = queries.ad_running_sums(db, platform, metrics, span)
    rows: list[tuple[int, str, str, float]] = memo.kept[key]
    wanted = set(entity_ids) if entity_ids is not None else None
    last = window.end.isoformat()
    out: dict[int, dict[str, float]] = {}
    # By day: each entity's and metric's last running sum up to the window's end is its sum.
    for entity, metric, day, running in rows:
        if day > last:
            break
        if wanted is None or entity in wanted:
            out.setdefault(entity, {})[metric] = running
    return {e: out[e] for e in sorted(out)}


@dataclass
class _Counter:
    """One post's counter (metric, origin) as the span's snapshot reads see it."""

    post_id: int
    platform: str
    metric: str
    origin: str
    published_at: str
    latest_row: bool  # it has a post_latest row (a listed or newly published post's candidate)
    at_start: float | None  # the latest value at or before the span's start
    first: str | None  # 'captured_at value' of its first snapshot ever
    moments: list[str]  # captures inside the span, in time order
    values: list[float]


def snapshot_gains(
    db: Database,
    metrics: Sequence[str],
    window: Window,
    *,
    platform: str | None = None,
    post_ids: Iterable[int] | None = None,
) -> list[queries.Gain]:
    """queries.snapshot_gains; for listed posts inside a build's span, from snapshots read once."""
    memo = _memo(db)
    span = _prefix_of(memo, window)
    if memo is None or span is None or post_ids is None or not metrics:
        return queries.snapshot_gains(db, metrics, window, platform=platform, post_ids=post_ids)
    ids = frozenset(post_ids)
    if not ids:
        return []
    key = ("span_counters", ids)
    if key not in memo.kept:
        memo.kept[key] = _counters(db, span, ids)
    of_metrics = ("span_counters", ids, tuple(metrics))
    if of_metrics not in memo.kept:
        memo.kept[of_metrics] = [c for c in memo.kept[key] if c.metric in metrics]
    counters: list[_Counter] = memo.kept[of_metrics]
    end_iso = window.end_iso
    out = []
    for c in counters:
        # queries.snapshot_gains' candidates: a capture inside the window (on the platform
        # asked for), or a post_latest row of a listed post published before the window's end.
        ends_at = bisect.bisect_right(c.moments, end_iso)
        captured = ends_at > 0 and (not platform or c.platform == platform)
        if not captured and not (c.latest_row and c.published_at < end_iso):
            continue
        at_end = c.values[ends_at - 1] if ends_at else c.at_start
        out.append(
            queries.gain_of(
                c.post_id,
                c.platform,
                c.metric,
                c.origin,
                c.published_at,
                at_end,
                c.at_start,
                c.first,
                window,
            )
        )
    return out


def _counters(db: Database, span: Window, post_ids: frozenset[int]) -> list[_Counter]:
    """Every counter of the listed posts with its values at and inside the span."""
    out: dict[tuple[int, str, str], _Counter] = {}
    for row in queries.span_counters(db, span, post_ids):
        post_id, platform, metric, origin, published_at, latest_row, at_start, first = row
        out[(post_id, metric, origin)] = _Counter(
            post_id, platform, metric, origin, published_at, latest_row, at_start, first, [], []
        )
    for post_id, metric, origin, moment, value in queries.span_snapshots(db, span, post_ids):
        counter = out.get((post_id, metric, origin))
        if counter is not None:  # None: a snapshot of a post no longer stored (no candidate)
            counter.moments.append(moment)
            counter.values.append(value)
    # queries.snapshot_gains returns its rows by post, metric and origin.
    return [out[k] for k in sorted(out)]
