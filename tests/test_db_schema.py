"""The database: WAL, foreign keys, migrations, refusal of a newer schema."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.errors import DatabaseError
from db import open_db


def test_open_creates_schema_in_wal_mode_with_foreign_keys(db_path: Path) -> None:
    db = open_db(db_path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert {"accounts", "posts", "metric_values", "post_snapshots", "sync_runs"} <= set(
        db.table_names()
    )


def test_reopening_applies_no_migration_twice(db_path: Path) -> None:
    open_db(db_path)
    db = open_db(db_path)
    names = [r[0] for r in db.execute("SELECT name FROM _sqlite_migrations")]
    assert len(names) == len(set(names))


def test_database_from_a_newer_version_is_refused_with_a_clear_message(db_path: Path) -> None:
    db = open_db(db_path)
    db["_sqlite_migrations"].insert(
        {"migration_set": "social", "name": "m999_future", "applied_at": "2030-01-01"}
    )
    db.conn.close()
    with pytest.raises(DatabaseError, match="newer version of social"):
        open_db(db_path)


def test_a_file_that_is_not_sqlite_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "social.db"
    bad.write_bytes(b"this is not a database" * 100)
    with pytest.raises(DatabaseError, match="not a usable SQLite database"):
        open_db(bad)
