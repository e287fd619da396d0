"""Open the SQLite database: WAL, foreign keys, migrations on open (after a backup)."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Generator
from pathlib import Path

from sqlite_utils import Database

from core.errors import DatabaseError
from db.migrations import migrations

BACKUP_FOLDER = "backups"


class SocialDatabase(Database):
    """sqlite-utils' Database whose transactions take the write lock when they begin.

    A deferred `BEGIN` that reads and then writes fails at once with "database is
    locked" if another process (the scheduler service, the web app) committed in
    between: in WAL mode SQLite cannot upgrade a stale read snapshot, and the busy
    timeout does not help. `BEGIN IMMEDIATE` waits for the lock up front instead.
    """

    @contextlib.contextmanager
    def atomic(self) -> Generator[Database, None, None]:
        if self.conn.in_transaction:
            with super().atomic() as db:  # a savepoint inside the open transaction
                yield db
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self
        except BaseException:
            self.rollback()
            raise
        else:
            try:
                self.conn.execute("COMMIT")
            except BaseException:
                self.rollback()
                raise


def open_db(
    path: str | Path,
    *,
    migrate: bool = True,
    create: bool = True,
    backup_dir: str | Path | None = None,
) -> Database:
    """Open the database at path and bring its schema up to date.

    With create=False a missing file is an error instead of a new empty database
    (a mistyped `database` in social.toml must not quietly start from nothing).
    An existing database is backed up (to backup_dir, default `backups/` next to
    it) before a migration changes it.
    """
    path = Path(path)
    memory = str(path) == ":memory:"
    if not memory and not path.parent.exists():
        raise DatabaseError(
            f"folder {path.parent} does not exist; create it or change 'database' in social.toml"
        )
    if not memory and not create and not path.exists():
        raise DatabaseError(
            f"the database {path} does not exist; check [general] database in social.toml, "
            "or run 'social init' to create a new one"
        )
    if not memory and path.is_dir():
        raise DatabaseError(f"{path} is a folder; point [general] database at a file")
    existed = not memory and path.exists() and path.stat().st_size > 0
    try:
        conn = sqlite3.connect(str(path), timeout=30, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA busy_timeout=30000")
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(
            f"{path} is not a usable SQLite database ({exc}); restore it or point 'database' elsewhere"
        ) from exc
    db = SocialDatabase(conn)
    _refuse_newer(db, path)
    if migrate:
        pending = migrations.pending(db)
        if existed and pending and migrations.applied(db):
            _backup_before_migration(db, path, backup_dir, pending[0].name)
        try:
            migrations.apply(db)
        except sqlite3.DatabaseError as exc:
            raise DatabaseError(f"could not update the schema of {path}: {exc}") from exc
    return db


def _backup_before_migration(
    db: Database, path: Path, backup_dir: str | Path | None, first: str
) -> None:
    from db.backup import backup_into_folder

    folder = Path(backup_dir) if backup_dir is not None else path.parent / BACKUP_FOLDER
    try:
        backup_into_folder(db, path, folder, "before-migration")
    except (DatabaseError, OSError) as exc:
        raise DatabaseError(
            f"{path} needs a schema update ({first}), but the backup before it failed ({exc}); "
            "nothing was changed; free some disk space or fix [backup] dir in social.toml"
        ) from None


def _refuse_newer(db: Database, path: Path) -> None:
    known = {m.name for m in migrations._migrations}
    unknown = [m.name for m in migrations.applied(db) if m.name not in known]
    if unknown:
        raise DatabaseError(
            f"{path} was written by a newer version of social (schema {unknown[-1]}); "
            "upgrade social (pip install -U social) or use another database"
        )


def known_migrations() -> list[str]:
    """The names of every migration this code knows, in order."""
    return [m.name for m in migrations._migrations]
