"""The register of files the tool has written, so a privacy deletion can reach every copy.

Reports, briefs, iCal files and feeds, CSV exports and backups are recorded here
with their absolute path when written (`record_written`). Output to the terminal
is not a file and is not recorded.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from core.timeutil import to_utc_iso, utcnow

KINDS = ("report", "brief", "calendar", "feed", "csv", "insights", "backup")


@dataclass(frozen=True)
class WrittenFile:
    """One recorded file: where, what kind, and when it was last written."""

    path: Path
    kind: str
    written_at: str


def record_written(db: Database, path: str | Path, kind: str) -> None:
    """Remember that the tool wrote this file (again)."""
    if kind not in KINDS:
        raise ValueError(f"unknown written-file kind {kind!r}")
    absolute = str(Path(path).resolve())
    with db.atomic():
        db.execute(
            "INSERT INTO written_files (path, kind, written_at) VALUES (?, ?, ?) "
            "ON CONFLICT (path) DO UPDATE SET kind = excluded.kind, written_at = excluded.written_at",
            [absolute, kind, to_utc_iso(utcnow())],
        )


def forget_written(db: Database, path: str | Path) -> None:
    """Drop a file from the register (it was removed)."""
    db.execute("DELETE FROM written_files WHERE path = ?", [str(Path(path).resolve())])


def written_files(db: Database) -> list[WrittenFile]:
    """Every recorded file, oldest first."""
    rows = db.execute("SELECT path, kind, written_at FROM written_files ORDER BY written_at, path")
    return [WrittenFile(Path(r[0]), str(r[1]), str(r[2])) for r in rows.fetchall()]
