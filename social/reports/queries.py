"""SQL reads for reports, each bounded by the report's window.

Every query filters on window dates (metric_values.window_start, indexed with
platform and grain), on capture or publish moments (post_snapshots.captured_at,
posts.published_at, calendar_slots.planned_at, all indexed), or on a short list
of ids, so a report's cost follows its window and not the years of history
behind it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlite_utils import Database

from core.catalogue import metrics_for
from core.timeutil import from_utc_iso
from social.reports.window import Window

CONTENT = "content"  # accounts that publish (organic, business, page, organization)
ADS = "ads"
AD_LEVELS = ("campaign", "adgroup", "ad")


def names(concept: str, platform: str) -> list[str]:
    """The platform's own metric names for a concept, in catalogue order."""
    return [m.metric for m in metrics_for(concept, platform)]


def _marks(items: Sequence[Any]) -> str:
    return ",".join("?" * len(items))


def _kind_clause(kind: str) -> str:
    return "a.kind = 'ads'" if kind == ADS else "a.kind != 'ads'"


# --- account-level series -------------------------------------------------------------------


@dataclass
class DaySum:
    """The sum of one metric's daily rows in a window, per origin, and how many days had a row."""

    value: float
    days: int


def account_day(
    db: Database, platform: str, metrics: Sequence[str], window: Window, *, kind: str = CONTENT
) -> dict[str, dict[str, DaySum]]:
    """metric -> origin -> sum of grain-'day' account rows inside the window."""
    if not metrics:
        return {}
    out: dict[str, dict[str, DaySum]] = {}
    for metric, origin, total, days in db.execute(
        f"""SELECT v.metric, v.origin, SUM(v.value), COUNT(DISTINCT v.window_start)
            FROM metric_values v JOIN accounts a ON a.id = v.account_id
            WHERE v.platform = ? AND v.grain = 'day' AND v.window_start BETWEEN ? AND ?
              AND v.subject_type = 'account' AND v.metric IN ({_marks(metrics)})
              AND {_kind_clause(kind)}
            GROUP BY v.metric, v.origin""",
        [platform, window.start.isoformat(), window.end.isoformat(), *metrics],
    ):
        out.setdefault(metric, {})[origin] = DaySum(float(total), int(days))
    return out


def account_window(
    db: Database,
    platform: str,
    metrics: Sequence[str],
    window: Window,
    grain: str,
    origin: str,
    *,
    kind: str = CONTENT,
) -> dict[str, list[float]]:
    """metric -> one value per account: rows whose window is exactly this window (e.g. a week)."""
    if not metrics:
        return {}
    out: dict[str, list[float]] = {}
    for metric, value in db.execute(
        f"""SELECT v.metric, v.value FROM metric_values v JOIN accounts a ON a.id = v.account_id
            WHERE v.platform = ? AND v.grain = ? AND v.window_start = ? AND v.window_end = ?
              AND v.subject_type = 'account' AND v.origin = ? AND v.metric IN ({_marks(metrics)})
              AND {_kind_clause(kind)}""",
        [platform, grain, window.start.isoformat(), window.end.isoformat(), origin, *metrics],
    ):
        out.setdefault(metric, []).append(float(value))
    return out


@dataclass
class Level:
    """A level metric (followers) summed over accounts, as of its latest collection date."""

    metric: str
    value: float
    as_of: date


def level(
    db: Database, platform: str, metrics: Sequence[str], on_or_before: date, *, lookback: int = 31
) -> Level | None:
    """The latest value of the first metric that has one, within `lookback` days before a date."""
    if not metrics:
        return None
    since = on_or_before - timedelta(days=lookback)
    rows = db.execute(
        f"""SELECT v.metric, v.account_id, v.value, v.window_end
            FROM metric_values v JOIN accounts a ON a.id = v.account_id
            WHERE v.platform = ? AND v.grain = 'day' AND v.window_start BETWEEN ? AND ?
              AND v.subject_type = 'account' AND v.metric IN ({_marks(metrics)})
              AND a.kind != 'ads'
            ORDER BY v.window_start DESC""",
        [platform, since.isoformat(), on_or_before.isoformat(), *metrics],
    ).fetchall()
    return level_of(rows, metrics)


