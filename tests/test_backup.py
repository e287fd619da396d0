"""`social backup` / `social restore` on a live database, the backup before every migration,
and the scheduler's nightly backup with its retention."""

from __future__ import annotations

import sqlite3
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from core.config import load_config
from db import open_db
from db.backup import backup_name, list_backups, prune
from db.migrations import migrations
from scheduler.service import backup_now, build_scheduler
from social.cli import cli
from social.jobs import application_jobs


def run(runner: CliRunner, *args: str) -> Result:
    return runner.invoke(cli, list(args))


def names(db_file: Path) -> list[str]:
    conn = sqlite3.connect(db_file)
    try:
        return [r[0] for r in conn.execute("SELECT name FROM team_members ORDER BY name")]
    finally:
        conn.close()


class Writer:
    """Another program writing to the database all the time (the scheduler service, say)."""

    def __init__(self, db_file: Path) -> None:
        self.db_file, self.stop, self.writes = db_file, threading.Event(), 0
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        db = open_db(self.db_file)
        while not self.stop.is_set():
            with db.atomic():
                db.execute(
                    "INSERT INTO generated_reports (kind, key, lang, generated_at, figures) "
                    "VALUES ('weekly', 'k', 'nb', '2026-11-30T00:00:00Z', ?)",
                    ["x" * 2000],
                )
            self.writes += 1
        db.close()

    def __enter__(self) -> Writer:
        self.thread.start()
        while self.writes < 20:
            self.stop.wait(0.01)
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join(10)


def test_backup_and_restore_round_trip_a_database_that_is_being_written(
    workspace_dir: Path, runner: CliRunner
) -> None:
    db_file = workspace_dir / "social.db"
    for name in ("Ingrid", "Sander"):
        assert run(runner, "team", "add", name).exit_code == 0
    with Writer(db_file) as writer:
        made = run(runner, "backup")
        assert made.exit_code == 0, made.output
        # (A privacy deletion would reach the backup too: change things another way.)
        renamed = run(runner, "team", "edit", "Sander", "--rename", "Sindre")
        assert renamed.exit_code == 0, renamed.output
        assert run(runner, "team", "add", "Amina").exit_code == 0
        assert names(db_file) == ["Amina", "Ingrid", "Sindre"]
        (copy,) = list_backups(workspace_dir / "backups", db_file)
        assert copy.reason == "manual" and str(copy.path) in made.output
        restored = run(runner, "restore", str(copy.path), "--yes")
        assert restored.exit_code == 0, restored.output
        during = writer.writes
    assert during > 20  # the other program kept writing through backup and restore
    assert names(db_file) == ["Ingrid", "Sander"]
    check = sqlite3.connect(db_file).execute("PRAGMA integrity_check").fetchone()[0]
    assert check == "ok"
    kept = [b for b in list_backups(workspace_dir / "backups", db_file) if b.reason]
    before = next(b for b in kept if b.reason == "before-restore")
    assert names(before.path) == ["Amina", "Ingrid", "Sindre"]  # the restore can be undone
    assert f"kept at {before.path}" in restored.output


def test_backup_to_a_named_file_and_list(workspace_dir: Path, runner: CliRunner) -> None:
    target = workspace_dir / "usb" / "copy.db"
    target.parent.mkdir()
    assert run(runner, "team", "add", "Ingrid").exit_code == 0
    assert run(runner, "backup", "--to", str(target)).exit_code == 0
    assert names(target) == ["Ingrid"]
    again = run(runner, "backup", "--to", str(target))
    assert again.exit_code == 1 and "already exists; choose another file" in again.output
    assert run(runner, "backup").exit_code == 0
    listed = run(runner, "backup", "--list", "--format", "json")
    assert listed.exit_code == 0 and '"reason": "manual"' in listed.output


