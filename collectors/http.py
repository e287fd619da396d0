"""The one HTTP layer every collector uses: timeouts, classification, retries, rate limits.

A platform module supplies a `classify(response, body)` function that turns a
platform's error (HTTP status or body-level envelope) into an `ApiError`
marked retriable or not; everything else (backoff, Retry-After, counting
requests, keeping secrets out of messages) happens here once.
"""

from __future__ import annotations

import contextvars
import email.utils
import json
import random
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

import httpx

from collectors.errors import ApiError, AuthError, QuotaExhausted
from collectors.ratelimit import SlidingWindowLimiter

Classifier = Callable[[httpx.Response, Any], ApiError | None]

USER_AGENT = "social/0.1 (+STEM recruitment reporting)"
# The endpoint of the latest answer a collector received in this context: when its
# payload turns out to lack a field, the error can name where it came from.
LAST_ENDPOINT: contextvars.ContextVar[str] = contextvars.ContextVar("last_endpoint", default="")
# Longer waits than this are not slept through: the sync stops and says when to retry.
MAX_SLEEP_SECONDS = 300.0


def redact(text: str, secrets: Iterable[str]) -> str:
    """Replace every secret value in text with '***'."""
    for secret in secrets:
        if secret and len(secret) >= 6:
            text = text.replace(secret, "***")
    return text


def retry_after_seconds(response: httpx.Response) -> float | None:
    """Seconds a Retry-After header asks for (delta-seconds or an HTTP date)."""
    value = response.headers.get("Retry-After")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def classify_status(platform: str, response: httpx.Response, message: str = "") -> ApiError | None:
    """Default classification by HTTP status: 429/5xx retriable, 401/403 auth, other 4xx fatal."""
    status = response.status_code
    if status < 400:
        return None
    detail = f": {message}" if message else ""
    if status == 429:
        return ApiError(
            f"{platform}: rate limited (HTTP 429){detail}",
            platform=platform,
            status=status,
            retriable=True,
            retry_after=retry_after_seconds(response),
        )
    if status >= 500:
        return ApiError(
            f"{platform}: server error (HTTP {status}){detail}",
            platform=platform,
            status=status,
            retriable=True,
            retry_after=retry_after_seconds(response),
        )
    if status in (401, 403):
        return AuthError(
            f"{platform}: access refused (HTTP {status}){detail}; "
            f"renew the token with 'social auth {platform}'",
            platform=platform,
            status=status,
        )
    return ApiError(
        f"{platform}: request rejected (HTTP {status}){detail}", platform=platform, status=status
    )


class ApiClient:
    """An httpx client for one platform API with retries, backoff and rate limiting."""

    def __init__(
        self,
        platform: str,
        base_url: str,
        *,
        classify: Classifier,
        auth: httpx.Auth | None = None,
        headers: dict[str, str] | None = None,
        timeout: float = 30.0,
        max_retries: int = 5,
        limiter: SlidingWindowLimiter | None = None,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
        backoff_base: float = 1.0,
        secrets: Iterable[str] = (),
    ) -> None:
        self.platform = platform
        self.classify = classify
        self.max_retries = max_retries
        self.limiter = limiter
        self.sleep = sleep
        self.backoff_base = backoff_base
        self.secrets = [s for s in secrets if s]
        self.requests = 0
        self.retries = 0
        self._client = httpx.Client(
            base_url=base_url.rstrip("/"),
            auth=auth,
            headers={"User-Agent": USER_AGENT, "Accept": "application/json", **(headers or {})},
            timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
            transport=transport,
            follow_redirects=True,
        )

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> ApiClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def request(
        self,
        method: str,
        path: str,
        *,
        endpoint: str | None = None,
        params: Any = None,
        json_body: Any = None,
        data: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> Any:
        """Send a request and return its parsed JSON body, retrying what can be retried."""
        endpoint = endpoint or path
        LAST_ENDPOINT.set(endpoint)
        attempt = 0
        while True:
            if self.limiter is not None:
                self.limiter.acquire(endpoint)
            error = self._attempt(method, path, endpoint, params, json_body, data, headers)
            if not isinstance(error, ApiError):
                return error
            if not error.retriable:
                raise error
            if attempt >= self.max_retries:
                error.args = (
                    f"{error.args[0]} (gave up after {attempt + 1} attempts; "
                    "everything stored so far is kept, run the sync again later)",
                )
                raise error
            delay = error.retry_after if error.retry_after is not None else self._backoff(attempt)
            if delay > MAX_SLEEP_SECONDS:
                raise QuotaExhausted(
                    f"{error.args[0]}; the platform asks to wait {delay / 60:.0f} min: "
                    "stored data is kept, run the sync again after that",
                    platform=self.platform,
                    status=error.status,
                    code=error.code,
                    retry_after=delay,
                )
            attempt += 1
            self.retries += 1
            self.sleep(delay)

    def _attempt(
        self,
        method: str,
        path: str,
        endpoint: str,
        params: Any,
        json_body: Any,
        data: dict[str, str] | None,
        headers: dict[str, str] | None,
    ) -> Any:
        self.requests += 1
        try:
            response = self._client.request(
                method, path, params=params, json=json_body, data=data, headers=headers
            )
        except httpx.TimeoutException:
            return ApiError(
                f"{self.platform}: {endpoint} timed out", platform=self.platform, retriable=True
            )
        except httpx.TransportError as exc:
            reason = redact(str(exc) or type(exc).__name__, self.secrets)
            return ApiError(
                f"{self.platform}: could not reach {endpoint} ({reason}); "
                "check the network and base_url in social.toml",
                platform=self.platform,
                retriable=True,
            )
        body: Any = None
        malformed = False
        if response.content:
            try:
                body = response.json()
            except (json.JSONDecodeError, UnicodeDecodeError):
                malformed = True
        error = self.classify(response, body)
        if error is None and malformed:
            error = ApiError(
                f"{self.platform}: {endpoint} returned malformed JSON (HTTP {response.status_code})",
                platform=self.platform,
                status=response.status_code,
                retriable=True,
            )
        if error is not None:
            error.args = (redact(str(error.args[0]), self.secrets),)
            return error
        return body

    def _backoff(self, attempt: int) -> float:
        # Exponential with full jitter, as the AWS architecture blog recommends.
        cap = min(60.0, self.backoff_base * (2**attempt))
        return random.uniform(cap / 2, cap)
