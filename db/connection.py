"""Open the SQLite database: WAL, foreign keys, migrations on open."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlite_utils import Database

from db.migrations import migrations
from social.errors import DatabaseError


def open_db(path: str | Path, *, migrate: bool = True) -> Database:
    """Open (creating if needed) the database at path and bring its schema up to date."""
    path = Path(path)
    if str(path) != ":memory:" and not path.parent.exists():
        raise DatabaseError(
            f"folder {path.parent} does not exist; create it or change 'database' in social.toml"
        )
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
    db = Database(conn)
    _refuse_newer(db, path)
    if migrate:
        try:
            migrations.apply(db)
        except sqlite3.DatabaseError as exc:
            raise DatabaseError(f"could not update the schema of {path}: {exc}") from exc
    return db


def _refuse_newer(db: Database, path: Path) -> None:
    known = {m.name for m in migrations._migrations}
    unknown = [m.name for m in migrations.applied(db) if m.name not in known]
    if unknown:
        raise DatabaseError(
            f"{path} was written by a newer version of social (schema {unknown[-1]}); "
            "upgrade social (pip install -U social) or use another database"
        )
