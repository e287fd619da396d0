"""LinkedIn plumbing: Rest.li 2.0 query encoding, error classification and OAuth.

LinkedIn's Rest.li 2.0 protocol puts structured values in the query string:
`List(urn%3Ali%3Aorganization%3A123)` and `(start:(year:2026,month:1,day:1),...)`.
The structure characters `( ) : ,` must reach the wire literally while the
values inside (URNs) are percent-encoded; encoding the structure gives HTTP 400.
httpx would encode a `params` dict differently, so queries are built here and
passed to `ApiClient.request` as part of the path, which httpx leaves unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import quote, urlencode, urlsplit
from zoneinfo import ZoneInfo

import httpx

from collectors.auth import TokenSet
from collectors.errors import ApiError, AuthError, QuotaExhausted
from collectors.http import classify_status, retry_after_seconds
from core.timeutil import utcnow

PLATFORM = "linkedin"
ORGANIC_SCOPES = ("r_organization_social", "rw_organization_admin")
ADS_SCOPES = ("r_ads", "r_ads_reporting")
PUBLIC_API_HOST = "api.linkedin.com"
OAUTH_HOST = "https://www.linkedin.com"
RESTLI_PROTOCOL = "2.0.0"
DEFAULT_LIFETIME_SECONDS = 60 * 86400  # LinkedIn access tokens live 60 days

# Characters of Rest.li 2.0 syntax that must not be percent-encoded in a query.
_RESTLI_STRUCTURE = "(),:"
_DAILY_QUOTA = re.compile(r"\bDAY\b|\bdaily\b", re.IGNORECASE)
_VERSION_CODES = {"NONEXISTENT_VERSION", "VERSION_MISSING", "INVALID_VERSION"}


# --- Rest.li 2.0 encoding -------------------------------------------------------------


class Raw(str):
    """A value that is already Rest.li-encoded and is inserted as it is."""


def encode_leaf(value: str) -> str:
    """Percent-encode a string leaf (a URN, a name): every reserved character, `:` included."""
    return quote(value, safe="")


def restli(value: Any) -> str:
    """Encode a Python value as a Rest.li 2.0 query value.

    dicts become records `(key:value,...)`, lists/tuples `List(...)`, bools
    `true`/`false`, numbers as they are and strings percent-encoded.
    """
    if isinstance(value, Raw):
        return str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, Mapping):
        return "(" + ",".join(f"{encode_leaf(str(k))}:{restli(v)}" for k, v in value.items()) + ")"
    if isinstance(value, list | tuple):
        return "List(" + ",".join(restli(v) for v in value) + ")"
    return encode_leaf(str(value))


def query(pairs: Sequence[tuple[str, Any]]) -> str:
    """A query string from (name, value) pairs; values are Rest.li-encoded, None skipped."""
    return "&".join(f"{encode_leaf(name)}={restli(v)}" for name, v in pairs if v is not None)


def path_with_query(path: str, pairs: Sequence[tuple[str, Any]]) -> str:
    """`path?query` ready to hand to ApiClient.request (no params: httpx keeps it verbatim)."""
    text = query(pairs)
    return f"{path}?{text}" if text else path


def fields(names: Sequence[str]) -> Raw:
    """The comma-separated `fields` value of adAnalytics (plain names, commas literal)."""
    return Raw(",".join(encode_leaf(n) for n in names))


def urn(kind: str, external_id: str | int) -> str:
    """A LinkedIn URN such as urn:li:organization:123."""
    return f"urn:li:{kind}:{external_id}"


def urn_id(value: str) -> str:
    """The last part of a URN (urn:li:sponsoredCampaign:123 -> '123')."""
    return str(value).rsplit(":", 1)[-1]


def date_record(day: date) -> dict[str, int]:
    return {"year": day.year, "month": day.month, "day": day.day}


def date_range(start: date, end: date) -> dict[str, Any]:
    """The adAnalytics dateRange record (both ends inclusive)."""
    return {"start": date_record(start), "end": date_record(end)}


def day_ms(day: date) -> int:
    """Milliseconds since the epoch at 00:00 UTC of a day (LinkedIn's day boundaries)."""
    return int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp() * 1000)


