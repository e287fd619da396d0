"""`social init`: the folder's social.toml and its database."""

from __future__ import annotations

from pathlib import Path

import click

from core.config import DEFAULT_NAME, load_config, render_default_config, write_config


@click.command()
@click.option("--force", is_flag=True, help="Overwrite an existing social.toml.")
@click.option(
    "--dir",
    "directory",
    type=click.Path(file_okay=False),
    default=".",
    help="Folder to write social.toml in.",
)
def init(force: bool, directory: str) -> None:
    """Write a commented social.toml in this folder and create its database.

    Other commands never create a database: a mistyped [general] database
    is an error, not a new empty file. With a social.toml already here,
    init creates the database it names if that is missing. An existing
    database is never overwritten.

    \b
    Example:
      social init
      $EDITOR social.toml
    """
    from db import open_db

    path = Path(directory) / DEFAULT_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists() and not force:
        config = load_config(path)
        if config.database_path.exists():
            write_config(path, "", force=False)  # refuses: already exists; use --force
        open_db(config.database_path, backup_dir=config.backup_dir).close()
        click.echo(f"{path} is already here; created the database {config.database_path}.")
        return
    write_config(path, render_default_config(), force=force)
    config = load_config(path)
    created = not config.database_path.exists()
    open_db(config.database_path, backup_dir=config.backup_dir).close()
    database = f" and created the database {config.database_path}" if created else ""
    click.echo(
        f"Wrote {path}{database}. Set your account ids there; tokens go in the environment "
        "or 'social auth <platform>'."
    )
