"""Facebook: Page insights and posts (Graph API) and paid stats (Marketing API).

`build()` assembles what the config and credentials allow: [facebook] page_id
with the Page token (SOCIAL_FACEBOOK_ACCESS_TOKEN, or the token file entry
'facebook' that `social auth facebook` writes), and ad_account_ids with the
long-lived user token (SOCIAL_FACEBOOK_ADS_TOKEN, or the entry 'facebook_ads').
Tokens travel in the Authorization header, never in URLs, and are redacted
from every error message.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from collectors.auth import WARN_DAYS, TokenSet, TokenStore, access_token, credential
from collectors.base import BuildContext, Part
from collectors.errors import MissingCredentials
from collectors.facebook.ads import AdsApi
from collectors.facebook.pages import PAGE_METRICS, POST_METRICS, PagesApi
from collectors.meta.client import graph_client
from collectors.meta.graph import PLATFORM, RENEW, graph_prefix
from collectors.parts import PartsCollector

ADS_ENTRY = "facebook_ads"  # token file entry of the long-lived user token


def ads_token(store: TokenStore) -> tuple[str, TokenSet | None] | None:
    """The Marketing API token: SOCIAL_FACEBOOK_ADS_TOKEN, else the 'facebook_ads' file entry."""
    value = credential(PLATFORM, "ads_token")
    if value:
        return value, None
    tokens = store.get(ADS_ENTRY)
    if tokens and tokens.access_token:
        return tokens.access_token, tokens
    return None


def expiry_warning(tokens: TokenSet | None, now: datetime | None = None) -> str | None:
    """A warning when the stored long-lived user token expires within WARN_DAYS days."""
    if tokens is None or not tokens.expires_at:
        return None
    now = now or datetime.now(UTC)
    if not tokens.expires_within(timedelta(days=WARN_DAYS), now=now):
        return None
    end = datetime.fromisoformat(tokens.expires_at.replace("Z", "+00:00"))
    days = (end - now).total_seconds() / 86400
    when = "has expired" if days <= 0 else f"expires in {days:.0f} days"
    return f"facebook: the ads (long-lived user) token {when}; renew it with: {RENEW}"


def build(ctx: BuildContext) -> PartsCollector:
    """Assemble the Facebook parts the config and credentials allow."""
    config = ctx.config
    sleep = ctx.sleep or time.sleep
    base_url = str(config.get("facebook", "base_url"))
    prefix = graph_prefix(str(config.get("facebook", "api_version")))
    page_id = str(config.get("facebook", "page_id")).strip()
    accounts = [
        str(a).strip().removeprefix("act_") for a in config.get("facebook", "ad_account_ids")
    ]
    accounts = [a for a in accounts if a]
    if not page_id and not accounts:
        raise MissingCredentials(
            "facebook: nothing to collect; set page_id and/or ad_account_ids in the [facebook] "
            "section of social.toml"
        )
    parts: list[tuple[str, Part]] = []
    warnings: list[str] = []
    if page_id:
        token, _source = access_token(PLATFORM, ctx.tokens)
        pages = PagesApi(
            graph_client(ctx, base_url, "pages", token),
            prefix,
            page_id,
            page_metrics=tuple(
                str(m) for m in config.get("facebook", "page_metrics") or PAGE_METRICS
            ),
            post_metrics=tuple(
                str(m) for m in config.get("facebook", "post_metrics") or POST_METRICS
            ),
        )
        parts.append(("pages", pages))
    if accounts:
        found = ads_token(ctx.tokens)
        if found is None:
            raise MissingCredentials(
                "facebook: ad_account_ids are set but there is no ads token; run "
                f"'{RENEW}' or set SOCIAL_FACEBOOK_ADS_TOKEN"
            )
        token, tokens = found
        warning = expiry_warning(tokens)
        if warning:
            warnings.append(warning)
        ads = AdsApi(
            graph_client(ctx, base_url, "ads", token),
            prefix,
            accounts,
            sleep=sleep,
        )
        parts.append(("ads", ads))
    return PartsCollector(PLATFORM, parts, warnings)