def ms_day(ms: int | float) -> date:
    """The UTC day a millisecond timestamp falls on."""
    return datetime.fromtimestamp(float(ms) / 1000, UTC).date()


def time_intervals(start: date, end_exclusive: date, granularity: str = "DAY") -> dict[str, Any]:
    """The share/follower statistics timeIntervals record for [start, end_exclusive)."""
    return {
        "timeRange": {"start": day_ms(start), "end": day_ms(end_exclusive)},
        "timeGranularityType": Raw(granularity),
    }


def parse_date_range(value: Any) -> tuple[date, date]:
    """(start, end) of an adAnalytics dateRange object; end defaults to start."""
    start = value["start"]
    end = value.get("end") or start
    return (
        date(int(start["year"]), int(start["month"]), int(start["day"])),
        date(int(end["year"]), int(end["month"]), int(end["day"])),
    )


def next_start(body: Mapping[str, Any]) -> int | None:
    """The `start` of the next page from `paging.links[rel=next]`, or None on the last page."""
    paging = body.get("paging") or {}
    for link in paging.get("links") or []:
        if link.get("rel") == "next" and link.get("href"):
            for part in urlsplit(str(link["href"])).query.split("&"):
                name, _, value = part.partition("=")
                if name == "start" and value.isdigit():
                    return int(value)
            start = int(paging.get("start") or 0)
            return start + int(paging.get("count") or 0)
    return None


# --- error classification -------------------------------------------------------------


def _envelope(body: Any) -> tuple[str, str, str]:
    """(message, code, serviceErrorCode) of LinkedIn's error body."""
    if not isinstance(body, dict):
        return "", "", ""
    message = str(body.get("message") or body.get("error_description") or body.get("error") or "")
    code = str(body.get("code") or "")
    service = str(body.get("serviceErrorCode") or "")
    return message, code, service


def next_reset(now: datetime, timezone: str) -> str:
    """When LinkedIn's daily quotas reset (next midnight UTC), in local time."""
    now_utc = now.astimezone(UTC)
    midnight = datetime(now_utc.year, now_utc.month, now_utc.day, tzinfo=UTC) + timedelta(days=1)
    local = midnight.astimezone(ZoneInfo(timezone))
    return f"{local:%Y-%m-%d %H:%M} ({timezone})"


def suggested_version(now: datetime) -> str:
    """A version LinkedIn very likely serves: the month before last."""
    first = now.date().replace(day=1) - timedelta(days=1)
    first = first.replace(day=1) - timedelta(days=1)
    return f"{first:%Y%m}"


def make_classifier(
    *,
    version: str,
    timezone: str,
    scopes: Sequence[str],
    clock: Callable[[], datetime] = utcnow,
    renew: str = "social auth linkedin",
) -> Callable[[httpx.Response, Any], ApiError | None]:
    """A classifier for LinkedIn responses (error envelope {message, serviceErrorCode, status}).

    `renew` is the sign-in command of the app whose token the client sends.
    """

    def classify(response: httpx.Response, body: Any) -> ApiError | None:
        status = response.status_code
        if status < 400:
            if body is not None and not isinstance(body, dict):
                return ApiError(
                    "linkedin: unexpected response (not a JSON object); check linkedin.base_url",
                    platform=PLATFORM,
                    status=status,
                )
            return None
        message, code, service = _envelope(body)
        detail = f": {message}" if message else ""
        where = f" (serviceErrorCode {service})" if service else ""
        if (
            status == 426
            or code in _VERSION_CODES
            or (status == 400 and "version" in message.lower())
        ):
            return ApiError(
                f"linkedin: LinkedIn-Version {version} is not accepted (HTTP {status}{detail}); "
                f"set linkedin.version in social.toml to a current YYYYMM such as "
                f"{suggested_version(clock())} (versions retire after about a year)",
                platform=PLATFORM,
                status=status,
                code=code or None,
            )
        if status == 401:
            return AuthError(
                f"linkedin: the access token was refused (HTTP 401{detail}){where}; "
                f"it may have expired (tokens live 60 days): renew it with '{renew}'",
                platform=PLATFORM,
                status=status,
                code=service or None,
            )
        if status == 403:
            return AuthError(
                f"linkedin: permission denied (HTTP 403{detail}){where}; the token needs the "
                f"scopes {', '.join(scopes)} and your member must be an admin of the page or ad "
                f"account: fix the app's products/roles, then run '{renew}'",
                platform=PLATFORM,
                status=status,
                code=service or None,
            )
        if status == 429:
            if _DAILY_QUOTA.search(message):
                return QuotaExhausted(
                    f"linkedin: the daily API quota is used up (HTTP 429{detail}); LinkedIn "
                    f"resets it at midnight UTC: run the sync again after {next_reset(clock(), timezone)}; "
                    "everything stored so far is kept",
                    platform=PLATFORM,
                    status=status,
                    code=service or None,
                )
            return ApiError(
                f"linkedin: rate limited (HTTP 429{detail})",
                platform=PLATFORM,
                status=status,
                retriable=True,
                retry_after=retry_after_seconds(response),
            )
        if status >= 500:
            return ApiError(
                f"linkedin: server error (HTTP {status}{detail})",
                platform=PLATFORM,
                status=status,
                retriable=True,
                retry_after=retry_after_seconds(response),
            )
        if status in (400, 422):
            return ApiError(
                f"linkedin: request rejected (HTTP {status}{detail}){where}",
                platform=PLATFORM,
                status=status,
                code=service or code or None,
            )
        if status == 404:
            return ApiError(
                f"linkedin: not found (HTTP 404{detail}); check organization_id and "
                "ad_account_ids in social.toml",
                platform=PLATFORM,
                status=status,
            )
        return classify_status(PLATFORM, response, message)

    return classify


