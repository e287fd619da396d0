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

The routes are declared in `ROUTES` and mounted on the shared Graph host
(`collectors.sandbox.graph`, which checks the version and the token and adds
the usage headers); `PART` is the platform's sandbox part. `PART.handle(request,
state)` serves paths with or without the `/facebook` prefix; report runs live
in the state's "facebook" store.
"""

from __future__ import annotations

import hashlib
import json
import math
import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import httpx

from collectors.auth import TokenSet, TokenStore
from collectors.sandbox.dates import months_before
from collectors.sandbox.graph import (
    GRAPH,
    INVALID_METRIC,
    PACIFIC,
    GraphError,
    end_time,
    marketing,
    moment,
    ok,
    pacific_start,
    paged,
    token_guard,
)
from collectors.sandbox.graph import params as graph_params
from collectors.sandbox.part import DEMO_TOKEN, DemoPlan, Mount, SandboxPart
from collectors.sandbox.routes import Call, routes
from core.config import Config

PAGE_ID = "104739281650012"
PAGE_NAME = "Realfagslærer – STEM-løftet"
AD_ACCOUNT_ID = "2389114470012"
OSLO = ZoneInfo("Europe/Oslo")
HISTORY_DAYS = 760
POST_WEEKS = 62
MAX_SPAN_SECONDS = 90 * 86400
FOLLOWS_ORIGIN = date(2024, 1, 1)
LONG_LIVED_SECONDS = 5_183_944  # what Meta answers for a ~60-day token
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


# --- the world -----------------------------------------------------------------------------


def _rng(seed: int, *key: object) -> random.Random:
    return random.Random(int.from_bytes(hashlib.sha256(repr((seed, *key)).encode()).digest()[:8]))


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
            current = post.views_at(pacific_start(day + timedelta(days=1)))
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


# --- routes ----------------------------------------------------------------------------------


def _world(call: Call) -> World:
    return world(call.state.seed, call.state.today)


def _runs(call: Call) -> dict[str, dict[str, Any]]:
    """The async report runs started on this sandbox, by report_run_id."""
    runs: dict[str, dict[str, Any]] = call.state.store("facebook", dict)
    return runs


def _me_accounts(call: Call) -> httpx.Response:
    return ok(
        {
            "data": [
                {
                    "access_token": _page_token(),
                    "category": "Education",
                    "name": PAGE_NAME,
                    "id": PAGE_ID,
                    "tasks": ["ANALYZE", "ADVERTISE", "CREATE_CONTENT", "MODERATE"],
                }
            ],
            "paging": {"cursors": {"before": "QVFIUk", "after": "QVFIUk"}},
        }
    )


def _ad_account(call: Call) -> httpx.Response:
    return ok(
        {
            "id": f"act_{AD_ACCOUNT_ID}",
            "account_id": AD_ACCOUNT_ID,
            "name": "STEM-løftet annonsekonto",
            "currency": "NOK",
            "timezone_name": "Europe/Oslo",
        }
    )


def _adsets_route(call: Call) -> httpx.Response:
    fields = graph_params(call).get("fields", "id")
    return ok(paged(call, _adsets(_world(call), fields), 25, 100))


def _ads_route(call: Call) -> httpx.Response:
    fields = graph_params(call).get("fields", "id")
    return ok(paged(call, _ads(_world(call), fields), 25, 100))


def _sync_insights(call: Call) -> httpx.Response:
    w = _world(call)
    return _insights_response(w, call, _ads_query(w, graph_params(call), sync=True))


def _post(call: Call) -> PostSim | None:
    return next((p for p in _world(call).posts if p.id == call.args["object"]), None)


def _post_object(call: Call) -> httpx.Response | None:
    post = _post(call)
    if post is None:
        return None
    return ok(_post_json(post, graph_params(call).get("fields", "id,created_time")))


def _post_insights_route(call: Call) -> httpx.Response | None:
    post = _post(call)
    return None if post is None else ok(_post_insights(_world(call), post, graph_params(call)))


def _campaign(call: Call) -> CampaignSim | None:
    return next((c for c in _world(call).campaigns if c.id == call.args["object"]), None)


def _campaign_object(call: Call) -> httpx.Response | None:
    campaign = _campaign(call)
    if campaign is None:
        return None
    return ok(_campaign_json(campaign, graph_params(call).get("fields", "id,name")))


def _campaign_insights(call: Call) -> httpx.Response | None:
    campaign = _campaign(call)
    if campaign is None:
        return None
    w = _world(call)
    query = _ads_query(w, {**graph_params(call), "level": "campaign"}, sync=True)
    query["campaigns"] = [campaign.id]
    return _insights_response(w, call, query)


def _run_status(call: Call) -> httpx.Response | None:
    run = _runs(call).get(call.args["object"])
    return None if run is None else ok(_poll(run))


def _run_insights(call: Call) -> httpx.Response | None:
    run = _runs(call).get(call.args["object"])
    if run is None:
        return None
    if run["polls"] < 2:
        raise GraphError("(#100) The report is not ready yet; poll until Job Completed", 100)
    return _insights_response(_world(call), call, run["query"])


def _exchange_route(call: Call) -> httpx.Response:
    return _exchange(graph_params(call))


def _page_route(call: Call) -> httpx.Response | None:
    return _page_object(_world(call), graph_params(call))


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
    return ok({"access_token": token, "token_type": "bearer", "expires_in": LONG_LIVED_SECONDS})


def _page_token() -> str:
    return "sandbox-page-" + hashlib.sha256(PAGE_ID.encode()).hexdigest()[:16]


def _page_object(w: World, params: dict[str, str]) -> httpx.Response | None:
    fields = params.get("fields", "id,name").split(",")
    latest = w.page_daily[max(w.page_daily)] if w.page_daily else {"level": 0}
    known = {
        "id": PAGE_ID,
        "name": PAGE_NAME,
        "followers_count": int(latest["level"]),
        "fan_count": int(latest["level"] * 0.92),
        "category": "Education",
        "link": f"https://www.facebook.com/{PAGE_ID}",
        "access_token": _page_token(),
    }
    if not any(f in known for f in fields if f != "id"):
        return None  # fields of another part on the Graph host (Instagram's linked account)
    return ok({f: known[f] for f in fields if f in known} | {"id": PAGE_ID})


# --- Page insights ---------------------------------------------------------------------------


def _page_insights(call: Call) -> httpx.Response:
    w = _world(call)
    params = graph_params(call)
    metrics = [m for m in params.get("metric", "").split(",") if m]
    if not metrics or any(m not in PAGE_METRICS for m in metrics):
        raise GraphError(INVALID_METRIC, 100)
    period = params.get("period", "day")
    until = moment(params.get("until"), w.now)
    since = moment(params.get("since"), until - timedelta(days=2))
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
        d
        for d in w.page_daily
        if since < pacific_start(d + timedelta(days=1)).astimezone(UTC) <= until
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
                        {"value": int(row[key]), "end_time": end_time(day), "is_from_ads": flag}
                    )
            else:
                values.append(
                    {"value": _page_value(w, metric, period, day), "end_time": end_time(day)}
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
    return ok(
        {
            "data": data,
            "paging": {"previous": link(since - span, since), "next": link(until, until + span)},
        }
    )


# --- posts -----------------------------------------------------------------------------------


def _post_json(post: PostSim, fields: str) -> dict[str, Any]:
    known = {
        "id": post.id,
        "created_time": post.published.strftime("%Y-%m-%dT%H:%M:%S+0000"),
        "permalink_url": f"https://www.facebook.com/{PAGE_ID}/posts/{post.id.split('_')[1]}",
        "message": post.message,
        "status_type": "added_photos",
    }
    return {f: known[f] for f in fields.split(",") if f in known} | {"id": post.id}


def _published_posts(call: Call) -> httpx.Response:
    w, params = _world(call), graph_params(call)
    since = moment(params.get("since"), datetime(1970, 1, 1, tzinfo=UTC))
    until = moment(params.get("until"), w.now)
    fields = params.get("fields", "id,created_time,message")
    posts = [_post_json(p, fields) for p in w.posts if since <= p.published <= until]
    return ok(paged(call, posts, 25, 100))


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


def _multi_post_insights(call: Call) -> httpx.Response:
    w, params = _world(call), graph_params(call)
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
    return ok({i: _post_insights(w, by_id[i], params) for i in ids})


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


def _campaigns(call: Call) -> httpx.Response:
    w = _world(call)
    fields = graph_params(call).get("fields", "id")
    rows = [_campaign_json(c, fields) for c in w.campaigns if c.start <= w.today]
    return ok(paged(call, rows, 25, 100))


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
    if since < months_before(w.today, 37):
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
    return ok(paged(call, _ads_rows(w, query), 25, 5000))


def _start_run(call: Call) -> httpx.Response:
    w = _world(call)
    query = _ads_query(w, graph_params(call), sync=False)
    runs = _runs(call)
    with call.state.lock:
        number = len(runs) + 1
        digest = hashlib.sha256(repr((w.seed, number)).encode()).hexdigest()
        run_id = f"8{int(digest[:12], 16) % 10**14:014d}"
        runs[run_id] = {
            "id": run_id,
            "query": query,
            "polls": 0,
            "percent": _rng(w.seed, "run", number).randint(18, 74),
        }
    return ok({"report_run_id": run_id})


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


marketing_api = marketing(
    AD_ACCOUNT_ID
)  # Marketing API answers carry the ad account's usage headers
PAGE = f"/{{version}}/{PAGE_ID}"
ACT = f"/{{version}}/act_{AD_ACCOUNT_ID}"
OBJECT = "/{version}/{object}"  # a post, a campaign or a report run, by id
ROUTES = (
    *routes(
        ("GET", "/{version}/oauth/access_token", _exchange_route),
        ("POST", "/{version}/oauth/access_token", _exchange_route),
    ),
    *routes(
        ("GET", "/{version}/me/accounts", _me_accounts),
        ("GET", "/{version}/insights", _multi_post_insights),
        ("GET", PAGE, _page_route),
        ("GET", f"{PAGE}/insights", _page_insights),
        ("GET", f"{PAGE}/published_posts", _published_posts),
        ("GET", f"{PAGE}/posts", _published_posts),
        ("GET", ACT, marketing_api(_ad_account)),
        ("GET", f"{ACT}/campaigns", marketing_api(_campaigns)),
        ("GET", f"{ACT}/adsets", marketing_api(_adsets_route)),
        ("GET", f"{ACT}/ads", marketing_api(_ads_route)),
        ("GET", f"{ACT}/insights", marketing_api(_sync_insights)),
        ("POST", f"{ACT}/insights", marketing_api(_start_run)),
        ("GET", OBJECT, _post_object),
        ("GET", f"{OBJECT}/insights", _post_insights_route),
        ("GET", OBJECT, marketing_api(_campaign_object)),
        ("GET", f"{OBJECT}/insights", marketing_api(_campaign_insights)),
        ("GET", OBJECT, marketing_api(_run_status)),
        ("GET", f"{OBJECT}/insights", marketing_api(_run_insights)),
        guard=token_guard,
    ),
)


# --- the part -----------------------------------------------------------------------------


def write_tokens(store: TokenStore, config: Config | None, transport: Any) -> None:
    """The demo's Page and ads tokens (any "sandbox-" token is valid on the Graph host)."""
    for name in ("facebook", "facebook_ads"):
        store.save(name, TokenSet(DEMO_TOKEN))


PART = SandboxPart(
    platform="facebook",
    mounts=(Mount(GRAPH, ROUTES),),
    accounts={"page_id": PAGE_ID, "ad_account_ids": [AD_ACCOUNT_ID]},
    tokens=write_tokens,
    demo=DemoPlan(ad_campaigns=("120210000000000202",)),
)
