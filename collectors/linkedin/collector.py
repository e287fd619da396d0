"""LinkedIn: the organisation page (Community Management API) and paid stats (Marketing API).

LinkedIn requires the Community Management API to be the only product on its
app, so page statistics and ads come from two apps with two tokens:

- the page app (`[linkedin] client_id`, SOCIAL_LINKEDIN_CLIENT_SECRET; scopes
  r_organization_social, rw_organization_admin): token SOCIAL_LINKEDIN_ACCESS_TOKEN
  or the token file entry 'linkedin' (`social auth linkedin --part page`), used
  for `organization_id`;
- the ads app (`[linkedin] ads_client_id`, SOCIAL_LINKEDIN_ADS_CLIENT_SECRET;
  scopes r_ads, r_ads_reporting): token SOCIAL_LINKEDIN_ADS_ACCESS_TOKEN or the
  entry 'linkedin_ads' (`social auth linkedin --part ads`), used for `ad_account_ids`.

Every request carries `LinkedIn-Version` (linkedin.version) and
`X-Restli-Protocol-Version: 2.0.0`. Access tokens live 60 days and refresh
tokens exist only for LinkedIn's approved partners, so each sync warns from 14
days before a token (or, with a refresh token, the refresh token) expires; a
stored refresh token is used when present.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from collectors.auth import (
    WARN_DAYS,
    RefreshingAuth,
    TokenSet,
    TokenStore,
    entry_status,
    secret,
    token_entries,
)
from collectors.base import BuildContext, Part, Progress, SyncOptions
from collectors.errors import AuthError, MissingCredentials
from collectors.http import ApiClient
from collectors.linkedin.ads import AdsApi
from collectors.linkedin.api import (
    ADS_SCOPES,
    ORGANIC_SCOPES,
    PLATFORM,
    RESTLI_PROTOCOL,
    exchange_token,
    make_classifier,
    urn_id,
)
from collectors.linkedin.organic import OrganicApi
from collectors.parts import PartsCollector
from collectors.ratelimit import SlidingWindowLimiter

# LinkedIn publishes only daily quotas; stay polite within a run (5 requests a second).
REQUESTS_PER_MINUTE = 300


@dataclass(frozen=True)
class App:
    """One of the two LinkedIn apps: its config key, secret, token and sign-in command."""

    part: str  # page | ads
    entry: str  # token file entry
    token_name: str  # SOCIAL_LINKEDIN_<TOKEN_NAME>
    client_id_key: str
    secret_name: str
    scopes: tuple[str, ...]

    @property
    def renew(self) -> str:
        return f"social auth linkedin --part {self.part}"


PAGE_APP = App("page", "linkedin", "access_token", "client_id", "client_secret", ORGANIC_SCOPES)
ADS_APP = App(
    "ads", "linkedin_ads", "ads_access_token", "ads_client_id", "ads_client_secret", ADS_SCOPES
)
APPS = {app.part: app for app in (PAGE_APP, ADS_APP)}


def check_token(
    store: TokenStore, app: App, now: datetime, timezone: str, progress: Progress
) -> None:
    """Warn from 14 days before a token's expiry; stop before any request when it has expired."""
    entry = next(e for e in token_entries() if e.label == app.entry)
    status = entry_status(entry, store, now=now)
    if status.days_left is None:
        return
    tokens = store.get(app.entry) if status.source == "file" else None
    which = "page" if app.part == "page" else "ads"
    if status.days_left <= 0:
        raise AuthError(
            f"linkedin: the {which} access token expired on {status.expires_at}; "
            f"renew it with '{app.renew}'",
            platform=PLATFORM,
        )
    if status.days_left <= WARN_DAYS:
        refresh = bool(tokens and tokens.refresh_token and status.refresh_expires_at)
        what = f"{which} refresh token" if refresh else f"{which} access token"
        ends = status.refresh_expires_at if refresh else status.expires_at
        progress.warn(
            f"linkedin: the {what} expires in {max(1, round(status.days_left))} days "
            f"({_local(ends, timezone)}); run '{app.renew}' before then"
        )


def _local(iso: str | None, timezone: str) -> str:
    """A stored UTC time as a local date and time."""
    if not iso:
        return "unknown"
    moment = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    return f"{moment.astimezone(ZoneInfo(timezone)):%Y-%m-%d %H:%M}"


def _refresher(ctx: BuildContext, base_url: str, app: App) -> Callable[[str], TokenSet] | None:
    """Refresh-token exchange, when the app's client id and secret are configured."""
    client_id = str(ctx.config.get(PLATFORM, app.client_id_key)).strip()
    client_secret = secret(PLATFORM, app.secret_name, ctx.tokens)
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


def build(ctx: BuildContext) -> PartsCollector:
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
    headers = {"LinkedIn-Version": version, "X-Restli-Protocol-Version": RESTLI_PROTOCOL}

    def client(app: App) -> ApiClient:
        auth = RefreshingAuth(
            PLATFORM,
            store,
            refresher=_refresher(ctx, base_url, app),
            token_name=app.token_name,
            entry=app.entry,
            renew=app.renew,
        )
        return ApiClient(
            PLATFORM,
            base_url,
            classify=make_classifier(
                version=version, timezone=config.timezone, scopes=app.scopes, renew=app.renew
            ),
            auth=auth,
            headers=headers,
            timeout=timeout,
            max_retries=retries,
            limiter=limiter,
            transport=ctx.transport,
            sleep=sleep,
            secrets=[auth.token, secret(PLATFORM, app.secret_name, store) or ""],
        )

    parts: list[tuple[str, Part]] = []
    missing: list[str] = []
    for app, wanted in ((PAGE_APP, bool(organization_id)), (ADS_APP, bool(ad_accounts))):
        if not wanted:
            continue
        try:
            api_client = client(app)
        except MissingCredentials:
            what = "organization_id" if app.part == "page" else "ad_account_ids"
            env = f"SOCIAL_LINKEDIN_{app.token_name.upper()}"
            missing.append(
                f"linkedin: {what} is set but there is no {app.part} token (LinkedIn needs a "
                f"separate app for {'page statistics' if app.part == 'page' else 'ads'}); run "
                f"'{app.renew}' or set {env}"
            )
            continue
        if app.part == "page":
            parts.append((app.part, OrganicApi(api_client, organization_id)))
        else:
            parts.append((app.part, AdsApi(api_client, ad_accounts)))
    if not parts:
        raise MissingCredentials(missing[0] if len(missing) == 1 else "; ".join(missing))

    def before(part: str, options: SyncOptions, progress: Progress) -> None:
        check_token(store, APPS[part], options.now, options.timezone, progress)

    skipped = [f"{m}; that part was skipped" for m in missing]
    return PartsCollector(PLATFORM, parts, skipped, before=before)
