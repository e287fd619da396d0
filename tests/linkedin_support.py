"""LinkedIn payloads shaped like PLATFORMS.md, a config wired to them, and the sandbox."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from collectors.auth import TokenSet, TokenStore
from collectors.linkedin import sandbox as linkedin_sandbox
from collectors.sandbox import Sandbox
from core.config import Config, load_config

API = "https://api.linkedin.com"
ORG = "2414183"
ORG_URN_ENC = "urn%3Ali%3Aorganization%3A2414183"
AD_ACCOUNT = "508000111"
NOW = datetime(2026, 11, 16, 6, 0, tzinfo=UTC)  # Monday; local today 2026-11-16
TODAY = date(2026, 11, 16)
TOKEN = "li-access-token-123456"


def write_config(folder: Path, extra: str = "", *, org: str = ORG, ads: str = "") -> Config:
    """A social.toml with only LinkedIn enabled."""
    accounts = f'ad_account_ids = ["{ads}"]\n' if ads else ""
    text = (
        '[general]\ntimezone = "Europe/Oslo"\n[tiktok]\nenabled = false\n'
        f'[linkedin]\nenabled = true\norganization_id = "{org}"\n{accounts}{extra}\n'
    )
    path = folder / "social.toml"
    path.write_text(text, encoding="utf-8")
    return load_config(path)


def save_token(config: Config, days_left: float, *, refresh: str | None = None) -> TokenStore:
    """Store a LinkedIn token in the config's token file, expiring `days_left` after NOW."""
    store = TokenStore(config.token_file)
    expires = (NOW + timedelta(days=days_left)).strftime("%Y-%m-%dT%H:%M:%SZ")
    store.save("linkedin", TokenSet(TOKEN, refresh, expires))
    return store


def li_error(status: int, message: str, service: int | None = None, **extra: Any) -> httpx.Response:
    body: dict[str, Any] = {"message": message, "status": status}
    if service is not None:
        body["serviceErrorCode"] = service
    body.update(extra)
    return httpx.Response(status, json=body)


def collection(
    elements: list[dict[str, Any]],
    links: list[dict[str, str]] | None = None,
    start: int = 0,
    count: int = 10,
) -> httpx.Response:
    return httpx.Response(
        200,
        json={
            "paging": {"start": start, "count": count, "links": links or []},
            "elements": elements,
        },
    )


def day_ms(day: date) -> int:
    return int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp() * 1000)


def share_day(day: date, impressions: int = 1200) -> dict[str, Any]:
    return {
        "organizationalEntity": f"urn:li:organization:{ORG}",
        "timeRange": {"start": day_ms(day), "end": day_ms(day + timedelta(days=1))},
        "totalShareStatistics": {
            "impressionCount": impressions,
            "uniqueImpressionsCount": 950,
            "clickCount": 34,
            "likeCount": 20,
            "commentCount": 2,
            "shareCount": 1,
            "engagement": 0.0475,
        },
    }


def sandbox_transport(today: date = TODAY, seed: int = 7) -> httpx.MockTransport:
    """The whole sandbox in-process (its dispatcher routes /linkedin to our module)."""
    return httpx.MockTransport(Sandbox(seed=seed, today=today).handle)


def sandbox_config(folder: Path, extra: str = "") -> Config:
    """A config pointed at the sandbox's organisation and ad account."""
    return write_config(
        folder,
        f'base_url = "http://127.0.0.1:9/linkedin"\n{extra}',
        org=linkedin_sandbox.ORG_ID,
        ads=linkedin_sandbox.AD_ACCOUNT_ID,
    )