def first_level_after(
    db: Database, platform: str, metrics: Sequence[str], after: date, *, lookahead: int = 31
) -> Level | None:
    """The earliest value of the first metric that has one, within `lookahead` days after a date."""
    for metric in metrics:
        row = db.execute(
            """SELECT MIN(v.window_end) FROM metric_values v JOIN accounts a ON a.id = v.account_id
               WHERE v.platform = ? AND v.grain = 'day' AND v.subject_type = 'account'
                 AND v.metric = ? AND a.kind != 'ads' AND v.window_start BETWEEN ? AND ?""",
            [
                platform,
                metric,
                (after + timedelta(days=1)).isoformat(),
                (after + timedelta(days=lookahead)).isoformat(),
            ],
        ).fetchone()
        if row and row[0]:
            total = db.execute(
                """SELECT SUM(v.value) FROM metric_values v JOIN accounts a ON a.id = v.account_id
                   WHERE v.platform = ? AND v.grain = 'day' AND v.subject_type = 'account'
                     AND v.metric = ? AND a.kind != 'ads' AND v.window_end = ?""",
                [platform, metric, row[0]],
            ).fetchone()[0]
            return Level(metric, float(total), date.fromisoformat(row[0]))
    return None


def level_of(rows: Iterable[Sequence[Any]], metrics: Sequence[str]) -> Level | None:
    """Pick the first metric (catalogue order) with rows; sum the latest value per account."""
    latest: dict[str, dict[int, tuple[float, str]]] = {}
    for metric, account, value, end in rows:
        per_account = latest.setdefault(metric, {})
        if account not in per_account or end > per_account[account][1]:
            per_account[account] = (float(value), end)
    for metric in metrics:
        if metric in latest:
            values = latest[metric].values()
            return Level(
                metric,
                sum(v for v, _ in values),
                date.fromisoformat(max(end for _, end in values)),
            )
    return None


# --- paid (ad entities) ---------------------------------------------------------------------


def ad_day(
    db: Database,
    platform: str,
    metrics: Sequence[str],
    window: Window,
    entity_ids: Iterable[int] | None = None,
) -> dict[str, DaySum]:
    """metric -> sum of daily paid rows of ad entities, at ONE level (campaign first).

    Stats stored for a campaign and for its ads describe the same impressions;
    taking a single level keeps them from being counted twice.
    """
    if not metrics:
        return {}
    params: list[Any] = [platform, window.start.isoformat(), window.end.isoformat(), *metrics]
    only = ""
    if entity_ids is not None:
        ids = sorted(set(entity_ids))
        if not ids:
            return {}
        only = f" AND e.id IN ({_marks(ids)})"
        params += ids
    by_level: dict[str, dict[str, DaySum]] = {}
    for lvl, metric, total, days in db.execute(
        f"""SELECT e.level, v.metric, SUM(v.value), COUNT(DISTINCT v.window_start)
            FROM metric_values v JOIN ad_entities e ON e.id = v.subject_id
            WHERE v.platform = ? AND v.grain = 'day' AND v.window_start BETWEEN ? AND ?
              AND v.subject_type = 'ad' AND v.origin = 'paid'
              AND v.metric IN ({_marks(metrics)}){only}
            GROUP BY e.level, v.metric""",
        params,
    ):
        by_level.setdefault(lvl, {})[metric] = DaySum(float(total), int(days))
    for lvl in AD_LEVELS:
        if lvl in by_level:
            return by_level[lvl]
    return {}


def ad_day_by_entity(
    db: Database, platform: str, metrics: Sequence[str], window: Window, entity_ids: Iterable[int]
) -> dict[int, dict[str, float]]:
    """entity id -> metric -> sum of its daily paid rows in the window."""
    ids = sorted(set(entity_ids))
    if not ids or not metrics:
        return {}
    out: dict[int, dict[str, float]] = {}
    for entity, metric, total in db.execute(
        f"""SELECT v.subject_id, v.metric, SUM(v.value) FROM metric_values v
            WHERE v.platform = ? AND v.grain = 'day' AND v.window_start BETWEEN ? AND ?
              AND v.subject_type = 'ad' AND v.origin = 'paid'
              AND v.metric IN ({_marks(metrics)}) AND v.subject_id IN ({_marks(ids)})
            GROUP BY v.subject_id, v.metric""",
        [platform, window.start.isoformat(), window.end.isoformat(), *metrics, *ids],
    ):
        out.setdefault(int(entity), {})[metric] = float(total)
    return out


def ad_window_rows(
    db: Database, platform: str, metrics: Sequence[str], window: Window, grain: str
) -> dict[str, list[tuple[int, float]]]:
    """metric -> (entity id, value) of campaign-level paid rows covering exactly this window."""
    if not metrics:
        return {}
    out: dict[str, list[tuple[int, float]]] = {}
    for metric, entity, value in db.execute(
        f"""SELECT v.metric, v.subject_id, v.value FROM metric_values v
            JOIN ad_entities e ON e.id = v.subject_id
            WHERE v.platform = ? AND v.grain = ? AND v.window_start = ? AND v.window_end = ?
              AND v.subject_type = 'ad' AND v.origin = 'paid' AND e.level = 'campaign'
              AND v.metric IN ({_marks(metrics)})""",
        [platform, grain, window.start.isoformat(), window.end.isoformat(), *metrics],
    ):
        out.setdefault(metric, []).append((int(entity), float(value)))
    return out


