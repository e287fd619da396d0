"""Read paths of the web app's post pages: a filtered, paged post list and one post's history.

The list is bounded by LIMIT/OFFSET on the publish-time index, so a page costs
the same on three years of history as on one month. Counters are the latest
lifetime values (post_latest) mapped to common concepts, never summing a
'total' with its own parts (rule 3).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from core.catalogue import CATALOGUE
from core.timeutil import from_utc_iso, to_utc_iso
from db.posts import _combine


@dataclass
class PostRow:
    """One post with its latest counters (views etc.) and the calendar slot it fulfils."""

    id: int
    platform: str
    external_id: str
    published_at: datetime  # local time
    caption: str
    link: str
    is_ad: bool
    counters: dict[str, float] = field(default_factory=dict)
    slot_id: int | None = None
    owners: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "platform": self.platform,
            "external_id": self.external_id,
            "published_at": self.published_at.isoformat(),
            "caption": self.caption,
            "link": self.link,
            "is_ad": self.is_ad,
            "views": self.counters.get("views"),
            "likes": self.counters.get("likes"),
            "comments": self.counters.get("comments"),
            "shares": self.counters.get("shares"),
            "slot_id": self.slot_id,
            "owners": self.owners,
        }


def _day_start(day: date, zone: str) -> str:
    return to_utc_iso(datetime.combine(day, time(0), ZoneInfo(zone)))


def list_posts(
    db: Database,
    *,
    zone: str,
    platform: str | None = None,
    search: str | None = None,
    since: date | None = None,
    until: date | None = None,
    owner_id: int | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[PostRow], bool]:
    """Posts newest first matching the filters; (rows, whether there are more)."""
    where: list[str] = ["1 = 1"]
    params: list[object] = []
    if platform:
        where.append("p.platform = ?")
        params.append(platform)
    if since:
        where.append("p.published_at >= ?")
        params.append(_day_start(since, zone))
    if until:
        where.append("p.published_at < ?")
        params.append(_day_start(until + timedelta(days=1), zone))
    if search:
        where.append("p.caption LIKE ? ESCAPE '\\'")
        escaped = search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        params.append(f"%{escaped}%")
    if owner_id is not None:
        where.append(
            "p.id IN (SELECT s.post_id FROM calendar_slots s JOIN slot_owners o "
            "ON o.slot_id = s.id WHERE o.member_id = ? AND s.post_id IS NOT NULL)"
        )
        params.append(owner_id)
    rows = db.execute(
        f"""SELECT p.id, p.platform, p.external_id, p.published_at, p.caption, p.link, p.is_ad
            FROM posts p WHERE {" AND ".join(where)}
            ORDER BY p.published_at DESC, p.id DESC LIMIT ? OFFSET ?""",
        [*params, limit + 1, offset],
    ).fetchall()
    more = len(rows) > limit
    posts = [_post(r, zone) for r in rows[:limit]]
    _attach(db, posts)
    return posts, more


def _post(row: Any, zone: str) -> PostRow:
    return PostRow(
        id=int(row[0]),
        platform=row[1],
        external_id=row[2],
        published_at=from_utc_iso(row[3]).astimezone(ZoneInfo(zone)),
        caption=row[4] or "",
        link=row[5] or "",
        is_ad=bool(row[6]),
    )


def _attach(db: Database, posts: list[PostRow]) -> None:
    """Latest counters and the owning calendar slot of each post."""
    if not posts:
        return
    by_id = {p.id: p for p in posts}
    marks = ",".join("?" * len(by_id))
    raw: dict[int, dict[tuple[str, str], float]] = {pid: {} for pid in by_id}
    for pid, platform, metric, origin, value in db.execute(
        f"""SELECT l.post_id, p.platform, l.metric, l.origin, l.value FROM post_latest l
            JOIN posts p ON p.id = l.post_id WHERE l.post_id IN ({marks})""",
        list(by_id),
    ):
        info = CATALOGUE.get((platform, metric))
        key = (info.concept if info else metric, origin)
        raw[pid][key] = raw[pid].get(key, 0) + value
    for pid, values in raw.items():
        by_id[pid].counters = _combine(values)
    for pid, sid, name in db.execute(
        f"""SELECT s.post_id, s.id, m.name FROM calendar_slots s
            LEFT JOIN slot_owners o ON o.slot_id = s.id
            LEFT JOIN team_members m ON m.id = o.member_id
            WHERE s.post_id IN ({marks}) ORDER BY m.name""",
        list(by_id),
    ):
        post = by_id[pid]
        post.slot_id = int(sid)
        if name and name not in post.owners:
            post.owners.append(name)


def get_post(db: Database, post_id: int, *, zone: str) -> PostRow | None:
    """One post by our id, with its latest counters, or None."""
    row = db.execute(
        "SELECT id, platform, external_id, published_at, caption, link, is_ad FROM posts "
        "WHERE id = ?",
        [post_id],
    ).fetchone()
    if row is None:
        return None
    post = _post(row, zone)
    _attach(db, [post])
    return post


@dataclass
class Series:
    """One counter of a post over time: (captured_at UTC, lifetime value) points."""

    metric: str
    concept: str
    origin: str
    points: list[tuple[datetime, float]]


def post_history(db: Database, post_id: int) -> list[Series]:
    """Every stored snapshot series of a post (lifetime counters over capture time)."""
    platform_row = db.execute("SELECT platform FROM posts WHERE id = ?", [post_id]).fetchone()
    if platform_row is None:
        return []
    platform = platform_row[0]
    series: dict[tuple[str, str], Series] = {}
    for metric, origin, captured, value in db.execute(
        "SELECT metric, origin, captured_at, value FROM post_snapshots WHERE post_id = ? "
        "ORDER BY metric, origin, captured_at",
        [post_id],
    ):
        info = CATALOGUE.get((platform, metric))
        key = (metric, origin)
        if key not in series:
            series[key] = Series(metric, info.concept if info else metric, origin, [])
        series[key].points.append((from_utc_iso(captured), float(value)))
    return list(series.values())


def post_breakdowns(db: Database, post_id: int) -> dict[str, list[dict[str, Any]]]:
    """Where a post's views came from etc.: dimension -> [{key, value (0..1), captured_at}]."""
    out: dict[str, list[dict[str, Any]]] = {}
    for dimension, key, value, captured in db.execute(
        "SELECT dimension, key, value, captured_at FROM post_breakdowns WHERE post_id = ? "
        "ORDER BY dimension, value DESC, key",
        [post_id],
    ):
        out.setdefault(dimension, []).append(
            {"key": key, "value": float(value), "captured_at": captured}
        )
    return out
