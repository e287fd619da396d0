"""Simulated Instagram API with Facebook Login: one professional account on the Graph host.

The account is the one connected to the Facebook sandbox Page, so
`GET /{page-id}?fields=instagram_business_account` finds it; the routes are
mounted on the shared Graph host (`collectors.sandbox.graph`: version check,
token check, X-App-Usage, error envelope) after Facebook's.

The rules Meta documents (see `collectors.instagram.api`) are enforced:
retired metrics (`impressions`, `plays`, `video_views`, ...) and unknown ones
are refused with error 100; `views`, `profile_views`, `accounts_engaged` and
`total_interactions` need `metric_type=total_value`; a time series spans at
most 30 days; `follower_count` answers for the last 30 days only; insights
reach back two years; album children and stories have no insights here.
The wording of the 30-day and two-year refusals is simulated (no recorded
answer was found); the others follow answers seen in the wild.

The world is a function of (seed, today): a Norwegian account for teachers
posting about two posts or reels a week, daily account numbers, and media whose
lifetime counters grow after publishing. Reach is honest: a window's reach
is below the sum of its days' reach.
"""

from __future__ import annotations

import hashlib
import math
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from collectors.facebook.sandbox import PAGE_ID
from collectors.sandbox.graph import (
    GRAPH,
    GraphError,
    end_time,
    moment,
    ok,
    pacific_start,
    paged,
    params,
    token_guard,
)
from collectors.sandbox.part import Mount, SandboxPart
from collectors.sandbox.routes import Call, routes

IG_USER_ID = "17841405822304914"
USERNAME = "realfagsloftet"
OSLO = ZoneInfo("Europe/Oslo")
HISTORY_DAYS = 800
POST_WEEKS = 60
SERIES_SPAN = 30 * 86400
FOLLOWER_DAYS = 30
KEPT_DAYS = 730
TOTAL_VALUE_ONLY = ("views", "profile_views", "accounts_engaged", "total_interactions")
USER_METRICS = ("reach", "follower_count", *TOTAL_VALUE_ONLY)
# What Meta lists as allowed when a metric is unknown (its answer names them all).
ALLOWED_USER = (
    "reach, follower_count, online_followers, accounts_engaged, total_interactions, likes, "
    "comments, shares, saves, replies, engaged_audience_demographics, "
    "reached_audience_demographics, follower_demographics, follows_and_unfollows, "
    "profile_links_taps, views, profile_views"
)
RETIRED = (
    "impressions",
    "plays",
    "video_views",
    "clips_replays_count",
    "ig_reels_aggregated_all_plays_count",
    "email_contacts",
    "phone_call_clicks",
    "text_message_clicks",
    "get_directions_clicks",
    "website_clicks",
)
MEDIA_METRICS = {
    "FEED": ("views", "reach", "saved", "shares", "total_interactions", "likes", "comments"),
    "REELS": (
        "views",
        "reach",
        "saved",
        "shares",
        "total_interactions",
        "likes",
        "comments",
        "ig_reels_avg_watch_time",
    ),
}
CAPTIONS = (
    "Elektromotor på 20 minutter: slik gjorde 8B det. #fysikk #realfag",
    "Tre matteoppgaver som får hele klassen til å diskutere. #matematikk #lærerliv",
    "Bak kulissene på Realfagsdagen! #realfagsdagen #lærer",
    "Kjemi med kjøkkenutstyr – trygt og billig. #kjemi #forsøk",
    "Hvorfor ble du realfagslærer? Ingrid svarer. #rollemodell #realfag",
    "Programmering i naturfag, steg for steg. #programmering #naturfag",
)


def _rng(seed: int, *key: object) -> random.Random:
    digest = hashlib.sha256(repr(("instagram", seed, *key)).encode()).digest()
    return random.Random(int.from_bytes(digest[:8]))


