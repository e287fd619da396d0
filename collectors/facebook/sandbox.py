"""Simulated Meta Graph and Marketing APIs for one Page and one ad account.

Speaks the real shapes and error envelopes (`{"error": {message, type, code,
error_subcode, fbtrace_id}}`), including the ones clients trip over: a
retired metric (`page_impressions`, `post_impressions*`, `page_fans`...) fails
the whole insights request with `(#100) The value must be a valid insights
metric`; more than 90 days between since/until is refused; a synchronous
daily query that is too large gets code 1 "reduce the amount of data"; async
report runs answer "Job Running" with a percentage on the first poll and
"Job Completed" after; every response carries X-App-Usage (ads endpoints also
X-Business-Use-Case-Usage and X-Ad-Account-Usage).

The world is a function of (seed, today): a Norwegian Page for teachers that
posts 2-4 times a week (some posts boosted), Page insights by Pacific day with
`page_media_view` split by `is_from_ads`, and an ad account with the 2025/26
teacher campaign (about 400,000 impressions, 142,000 people reached and 4,300
link clicks over its flight) plus a small recent one. Reach is honest: a
window's reach is computed for that window and is below the sum of daily reach.

`handle(request, state)` serves paths with or without the `/facebook` prefix;
`state` needs `seed` and `today` (a date) attributes; report runs and the call
counter live on the state object.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import random
import threading
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any
from urllib.parse import parse_qsl, urlencode
from zoneinfo import ZoneInfo

import httpx

PREFIX = "/facebook"
PAGE_ID = "104739281650012"
PAGE_NAME = "Realfagslærer – STEM-løftet"
AD_ACCOUNT_ID = "2389114470012"
OSLO = ZoneInfo("Europe/Oslo")
PACIFIC = ZoneInfo("America/Los_Angeles")
VERSIONS = range(22, 27)  # v22.0 .. v26.0 answer; older ones are deprecated
HISTORY_DAYS = 760
POST_WEEKS = 62
MAX_SPAN_SECONDS = 90 * 86400
FOLLOWS_ORIGIN = date(2024, 1, 1)
LONG_LIVED_SECONDS = 5_183_944  # what Meta answers for a ~60-day token
INVALID_METRIC = "(#100) The value must be a valid insights metric"
PAGE_METRICS = {
    "page_media_view": ("day", "week", "days_28"),
    "page_total_media_view_unique": ("day", "week", "days_28"),
    "page_post_engagements": ("day", "week", "days_28"),
    "page_daily_follows": ("day",),
    "page_follows": ("day",),
}
POST_METRICS = ("post_media_view", "post_total_media_view_unique", "post_clicks")
AD_FIELDS = {
    "account_id",
    "account_name",
    "campaign_id",
    "campaign_name",
    "objective",
    "reach",
    "impressions",
    "frequency",
    "clicks",
    "spend",
    "cpm",
    "ctr",
    "cpc",
    "actions",
    "date_start",
    "date_stop",
}
CAMPAIGN_FIELDS = {"id", "name", "status", "objective", "start_time", "stop_time", "account_id"}
SYNC_DAILY_LIMIT = 93  # longer time_increment=1 queries must run async, as with Meta
MESSAGES = (
    "Nytt undervisningsopplegg i fysikk: bygg en enkel elektromotor med 8. trinn. "
    "#realfag #undervisning",
    "Hvordan få elevene til å like matte? Fem tips fra lærere som har prøvd. #matematikk #lærer",
    "Påmeldingen til Realfagsdagen for lærere er åpen! #realfagsdagen #etterutdanning",
    "Programmering i naturfag: gratis ressurser til klasserommet. #programmering #naturfag",
    "Møt Ingrid, kjemilærer i Tromsø, om forsøk med enkle midler. #kjemi #lærerliv",
    "Eksamenstips til matematikk 1T – del gjerne med elevene! #eksamen #matematikk",
    "Visste du at du kan få stipend til videreutdanning i realfag? #videreutdanning",
    "Ukens oppgave: hvor mye energi bruker en mobillader i året? #fysikk #oppgave",
    "Lærere forteller: derfor valgte vi realfag. #rollemodell #lærer",
    "Webinar om vurdering i naturfag torsdag kl. 15 – velkommen! #webinar #vurdering",
)


# --- errors --------------------------------------------------------------------------------


class GraphError(Exception):
    """A request Meta would answer with an error envelope."""

    def __init__(
        self,
        message: str,
        code: int,
        *,
        status: int = 400,
        subcode: int | None = None,
        kind: str = "OAuthException",
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.status = status
        self.subcode = subcode
        self.kind = kind
        self.headers = headers or {}

    def response(self, path: str) -> httpx.Response:
        body: dict[str, Any] = {"message": self.message, "type": self.kind, "code": self.code}
        if self.subcode is not None:
            body["error_subcode"] = self.subcode
        body["fbtrace_id"] = _trace(path, self.code)
        return httpx.Response(self.status, json={"error": body}, headers=self.headers)


def _trace(*key: object) -> str:
    digest = hashlib.sha256(repr(key).encode()).digest()
    return base64.urlsafe_b64encode(digest)[:11].decode("ascii")


def _unsupported(object_id: str) -> GraphError:
    return GraphError(
        f"Unsupported get request. Object with ID '{object_id}' does not exist, cannot be loaded "
        "due to missing permissions, or does not support this operation. Please read the Graph "
        "API documentation at https://developers.facebook.com/docs/graph-api",
        100,
        subcode=33,
        kind="GraphMethodException",
    )


# --- the world -----------------------------------------------------------------------------


def _rng(seed: int, *key: object) -> random.Random:
    return random.Random(int.from_bytes(hashlib.sha256(repr((seed, *key)).encode()).digest()[:8]))


def _pt_start(day: date) -> datetime:
    return datetime.combine(day, time(), PACIFIC)


@dataclass
class PostSim:
    id: str
    published: datetime  # aware UTC
    message: str
    organic: int
    paid: int  # 0 unless boosted

    def views_at(self, moment: datetime) -> tuple[float, float]:
        """Lifetime organic and paid views at a moment."""
        hours = (moment - self.published).total_seconds() / 3600
        if hours <= 0:
            return 0.0, 0.0
        organic = self.organic * (1 - math.exp(-hours / 30))
        boost = min(1.0, max(0.0, (hours - 2) / (7 * 24)))
        return organic, self.paid * boost

    def lifetime(self, moment: datetime) -> dict[str, int]:
        organic, paid = self.views_at(moment)
        viewers = 0.78 * organic + 0.66 * paid - 0.05 * min(organic, paid)
        return {
            "organic": int(organic),
            "paid": int(paid),
            "post_media_view": int(organic) + int(paid),
            "post_total_media_view_unique": int(viewers),
            "post_clicks": int((organic + paid) * 0.021),
        }


@dataclass
class CampaignSim:
    id: str
    name: str
    objective: str
    start: date
    stop: date
    audience: float  # people who could be reached (saturation of reach)
    daily: dict[date, dict[str, float]] = field(default_factory=dict)

    def reach(self, impressions: float) -> int:
        return int(self.audience * (1 - math.exp(-impressions / (1.25 * self.audience))))


@dataclass
class World:
    seed: int
    today: date
    now: datetime
    posts: list[PostSim]
    page_daily: dict[date, dict[str, float]]
    campaigns: list[CampaignSim]


def _make_posts(seed: int, today: date, now: datetime) -> list[PostSim]:
    posts = []
    monday = today - timedelta(days=today.weekday() + 7 * POST_WEEKS)
    while monday <= today:
        rng = _rng(seed, "week", monday.isoformat())
        for slot, weekday in enumerate(sorted(rng.sample(range(7), rng.choice((2, 3, 3, 4))))):
            day = monday + timedelta(days=weekday)
            local = datetime.combine(
                day, time(rng.randint(7, 20), rng.choice((0, 15, 30, 45))), OSLO
            )
            published = local.astimezone(UTC)
            if published > now:
                continue
            prng = _rng(seed, "post", day.isoformat(), slot)
            organic = int(min(40_000, prng.lognormvariate(math.log(1_700), 0.75)))
            paid = prng.randint(6_000, 25_000) if prng.random() < 0.15 else 0
            posts.append(
                PostSim(
                    id=f"{PAGE_ID}_1220{day.toordinal():07d}{slot}",
                    published=published,
                    message=prng.choice(MESSAGES),
                    organic=organic,
                    paid=paid,
                )
            )
        monday += timedelta(days=7)
    posts.sort(key=lambda p: p.published, reverse=True)
    return posts


def _audience_for(impressions: float, reach: float) -> float:
    """The audience size at which `impressions` reach `reach` people (bisection)."""
    low, high = reach, reach * 50
    for _ in range(80):
        mid = (low + high) / 2
        if mid * (1 - math.exp(-impressions / (1.25 * mid))) < reach:
            low = mid
        else:
            high = mid
    return (low + high) / 2


def _make_campaigns(seed: int, today: date) -> list[CampaignSim]:
    """The 2025/26 teacher campaign (known totals) and a small campaign running lately."""
    specs = [
        (
            "120210000000000101",
            "Lærerløftet – realfag i klasserommet 2025/26",
            "OUTCOME_TRAFFIC",
            date(2025, 11, 3),
            date(2026, 2, 1),
            400_000,
            142_000,
            4_300,
        ),
        (
            "120210000000000202",
            "Realfagsdagen – påmelding for lærere",
            "OUTCOME_AWARENESS",
            today - timedelta(days=45),
            today + timedelta(days=14),
            95_000,
            38_000,
            900,
        ),
    ]
    campaigns = []
    for cid, name, objective, start, stop, impressions, reach, link_clicks in specs:
        rng = _rng(seed, "campaign", cid)
        days = [start + timedelta(days=i) for i in range((stop - start).days + 1)]
        weights = [(1.15 if d.weekday() < 5 else 0.75) * rng.lognormvariate(0, 0.18) for d in days]
        click_weights = [w * rng.lognormvariate(0, 0.25) for w in weights]
        total = sum(weights)
        click_total = sum(click_weights)
        campaign = CampaignSim(cid, name, objective, start, stop, _audience_for(impressions, reach))
        for day, weight, click_weight in zip(days, weights, click_weights, strict=True):
            shown = round(impressions * weight / total)
            link = round(link_clicks * click_weight / click_total)
            campaign.daily[day] = {
                "impressions": shown,
                "link_click": link,
                "clicks": link + round(shown * 0.0068 * rng.uniform(0.8, 1.2)),
                "spend": round(shown / 1000 * rng.uniform(52, 64), 2),
                "post_engagement": round(shown * 0.021),
            }
        campaigns.append(campaign)
    return campaigns


@lru_cache(maxsize=8)
def world(seed: int, today: date) -> World:
    """The deterministic Facebook world of a seed as seen on `today` (at noon in Oslo)."""
    now = datetime.combine(today, time(12), OSLO).astimezone(UTC)
    posts = _make_posts(seed, today, now)
    last = now.astimezone(PACIFIC).date() - timedelta(days=1)
    first = last - timedelta(days=HISTORY_DAYS)
    daily: dict[date, dict[str, float]] = {}
    level = 7_400.0
    day = FOLLOWS_ORIGIN
    while day <= last:
        rng = _rng(seed, "page", day.isoformat())
        follows = max(0, round(rng.gauss(6 if day.weekday() < 5 else 3, 2.2)))
        level += follows
        if day >= first:
            base = rng.uniform(150, 420)
            daily[day] = {"organic": base, "paid": 0.0, "follows": follows, "level": level}
        day += timedelta(days=1)
    for post in posts:
        day = post.published.astimezone(PACIFIC).date()
        previous = (0.0, 0.0)
        while day <= last and day <= post.published.date() + timedelta(days=45):
            current = post.views_at(_pt_start(day + timedelta(days=1)))
            row = daily.get(day)
            if row is not None:
                row["organic"] += current[0] - previous[0]
                row["paid"] += current[1] - previous[1]
            previous = current
            day += timedelta(days=1)
    for day, row in daily.items():
        rng = _rng(seed, "page-derived", day.isoformat())
        views = row["organic"] + row["paid"]
        row["organic"] = round(row["organic"])
        row["paid"] = round(row["paid"])
        row["viewers"] = round(views * rng.uniform(0.68, 0.78))
        row["engagements"] = round(views * rng.uniform(0.025, 0.045))
    return World(seed, today, now, posts, daily, _make_campaigns(seed, today))


def _page_value(w: World, metric: str, period: str, day: date) -> Any:
    """The value of a Page metric for the period ending with Pacific day `day`."""
    span = {"day": 1, "week": 7, "days_28": 28}[period]
    days = [w.page_daily.get(day - timedelta(days=i)) for i in range(span)]
    rows = [r for r in days if r is not None]
    if metric == "page_follows":
        return int(rows[0]["level"]) if rows else 0
    if metric == "page_daily_follows":
        return int(sum(r["follows"] for r in rows))
    if metric == "page_post_engagements":
        return int(sum(r["engagements"] for r in rows))
    if metric == "page_media_view":
        return int(sum(r["organic"] + r["paid"] for r in rows))
    viewers = [r["viewers"] for r in rows]
    if span == 1 or not viewers:
        return int(sum(viewers))
    audience = 60_000
    # People who viewed on several days count once: below the sum, at least the busiest day.
    return int(max(max(viewers), audience * (1 - math.exp(-sum(viewers) / audience))))


# --- mutable per-state data (report runs, call counter) -------------------------------------

_FALLBACK: dict[int, dict[str, Any]] = {}
_LOCK = threading.Lock()


def _store(state: Any) -> dict[str, Any]:
    with _LOCK:
        store = getattr(state, "_facebook_store", None)
        if store is None:
            store = {"calls": 0, "runs": {}}
            try:
                state._facebook_store = store
            except (AttributeError, TypeError):
                store = _FALLBACK.setdefault(id(state), store)
        return store


def _world(state: Any) -> World:
    seed = int(getattr(state, "seed", 0) or 0)
    today = getattr(state, "today", None) or date.today()
    if isinstance(today, datetime):
        today = today.date()
    return world(seed, today)


# --- request handling ----------------------------------------------------------------------


@dataclass
class Call:
    """One parsed request."""

    request: httpx.Request
    method: str
    parts: list[str]
    params: dict[str, str]
    path: str
    token_in_header: bool


def handle(request: httpx.Request, state: Any) -> httpx.Response:
    """Answer one request to the simulated Graph / Marketing API."""
    path = request.url.path
    if path.startswith(PREFIX + "/") or path == PREFIX:
        path = path[len(PREFIX) :]
    store = _store(state)
    with _LOCK:
        store["calls"] += 1
        calls = store["calls"]
    # Marketing API paths (ad account, campaigns, report runs) also report ads usage.
    ads = "act_" in path or "/1202" in path or "/8" in path
    headers = _usage_headers(calls, ads)
    try:
        response = _dispatch(request, path, state, store)
    except GraphError as exc:
        response = exc.response(path)
    response.headers.update(headers)
    return response


def _usage_headers(calls: int, ads: bool) -> dict[str, str]:
    percent = min(99, calls // 5)
    headers = {
        "X-App-Usage": json.dumps(
            {"call_count": percent, "total_cputime": percent // 2, "total_time": percent // 2}
        ),
        "x-fb-trace-id": _trace("call", calls),
    }
    if ads:
        headers["X-Business-Use-Case-Usage"] = json.dumps(
            {
                AD_ACCOUNT_ID: [
                    {
                        "type": "ads_insights",
                        "call_count": percent,
                        "total_cputime": percent // 3,
                        "total_time": percent // 3,
                        "estimated_time_to_regain_access": 0,
                    }
                ]
            }
        )
        headers["X-Ad-Account-Usage"] = json.dumps(
            {
                "acc_id_util_pct": round(percent * 0.8, 2),
                "reset_time_duration": 0,
                "ads_api_access_tier": "standard_access",
            }
        )
    return headers


def _params(request: httpx.Request) -> dict[str, str]:
    params = dict(request.url.params)
    if request.method == "POST" and request.content:
        params.update(dict(parse_qsl(request.content.decode("utf-8"))))
    return params


def _token(request: httpx.Request, params: dict[str, str]) -> tuple[str, bool]:
    auth = request.headers.get("Authorization", "")
    for scheme in ("Bearer ", "OAuth "):
        if auth.startswith(scheme):
            return auth[len(scheme) :].strip(), True
    return params.get("access_token", ""), False


def _check_token(token: str, in_header: bool) -> None:
    if not token:
        raise GraphError("An access token is required to request this resource.", 104)
    status = 401 if in_header else 400
    headers = {"WWW-Authenticate": 'OAuth "Facebook Platform" "invalid_token" "Invalid token"'}
    if token.startswith("sandbox-expired"):
        raise GraphError(
            "Error validating access token: Session has expired on Monday, 05-Jan-26 "
            "00:00:00 PST. The current time is Tuesday, 06-Jan-26 01:00:00 PST.",
            190,
            status=status,
            subcode=463,
            headers=headers,
        )
    if not token.startswith("sandbox-"):
        raise GraphError(
            "Invalid OAuth access token - Cannot parse access token",
            190,
            status=status,
            headers=headers,
        )


def _dispatch(
    request: httpx.Request, path: str, state: Any, store: dict[str, Any]
) -> httpx.Response:
    parts = [p for p in path.split("/") if p]
    if not parts or not parts[0].startswith("v"):
        raise GraphError("Unsupported get request. Please add an API version to the path.", 100)
    try:
        major = int(parts[0][1:].split(".")[0])
    except ValueError:
        raise GraphError(f"Unknown path components: /{parts[0]}", 2500) from None
    if major not in VERSIONS:
        raise GraphError(
            f"(#2635) You are calling a deprecated version of the Graph API. Please update to "
            f"the latest version: v{max(VERSIONS)}.0.",
            2635,
        )
    params = _params(request)
    rest = parts[1:]
    if rest == ["oauth", "access_token"]:
        return _exchange(params)
    token, in_header = _token(request, params)
    _check_token(token, in_header)
    w = _world(state)
    call = Call(request, request.method, rest, params, path, in_header)
    return _route(w, call, store)


def _ok(body: Any) -> httpx.Response:
    return httpx.Response(200, json=body)


def _route(w: World, call: Call, store: dict[str, Any]) -> httpx.Response:
    parts, params = call.parts, call.params
    head = parts[0] if parts else ""
    if call.method == "POST" and not (len(parts) == 2 and parts[1] == "insights"):
        raise GraphError("Unsupported post request.", 100)
    if parts == ["me", "accounts"]:
        return _ok(
            {
                "data": [
                    {
                        "access_token": _page_token(params),
                        "category": "Education",
                        "name": PAGE_NAME,
                        "id": PAGE_ID,
                        "tasks": ["ANALYZE", "ADVERTISE", "CREATE_CONTENT", "MODERATE"],
                    }
                ],
                "paging": {"cursors": {"before": "QVFIUk", "after": "QVFIUk"}},
            }
        )
    if parts == ["insights"]:
        return _multi_post_insights(w, params)
    if head == PAGE_ID:
        if len(parts) == 1:
            return _page_object(w, params)
        if parts[1] == "insights" and len(parts) == 2:
            return _page_insights(w, call)
        if parts[1] in ("published_posts", "posts") and len(parts) == 2:
            return _published_posts(w, call)
    if head == f"act_{AD_ACCOUNT_ID}":
        if len(parts) == 1:
            return _ok(
                {
                    "id": head,
                    "account_id": AD_ACCOUNT_ID,
                    "name": "STEM-løftet annonsekonto",
                    "currency": "NOK",
                    "timezone_name": "Europe/Oslo",
                }
            )
        if parts[1] == "campaigns":
            return _campaigns(w, call)
        if parts[1] == "adsets":
            return _ok(_paged(call, _adsets(w, call.params.get("fields", "id")), 25, 100))
        if parts[1] == "ads":
            return _ok(_paged(call, _ads(w, call.params.get("fields", "id")), 25, 100))
        if parts[1] == "insights":
            if call.method == "POST":
                return _start_run(w, call, store)
            return _insights_response(w, call, _ads_query(w, params, sync=True))
    post = next((p for p in w.posts if p.id == head), None)
    if post is not None:
        if len(parts) == 1:
            return _ok(_post_json(post, params.get("fields", "id,created_time")))
        if parts[1:] == ["insights"]:
            return _ok(_post_insights(w, post, params))
    campaign = next((c for c in w.campaigns if c.id == head), None)
    if campaign is not None:
        if len(parts) == 1:
            return _ok(_campaign_json(campaign, params.get("fields", "id,name")))
        if parts[1:] == ["insights"]:
            query = _ads_query(w, {**params, "level": "campaign"}, sync=True)
            query["campaigns"] = [campaign.id]
            return _insights_response(w, call, query)
    run = store["runs"].get(head)
    if run is not None:
        if len(parts) == 1:
            return _ok(_poll(run))
        if parts[1:] == ["insights"]:
            if run["polls"] < 2:
                raise GraphError(
                    "(#100) The report is not ready yet; poll until Job Completed", 100
                )
            return _insights_response(w, call, run["query"])
    raise _unsupported(head)


# --- auth -----------------------------------------------------------------------------------


def _exchange(params: dict[str, str]) -> httpx.Response:
    if params.get("grant_type") != "fb_exchange_token":
        raise GraphError("Unsupported grant_type; use fb_exchange_token", 100)
    if not params.get("client_id"):
        raise GraphError("Missing client_id parameter.", 101)
    if not params.get("client_secret"):
        raise GraphError("Error validating client secret.", 1)
    short = params.get("fb_exchange_token", "")
    if not short.startswith("sandbox-") or short.startswith("sandbox-expired"):
        raise GraphError(
            "Error validating access token: The session has been invalidated because the user "
            "changed their password or Facebook has changed the session for security reasons.",
            190,
            subcode=460,
        )
    token = "sandbox-long-lived-" + hashlib.sha256(short.encode()).hexdigest()[:16]
    return _ok({"access_token": token, "token_type": "bearer", "expires_in": LONG_LIVED_SECONDS})


def _page_token(params: dict[str, str]) -> str:
    return "sandbox-page-" + hashlib.sha256(PAGE_ID.encode()).hexdigest()[:16]


def _page_object(w: World, params: dict[str, str]) -> httpx.Response:
    fields = params.get("fields", "id,name").split(",")
    latest = w.page_daily[max(w.page_daily)] if w.page_daily else {"level": 0}
    known = {
        "id": PAGE_ID,
        "name": PAGE_NAME,
        "followers_count": int(latest["level"]),
        "fan_count": int(latest["level"] * 0.92),
        "category": "Education",
        "link": f"https://www.facebook.com/{PAGE_ID}",
        "access_token": _page_token(params),
    }
    return _ok({f: known[f] for f in fields if f in known} | {"id": PAGE_ID})


# --- Page insights ---------------------------------------------------------------------------


def _moment(value: str | None, default: datetime) -> datetime:
    """since/until: unix seconds or a date (midnight Pacific, Page insights' day boundary)."""
    if not value:
        return default
    if value.lstrip("-").isdigit():
        return datetime.fromtimestamp(int(value), UTC)
    try:
        return _pt_start(date.fromisoformat(value[:10])).astimezone(UTC)
    except ValueError:
        raise GraphError(f"(#100) Invalid since/until value: {value}", 100) from None


def _end_time(day: date) -> str:
    """Meta stamps a daily value with the end of its Pacific day, in UTC."""
    return _pt_start(day + timedelta(days=1)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")


def _page_insights(w: World, call: Call) -> httpx.Response:
    params = call.params
    metrics = [m for m in params.get("metric", "").split(",") if m]
    if not metrics or any(m not in PAGE_METRICS for m in metrics):
        raise GraphError(INVALID_METRIC, 100)
    period = params.get("period", "day")
    until = _moment(params.get("until"), w.now)
    since = _moment(params.get("since"), until - timedelta(days=2))
    if (until - since).total_seconds() > MAX_SPAN_SECONDS:
        raise GraphError(
            "(#100) There cannot be more than 90 days (7776000 s) between since and until", 100
        )
    breakdown = params.get("breakdown")
    if breakdown and (breakdown != "is_from_ads" or metrics != ["page_media_view"]):
        raise GraphError(
            f"(#100) The breakdown {breakdown} is not supported for these metrics", 100
        )
    days = sorted(
        d for d in w.page_daily if since < _pt_start(d + timedelta(days=1)).astimezone(UTC) <= until
    )
    data = []
    for metric in metrics:
        if period not in PAGE_METRICS[metric]:
            continue  # Meta leaves out a metric the period does not apply to
        values: list[dict[str, Any]] = []
        for day in days:
            if breakdown:
                row = w.page_daily[day]
                for flag, key in (("0", "organic"), ("1", "paid")):
                    values.append(
                        {"value": int(row[key]), "end_time": _end_time(day), "is_from_ads": flag}
                    )
            else:
                values.append(
                    {"value": _page_value(w, metric, period, day), "end_time": _end_time(day)}
                )
        data.append(
            {
                "name": metric,
                "period": period,
                "values": values,
                "title": metric.replace("_", " ").capitalize(),
                "description": f"{period.capitalize()}: {metric}",
                "id": f"{PAGE_ID}/insights/{metric}/{period}",
            }
        )
    span = until - since
    base = f"https://graph.facebook.com{call.path}"

    def link(a: datetime, b: datetime) -> str:
        query = {k: v for k, v in params.items() if k not in ("since", "until")}
        query |= {"since": str(int(a.timestamp())), "until": str(int(b.timestamp()))}
        return f"{base}?{urlencode(query)}"

    # Like Meta: previous/next always point at the neighbouring windows, even empty future ones.
    return _ok(
        {
            "data": data,
            "paging": {"previous": link(since - span, since), "next": link(until, until + span)},
        }
    )


# --- posts -----------------------------------------------------------------------------------


def _cursor(index: int) -> str:
    return base64.b64encode(f"idx:{index}".encode()).decode("ascii").rstrip("=")


def _uncursor(value: str) -> int:
    try:
        text = base64.b64decode(value + "=" * (-len(value) % 4)).decode("ascii")
        return int(text.split(":", 1)[1])
    except (ValueError, IndexError, UnicodeDecodeError):
        raise GraphError("(#100) Invalid cursor", 100) from None


def _limit(params: dict[str, str], default: int, maximum: int) -> int:
    try:
        value = int(params.get("limit", default))
    except ValueError:
        raise GraphError("(#100) Param limit must be a number", 100) from None
    return max(1, min(maximum, value))


def _paged(call: Call, items: list[Any], default: int, maximum: int) -> dict[str, Any]:
    """Graph cursor paging: data, paging.cursors.before/after, paging.next while more remain."""
    start = _uncursor(call.params["after"]) if call.params.get("after") else 0
    size = _limit(call.params, default, maximum)
    chunk = items[start : start + size]
    body: dict[str, Any] = {"data": chunk}
    if chunk:
        paging: dict[str, Any] = {
            "cursors": {"before": _cursor(start), "after": _cursor(start + len(chunk))}
        }
        if start + size < len(items):
            query = {k: v for k, v in call.params.items() if k != "after"}
            query["after"] = paging["cursors"]["after"]
            paging["next"] = f"https://graph.facebook.com{call.path}?{urlencode(query)}"
        body["paging"] = paging
    return body


def _post_json(post: PostSim, fields: str) -> dict[str, Any]:
    known = {
        "id": post.id,
        "created_time": post.published.strftime("%Y-%m-%dT%H:%M:%S+0000"),
        "permalink_url": f"https://www.facebook.com/{PAGE_ID}/posts/{post.id.split('_')[1]}",
        "message": post.message,
        "status_type": "added_photos",
    }
    return {f: known[f] for f in fields.split(",") if f in known} | {"id": post.id}


def _published_posts(w: World, call: Call) -> httpx.Response:
    since = _moment(call.params.get("since"), datetime(1970, 1, 1, tzinfo=UTC))
    until = _moment(call.params.get("until"), w.now)
    fields = call.params.get("fields", "id,created_time,message")
    posts = [_post_json(p, fields) for p in w.posts if since <= p.published <= until]
    return _ok(_paged(call, posts, 25, 100))


def _post_metrics(params: dict[str, str]) -> tuple[list[str], bool]:
    metrics = [m for m in params.get("metric", "").split(",") if m]
    if not metrics or any(m not in POST_METRICS for m in metrics):
        raise GraphError(INVALID_METRIC, 100)
    if params.get("period", "lifetime") != "lifetime":
        raise GraphError(f"(#100) Invalid period for post metrics: {params['period']}", 100)
    breakdown = params.get("breakdown")
    if breakdown and (breakdown != "is_from_ads" or metrics != ["post_media_view"]):
        raise GraphError(
            f"(#100) The breakdown {breakdown} is not supported for these metrics", 100
        )
    return metrics, bool(breakdown)


def _post_insights(w: World, post: PostSim, params: dict[str, str]) -> dict[str, Any]:
    metrics, split = _post_metrics(params)
    life = post.lifetime(w.now)
    data = []
    for metric in metrics:
        if split:
            values: list[dict[str, Any]] = [
                {"value": life["organic"], "is_from_ads": "0"},
                {"value": life["paid"], "is_from_ads": "1"},
            ]
        else:
            values = [{"value": life[metric]}]
        data.append(
            {
                "name": metric,
                "period": "lifetime",
                "values": values,
                "title": metric.replace("_", " ").capitalize(),
                "description": f"Lifetime: {metric}",
                "id": f"{post.id}/insights/{metric}/lifetime",
            }
        )
    return {"data": data}


def _multi_post_insights(w: World, params: dict[str, str]) -> httpx.Response:
    ids = [i for i in params.get("ids", "").split(",") if i]
    if not ids:
        raise GraphError("(#100) Missing ids parameter", 100)
    if len(ids) > 50:
        raise GraphError("(#100) Too many IDs. Maximum: 50.", 100)
    by_id = {p.id: p for p in w.posts}
    missing = [i for i in ids if i not in by_id]
    if missing:
        raise GraphError(
            f"(#803) Some of the aliases you requested do not exist: {','.join(missing)}",
            803,
            status=404,
        )
    return _ok({i: _post_insights(w, by_id[i], params) for i in ids})


# --- ads ---------------------------------------------------------------------------------------


def _campaign_json(campaign: CampaignSim, fields: str) -> dict[str, Any]:
    names = [f for f in fields.split(",") if f]
    unknown = [f for f in names if f not in CAMPAIGN_FIELDS]
    if unknown:
        raise GraphError(
            f"(#100) Tried accessing nonexisting field ({unknown[0]}) on node type (Campaign)", 100
        )
    known = {
        "id": campaign.id,
        "name": campaign.name,
        "status": "ACTIVE",
        "objective": campaign.objective,
        "account_id": AD_ACCOUNT_ID,
        "start_time": datetime.combine(campaign.start, time(8), OSLO).strftime(
            "%Y-%m-%dT%H:%M:%S%z"
        ),
        "stop_time": datetime.combine(campaign.stop, time(23, 59), OSLO).strftime(
            "%Y-%m-%dT%H:%M:%S%z"
        ),
    }
    return {f: known[f] for f in names} | {"id": campaign.id}


def _campaigns(w: World, call: Call) -> httpx.Response:
    fields = call.params.get("fields", "id")
    rows = [_campaign_json(c, fields) for c in w.campaigns if c.start <= w.today]
    return _ok(_paged(call, rows, 25, 100))


def _split_fields(fields: str) -> list[str]:
    """Top-level names of a Graph `fields` value ('a,b{c,d}' -> ['a', 'b{c,d}'])."""
    out, depth, current = [], 0, ""
    for char in fields:
        depth += (char == "{") - (char == "}")
        if char == "," and depth == 0:
            out.append(current)
            current = ""
        else:
            current += char
    return [f for f in [*out, current] if f]


def _pick(known: dict[str, Any], fields: str, node: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in _split_fields(fields):
        base, _, sub = name.partition("{")
        if base not in known:
            raise GraphError(
                f"(#100) Tried accessing nonexisting field ({base}) on node type ({node})", 100
            )
        value = known[base]
        if sub and isinstance(value, dict):
            value = _pick(value, sub.rstrip("}"), base.capitalize())
        out[base] = value
    return out


def dark_post_id(campaign: CampaignSim) -> str:
    """The unpublished Page post a campaign's dark ad promotes: never among the Page's posts."""
    return f"{PAGE_ID}_9{int(campaign.id) % 10**12:012d}"


def _adsets(w: World, fields: str) -> list[dict[str, Any]]:
    rows = []
    for campaign in w.campaigns:
        if campaign.start > w.today:
            continue
        known = {
            "id": f"{campaign.id}1",
            "name": f"{campaign.name} – lærere",
            "campaign_id": campaign.id,
            "status": "ACTIVE",
            "start_time": datetime.combine(campaign.start, time(8), OSLO).strftime(
                "%Y-%m-%dT%H:%M:%S%z"
            ),
            "end_time": datetime.combine(campaign.stop, time(23, 59), OSLO).strftime(
                "%Y-%m-%dT%H:%M:%S%z"
            ),
        }
        rows.append(_pick(known, fields, "AdSet") | {"id": known["id"]})
    return rows


def _ads(w: World, fields: str) -> list[dict[str, Any]]:
    """Each campaign's ads: one per boosted Page post of its flight, and one dark post."""
    rows = []
    for campaign in w.campaigns:
        if campaign.start > w.today:
            continue
        boosted = [
            p.id
            for p in sorted(w.posts, key=lambda p: p.published)
            if p.paid and campaign.start <= p.published.date() <= campaign.stop
        ][:3]
        for i, story in enumerate([*boosted, dark_post_id(campaign)]):
            known = {
                "id": f"{campaign.id}2{i}",
                "name": f"{campaign.name} – annonse {i + 1}",
                "adset_id": f"{campaign.id}1",
                "campaign_id": campaign.id,
                "status": "ACTIVE",
                "creative": {
                    "id": f"{campaign.id}3{i}",
                    "effective_object_story_id": story,
                    "object_story_id": story,
                },
            }
            rows.append(_pick(known, fields, "Ad") | {"id": known["id"]})
    return rows


def _ads_query(w: World, params: dict[str, str], *, sync: bool) -> dict[str, Any]:
    """Validate an insights query and normalise it (level, fields, window, increment)."""
    level = params.get("level", "account")
    if level not in ("account", "campaign"):
        raise GraphError(f"(#100) level {level} is not supported by the sandbox", 100)
    fields = [f for f in params.get("fields", "impressions,spend").split(",") if f]
    unknown = [f for f in fields if f not in AD_FIELDS]
    if unknown:
        raise GraphError(
            f"(#100) {unknown[0]} is not valid for fields param. please check "
            "https://developers.facebook.com/docs/marketing-api/reference/ads-insights/ for all "
            "valid values",
            100,
        )
    if "time_range" in params:
        try:
            window = json.loads(params["time_range"])
            since = date.fromisoformat(window["since"])
            until = date.fromisoformat(window["until"])
        except (ValueError, KeyError, TypeError):
            raise GraphError(
                "(#100) param time_range must be a JSON object with since and until dates "
                "(YYYY-MM-DD)",
                100,
            ) from None
    else:
        until = w.today - timedelta(days=1)
        since = until - timedelta(days=29)
    if since > until:
        raise GraphError("(#100) time_range since must not be after until", 100)
    if since < _months_before(w.today, 37):
        raise GraphError(
            "(#3018) The start date of the time range cannot be beyond 37 months from the "
            "current date",
            3018,
        )
    increment = params.get("time_increment", "all_days")
    if increment != "all_days" and not (increment.isdigit() and 1 <= int(increment) <= 90):
        raise GraphError("(#100) time_increment must be 1-90, monthly or all_days", 100)
    days = (until - since).days + 1
    if sync and increment == "1" and days > SYNC_DAILY_LIMIT:
        raise GraphError(
            "Please reduce the amount of data you're asking for, then retry your request",
            1,
            status=500,
            subcode=99,
        )
    return {
        "level": level,
        "fields": fields,
        "since": since,
        "until": until,
        "increment": increment,
        "campaigns": [c.id for c in w.campaigns],
    }


def _windows(query: dict[str, Any]) -> list[tuple[date, date]]:
    since, until, increment = query["since"], query["until"], query["increment"]
    if increment == "all_days":
        return [(since, until)]
    step = int(increment)
    out = []
    start = since
    while start <= until:
        out.append((start, min(until, start + timedelta(days=step - 1))))
        start += timedelta(days=step)
    return out


def _months_before(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    following = date(year + 1, 1, 1) if month == 11 else date(year, month + 2, 1)
    return date(year, month + 1, min(day.day, (following - timedelta(days=1)).day))


def _ratio(value: float, digits: int = 6) -> str:
    return f"{value:.{digits}f}"


def _ad_row(
    query: dict[str, Any],
    counts: dict[str, float],
    reach: int,
    start: date,
    stop: date,
    ids: dict[str, str],
) -> dict[str, Any]:
    shown = counts["impressions"]
    known: dict[str, Any] = {
        **ids,
        "impressions": str(int(shown)),
        "reach": str(reach),
        "frequency": _ratio(shown / reach if reach else 0.0),
        "clicks": str(int(counts["clicks"])),
        "spend": f"{counts['spend']:.2f}",
        "cpm": _ratio(counts["spend"] / shown * 1000 if shown else 0.0),
        "ctr": _ratio(counts["clicks"] / shown * 100 if shown else 0.0),
        "cpc": _ratio(counts["spend"] / counts["clicks"] if counts["clicks"] else 0.0),
        "actions": [
            {"action_type": "link_click", "value": str(int(counts["link_click"]))},
            {"action_type": "post_engagement", "value": str(int(counts["post_engagement"]))},
            {"action_type": "page_engagement", "value": str(int(counts["post_engagement"]))},
        ],
    }
    row = {f: known[f] for f in query["fields"] if f in known}
    row["date_start"] = start.isoformat()
    row["date_stop"] = stop.isoformat()
    return row


def _sum(campaign: CampaignSim, start: date, stop: date) -> dict[str, float]:
    totals = {
        "impressions": 0.0,
        "clicks": 0.0,
        "spend": 0.0,
        "link_click": 0.0,
        "post_engagement": 0.0,
    }
    day = start
    while day <= stop:
        for key, value in campaign.daily.get(day, {}).items():
            totals[key] += value
        day += timedelta(days=1)
    return totals


def _ads_rows(w: World, query: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    yesterday = w.today - timedelta(days=1)
    campaigns = [c for c in w.campaigns if c.id in query["campaigns"]]
    for start, stop in _windows(query):
        stop_data = min(stop, yesterday)  # no stats for today or the future
        sums = {c.id: _sum(c, start, stop_data) for c in campaigns}
        active = [c for c in campaigns if sums[c.id]["impressions"] > 0]
        if query["level"] == "campaign":
            for c in active:
                rows.append(
                    _ad_row(
                        query,
                        sums[c.id],
                        c.reach(sums[c.id]["impressions"]),
                        start,
                        stop,
                        {"campaign_id": c.id, "campaign_name": c.name, "account_id": AD_ACCOUNT_ID},
                    )
                )
        elif active:
            total = {k: sum(sums[c.id][k] for c in active) for k in sums[active[0].id]}
            # Union of the campaigns' audiences: overlapping people count once.
            unreached = 1.0
            for c in active:
                unreached *= 1 - c.reach(sums[c.id]["impressions"]) / 900_000
            rows.append(
                _ad_row(
                    query,
                    total,
                    round(900_000 * (1 - unreached)),
                    start,
                    stop,
                    {"account_id": AD_ACCOUNT_ID, "account_name": "STEM-løftet annonsekonto"},
                )
            )
    return rows


def _insights_response(w: World, call: Call, query: dict[str, Any]) -> httpx.Response:
    return _ok(_paged(call, _ads_rows(w, query), 25, 5000))


def _start_run(w: World, call: Call, store: dict[str, Any]) -> httpx.Response:
    query = _ads_query(w, call.params, sync=False)
    with _LOCK:
        number = len(store["runs"]) + 1
        digest = hashlib.sha256(repr((w.seed, number)).encode()).hexdigest()
        run_id = f"8{int(digest[:12], 16) % 10**14:014d}"
        store["runs"][run_id] = {
            "id": run_id,
            "query": query,
            "polls": 0,
            "percent": _rng(w.seed, "run", number).randint(18, 74),
        }
    return _ok({"report_run_id": run_id})


def _poll(run: dict[str, Any]) -> dict[str, Any]:
    run["polls"] += 1
    done = run["polls"] >= 2
    query = run["query"]
    return {
        "id": run["id"],
        "account_id": AD_ACCOUNT_ID,
        "time_ref": 1767600000,
        "async_status": "Job Completed" if done else "Job Running",
        "async_percent_completion": 100 if done else run["percent"],
        "date_start": query["since"].isoformat(),
        "date_stop": query["until"].isoformat(),
        "is_running": not done,
        "emails": [],
        "friendly_name": "",
        "schedule_id": "0",
    }
