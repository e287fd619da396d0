"""`social auth facebook`: exchange a short-lived user token for long-lived ones."""

from __future__ import annotations

import click

from social.cli.common import Workspace, pass_workspace


@click.command("facebook")
@click.option(
    "--user-token",
    required=True,
    help="A short-lived user token (Graph API Explorer or Facebook Login) from an admin of the "
    "Page with pages_show_list, pages_read_engagement, read_insights (and ads_read for ads).",
)
@click.option("--page-id", help="The Page to connect (default: [facebook] page_id).")
@pass_workspace
def command(ws: Workspace, user_token: str, page_id: str | None) -> None:
    """Connect Facebook: a Page token (organic) and a long-lived user token (ads).

    Exchanges the short-lived user token for a long-lived one (about 60 days)
    with the app's id ([facebook] app_id) and secret (SOCIAL_FACEBOOK_APP_SECRET),
    then derives the Page token, which does not expire. Both are stored in
    .social-tokens.json (mode 0600): the Page token as 'facebook', the user
    token as 'facebook_ads' for the Marketing API. SOCIAL_FACEBOOK_ACCESS_TOKEN
    and SOCIAL_FACEBOOK_ADS_TOKEN, when set, take precedence over the file.
    Run it again before the user token expires; syncs warn 14 days ahead.

    \b
    Example:
      export SOCIAL_FACEBOOK_APP_SECRET=...
      social auth facebook --user-token EAAB...
      social auth facebook --user-token EAAB... --page-id 104739281650012
    """
    from collectors.auth import TokenSet, TokenStore, credential
    from collectors.errors import CollectorError
    from collectors.http import ApiClient
    from collectors.meta.graph import (
        PLATFORM,
        classify_graph,
        exchange_user_token,
        graph_prefix,
        page_access_token,
    )

    config = ws.config
    app_id = str(config.get("facebook", "app_id")).strip()
    app_secret = credential(PLATFORM, "app_secret")
    if not app_id or not app_secret:
        raise click.ClickException(
            "facebook: set app_id in the [facebook] section of social.toml and "
            "SOCIAL_FACEBOOK_APP_SECRET in the environment (the app's id and secret from "
            "developers.facebook.com)"
        )
    user_token = user_token.strip()
    page = (page_id or str(config.get("facebook", "page_id"))).strip() or None
    prefix = graph_prefix(str(config.get("facebook", "api_version")))
    store = TokenStore(config.token_file)
    client = ApiClient(
        PLATFORM,
        str(config.get("facebook", "base_url")),
        classify=classify_graph("auth"),
        timeout=float(config.get("sync", "timeout_seconds")),
        max_retries=2,
        secrets=[app_secret, user_token],
    )
    with client:
        try:
            long_lived = exchange_user_token(client, prefix, app_id, app_secret, user_token)
            client.secrets.append(long_lived.access_token)
            found_id, name, page_token = page_access_token(
                client, prefix, long_lived.access_token, page
            )
        except CollectorError as exc:
            raise click.ClickException(str(exc)) from None
    store.save(PLATFORM, TokenSet(page_token, account_id=found_id))
    store.save("facebook_ads", long_lived)
    expires = f"expires {long_lived.expires_at} UTC" if long_lived.expires_at else "no expiry given"
    click.echo(
        f"Connected the Facebook Page {name or found_id} ({found_id}); the Page token does not "
        f"expire. The long-lived user token for ads {expires}. Saved in {store.path} (mode 0600)."
    )
    if not config.get("facebook", "page_id"):
        click.echo(f'Set page_id = "{found_id}" in the [facebook] section of social.toml.')
    for name_, what in (("access_token", "Page"), ("ads_token", "ads")):
        if credential(PLATFORM, name_):
            click.echo(
                f"Note: SOCIAL_FACEBOOK_{name_.upper()} is set and is used instead of the saved "
                f"{what} token."
            )