def _dump(db_file: Path) -> str:
    conn = sqlite3.connect(db_file)
    try:
        return "\n".join(conn.iterdump())
    finally:
        conn.close()


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda p: p.write_bytes(b"not a database at all" * 100), "not an SQLite database"),
        (lambda p: sqlite3.connect(p).execute("CREATE TABLE x (a)"), "not a database of this"),
        ("truncated", "is damaged"),
        ("newer", "written by a newer version of social (schema m999_future)"),
    ],
)
def test_restore_checks_the_file_first_and_changes_nothing_when_it_is_bad(
    workspace_dir: Path, runner: CliRunner, make: object, expected: str
) -> None:
    db_file = workspace_dir / "social.db"
    assert run(runner, "team", "add", "Ingrid").exit_code == 0
    bad = workspace_dir / "bad.db"
    if make == "truncated":
        assert run(runner, "backup", "--to", str(bad)).exit_code == 0
        data = bad.read_bytes()
        bad.write_bytes(data[: len(data) // 2] + b"\x00" * (len(data) - len(data) // 2))
    elif make == "newer":
        assert run(runner, "backup", "--to", str(bad)).exit_code == 0
        conn = sqlite3.connect(bad)
        conn.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
            "VALUES ('social', 'm999_future', 'x')"
        )
        conn.commit()
        conn.close()
    else:
        assert callable(make)
        make(bad)
    before = _dump(db_file)
    result = run(runner, "restore", str(bad), "--yes")
    assert result.exit_code == 1
    assert expected in result.output and "nothing was changed" in result.output
    assert "Traceback" not in result.output and "internal error" not in result.output
    assert _dump(db_file) == before
    assert not (workspace_dir / "backups").exists()  # nothing to undo: no copy was needed


def test_restore_replaces_a_damaged_database_and_keeps_it_aside(
    workspace_dir: Path, runner: CliRunner
) -> None:
    db_file = workspace_dir / "social.db"
    assert run(runner, "team", "add", "Ingrid").exit_code == 0
    good = workspace_dir / "good.db"
    assert run(runner, "backup", "--to", str(good)).exit_code == 0
    db_file.write_bytes(b"\x00garbage" * 1000)
    result = run(runner, "restore", str(good), "--yes")
    assert result.exit_code == 0, result.output
    assert names(db_file) == ["Ingrid"]
    assert "damaged database was moved to" in result.output
    assert list(workspace_dir.glob("social.db.damaged-*"))


def test_an_existing_database_is_backed_up_before_a_migration(tmp_path: Path) -> None:
    db_file = tmp_path / "social.db"
    old = open_db(db_file, migrate=False)
    migrations.apply(old, stop_before="m006_ad_links_flights_breakdowns")
    old.execute(
        "INSERT INTO team_members (name, created_at) VALUES ('Ingrid', '2026-01-01T00:00:00Z')"
    )
    old.close()
    open_db(db_file, backup_dir=tmp_path / "kept").close()
    (copy,) = list_backups(tmp_path / "kept", db_file)
    assert copy.reason == "before-migration"
    conn = sqlite3.connect(copy.path)
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert "post_breakdowns" not in tables  # the schema as it was before
    assert conn.execute("SELECT name FROM team_members").fetchall() == [("Ingrid",)]
    conn.close()
    # A new database and an up-to-date one get no backup.
    open_db(tmp_path / "new.db", backup_dir=tmp_path / "kept").close()
    open_db(db_file, backup_dir=tmp_path / "kept").close()
    assert len(list_backups(tmp_path / "kept", db_file)) == 1
    assert list_backups(tmp_path / "kept", tmp_path / "new.db") == []


def test_the_nightly_backup_keeps_backups_for_keep_days_and_never_deletes_manual_ones(
    workspace_dir: Path,
) -> None:
    (workspace_dir / "social.toml").write_text(
        '[backup]\nkeep_days = 7\nnightly_cron = "30 2 * * *"\n', encoding="utf-8"
    )
    config = load_config(workspace_dir / "social.toml")
    folder = workspace_dir / "backups"
    folder.mkdir()
    now = datetime.now(UTC)
    db_file = config.database_path
    old_nightly = [
        folder / backup_name(db_file, "nightly", now - timedelta(days=d)) for d in (8, 30)
    ]
    recent = folder / backup_name(db_file, "nightly", now - timedelta(days=3))
    manual = folder / backup_name(db_file, "manual", now - timedelta(days=100))
    other = folder / "my-own-copy.db"
    for path in [*old_nightly, recent, manual, other]:
        path.write_bytes(b"x")
    db = open_db(db_file)
    line = backup_now(config, db)
    assert "deleted 2 older than 7 days" in line
    assert not any(p.exists() for p in old_nightly)
    assert recent.exists() and manual.exists() and other.exists()
    nightly = [b for b in list_backups(folder, db_file) if b.reason == "nightly"]
    assert len(nightly) == 2
    assert build_scheduler(config, db, application_jobs(), scheduler=_Recorder()).ids == [
        "reminders",
        "sync",
        "weekly-report",
        "backup",
    ]


def test_prune_always_keeps_the_newest_backup(tmp_path: Path) -> None:
    db_file = tmp_path / "social.db"
    only = tmp_path / backup_name(db_file, "nightly", datetime.now(UTC) - timedelta(days=90))
    only.write_bytes(b"x")
    assert prune(tmp_path, db_file, keep_days=7) == []
    assert only.exists()


class _Recorder:
    """Stands in for an APScheduler scheduler: records the jobs added."""

    def __init__(self) -> None:
        self.ids: list[str] = []

    def add_job(self, func: object, trigger: object, id: str) -> None:  # noqa: A002
        self.ids.append(id)
