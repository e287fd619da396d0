"""Backups of the database, checked restores, and keeping the backup folder tidy.

A backup is made with SQLite's `VACUUM INTO`: it reads one consistent snapshot
(a read transaction, so it is safe while the scheduler service or the web app
writes), and writes a compact copy without free pages, so it carries no deleted
leftovers. The copy is written under a temporary name and renamed, so a file
named like a backup is always a whole one.

A restore first checks the file (`PRAGMA integrity_check`, a social schema this
code knows), keeps a backup of the database it replaces, then copies the file
into the live database with SQLite's online backup API, so programs that have
it open see the restored data, not a deleted file.
"""

from __future__ import annotations

import re
import sqlite3
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlite_utils import Database

from core.errors import DatabaseError
from core.timeutil import utcnow

# <database stem>-<UTC time>-<reason>.db, e.g. social-20261130-021500-nightly.db
_NAME = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6})-(?P<reason>[a-z0-9-]+)\.db$")
REASONS = ("manual", "nightly", "before-migration", "before-restore")
CORE_TABLES = ("accounts", "posts", "metric_values", "team_members", "calendar_slots")


@dataclass(frozen=True)
class BackupFile:
    """A backup on disk: where, how big, and (for the tool's own names) when and why."""

    path: Path
    size: int
    made_at: datetime | None
    reason: str | None


def backup_name(db_path: Path, reason: str, now: datetime | None = None) -> str:
    """The file name of a new backup of db_path."""
    stamp = (now or utcnow()).strftime("%Y%m%d-%H%M%S")
    return f"{db_path.stem}-{stamp}-{reason}.db"


def make_backup(db: Database, target: Path) -> BackupFile:
    """Write a consistent, compact copy of the open database to target (which must not exist)."""
    target = Path(target)
    if target.exists():
        raise DatabaseError(f"{target} already exists; choose another file for the backup")
    if not target.parent.is_dir():
        raise DatabaseError(f"folder {target.parent} does not exist; create it first")
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        db.execute("VACUUM INTO ?", [str(partial)])
        partial.replace(target)
    except sqlite3.Error as exc:
        partial.unlink(missing_ok=True)
        raise DatabaseError(f"could not write the backup {target} ({exc})") from None
    if "written_files" in db.table_names():  # a privacy deletion rewrites backups too
        from db.files import record_written

        record_written(db, target, "backup")
    return describe(target)


def backup_into_folder(
    db: Database, db_path: Path, folder: Path, reason: str, now: datetime | None = None
) -> BackupFile:
    """A new backup named for its time and reason in folder (created if needed)."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / backup_name(Path(db_path), reason, now)
    while target.exists():  # two backups in one second: wait for the next name
        time.sleep(0.2)
        target = folder / backup_name(Path(db_path), reason)
    return make_backup(db, target)


def describe(path: Path) -> BackupFile:
    """A backup file's size and, when named by this tool, its time and reason."""
    match = _NAME.match(path.name)
    made = reason = None
    if match:
        made = datetime.strptime(match["stamp"], "%Y%m%d-%H%M%S").replace(tzinfo=utcnow().tzinfo)
        reason = match["reason"]
    return BackupFile(path, path.stat().st_size, made, reason)


def list_backups(folder: Path, db_path: Path) -> list[BackupFile]:
    """The tool's backups of db_path in folder, oldest first."""
    if not folder.is_dir():
        return []
    found = []
    for path in folder.glob(f"{Path(db_path).stem}-*.db"):
        match = _NAME.match(path.name)
        if match and match["stem"] == Path(db_path).stem:
            found.append(describe(path))
    return sorted(found, key=lambda b: (b.made_at or datetime.min.replace(tzinfo=None), b.path))


