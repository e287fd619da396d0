"""`social posts`."""

from __future__ import annotations

from datetime import date

import click

from core import registry
from social.cli.common import DATE, Workspace, emit_rows, format_option, pass_workspace

COLUMNS = ["platform", "published", "id", "views", "likes", "comments", "shares", "caption"]


@click.command()
@click.option("--platform", type=click.Choice(registry.names()), help="Only this platform.")
@click.option("--since", type=DATE, help="Published on or after this date (YYYY-MM-DD).")
@click.option(
    "--limit",
    type=click.IntRange(1, 100_000),
    default=50,
    show_default=True,
    help="At most this many posts.",
)
@format_option("table", "json", "csv")
@pass_workspace
def posts(ws: Workspace, platform: str | None, since: date | None, limit: int, fmt: str) -> None:
    """List posts with their latest lifetime metrics, newest first.

    \b
    Example:
      social posts --platform tiktok --since 2026-11-01
      social posts --format csv > posts.csv
    """
    from db.posts import latest_posts

    rows = latest_posts(ws.db, platform=platform, since=since, limit=limit, zone=ws.config.timezone)
    if fmt == "table":
        from core import formats

        lang = ws.config.language
        for row in rows:
            for key in ("views", "likes", "comments", "shares"):
                row[key] = formats.number(row[key], lang) if row[key] is not None else ""
            row["caption"] = (row["caption"] or "")[:60]
    emit_rows(rows, fmt, COLUMNS)
