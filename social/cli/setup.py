"""`social init`."""

from __future__ import annotations

from pathlib import Path

import click

from social.config import DEFAULT_NAME, render_default_config, write_config


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
    """Write a commented social.toml in this folder.

    \b
    Example:
      social init
      $EDITOR social.toml
    """
    path = Path(directory) / DEFAULT_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    write_config(path, render_default_config(), force=force)
    click.echo(
        f"Wrote {path}. Set your account ids there; tokens go in the environment "
        "or 'social auth <platform>'."
    )
