"""The simulated Meta Graph host, shared by every Meta platform's sandbox part.

What is Graph-wide lives here: the version in the path (v22.0 .. v26.0 answer,
older ones are deprecated), the error envelope (`{"error": {message, type,
code, error_subcode, fbtrace_id}}`), the token check, the X-App-Usage header
(Marketing API routes add X-Business-Use-Case-Usage and X-Ad-Account-Usage
through `marketing`), cursor paging and the since/until moments of insights.
Each platform mounts its own routes on `GRAPH`, written below the version:
`Route("GET", "/{version}/{page}/insights", ...)`.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from urllib.parse import parse_qsl, urlencode
from zoneinfo import ZoneInfo

import httpx

from collectors.sandbox.routes import Call, Handler, Host, Refusal

VERSIONS = range(22, 27)  # v22.0 .. v26.0 answer; older ones are deprecated
PACIFIC = ZoneInfo("America/Los_Angeles")  # insights days are Pacific days
INVALID_METRIC = "(#100) The value must be a valid insights metric"
GRAPH_URL = "https://graph.facebook.com"


class GraphError(Refusal):
    """A request Meta would answer with an error envelope."""

    def __init__(
        self,
        message: str,
        code: int,
        *,
        status: int = 400,
        subcode: int | None = None,
        kind: str = "OAuthException",
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__()
        self.message = message
        self.code = code
        self.status = status
        self.subcode = subcode
        self.kind = kind
        self.headers = headers or {}

    def respond(self, call: Call) -> httpx.Response:
        body: dict[str, Any] = {"message": self.message, "type": self.kind, "code": self.code}
        if self.subcode is not None:
            body["error_subcode"] = self.subcode
        body["fbtrace_id"] = trace(call.path, self.code)
        return httpx.Response(self.status, json={"error": body}, headers=self.headers)


def trace(*key: object) -> str:
    """A stable fbtrace_id-like string for a key."""
    digest = hashlib.sha256(repr(key).encode()).digest()
    return base64.urlsafe_b64encode(digest)[:11].decode("ascii")


def unsupported(object_id: str) -> GraphError:
    """Meta's answer for an id that is no object (or not one the token may see)."""
    return GraphError(
        f"Unsupported get request. Object with ID '{object_id}' does not exist, cannot be loaded "
        "due to missing permissions, or does not support this operation. Please read the Graph "
        "API documentation at https://developers.facebook.com/docs/graph-api",
        100,
        subcode=33,
        kind="GraphMethodException",
    )


# --- the host ------------------------------------------------------------------------------


@dataclass
class Usage:
    """The app's calls so far (X-App-Usage grows with them)."""

    calls: int = 0


def _usage(call: Call) -> Usage:
    return call.state.store("graph", Usage)


def _version(call: Call) -> httpx.Response | None:
    """Count the call, and refuse a path without a live API version."""
    with call.state.lock:
        usage = _usage(call)
        usage.calls += 1
        call.notes["calls"] = usage.calls
    parts = [p for p in call.path.split("/") if p]
    if not parts or not parts[0].startswith("v"):
        raise GraphError("Unsupported get request. Please add an API version to the path.", 100)
    try:
        major = int(parts[0][1:].split(".")[0])
    except ValueError:
        raise GraphError(f"Unknown path components: /{parts[0]}", 2500) from None
    if major not in VERSIONS:
        raise GraphError(
            f"(#2635) You are calling a deprecated version of the Graph API. Please update to "
            f"the latest version: v{max(VERSIONS)}.0.",
            2635,
        )
    return None