@dataclass(frozen=True)
class AdNode:
    """An ad entity under a campaign, with the post its ad promotes (ads only)."""

    id: int
    level: str
    promotes: str | None  # the promoted post's platform id (ad_entities.post_external_id)
    post_id: int | None  # our id of that post, when we have it


def ad_entity_sums(
    db: Database,
    platform: str,
    metrics: Sequence[str],
    window: Window,
    entity_ids: Iterable[int] | None = None,
) -> dict[int, dict[str, float]]:
    """entity id -> metric -> sum of its daily paid rows in the window (every level)."""
    if not metrics:
        return {}
    params: list[Any] = [platform, window.start.isoformat(), window.end.isoformat(), *metrics]
    only = ""
    if entity_ids is not None:
        ids = sorted(set(entity_ids))
        if not ids:
            return {}
        only = f" AND v.subject_id IN ({_marks(ids)})"
        params += ids
    out: dict[int, dict[str, float]] = {}
    for entity, metric, total in db.execute(
        f"""SELECT v.subject_id, v.metric, SUM(v.value) FROM metric_values v
            WHERE v.platform = ? AND v.grain = 'day' AND v.window_start BETWEEN ? AND ?
              AND v.subject_type = 'ad' AND v.origin = 'paid'
              AND v.metric IN ({_marks(metrics)}){only}
            GROUP BY v.subject_id, v.metric""",
        params,
    ):
        out.setdefault(int(entity), {})[metric] = float(total)
    return out


def ad_running_sums(
    db: Database, platform: str, metrics: Sequence[str], window: Window
) -> list[tuple[int, str, str, float]]:
    """(entity, metric, day, sum of its daily paid rows from the window's start to that day),
    by day: ad_entity_sums of every window from this one's start, in one read.

    The running sums are SQLite's own, adding the rows in the order ad_entity_sums' grouped
    sums add them (by day, then row), so each is the very float that query gives.
    """
    if not metrics:
        return []
    # The columns' types are the tuple's (subject_id INTEGER, value REAL): rows as they come.
    rows: list[tuple[int, str, str, float]] = db.execute(
        f"""SELECT v.subject_id, v.metric, v.window_start,
                  SUM(v.value) OVER (PARTITION BY v.subject_id, v.metric
                                     ORDER BY v.window_start, v.id ROWS UNBOUNDED PRECEDING)
                FROM metric_values v
                WHERE v.platform = ? AND v.grain = 'day' AND v.window_start BETWEEN ? AND ?
                  AND v.subject_type = 'ad' AND v.origin = 'paid'
                  AND v.metric IN ({_marks(metrics)})
                ORDER BY v.window_start, v.id""",
        [platform, window.start.isoformat(), window.end.isoformat(), *metrics],
    ).fetchall()
    return rows


def ad_roots(db: Database, entity_ids: Iterable[int]) -> dict[int, int]:
    """entity id -> the id of the top of its tree (its campaign), walking up by parent."""
    ids = sorted(set(entity_ids))
    if not ids:
        return {}
    out: dict[int, int] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        for start, root in db.execute(
            f"""WITH RECURSIVE up(start, id, parent) AS (
                    SELECT id, id, parent_id FROM ad_entities WHERE id IN ({_marks(chunk)})
                    UNION ALL
                    SELECT up.start, e.id, e.parent_id FROM ad_entities e JOIN up ON e.id = up.parent
                )
                SELECT start, id FROM up WHERE parent IS NULL""",
            chunk,
        ):
            out[int(start)] = int(root)
    return out


def ad_trees(db: Database, platform: str, roots: Iterable[int]) -> dict[int, list[AdNode]]:
    """root id -> every entity under it (itself included), with promoted posts resolved."""
    ids = sorted(set(roots))
    if not ids:
        return {}
    out: dict[int, list[AdNode]] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        for root, entity, level, promotes, post_id in db.execute(
            f"""WITH RECURSIVE tree(root, id, level, promotes) AS (
                    SELECT id, id, level, post_external_id FROM ad_entities
                    WHERE id IN ({_marks(chunk)})
                    UNION ALL
                    SELECT tree.root, e.id, e.level, e.post_external_id
                    FROM ad_entities e JOIN tree ON e.parent_id = tree.id
                )
                SELECT tree.root, tree.id, tree.level, tree.promotes, p.id
                FROM tree LEFT JOIN posts p ON p.platform = ? AND p.external_id = tree.promotes""",
            [*chunk, platform],
        ):
            out.setdefault(int(root), []).append(
                AdNode(int(entity), level, promotes, int(post_id) if post_id is not None else None)
            )
    return out


