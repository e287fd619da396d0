"""`social auth linkedin`: sign in with OAuth 2 (localhost redirect) or paste a token."""

from __future__ import annotations

import secrets

import click

from social.cli.common import Workspace, pass_workspace


@click.command("linkedin")
@click.option("--token", help="Paste an access token instead of signing in.")
@click.option(
    "--expires-in",
    type=int,
    help="With --token: seconds until it expires (default: LinkedIn's 60 days).",
)
@click.option(
    "--refresh-token",
    help="With --token: its refresh token (LinkedIn issues them to approved partners only).",
)
@click.option("--code", help="An authorization code you already have (skips the browser).")
@click.option(
    "--port",
    type=int,
    default=8711,
    show_default=True,
    help="Localhost port for the redirect (register http://127.0.0.1:PORT/callback in the app).",
)
@click.option("--no-browser", is_flag=True, help="Print the sign-in URL instead of opening it.")
@pass_workspace
def command(
    ws: Workspace,
    token: str | None,
    expires_in: int | None,
    refresh_token: str | None,
    code: str | None,
    port: int,
    no_browser: bool,
) -> None:
    """Connect LinkedIn (organisation page and/or ad accounts).

    Signing in needs linkedin.client_id in social.toml and
    SOCIAL_LINKEDIN_CLIENT_SECRET in the environment; the app needs the
    Community Management API (scopes r_organization_social,
    rw_organization_admin) and/or the Advertising API (r_ads, r_ads_reporting).
    Access tokens live 60 days: `social auth status` and every sync warn from
    14 days before expiry. Pasting a token needs no app secret.

    \b
    Example:
      export SOCIAL_LINKEDIN_CLIENT_SECRET=...
      social auth linkedin
      social auth linkedin --token AQX... --expires-in 5184000
    """
    from collectors.auth import TokenStore, credential
    from collectors.linkedin_api import (
        DEFAULT_LIFETIME_SECONDS,
        authorize_url,
        exchange_token,
        scopes_for,
        token_set,
    )

    config = ws.config
    store = TokenStore(config.token_file)
    base_url = str(config.get("linkedin", "base_url"))
    if token:
        if expires_in is not None and expires_in <= 0:
            raise click.BadParameter(
                "must be a positive number of seconds", param_hint="--expires-in"
            )
        lifetime = expires_in or DEFAULT_LIFETIME_SECONDS
        store.save(
            "linkedin",
            token_set(
                {"access_token": token, "refresh_token": refresh_token, "expires_in": lifetime}
            ),
        )
        note = "" if expires_in else " (assumed LinkedIn's 60 days; pass --expires-in to be exact)"
        click.echo(
            f"Saved the LinkedIn token in {store.path} (mode 0600); "
            f"it expires in {lifetime / 86400:.0f} days{note}."
        )
        return
    client_id = str(config.get("linkedin", "client_id"))
    client_secret = credential("linkedin", "client_secret")
    if not client_id or not client_secret:
        raise click.ClickException(
            "linkedin: set client_id in the [linkedin] section of social.toml and "
            "SOCIAL_LINKEDIN_CLIENT_SECRET in the environment, or paste a token with --token"
        )
    redirect_uri = f"http://127.0.0.1:{port}/callback"
    scopes = scopes_for(
        bool(str(config.get("linkedin", "organization_id"))),
        bool(config.get("linkedin", "ad_account_ids")),
    )
    if not code:
        from collectors.oauth_redirect import wait_for_code

        state = secrets.token_urlsafe(16)
        url = authorize_url(base_url, client_id, redirect_uri, state, scopes)
        click.echo(f"Open this URL and allow access ({' '.join(scopes)}):\n  {url}")
        if not no_browser:
            import webbrowser

            webbrowser.open(url)
        code = wait_for_code(port, state, platform="linkedin")
    tokens = exchange_token(
        base_url,
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
            "client_id": client_id,
            "client_secret": client_secret,
        },
    )
    store.save("linkedin", tokens)
    refresh = " and a refresh token" if tokens.refresh_token else ""
    click.echo(
        f"Connected LinkedIn{refresh}; tokens saved in {store.path}. "
        f"The access token expires {tokens.expires_at or 'at an unknown time'} (UTC)."
    )