@dataclass(frozen=True)
class MediaSim:
    id: str
    published: datetime  # aware UTC
    caption: str
    product: str  # FEED | REELS
    kind: str  # IMAGE | CAROUSEL_ALBUM | VIDEO
    potential: int  # views it reaches in the end

    def lifetime(self, at: datetime) -> dict[str, float]:
        hours = (at - self.published).total_seconds() / 3600
        views = self.potential * (1 - math.exp(-max(0.0, hours) / 36))
        likes, comments = views * 0.052, views * 0.0041
        saved, shares = views * 0.011, views * 0.0083
        found = {
            "views": views,
            "reach": views * 0.71,
            "likes": likes,
            "comments": comments,
            "saved": saved,
            "shares": shares,
            "total_interactions": likes + comments + saved + shares,
            "ig_reels_avg_watch_time": 6400.0,
        }
        return {k: float(int(v)) for k, v in found.items()}

    def json(self) -> dict[str, Any]:
        path = "reel" if self.product == "REELS" else "p"
        return {
            "id": self.id,
            "caption": self.caption,
            "media_type": self.kind,
            "media_product_type": self.product,
            "permalink": f"https://www.instagram.com/{path}/C{self.id[-9:]}/",
            "timestamp": self.published.strftime("%Y-%m-%dT%H:%M:%S+0000"),
            "like_count": 0,  # filled per request (depends on the moment)
        }


@dataclass(frozen=True)
class World:
    today: date
    now: datetime
    days: dict[date, dict[str, float]]
    followers: int
    media: tuple[MediaSim, ...]  # newest first


@lru_cache(maxsize=8)
def world(seed: int, today: date) -> World:
    now = datetime.combine(today, time(10), UTC)
    days: dict[date, dict[str, float]] = {}
    followers = 1_850
    for back in range(HISTORY_DAYS, 0, -1):
        day = today - timedelta(days=back)
        rng = _rng(seed, "day", day.isoformat())
        views = rng.lognormvariate(math.log(2_600), 0.45)
        gained = rng.randint(2, 19)
        followers += gained - rng.randint(0, 4)
        days[day] = {
            "views": float(int(views)),
            "reach": float(int(views * rng.uniform(0.48, 0.62))),
            "profile_views": float(int(views * 0.031)),
            "accounts_engaged": float(int(views * 0.037)),
            "total_interactions": float(int(views * 0.068)),
            "follower_count": float(gained),
        }
    return World(today, now, days, followers, _media(seed, today, now))


def _media(seed: int, today: date, now: datetime) -> tuple[MediaSim, ...]:
    """About two posts or reels a week over POST_WEEKS weeks, newest first."""
    found = []
    for back in range(7 * POST_WEEKS, -1, -1):
        day = today - timedelta(days=back)
        rng = _rng(seed, "media", day.isoformat())
        if rng.random() > 0.29:
            continue
        at = datetime.combine(day, time(rng.randint(8, 20), rng.choice((0, 30))), OSLO)
        if at.astimezone(UTC) > now:
            continue
        reel = rng.random() < 0.4
        found.append(
            MediaSim(
                id=f"1790{day.toordinal():07d}{rng.randint(1000000, 9999999)}",
                published=at.astimezone(UTC),
                caption=rng.choice(CAPTIONS),
                product="REELS" if reel else "FEED",
                kind="VIDEO" if reel else rng.choice(("IMAGE", "IMAGE", "CAROUSEL_ALBUM")),
                potential=int(rng.lognormvariate(math.log(5_000 if reel else 1_900), 0.6)),
            )
        )
    return tuple(sorted(found, key=lambda m: m.published, reverse=True))


def _world(call: Call) -> World:
    return world(call.state.seed, call.state.today)


# --- refusals ------------------------------------------------------------------------------


def _retired(metric: str) -> GraphError:
    return GraphError(
        f"(#100) Starting from version 22 and above, the {metric} metric is no longer supported "
        "for the queried user. Please refer to the documentation at https://developers.facebook"
        ".com/docs/instagram-api/reference/ig-user/insights for a list of supported metrics.",
        100,
    )


def _metrics(given: dict[str, str]) -> list[str]:
    metrics = [m for m in given.get("metric", "").split(",") if m]
    if not metrics:
        raise GraphError("(#100) The parameter metric is required", 100)
    for metric in metrics:
        if metric in RETIRED:
            raise _retired(metric)
    return metrics


# --- routes --------------------------------------------------------------------------------


def _page_link(call: Call) -> httpx.Response | None:
    """The Page's connected account (Facebook's part answers the Page's other fields)."""
    fields = params(call).get("fields", "").split(",")
    if "instagram_business_account" not in fields:
        return None
    return ok({"instagram_business_account": {"id": IG_USER_ID}, "id": PAGE_ID})


def _user(call: Call) -> httpx.Response:
    w = _world(call)
    known = {
        "id": IG_USER_ID,
        "username": USERNAME,
        "name": "Realfagsløftet",
        "followers_count": w.followers,
        "media_count": len(w.media),
        "biography": "Realfag i klasserommet – for lærere, av lærere.",
    }
    fields = params(call).get("fields", "id").split(",")
    return ok({f: known[f] for f in fields if f in known} | {"id": IG_USER_ID})