def campaign_entities(db: Database, platform: str) -> list[int]:
    """Ids of the platform's campaign-level ad entities."""
    return [
        int(r[0])
        for r in db.execute(
            "SELECT id FROM ad_entities WHERE platform = ? AND level = 'campaign'", [platform]
        )
    ]


def flights(db: Database, entity_ids: Iterable[int]) -> dict[int, tuple[str | None, str | None]]:
    """entity id -> (flight start, flight end) as stored (ISO dates or None)."""
    ids = sorted(set(entity_ids))
    if not ids:
        return {}
    return {
        int(r[0]): (r[1], r[2])
        for r in db.execute(
            f"SELECT id, start_date, end_date FROM ad_entities WHERE id IN ({_marks(ids)})", ids
        )
    }


def latest_origins(
    db: Database, post_ids: Iterable[int], metrics: Sequence[str]
) -> dict[int, set[str]]:
    """post id -> the origins its counters of these metrics are kept under."""
    ids = sorted(set(post_ids))
    if not ids or not metrics:
        return {}
    out: dict[int, set[str]] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        for pid, origin in db.execute(
            f"""SELECT DISTINCT post_id, origin FROM post_latest
                WHERE post_id IN ({_marks(chunk)}) AND metric IN ({_marks(metrics)})""",
            [*chunk, *metrics],
        ):
            out.setdefault(int(pid), set()).add(origin)
    return out


@dataclass
class WindowValue:
    """A unique count the platform computed for one window."""

    metric: str
    value: float
    start: date
    end: date
    grain: str


def entity_reach(
    db: Database, entity_id: int, metrics: Sequence[str], last_day: date
) -> list[WindowValue]:
    """An ad campaign's own reach for its flight: the latest 'campaign' row, else 'lifetime' or
    'window' rows.

    A flight longer than the platform can count at once is stored as consecutive
    windows; each window's latest row is returned (the caller labels their sum).
    """
    if not metrics:
        return []
    for grain in ("campaign", "lifetime", "window"):
        rows = db.execute(
            f"""SELECT metric, value, window_start, window_end FROM metric_values
                WHERE subject_type = 'ad' AND subject_id = ? AND origin = 'paid' AND grain = ?
                  AND metric IN ({_marks(metrics)}) AND window_end <= ?
                ORDER BY window_end DESC""",
            [entity_id, grain, *metrics, last_day.isoformat()],
        ).fetchall()
        if not rows:
            continue
        metric = next(m for m in metrics if any(r[0] == m for r in rows))
        if grain != "window":
            m, value, start, end = next(r for r in rows if r[0] == metric)
            return [
                WindowValue(
                    m, float(value), date.fromisoformat(start), date.fromisoformat(end), grain
                )
            ]
        latest: dict[str, WindowValue] = {}
        for m, value, start, end in rows:
            if m == metric and start not in latest:
                latest[start] = WindowValue(
                    m, float(value), date.fromisoformat(start), date.fromisoformat(end), grain
                )
        return [latest[k] for k in sorted(latest)]
    return []


def ad_entities(db: Database, platform: str, external_ids: Iterable[str]) -> list[dict[str, Any]]:
    """Campaign-level ad entities by their platform ids ('' platform = any platform)."""
    ids = sorted(set(external_ids))
    if not ids:
        return []
    sql = f"""SELECT id, platform, external_id, name, objective, status, start_date, end_date
              FROM ad_entities WHERE level = 'campaign' AND external_id IN ({_marks(ids)})"""
    params: list[Any] = list(ids)
    if platform:
        sql += " AND platform = ?"
        params.append(platform)
    cols = ("id", "platform", "external_id", "name", "objective", "status", "start", "end")
    return [dict(zip(cols, row, strict=True)) for row in db.execute(sql, params)]


# --- posts ----------------------------------------------------------------------------------


@dataclass
class Gain:
    """How much one post's lifetime counter grew inside a window (rule 2)."""

    post_id: int
    platform: str
    metric: str
    origin: str
    start_value: float
    end_value: float
    first_seen: bool  # published before the window, first captured inside it: start estimated

    @property
    def gain(self) -> float:
        return self.end_value - self.start_value


