"""The archive of generated reports: every stored generation with its frozen figures, and
what changed between one generation of a report and the next (its revisions)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from social.reports import store
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
    rows = store.generations(db, kind, limit + 1, offset)
    return [Generation(*r) for r in rows[:limit]], len(rows) > limit


def get_generation(db: Database, report_id: int) -> StoredReport | None:
    """One stored generation with its figures exactly as they were reported."""
    return store.by_id(db, report_id)


def _tree(report: StoredReport) -> dict[str, Any]:
    figures = report.figures
    if report.kind == "weekly":
        tree: dict[str, Any] = {p["platform"]: p for p in figures.get("platforms") or []}
        tree["total"] = figures.get("total")
        return tree
    return {k: v for k, v in figures.items() if k in ("kpis", "platforms", "totals", "by_platform")}


def revision_history(db: Database, report: StoredReport) -> list[dict[str, Any]]:
    """Each earlier and later generation of the same report with the figures that differ."""
    history = []
    previous: StoredReport | None = None
    for rid in store.generation_ids(db, report.kind, report.key):
        current = store.by_id(db, rid)
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