# --- OAuth 2 ------------------------------------------------------------------------------


def oauth_base(base_url: str) -> str:
    """Where the OAuth endpoints live: www.linkedin.com for the real API, else base_url."""
    if urlsplit(base_url).hostname == PUBLIC_API_HOST:
        return OAUTH_HOST
    return base_url.rstrip("/")


def scopes_for(part: str) -> list[str]:
    """The scopes one app asks for: the page app's, or the ads app's (never both at once).

    LinkedIn's Community Management API must be the only product on its app, so
    one sign-in never holds page and ads scopes together.
    """
    return list(ORGANIC_SCOPES if part == "page" else ADS_SCOPES)


def authorize_url(
    base_url: str, client_id: str, redirect_uri: str, state: str, scopes: Sequence[str]
) -> str:
    """The URL the user opens to grant access (authorization-code flow)."""
    params = urlencode(
        {
            "response_type": "code",
            "client_id": client_id,
            "redirect_uri": redirect_uri,
            "state": state,
            "scope": " ".join(scopes),
        }
    )
    return f"{oauth_base(base_url)}/oauth/v2/authorization?{params}"


def token_set(payload: Mapping[str, Any], *, now: datetime | None = None) -> TokenSet:
    """TokenSet from LinkedIn's token response (refresh_token_expires_in, not refresh_expires_in)."""
    return TokenSet.from_response(dict(payload), now=now)


def exchange_token(
    base_url: str,
    form: dict[str, str],
    *,
    transport: httpx.BaseTransport | None = None,
    timeout: float = 30.0,
) -> TokenSet:
    """POST /oauth/v2/accessToken (authorization_code or refresh_token grant)."""
    url = f"{oauth_base(base_url)}/oauth/v2/accessToken"
    with httpx.Client(transport=transport, timeout=timeout) as client:
        try:
            response = client.post(
                url, data=form, headers={"Content-Type": "application/x-www-form-urlencoded"}
            )
        except httpx.HTTPError as exc:
            raise AuthError(
                f"linkedin: could not reach the token endpoint ({type(exc).__name__}); "
                "check the network and linkedin.base_url",
                platform=PLATFORM,
            ) from None
    try:
        body = response.json()
    except ValueError:
        body = None
    if not isinstance(body, dict) or "access_token" not in body:
        message, _, _ = _envelope(body)
        raise AuthError(
            f"linkedin: token request refused ({message or f'HTTP {response.status_code}'}); "
            "run 'social auth linkedin' again",
            platform=PLATFORM,
            status=response.status_code,
        )
    return token_set(body)
