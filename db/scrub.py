"""Making sure deleted personal details are gone from the database file itself.

Deleting rows is not enough: SQLite keeps the old page images in the
write-ahead log (`-wal`) until a checkpoint copies the new pages into the main
file, and a checkpoint cannot overwrite pages another connection may still read
(an open read transaction, e.g. the scheduler service in the middle of a scan).
`flush_wal` waits (a bounded time) for such readers and truncates the WAL;
`check_file` then looks for the deleted details' bytes in the files and tells
apart what is still legitimately kept (public post captions) from leftovers.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sqlite_utils import Database


@dataclass
class FileCheck:
    """What a check of the database file found."""

    flushed: bool  # the WAL was checkpointed and truncated
    leftovers: list[str] = field(default_factory=list)  # details found only as stale bytes
    kept: list[str] = field(default_factory=list)  # details still in kept data (captions)
    vacuumed: bool = False

    @property
    def clean(self) -> bool:
        return self.flushed and not self.leftovers


def database_file(db: Database) -> Path | None:
    """The file of the main database, or None for an in-memory one."""
    row = db.execute("PRAGMA database_list").fetchone()
    return Path(row[2]) if row and row[2] else None


def flush_wal(db: Database, *, wait_seconds: float = 5.0) -> bool:
    """Checkpoint and truncate the WAL, waiting up to wait_seconds for readers to finish."""
    if db.conn.in_transaction:
        return False
    path = database_file(db)
    deadline = time.monotonic() + wait_seconds
    previous = db.execute("PRAGMA busy_timeout").fetchone()[0]
    db.execute("PRAGMA busy_timeout = 100")
    try:
        while True:
            busy, log, done = db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            wal = path.with_name(path.name + "-wal") if path else None
            empty = wal is None or not wal.exists() or wal.stat().st_size == 0
            if busy == 0 and log == done and empty:
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.05)
    finally:
        db.execute(f"PRAGMA busy_timeout = {int(previous)}")


def _in_live_data(db: Database, term: str) -> bool:
    """Whether any text value of any table still holds the term (as the bytes would)."""
    tables = [
        r[0]
        for r in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND sql NOT LIKE 'CREATE VIRTUAL%'"
        ).fetchall()
    ]
    for table in tables:
        for column in db.execute(f'PRAGMA table_info("{table}")').fetchall():
            name = column[1]
            hit = db.execute(
                f'SELECT 1 FROM "{table}" WHERE instr(CAST("{name}" AS TEXT), ?) > 0 LIMIT 1',
                [term],
            ).fetchone()
            if hit:
                return True
    return False


def _found(paths: Iterable[Path], terms: list[str]) -> set[str]:
    found: set[str] = set()
    for path in paths:
        if not path.exists():
            continue
        data = path.read_bytes()
        found |= {t for t in terms if t.encode("utf-8") in data}
    return found


def check_file(db: Database, terms: Iterable[str], *, flushed: bool) -> FileCheck:
    """Look for the terms' bytes in the database file and its WAL; VACUUM once if stale ones
    are left and no reader is in the way."""
    path = database_file(db)
    result = FileCheck(flushed=flushed)
    wanted = sorted({t for t in terms if len(t) >= 3})
    if path is None or not wanted:
        return result
    files = [path, path.with_name(path.name + "-wal")]
    for attempt in range(2):
        found = _found(files, wanted)
        result.kept = sorted(t for t in found if _in_live_data(db, t))
        result.leftovers = sorted(found - set(result.kept))
        if not result.leftovers or not flushed or attempt:
            break
        # secure_delete should have zeroed them; VACUUM rewrites the file from the live rows.
        db.execute("VACUUM")
        result.vacuumed = True
        result.flushed = flush_wal(db, wait_seconds=1.0)
    return result
