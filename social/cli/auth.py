"""`social auth`: connect platforms and show token status."""

from __future__ import annotations

import json

import click

from core import registry
from social.cli.common import Workspace, format_option, pass_workspace


@click.group()
def auth() -> None:
    """Connect to a platform and show token status.

    Tokens are stored in .social-tokens.json (mode 0600) next to social.toml,
    never in social.toml or the database. Environment variables
    (SOCIAL_<PLATFORM>_ACCESS_TOKEN, ...) take precedence.

    \b
    Example:
      social auth tiktok                      # browser sign-in, localhost redirect (PKCE)
      social auth tiktok --part business      # the business account's analytics
      social auth linkedin --part ads         # the second LinkedIn app, for ads
      social auth status
    """


@auth.command("status")
@format_option("table", "json")
@pass_workspace
def auth_status(ws: Workspace, fmt: str) -> None:
    """Show where each token comes from and when it expires.

    Lists each platform's main token, and its other tokens (a business account's,
    an ads API's) when the config uses them or they are stored.

    \b
    Example:
      social auth status --format json
    """
    from collectors.auth import TokenStore, token_statuses

    store = TokenStore(ws.config.token_file)
    rows = [vars(s) for s in token_statuses(ws.config, store)]
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2))
        return
    for row in rows:
        days = f"{row['days_left']:.0f} days left" if row["days_left"] is not None else ""
        warning = f"  ! {row['warning']}" if row["warning"] else ""
        click.echo(f"{row['platform']:<16} {row['source']:<5} {days}{warning}")


# Each installed platform's sign-in command joins this group as `social auth <platform>`.
for _record in registry.platforms():
    if _record.auth_command:
        auth.add_command(registry.load(_record.auth_command), _record.name)
