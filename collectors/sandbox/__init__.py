"""Simulated TikTok, LinkedIn and Facebook APIs with the real response shapes.

One `Sandbox` serves every platform under a path prefix (see CONVENTIONS in
the README): in-process through `httpx.MockTransport(sandbox.handle)`, or as a
real HTTP server (`collectors.sandbox.server`, `social sandbox serve`). Its
world is a pure function of (seed, today), so later syncs see consistent,
growing numbers. Tokens that start with "sandbox-" are valid.
"""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from collections.abc import Callable
from datetime import date
from typing import Any

import httpx

from collectors.facebook import sandbox as facebook
from collectors.linkedin import sandbox as linkedin
from collectors.tiktok import sandbox as tiktok

Handler = Callable[[httpx.Request, Any], httpx.Response]

# path prefix -> handler(request, sandbox); adding a platform is one line here.
PLATFORM_HANDLERS: dict[str, Handler] = {
    "tiktok-open": tiktok.handle_open,
    "tiktok-business": tiktok.handle_business,
    "linkedin": linkedin.handle,
    "facebook": facebook.handle,
}

FAULTS = (
    "429",
    "429-retry-after",
    "500",
    "timeout",
    "malformed",
    "rate_limit_envelope",
    "maintenance",
    "token_invalid",
    "qps_limit",
    "query_too_large",
)


class Sandbox:
    """The simulated platforms' state: seed, 'today', request counts and injected faults."""

    def __init__(
        self,
        seed: int = 42,
        today: date | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.seed = seed
        self.today = today or date.today()
        self.clock = clock  # expiry of the business tokens it issues
        self.requests: Counter[str] = Counter()
        self._faults: list[tuple[str, str]] = []
        self._lock = threading.Lock()

    def inject(self, path_contains: str, *faults: str) -> None:
        """Make the next requests whose path contains `path_contains` fail, one fault each."""
        for fault in faults:
            if fault not in FAULTS:
                raise ValueError(f"unknown fault {fault!r}; use one of {', '.join(FAULTS)}")
            self._faults.append((path_contains, fault))

    def handle(self, request: httpx.Request) -> httpx.Response:
        """Answer one request as the platform would."""
        path = request.url.path
        if path == "/__sandbox__":  # lets `social sync` tell the sandbox from another program
            return httpx.Response(200, json={"sandbox": True, "seed": self.seed})
        prefix = path.strip("/").split("/", 1)[0]
        with self._lock:
            self.requests[path] += 1
            fault = next((f for f in self._faults if f[0] in path), None)
            if fault:
                self._faults.remove(fault)
        handler = PLATFORM_HANDLERS.get(prefix)
        if handler is None:
            return httpx.Response(404, json={"error": f"no sandbox platform at /{prefix}"})
        if fault:
            return _fault(fault[1], request)
        return handler(request, self)

    @property
    def total_requests(self) -> int:
        return sum(self.requests.values())


def _fault(kind: str, request: httpx.Request) -> httpx.Response:
    business = "tiktok-business" in request.url.path
    if kind == "timeout":
        raise httpx.ReadTimeout("sandbox: injected timeout", request=request)
    if kind == "malformed":
        return httpx.Response(
            200, content=b'{"data": {"videos": [', headers={"Content-Type": "application/json"}
        )
    if kind == "500":
        return httpx.Response(
            500,
            json={"data": {}, "error": {"code": "internal_error", "message": "", "log_id": "sbx"}},
        )
    if kind in ("429", "429-retry-after"):
        headers = {"Retry-After": "1"} if kind == "429-retry-after" else {}
        return httpx.Response(
            429,
            headers=headers,
            json={
                "data": {},
                "error": {"code": "rate_limit_exceeded", "message": "", "log_id": "sbx"},
            },
        )
    if kind == "rate_limit_envelope" or (kind == "maintenance" and business):
        code = 40100 if kind == "rate_limit_envelope" else 60001
        return httpx.Response(
            200, json={"code": code, "message": "sandbox fault", "request_id": "sbx", "data": {}}
        )
    if kind == "qps_limit":  # the shape of real-samples/api/tiktok_error_40133_airbyte.json
        return httpx.Response(
            200,
            json={
                "code": 40133,
                "message": "Advertiser (7000000000000000001)'s QPS (21) reaches QPS limit 20 for "
                "current path, request is temporarily restricted.",
                "data": {},
            },
        )
    if kind == "query_too_large":  # real-samples/api/tiktok_error_40067_airbyte.json
        return httpx.Response(
            200,
            json={
                "code": 40067,
                "message": "Your query is too large, please reduce the query size (e.g. fewer "
                "metrics or time range) and retry after a while.",
                "request_id": "sbx",
                "data": {},
            },
        )
    if kind == "token_invalid":
        if business:
            return httpx.Response(
                200,
                json={
                    "code": 40105,
                    "message": "Access token is incorrect or has been revoked.",
                    "request_id": "sbx",
                    "data": {},
                },
            )
        return httpx.Response(
            401,
            json={
                "data": {},
                "error": {
                    "code": "access_token_invalid",
                    "message": "The access token is invalid or not found in the request.",
                    "log_id": "sbx",
                },
            },
        )
    return httpx.Response(500, content=json.dumps({"error": kind}).encode())


__all__ = ["Sandbox", "PLATFORM_HANDLERS"]
