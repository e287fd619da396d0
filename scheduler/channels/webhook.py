"""POSTing a JSON payload to an incoming webhook, with errors that never show the URL.

A webhook URL is a secret (anyone holding it can post to the channel), so
messages name only the channel and the HTTP status.
"""

from __future__ import annotations

from typing import Any

import httpx

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
        detail = response.text.strip().splitlines()[0][:80] if response.text.strip() else ""
        wait = response.headers.get("Retry-After")
        hint = f", retry after {wait} s" if wait else ""
        raise DeliveryError(
            f"{channel}: webhook answered HTTP {response.status_code} {detail}{hint}".rstrip()
        )
