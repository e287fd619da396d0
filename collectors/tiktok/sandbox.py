"""Simulated TikTok APIs: Display API v2, the business account and the Marketing API report.

Six STEM students post 3-5 videos a week. Final views are heavy-tailed (most
1 000-3 000, a few 15 000+); tips and exam videos do about 2x, honest stories
about 1.5x, more so in exam seasons; views grow over the days after posting.
Paid reach is honest: a window's reach is computed for the window and is
below the sum of its daily reach.
"""

from __future__ import annotations

import hashlib
import json
import math
import random
import time as clock
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from collectors.auth import TokenSet, TokenStore
from collectors.sandbox.part import DEMO_TOKEN, DemoPlan, Mount, SandboxPart, demo_expiry
from collectors.sandbox.routes import Call, Host, routes
from core.config import Config

OPEN_ID = "sandbox-open-stemstudentene"
DISPLAY_NAME = "STEM-studentene"
BUSINESS_ID = "7300000000000000001"
ADVERTISER_ID = "7000000000000000001"
HISTORY_DAYS = 420
OSLO = ZoneInfo("Europe/Oslo")
VIDEO_FIELDS = {
    "id",
    "create_time",
    "title",
    "video_description",
    "duration",
    "share_url",
    "view_count",
    "like_count",
    "comment_count",
    "share_count",
    "cover_image_url",
    "embed_link",
    "height",
    "width",
}
USER_FIELDS = {
    "open_id",
    "union_id",
    "avatar_url",
    "display_name",
    "bio_description",
    "profile_deep_link",
    "is_verified",
    "follower_count",
    "following_count",
    "likes_count",
    "video_count",
    "username",
}
REPORT_METRICS = {
    "spend",
    "impressions",
    "reach",
    "frequency",
    "clicks",
    "ctr",
    "cpc",
    "cpm",
    "video_play_actions",
    "video_watched_2s",
    "video_watched_6s",
    "profile_visits",
    "likes",
    "comments",
    "shares",
    "follows",
}
THEMES = [  # (hashtags, caption start, factor, weight)
    ("#eksamen #tips", "Eksamenstips: slik leser du til matteeksamen", 2.0, 2),
    ("#tips #realfag", "Tre tips som gjorde fysikk lettere", 2.0, 2),
    ("#studieliv #ærlig", "Ærlig talt: første året var tøft", 1.5, 2),
    ("#studieliv", "En dag på lab med oss", 1.0, 3),
    ("#tmatte #realfag", "T-matte eller R-matte?", 1.0, 2),
    ("#jobb #rollemodell", "Hva gjør egentlig en ingeniør?", 1.0, 2),
    ("#stem", "Bak kulissene på campus", 1.0, 2),
]
STUDENTS = ["Ingrid", "Sander", "Amina", "Jonas", "Mari", "Elias"]


@dataclass(frozen=True)
class Video:
    id: str
    created: datetime  # UTC
    title: str
    duration: int
    final_views: float
    is_ad: bool

    def views(self, at: datetime) -> int:
        """Lifetime views at a moment: most arrive in the first days, a slow tail after."""
        age = (at - self.created).total_seconds() / 86400
        if age <= 0:
            return 0
        return int(
            self.final_views * (0.93 * (1 - math.exp(-age / 1.5)) + 0.07 * min(age / 60, 1.0))
        )


def _in_exam_season(day: date) -> bool:
    key = day.strftime("%m-%d")
    return "05-01" <= key <= "06-20" or "11-20" <= key <= "12-20"


@lru_cache(maxsize=8)
def videos(seed: int, today: date, count: int | None = None) -> tuple[Video, ...]:
    """All videos up to today, newest first (deterministic from seed; ids stable across days)."""
    rng = random.Random(seed)
    start = date(2025, 1, 1)
    out = []
    day = start
    n = 0
    while (day <= today) if count is None else (n < count):
        for _ in range(rng.choice([0, 0, 1, 1, 1])):  # ~0.6 a day: 3-5 a week
            tags, text, factor, _w = rng.choices(THEMES, weights=[t[3] for t in THEMES])[0]
            local = datetime.combine(day, time(rng.randint(12, 21), rng.randint(0, 59)), OSLO)
            boost = 1.3 if factor > 1 and _in_exam_season(day) else 1.0
            final = 1800 * rng.lognormvariate(0, 0.55) * factor * boost
            if rng.random() < 0.02:
                final *= 6  # the rare video nobody can explain
            vid = str(7_311_000_000_000_000_000 + seed * 1_000_000 + n)
            out.append(
                Video(
                    vid,
                    local.astimezone(UTC),
                    f"{text} {tags}",
                    rng.randint(15, 75),
                    final,
                    rng.random() < 0.05,
                )
            )
            n += 1
        day += timedelta(days=1)
    now = datetime.combine(today, time(6), OSLO).astimezone(UTC)
    if count is not None:  # benchmark accounts: `count` videos, one every 36 h before an anchor
        anchor = datetime(2026, 11, 23, 6, tzinfo=UTC)
        out = [
            Video(
                v.id,
                anchor - timedelta(hours=(i + 1) * 36),
                v.title,
                v.duration,
                v.final_views,
                v.is_ad,
            )
            for i, v in enumerate(out)
        ]
    visible = [v for v in out if v.created <= now]
    return tuple(sorted(visible, key=lambda v: v.created, reverse=True))


