"""`social status`."""

from __future__ import annotations

import json
from typing import Any

import click

from social.cli.common import Workspace, format_option, pass_workspace


@click.command()
@format_option("table", "json")
@pass_workspace
def status(ws: Workspace, fmt: str) -> None:
    """Accounts, last sync per platform and its outcome, token expiry, database size.

    \b
    Example:
      social status
      social status --format json
    """
    from collectors.auth import TokenStore, token_statuses
    from db.queries import accounts_with_post_counts, latest_runs
    from scheduler import ledger

    db = ws.db
    path = ws.config.database_path
    size = sum(p.stat().st_size for p in path.parent.glob(path.name + "*") if p.exists())
    accounts = accounts_with_post_counts(db)
    store = TokenStore(ws.config.token_file)
    tokens = [vars(t) for t in token_statuses(ws.config, store)]
    data: dict[str, Any] = {
        "database": str(path),
        "database_bytes": size,
        "accounts": accounts,
        "syncs": latest_runs(db),
        "tokens": tokens,
        "reminders": ledger.counts(db),
    }
    if fmt == "json":
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    click.echo(f"Database: {path} ({size / 1_048_576:.1f} MB)")
    click.echo("Accounts:")
    for a in accounts or [
        {"platform": "-", "kind": "", "external_id": "none yet", "name": "", "posts": 0}
    ]:
        click.echo(
            f"  {a['platform']:<9} {a['kind']:<13} {a['external_id']:<22} {a['name']}"
            f"  ({a['posts']} posts)"
        )
    click.echo("Last sync:")
    if not data["syncs"]:
        click.echo("  never; run 'social sync'")
    for run in data["syncs"]:
        line = f"  {run['platform']:<9} {run['outcome']:<11} {run['last_run']}"
        if run["outcome"] == "ok":
            line += f"  {run['new_posts']} new posts, {run['requests']} requests"
        elif run["error"]:
            line += f"  {run['error']}"
        if run["outcome"] != "ok":
            line += f"  (last success: {run['last_ok'] or 'never'})"
        click.echo(line)
    click.echo("Tokens:")
    for t in tokens:
        expiry = f"expires {t['expires_at']}" if t["expires_at"] else ""
        if t["refresh_expires_at"]:
            expiry += f", refresh until {t['refresh_expires_at']}"
        warn = f"  ! {t['warning']}" if t["warning"] else ""
        click.echo(f"  {t['platform']:<16} {t['source']:<5} {expiry}{warn}")
    reminders = data["reminders"]
    line = ", ".join(f"{reminders[s]} {s}" for s in ("sent", "failed", "sending") if s in reminders)
    click.echo(f"Reminders: {line or 'none sent yet'}")
    if reminders.get("failed"):
        click.echo("  ! see 'social scheduler ledger --status failed'")
