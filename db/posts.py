"""Posts with their latest metrics (what `social posts` lists)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlite_utils import Database

from core.catalogue import CATALOGUE
from core.timeutil import from_utc_iso


def latest_posts(
    db: Database,
    *,
    platform: str | None = None,
    since: date | None = None,
    limit: int = 50,
    zone: str = "Europe/Oslo",
) -> list[dict[str, Any]]:
    """Posts newest first with their latest lifetime counters mapped to common concepts."""
    where, params = ["1 = 1"], []
    if platform:
        where.append("p.platform = ?")
        params.append(platform)
    if since:
        where.append("p.published_at >= ?")
        params.append(since.isoformat())
    posts = db.execute(
        f"""SELECT p.id, p.platform, p.external_id, p.published_at, p.caption, p.link
            FROM posts p WHERE {" AND ".join(where)} ORDER BY p.published_at DESC LIMIT ?""",
        [*params, limit],
    ).fetchall()
    ids = [p[0] for p in posts]
    by_origin: dict[int, dict[tuple[str, str], float]] = {i: {} for i in ids}
    if ids:
        marks = ",".join("?" * len(ids))
        for pid, platform_, metric, origin, value in db.execute(
            f"""SELECT l.post_id, p.platform, l.metric, l.origin, l.value FROM post_latest l
                JOIN posts p ON p.id = l.post_id WHERE l.post_id IN ({marks})""",
            ids,
        ):
            info = CATALOGUE.get((platform_, metric))
            key = (info.concept if info else metric, origin)
            by_origin[pid][key] = by_origin[pid].get(key, 0) + value
    latest = {pid: _combine(values) for pid, values in by_origin.items()}
    from zoneinfo import ZoneInfo

    tz = ZoneInfo(zone)
    return [
        {
            "platform": platform_,
            "published": from_utc_iso(published).astimezone(tz).strftime("%Y-%m-%d %H:%M"),
            "id": external_id,
            "views": latest[pid].get("views"),
            "likes": latest[pid].get("likes"),
            "comments": latest[pid].get("comments"),
            "shares": latest[pid].get("shares"),
            "caption": caption,
            "link": link,
        }
        for pid, platform_, external_id, published, caption, link in posts
    ]


def _combine(values: dict[tuple[str, str], float]) -> dict[str, float]:
    """Per concept: the 'total' value, else organic + paid (never both: rule 3)."""
    out: dict[str, float] = {}
    for (concept, origin), value in values.items():
        if origin == "total":
            out[concept] = value
    for (concept, origin), value in values.items():
        if origin != "total" and (concept, "total") not in values:
            out[concept] = out.get(concept, 0) + value
    return out
