"""LinkedIn: the organisation page (Community Management API) and paid stats (Marketing API).

`build()` assembles what the config allows: `organization_id` for the page,
`ad_account_ids` for ads, both with the token from `social auth linkedin` (or
SOCIAL_LINKEDIN_ACCESS_TOKEN). Every request carries `LinkedIn-Version`
(linkedin.version) and `X-Restli-Protocol-Version: 2.0.0`.

Access tokens live 60 days and refresh tokens exist only for LinkedIn's approved
partners, so each sync warns from 14 days before the token (or, with a refresh
token, the refresh token) expires; a stored refresh token is used when present.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

from collectors.auth import (
    WARN_DAYS,
    RefreshingAuth,
    TokenSet,
    TokenStore,
    credential,
    token_status,
)
from collectors.base import Batch, BuildContext, Progress, SyncOptions, SyncState
from collectors.errors import AuthError, MissingCredentials
from collectors.http import ApiClient
from collectors.linkedin_ads import AdsApi
from collectors.linkedin_api import (
    ADS_SCOPES,
    ORGANIC_SCOPES,
    PLATFORM,
    RESTLI_PROTOCOL,
    exchange_token,
    make_classifier,
    urn_id,
)
from collectors.linkedin_organic import OrganicApi
from collectors.ratelimit import SlidingWindowLimiter

# LinkedIn publishes only daily quotas; stay polite within a run (5 requests a second).
REQUESTS_PER_MINUTE = 300


class LinkedInCollector:
    """Runs the configured LinkedIn parts after checking the token's remaining life."""

    platform = PLATFORM

    def __init__(self, parts: list[OrganicApi | AdsApi], store: TokenStore) -> None:
        self.parts = parts
        self.store = store

    @property
    def requests(self) -> int:
        return sum(p.requests for p in self.parts)

    def collect(
        self, options: SyncOptions, state: SyncState, progress: Progress
    ) -> Iterator[Batch]:
        check_token(self.store, options.now, options.timezone, progress)
        refused: AuthError | None = None
        for part in self.parts:
            try:
                yield from part.collect(options, state, progress)
            except AuthError as exc:
                # A 403 on the page (not an admin) must not cost the ads, or the other way
                # round; a 401 (bad token) concerns every part.
                if exc.status != 403:
                    raise
                refused = refused or exc
        if refused is not None:
            raise refused

    def close(self) -> None:
        for part in self.parts:
            part.close()


def check_token(store: TokenStore, now: datetime, timezone: str, progress: Progress) -> None:
    """Warn from 14 days before expiry; stop before any request when it has expired."""
    status = token_status(PLATFORM, store, now=now)
    if status.days_left is None:
        return
    tokens = store.get(PLATFORM) if status.source == "file" else None
    if status.days_left <= 0:
        raise AuthError(
            f"linkedin: the access token expired on {status.expires_at}; "
            "renew it with 'social auth linkedin'",
            platform=PLATFORM,
        )
    if status.days_left <= WARN_DAYS:
        refresh = bool(tokens and tokens.refresh_token and status.refresh_expires_at)
        what = "refresh token" if refresh else "access token"
        ends = status.refresh_expires_at if refresh else status.expires_at
        progress.warn(
            f"linkedin: the {what} expires in {max(1, round(status.days_left))} days "
            f"({_local(ends, timezone)}); run 'social auth linkedin' before then"
        )


def _local(iso: str | None, timezone: str) -> str:
    """A stored UTC time as a local date and time."""
    if not iso:
        return "unknown"
    moment = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    return f"{moment.astimezone(ZoneInfo(timezone)):%Y-%m-%d %H:%M}"


def _refresher(ctx: BuildContext, base_url: str) -> Callable[[str], TokenSet] | None:
    """Refresh-token exchange, when the app's client id and secret are configured."""
    client_id = str(ctx.config.get(PLATFORM, "client_id"))
    client_secret = credential(PLATFORM, "client_secret")
    if not client_id or not client_secret:
        return None

    def refresh(refresh_token: str) -> TokenSet:
        return exchange_token(
            base_url,
            {
                "grant_type": "refresh_token",
                "refresh_token": refresh_token,
                "client_id": client_id,
                "client_secret": client_secret,
            },
            transport=ctx.transport,
        )

    return refresh


def build(ctx: BuildContext) -> LinkedInCollector:
    """Assemble the LinkedIn parts the config and credentials allow."""
    config = ctx.config
    # Ids may be pasted as URNs (urn:li:organization:123): keep the number.
    organization_id = urn_id(str(config.get(PLATFORM, "organization_id")).strip())
    ad_accounts = [
        urn_id(str(a).strip()) for a in config.get(PLATFORM, "ad_account_ids") if str(a).strip()
    ]
    if not organization_id and not ad_accounts:
        raise MissingCredentials(
            "linkedin: nothing to collect; set organization_id and/or ad_account_ids in the "
            "[linkedin] section of social.toml"
        )
    base_url = str(config.get(PLATFORM, "base_url"))
    version = str(config.get(PLATFORM, "version")).strip()
    sleep = ctx.sleep or time.sleep
    timeout = float(config.get("sync", "timeout_seconds"))
    retries = int(config.get("sync", "max_retries"))
    limiter = SlidingWindowLimiter(REQUESTS_PER_MINUTE, 60.0, sleep=sleep)
    store = ctx.tokens
    auth = RefreshingAuth(PLATFORM, store, refresher=_refresher(ctx, base_url))
    headers = {"LinkedIn-Version": version, "X-Restli-Protocol-Version": RESTLI_PROTOCOL}
    secrets = [auth.token, credential(PLATFORM, "client_secret") or ""]

    def client(scopes: tuple[str, ...]) -> ApiClient:
        return ApiClient(
            PLATFORM,
            base_url,
            classify=make_classifier(version=version, timezone=config.timezone, scopes=scopes),
            auth=auth,
            headers=headers,
            timeout=timeout,
            max_retries=retries,
            limiter=limiter,
            transport=ctx.transport,
            sleep=sleep,
            secrets=secrets,
        )

    parts: list[OrganicApi | AdsApi] = []
    if organization_id:
        parts.append(OrganicApi(client(ORGANIC_SCOPES), organization_id))
    if ad_accounts:
        parts.append(AdsApi(client(ADS_SCOPES), ad_accounts))
    return LinkedInCollector(parts, store)
