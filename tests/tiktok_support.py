"""TikTok payloads shaped exactly like PLATFORMS.md, and a workspace wired to them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx

from core.config import Config, load_config

DISPLAY = "https://open.tiktokapis.com"
BUSINESS = "https://business-api.tiktok.com/open_api/v1.3"
OK = {"code": "ok", "message": "", "log_id": "202601051234"}


def video(
    vid: str, create_time: int, views: int, title: str = "Eksamenstips #eksamen"
) -> dict[str, Any]:
    return {
        "id": vid,
        "create_time": create_time,
        "title": title,
        "share_url": f"https://www.tiktok.com/@stemutdanning/video/{vid}",
        "view_count": views,
        "like_count": views // 20,
        "comment_count": 3,
        "share_count": 1,
    }


def video_list(videos: list[dict[str, Any]], cursor: int, has_more: bool) -> httpx.Response:
    return httpx.Response(
        200, json={"data": {"videos": videos, "cursor": cursor, "has_more": has_more}, "error": OK}
    )


def user_info(followers: int = 1500) -> httpx.Response:
    return httpx.Response(
        200,
        json={
            "data": {
                "user": {
                    "open_id": "open-123",
                    "display_name": "STEM-studentene",
                    "follower_count": followers,
                    "likes_count": 90000,
                    "video_count": 3,
                }
            },
            "error": OK,
        },
    )


def display_error(status: int, code: str, message: str = "boom") -> httpx.Response:
    return httpx.Response(
        status,
        json={"data": {}, "error": {"code": code, "message": message, "log_id": "202601051235"}},
    )


def business_envelope(data: dict[str, Any], code: int = 0, message: str = "OK") -> httpx.Response:
    return httpx.Response(
        200, json={"code": code, "message": message, "request_id": "2026", "data": data}
    )


def write_config(folder: Path, extra: str = "") -> Config:
    path = folder / "social.toml"
    path.write_text(
        f'[general]\ntimezone = "Europe/Oslo"\n[tiktok]\nenabled = true\n{extra}\n',
        encoding="utf-8",
    )
    return load_config(path)
