"""Graph API payloads shaped like PLATFORMS.md / Meta's responses, and workspaces wired to them."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from collectors.sandbox.state import SandboxState
from core.config import Config, load_config

GRAPH = "https://graph.facebook.com"
V = "/v25.0"
PAGE = "1234567890"
ACT = "998877"
PAGE_TOKEN = "page-secret-token-abc123"
ADS_TOKEN = "ads-secret-token-def456"
PACIFIC = ZoneInfo("America/Los_Angeles")
# 10:00 UTC on 20 Jan 2026: local (Oslo) today is the 20th, the newest ended Pacific day the 19th.
NOW = datetime(2026, 1, 20, 10, 0, tzinfo=UTC)


def sandbox_state(today: date = date(2026, 1, 20), seed: int = 7) -> SandboxState:
    """The state the Facebook sandbox part answers from: a seed and a 'today'."""
    return SandboxState(seed=seed, today=today)


def write_config(folder: Path, facebook: str = "", sync: str = "") -> Config:
    path = folder / "social.toml"
    path.write_text(
        '[general]\ntimezone = "Europe/Oslo"\n[tiktok]\nenabled = false\n'
        f"[facebook]\nenabled = true\n{facebook}\n[sync]\n{sync}\n",
        encoding="utf-8",
    )
    return load_config(path)


def page_only_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Config:
    """A workspace collecting one Page over 3 days, with the Page token in the environment."""
    monkeypatch.setenv("SOCIAL_FACEBOOK_ACCESS_TOKEN", PAGE_TOKEN)
    monkeypatch.delenv("SOCIAL_FACEBOOK_ADS_TOKEN", raising=False)
    return write_config(tmp_path, f'page_id = "{PAGE}"', "backfill_days = 3")


def ads_only_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Config:
    """A workspace collecting one ad account over 14 days, with the ads token in the env."""
    monkeypatch.delenv("SOCIAL_FACEBOOK_ACCESS_TOKEN", raising=False)
    monkeypatch.setenv("SOCIAL_FACEBOOK_ADS_TOKEN", ADS_TOKEN)
    return write_config(tmp_path, f'ad_account_ids = ["act_{ACT}"]', "backfill_days = 14")


def graph_error(
    code: int,
    message: str,
    *,
    subcode: int | None = None,
    status: int = 400,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    """Meta's error envelope."""
    error: dict[str, Any] = {"message": message, "type": "OAuthException", "code": code}
    if subcode is not None:
        error["error_subcode"] = subcode
    error["fbtrace_id"] = "AopRcG7C9Cv"
    return httpx.Response(status, json={"error": error}, headers=headers)


def end_time(day: date) -> str:
    """How Meta stamps a daily Page value: the end of its Pacific day, in UTC."""
    end = datetime.combine(day + timedelta(days=1), time(), PACIFIC).astimezone(UTC)
    return end.strftime("%Y-%m-%dT%H:%M:%S+0000")


def metric_entry(name: str, values: dict[date, Any], period: str = "day") -> dict[str, Any]:
    return {
        "name": name,
        "period": period,
        "values": [{"value": v, "end_time": end_time(d)} for d, v in sorted(values.items())],
        "id": f"{PAGE}/insights/{name}/{period}",
    }


def page_object(name: str = "Realfagslærerne") -> httpx.Response:
    return httpx.Response(200, json={"id": PAGE, "name": name})


def usage(call_count: int) -> dict[str, str]:
    return {
        "X-App-Usage": json.dumps({"call_count": call_count, "total_cputime": 1, "total_time": 1})
    }
