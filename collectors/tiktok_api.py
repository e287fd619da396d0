"""TikTok response classification and OAuth (Display API v2 and Business/Marketing API)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import httpx

from collectors.auth import TokenSet
from collectors.errors import ApiError, AuthError
from collectors.http import classify_status, retry_after_seconds

PLATFORM = "tiktok"
SCOPES = "user.info.basic,user.info.profile,user.info.stats,video.list"
AUTHORIZE_URL = "https://www.tiktok.com/v2/auth/authorize/"

# Business/Marketing API body codes (HTTP 200 with a non-zero code).
RATE_LIMITED = 40100
MAINTENANCE = 60001
AUTH_CODES = {40001, 40102, 40104, 40105}


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
    if code == RATE_LIMITED:
        return ApiError(
            f"tiktok: rate limited (code 40100){where}",
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


def authorize_url(client_key: str, redirect_uri: str, state: str) -> str:
    """The URL the user opens to grant access (authorization-code flow)."""
    query = urlencode(
        {
            "client_key": client_key,
            "scope": SCOPES,
            "response_type": "code",
            "redirect_uri": redirect_uri,
            "state": state,
        }
    )
    return f"{AUTHORIZE_URL}?{query}"


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
        raise AuthError(
            f"tiktok: token request refused ({detail or error or response.status_code}); "
            "run 'social auth tiktok' again",
            platform=PLATFORM,
            status=response.status_code,
        )
    return TokenSet.from_response(body)