def _percent(call: Call) -> int:
    return min(99, int(call.notes.get("calls", 0)) // 5)


def _app_usage(call: Call, response: httpx.Response) -> httpx.Response:
    percent = _percent(call)
    response.headers["X-App-Usage"] = json.dumps(
        {"call_count": percent, "total_cputime": percent // 2, "total_time": percent // 2}
    )
    response.headers["x-fb-trace-id"] = trace("call", call.notes.get("calls", 0))
    return response


def _not_found(call: Call) -> httpx.Response:
    parts = [p for p in call.path.split("/") if p]
    return unsupported(parts[1] if len(parts) > 1 else "").respond(call)


def _not_allowed(call: Call) -> httpx.Response:
    return GraphError("Unsupported post request.", 100).respond(call)


GRAPH = Host(
    prefix="facebook",
    not_found=_not_found,
    not_allowed=_not_allowed,
    before=_version,
    after=_app_usage,
)


def marketing(account_id: str) -> Callable[[Handler], Handler]:
    """Decorate a Marketing API handler: its answers (errors too) carry the ads usage headers."""

    def decorate(handler: Handler) -> Handler:
        def wrapped(call: Call) -> httpx.Response | None:
            try:
                response = handler(call)
            except Refusal as refusal:
                response = refusal.respond(call)
            if response is not None:
                response.headers.update(_ads_usage(_percent(call), account_id))
            return response

        return wrapped

    return decorate


def _ads_usage(percent: int, account_id: str) -> dict[str, str]:
    return {
        "X-Business-Use-Case-Usage": json.dumps(
            {
                account_id: [
                    {
                        "type": "ads_insights",
                        "call_count": percent,
                        "total_cputime": percent // 3,
                        "total_time": percent // 3,
                        "estimated_time_to_regain_access": 0,
                    }
                ]
            }
        ),
        "X-Ad-Account-Usage": json.dumps(
            {
                "acc_id_util_pct": round(percent * 0.8, 2),
                "reset_time_duration": 0,
                "ads_api_access_tier": "standard_access",
            }
        ),
    }


# --- requests ------------------------------------------------------------------------------


def params(call: Call) -> dict[str, str]:
    """The query parameters, with a POST's form fields (Graph takes either)."""
    found = dict(call.query)
    if call.method == "POST" and call.request.content:
        found.update(dict(parse_qsl(call.request.content.decode("utf-8"))))
    return found


def token_guard(call: Call) -> httpx.Response | None:
    """Refuse a call without a valid sandbox token (in the header or access_token)."""
    auth = call.request.headers.get("Authorization", "")
    in_header = False
    token = params(call).get("access_token", "")
    for scheme in ("Bearer ", "OAuth "):
        if auth.startswith(scheme):
            token, in_header = auth[len(scheme) :].strip(), True
    if not token:
        raise GraphError("An access token is required to request this resource.", 104)
    status = 401 if in_header else 400
    headers = {"WWW-Authenticate": 'OAuth "Facebook Platform" "invalid_token" "Invalid token"'}
    if token.startswith("sandbox-expired"):
        raise GraphError(
            "Error validating access token: Session has expired on Monday, 05-Jan-26 "
            "00:00:00 PST. The current time is Tuesday, 06-Jan-26 01:00:00 PST.",
            190,
            status=status,
            subcode=463,
            headers=headers,
        )
    if not token.startswith("sandbox-"):
        raise GraphError(
            "Invalid OAuth access token - Cannot parse access token",
            190,
            status=status,
            headers=headers,
        )
    return None


def ok(body: Any) -> httpx.Response:
    return httpx.Response(200, json=body)


# --- paging and moments ----------------------------------------------------------------------


def cursor(index: int) -> str:
    return base64.b64encode(f"idx:{index}".encode()).decode("ascii").rstrip("=")


def uncursor(value: str) -> int:
    try:
        text = base64.b64decode(value + "=" * (-len(value) % 4)).decode("ascii")
        return int(text.split(":", 1)[1])
    except (ValueError, IndexError, UnicodeDecodeError):
        raise GraphError("(#100) Invalid cursor", 100) from None


def _limit(given: dict[str, str], default: int, maximum: int) -> int:
    try:
        value = int(given.get("limit", default))
    except ValueError:
        raise GraphError("(#100) Param limit must be a number", 100) from None
    return max(1, min(maximum, value))


def paged(call: Call, items: list[Any], default: int, maximum: int) -> dict[str, Any]:
    """Graph cursor paging: data, paging.cursors.before/after, paging.next while more remain."""
    given = params(call)
    start = uncursor(given["after"]) if given.get("after") else 0
    size = _limit(given, default, maximum)
    chunk = items[start : start + size]
    body: dict[str, Any] = {"data": chunk}
    if chunk:
        paging: dict[str, Any] = {
            "cursors": {"before": cursor(start), "after": cursor(start + len(chunk))}
        }
        if start + size < len(items):
            query = {k: v for k, v in given.items() if k != "after"}
            query["after"] = paging["cursors"]["after"]
            paging["next"] = f"{GRAPH_URL}{call.path}?{urlencode(query)}"
        body["paging"] = paging
    return body


def pacific_start(day: date) -> datetime:
    """Midnight Pacific at the start of a day: where an insights day begins."""
    return datetime.combine(day, time(), PACIFIC)


def moment(value: str | None, default: datetime) -> datetime:
    """since/until: unix seconds or a date (midnight Pacific, the insights' day boundary)."""
    if not value:
        return default
    if value.lstrip("-").isdigit():
        return datetime.fromtimestamp(int(value), UTC)
    try:
        return pacific_start(date.fromisoformat(value[:10])).astimezone(UTC)
    except ValueError:
        raise GraphError(f"(#100) Invalid since/until value: {value}", 100) from None


def end_time(day: date) -> str:
    """Meta stamps a daily value with the end of its Pacific day, in UTC."""
    return pacific_start(day + timedelta(days=1)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")
