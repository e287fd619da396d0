"""Every generated report's figures, and what changed since a report was made ("revised").

A report that was sent keeps what it said (rule 4): each generation stores its
JSON figures in `generated_reports`; the next weekly report recomputes the
week before and lists the figures that moved since they were reported.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

# Keys that describe figures rather than being figures.
SKIP_KEYS = frozenset(
    {"basis", "notes", "days_covered", "parts", "week_on_week", "exact", "platforms"}
)


@dataclass
class StoredReport:
    """One stored generation."""

    id: int
    kind: str
    key: str
    lang: str
    generated_at: str
    figures: dict[str, Any]


def save(db: Database, figures: dict[str, Any]) -> int:
    """Store a report's figures under its kind and key; return the row id."""
    with db.atomic():
        cur = db.execute(
            "INSERT INTO generated_reports (kind, key, lang, generated_at, figures) "
            "VALUES (?, ?, ?, ?, ?)",
            [
                figures["kind"],
                figures["key"],
                figures["lang"],
                figures["generated_at"],
                json.dumps(figures, ensure_ascii=False, sort_keys=True),
            ],
        )
    return int(cur.lastrowid or 0)


def latest(db: Database, kind: str, key: str, *, before: str | None = None) -> StoredReport | None:
    """The most recent stored generation of a report (optionally generated before a moment)."""
    sql = "SELECT id, kind, key, lang, generated_at, figures FROM generated_reports "
    sql += "WHERE kind = ? AND key = ?"
    params: list[Any] = [kind, key]
    if before:
        sql += " AND generated_at < ?"
        params.append(before)
    row = db.execute(sql + " ORDER BY generated_at DESC, id DESC LIMIT 1", params).fetchone()
    return None if row is None else _stored(row)


def _stored(row: Any) -> StoredReport | None:
    """A generated_reports row (id, kind, key, lang, generated_at, figures) as a StoredReport;
    None when its figures are not JSON."""
    try:
        figures = json.loads(row[5])
    except ValueError:
        return None
    return StoredReport(int(row[0]), row[1], row[2], row[3], row[4], figures)


def by_id(db: Database, report_id: int) -> StoredReport | None:
    """One stored generation, or None; figures that are not JSON read as none."""
    row = db.execute(
        "SELECT id, kind, key, lang, generated_at, figures FROM generated_reports WHERE id = ?",
        [report_id],
    ).fetchone()
    if row is None:
        return None
    return _stored(row) or StoredReport(int(row[0]), row[1], row[2], row[3], row[4], {})


def generations(
    db: Database, kind: str | None, limit: int, offset: int
) -> list[tuple[int, str, str, str, str, int]]:
    """(id, kind, key, lang, generated_at, generations of that report) newest first, of one
    kind or all."""
    where = "WHERE g.kind = ?" if kind else ""
    params: list[Any] = [kind] if kind else []
    rows = db.execute(
        f"""SELECT g.id, g.kind, g.key, g.lang, g.generated_at,
                   (SELECT COUNT(*) FROM generated_reports o WHERE o.kind = g.kind AND o.key = g.key)
            FROM generated_reports g {where}
            ORDER BY g.generated_at DESC, g.id DESC LIMIT ? OFFSET ?""",
        [*params, limit, offset],
    ).fetchall()
    return [(int(r[0]), r[1], r[2], r[3], r[4], int(r[5])) for r in rows]


def generation_ids(db: Database, kind: str, key: str) -> list[int]:
    """Every stored generation of one report, oldest first."""
    rows = db.execute(
        "SELECT id FROM generated_reports WHERE kind = ? AND key = ? ORDER BY generated_at, id",
        [kind, key],
    )
    return [int(r[0]) for r in rows]


def flatten(value: Any, prefix: str = "") -> dict[str, float | None]:
    """Numeric leaves of a figures tree as 'tiktok.views.total' -> number (None kept)."""
    out: dict[str, float | None] = {}
    if isinstance(value, dict):
        for key, item in value.items():
            if key in SKIP_KEYS:
                continue
            out.update(flatten(item, f"{prefix}.{key}" if prefix else str(key)))
    elif isinstance(value, bool):
        pass
    elif isinstance(value, int | float) or value is None:
        out[prefix] = None if value is None else float(value)
    return out


def revisions(
    reported: dict[str, float | None], now: dict[str, float | None]
) -> list[dict[str, Any]]:
    """Figures whose value changed (or appeared, or disappeared) between two flattenings."""
    changes = []
    for key in sorted(set(reported) | set(now)):
        old, new = reported.get(key), now.get(key)
        if old is None and new is None:
            continue
        if old is not None and new is not None and math.isclose(old, new, abs_tol=1e-6):
            continue
        platform, _, figure = key.partition(".")
        changes.append(
            {
                "figure": key,
                "platform": platform,
                "measure": figure,
                "reported": old,
                "now": new,
                "change": None if old is None or new is None else new - old,
            }
        )
    return changes
