"""Load posts with their views at a fixed age, themes, owners and timing."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from social.catalogue import metrics_for
from social.insights.themes import theme_mapping, themes_of
from social.timeutil import from_utc_iso, to_utc_iso


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
    exact_age: bool  # False when the first snapshot was already older than the age
    themes: list[str]
    owners: list[str] = field(default_factory=list)
    format: str = ""
    duration_s: float | None = None
    watch_time_s: float | None = None
    completion_rate: float | None = None
    ratio: float | None = None  # views / the account's running median at the same age
    baseline: float | None = None


def load_posts(
    db: Database,
    *,
    zone: str,
    age_days: int,
    hashtag_themes: dict[str, str],
    platform: str | None = None,
    since: date | None = None,
    now: datetime,
) -> list[PostPerformance]:
    """Posts old enough to have reached the age, oldest first, with views at that age."""
    tz = ZoneInfo(zone)
    mapping = theme_mapping(hashtag_themes)
    cutoff = to_utc_iso(now - timedelta(days=age_days))
    where = ["p.published_at <= ?"]
    params: list[object] = [cutoff]
    if platform:
        where.append("p.platform = ?")
        params.append(platform)
    rows = db.execute(
        f"""SELECT p.id, p.platform, p.account_id, p.external_id, p.caption, p.published_at,
                   p.format, p.duration_s,
                   (SELECT json_group_array(t.value) FROM calendar_slots s, json_each(s.tags) t
                     WHERE s.post_id = p.id),
                   (SELECT json_group_array(m.name) FROM calendar_slots s
                      JOIN slot_owners o ON o.slot_id = s.id
                      JOIN team_members m ON m.id = o.member_id WHERE s.post_id = p.id)
            FROM posts p WHERE {" AND ".join(where)} ORDER BY p.published_at""",
        params,
    ).fetchall()
    out = []
    for pid, plat, account, ext, caption, published, fmt, duration, tags, owners in rows:
        published_at = from_utc_iso(published)
        if since and published_at.astimezone(tz).date() < since:
            continue
        at_age = _views_at(db, pid, plat, published_at + timedelta(days=age_days))
        if at_age is None:
            continue
        views, exact = at_age
        watch, completion = _watch(db, pid)
        out.append(
            PostPerformance(
                pid,
                plat,
                account,
                ext,
                caption or "",
                published_at.astimezone(tz),
                views,
                exact,
                themes_of(caption or "", json.loads(tags or "[]"), mapping),
                sorted(set(json.loads(owners or "[]"))),
                fmt or "",
                duration,
                watch,
                completion,
            )
        )
    return out


def _views_at(
    db: Database, post_id: int, platform: str, moment: datetime
) -> tuple[float, bool] | None:
    """Views at a moment, interpolated between snapshots (organic + paid or total, rule 3)."""
    names = [m.metric for m in metrics_for("views", platform)]
    marks = ",".join("?" * len(names))
    snaps = db.execute(
        f"""SELECT captured_at, origin, value FROM post_snapshots
            WHERE post_id = ? AND metric IN ({marks}) ORDER BY captured_at""",
        [post_id, *names],
    ).fetchall()
    if not snaps:
        return None
    origins = {o for _, o, _ in snaps}
    use = {"total"} if "total" in origins else origins
    series: dict[str, list[tuple[datetime, float]]] = {}
    for captured, origin, value in snaps:
        if origin in use:
            series.setdefault(origin, []).append((from_utc_iso(captured), value))
    total = 0.0
    exact = True
    for points in series.values():
        value, point_exact = _interpolate(points, moment)
        total += value
        exact = exact and point_exact
    return total, exact


def _interpolate(points: list[tuple[datetime, float]], moment: datetime) -> tuple[float, bool]:
    before = [p for p in points if p[0] <= moment]
    after = [p for p in points if p[0] > moment]
    if before and after:
        (t0, v0), (t1, v1) = before[-1], after[0]
        share = (moment - t0).total_seconds() / max((t1 - t0).total_seconds(), 1)
        return v0 + (v1 - v0) * share, True
    if before:
        # Snapshots are written only on change: no later one means the value stayed put.
        return before[-1][1], True
    # First seen only after the age: its earliest value is an upper bound of views at the age.
    return after[0][1], False


def _watch(db: Database, post_id: int) -> tuple[float | None, float | None]:
    """Latest average watch time and completion rate (business-account data), if any."""
    found: dict[str, float] = {}
    for metric in ("average_time_watched", "full_video_watched_rate"):
        row = db.execute(
            """SELECT value FROM metric_values WHERE subject_type = 'post' AND subject_id = ?
               AND metric = ? ORDER BY window_end DESC LIMIT 1""",
            [post_id, metric],
        ).fetchone()
        if row:
            found[metric] = float(row[0])
    return found.get("average_time_watched"), found.get("full_video_watched_rate")
