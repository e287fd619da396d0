"""`social insights`."""

from __future__ import annotations

import json
from datetime import date

import click

from core import registry
from social.cli.common import DATE, Workspace, format_option, pass_workspace

GROUPINGS = ("theme", "owner", "format", "length", "weekday", "hour", "season")


@click.command()
@click.option("--platform", type=click.Choice(registry.names()), help="Only this platform.")
@click.option("--since", type=DATE, help="Only posts published on or after this date.")
@click.option(
    "--by",
    type=click.Choice(GROUPINGS),
    default="theme",
    show_default=True,
    help="What to group posts by.",
)
@click.option("--lang", type=click.Choice(["nb", "en"]), help="Language (default from config).")
@click.option(
    "--out", type=click.Path(dir_okay=False), help="Write to this file instead of stdout."
)
@format_option("table", "json", "html")
@pass_workspace
def insights(
    ws: Workspace,
    platform: str | None,
    since: date | None,
    by: str,
    lang: str | None,
    out: str | None,
    fmt: str,
) -> None:
    """What makes a post do better than the account usually does.

    Each post's views after [insights] age_days (7) are compared with the
    median of the account's previous posts at the same age, so a post is
    "3.2x typical" rather than "15 000 views". Groups get a 95 % bootstrap
    interval; only an interval that excludes 1x is called a pattern, and
    groups with too few posts are listed but not ranked.

    \b
    Example:
      social insights --platform tiktok --by theme
      social insights --by weekday --format json
    """
    from core.timeutil import utcnow
    from social.insights.render import render_html, render_table
    from social.insights.report import build_insights

    result = build_insights(
        ws.db, ws.config, by=by, lang=lang, platform=platform, since=since, now=utcnow()
    )
    if fmt == "json":
        text = json.dumps(result.to_json(), ensure_ascii=False, indent=2, default=str)
    elif fmt == "html":
        text = render_html(result)
    else:
        text = render_table(result)
    from social.cli.common import refuse_own_files

    refuse_own_files(ws, out, "--out")
    if out:
        with open(out, "w", encoding="utf-8") as fh:
            fh.write(text)
        from db.files import record_written  # a privacy deletion must reach this file

        record_written(ws.db, out, "insights")
        click.echo(f"Wrote {out}")
    else:
        click.echo(text)
