"""`social auth instagram`: check that the Facebook Page token reads the Instagram account."""

from __future__ import annotations

import click

from social.cli.common import Workspace, pass_workspace


@click.command("instagram")
@pass_workspace
def command(ws: Workspace) -> None:
    """Check that the Facebook Page token reads your Instagram professional account.

    Instagram needs no token of its own: social reads it through the Facebook
    Page it is connected to, with the Page token that 'social auth facebook'
    saves (or SOCIAL_FACEBOOK_ACCESS_TOKEN). The user who makes that token
    must also grant instagram_basic and instagram_manage_insights. This
    command stores nothing; it finds the account and reads its profile.

    \b
    Example:
      social auth facebook --user-token EAAB...
      social auth instagram
    """
    from collectors.auth import TokenStore
    from collectors.errors import CollectorError
    from collectors.instagram.api import MIN_FOLLOWERS
    from collectors.instagram.auth import check

    config = ws.config
    try:
        found = check(config, TokenStore(config.token_file))
    except CollectorError as exc:
        raise click.ClickException(str(exc)) from None
    where = (
        "SOCIAL_FACEBOOK_ACCESS_TOKEN" if found.token_source == "env" else "the saved Page token"
    )
    click.echo(
        f"Instagram works with {where}: @{found.username or found.ig_user_id} "
        f"(account {found.ig_user_id})."
    )
    if found.followers is not None and found.followers < MIN_FOLLOWERS:
        click.echo(
            f"Note: the account has {found.followers} followers; Meta gives the daily new "
            f"followers (follower_count) only from {MIN_FOLLOWERS} followers."
        )
    if not config.get("instagram", "ig_user_id"):
        click.echo(
            f'Optional: set ig_user_id = "{found.ig_user_id}" in the [instagram] section of '
            "social.toml to skip looking it up from the Page on every sync."
        )
    if not config.get("instagram", "enabled"):
        click.echo("Set enabled = true in the [instagram] section of social.toml to sync it.")