def snapshot_gains(
    db: Database,
    metrics: Sequence[str],
    window: Window,
    *,
    platform: str | None = None,
    post_ids: Iterable[int] | None = None,
) -> list[Gain]:
    """Per post and origin: the counter's value at the window end minus its value at the start.

    The value at a moment is the latest snapshot at or before it; 0 before the
    post was published; and between publication and the first snapshot, a
    straight line from 0 to that snapshot (an estimate, flagged), so that
    consecutive windows always add up to the post's total. Candidates are the
    posts captured or published inside the window (both indexed), plus any
    listed post_ids, so the cost follows the window, not the history.
    """
    if not metrics:
        return []
    metric_marks = _marks(metrics)
    ids = sorted(set(post_ids)) if post_ids is not None else None
    if ids is not None and not ids:
        return []
    # ?1 and ?2 are the window bounds, reused throughout.
    params: list[Any] = [window.start_iso, window.end_iso]
    # CROSS JOIN keeps SQLite driving from the capture-time range (it would otherwise walk
    # every post of the platform, a cost that grows with the history).
    captured = f"""SELECT s.post_id, s.metric, s.origin FROM post_snapshots s
                   CROSS JOIN posts p ON p.id = s.post_id
                   WHERE s.captured_at > ?1 AND s.captured_at <= ?2
                     AND s.metric IN ({metric_marks})"""
    published = f"""SELECT l.post_id, l.metric, l.origin FROM posts p
                    JOIN post_latest l ON l.post_id = p.id
                    WHERE p.published_at >= ?1 AND p.published_at < ?2
                      AND l.metric IN ({metric_marks})"""
    parts = []
    for sql in (captured, published):
        part_params: list[Any] = list(metrics)
        if platform:
            sql += " AND p.platform = ?"
            part_params.append(platform)
        if ids is not None:
            sql += f" AND p.id IN ({_marks(ids)})"
            part_params += ids
        parts.append(sql)
        params += part_params
    if ids is not None:
        parts.append(
            f"""SELECT l.post_id, l.metric, l.origin FROM post_latest l
                JOIN posts p ON p.id = l.post_id
                WHERE l.post_id IN ({_marks(ids)}) AND p.published_at < ?2
                  AND l.metric IN ({metric_marks})"""
        )
        params += [*ids, *metrics]
    rows = db.execute(
        f"""WITH moved AS ({" UNION ".join(parts)})
            SELECT m.post_id, p.platform, m.metric, m.origin, p.published_at,
              (SELECT value FROM post_snapshots s WHERE s.post_id = m.post_id
                 AND s.metric = m.metric AND s.origin = m.origin AND s.captured_at <= ?2
                 ORDER BY s.captured_at DESC LIMIT 1),
              (SELECT value FROM post_snapshots s WHERE s.post_id = m.post_id
                 AND s.metric = m.metric AND s.origin = m.origin AND s.captured_at <= ?1
                 ORDER BY s.captured_at DESC LIMIT 1),
              (SELECT captured_at || ' ' || value FROM post_snapshots s
                 WHERE s.post_id = m.post_id AND s.metric = m.metric AND s.origin = m.origin
                 ORDER BY s.captured_at ASC LIMIT 1)
            FROM moved m JOIN posts p ON p.id = m.post_id""",
        params,
    ).fetchall()
    return [
        gain_of(post_id, plat, metric, origin, published_at, at_end, at_start, first, window)
        for post_id, plat, metric, origin, published_at, at_end, at_start, first in rows
    ]


def gain_of(
    post_id: int,
    platform: str,
    metric: str,
    origin: str,
    published_at: str,
    at_end: float | None,
    at_start: float | None,
    first: str | None,
    window: Window,
) -> Gain:
    """A counter's gain in a window from its latest values at the window's ends (None: no
    snapshot yet) and its first snapshot ever ('captured_at value')."""
    first_at, first_value = first.split(" ") if first else ("", "0")
    end_value, end_estimated = _value_at(
        at_end, window.end_utc, published_at, first_at, float(first_value)
    )
    start_value, start_estimated = _value_at(
        at_start, window.start_utc, published_at, first_at, float(first_value)
    )
    return Gain(
        int(post_id),
        platform,
        metric,
        origin,
        start_value,
        end_value,
        start_estimated or end_estimated,
    )