def prune(
    folder: Path,
    db_path: Path,
    *,
    keep_days: int,
    now: datetime | None = None,
    reasons: tuple[str, ...] = ("nightly", "before-migration", "before-restore"),
) -> list[Path]:
    """Delete the tool's automatic backups older than keep_days; the newest one always stays.

    Backups made by hand (`social backup`, reason 'manual' or any other file) are never deleted.
    """
    now = now or utcnow()
    backups = [b for b in list_backups(folder, db_path) if b.reason in reasons and b.made_at]
    if not backups:
        return []
    newest = backups[-1]
    removed = []
    for backup in backups:
        assert backup.made_at is not None
        if backup is not newest and now - backup.made_at > timedelta(days=keep_days):
            backup.path.unlink(missing_ok=True)
            removed.append(backup.path)
    return removed


def check_backup(path: Path, known_migrations: list[str]) -> list[str]:
    """What makes path unusable as this tool's database (empty when it is fine).

    Checks that it is an SQLite file that passes `PRAGMA integrity_check`, holds the
    tool's schema (migration records and core tables), and was not written by a newer
    version (a migration this code does not know).
    """
    if not path.is_file():
        return [f"{path} is not a file"]
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        return [f"{path} cannot be opened ({exc})"]
    try:
        try:
            result = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()]
        except sqlite3.DatabaseError as exc:
            if "malformed" in str(exc):
                return [f"{path} is damaged ({exc})"]
            return [f"{path} is not an SQLite database ({exc})"]
        if result != ["ok"]:
            return [f"{path} is damaged (integrity check: {'; '.join(result[:3])})"]
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "_sqlite_migrations" not in tables:
            return [f"{path} is not a database of this tool (no schema records)"]
        applied = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM _sqlite_migrations WHERE migration_set = 'social'"
            )
        ]
        problems = []
        unknown = [name for name in applied if name not in known_migrations]
        if unknown:
            problems.append(
                f"{path} was written by a newer version of social (schema {unknown[-1]}); "
                "upgrade social first"
            )
        missing = [t for t in CORE_TABLES if t not in tables]
        if missing:
            problems.append(f"{path} lacks the tables {', '.join(missing)}")
        return problems
    finally:
        conn.close()


def set_aside_if_damaged(db_path: Path) -> Path | None:
    """Move a database file that SQLite cannot read (with its -wal/-shm) out of the way.

    Returns where it went, or None when the file is missing or fine.
    """
    db_path = Path(db_path)
    if not db_path.exists():
        return None
    try:
        conn = sqlite3.connect(f"{db_path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            ok = conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        ok = False
    if ok:
        return None
    stamp = utcnow().strftime("%Y%m%d-%H%M%S")
    target = db_path.with_name(f"{db_path.name}.damaged-{stamp}")
    db_path.replace(target)
    for suffix in ("-wal", "-shm"):
        side = db_path.with_name(db_path.name + suffix)
        if side.exists():
            side.replace(target.with_name(target.name + suffix))
    return target


@dataclass(frozen=True)
class Restored:
    """What a restore did: the file restored and the copy kept of the database it replaced."""

    source: Path
    kept: BackupFile | None


def restore_into(
    db: Database | None,
    db_path: Path,
    source: Path,
    keep_folder: Path,
    known_migrations: list[str],
) -> Restored:
    """Replace the database's content with source, after checking it; keep a copy first.

    `db` is the open database (None when its file is gone: then source becomes the file).
    """
    source = Path(source)
    problems = check_backup(source, known_migrations)
    if problems:
        raise DatabaseError(f"{problems[0]}; nothing was changed")
    if Path(db_path).exists() and source.resolve() == Path(db_path).resolve():
        raise DatabaseError(f"{source} is the database itself; give a backup file")
    kept = None
    if db is None:
        db = Database(sqlite3.connect(str(db_path), isolation_level=None))
    else:
        kept = backup_into_folder(db, db_path, keep_folder, "before-restore")
    src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    try:
        src.backup(db.conn)
    except sqlite3.Error as exc:
        where = f", and a copy of it is kept at {kept.path}" if kept else ""
        raise DatabaseError(
            f"could not restore {source} ({exc}); the database is as before{where}"
        ) from None
    finally:
        src.close()
    return Restored(Path(source), kept)
