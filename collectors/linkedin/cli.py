"""`social auth linkedin`: sign in with OAuth 2 (localhost redirect) or paste a token."""

from __future__ import annotations

import secrets

import click

from social.cli.common import Workspace, pass_workspace, sign_in_options


@click.command("linkedin")
@click.option(
    "--part",
    type=click.Choice(["page", "ads"]),
    default="page",
    show_default=True,
    help="Which app to sign in with: page (Community Management API, page statistics) or ads "
    "(Advertising API). LinkedIn requires two apps: each part has its own token.",
)
@sign_in_options(8711, "http://127.0.0.1:PORT/callback in the app")
@click.option(
    "--expires-in",
    type=int,
    help="With --token: seconds until it expires (default: LinkedIn's 60 days).",
)
@click.option(
    "--refresh-token",
    help="With --token: its refresh token (LinkedIn issues them to approved partners only).",
)
@pass_workspace
def command(
    ws: Workspace,
    part: str,
    token: str | None,
    expires_in: int | None,
    refresh_token: str | None,
    code: str | None,
    port: int,
    no_browser: bool,
) -> None:
    """Connect LinkedIn: the page app (statistics) or the ads app (paid stats).

    LinkedIn's Community Management API must be the only product on its app,
    so page statistics and ads need two apps and two tokens. The page app:
    [linkedin] client_id and SOCIAL_LINKEDIN_CLIENT_SECRET, scopes
    r_organization_social, rw_organization_admin (token: 'linkedin', or
    SOCIAL_LINKEDIN_ACCESS_TOKEN). The ads app: [linkedin] ads_client_id and
    SOCIAL_LINKEDIN_ADS_CLIENT_SECRET, scopes r_ads, r_ads_reporting (token:
    'linkedin_ads', or SOCIAL_LINKEDIN_ADS_ACCESS_TOKEN). Access tokens live 60
    days: `social auth status` and every sync warn from 14 days before expiry.
    Pasting a token needs no app secret.

    \b
    Example:
      export SOCIAL_LINKEDIN_CLIENT_SECRET=...
      social auth linkedin                    # the page app
      export SOCIAL_LINKEDIN_ADS_CLIENT_SECRET=...
      social auth linkedin --part ads         # the ads app
      social auth linkedin --part ads --token AQX... --expires-in 5184000
    """
    from collectors.auth import TokenStore, secret
    from collectors.linkedin.api import (
        DEFAULT_LIFETIME_SECONDS,
        authorize_url,
        exchange_token,
        scopes_for,
        token_set,
    )
    from collectors.linkedin.collector import APPS

    app = APPS[part]
    config = ws.config
    store = TokenStore(config.token_file)
    base_url = str(config.get("linkedin", "base_url"))
    label = "page" if part == "page" else "ads"
    if token:
        if expires_in is not None and expires_in <= 0:
            raise click.BadParameter(
                "must be a positive number of seconds", param_hint="--expires-in"
            )
        lifetime = expires_in or DEFAULT_LIFETIME_SECONDS
        store.save(
            app.entry,
            token_set(
                {"access_token": token, "refresh_token": refresh_token, "expires_in": lifetime}
            ),
        )
        note = "" if expires_in else " (assumed LinkedIn's 60 days; pass --expires-in to be exact)"
        click.echo(
            f"Saved the LinkedIn {label} token in {store.path} (mode 0600); "
            f"it expires in {lifetime / 86400:.0f} days{note}."
        )
        return
    client_id = str(config.get("linkedin", app.client_id_key)).strip()
    client_secret = secret("linkedin", app.secret_name, store)
    if not client_id or not client_secret:
        raise click.ClickException(
            f"linkedin: set {app.client_id_key} in the [linkedin] section of social.toml and "
            f"SOCIAL_LINKEDIN_{app.secret_name.upper()} in the environment (the {label} app's "
            "id and secret), or paste a token with --token"
        )
    redirect_uri = f"http://127.0.0.1:{port}/callback"
    scopes = scopes_for(part)
    if not code:
        from collectors.oauth_redirect import sign_in

        state = secrets.token_urlsafe(16)
        url = authorize_url(base_url, client_id, redirect_uri, state, scopes)
        note = f" ({' '.join(scopes)})"
        code = sign_in(
            url, port, state, "linkedin", open_browser=not no_browser, echo=click.echo, note=note
        )
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
    store.save(app.entry, tokens)
    refresh = " and a refresh token" if tokens.refresh_token else ""
    click.echo(
        f"Connected LinkedIn ({label} app){refresh}; tokens saved in {store.path}. "
        f"The access token expires {tokens.expires_at or 'at an unknown time'} (UTC)."
    )