def span_counters(
    db: Database, window: Window, post_ids: Iterable[int]
) -> list[tuple[int, str, str, str, str, bool, float | None, str | None]]:
    """Every counter of the listed posts that snapshot_gains could see in a window from this
    window's start: (post, platform, metric, origin, published_at, has a post_latest row,
    latest value at the window's start, first snapshot ever as 'captured_at value')."""
    ids = sorted(set(post_ids))
    if not ids:
        return []
    rows = db.execute(
        f"""WITH k(post_id, metric, origin, latest) AS (
                SELECT post_id, metric, origin, 1 FROM post_latest
                WHERE post_id IN ({_marks(ids)})
                UNION ALL
                SELECT post_id, metric, origin, 0 FROM post_snapshots
                WHERE post_id IN ({_marks(ids)}) AND captured_at > ? AND captured_at <= ?
            ), keys AS (
                SELECT post_id, metric, origin, MAX(latest) AS latest FROM k
                GROUP BY post_id, metric, origin
            )
            SELECT keys.post_id, p.platform, keys.metric, keys.origin, p.published_at, keys.latest,
              (SELECT value FROM post_snapshots s WHERE s.post_id = keys.post_id
                 AND s.metric = keys.metric AND s.origin = keys.origin AND s.captured_at <= ?
                 ORDER BY s.captured_at DESC LIMIT 1),
              (SELECT captured_at || ' ' || value FROM post_snapshots s
                 WHERE s.post_id = keys.post_id AND s.metric = keys.metric
                   AND s.origin = keys.origin
                 ORDER BY s.captured_at ASC LIMIT 1)
            FROM keys JOIN posts p ON p.id = keys.post_id""",
        [*ids, *ids, window.start_iso, window.end_iso, window.start_iso],
    ).fetchall()
    return [
        (int(r[0]), r[1], r[2], r[3], r[4], bool(r[5]), None if r[6] is None else float(r[6]), r[7])
        for r in rows
    ]


def span_snapshots(
    db: Database, window: Window, post_ids: Iterable[int]
) -> list[tuple[int, str, str, str, float]]:
    """(post, metric, origin, captured_at, value) of the listed posts' snapshots captured inside
    the window, in time order."""
    ids = sorted(set(post_ids))
    if not ids:
        return []
    # The columns' types are the tuple's (post_id INTEGER, value REAL): rows as they come.
    rows: list[tuple[int, str, str, str, float]] = db.execute(
        f"""SELECT post_id, metric, origin, captured_at, value FROM post_snapshots
            WHERE post_id IN ({_marks(ids)}) AND captured_at > ? AND captured_at <= ?
            ORDER BY captured_at""",
        [*ids, window.start_iso, window.end_iso],
    ).fetchall()
    return rows


def _value_at(
    latest: float | None, moment: datetime, published: str, first_at: str, first_value: float
) -> tuple[float, bool]:
    """A counter's value at a moment, and whether it is an estimate."""
    if latest is not None:
        return float(latest), False
    published_moment = from_utc_iso(published)
    if moment <= published_moment or not first_at:
        return 0.0, False
    return _interpolate(published, first_at, first_value, moment), True


def _interpolate(published: str, first_at: str, first_value: float, moment: datetime) -> float:
    """A counter's estimated value at a moment between publication (0) and its first capture."""
    start, end = from_utc_iso(published), from_utc_iso(first_at)
    span = (end - start).total_seconds()
    if span <= 0:
        return first_value
    share = min(1.0, max(0.0, (moment - start).total_seconds() / span))
    return first_value * share


def values_at(
    db: Database, post_ids: Iterable[int], metrics: Sequence[str], moment_iso: str
) -> list[tuple[int, str, str, float]]:
    """(post, metric, origin, latest value at or before a moment) for a short list of posts."""
    ids = sorted(set(post_ids))
    if not ids or not metrics:
        return []
    return [
        (int(r[0]), r[1], r[2], float(r[3]))
        for r in db.execute(
            f"""SELECT k.post_id, k.metric, k.origin,
                  (SELECT value FROM post_snapshots s WHERE s.post_id = k.post_id
                     AND s.metric = k.metric AND s.origin = k.origin AND s.captured_at <= ?
                     ORDER BY s.captured_at DESC LIMIT 1) AS v
                FROM post_latest k WHERE k.post_id IN ({_marks(ids)})
                  AND k.metric IN ({_marks(metrics)})""",
            [moment_iso, *ids, *metrics],
        )
        if r[3] is not None
    ]


def post_lifetime(
    db: Database, post_ids: Iterable[int], metrics: Sequence[str], last_day: date
) -> dict[int, WindowValue]:
    """Per post: the latest 'lifetime' row (ending on or before a day) of the first metric that
    has one, e.g. the post's own reach as the platform counts it."""
    ids = sorted(set(post_ids))
    out: dict[int, WindowValue] = {}
    if not metrics or not ids:
        return out
    rows: dict[int, dict[str, tuple[float, str, str]]] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        for pid, metric, value, start, end in db.execute(
            f"""SELECT subject_id, metric, value, window_start, window_end FROM metric_values
                WHERE subject_type = 'post' AND subject_id IN ({_marks(chunk)})
                  AND grain = 'lifetime' AND metric IN ({_marks(metrics)}) AND window_end <= ?
                ORDER BY window_end DESC""",
            [*chunk, *metrics, last_day.isoformat()],
        ):
            rows.setdefault(int(pid), {}).setdefault(metric, (float(value), start, end))
    for pid, by_metric in rows.items():
        metric = next(m for m in metrics if m in by_metric)
        value, start, end = by_metric[metric]
        out[pid] = WindowValue(
            metric, value, date.fromisoformat(start), date.fromisoformat(end), "lifetime"
        )
    return out


