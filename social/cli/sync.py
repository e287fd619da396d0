"""`social sync`."""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date
from typing import Any

import click

from social.cli.common import DATE, Workspace, pass_workspace
from social.domain import PLATFORMS


@click.command()
@click.argument("platforms", nargs=-1, type=click.Choice(PLATFORMS))
@click.option(
    "--since", type=DATE, help="Collect from this date (YYYY-MM-DD) instead of the bookmark."
)
@click.option("--full", is_flag=True, help="Ignore bookmarks and backfill everything again.")
@pass_workspace
def sync(ws: Workspace, platforms: tuple[str, ...], since: date | None, full: bool) -> None:
    """Collect metrics from the platforms into the database.

    The first sync backfills (default 365 days); later ones fetch new posts,
    refresh recent ones and re-collect a trailing window of late-settling
    stats. Every page is stored as it arrives, so a failure keeps what was
    already collected and the next run finishes the job.

    \b
    Example:
      social sync                      # every enabled platform
      social sync tiktok --since 2026-01-01
    """
    from social.sync import enabled_platforms, run_sync

    chosen = list(platforms) or enabled_platforms(ws.config)
    if not chosen:
        raise click.ClickException("no platform is enabled; set enabled = true in social.toml")
    summaries = _run_with_progress(ws, chosen, since, full, run_sync)
    failed = False
    for summary in summaries:
        for warning in summary.warnings:
            click.echo(f"warning: {summary.platform}: {warning}", err=True)
        stream = sys.stderr if summary.outcome != "ok" else sys.stdout
        click.echo(summary.line(), file=stream)
        failed = failed or summary.outcome == "failed"
        if summary.outcome == "skipped" and platforms:
            failed = True
    if failed:
        sys.exit(1)


def _run_with_progress(
    ws: Workspace,
    chosen: list[str],
    since: date | None,
    full: bool,
    run_sync: Callable[..., list[Any]],
) -> list[Any]:
    """Run the sync with a spinner and progress text on a terminal, quietly otherwise."""
    if not sys.stderr.isatty():
        return run_sync(ws.config, ws.db, chosen, since=since, full=full)
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(
        SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), transient=True
    ) as bar:
        task = bar.add_task("syncing", total=None)
        return run_sync(
            ws.config,
            ws.db,
            chosen,
            since=since,
            full=full,
            on_progress=lambda text: bar.update(task, description=text),
        )