def _user_insights(call: Call) -> httpx.Response:
    w = _world(call)
    given = params(call)
    metrics = _metrics(given)
    for index, metric in enumerate(metrics):
        if metric not in USER_METRICS:
            raise GraphError(
                f"(#100) metric[{index}] must be one of the following values: {ALLOWED_USER}", 100
            )
    if given.get("period") != "day":
        raise GraphError("(#100) Param period must be one of {day, week, days_28, lifetime}", 100)
    kind = given.get("metric_type", "time_series")
    wrong = [m for m in metrics if m in TOTAL_VALUE_ONLY]
    if kind != "total_value" and wrong:
        raise GraphError(
            f"(#100) The following metrics ({', '.join(wrong)}) should be specified with "
            "parameter metric_type=total_value",
            100,
        )
    until = moment(given.get("until"), w.now)
    since = moment(given.get("since"), until - timedelta(days=2))
    if kind == "time_series" and (until - since).total_seconds() > SERIES_SPAN:
        raise GraphError(
            "(#100) There cannot be more than 30 days (2592000 s) between since and until", 100
        )
    if since < w.now - timedelta(days=KEPT_DAYS):
        raise GraphError("(#100) Insights are only available for the last 2 years", 100)
    recent = w.now - timedelta(days=FOLLOWER_DAYS + 1)
    if "follower_count" in metrics and since < recent:
        raise GraphError(
            "(#100) follower_count is only available for the last 30 days; use a later since",
            100,
        )
    days = [
        d
        for d in sorted(w.days)
        if since < pacific_start(d + timedelta(days=1)).astimezone(UTC) <= until
    ]
    data = []
    for metric in metrics:
        entry: dict[str, Any] = {
            "name": metric,
            "period": "day",
            "title": metric.replace("_", " ").capitalize(),
            "id": f"{IG_USER_ID}/insights/{metric}/day",
        }
        if kind == "total_value":
            total = sum(w.days[d][metric] for d in days)
            if metric == "reach" and len(days) > 1:
                total *= 0.83  # people come back on several days: reach is not a sum
            entry["total_value"] = {"value": int(total)}
        else:
            entry["values"] = [
                {"value": int(w.days[d][metric]), "end_time": end_time(d)} for d in days
            ]
        data.append(entry)
    return ok({"data": data})


def _media_list(call: Call) -> httpx.Response:
    w = _world(call)
    fields = params(call).get("fields", "id").split(",")
    rows = []
    for media in w.media:
        known = media.json()
        known["like_count"] = int(media.lifetime(w.now)["likes"])
        rows.append({f: known[f] for f in fields if f in known} | {"id": media.id})
    return ok(paged(call, rows, 25, 100))


def _media_insights(call: Call) -> httpx.Response | None:
    w = _world(call)
    media = next((m for m in w.media if m.id == call.args["media"]), None)
    if media is None:
        return None  # not one of ours: another part (or "unsupported get request") answers
    metrics = _metrics(params(call))
    allowed = MEDIA_METRICS[media.product]
    for metric in metrics:
        if metric not in allowed:
            raise GraphError(
                f"(#100) The Media Insights API does not support the {metric} metric for this "
                "media product type.",
                100,
            )
    if media.published < w.now - timedelta(days=KEPT_DAYS):
        return ok({"data": []})  # Meta keeps media insights for two years
    values = media.lifetime(w.now)
    return ok(
        {
            "data": [
                {
                    "name": m,
                    "period": "lifetime",
                    "values": [{"value": int(values[m])}],
                    "title": m.replace("_", " ").capitalize(),
                    "id": f"{media.id}/insights/{m}/lifetime",
                }
                for m in metrics
            ]
        }
    )


USER = f"/{{version}}/{IG_USER_ID}"
ROUTES = routes(
    ("GET", f"/{{version}}/{PAGE_ID}", _page_link),
    ("GET", USER, _user),
    ("GET", f"{USER}/insights", _user_insights),
    ("GET", f"{USER}/media", _media_list),
    ("GET", "/{version}/{media}/insights", _media_insights),
    guard=token_guard,
)

# The Page token the Facebook part writes is the one Instagram uses: no token of its own.
PART = SandboxPart(platform="instagram", mounts=(Mount(GRAPH, ROUTES),))
