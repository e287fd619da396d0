"""`social auth`: connect platforms and show token status."""

from __future__ import annotations

import importlib
import importlib.util
import json
import secrets

import click

from social.cli.common import Workspace, format_option, pass_workspace


@click.group()
def auth() -> None:
    """Connect to a platform and show token status.

    Tokens are stored in .social-tokens.json (mode 0600) next to social.toml,
    never in social.toml or the database. Environment variables
    (SOCIAL_<PLATFORM>_ACCESS_TOKEN, ...) take precedence.

    \b
    Example:
      social auth tiktok            # browser sign-in, localhost redirect
      social auth status
    """


@auth.command()
@click.option("--token", help="Paste an access token instead of signing in.")
@click.option("--refresh-token", help="With --token: its refresh token, if you have one.")
@click.option("--expires-in", type=int, help="With --token: seconds until it expires.")
@click.option("--code", help="An authorization code you already have (skips the browser).")
@click.option(
    "--port",
    type=int,
    default=8710,
    show_default=True,
    help="Localhost port for the redirect (register http://127.0.0.1:PORT/callback).",
)
@click.option("--no-browser", is_flag=True, help="Print the sign-in URL instead of opening it.")
@pass_workspace
def tiktok(
    ws: Workspace,
    token: str | None,
    refresh_token: str | None,
    expires_in: int | None,
    code: str | None,
    port: int,
    no_browser: bool,
) -> None:
    """Connect the TikTok Display API (organic videos).

    Needs tiktok.client_key in social.toml and SOCIAL_TIKTOK_CLIENT_SECRET in the
    environment for the sign-in; pasting a token needs neither.

    \b
    Example:
      export SOCIAL_TIKTOK_CLIENT_SECRET=...
      social auth tiktok
      social auth tiktok --token act.example --refresh-token rft.example --expires-in 86400
    """
    from collectors.auth import TokenSet, TokenStore, credential
    from collectors.tiktok_api import authorize_url, exchange_token

    store = TokenStore(ws.config.token_file)
    if token:
        payload = {"access_token": token, "refresh_token": refresh_token, "expires_in": expires_in}
        store.save("tiktok", TokenSet.from_response(payload))
        click.echo(f"Saved the TikTok token in {store.path} (mode 0600).")
        return
    client_key = str(ws.config.get("tiktok", "client_key"))
    client_secret = credential("tiktok", "client_secret")
    if not client_key or not client_secret:
        raise click.ClickException(
            "tiktok: set client_key in social.toml and SOCIAL_TIKTOK_CLIENT_SECRET in the "
            "environment, or paste a token with --token"
        )
    redirect_uri = f"http://127.0.0.1:{port}/callback"
    if not code:
        from collectors.oauth_redirect import wait_for_code

        state = secrets.token_urlsafe(16)
        url = authorize_url(client_key, redirect_uri, state)
        click.echo(f"Open this URL and allow access:\n  {url}")
        if not no_browser:
            import webbrowser

            webbrowser.open(url)
        code = wait_for_code(port, state, platform="tiktok")
    tokens = exchange_token(
        str(ws.config.get("tiktok", "base_url")),
        {
            "client_key": client_key,
            "client_secret": client_secret,
            "code": code,
            "grant_type": "authorization_code",
            "redirect_uri": redirect_uri,
        },
    )
    store.save("tiktok", tokens)
    click.echo(f"Connected TikTok account {tokens.account_id or ''}; tokens saved in {store.path}.")


@auth.command("status")
@format_option("table", "json")
@pass_workspace
def auth_status(ws: Workspace, fmt: str) -> None:
    """Show where each platform's token comes from and when it expires.

    \b
    Example:
      social auth status --format json
    """
    from collectors.auth import TokenStore, token_status
    from social.domain import PLATFORMS

    store = TokenStore(ws.config.token_file)
    rows = [vars(token_status(p, store)) for p in PLATFORMS]
    # Meta's Marketing API uses its own long-lived user token (60 days), shown when in use.
    ads = token_status("facebook", store, token_name="ads_token", entry="facebook_ads")
    if ads.source != "none":
        rows.append(vars(ads))
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2))
        return
    for row in rows:
        days = f"{row['days_left']:.0f} days left" if row["days_left"] is not None else ""
        warning = f"  ! {row['warning']}" if row["warning"] else ""
        click.echo(f"{row['platform']:<13} {row['source']:<5} {days}{warning}")


# Other platforms' sign-in commands live in their own modules and join this group.
for _module in ("social.cli.auth_linkedin", "social.cli.auth_facebook"):
    if importlib.util.find_spec(_module) is not None:
        _command = importlib.import_module(_module).command
        auth.add_command(_command)
