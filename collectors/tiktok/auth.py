"""The TikTok business-account token: found, refreshed every day, never lost.

A business (Accounts API) access token lives 24 hours; its refresh token about a
year, and TikTok may hand out a new one on each refresh. Where the tokens come
from, in order:

1. `SOCIAL_TIKTOK_BUSINESS_REFRESH_TOKEN` (with or without
   `SOCIAL_TIKTOK_BUSINESS_TOKEN`): the environment starts the chain. Once it has
   been refreshed, the token file holds the newer tokens (tagged with a digest of
   the environment's refresh token) and they are used until the environment's
   refresh token changes.
2. `SOCIAL_TIKTOK_BUSINESS_TOKEN` alone: used as it is; it cannot be refreshed,
   so a daily sync fails on day two (the collector warns).
3. The token file entry `tiktok_business` that `social auth tiktok --part business`
   writes.

The token is refreshed before it expires and once more when TikTok answers
that it is invalid or expired (codes in `REFRESH_CODES`, which arrive with HTTP
200); every refreshed pair is written to the token file at once. The token is
only ever sent to the Accounts API (`/business/...`), never to the Marketing
API, which needs an advertiser token.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Generator
from dataclasses import dataclass
from datetime import timedelta

import httpx

from collectors.auth import TokenSet, TokenStore, credential, digest
from collectors.errors import AuthError, MissingCredentials
from collectors.tiktok.api import REFRESH_CODES

PLATFORM = "tiktok"
ENTRY = "tiktok_business"
LEGACY_ENTRY = "tiktok_business_token"
RENEW = "social auth tiktok --part business"

Refresher = Callable[[str], TokenSet]


@dataclass
class BusinessCredentials:
    """The business token to start with, where it came from, and how to refresh it."""

    token: str  # may be '' when only a refresh token is known
    refresh_token: str | None
    expires_at: str | None
    source: str  # env | file
    origin: str  # digest of the environment's refresh token, or ''


def business_credentials(store: TokenStore) -> BusinessCredentials | None:
    """The business token chain to use (see the module docstring), or None if there is none."""
    env_token = credential(PLATFORM, "business_token")
    env_refresh = credential(PLATFORM, "business_refresh_token")
    stored = store.get(ENTRY)
    if env_refresh:
        origin = digest(env_refresh)
        if stored is not None and stored.origin == origin:
            return BusinessCredentials(
                stored.access_token, stored.refresh_token, stored.expires_at, "env", origin
            )
        return BusinessCredentials(env_token or "", env_refresh, None, "env", origin)
    if env_token:
        return BusinessCredentials(env_token, None, None, "env", "")
    if stored is not None and (stored.access_token or stored.refresh_token):
        return BusinessCredentials(
            stored.access_token, stored.refresh_token, stored.expires_at, "file", stored.origin
        )
    older = store.get(LEGACY_ENTRY)  # a pasted token from before the business sign-in existed
    if older is not None and older.access_token:
        return BusinessCredentials(older.access_token, None, older.expires_at, "file", "")
    return None


class BusinessAuth(httpx.Auth):
    """Adds `Access-Token` to Accounts API requests; refreshes the 24-hour token as needed."""

    requires_response_body = True

    def __init__(
        self, store: TokenStore, credentials: BusinessCredentials, refresher: Refresher | None
    ) -> None:
        self.store = store
        self.credentials = credentials
        self.refresher = refresher
        self.token = credentials.token
        self.refreshed = 0
        self.secrets: list[str] = [t for t in (credentials.token, credentials.refresh_token) if t]

    @property
    def can_refresh(self) -> bool:
        return bool(self.refresher and self.credentials.refresh_token)

    def _expiring(self) -> bool:
        if not self.token:
            return True
        expires = self.credentials.expires_at
        if not expires:
            return False
        probe = TokenSet(self.token, expires_at=expires)
        return probe.expires_within(timedelta(minutes=5))

    def refresh(self) -> None:
        """Exchange the refresh token for a new pair and save it at once."""
        refresh_token = self.credentials.refresh_token
        if not (self.refresher and refresh_token):
            raise AuthError(
                "tiktok: the business token expired (it lives 24 hours) and cannot be refreshed: "
                "set [tiktok] business_client_id and SOCIAL_TIKTOK_BUSINESS_CLIENT_SECRET, with "
                f"a refresh token from '{RENEW}' (or SOCIAL_TIKTOK_BUSINESS_REFRESH_TOKEN)",
                platform=PLATFORM,
            )
        new = self.refresher(refresh_token)
        if not new.refresh_token:
            stored = self.store.get(ENTRY)
            new.refresh_token = refresh_token
            new.refresh_expires_at = new.refresh_expires_at or (
                stored.refresh_expires_at if stored else None
            )
        new.origin = self.credentials.origin
        self.store.save(ENTRY, new)  # the rotated refresh token is safe before it is used
        self.credentials = BusinessCredentials(
            new.access_token, new.refresh_token, new.expires_at, self.credentials.source, new.origin
        )
        self.token = new.access_token
        self.secrets += [t for t in (new.access_token, new.refresh_token) if t]
        self.refreshed += 1

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if self.can_refresh and self._expiring():
            self.refresh()
        if not self.token:
            raise MissingCredentials(
                f"tiktok: no business token; set SOCIAL_TIKTOK_BUSINESS_TOKEN or run '{RENEW}'"
            )
        request.headers["Access-Token"] = self.token
        response = yield request
        if self.can_refresh and _refresh_code(response) and self.refreshed < 2:
            self.refresh()
            request.headers["Access-Token"] = self.token
            yield request


def _refresh_code(response: httpx.Response) -> bool:
    """Whether TikTok's envelope says the token is invalid or expired."""
    try:
        body = json.loads(response.content or b"null")
    except ValueError:
        return False
    return isinstance(body, dict) and body.get("code") in REFRESH_CODES