def _now(state: Any) -> datetime:
    return datetime.combine(state.today, time(6), OSLO).astimezone(UTC)


def _videos(state: Any) -> tuple[Video, ...]:
    return videos(state.seed, state.today, getattr(state, "video_count", None))


# ---------------------------------------------------------------- Display API v2


def _display(status: int, data: Any, code: str = "ok", message: str = "") -> httpx.Response:
    return httpx.Response(
        status,
        json={
            "data": data,
            "error": {"code": code, "message": message, "log_id": "20260105123400SBX"},
        },
    )


def _bad(message: str) -> httpx.Response:
    return _display(400, {}, "invalid_params", message)


def _fields(request: httpx.Request, allowed: set[str]) -> list[str] | httpx.Response:
    fields = [f for f in request.url.params.get("fields", "").split(",") if f]
    unknown = [f for f in fields if f not in allowed]
    if not fields or unknown:
        return _bad(f"Invalid fields: {','.join(unknown) or '(none)'}")
    return fields


def _video_json(video: Video, fields: list[str], now: datetime) -> dict[str, Any]:
    views = video.views(now)
    full = {
        "id": video.id,
        "create_time": int(video.created.timestamp()),
        "title": video.title,
        "video_description": video.title,
        "duration": video.duration,
        "share_url": f"https://www.tiktok.com/@stemstudentene/video/{video.id}",
        "view_count": views,
        "like_count": views // 17,
        "comment_count": views // 300,
        "share_count": views // 220,
    }
    return {f: full[f] for f in fields if f in full}


def _bearer_guard(call: Call) -> httpx.Response | None:
    """Display API calls need a valid user access token."""
    if not call.request.headers.get("Authorization", "").startswith("Bearer sandbox-"):
        return _display(
            401,
            {},
            "access_token_invalid",
            "The access token is invalid or not found in the request.",
        )
    return None


