"""`social sync`."""

from __future__ import annotations

import contextlib
import signal
import sys
from collections.abc import Callable, Iterator
from datetime import date
from types import FrameType
from typing import Any

import click

from core import registry
from social.cli.common import DATE, Workspace, pass_workspace


@click.command()
@click.argument("platforms", nargs=-1, type=click.Choice(registry.names()))
@click.option(
    "--since", type=DATE, help="Collect from this date (YYYY-MM-DD) instead of the bookmark."
)
@click.option("--full", is_flag=True, help="Ignore bookmarks and backfill everything again.")
@pass_workspace
def sync(ws: Workspace, platforms: tuple[str, ...], since: date | None, full: bool) -> None:
    """Collect metrics from the platforms into the database.

    The first sync backfills (default 365 days); later ones fetch new posts,
    refresh recent ones and re-collect a trailing window of late-settling
    stats. Every page is stored as it arrives and every stage keeps its own
    bookmark, so a failure or a stop (Ctrl+C, SIGTERM) keeps what was already
    collected and the next run finishes the job. A workspace made by
    'social demo' starts its sandbox by itself.

    \b
    Example:
      social sync                      # every enabled platform
      social sync tiktok --since 2026-01-01
    """
    from social.sync import Interrupted, enabled_platforms, run_sync

    chosen = list(platforms) or enabled_platforms(ws.config)
    if not chosen:
        raise click.ClickException("no platform is enabled; set enabled = true in social.toml")
    try:
        with _sigterm_interrupts(Interrupted):
            summaries = _run_with_progress(ws, chosen, since, full, run_sync)
    except Interrupted:
        click.echo(
            "Stopped (SIGTERM); everything stored so far is kept and the next sync finishes "
            "the job.",
            err=True,
        )
        sys.exit(143)
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


@contextlib.contextmanager
def _sigterm_interrupts(exc: type[BaseException]) -> Iterator[None]:
    """Turn SIGTERM into `exc` while the sync runs, so its run is logged as interrupted."""

    def stop(signum: int, frame: FrameType | None) -> None:
        raise exc()

    try:
        previous = signal.signal(signal.SIGTERM, stop)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
