"""`social auth tiktok`: Login Kit (PKCE), the business account's sign-in, or a pasted token."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

import click

from social.cli.common import Workspace, pass_workspace, sign_in_options

if TYPE_CHECKING:
    from collectors.auth import TokenSet, TokenStore
    from core.config import Config


@click.command("tiktok")
@click.option(
    "--part",
    type=click.Choice(["display", "business", "ads"]),
    default="display",
    show_default=True,
    help="display: Login Kit (organic videos); business: the business account's analytics "
    "(Accounts API); ads: paste an advertiser token for the Marketing API.",
)
@sign_in_options(8710, "http://127.0.0.1:PORT/callback/")
@click.option("--refresh-token", help="With --token: its refresh token, if you have one.")
@click.option("--expires-in", type=int, help="With --token: seconds until it expires.")
@click.option(
    "--pkce",
    type=click.Choice(["hex", "base64url"]),
    default="hex",
    show_default=True,
    help="Encoding of the PKCE code challenge (TikTok's desktop guide says hex).",
)
@pass_workspace
def command(
    ws: Workspace,
    part: str,
    token: str | None,
    refresh_token: str | None,
    expires_in: int | None,
    code: str | None,
    port: int,
    pkce: str,
    no_browser: bool,
) -> None:
    """Connect TikTok: Login Kit (organic videos), the business account, or the ads token.

    Login Kit must be set up as a *desktop* app (TikTok allows a localhost
    redirect only for desktop apps), which signs in with PKCE: needs
    tiktok.client_key in social.toml and SOCIAL_TIKTOK_CLIENT_SECRET. The
    business account needs [tiktok] business_client_id and
    SOCIAL_TIKTOK_BUSINESS_CLIENT_SECRET; its token lives 24 hours and every
    sync refreshes it. Pasting a token (--token) needs no app.

    \b
    Example:
      export SOCIAL_TIKTOK_CLIENT_SECRET=...
      social auth tiktok
      social auth tiktok --part business --code <auth_code from the redirect>
      social auth tiktok --part ads --token <advertiser token>
      social auth tiktok --token act.example --refresh-token rft.example --expires-in 86400
    """
    from collectors.auth import TokenSet, TokenStore

    store = TokenStore(ws.config.token_file)
    if part == "ads":
        if not token:
            raise click.UsageError(
                "--part ads takes --token: the advertiser token from TikTok's Marketing API "
                "authorization (it does not expire)"
            )
        store.save("tiktok_ads_token", TokenSet(token.strip()))
        click.echo(f"Saved the TikTok advertiser token in {store.path} (mode 0600).")
        return
    if part == "business":
        _tiktok_business(ws.config, store, token, refresh_token, expires_in, code, port, no_browser)
        return
    if token:
        payload = {"access_token": token, "refresh_token": refresh_token, "expires_in": expires_in}
        store.save("tiktok", TokenSet.from_response(payload))
        click.echo(f"Saved the TikTok token in {store.path} (mode 0600).")
        return
    _tiktok_display(ws.config, store, code, port, pkce, no_browser)


def _tiktok_display(
    config: Config, store: TokenStore, code: str | None, port: int, pkce: str, no_browser: bool
) -> None:
    """Login Kit for Desktop: authorize with a PKCE challenge, exchange with its verifier."""
    from collectors.auth import secret
    from collectors.oauth_redirect import sign_in
    from collectors.tiktok.api import authorize_url, exchange_token, pkce_pair

    client_key = str(config.get("tiktok", "client_key"))
    client_secret = secret("tiktok", "client_secret", store)
    if not client_key or not client_secret:
        raise click.ClickException(
            "tiktok: set client_key in social.toml and SOCIAL_TIKTOK_CLIENT_SECRET in the "
            "environment, or paste a token with --token"
        )
    base_url = str(config.get("tiktok", "base_url"))
    redirect_uri = f"http://127.0.0.1:{port}/callback/"
    verifier, challenge = pkce_pair(pkce)
    form = {
        "client_key": client_key,
        "client_secret": client_secret,
        "grant_type": "authorization_code",
        "redirect_uri": redirect_uri,
    }
    if not code:
        state = secrets.token_urlsafe(16)
        url = authorize_url(client_key, redirect_uri, state, challenge, base_url=base_url)
        code = sign_in(url, port, state, "tiktok", open_browser=not no_browser, echo=click.echo)
        form["code_verifier"] = verifier  # desktop apps: the verifier of this sign-in's challenge
    tokens = exchange_token(base_url, {**form, "code": code})
    store.save("tiktok", tokens)
    click.echo(f"Connected TikTok account {tokens.account_id or ''}; tokens saved in {store.path}.")


def _tiktok_business(
    config: Config,
    store: TokenStore,
    token: str | None,
    refresh_token: str | None,
    expires_in: int | None,
    code: str | None,
    port: int,
    no_browser: bool,
) -> None:
    """The business account: sign in (or paste tokens) and save the refreshable pair."""
    from collectors.auth import TokenSet, secret
    from collectors.oauth_redirect import sign_in
    from collectors.tiktok.api import business_authorize_url, business_token

    if token or refresh_token:
        tokens: TokenSet = TokenSet.from_response(
            {"access_token": token or "", "refresh_token": refresh_token, "expires_in": expires_in}
        )
    else:
        client_id = str(config.get("tiktok", "business_client_id")).strip()
        client_secret = secret("tiktok", "business_client_secret", store)
        if not client_id or not client_secret:
            raise click.ClickException(
                "tiktok: set business_client_id in the [tiktok] section of social.toml and "
                "SOCIAL_TIKTOK_BUSINESS_CLIENT_SECRET in the environment, or paste tokens with "
                "--token and --refresh-token"
            )
        redirect_uri = f"http://127.0.0.1:{port}/callback/"
        if not code:
            state = secrets.token_urlsafe(16)
            url = business_authorize_url(
                client_id, redirect_uri, state, base_url=str(config.get("tiktok", "base_url"))
            )
            code = sign_in(url, port, state, "tiktok", open_browser=not no_browser, echo=click.echo)
        tokens = business_token(
            str(config.get("tiktok", "business_base_url")),
            {
                "client_id": client_id,
                "client_secret": client_secret,
                "grant_type": "authorization_code",
                "auth_code": code,
                "redirect_uri": redirect_uri,
            },
        )
    store.save("tiktok_business", tokens)
    renewal = "refreshed by every sync" if tokens.refresh_token else "not refreshable: 24 hours"
    click.echo(
        f"Connected the TikTok business account {tokens.account_id or ''}; tokens saved in "
        f"{store.path} (the access token lives 24 hours and is {renewal})."
    )
    configured = str(config.get("tiktok", "business_id")).strip()
    if tokens.account_id and configured != tokens.account_id:
        click.echo(
            f'Set business_id = "{tokens.account_id}" in the [tiktok] section of social.toml.'
        )
