"""The archive of generated reports: every stored generation with its frozen figures, and
what changed between one generation of a report and the next (its revisions)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from social.reports.store import StoredReport, flatten, revisions

KINDS = ("weekly", "campaign", "partner")


@dataclass(frozen=True)
class Generation:
    """One stored generation, without its figures (for lists)."""

    id: int
    kind: str
    key: str
    lang: str
    generated_at: str
    versions: int  # how many generations the same report (kind, key) has

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def list_generations(
    db: Database, *, kind: str | None = None, limit: int = 50, offset: int = 0
) -> tuple[list[Generation], bool]:
    """Generated reports, newest first; (rows, whether there are more)."""
    where = "WHERE g.kind = ?" if kind else ""
    params: list[Any] = [kind] if kind else []
    rows = db.execute(
        f"""SELECT g.id, g.kind, g.key, g.lang, g.generated_at,
                   (SELECT COUNT(*) FROM generated_reports o WHERE o.kind = g.kind AND o.key = g.key)
            FROM generated_reports g {where}
            ORDER BY g.generated_at DESC, g.id DESC LIMIT ? OFFSET ?""",
        [*params, limit + 1, offset],
    ).fetchall()
    items = [Generation(int(r[0]), r[1], r[2], r[3], r[4], int(r[5])) for r in rows[:limit]]
    return items, len(rows) > limit


def get_generation(db: Database, report_id: int) -> StoredReport | None:
    """One stored generation with its figures exactly as they were reported."""
    row = db.execute(
        "SELECT id, kind, key, lang, generated_at, figures FROM generated_reports WHERE id = ?",
        [report_id],
    ).fetchone()
    if row is None:
        return None
    try:
        figures = json.loads(row[5])
    except ValueError:
        figures = {}
    return StoredReport(int(row[0]), row[1], row[2], row[3], row[4], figures)


def _tree(report: StoredReport) -> dict[str, Any]:
    figures = report.figures
    if report.kind == "weekly":
        tree: dict[str, Any] = {p["platform"]: p for p in figures.get("platforms") or []}
        tree["total"] = figures.get("total")
        return tree
    return {k: v for k, v in figures.items() if k in ("kpis", "platforms", "totals", "by_platform")}


def revision_history(db: Database, report: StoredReport) -> list[dict[str, Any]]:
    """Each earlier and later generation of the same report with the figures that differ."""
    rows = db.execute(
        "SELECT id FROM generated_reports WHERE kind = ? AND key = ? ORDER BY generated_at, id",
        [report.kind, report.key],
    ).fetchall()
    history = []
    previous: StoredReport | None = None
    for (rid,) in rows:
        current = get_generation(db, int(rid))
        if current is None:
            continue
        changes: list[dict[str, Any]] = []
        if previous is not None:
            changes = revisions(flatten(_tree(previous)), flatten(_tree(current)))
        history.append(
            {
                "id": current.id,
                "generated_at": current.generated_at,
                "lang": current.lang,
                "changes": changes,
                "current": current.id == report.id,
            }
        )
        previous = current
    return history
