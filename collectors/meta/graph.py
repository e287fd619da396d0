"""Meta Graph / Marketing API: error classification, usage headers, time and number helpers.

Every Graph error arrives as `{"error": {message, type, code, error_subcode,
fbtrace_id}}`, usually with HTTP 400 whatever went wrong, so the code, not the
HTTP status, decides what happens (PLATFORMS.md, "Rate limits and errors").
Usage headers are read from every response (success or error) and fed to a
`UsageThrottle`, which `UsageLimiter` consults before the next request: the
collector slows down before Meta blocks it.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl, urlsplit
from zoneinfo import ZoneInfo

import httpx

from collectors.auth import TokenSet
from collectors.errors import ApiError, AuthError
from collectors.http import ApiClient, Classifier, classify_status, retry_after_seconds
from collectors.ratelimit import SlidingWindowLimiter, UsageThrottle

PLATFORM = "facebook"
RENEW = "social auth facebook --user-token <new token>"

# Meta's own list of transient and throttling codes (PLATFORMS.md).
RETRIABLE_CODES = frozenset({1, 2, 4, 17, 32, 341, 613, *range(80000, 80015)})
THROTTLE_CODES = frozenset({4, 17, 32, 341, 613, *range(80000, 80015)})
AUTH_CODES = frozenset({102, 104, 190})
TOKEN_SUBCODES = {
    458: "the app is no longer installed for this user",
    459: "the user must log in to Facebook to pass a checkpoint",
    460: "the password changed, which revokes the token",
    463: "the token has expired",
    464: "the user is not confirmed",
    467: "the token is no longer valid (logged out or revoked)",
    492: "the session is invalid",
}
NO_TOKEN_CODE = 104
# Product -> the permissions its endpoints need, named in permission errors.
PERMISSIONS = {
    "pages": ("pages_read_engagement", "read_insights"),
    "ads": ("ads_read",),
    "auth": ("pages_show_list", "pages_read_engagement"),
    "instagram": ("instagram_basic", "instagram_manage_insights", "pages_read_engagement"),
}
KNOWN_PERMISSIONS = (
    "instagram_basic",
    "instagram_manage_insights",
    "pages_read_engagement",
    "pages_show_list",
    "read_insights",
    "ads_read",
    "ads_management",
    "business_management",
)
INVALID_METRIC = "must be a valid insights metric"
TOO_MUCH_DATA = "reduce the amount of data"
PACIFIC = ZoneInfo("America/Los_Angeles")


class InvalidMetricError(ApiError):
    """Meta refused a metric of the request (`(#100) The value must be a valid insights metric`)."""


class MissingObjectsError(ApiError):
    """A multi-id request named objects that no longer exist (code 803); `ids` lists them."""

    ids: tuple[str, ...] = ()


class TooMuchDataError(ApiError):
    """A synchronous insights query was too large; run it as an async report instead."""


def _header_json(headers: httpx.Headers, name: str) -> Any:
    raw = headers.get(name)
    if not raw:
        return None
    try:
        return json.loads(raw)
    except (json.JSONDecodeError, TypeError):
        return None


def _percent(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


def usage_from_headers(headers: httpx.Headers) -> tuple[float, float] | None:
    """Highest usage percentage and seconds until access returns, from Meta's usage headers.

    X-App-Usage {call_count, total_cputime, total_time} (percent of the app's
    hourly budget), X-Business-Use-Case-Usage {"<id>": [{type, call_count,
    total_cputime, total_time, estimated_time_to_regain_access (minutes)}]}
    and X-Ad-Account-Usage {acc_id_util_pct, reset_time_duration (seconds)}.
    None when the response carries none of them.
    """
    found = False
    usage = 0.0
    regain = 0.0
    app = _header_json(headers, "X-App-Usage")
    if isinstance(app, dict):
        found = True
        usage = max([usage, *(_percent(app.get(k)) for k in APP_KEYS)])
    buc = _header_json(headers, "X-Business-Use-Case-Usage")
    if isinstance(buc, dict):
        found = True
        for entries in buc.values():
            for entry in entries if isinstance(entries, list) else [entries]:
                if not isinstance(entry, dict):
                    continue
                usage = max([usage, *(_percent(entry.get(k)) for k in APP_KEYS)])
                regain = max(regain, _percent(entry.get("estimated_time_to_regain_access")) * 60)
    account = _header_json(headers, "X-Ad-Account-Usage")
    if isinstance(account, dict):
        found = True
        usage = max(usage, _percent(account.get("acc_id_util_pct")))
        regain = max(regain, _percent(account.get("reset_time_duration")))
    return (usage, regain) if found else None


APP_KEYS = ("call_count", "total_cputime", "total_time")


class UsageLimiter(SlidingWindowLimiter):
    """A sliding-window ceiling plus Meta's own usage: pause before a request when usage is high."""

    def __init__(
        self,
        throttle: UsageThrottle,
        *,
        limit: int = 600,
        period: float = 60.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        super().__init__(limit, period, sleep=sleep)
        self.throttle = throttle

    def acquire(self, endpoint: str) -> None:
        self.throttle.pause()
        super().acquire(endpoint)


def _permission_hint(product: str, message: str) -> str:
    named = [p for p in KNOWN_PERMISSIONS if p in message]
    needed = named or list(PERMISSIONS.get(product, ()))
    return " and ".join(needed)


def classify_graph(product: str, throttle: UsageThrottle | None = None) -> Classifier:
    """A classifier for Graph/Marketing API responses of one product ('pages', 'ads', 'auth')."""

    def classify(response: httpx.Response, body: Any) -> ApiError | None:
        if throttle is not None:
            reading = usage_from_headers(response.headers)
            if reading is not None:
                throttle.update(*reading)
        error = body.get("error") if isinstance(body, dict) else None
        if isinstance(error, dict):
            return graph_error(product, response, error, throttle)
        status_error = classify_status(PLATFORM, response)
        if status_error is not None:
            return status_error
        if body is None or isinstance(body, dict):
            return None  # no body or malformed JSON: the client reports it
        return ApiError(
            "facebook: unexpected response (not a JSON object); check base_url in social.toml",
            platform=PLATFORM,
            status=response.status_code,
        )

    return classify


def graph_error(
    product: str,
    response: httpx.Response,
    error: dict[str, Any],
    throttle: UsageThrottle | None = None,
) -> ApiError:
    """Turn one Graph error envelope into the right ApiError (retriable, auth, metric...)."""
    code = _int(error.get("code"))
    subcode = _int(error.get("error_subcode"))
    message = str(error.get("message") or "").strip()
    trace = error.get("fbtrace_id")
    where = f" (fbtrace_id {trace})" if trace else ""
    status = response.status_code
    label = f"code {code}" + (f"/{subcode}" if subcode else "")
    if code is None:
        # Not a Graph envelope (a proxy, a gateway): the HTTP status is all there is.
        fallback = classify_status(PLATFORM, response, message)
        if fallback is not None:
            return fallback
    if code in AUTH_CODES:
        meaning = (
            "no token was sent"
            if code == NO_TOKEN_CODE
            else TOKEN_SUBCODES.get(subcode or 0, "Meta no longer accepts it")
        )
        return AuthError(
            f"facebook: the Facebook token expired or was revoked ({label}: {meaning}){where}; "
            f"renew it with: {RENEW}",
            platform=PLATFORM,
            status=status,
            code=code,
        )
    if product == "auth" and code in (1, 101):
        return AuthError(
            f"facebook: Meta refused the app credentials ({label}: {message}){where}; check "
            "app_id in the [facebook] section of social.toml and SOCIAL_FACEBOOK_APP_SECRET",
            platform=PLATFORM,
            status=status,
            code=code,
        )
    if code in RETRIABLE_CODES or error.get("is_transient") is True:
        if code == 1 and TOO_MUCH_DATA in message.lower():
            return TooMuchDataError(
                f"facebook: {message} ({label}){where}",
                platform=PLATFORM,
                status=status,
                code=code,
            )
        wait = retry_after_seconds(response)
        if code in THROTTLE_CODES and throttle is not None:
            if throttle.regain_seconds > 0:
                wait = max(wait or 0.0, throttle.regain_seconds)
            elif throttle.usage >= 100:
                wait = max(wait or 0.0, 60.0)
            # The retry delay already waits for access to return; don't pause twice.
            throttle.update(0.0, 0.0)
        kind = "rate limited" if code in THROTTLE_CODES else "temporary error"
        return ApiError(
            f"facebook: {kind} ({label}: {message}){where}",
            platform=PLATFORM,
            status=status,
            code=code,
            retriable=True,
            retry_after=wait,
        )
    if code == 10 or (code is not None and 200 <= code <= 299):
        return AuthError(
            f"facebook: permission missing ({label}: {message}){where}; the token needs "
            f"{_permission_hint(product, message)}: grant it in the app and renew with: {RENEW}",
            platform=PLATFORM,
            status=status,
            code=code,
        )
    if code == 100 and INVALID_METRIC in message.lower():
        return InvalidMetricError(message, platform=PLATFORM, status=status, code=code)
    if code == 803:
        missing = MissingObjectsError(
            f"facebook: {message} ({label}){where}", platform=PLATFORM, status=status, code=code
        )
        missing.ids = tuple(_ids_after_colon(message))
        return missing
    if code == 3018:
        return ApiError(
            f"facebook: Meta refused a date range starting more than 37 months ago ({label}: "
            f"{message}){where}; use a later --since (Meta keeps ads insights for 37 months)",
            platform=PLATFORM,
            status=status,
            code=code,
        )
    if code == 2635:
        return ApiError(
            f"facebook: {message} ({label}){where}; set [facebook] api_version in social.toml "
            "to a current version",
            platform=PLATFORM,
            status=status,
            code=code,
        )
    return ApiError(
        f"facebook: Meta refused the request ({label}: {message or 'no message'}){where}",
        platform=PLATFORM,
        status=status,
        code=code,
        retriable=status >= 500,
    )


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _ids_after_colon(message: str) -> list[str]:
    _, _, tail = message.rpartition(":")
    return [part for part in re.split(r"[\s,]+", tail.strip()) if part]


def number(value: Any) -> float | None:
    """Meta sends numbers as strings ("533.95"); '' or None mean no value."""
    if value is None or value == "":
        return None
    try:
        return float(str(value).replace(",", ""))
    except ValueError:
        return None


def pacific_day(end_time: str) -> date:
    """The day a Page insights value covers.

    Meta aggregates Page insights by days in Pacific time and stamps each daily
    value with the END of its day: "2026-01-05T08:00:00+0000" is midnight
    starting 5 January in Los Angeles (PST, UTC-8), so the value belongs to
    4 January; in summer the same day ends at 07:00 UTC (PDT). Converting to
    Pacific time and stepping back one instant gives the right day in both
    seasons; taking end_time's own date, or its date in Oslo, would be a day
    late. Meta cannot re-cut its days at Oslo midnight, so the stored date is
    Meta's (Pacific) day: it starts 09:00 Oslo time (08:00 in the few weeks when
    the US and Europe switch daylight saving time on different dates).
    """
    moment = datetime.fromisoformat(end_time.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return (moment.astimezone(PACIFIC) - timedelta(microseconds=1)).date()


def pacific_midnight(day: date) -> int:
    """Unix seconds of midnight starting `day` in Pacific time (Page insights' day boundary)."""
    return int(datetime(day.year, day.month, day.day, tzinfo=PACIFIC).timestamp())


def last_complete_pacific_day(now: datetime) -> date:
    """The newest Pacific day that has ended at `now`."""
    return now.astimezone(PACIFIC).date() - timedelta(days=1)


def graph_prefix(version: str) -> str:
    """'/v25.0' from a configured version ('v25.0' or '25.0')."""
    version = version.strip().strip("/")
    return "/" + (version if version.startswith("v") else f"v{version}")


def next_page(body: Any) -> tuple[str, dict[str, str]] | None:
    """The cursor (for loop detection) and query of the next page, or None on the last page.

    Graph's cursor paging ends when `paging.next` is absent. The `after` cursor
    is preferred; without one, the query of `next` is reused minus any token,
    since the token travels in the Authorization header.
    """
    paging = body.get("paging") if isinstance(body, dict) else None
    if not isinstance(paging, dict) or not paging.get("next"):
        return None
    after = (paging.get("cursors") or {}).get("after")
    if after:
        return str(after), {"after": str(after)}
    query = {k: v for k, v in parse_qsl(urlsplit(str(paging["next"])).query) if k != "access_token"}
    return str(sorted(query.items())), query


# --- tokens (`social auth facebook`) --------------------------------------------------------


def exchange_user_token(
    client: ApiClient, prefix: str, app_id: str, app_secret: str, short_token: str
) -> TokenSet:
    """Exchange a short-lived user token for a long-lived one (about 60 days)."""
    body = client.request(
        "GET",
        f"{prefix}/oauth/access_token",
        endpoint="oauth/access_token",
        params={
            "grant_type": "fb_exchange_token",
            "client_id": app_id,
            "client_secret": app_secret,
            "fb_exchange_token": short_token,
        },
    )
    if not isinstance(body, dict) or not body.get("access_token"):
        raise AuthError(
            "facebook: the token exchange returned no access_token; check base_url and try "
            "again with a fresh token",
            platform=PLATFORM,
        )
    return TokenSet.from_response(
        {"access_token": body["access_token"], "expires_in": body.get("expires_in")}
    )


def page_access_token(
    client: ApiClient, prefix: str, user_token: str, page_id: str | None
) -> tuple[str, str, str]:
    """(page id, name, Page token) derived from a long-lived user token; it does not expire.

    With a page id: GET /{page-id}?fields=id,name,access_token. Without one:
    GET /me/accounts, which must list exactly one Page (else the user picks).
    """
    headers = {"Authorization": f"Bearer {user_token}"}
    if page_id:
        body = client.request(
            "GET",
            f"{prefix}/{page_id}",
            endpoint="page",
            params={"fields": "id,name,access_token"},
            headers=headers,
        )
        pages = [body] if isinstance(body, dict) else []
    else:
        body = client.request(
            "GET",
            f"{prefix}/me/accounts",
            endpoint="me/accounts",
            params={"fields": "id,name,access_token", "limit": "100"},
            headers=headers,
        )
        pages = [p for p in body.get("data") or [] if isinstance(p, dict)]
        if len(pages) != 1:
            listed = ", ".join(f"{p.get('id')} ({p.get('name', '')})" for p in pages) or "none"
            raise AuthError(
                f"facebook: the token manages {len(pages)} Pages ({listed}); set page_id in the "
                "[facebook] section of social.toml and run the command again",
                platform=PLATFORM,
            )
    page = pages[0] if pages else {}
    token = page.get("access_token")
    if not token:
        raise AuthError(
            f"facebook: Meta gave no Page token for page {page_id or page.get('id')}; the user "
            "must be an admin of the Page and grant pages_show_list and pages_read_engagement",
            platform=PLATFORM,
        )
    return str(page.get("id") or page_id), str(page.get("name", "")), str(token)
