"""POSTing a JSON payload to an incoming webhook, with errors that never show the URL.

A webhook URL is a secret (anyone holding it can post to the channel), so
messages name only the channel and the HTTP status.
"""

from __future__ import annotations

from typing import Any

import httpx

from core.redact import redact
from scheduler.channels import DeliveryError


def post_json(channel: str, url: str, payload: dict[str, Any], *, timeout: float) -> None:
    """POST the payload; raise DeliveryError on a network error or a non-2xx answer."""
    if not url:
        raise DeliveryError(
            f"{channel}: no webhook; set SOCIAL_{channel.upper()}_WEBHOOK or "
            f"[reminders] {channel}_webhook"
        )
    try:
        response = httpx.post(url, json=payload, timeout=timeout)
    except httpx.HTTPError as exc:
        raise DeliveryError(f"{channel}: webhook not reachable ({type(exc).__name__})") from None
    if response.status_code >= 300:
        # Some servers echo the request URL (the secret) in their error body.
        body = redact(response.text, [url]).strip()
        detail = body.splitlines()[0][:80] if body else ""
        wait = _seconds(response.headers.get("Retry-After"))
        hint = f", retry after {wait:g} s" if wait is not None else ""
        raise DeliveryError(
            f"{channel}: webhook answered HTTP {response.status_code} {detail}".rstrip() + hint,
            retry_after=wait,
            permanent=response.status_code in PERMANENT,
        )


# Slack answers 403/404/410 for a revoked or deleted webhook and 400 for a payload it
# refuses; Teams the same. Trying again cannot help. 408, 429 and 5xx are worth a retry.
PERMANENT = frozenset({400, 401, 403, 404, 410})


def _seconds(value: str | None) -> float | None:
    """Retry-After in seconds (only the delta-seconds form; an HTTP date is ignored)."""
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None
