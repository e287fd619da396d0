"""Instagram Graph payloads shaped like Meta's answers, and a workspace wired to them."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import httpx

from core.config import Config, load_config
from tests.facebook_support import PACIFIC, PAGE, end_time

IG_USER = "17841400882674637"


def write_config(folder: Path, instagram: str = "", sync: str = "backfill_days = 3") -> Config:
    """A workspace with the Facebook Page and Instagram enabled, the Page token in the env."""
    path = folder / "social.toml"
    path.write_text(
        '[general]\ntimezone = "Europe/Oslo"\n[tiktok]\nenabled = false\n'
        f'[facebook]\nenabled = false\npage_id = "{PAGE}"\n'
        f"[instagram]\nenabled = true\n{instagram}\n[sync]\n{sync}\n",
        encoding="utf-8",
    )
    return load_config(path)


def unix(day: date) -> int:
    """Midnight starting `day` in Pacific time, as Meta's since/until count it."""
    return int(datetime.combine(day, time(), PACIFIC).timestamp())


def day_of(since: str) -> date:
    return datetime.fromtimestamp(int(since), PACIFIC).date()


def series_entry(name: str, values: dict[date, float]) -> dict[str, Any]:
    """One metric_type=time_series entry, each value stamped with the end of its Pacific day."""
    return {
        "name": name,
        "period": "day",
        "values": [{"value": v, "end_time": end_time(d)} for d, v in sorted(values.items())],
        "title": name.replace("_", " ").capitalize(),
        "id": f"{IG_USER}/insights/{name}/day",
    }


def total_entry(name: str, value: float) -> dict[str, Any]:
    """One metric_type=total_value entry."""
    return {
        "name": name,
        "period": "day",
        "title": name.replace("_", " ").capitalize(),
        "total_value": {"value": value},
        "id": f"{IG_USER}/insights/{name}/day",
    }


def media_row(media_id: str, when: datetime, product: str = "FEED", kind: str = "IMAGE") -> dict:
    return {
        "id": media_id,
        "caption": "Forsøk i fysikktimen #Fysikk #realfag",
        "media_type": kind,
        "media_product_type": product,
        "permalink": f"https://www.instagram.com/p/{media_id}/",
        "timestamp": when.strftime("%Y-%m-%dT%H:%M:%S+0000"),
    }


def lifetime_entry(media_id: str, name: str, value: float) -> dict[str, Any]:
    return {
        "name": name,
        "period": "lifetime",
        "values": [{"value": value}],
        "title": name.capitalize(),
        "id": f"{media_id}/insights/{name}/lifetime",
    }


def days_between(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def ok(body: dict[str, Any]) -> httpx.Response:
    return httpx.Response(200, json=body)
