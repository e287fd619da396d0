"""TikTok response classification and OAuth (Display API v2 and Business/Marketing API).

Two sign-ins live here:
- Login Kit (Display API) as a *desktop* app: TikTok allows a localhost redirect
  only for desktop apps, and desktop apps must use PKCE (S256): a random
  `code_verifier`, its SHA-256 as `code_challenge` on the authorize URL, the
  verifier on the token call (*Login Kit for Desktop*; *Manage User Access Tokens*).
- The business account (TikTok Accounts API): `/tt_user/oauth2/token/` and
  `/tt_user/oauth2/refresh_token/` on business-api.tiktok.com, JSON bodies, the
  `{code, message, data}` envelope; the access token lives 24 h, so every daily
  sync refreshes it and saves the (possibly rotated) refresh token at once.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from typing import Any
from urllib.parse import urlencode

import httpx

from collectors.auth import TokenSet
from collectors.errors import ApiError, AuthError, QueryTooLarge
from collectors.http import classify_status, retry_after_seconds

PLATFORM = "tiktok"
SCOPES = "user.info.basic,user.info.profile,user.info.stats,video.list"
BUSINESS_SCOPES = (
    "user.info.basic,user.info.username,user.info.stats,user.insights,video.list,video.insights"
)
AUTHORIZE_URL = "https://www.tiktok.com/v2/auth/authorize/"
# The business-account sign-in page; TikTok shows the app's own authorization URL in the
# developer portal (My Apps > App detail), which the user may paste instead.
BUSINESS_AUTHORIZE_URL = "https://www.tiktok.com/v2/auth/authorize/"
PKCE_ENCODINGS = ("hex", "base64url")

# Business/Marketing API body codes (HTTP 200 with a non-zero code).
RATE_LIMITED = 40100
QPS_LIMITED = 40133  # "Advertiser (...)'s QPS (21) reaches QPS limit 20 for current path"
QUERY_TOO_LARGE = 40067  # "reduce the query size (e.g. fewer metrics or time range)"
MAINTENANCE = 60001
AUTH_CODES = {40001, 40102, 40104, 40105}
# Codes after which a refreshed business token may succeed (expired, empty or invalid token);
# 40001 (no permission for this business_id) is not one: a new token changes nothing.
REFRESH_CODES = {40102, 40104, 40105}


def classify_display(response: httpx.Response, body: Any) -> ApiError | None:
    """Display API v2: every response has error.code; 'ok' is success."""
    error = body.get("error") if isinstance(body, dict) else None
    code = error.get("code") if isinstance(error, dict) else None
    message = str(error.get("message", "")) if isinstance(error, dict) else ""
    log_id = str(error.get("log_id", "")) if isinstance(error, dict) else ""
    where = f" (log_id {log_id})" if log_id else ""
    if code == "ok" and response.status_code < 400:
        return None
    if code in ("access_token_invalid", "access_token_expired"):
        return AuthError(
            f"tiktok: the access token is invalid or expired{where}; "
            "run 'social auth tiktok' or set SOCIAL_TIKTOK_ACCESS_TOKEN",
            platform=PLATFORM,
            status=response.status_code,
            code=code,
        )
    if code == "scope_not_authorized":
        return AuthError(
            f"tiktok: the token lacks a scope ({message}){where}; "
            f"run 'social auth tiktok' and grant {SCOPES}",
            platform=PLATFORM,
            status=response.status_code,
            code=code,
        )
    if code == "rate_limit_exceeded":
        return ApiError(
            f"tiktok: rate limit exceeded{where}",
            platform=PLATFORM,
            status=response.status_code,
            code=code,
            retriable=True,
            retry_after=retry_after_seconds(response),
        )
    if code == "internal_error":
        return ApiError(
            f"tiktok: internal error on TikTok's side{where}",
            platform=PLATFORM,
            status=response.status_code,
            code=code,
            retriable=True,
        )
    if code is not None:
        return ApiError(
            f"tiktok: {code}: {message}{where}",
            platform=PLATFORM,
            status=response.status_code,
            code=code,
            retriable=response.status_code >= 500,
        )
    status_error = classify_status(PLATFORM, response)
    if status_error is not None:
        return status_error
    if body is None:
        return None  # malformed or empty: the client reports malformed JSON
    return ApiError(
        "tiktok: unexpected response without an 'error' envelope; check base_url",
        platform=PLATFORM,
        status=response.status_code,
    )


def classify_business(response: httpx.Response, body: Any) -> ApiError | None:
    """Business and Marketing API: HTTP 200 with {code, message, request_id, data}; 0 is OK."""
    status_error = classify_status(PLATFORM, response)
    if status_error is not None:
        return status_error
    if body is None:
        return None
    if not isinstance(body, dict) or "code" not in body:
        return ApiError(
            "tiktok: unexpected response without a 'code'; check business_base_url",
            platform=PLATFORM,
            status=response.status_code,
        )
    code = body.get("code")
    if code == 0:
        return None
    message = str(body.get("message", ""))
    request_id = body.get("request_id")
    where = f" (request_id {request_id})" if request_id else ""
    if code in (RATE_LIMITED, QPS_LIMITED):
        # Backoff and retry (Airbyte's manifest treats both as RATE_LIMITED).
        return ApiError(
            f"tiktok: rate limited (code {code}: {message}){where}",
            platform=PLATFORM,
            code=code,
            retriable=True,
        )
    if code == QUERY_TOO_LARGE:
        return QueryTooLarge(
            f"tiktok: TikTok found the query too large (code 40067){where}",
            platform=PLATFORM,
            code=code,
        )
    if isinstance(code, int) and 50000 <= code < 60000:
        # TikTok-side system errors: retried with backoff, then reported (exact codes UNVERIFIED).
        return ApiError(
            f"tiktok: TikTok system error (code {code}: {message}){where}; it was retried "
            "several times: run the sync again later, and if it persists report the request_id "
            "to TikTok's developer support",
            platform=PLATFORM,
            code=code,
            retriable=True,
        )
    if code == MAINTENANCE:
        return ApiError(
            f"tiktok: API under maintenance (code 60001){where}",
            platform=PLATFORM,
            code=code,
            retriable=True,
        )
    if code in AUTH_CODES:
        return AuthError(
            f"tiktok: business/ads token refused (code {code}: {message}){where}; "
            "set SOCIAL_TIKTOK_BUSINESS_TOKEN / SOCIAL_TIKTOK_ADS_TOKEN to a valid token",
            platform=PLATFORM,
            code=code,
        )
    return ApiError(f"tiktok: error {code}: {message}{where}", platform=PLATFORM, code=code)


def pkce_pair(encoding: str = "hex") -> tuple[str, str]:
    """A fresh PKCE (code_verifier, code_challenge) for TikTok's desktop sign-in.

    The verifier is 64 unreserved characters. TikTok's *Login Kit for Desktop*
    says to hex-encode the SHA-256 of the verifier; RFC 7636 (and other OAuth
    servers) use base64url without padding. Which one TikTok's server checks is
    not settled (PLATFORMS.md: UNVERIFIED), so both are available: hex by
    default, base64url with `social auth tiktok --pkce base64url`.
    """
    if encoding not in PKCE_ENCODINGS:
        raise ValueError(f"unknown PKCE encoding {encoding!r}; use hex or base64url")
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"
    verifier = "".join(secrets.choice(alphabet) for _ in range(64))
    return verifier, pkce_challenge(verifier, encoding)


def pkce_challenge(verifier: str, encoding: str = "hex") -> str:
    """The S256 code_challenge of a verifier, hex (TikTok's docs) or base64url (RFC 7636)."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    if encoding == "hex":
        return digest.hex()
    return base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")


def authorize_base(base_url: str) -> str:
    """Where the sign-in page lives: www.tiktok.com for the real API, else under base_url."""
    if httpx.URL(base_url).host == "open.tiktokapis.com":
        return AUTHORIZE_URL
    return f"{base_url.rstrip('/')}/v2/auth/authorize/"


def authorize_url(
    client_key: str,
    redirect_uri: str,
    state: str,
    code_challenge: str | None = None,
    *,
    base_url: str = "https://open.tiktokapis.com",
) -> str:
    """The URL the user opens to grant access (authorization-code flow, PKCE for desktop)."""
    params = {
        "client_key": client_key,
        "scope": SCOPES,
        "response_type": "code",
        "redirect_uri": redirect_uri,
        "state": state,
    }
    if code_challenge:
        params |= {"code_challenge": code_challenge, "code_challenge_method": "S256"}
    return f"{authorize_base(base_url)}?{urlencode(params)}"


def business_authorize_url(
    client_id: str, redirect_uri: str, state: str, *, base_url: str = "https://open.tiktokapis.com"
) -> str:
    """The URL a business account's owner opens to let the app read its analytics.

    TikTok also shows the app's own authorization URL in the developer portal;
    when the redirect is refused there, sign in with that URL and pass the
    `auth_code` from the redirect with `social auth tiktok --part business --code`.
    """
    query = urlencode(
        {
            "client_key": client_id,
            "scope": BUSINESS_SCOPES,
            "response_type": "code",
            "redirect_uri": redirect_uri,
            "state": state,
        }
    )
    base = authorize_base(base_url) if base_url else BUSINESS_AUTHORIZE_URL
    return f"{base}?{query}"


def business_token(
    base_url: str,
    body: dict[str, str],
    *,
    refresh: bool = False,
    transport: httpx.BaseTransport | None = None,
    timeout: float = 30.0,
) -> TokenSet:
    """POST /tt_user/oauth2/token/ (or refresh_token/) and return the business tokens.

    `data` holds `access_token`, `expires_in` (86400: 24 h), `refresh_token`,
    `refresh_token_expires_in` (about a year), `open_id` (= the business_id of
    every Accounts API call) and `scope`.
    """
    path = "/tt_user/oauth2/refresh_token/" if refresh else "/tt_user/oauth2/token/"
    what = "refresh the business token" if refresh else "get a business token"
    with httpx.Client(
        base_url=base_url.rstrip("/"), transport=transport, timeout=timeout
    ) as client:
        try:
            response = client.post(path, json=body)
        except httpx.HTTPError as exc:
            raise AuthError(
                f"tiktok: could not reach {path} to {what} ({type(exc).__name__}); "
                "check the network and tiktok.business_base_url",
                platform=PLATFORM,
            ) from None
    try:
        envelope = response.json()
    except ValueError:
        envelope = None
    data = envelope.get("data") if isinstance(envelope, dict) else None
    if (
        not isinstance(envelope, dict)
        or envelope.get("code") != 0
        or not isinstance(data, dict)
        or not data.get("access_token")
    ):
        message = envelope.get("message") if isinstance(envelope, dict) else None
        code = envelope.get("code") if isinstance(envelope, dict) else None
        raise AuthError(
            f"tiktok: TikTok refused to {what} (code {code}: "
            f"{message or f'HTTP {response.status_code}'}); run 'social auth tiktok --part "
            "business' to sign in again",
            platform=PLATFORM,
            status=response.status_code,
        )
    return TokenSet.from_response(dict(data))


def exchange_token(
    base_url: str,
    form: dict[str, str],
    *,
    transport: httpx.BaseTransport | None = None,
    timeout: float = 30.0,
) -> TokenSet:
    """POST /v2/oauth/token/ and return the tokens (the refresh token may have rotated)."""
    with httpx.Client(
        base_url=base_url.rstrip("/"), transport=transport, timeout=timeout
    ) as client:
        try:
            response = client.post(
                "/v2/oauth/token/",
                data=form,
                headers={"Content-Type": "application/x-www-form-urlencoded"},
            )
        except httpx.HTTPError as exc:
            raise AuthError(
                f"tiktok: could not reach the token endpoint ({type(exc).__name__}); "
                "check the network and tiktok.base_url",
                platform=PLATFORM,
            ) from None
    try:
        body = response.json()
    except ValueError:
        body = None
    if not isinstance(body, dict) or "access_token" not in body:
        error = body.get("error") if isinstance(body, dict) else None
        detail = body.get("error_description") if isinstance(body, dict) else None
        if isinstance(error, dict):
            detail = error.get("message") or error.get("code")
        reason = str(detail or error or response.status_code)
        hint = "run 'social auth tiktok' again"
        if "code verifier" in reason.lower() or "code challenge" in reason.lower():
            hint = (
                "TikTok did not accept the PKCE pair: run 'social auth tiktok --pkce base64url' "
                "(or --pkce hex) and sign in again"
            )
        raise AuthError(
            f"tiktok: token request refused ({reason}); {hint}",
            platform=PLATFORM,
            status=response.status_code,
        )
    return TokenSet.from_response(body)
