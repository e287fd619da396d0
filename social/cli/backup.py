"""`social backup` and `social restore`: copies of the database, and getting one back."""

from __future__ import annotations

import time
from pathlib import Path

import click

from social.cli.common import (
    Workspace,
    emit_rows,
    format_option,
    pass_workspace,
    refuse_own_files,
)


def _size(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB" if n >= 100_000 else f"{max(1, round(n / 1000))} kB"


@click.command()
@click.option(
    "--to",
    "target",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Backup file to write [backup.dir/<name>-<time>-manual.db].",
)
@click.option("--list", "show", is_flag=True, help="List the backups in [backup] dir instead.")
@format_option("table", "json")
@pass_workspace
def backup(ws: Workspace, target: Path | None, show: bool, fmt: str) -> None:
    """Back the database up: a consistent copy, safe while the scheduler or web app runs.

    Without --to the copy goes to [backup] dir (default backups/ next to
    social.toml), named for the time. The scheduler service also makes one
    every night ([backup] nightly_cron) and deletes automatic ones older
    than [backup] keep_days; backups made with this command are never
    deleted. A backup is also made before a new version changes the schema.

    \b
    Example:
      social backup
      social backup --to /mnt/usb/social-2026-11-30.db
      social backup --list
    """
    from db.backup import backup_into_folder, list_backups, make_backup

    config = ws.config
    if show:
        rows = [
            {
                "file": str(b.path),
                "made_at": b.made_at.strftime("%Y-%m-%d %H:%M UTC") if b.made_at else "",
                "reason": b.reason or "",
                "size": _size(b.size) if fmt == "table" else b.size,
            }
            for b in reversed(list_backups(config.backup_dir, config.database_path))
        ]
        if fmt == "table" and not rows:
            click.echo(f"No backups in {config.backup_dir} yet; make one with 'social backup'.")
            return
        emit_rows(rows, fmt, ["file", "made_at", "reason", "size"])
        return
    started = time.monotonic()
    if target is None:
        made = backup_into_folder(ws.db, config.database_path, config.backup_dir, "manual")
    else:
        refuse_own_files(ws, target, "--to")
        made = make_backup(ws.db, target)
    seconds = time.monotonic() - started
    click.echo(
        f"Backed up {config.database_path.name} to {made.path} "
        f"({_size(made.size)}, {seconds:.1f} s). Restore it with 'social restore {made.path}'."
    )


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@pass_workspace
def restore(ws: Workspace, file: Path, yes: bool) -> None:
    """Replace the database with a backup, after checking the backup.

    The file must pass SQLite's integrity check and hold this tool's schema
    (an older schema is brought up to date after the restore; a newer one is
    refused). The database it replaces is kept as a backup first, so a
    restore can be undone. Safe while the scheduler service runs: it sees
    the restored data at its next step.

    \b
    Example:
      social restore backups/social-20261130-023000-nightly.db
    """
    from core.errors import DatabaseError
    from db import open_db
    from db.backup import check_backup, restore_into, set_aside_if_damaged
    from db.connection import known_migrations

    config = ws.config
    path = config.database_path
    problems = check_backup(file, known_migrations())
    if problems:
        raise DatabaseError(f"{problems[0]}; nothing was changed")
    if not yes:
        what = f"the database {path}" if path.exists() else f"a new database at {path}"
        click.confirm(f"Replace {what} with {file}? A copy of the current one is kept.", abort=True)
    moved = set_aside_if_damaged(path)
    db = ws.db if path.exists() else None
    result = restore_into(db, path, file, config.backup_dir, known_migrations())
    if db is not None:
        db.close()
    open_db(path, backup_dir=config.backup_dir).close()  # an older backup gets the new schema
    kept = f"; the database it replaced is kept at {result.kept.path}" if result.kept else ""
    if moved:
        kept = f"; the damaged database was moved to {moved}"
    click.echo(f"Restored {file} into {path}{kept}.")