def _user_info(call: Call) -> httpx.Response:
    fields = _fields(call.request, USER_FIELDS)
    if isinstance(fields, httpx.Response):
        return fields
    state, now = call.state, _now(call.state)
    all_videos = _videos(state)
    days = (state.today - date(2025, 1, 1)).days
    user = {
        "open_id": OPEN_ID,
        "display_name": DISPLAY_NAME,
        "follower_count": 4200 + days * 9,
        "likes_count": sum(v.views(now) // 17 for v in all_videos),
        "video_count": len(all_videos),
    }
    return _display(200, {"user": {f: user[f] for f in fields if f in user}})


def _video_request(call: Call) -> tuple[list[str], dict[str, Any]] | httpx.Response:
    """The fields asked for and the JSON body of a video list or query call."""
    fields = _fields(call.request, VIDEO_FIELDS)
    if isinstance(fields, httpx.Response):
        return fields
    try:
        body = json.loads(call.request.content or b"{}")
    except ValueError:
        return _bad("Request body is not valid JSON")
    return fields, body


def _video_query(call: Call) -> httpx.Response:
    asked = _video_request(call)
    if isinstance(asked, httpx.Response):
        return asked
    fields, body = asked
    ids = (body.get("filters") or {}).get("video_ids") or []
    if not ids or len(ids) > 20:
        return _bad("video_ids must hold 1 to 20 ids")
    by_id = {v.id: v for v in _videos(call.state)}
    now = _now(call.state)
    found = [_video_json(by_id[i], fields, now) for i in ids if i in by_id]
    return _display(200, {"videos": found, "cursor": 0, "has_more": False})


def _video_list(call: Call) -> httpx.Response:
    asked = _video_request(call)
    if isinstance(asked, httpx.Response):
        return asked
    fields, body = asked
    max_count = body.get("max_count", 10)
    if not isinstance(max_count, int) or not 1 <= max_count <= 20:
        return _bad("max_count must be between 1 and 20")
    cursor = body.get("cursor")
    listed = [
        v
        for v in _videos(call.state)
        if cursor is None or int(v.created.timestamp() * 1000) < int(cursor)
    ]
    page = listed[:max_count]
    next_cursor = int(page[-1].created.timestamp() * 1000) if page else 0
    now = _now(call.state)
    return _display(
        200,
        {
            "videos": [_video_json(v, fields, now) for v in page],
            "cursor": next_cursor,
            "has_more": len(listed) > max_count,
        },
    )


def _open_not_found(call: Call) -> httpx.Response:
    return _display(404, {}, "invalid_params", f"Unknown endpoint {call.method} {call.path}")


def _oauth_error(description: str, error: str = "invalid_request") -> httpx.Response:
    return httpx.Response(
        400, json={"error": error, "error_description": description, "log_id": "SBX"}
    )


def _authorize(call: Call) -> httpx.Response:
    """The sign-in page (www.tiktok.com/v2/auth/authorize/): redirects back with a code.

    Login Kit rules: a redirect to localhost/127.0.0.1 is allowed for desktop apps
    only, which must send a PKCE challenge (S256); a web app's redirect is https.
    """
    params = call.query
    redirect = params.get("redirect_uri", "")
    url = httpx.URL(redirect) if redirect else None
    if not params.get("client_key") or params.get("response_type") != "code" or url is None:
        return _oauth_error("client_key, response_type=code and redirect_uri are required")
    if not url.is_absolute_url or url.query or url.fragment:
        return _oauth_error("redirect_uri must be absolute and static (no query, no fragment)")
    desktop = url.host in ("localhost", "127.0.0.1")
    challenge = params.get("code_challenge", "")
    if desktop:
        if url.port is None:
            return _oauth_error("a desktop redirect_uri needs a port")
        if not challenge or params.get("code_challenge_method") != "S256":
            return _oauth_error(
                "code_challenge with code_challenge_method=S256 is required for desktop apps"
            )
    elif url.scheme != "https":
        return _oauth_error("a web redirect_uri must use https")
    codes = _memory(call).codes
    with call.state.lock:
        code = f"sandbox-code-{len(codes) + 1}"
        codes[code] = (challenge, redirect)
    target = url.copy_merge_params(
        {"code": code, "scopes": params.get("scope", ""), "state": params.get("state", "")}
    )
    return httpx.Response(302, headers={"Location": str(target)})


def _oauth(call: Call) -> httpx.Response:
    form = dict(httpx.QueryParams(call.request.content.decode()))
    memory = _memory(call)
    grant = form.get("grant_type")
    given = form.get("code") if grant == "authorization_code" else form.get("refresh_token")
    if grant not in ("authorization_code", "refresh_token") or not (given or "").startswith(
        "sandbox-"
    ):
        return _oauth_error(
            "Authorization code or refresh token is invalid.", error="invalid_grant"
        )
    if grant == "authorization_code":
        with call.state.lock:
            issued = memory.codes.pop(given or "", None)
        if issued is not None:
            challenge, redirect = issued
            if form.get("redirect_uri") != redirect:
                return _oauth_error("redirect_uri does not match the authorization request")
            # TikTok's desktop guide: the challenge is the hex SHA-256 of the verifier.
            verifier = form.get("code_verifier", "")
            if challenge and hashlib.sha256(verifier.encode()).hexdigest() != challenge:
                return _oauth_error("Code verifier or code challenge is invalid.")
    with call.state.lock:
        memory.refreshes += 1
        n = memory.refreshes
    # Refresh tokens rotate on every exchange, as TikTok may do.
    return httpx.Response(
        200,
        json={
            "access_token": f"sandbox-act-{n}",
            "expires_in": 86400,
            "open_id": OPEN_ID,
            "refresh_expires_in": 31536000,
            "refresh_token": f"sandbox-rft-{n}",
            "scope": "user.info.basic,user.info.stats,video.list",
            "token_type": "Bearer",
        },
    )


# ---------------------------------------------------------------- Business / Marketing API


def _envelope(data: Any, code: int = 0, message: str = "OK") -> httpx.Response:
    return httpx.Response(
        200, json={"code": code, "message": message, "request_id": "20260105SBX", "data": data}
    )


def _json_list(value: str | None, name: str) -> list[str] | httpx.Response:
    try:
        parsed = json.loads(value or "")
    except ValueError:
        return _envelope({}, 40002, f"{name}: must be a JSON array string")
    if not isinstance(parsed, list):
        return _envelope({}, 40002, f"{name}: must be a JSON array string")
    return [str(x) for x in parsed]


def _day_views(state: Any, day: date) -> int:
    start = datetime.combine(day, time(0), OSLO).astimezone(UTC)
    end = datetime.combine(day + timedelta(days=1), time(0), OSLO).astimezone(UTC)
    return sum(v.views(end) - v.views(start) for v in _videos(state) if v.created < end)


BUSINESS_DAY_FIELDS = {
    "followers_count",
    "daily_total_followers",
    "daily_new_followers",
    "daily_lost_followers",
    "video_views",
    "unique_video_views",
    "profile_views",
    "likes",
    "comments",
    "shares",
}
BUSINESS_PROFILE_FIELDS = {"display_name", "profile_image", "username", "followers_count"}
# The documented /business/video/list/ fields (bububa/tiktok-business model/business/video).
BUSINESS_VIDEO_FIELDS = {
    "item_id",
    "create_time",
    "caption",
    "share_url",
    "embed_url",
    "thumbnail_url",
    "video_duration",
    "reach",
    "video_views",
    "likes",
    "comments",
    "shares",
    "favorites",
    "new_followers",
    "profile_views",
    "website_clicks",
    "phone_number_clicks",
    "lead_submissions",
    "app_download_clicks",
    "email_clicks",
    "address_clicks",
    "total_time_watched",
    "average_time_watched",
    "full_video_watched_rate",
    "impression_sources",
    "video_view_retention",
    "engagement_likes",
    "audience_types",
    "audience_genders",
    "audience_countries",
    "audience_cities",
}
LOOKBACK_DAYS = 60
BUSINESS_TOKEN_SECONDS = 86400
MARKETING_PATHS = (
    "/report/integrated/get/",
    "/campaign/get/",
    "/adgroup/get/",
    "/ad/get/",
    "/advertiser/info/",
)


def _token_kind(token: str, state: Any) -> str | None:
    """'business', 'ads' or 'any' for a valid token; None for an invalid or expired one.

    Tokens from the sandbox's own business sign-in (`sandbox-biz-<n>-<expiry>`) live
    24 hours like TikTok's; `sandbox-ads-...` is an advertiser token; any other
    `sandbox-...` token is a test token accepted everywhere.
    """
    if not token.startswith("sandbox-"):
        return None
    if token.startswith("sandbox-biz-"):
        # The token carries its expiry, so it stays checkable across sandbox restarts.
        expires = token.rsplit("-", 1)[-1]
        return "business" if expires.isdigit() and int(expires) > _clock(state) else None
    if token.startswith("sandbox-ads-"):
        return "ads"
    return "any"


def _clock(state: Any) -> float:
    return float(getattr(state, "clock", clock.time)())


def _business_guard(call: Call) -> httpx.Response | None:
    """A valid token of the right kind: a business-account token is no advertiser token."""
    kind = _token_kind(call.request.headers.get("Access-Token", ""), call.state)
    marketing = call.route is not None and "marketing" in call.route.tags
    if kind is None or (kind == "business" and marketing) or (kind == "ads" and not marketing):
        return _envelope({}, 40105, "Access token is incorrect or has been revoked.")
    return None


def _campaign_list(call: Call) -> httpx.Response:
    today = call.state.today
    rows = [
        {
            "campaign_id": c.id,
            "campaign_name": c.name,
            "objective_type": "REACH",
            "operation_status": "ENABLE" if c.end >= today else "DISABLE",
            "budget": c.budget,
            "create_time": f"{c.start} 09:00:00",
        }
        for c in _campaigns(today)
    ]
    return _paged(rows, call.query)


def _business_not_found(call: Call) -> httpx.Response:
    return _envelope({}, 40002, f"Unknown endpoint {call.path}")


def _business_oauth(call: Call) -> httpx.Response:
    """/tt_user/oauth2/token/ and /refresh_token/: JSON bodies, the {code, data} envelope."""
    state, path = call.state, call.path
    try:
        body = json.loads(call.request.content or b"{}")
    except ValueError:
        return _envelope({}, 40002, "The request body must be JSON")
    if not body.get("client_id") or not body.get("client_secret"):
        return _envelope({}, 40001, "client_id and client_secret are required")
    memory = _memory(call)
    issued = memory.business_tokens
    if path == "/tt_user/oauth2/token/":
        if body.get("grant_type") != "authorization_code" or not str(
            body.get("auth_code", "")
        ).startswith("sandbox-"):
            return _envelope({}, 40002, "auth_code is invalid or expired")
    else:  # /tt_user/oauth2/refresh_token/
        given = str(body.get("refresh_token", ""))
        used = memory.used_refresh
        if body.get("grant_type") != "refresh_token" or not given.startswith("sandbox-"):
            return _envelope({}, 40002, "refresh_token is invalid")
        if given in used:
            return _envelope({}, 40002, "refresh_token is invalid or has been used")
        with state.lock:
            used.add(given)  # rotated: a refresh token works once
    with state.lock:
        n = len(issued) + 1
        expires = int(_clock(state)) + BUSINESS_TOKEN_SECONDS
        token = f"sandbox-biz-{n}-{expires}"
        refresh = f"sandbox-bizr-{n}-{int(_clock(state))}"
        issued[token] = expires
    return _envelope(
        {
            "access_token": token,
            "expires_in": BUSINESS_TOKEN_SECONDS,
            "refresh_token": refresh,
            "refresh_token_expires_in": 31536000,
            "open_id": BUSINESS_ID,
            "scope": "user.info.basic,user.info.stats,user.insights,video.list,video.insights",
            "token_type": "Bearer",
        }
    )


@lru_cache(maxsize=8)
def follower_days(seed: int, today: date) -> dict[date, tuple[int, int, int]]:
    """(new, lost, level at the end of the day) for every day from 2025-01-01 to today."""
    out: dict[date, tuple[int, int, int]] = {}
    level = 4200
    day = date(2025, 1, 1)
    while day <= today:
        rng = random.Random(f"{seed}:followers:{day}")
        new = rng.randint(6, 28) + (12 if _in_exam_season(day) else 0)
        lost = rng.randint(0, 7)
        level += new - lost
        out[day] = (new, lost, level)
        day += timedelta(days=1)
    return out


def _business_daily(call: Call) -> httpx.Response:
    state, params = call.state, call.query
    if params.get("business_id") != BUSINESS_ID:
        return _envelope({}, 40001, "No permission to access this business_id")
    fields = _json_list(params.get("fields") or '["display_name","profile_image"]', "fields")
    if isinstance(fields, httpx.Response):
        return fields
    unknown = [f for f in fields if f not in BUSINESS_DAY_FIELDS | BUSINESS_PROFILE_FIELDS]
    if unknown:
        return _envelope({}, 40002, f"fields: invalid field {unknown[0]}")
    yesterday = state.today - timedelta(days=1)
    try:
        start = date.fromisoformat(params.get("start_date") or str(state.today - timedelta(7)))
        end = date.fromisoformat(params.get("end_date") or str(yesterday))
    except ValueError:
        return _envelope({}, 40002, "start_date and end_date must be YYYY-MM-DD")
    if start < state.today - timedelta(days=LOOKBACK_DAYS):
        return _envelope(
            {}, 40002, f"start_date: data is available for the last {LOOKBACK_DAYS} days only"
        )
    if end < start:
        return _envelope({}, 40002, "end_date must not be before start_date")
    series = follower_days(state.seed, state.today)
    data: dict[str, Any] = {}
    profile = {
        "display_name": DISPLAY_NAME,
        "profile_image": "https://p16-sign.tiktokcdn.example/avatar.jpeg",
        "username": "stemstudentene",
        "followers_count": series[yesterday][2],
    }
    data.update({f: profile[f] for f in fields if f in profile})
    wanted = [f for f in fields if f in BUSINESS_DAY_FIELDS]
    if wanted:
        rows = []
        day = start
        while day <= min(end, yesterday):
            views = _day_views(state, day)
            new, lost, level = series[day]
            full = {
                "date": day.isoformat(),
                "followers_count": level,
                "daily_total_followers": new - lost,
                "daily_new_followers": new,
                "daily_lost_followers": lost,
                "video_views": views,
                "unique_video_views": int(views * 0.58),
                "profile_views": int(views * 0.03),
                "likes": views // 17,
                "comments": views // 300,
                "shares": views // 220,
            }
            rows.append({"date": full["date"], **{f: full[f] for f in wanted}})
            day += timedelta(days=1)
        data["metrics"] = rows
    return _envelope(data)


IMPRESSION_SOURCES = ("For You", "Follow", "Search", "Personal Profile", "Hashtag", "Sound")


def _breakdowns(video: Video, views: int, now: datetime) -> dict[str, Any]:
    """Where a video's views came from, who watched, and how long they stayed."""
    rng = random.Random(f"breakdown:{video.id}")
    exam = "#eksamen" in video.title or "#tips" in video.title
    search = (
        rng.uniform(0.25, 0.45)
        if exam and _in_exam_season(video.created.date())
        else (rng.uniform(0.05, 0.15))
    )
    weights = {
        "For You": rng.uniform(0.45, 0.7),
        "Follow": rng.uniform(0.06, 0.14),
        "Search": search,
        "Personal Profile": rng.uniform(0.02, 0.06),
        "Hashtag": rng.uniform(0.005, 0.03),
        "Sound": rng.uniform(0.002, 0.015),
    }
    total = sum(weights.values())
    sources = [
        {"impression_source": k, "percentage": round(v / total, 4)} for k, v in weights.items()
    ]
    new = rng.uniform(0.7, 0.93)
    followers = rng.uniform(0.05, 0.2)
    watched = video.duration * rng.uniform(0.3, 0.6)
    return {
        "impression_sources": sources,
        "audience_types": [
            {"type": "NEW_VIEWER", "percentage": round(new, 4)},
            {"type": "RETURN_VIEWER", "percentage": round(1 - new, 4)},
            {"type": "FOLLOWER_PERCENT", "percentage": round(followers, 4)},
            {"type": "NON_FOLLOWER_PERCENT", "percentage": round(1 - followers, 4)},
        ],
        "video_view_retention": [
            {"second": second, "percentage": round(math.exp(-second / (watched + 1)), 4)}
            for second in range(video.duration + 1)
        ],
        "average_time_watched": round(watched, 3),
        "total_time_watched": round(watched * views, 3),
        "full_video_watched_rate": round(rng.uniform(0.08, 0.3), 4),
    }


def _business_videos(call: Call) -> httpx.Response:
    state, params = call.state, call.query
    if params.get("business_id") != BUSINESS_ID:
        return _envelope({}, 40001, "No permission to access this business_id")
    fields = _json_list(params.get("fields") or '["item_id"]', "fields")
    if isinstance(fields, httpx.Response):
        return fields
    unknown = [f for f in fields if f not in BUSINESS_VIDEO_FIELDS]
    if unknown:
        return _envelope({}, 40002, f"fields: invalid field {unknown[0]}")
    if "item_id" not in fields:
        return _envelope({}, 40002, "fields: item_id must be requested with other fields")
    try:
        size = int(params.get("max_count") or 10)
        cursor = int(params["cursor"]) if params.get("cursor") else None
    except ValueError:
        return _envelope({}, 40002, "max_count and cursor must be numbers")
    if not 1 <= size <= 20:
        return _envelope({}, 40002, "max_count must be between 1 and 20")
    now = _now(state)
    # Newest first; the cursor is the create time (ms, UTC) the next page starts below.
    listed = [v for v in _videos(state) if cursor is None or v.created.timestamp() * 1000 < cursor]
    page = listed[:size]
    rows = []
    for v in page:
        views = v.views(now)
        full: dict[str, Any] = {
            "item_id": v.id,
            "create_time": int(v.created.timestamp()),
            "caption": v.title,
            "share_url": f"https://www.tiktok.com/@stemstudentene/video/{v.id}",
            "video_duration": float(v.duration),
            "reach": int(views * 0.81),
            "video_views": views,
            "likes": views // 17,
            "comments": views // 300,
            "shares": views // 220,
            "favorites": views // 90,
            "profile_views": views // 40,
            **_breakdowns(v, views, now),
        }
        if (now - v.created).days > 90:
            # TikTok may drop the source split of videos idle for long (PLATFORMS.md).
            full.pop("impression_sources")
        rows.append({f: full[f] for f in fields if f in full})
    more = len(listed) > size
    cursor_out = int(page[-1].created.timestamp() * 1000) if page else 0
    return _envelope({"videos": rows, "cursor": cursor_out, "has_more": more})


def _paged(rows: list[dict[str, Any]], params: httpx.QueryParams) -> httpx.Response:
    try:
        page = int(params.get("page") or 1)
        size = int(params.get("page_size") or 10)
    except ValueError:
        return _envelope({}, 40002, "page and page_size must be numbers")
    if not 1 <= size <= 1000:
        return _envelope({}, 40002, "page_size must be between 1 and 1000")
    return _envelope(
        {
            "list": rows[(page - 1) * size : page * size],
            "page_info": {
                "page": page,
                "page_size": size,
                "total_page": max(1, math.ceil(len(rows) / size)),
                "total_number": len(rows),
            },
        }
    )


def _listing(
    params: httpx.QueryParams, rows: list[dict[str, Any]], allowed: tuple[str, ...]
) -> httpx.Response:
    if params.get("advertiser_id") != ADVERTISER_ID:
        return _envelope({}, 40001, "No permission to access this advertiser_id")
    fields = _json_list(params.get("fields") or json.dumps(list(allowed)), "fields")
    if isinstance(fields, httpx.Response):
        return fields
    unknown = [f for f in fields if f not in allowed]
    if unknown:
        return _envelope({}, 40002, f"fields: invalid field {unknown[0]}")
    return _paged([{f: r[f] for f in fields if f in r} for r in rows], params)


def _advertiser_info(call: Call) -> httpx.Response:
    params = call.query
    ids = _json_list(params.get("advertiser_ids"), "advertiser_ids")
    if isinstance(ids, httpx.Response):
        return ids
    if ids != [ADVERTISER_ID]:
        return _envelope({}, 40001, "No permission to access this advertiser_id")
    row = {
        "advertiser_id": ADVERTISER_ID,
        "name": "STEM-studentene annonsekonto",
        "currency": "NOK",
        "timezone": "Etc/GMT-1",
        "display_timezone": "Europe/Oslo",
    }
    return _envelope({"list": [row]})


@dataclass(frozen=True)
class Campaign:
    id: str
    name: str
    start: date
    end: date
    daily_impressions: int
    audience: int
    budget: float


def _campaigns(today: date) -> list[Campaign]:
    return [
        Campaign(
            "1780000000000001",
            "Velg realfag vår 2026",
            date(2026, 2, 2),
            date(2026, 4, 26),
            5200,
            180_000,
            30000.0,
        ),
        Campaign(
            "1780000000000002",
            "Realfag høst 2026",
            today - timedelta(days=30),
            today + timedelta(days=14),
            6100,
            210_000,
            25000.0,
        ),
    ]


ADGROUP_FIELDS = (
    "adgroup_id",
    "campaign_id",
    "adgroup_name",
    "operation_status",
    "schedule_type",
    "schedule_start_time",
    "schedule_end_time",
    "budget",
)
AD_FIELDS = (
    "ad_id",
    "adgroup_id",
    "campaign_id",
    "ad_name",
    "operation_status",
    "identity_type",
    "tiktok_item_id",
    "ad_format",
)


def _utc_schedule(day: date, at: time) -> str:
    """A local (Oslo) schedule moment as TikTok returns it: 'YYYY-MM-DD HH:MM:SS', UTC+0."""
    moment = datetime.combine(day, at, OSLO).astimezone(UTC)
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def _adgroups(today: date) -> list[dict[str, Any]]:
    """Each campaign's ad groups; together their schedules span the campaign's days."""
    rows = []
    for n, c in enumerate(_campaigns(today)):
        halves = [(c.start, c.end), (c.start + timedelta(days=10), c.end)]
        for i, (first, last) in enumerate(halves):
            rows.append(
                {
                    "adgroup_id": f"18{n}000000000000{i}",
                    "campaign_id": c.id,
                    "adgroup_name": f"{c.name} – {'bred' if i == 0 else 'interesser'}",
                    "operation_status": "ENABLE" if c.end >= today else "DISABLE",
                    "schedule_type": "SCHEDULE_START_END",
                    "schedule_start_time": _utc_schedule(first, time(0, 0)),
                    "schedule_end_time": _utc_schedule(last, time(23, 59, 59)),
                    "budget": c.budget / 2,
                }
            )
    return rows


def _ads(state: Any) -> list[dict[str, Any]]:
    """Spark Ads promoting the account's own videos, and one non-Spark (dark) ad per campaign."""
    rows = []
    published = sorted(_videos(state), key=lambda v: v.created)
    for n, (c, group) in enumerate(
        zip(_campaigns(state.today), _adgroups(state.today)[::2], strict=False)
    ):
        promoted = [
            v for v in published if c.start - timedelta(days=7) <= v.created.date() <= c.end
        ]
        for i, video in enumerate(promoted[:2]):
            rows.append(
                {
                    "ad_id": f"19{n}00000000000{i}",
                    "adgroup_id": group["adgroup_id"],
                    "campaign_id": c.id,
                    "ad_name": f"Spark: {video.title[:40]}",
                    "operation_status": "ENABLE",
                    "identity_type": "TT_USER",
                    "tiktok_item_id": video.id,
                    "ad_format": "SINGLE_VIDEO",
                }
            )
        rows.append(
            {
                "ad_id": f"19{n}000000000009",
                "adgroup_id": group["adgroup_id"],
                "campaign_id": c.id,
                "ad_name": f"{c.name} – annonsevideo",
                "operation_status": "ENABLE",
                "identity_type": "CUSTOMIZED_USER",
                "tiktok_item_id": "",
                "ad_format": "SINGLE_VIDEO",
            }
        )
    return rows


def _reach(impressions: float, audience: int) -> int:
    """Unique people reached by `impressions` in a window: concave, so reach never adds up."""
    return int(audience * (1 - math.exp(-impressions / (audience * 1.4))))


def _impressions(c: Campaign, day: date) -> int:
    if not c.start <= day <= c.end:
        return 0
    return int(c.daily_impressions * random.Random(f"{c.id}{day}").uniform(0.75, 1.25))


def _metrics(c_list: list[Campaign], start: date, end: date, fields: list[str]) -> dict[str, Any]:
    impressions = sum(
        _impressions(c, start + timedelta(days=i))
        for c in c_list
        for i in range((end - start).days + 1)
    )
    reach = sum(
        _reach(
            sum(_impressions(c, start + timedelta(days=i)) for i in range((end - start).days + 1)),
            c.audience,
        )
        for c in c_list
    )
    if len(c_list) > 1:  # audiences overlap: the advertiser reaches fewer than the sum
        reach = int(reach * 0.85)
    clicks = int(impressions * 0.011)
    spend = impressions * 4.26 / 1000
    plays = int(impressions * 0.89)
    full = {
        "spend": f"{spend:.2f}",
        "impressions": str(impressions),
        "reach": str(reach),
        "frequency": f"{impressions / reach:.2f}" if reach else "0.00",
        "clicks": str(clicks),
        "ctr": f"{100 * clicks / impressions:.2f}" if impressions else "0.00",
        "cpc": f"{spend / clicks:.2f}" if clicks else "0.00",
        "cpm": f"{1000 * spend / impressions:.2f}" if impressions else "0.00",
        "video_play_actions": plays,
        "video_watched_2s": str(int(plays * 0.6)),
        "video_watched_6s": str(int(plays * 0.3)),
        "profile_visits": str(int(clicks * 0.4)),
        "likes": str(int(plays * 0.02)),
        "comments": str(int(plays * 0.001)),
        "shares": str(int(plays * 0.001)),
        "follows": str(int(clicks * 0.1)),
    }
    return {f: full[f] for f in fields}


def _dates(params: httpx.QueryParams) -> tuple[date, date] | httpx.Response:
    try:
        return date.fromisoformat(params["start_date"]), date.fromisoformat(params["end_date"])
    except (KeyError, ValueError):
        return _envelope({}, 40002, "start_date and end_date are required (YYYY-MM-DD)")


def _report(call: Call) -> httpx.Response:
    state, params = call.state, call.query
    if params.get("advertiser_id") != ADVERTISER_ID:
        return _envelope({}, 40001, "No permission to access this advertiser_id")
    if params.get("report_type") != "BASIC":
        return _envelope({}, 40002, "report_type: only BASIC is supported")
    dims = _json_list(params.get("dimensions"), "dimensions")
    fields = _json_list(params.get("metrics"), "metrics")
    if isinstance(dims, httpx.Response):
        return dims
    if isinstance(fields, httpx.Response):
        return fields
    unknown = [f for f in fields if f not in REPORT_METRICS]
    if unknown:
        return _envelope({}, 40002, f"metrics: unknown metric {unknown[0]}")
    level = params.get("data_level", "AUCTION_CAMPAIGN")
    yesterday = state.today - timedelta(days=1)
    campaigns = _campaigns(state.today)
    if params.get("query_lifetime") == "true":
        start, end = min(c.start for c in campaigns), yesterday
    else:
        window = _dates(params)
        if isinstance(window, httpx.Response):
            return window
        start, end = window[0], min(window[1], yesterday)
        if "stat_time_day" in dims and (window[1] - window[0]).days >= 30:
            return _envelope({}, 40002, "The time span with stat_time_day cannot exceed 30 days")
        if (window[1] - window[0]).days >= 365:
            return _envelope({}, 40002, "The time span cannot exceed 365 days")
    rows: list[dict[str, Any]] = []
    if level == "AUCTION_ADVERTISER":
        if start <= end and any(
            _impressions(c, start + timedelta(days=i))
            for c in campaigns
            for i in range((end - start).days + 1)
        ):
            rows.append(
                {
                    "dimensions": {"advertiser_id": ADVERTISER_ID},
                    "metrics": _metrics(campaigns, start, end, fields),
                }
            )
    else:
        for c in campaigns:
            c_start, c_end = max(start, c.start), min(end, c.end)
            if c_start > c_end:
                continue
            if "stat_time_day" in dims:
                day = c_start
                while day <= c_end:
                    rows.append(
                        {
                            "dimensions": {"campaign_id": c.id, "stat_time_day": f"{day} 00:00:00"},
                            "metrics": _metrics([c], day, day, fields),
                        }
                    )
                    day += timedelta(days=1)
            else:
                rows.append(
                    {
                        "dimensions": {"campaign_id": c.id},
                        "metrics": _metrics([c], c_start, c_end, fields),
                    }
                )
    page = int(params.get("page") or 1)
    size = min(int(params.get("page_size") or 10), 1000)
    total_page = max(1, math.ceil(len(rows) / size))
    return _envelope(
        {
            "list": rows[(page - 1) * size : page * size],
            "page_info": {
                "page": page,
                "page_size": size,
                "total_page": total_page,
                "total_number": len(rows),
            },
        }
    )


# --- faults -----------------------------------------------------------------------------


def _fault(kind: str, call: Call, *, business: bool) -> httpx.Response | None:
    """An injected fault as TikTok answers it: the Display API's or the Business API's shape."""
    if kind == "malformed":
        return httpx.Response(
            200, content=b'{"data": {"videos": [', headers={"Content-Type": "application/json"}
        )
    if kind == "500":
        return _display(500, {}, "internal_error")
    if kind in ("429", "429-retry-after"):
        response = _display(429, {}, "rate_limit_exceeded")
        if kind == "429-retry-after":
            response.headers["Retry-After"] = "1"
        return response
    if kind == "rate_limit_envelope" or (kind == "maintenance" and business):
        code = 40100 if kind == "rate_limit_envelope" else 60001
        return _envelope({}, code, "sandbox fault")
    if kind == "qps_limit":  # the shape of real-samples/api/tiktok_error_40133_airbyte.json
        return httpx.Response(
            200,
            json={
                "code": 40133,
                "message": f"Advertiser ({ADVERTISER_ID})'s QPS (21) reaches QPS limit 20 for "
                "current path, request is temporarily restricted.",
                "data": {},
            },
        )
    if kind == "query_too_large":  # real-samples/api/tiktok_error_40067_airbyte.json
        return _envelope(
            {},
            40067,
            "Your query is too large, please reduce the query size (e.g. fewer "
            "metrics or time range) and retry after a while.",
        )
    if kind == "token_invalid":
        if business:
            return _envelope({}, 40105, "Access token is incorrect or has been revoked.")
        return _display(
            401,
            {},
            "access_token_invalid",
            "The access token is invalid or not found in the request.",
        )
    return None


# --- hosts, routes and the part -------------------------------------------------------


@dataclass
class Memory:
    """What the TikTok sandbox remembers: sign-in codes, token counts, used refresh tokens."""

    codes: dict[str, tuple[str, str]] = field(default_factory=dict)  # code -> (challenge, uri)
    refreshes: int = 0
    business_tokens: dict[str, int] = field(default_factory=dict)  # token -> expiry
    used_refresh: set[str] = field(default_factory=set)


def _memory(call: Call) -> Memory:
    return call.state.store("tiktok", Memory)


OPEN = Host(
    prefix="tiktok-open",
    not_found=_open_not_found,
    fault=lambda kind, call: _fault(kind, call, business=False),
)
OPEN_ROUTES = (
    *routes(
        ("GET", "/v2/auth/authorize/", _authorize),
        ("POST", "/v2/oauth/token/", _oauth),
    ),
    *routes(
        ("GET", "/v2/user/info/", _user_info),
        ("POST", "/v2/video/list/", _video_list),
        ("POST", "/v2/video/query/", _video_query),
        guard=_bearer_guard,
    ),
)
BUSINESS = Host(
    prefix="tiktok-business",
    base_path="/open_api/v1.3",
    not_found=_business_not_found,
    fault=lambda kind, call: _fault(kind, call, business=True),
)
BUSINESS_ROUTES = (
    *routes(
        ("POST", "/tt_user/oauth2/token/", _business_oauth),
        ("POST", "/tt_user/oauth2/refresh_token/", _business_oauth),
    ),
    *routes(
        ("GET", "/business/get/", _business_daily),
        ("GET", "/business/video/list/", _business_videos),
        guard=_business_guard,
    ),
    *routes(
        ("GET", "/advertiser/info/", _advertiser_info),
        ("GET", "/campaign/get/", _campaign_list),
        (
            "GET",
            "/adgroup/get/",
            lambda call: _listing(call.query, _adgroups(call.state.today), ADGROUP_FIELDS),
        ),
        ("GET", "/ad/get/", lambda call: _listing(call.query, _ads(call.state), AD_FIELDS)),
        ("GET", "/report/integrated/get/", _report),
        guard=_business_guard,
        tags=("marketing",),
    ),
)


APP_SECRET = "sandbox-app-secret"  # the sandbox apps' client secret


def write_tokens(store: TokenStore, config: Config | None, transport: Any) -> None:
    """The tokens a TikTok workspace holds, each the kind TikTok issues.

    An advertiser token for the Marketing API, a Display API user token, the
    sandbox apps' secrets (as a user could keep them instead of
    SOCIAL_TIKTOK_BUSINESS_CLIENT_SECRET and friends) and, with a config pointing
    at a running sandbox, a 24-hour business token signed in through the sandbox,
    refreshed by later syncs like a real one.
    """
    store.save("tiktok_ads_token", TokenSet("sandbox-ads-demo-token"))
    store.save("tiktok", TokenSet(DEMO_TOKEN, "sandbox-refresh", expires_at=demo_expiry()))
    for name in ("tiktok_client_secret", "tiktok_business_client_secret"):
        store.save(name, TokenSet(APP_SECRET))
    if config is not None and store.get("tiktok_business") is None:
        from collectors.tiktok.api import business_token

        tokens = business_token(
            str(config.get("tiktok", "business_base_url")),
            {
                "client_id": str(config.get("tiktok", "business_client_id")),
                "client_secret": APP_SECRET,
                "grant_type": "authorization_code",
                "auth_code": "sandbox-demo-auth-code",
                "redirect_uri": "https://localhost/callback",
            },
            transport=transport,
        )
        store.save("tiktok_business", tokens)


PART = SandboxPart(
    platform="tiktok",
    mounts=(Mount(OPEN, OPEN_ROUTES), Mount(BUSINESS, BUSINESS_ROUTES, "business_base_url")),
    accounts={"business_id": BUSINESS_ID, "advertiser_ids": [ADVERTISER_ID]},
    settings={"client_key": "sandbox-client", "business_client_id": "sandbox-business-app"},
    tokens=write_tokens,
    demo=DemoPlan(
        ad_campaigns=("1780000000000002",),
        targets=(("reach", "paid", 140000),),
        plans_videos=True,
        brief_template="tiktok_partner_nb",
    ),
)