def posts_published(db: Database, window: Window) -> dict[str, int]:
    """platform -> posts published inside the window (UTC bounds of the local days)."""
    return {
        platform: int(n)
        for platform, n in db.execute(
            """SELECT platform, COUNT(*) FROM posts
               WHERE published_at >= ? AND published_at < ? GROUP BY platform""",
            [window.start_iso, window.end_iso],
        )
    }


POST_COLUMNS = ("id", "platform", "external_id", "published_at", "caption", "link", "is_ad")


def posts_by_id(db: Database, ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """Post rows by our id."""
    wanted = sorted(set(ids))
    out: dict[int, dict[str, Any]] = {}
    for i in range(0, len(wanted), 500):
        chunk = wanted[i : i + 500]
        for row in db.execute(
            f"SELECT {', '.join(POST_COLUMNS)} FROM posts WHERE id IN ({_marks(chunk)})", chunk
        ):
            out[int(row[0])] = dict(zip(POST_COLUMNS, row, strict=True))
    return out


def posts_with_hashtag(
    db: Database, tag: str, window: Window, platform: str = ""
) -> list[tuple[int, str, str]]:
    """(id, caption, tags JSON) of posts published in the window whose caption or tags mention a tag."""
    like = f"%{tag}%"
    sql = """SELECT id, caption, tags FROM posts WHERE published_at >= ? AND published_at < ?
             AND (caption LIKE ? OR tags LIKE ?)"""
    params: list[Any] = [window.start_iso, window.end_iso, like, like]
    if platform:
        sql += " AND platform = ?"
        params.append(platform)
    return [(int(r[0]), r[1], r[2]) for r in db.execute(sql, params)]


def posts_by_external_id(db: Database, external_id: str, platform: str = "") -> list[int]:
    """Our ids of posts with this platform id (on one platform, or any)."""
    sql, params = "SELECT id FROM posts WHERE external_id = ?", [external_id]
    if platform:
        sql += " AND platform = ?"
        params.append(platform)
    return [int(r[0]) for r in db.execute(sql, params)]


def posts_of_slot(db: Database, value: str) -> list[int]:
    """The post a calendar slot was published as, by slot uid or id."""
    rows = db.execute(
        "SELECT post_id FROM calendar_slots WHERE (uid = ? OR CAST(id AS TEXT) = ?) "
        "AND post_id IS NOT NULL",
        [value, value],
    ).fetchall()
    return [int(r[0]) for r in rows]


# --- operations -----------------------------------------------------------------------------


def sync_state(db: Database, platforms: Iterable[str]) -> dict[str, dict[str, Any]]:
    """platform -> last successful sync's finish and the last sync's outcome (imports aside).

    Runs are appended in time order, so walking back from the newest row id
    finds both after a few rows, however long the log is.
    """
    out: dict[str, dict[str, Any]] = {}
    for platform in platforms:
        last = db.execute(
            """SELECT outcome FROM sync_runs WHERE platform = ? AND kind = 'sync'
               ORDER BY id DESC LIMIT 1""",
            [platform],
        ).fetchone()
        ok = db.execute(
            """SELECT finished_at FROM sync_runs
               WHERE platform = ? AND kind = 'sync' AND outcome = 'ok' ORDER BY id DESC LIMIT 1""",
            [platform],
        ).fetchone()
        if last is not None:
            out[platform] = {"last_ok": ok[0] if ok else None, "last_outcome": last[0]}
    return out


def platforms_with_accounts(db: Database) -> set[str]:
    return {r[0] for r in db.execute("SELECT DISTINCT platform FROM accounts")}


def adherence(db: Database, window: Window) -> list[tuple[str | None, int, int]]:
    """(owner name or None, slots planned, slots published) for slots planned in the window.

    Ideas are not commitments and are left out; a skipped slot counts as
    planned and not published.
    """
    return [
        (name, int(planned), int(published or 0))
        for name, planned, published in db.execute(
            """SELECT m.name, COUNT(*), SUM(s.status = 'published')
               FROM calendar_slots s
               LEFT JOIN slot_owners o ON o.slot_id = s.id
               LEFT JOIN team_members m ON m.id = o.member_id
               WHERE s.planned_at >= ? AND s.planned_at < ? AND s.status != 'idea'
               GROUP BY m.name ORDER BY m.name""",
            [window.start_iso, window.end_iso],
        )
    ]


def adherence_totals(db: Database, window: Window) -> tuple[int, int]:
    """Distinct slots planned and published in the window (a slot with two owners counts once)."""
    row = db.execute(
        """SELECT COUNT(*), SUM(status = 'published') FROM calendar_slots
           WHERE planned_at >= ? AND planned_at < ? AND status != 'idea'""",
        [window.start_iso, window.end_iso],
    ).fetchone()
    return int(row[0]), int(row[1] or 0)


def json_list(text: str | None) -> list[Any]:
    try:
        value = json.loads(text or "[]")
    except ValueError:
        return []
    return value if isinstance(value, list) else []


# --- campaigns, partners and their briefs (the campaign and partner reports) ----------------


def campaign_row(db: Database, name: str) -> tuple[Any, ...] | None:
    """(id, name, start, end, platforms JSON, partner, budget, currency, description) of the
    campaign of that name in any letter case."""
    row = db.execute(
        """SELECT c.id, c.name, c.start_date, c.end_date, c.platforms, p.name, c.budget,
                  c.currency, c.description
           FROM campaigns c LEFT JOIN partners p ON p.id = c.partner_id
           WHERE c.name = ? COLLATE NOCASE""",
        [name],
    ).fetchone()
    return tuple(row) if row is not None else None


def campaign_names(db: Database) -> list[str]:
    return [str(r[0]) for r in db.execute("SELECT name FROM campaigns ORDER BY name")]


def campaign_members(db: Database, campaign_id: int) -> list[tuple[str, str, str]]:
    """(kind, value, platform) of each member of a campaign: hashtag, post, slot, ad campaign."""
    return [
        (str(k), str(v), str(p))
        for k, v, p in db.execute(
            "SELECT kind, value, platform FROM campaign_members WHERE campaign_id = ?",
            [campaign_id],
        )
    ]


def kpi_targets(db: Database, campaign_id: int) -> list[tuple[str, str, str, float]]:
    """(kpi, origin, platform, target) of a campaign, in the order they were set."""
    return [
        (str(k), str(o), str(p), float(t))
        for k, o, p, t in db.execute(
            "SELECT kpi, origin, platform, target FROM kpi_targets WHERE campaign_id = ? ORDER BY id",
            [campaign_id],
        )
    ]


def partner_row(db: Database, name: str) -> dict[str, Any] | None:
    """id, name, tier, region and industry of the partner of that name in any letter case."""
    row = db.execute(
        "SELECT id, name, tier, region, industry FROM partners WHERE name = ? COLLATE NOCASE",
        [name],
    ).fetchone()
    keys = ("id", "name", "tier", "region", "industry")
    return dict(zip(keys, row, strict=True)) if row is not None else None


def partner_names(db: Database) -> list[str]:
    return [str(r[0]) for r in db.execute("SELECT name FROM partners ORDER BY name")]


def partner_campaigns(db: Database, partner_id: int, window: Window) -> list[str]:
    """Names of the partner's campaigns that overlap the window, by start date."""
    return [
        str(r[0])
        for r in db.execute(
            """SELECT name FROM campaigns WHERE partner_id = ? AND start_date <= ? AND end_date >= ?
               ORDER BY start_date""",
            [partner_id, window.end.isoformat(), window.start.isoformat()],
        )
    ]


def partner_slot_posts(db: Database, partner_id: int) -> set[int]:
    """Posts of the calendar slots made with the partner."""
    return {
        int(r[0])
        for r in db.execute(
            "SELECT post_id FROM calendar_slots WHERE partner_id = ? AND post_id IS NOT NULL",
            [partner_id],
        )
    }


def partner_briefs(db: Database, partner_id: int, window: Window) -> list[dict[str, Any]]:
    """The partner's briefs due in the window, by deadline."""
    return [
        {"title": r[0], "template": r[1], "deadline": r[2], "status": r[3]}
        for r in db.execute(
            """SELECT title, template, deadline, status FROM briefs
               WHERE partner_id = ? AND deadline >= ? AND deadline <= ? ORDER BY deadline""",
            [partner_id, window.start.isoformat(), window.end.isoformat() + "T99"],
        )
    ]


def ad_objectives(db: Database, ids: Sequence[int]) -> dict[int, str]:
    """Ad entity id -> its objective, upper case ('' when the platform gave none)."""
    return {
        int(r[0]): str(r[1] or "").upper()
        for r in db.execute(
            f"SELECT id, objective FROM ad_entities WHERE id IN ({_marks(ids)})", list(ids)
        )
    }


def snapshot_origins(db: Database, metrics: Sequence[str], post_ids: Iterable[int]) -> set[str]:
    """The origins (organic, paid, total) the posts' latest snapshots of these metrics have."""
    ids = sorted(post_ids)
    if not ids:
        return set()
    return {
        r[0]
        for r in db.execute(
            f"""SELECT DISTINCT origin FROM post_latest
                WHERE post_id IN ({_marks(ids)}) AND metric IN ({_marks(metrics)})""",
            [*ids, *metrics],
        )
    }
