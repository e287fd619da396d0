"""Simulated LinkedIn APIs (Community Management, Posts, Marketing adAnalytics, OAuth).

Speaks the real shapes and error envelopes, and is as strict as LinkedIn where
clients usually go wrong: Rest.li 2.0 query syntax (structure characters
`( ) : ,` literal, URNs percent-encoded), the `LinkedIn-Version` and
`X-Restli-Protocol-Version` headers, at most 20 adAnalytics fields, no member
reach for ranges over 92 days, and the silent 15,000-element cap.

The world is a function of (seed, today): an organisation with about 15,000
followers posting 3-5 times a week to companies, universities and the public
sector, and an ad account with two campaigns. Reach is honest: the reach of a
window is computed for that window and is below the sum of its daily reach.

The routes are declared in `ROUTES` on the LinkedIn host; `PART` is the
platform's sandbox part, and `PART.handle(request, state)` serves paths with or
without the `/linkedin` prefix.
"""

from __future__ import annotations

import hashlib
import math
import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlencode

import httpx

from collectors.auth import TokenSet, TokenStore
from collectors.sandbox.dates import months_before
from collectors.sandbox.part import Mount, SandboxPart, demo_expiry
from collectors.sandbox.routes import Call, Handler, Host, Refusal, routes
from core.config import Config

ORG_ID = "10458231"
ORG_NAME = "STEM-løftet"
AD_ACCOUNT_ID = "512340987"
CAMPAIGN_GROUP_ID = "620000011"
FOLLOWERS_TODAY = 15_000
HISTORY_DAYS = 430
ELEMENT_CAP = 15_000
MAX_FIELDS = 20
MAX_REACH_DAYS = 92
TOKEN_LIFETIME = 60 * 86400
RESTLI_PARAMS = {
    "organizationalEntity",
    "timeIntervals",
    "shares",
    "ugcPosts",
    "author",
    "dateRange",
    "accounts",
    "campaigns",
    "search",
    "ids",
}
SHARE_COUNTERS = ("impressionCount", "clickCount", "likeCount", "commentCount", "shareCount")
AD_METRICS = (
    "impressions",
    "clicks",
    "costInLocalCurrency",
    "costInUsd",
    "videoViews",
    "videoStarts",
    "videoFirstQuartileCompletions",
    "videoMidpointCompletions",
    "videoThirdQuartileCompletions",
    "videoCompletions",
    "likes",
    "comments",
    "shares",
    "follows",
    "landingPageClicks",
    "companyPageClicks",
    "totalEngagements",
    "otherEngagements",
    "oneClickLeads",
    "externalWebsiteConversions",
    "viralImpressions",
    "approximateMemberReach",
)
KNOWN_FIELDS = {"dateRange", "pivotValues", *AD_METRICS}


# --- errors -------------------------------------------------------------------------------


def error(
    status: int, message: str, service_code: int | None = None, **extra: Any
) -> httpx.Response:
    """LinkedIn's error envelope."""
    body: dict[str, Any] = {"message": message, "status": status}
    if service_code is not None:
        body["serviceErrorCode"] = service_code
    body.update(extra)
    return httpx.Response(status, json=body)


class BadRequest(Refusal):
    """A request LinkedIn would answer with an error response."""


def _bad(
    message: str, status: int = 400, service_code: int | None = 100, **extra: Any
) -> BadRequest:
    return BadRequest(error(status, message, service_code, **extra))


# --- Rest.li 2.0 parsing ----------------------------------------------------------------


def _split_top(text: str) -> list[str]:
    """Split on commas outside parentheses."""
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for char in text:
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth < 0:
                raise ValueError("unbalanced ')'")
        if char == "," and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    if depth != 0:
        raise ValueError("unbalanced '('")
    parts.append("".join(current))
    return parts


def parse_restli(raw: str) -> Any:
    """Parse a raw (still percent-encoded) Rest.li 2.0 value."""
    if raw.startswith("List(") and raw.endswith(")"):
        inner = raw[5:-1]
        return [] if inner == "" else [parse_restli(p) for p in _split_top(inner)]
    if raw.startswith("(") and raw.endswith(")"):
        record = {}
        inner = raw[1:-1]
        for part in [] if inner == "" else _split_top(inner):
            key, sep, value = part.partition(":")
            if not sep:
                raise ValueError(f"record entry '{part}' lacks ':'")
            record[unquote(key)] = parse_restli(value)
        return record
    if any(c in raw for c in "():,"):
        raise ValueError(f"'{raw}' holds unencoded Rest.li syntax characters")
    return unquote(raw)


def parse_query(raw_query: str) -> dict[str, Any]:
    """Parse a raw query string the way LinkedIn's Rest.li 2.0 servers do."""
    out: dict[str, Any] = {}
    for pair in raw_query.split("&") if raw_query else []:
        name, _, value = pair.partition("=")
        name = unquote(name)
        if name in RESTLI_PARAMS or name == "edgeType":
            if _encoded_structure(value):
                raise _bad(
                    f"Invalid query parameter '{name}': Rest.li 2.0 structure characters "
                    "( ) , : must not be percent-encoded"
                )
            try:
                out[name] = parse_restli(value)
            except ValueError as exc:
                raise _bad(f"Invalid query parameter '{name}': {exc}") from None
        else:
            out[name] = unquote(value.replace("+", " "))
    return out


def _encoded_structure(value: str) -> bool:
    """True when parentheses or commas arrive percent-encoded (LinkedIn answers 400)."""
    lowered = value.lower()
    return "%28" in lowered or "%29" in lowered or "%2c" in lowered


# --- the world ------------------------------------------------------------------------------


def _rng(seed: int, *key: object) -> random.Random:
    return random.Random(f"{seed}:" + ":".join(str(k) for k in key))


def _ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def _day_start(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


AUDIENCES = (
    ("bedrifter", "#næringsliv"),
    ("universiteter og høgskoler", "#høyereutdanning"),
    ("kommuner og fylker", "#offentligsektor"),
)
TEMPLATES = (
    "Hvordan får vi flere unge til å velge realfag? Denne uka møtte vi {audience} for å snakke om "
    "rekruttering til teknologiyrkene. {tag} #realfag #rekruttering",
    "Ny rapport: behovet for ingeniører øker de neste ti årene. Vi trenger {audience} med på laget. "
    "{tag} #ingeniør #kompetanse",
    "Takk til alle {audience} som åpnet dørene under Teknologidagen! Over 400 elever fikk se "
    "hvordan realfag brukes i praksis. {tag} #teknologidagen",
    "Rollemodeller betyr noe. Se filmen der studenter forteller hvorfor de valgte teknologi. "
    "{tag} #rollemodell #jentermedteknologi",
    "Søknadsfristen nærmer seg! Vi samarbeider med {audience} om å vise bredden i STEM-utdanningene. "
    "{tag} #søknadsfrist #utdanning",
    "Kompetansebehovet i energisektoren vokser. Hva kan {audience} gjøre for å nå ungdom tidligere? "
    "{tag} #energi #realfag",
    "Fra klasserom til laboratorium: {audience} tok imot elever fra videregående denne uka. "
    "{tag} #skole #praksis",
    "Vi søker partnere! Er dere blant {audience} som vil bidra til flere realfagsstudenter? "
    "{tag} #partnerskap",
    "Matematikk åpner dører. Tre tips til foreldre som vil støtte valget av realfag. "
    "{tag} #matematikk #foreldre",
    "Årets STEM-konferanse samlet {audience}, elever og lærere i Trondheim. Takk for engasjementet! "
    "{tag} #konferanse",
)
FORMATS = (
    ("share", "image", 0.30),
    ("share", "text", 0.10),
    ("share", "article", 0.10),
    ("ugcPost", "video", 0.30),
    ("ugcPost", "document", 0.10),
    ("ugcPost", "multiImage", 0.10),
)
GROWTH_DAYS = 1.8  # a post gets ~63 % of its lifetime impressions in its first 1.8 days


@dataclass
class PostSim:
    urn: str
    kind: str
    content: str
    published: datetime
    modified: datetime
    commentary: str
    totals: dict[str, int]

    def fraction(self, moment: datetime) -> float:
        hours = (moment - self.published).total_seconds() / 3600
        if hours <= 0:
            return 0.0
        return 1 - math.exp(-hours / (24 * GROWTH_DAYS))

    def to_date(self, moment: datetime) -> dict[str, int]:
        f = self.fraction(moment)
        return {k: int(round(v * f)) for k, v in self.totals.items()}


@dataclass
class CampaignSim:
    id: str
    name: str
    objective: str
    start: date
    end: date
    audience: int
    base_impressions: int
    cpm: float
    video: bool
    daily: dict[date, dict[str, float]] = field(default_factory=dict)


@dataclass
class World:
    seed: int
    today: date
    posts: list[PostSim]
    share_daily: dict[date, dict[str, int]]
    organic_gain: dict[date, int]
    paid_gain: dict[date, int]
    followers: int
    campaigns: list[CampaignSim]


def _post_commentary(rng: random.Random) -> str:
    audience, tag = rng.choice(AUDIENCES)
    return rng.choice(TEMPLATES).format(audience=audience, tag=tag)


def _make_posts(seed: int, today: date) -> list[PostSim]:
    posts = []
    first_monday = today - timedelta(days=HISTORY_DAYS + today.weekday())
    monday = first_monday
    serial = 0
    while monday < today:
        week_rng = _rng(seed, "week", monday.isoformat())
        count = week_rng.randint(3, 5)
        weekdays = sorted(week_rng.sample(range(5), count))
        for weekday in weekdays:
            day = monday + timedelta(days=weekday)
            if day >= today:
                continue
            rng = _rng(seed, "post", day.isoformat(), weekday)
            published = _day_start(day) + timedelta(
                hours=rng.randint(6, 13), minutes=rng.randint(0, 59)
            )
            roll, acc = rng.random(), 0.0
            kind, content = FORMATS[0][0], FORMATS[0][1]
            for k, c, share in FORMATS:
                acc += share
                if roll <= acc:
                    kind, content = k, c
                    break
            # heavy tail: most posts 800-3,000 impressions, a few 15,000+
            impressions = int(min(60_000, math.exp(rng.gauss(math.log(1400), 1.0))))
            if content == "video":
                impressions = int(impressions * 1.3)
            totals = {
                "impressionCount": impressions,
                "uniqueImpressionsCount": int(impressions * rng.uniform(0.62, 0.8)),
                "clickCount": int(impressions * rng.uniform(0.01, 0.04)),
                "likeCount": int(impressions * rng.uniform(0.008, 0.03)),
                "commentCount": int(impressions * rng.uniform(0.0005, 0.003)),
                "shareCount": int(impressions * rng.uniform(0.0004, 0.0025)),
            }
            serial += 1
            number = 7_200_000_000_000_000_000 + serial * 7_919_113 + rng.randint(0, 9999)
            posts.append(
                PostSim(
                    urn=f"urn:li:{kind}:{number}",
                    kind=kind,
                    content=content,
                    published=published,
                    modified=published + timedelta(minutes=rng.randint(0, 180)),
                    commentary=_post_commentary(rng),
                    totals=totals,
                )
            )
        monday += timedelta(days=7)
    return posts


def _make_campaigns(seed: int, today: date) -> list[CampaignSim]:
    campaigns = [
        CampaignSim(
            "361000101",
            "Velg realfag – søknadsfrist",
            "BRAND_AWARENESS",
            today - timedelta(days=55),
            today + timedelta(days=25),
            audience=85_000,
            base_impressions=2600,
            cpm=92.0,
            video=False,
        ),
        CampaignSim(
            "361000102",
            "Ingeniør for en dag – video",
            "VIDEO_VIEWS",
            today - timedelta(days=170),
            today - timedelta(days=60),
            audience=60_000,
            base_impressions=1900,
            cpm=71.0,
            video=True,
        ),
    ]
    for campaign in campaigns:
        day = campaign.start
        while day <= min(campaign.end, today - timedelta(days=1)):
            rng = _rng(seed, "ad", campaign.id, day.isoformat())
            weekday = 0.65 if day.weekday() >= 5 else 1.0
            impressions = int(campaign.base_impressions * weekday * math.exp(rng.gauss(0, 0.25)))
            clicks = int(impressions * rng.uniform(0.005, 0.012))
            likes = int(impressions * rng.uniform(0.004, 0.01))
            comments = int(impressions * rng.uniform(0.0, 0.001))
            shares = int(impressions * rng.uniform(0.0, 0.0008))
            follows = int(impressions * rng.uniform(0.0005, 0.002))
            other = int(impressions * rng.uniform(0.001, 0.004))
            starts = int(impressions * (rng.uniform(0.45, 0.6) if campaign.video else 0.0))
            cost = impressions * campaign.cpm / 1000 * rng.uniform(0.95, 1.05)
            campaign.daily[day] = {
                "impressions": impressions,
                "clicks": clicks,
                "costInLocalCurrency": round(cost, 2),
                "costInUsd": round(cost * 0.094, 2),
                "videoStarts": starts,
                "videoViews": int(starts * 0.7),
                "videoFirstQuartileCompletions": int(starts * 0.62),
                "videoMidpointCompletions": int(starts * 0.41),
                "videoThirdQuartileCompletions": int(starts * 0.3),
                "videoCompletions": int(starts * 0.22),
                "likes": likes,
                "comments": comments,
                "shares": shares,
                "follows": follows,
                "landingPageClicks": int(clicks * 0.8),
                "companyPageClicks": int(clicks * 0.1),
                "otherEngagements": other,
                "totalEngagements": clicks + likes + comments + shares + follows + other,
                "oneClickLeads": 0,
                "externalWebsiteConversions": int(clicks * rng.uniform(0.02, 0.08)),
                "viralImpressions": int(impressions * rng.uniform(0.01, 0.03)),
            }
            day += timedelta(days=1)
    return campaigns


@lru_cache(maxsize=8)
def world(seed: int, today: date) -> World:
    """The deterministic LinkedIn world of a seed as seen on `today`."""
    posts = _make_posts(seed, today)
    campaigns = _make_campaigns(seed, today)
    first = today - timedelta(days=HISTORY_DAYS)
    share_daily: dict[date, dict[str, int]] = {}
    day = first
    while day < today:
        rng = _rng(seed, "page", day.isoformat())
        base = int(rng.uniform(20, 60))  # impressions of older content and the page itself
        share_daily[day] = {
            "impressionCount": base,
            "uniqueImpressionsCount": 0,
            "clickCount": int(base * 0.02),
            "likeCount": int(base * 0.01),
            "commentCount": 0,
            "shareCount": 0,
        }
        day += timedelta(days=1)
    for post in posts:
        day = post.published.date()
        previous = {k: 0 for k in post.totals}
        while day < today and day <= post.published.date() + timedelta(days=40):
            now = post.to_date(_day_start(day + timedelta(days=1)))
            row = share_daily.get(day)
            if row is not None:
                for metric in SHARE_COUNTERS:
                    row[metric] += now[metric] - previous[metric]
            previous = now
            day += timedelta(days=1)
    for row in share_daily.values():
        # members who saw anything that day: fewer than impressions, not additive over days
        row["uniqueImpressionsCount"] = int(row["impressionCount"] * 0.78)
    organic_gain: dict[date, int] = {}
    paid_gain: dict[date, int] = {}
    for day in share_daily:
        rng = _rng(seed, "followers", day.isoformat())
        organic_gain[day] = max(0, int(rng.gauss(5.5 if day.weekday() < 5 else 2.5, 2)))
        paid_gain[day] = int(sum(c.daily.get(day, {}).get("follows", 0) for c in campaigns))
    return World(
        seed=seed,
        today=today,
        posts=posts,
        share_daily=share_daily,
        organic_gain=organic_gain,
        paid_gain=paid_gain,
        followers=FOLLOWERS_TODAY + _rng(seed, "followers-total").randint(-400, 400),
        campaigns=campaigns,
    )


def member_reach(impressions: float, audience: int) -> int:
    """Unique members reached by `impressions` in one window (saturates towards the audience)."""
    return int(audience * (1 - math.exp(-impressions / (1.6 * audience))))


# --- handlers -------------------------------------------------------------------------------


def _ok(body: dict[str, Any]) -> httpx.Response:
    return httpx.Response(200, json=body)


def _collection(elements: list[dict[str, Any]], **paging: Any) -> httpx.Response:
    page = {"start": 0, "count": 10, "links": [], **paging}
    return _ok({"paging": page, "elements": elements})


def _check_headers(request: httpx.Request, today: date) -> None:
    auth = request.headers.get("Authorization", "")
    if not auth.startswith("Bearer ") or not auth[7:].strip():
        raise _bad("Empty oauth2 access token", 401, 65604)
    if not auth[7:].strip().startswith("sandbox-"):
        raise _bad("Invalid access token", 401, 65600)
    version = request.headers.get("LinkedIn-Version")
    if not version:
        raise BadRequest(
            error(
                400,
                "A version must be present. Please specify a version by adding the "
                "LinkedIn-Version header.",
                code="VERSION_MISSING",
            )
        )
    match = re.fullmatch(r"(\d{4})(\d{2})(?:\.\d{2})?", version)
    newest = today.year * 12 + today.month - 1
    if match is None:
        raise BadRequest(error(400, f"Invalid version format {version}", code="INVALID_VERSION"))
    months = int(match.group(1)) * 12 + int(match.group(2)) - 1
    if not newest - 12 <= months <= newest:
        raise BadRequest(
            error(426, f"Requested version {version} is not active", code="NONEXISTENT_VERSION")
        )
    if request.headers.get("X-Restli-Protocol-Version") != "2.0.0":
        raise _bad(
            "Rest.li protocol 2.0.0 syntax expected: send the header "
            "X-Restli-Protocol-Version: 2.0.0"
        )


PRODUCT_NAMES = {"page": "Community Management API", "ads": "Advertising API"}
PRODUCT_SCOPES = {
    "page": {"r_organization_social", "rw_organization_admin", "w_organization_social"},
    "ads": {"r_ads", "rw_ads", "r_ads_reporting"},
}


def token_product(token: str) -> str | None:
    """The app product a sandbox token belongs to: 'page', 'ads', or None for a test token.

    LinkedIn lets the Community Management API be the only product on its app, so
    a real token is either a page-app token or an ads-app token. Tokens from the
    sandbox's sign-in carry their app (`sandbox-li-page-...`, `sandbox-li-ads-...`);
    any other `sandbox-...` token is a test token accepted everywhere.
    """
    for product in ("page", "ads"):
        if token.startswith(f"sandbox-li-{product}-"):
            return product
    return None


def app_product(client_id: str) -> str:
    """The product of a sandbox app: client ids with 'ads' in them have the Advertising API."""
    return "ads" if "ads" in client_id.lower() else "page"


def _check_product(call: Call) -> None:
    product = token_product(call.request.headers.get("Authorization", "")[7:].strip())
    parts = [p for p in call.path.split("/") if p]
    resource = parts[1] if len(parts) > 1 else ""
    needed = "ads" if call.route is not None and "ads" in call.route.tags else "page"
    if product is not None and product != needed:
        raise _bad(
            f"Not enough permissions to access: {resource} (the token's app has the "
            f"{PRODUCT_NAMES[product]}, not the {PRODUCT_NAMES[needed]})",
            403,
            100,
            code="ACCESS_DENIED",
        )


def _require_org(org_id: str) -> None:
    if org_id != ORG_ID:
        raise _bad(
            "Not enough permissions to access: organization "
            f"{org_id} (the member is not an administrator)",
            403,
            100,
            code="ACCESS_DENIED",
        )


def _org_param(params: dict[str, Any]) -> None:
    if params.get("q") != "organizationalEntity":
        raise _bad("q must be organizationalEntity")
    entity = params.get("organizationalEntity")
    if not isinstance(entity, str) or not entity.startswith("urn:li:organization:"):
        raise _bad("organizationalEntity must be an organization URN")
    _require_org(entity.rsplit(":", 1)[-1])


def _days(w: World, params: dict[str, Any]) -> list[date] | None:
    """The days a timeIntervals parameter asks for (None: no time bound)."""
    intervals = params.get("timeIntervals")
    if intervals is None:
        return None
    try:
        time_range = intervals["timeRange"]
        start = int(time_range["start"])
        end = int(time_range.get("end") or _ms(_day_start(w.today)))
        granularity = intervals.get("timeGranularityType", "DAY")
    except (KeyError, TypeError, ValueError):
        raise _bad(
            "timeIntervals must be (timeRange:(start:<ms>,end:<ms>),timeGranularityType:DAY)"
        ) from None
    if granularity != "DAY":
        raise _bad("the sandbox serves timeGranularityType DAY only")
    if end <= start:
        raise _bad("timeRange end must be after start")
    first = datetime.fromtimestamp(start / 1000, UTC).date()
    # LinkedIn: a time-bound range starts at least 2 days and at most 12 months before the
    # request's UTC date (Airbyte's source-linkedin-pages manifest); else HTTP 400.
    if first > w.today - timedelta(days=2) or first <= months_before(w.today, 12):
        raise _bad("Invalid timeIntervals parameter")
    latest = w.today - timedelta(days=2)  # LinkedIn's daily series end about two days back
    oldest = w.today - timedelta(days=366)
    out = []
    day = datetime.fromtimestamp(start / 1000, UTC).date()
    while _ms(_day_start(day + timedelta(days=1))) <= end and day <= latest:
        if day >= oldest and day in w.share_daily:
            out.append(day)
        day += timedelta(days=1)
    return out


def _engagement(stats: dict[str, int]) -> float:
    impressions = stats["impressionCount"]
    if not impressions:
        return 0.0
    acts = stats["clickCount"] + stats["likeCount"] + stats["commentCount"] + stats["shareCount"]
    return round(acts / impressions, 6)


def _with_engagement(stats: dict[str, int]) -> dict[str, Any]:
    return {**stats, "engagement": _engagement(stats)}


def _share_statistics(w: World, params: dict[str, Any]) -> httpx.Response:
    _org_param(params)
    entity = f"urn:li:organization:{ORG_ID}"
    asked = [("share", u) for u in params.get("shares") or []] + [
        ("ugcPost", u) for u in params.get("ugcPosts") or []
    ]
    if asked:
        if len(asked) > 100:
            raise _bad("at most 100 posts per request")
        moment = _day_start(w.today)
        by_urn = {p.urn: p for p in w.posts}
        elements = []
        for kind, post_urn in asked:
            post = by_urn.get(post_urn)
            if post is None or post.kind != kind:
                continue
            elements.append(
                {
                    "organizationalEntity": entity,
                    kind: post_urn,
                    "totalShareStatistics": _with_engagement(post.to_date(moment)),
                }
            )
        return _collection(elements, count=len(elements))
    days = _days(w, params)
    if days is None:
        totals = {k: 0 for k in SHARE_COUNTERS}
        for row in w.share_daily.values():
            for metric in SHARE_COUNTERS:
                totals[metric] += row[metric]
        # all-time unique members: far below the sum of daily unique impressions
        stats = {**totals, "uniqueImpressionsCount": int(totals["impressionCount"] * 0.31)}
        return _collection(
            [{"organizationalEntity": entity, "totalShareStatistics": _with_engagement(stats)}],
            count=1,
        )
    elements = [
        {
            "organizationalEntity": entity,
            "timeRange": {
                "start": _ms(_day_start(day)),
                "end": _ms(_day_start(day + timedelta(days=1))),
            },
            "totalShareStatistics": _with_engagement(w.share_daily[day]),
        }
        for day in days
    ]
    return _collection(elements, count=len(elements))


def _follower_statistics(w: World, params: dict[str, Any]) -> httpx.Response:
    _org_param(params)
    entity = f"urn:li:organization:{ORG_ID}"
    days = _days(w, params)
    if days is None:
        return _collection(
            [
                {
                    "organizationalEntity": entity,
                    "followerCountsByAssociationType": [],
                    "followerCountsBySeniority": [],
                    "followerCountsByIndustry": [],
                    "followerCountsByFunction": [],
                    "followerCountsByStaffCountRange": [],
                    "followerCountsByGeoCountry": [],
                }
            ],
            count=1,
        )
    elements = [
        {
            "organizationalEntity": entity,
            "timeRange": {
                "start": _ms(_day_start(day)),
                "end": _ms(_day_start(day + timedelta(days=1))),
            },
            "followerGains": {
                "organicFollowerGain": w.organic_gain[day],
                "paidFollowerGain": w.paid_gain[day],
            },
        }
        for day in days
    ]
    return _collection(elements, count=len(elements))


def _int_param(params: dict[str, Any], name: str, default: int) -> int:
    try:
        return int(params.get(name, default))
    except ValueError:
        raise _bad(f"{name} must be a number") from None


def _posts(w: World, params: dict[str, Any]) -> httpx.Response:
    if params.get("q") != "author":
        raise _bad("q must be author")
    author = params.get("author")
    if not isinstance(author, str) or not author.startswith("urn:li:organization:"):
        raise _bad("author must be an organization URN")
    _require_org(author.rsplit(":", 1)[-1])
    start = _int_param(params, "start", 0)
    count = _int_param(params, "count", 10)
    if not 1 <= count <= 100:
        raise _bad("count must be between 1 and 100")
    sort = params.get("sortBy", "LAST_MODIFIED")
    if sort not in ("LAST_MODIFIED", "CREATED"):
        raise _bad("sortBy must be LAST_MODIFIED or CREATED")
    if sort == "LAST_MODIFIED":
        ordered = sorted(w.posts, key=lambda p: p.modified, reverse=True)
    else:
        ordered = sorted(w.posts, key=lambda p: p.published, reverse=True)
    chunk = ordered[start : start + count]
    links = []
    if start + count < len(ordered):
        query = urlencode({"q": "author", "count": count, "start": start + count, "sortBy": sort})
        links.append(
            {
                "type": "application/json",
                "rel": "next",
                "href": f"/rest/posts?author={quote(author, safe='')}&{query}",
            }
        )
    elements = [_post_element(p, author) for p in chunk]
    return _ok(
        {
            "paging": {"start": start, "count": count, "links": links, "total": len(ordered)},
            "elements": elements,
        }
    )


def _post_element(post: PostSim, author: str) -> dict[str, Any]:
    element: dict[str, Any] = {
        "id": post.urn,
        "author": author,
        "commentary": post.commentary,
        "visibility": "PUBLIC",
        "lifecycleState": "PUBLISHED",
        "createdAt": _ms(post.published) - 60_000,
        "publishedAt": _ms(post.published),
        "lastModifiedAt": _ms(post.modified),
        "isReshareDisabledByAuthor": False,
        "distribution": {
            "feedDistribution": "MAIN_FEED",
            "targetEntities": [],
            "thirdPartyDistributionChannels": [],
        },
    }
    digest = hashlib.sha1(post.urn.encode()).hexdigest()[:12].upper()
    if post.content in ("image", "video", "document"):
        element["content"] = {"media": {"id": f"urn:li:{post.content}:D4E10AQ{digest}"}}
    elif post.content == "multiImage":
        element["content"] = {
            "multiImage": {"images": [{"id": f"urn:li:image:D4E10AQ{digest}{i}"} for i in range(3)]}
        }
    elif post.content == "article":
        element["content"] = {
            "article": {"source": "https://stem-loftet.example.no/aktuelt", "title": "Aktuelt"}
        }
    return element


def _campaigns(w: World, params: dict[str, Any]) -> httpx.Response:
    if params.get("q") != "search":
        raise _bad("q must be search")
    size = _int_param(params, "pageSize", 100)
    if not 1 <= size <= 1000:
        raise _bad("pageSize must be between 1 and 1000")
    token = params.get("pageToken") or ""
    offset = int(token[4:], 16) if token.startswith("CURS") else 0
    elements = []
    for c in w.campaigns[offset : offset + size]:
        status = "ACTIVE" if c.end >= w.today else "COMPLETED"
        elements.append(
            {
                "id": int(c.id),
                "name": c.name,
                "account": f"urn:li:sponsoredAccount:{AD_ACCOUNT_ID}",
                "campaignGroup": f"urn:li:sponsoredCampaignGroup:{CAMPAIGN_GROUP_ID}",
                "status": status,
                "type": "SPONSORED_UPDATES",
                "objectiveType": c.objective,
                "costType": "CPM",
                "locale": {"country": "NO", "language": "no"},
                "runSchedule": {
                    "start": _ms(_day_start(c.start)),
                    "end": _ms(_day_start(c.end + timedelta(days=1))) - 1,
                },
                "dailyBudget": {"amount": "400", "currencyCode": "NOK"},
            }
        )
    metadata = {}
    if offset + size < len(w.campaigns):
        metadata["nextPageToken"] = f"CURS{offset + size:x}"
    return _ok({"elements": elements, "metadata": metadata, "paging": {"start": 0, "count": size}})


def sponsored_posts(w: World, campaign: CampaignSim) -> list[PostSim]:
    """The page posts a campaign sponsors: up to two published in the week before it started."""
    before = [
        p
        for p in w.posts
        if campaign.start - timedelta(days=7) <= p.published.date() <= campaign.start
    ]
    return sorted(before, key=lambda p: p.published)[:2]


def dark_post_urn(campaign: CampaignSim) -> str:
    """The Direct Sponsored Content post of a campaign: an ad, never on the page."""
    return f"urn:li:share:{7_190_000_000_000_000_000 + int(campaign.id)}"


def _creatives(w: World, params: dict[str, Any]) -> httpx.Response:
    if params.get("q") != "criteria":
        raise _bad("q must be criteria")
    wanted = {str(c).rsplit(":", 1)[-1] for c in params.get("campaigns") or []}
    size = _int_param(params, "pageSize", 100)
    if not 1 <= size <= 100:
        raise _bad("pageSize must be between 1 and 100")
    elements = []
    for c in w.campaigns:
        if wanted and c.id not in wanted:
            continue
        references = [p.urn for p in sponsored_posts(w, c)] + [dark_post_urn(c)]
        for i, reference in enumerate(references):
            elements.append(
                {
                    "id": f"urn:li:sponsoredCreative:{int(c.id) * 10 + i}",
                    "campaign": f"urn:li:sponsoredCampaign:{c.id}",
                    "account": f"urn:li:sponsoredAccount:{AD_ACCOUNT_ID}",
                    "intendedStatus": "ACTIVE" if c.end >= w.today else "COMPLETED",
                    "isServing": c.end >= w.today,
                    "content": {"reference": reference},
                    "name": f"{c.name} – {'sponsede innlegg' if i < len(references) - 1 else 'DSC'}",
                }
            )
    token = params.get("pageToken") or ""
    offset = int(token[4:], 16) if token.startswith("CRTV") else 0
    metadata = {}
    if offset + size < len(elements):
        metadata["nextPageToken"] = f"CRTV{offset + size:x}"
    return _ok(
        {"elements": elements[offset : offset + size], "metadata": metadata, "paging": {"start": 0}}
    )


def _date(value: Any) -> date:
    return date(int(value["year"]), int(value["month"]), int(value["day"]))


def _sum(rows: list[dict[str, float]]) -> dict[str, float]:
    out: dict[str, float] = {}
    for row in rows:
        for k, v in row.items():
            out[k] = out.get(k, 0) + v
    return out


def _ad_analytics(w: World, params: dict[str, Any]) -> httpx.Response:
    if params.get("q") != "analytics":
        raise _bad("the sandbox serves q=analytics only")
    pivot = params.get("pivot")
    if pivot not in ("CAMPAIGN", "ACCOUNT"):
        raise _bad("the sandbox serves pivot CAMPAIGN or ACCOUNT")
    granularity = params.get("timeGranularity")
    if granularity not in ("DAILY", "ALL"):
        raise _bad("the sandbox serves timeGranularity DAILY or ALL")
    date_range = params.get("dateRange")
    if not isinstance(date_range, dict):
        raise _bad("dateRange is required")
    try:
        start = _date(date_range["start"])
        end = _date(date_range["end"]) if "end" in date_range else w.today
    except (KeyError, TypeError, ValueError):
        raise _bad(
            "dateRange must be (start:(year:Y,month:M,day:D),end:(year:Y,month:M,day:D))"
        ) from None
    if end < start:
        raise _bad("dateRange end is before its start")
    names = [n for n in str(params.get("fields", "impressions,clicks")).split(",") if n]
    if len(names) > MAX_FIELDS:
        raise _bad(
            f"Too many fields requested ({len(names)}); adAnalytics accepts at most {MAX_FIELDS}"
        )
    unknown = [n for n in names if n not in KNOWN_FIELDS]
    if unknown:
        raise _bad(f"Unknown field(s) for adAnalytics: {', '.join(unknown)}")
    accounts = params.get("accounts") or []
    campaign_filter = {str(c).rsplit(":", 1)[-1] for c in params.get("campaigns") or []}
    if not accounts and not campaign_filter:
        raise _bad("one of accounts or campaigns is required")
    if accounts and f"urn:li:sponsoredAccount:{AD_ACCOUNT_ID}" not in accounts:
        return _collection([], count=0)  # LinkedIn answers empty without read access
    campaigns = [c for c in w.campaigns if not campaign_filter or c.id in campaign_filter]
    elements: list[dict[str, Any]] = []

    def element(
        first: date, last: date, pivot_value: str, stats: dict[str, float], reach: int | None
    ) -> dict[str, Any]:
        row: dict[str, Any] = {}
        for name in names:
            if name == "dateRange":
                row[name] = {
                    "start": {"year": first.year, "month": first.month, "day": first.day},
                    "end": {"year": last.year, "month": last.month, "day": last.day},
                }
            elif name == "pivotValues":
                row[name] = [pivot_value]
            elif name == "approximateMemberReach":
                if reach is not None:  # LinkedIn has no member reach for ranges over 92 days
                    row[name] = reach
            elif name in ("costInLocalCurrency", "costInUsd"):
                row[name] = f"{stats.get(name, 0):.2f}"
            else:
                row[name] = int(stats.get(name, 0))
        return row

    account_urn = f"urn:li:sponsoredAccount:{AD_ACCOUNT_ID}"
    reach: int | None
    if granularity == "DAILY":
        day = start
        while day <= end:
            active = [(c, c.daily[day]) for c in campaigns if day in c.daily]
            if pivot == "CAMPAIGN":
                for c, stats in active:
                    reach = member_reach(stats["impressions"], c.audience)
                    elements.append(
                        element(day, day, f"urn:li:sponsoredCampaign:{c.id}", stats, reach)
                    )
            elif active:
                reach = _account_reach(
                    [member_reach(s["impressions"], c.audience) for c, s in active]
                )
                elements.append(element(day, day, account_urn, _sum([s for _, s in active]), reach))
            day += timedelta(days=1)
    else:
        long_range = (end - start).days + 1 > MAX_REACH_DAYS
        per_campaign: list[tuple[CampaignSim, dict[str, float], int | None]] = []
        for c in campaigns:
            rows = [s for d, s in c.daily.items() if start <= d <= end]
            if not rows:
                continue
            stats = _sum(rows)
            reach = None if long_range else member_reach(stats["impressions"], c.audience)
            per_campaign.append((c, stats, reach))
        if pivot == "CAMPAIGN":
            for c, stats, reach in per_campaign:
                elements.append(
                    element(start, end, f"urn:li:sponsoredCampaign:{c.id}", stats, reach)
                )
        elif per_campaign:
            reach = None if long_range else _account_reach([r or 0 for _, _, r in per_campaign])
            total = _sum([s for _, s, _ in per_campaign])
            elements.append(element(start, end, account_urn, total, reach))
    return _collection(elements[:ELEMENT_CAP], count=min(len(elements), ELEMENT_CAP))


def _account_reach(reaches: list[int]) -> int:
    """Members reached by several campaigns: audiences overlap, so less than the sum."""
    if not reaches:
        return 0
    top = max(reaches)
    return int(top + 0.85 * (sum(reaches) - top))


# --- OAuth ----------------------------------------------------------------------------------


def _authorize(call: Call) -> httpx.Response:
    """The sign-in page: redirects back with a code, for an app that asks its own scopes."""
    params = dict(call.query)
    redirect = params.get("redirect_uri")
    if not redirect or params.get("response_type") != "code" or not params.get("client_id"):
        return error(400, "redirect_uri, client_id and response_type=code are required")
    product = app_product(params["client_id"])
    asked = {s for s in params.get("scope", "").replace(",", " ").split() if s}
    refused = sorted(asked - PRODUCT_SCOPES[product])
    if refused:
        # An app holds one product: page scopes and ads scopes never come together.
        return error(
            400,
            f'unauthorized_scope_error: Scope "{refused[0]}" is not authorized for your '
            f"application (its product is the {PRODUCT_NAMES[product]})",
        )
    code = "sandbox-code-" + hashlib.sha1(params["client_id"].encode()).hexdigest()[:10]
    location = f"{redirect}?{urlencode({'code': code, 'state': params.get('state', '')})}"
    return httpx.Response(302, headers={"Location": location})


def _access_token(call: Call) -> httpx.Response:
    """Exchange a code or a refresh token for a token of the app's product."""
    form = {k: v[0] for k, v in parse_qs(call.request.content.decode("utf-8")).items()}
    grant = form.get("grant_type")
    if grant == "authorization_code":
        if not form.get("code", "").startswith("sandbox-") or not form.get("client_id"):
            return httpx.Response(
                400,
                json={
                    "error": "invalid_request",
                    "error_description": "Unable to retrieve access token: authorization code not found",
                },
            )
        seed = form["code"]
    elif grant == "refresh_token":
        if not form.get("refresh_token", "").startswith("sandbox-"):
            return httpx.Response(
                400,
                json={
                    "error": "invalid_request",
                    "error_description": "The provided refresh token is invalid",
                },
            )
        seed = form["refresh_token"]
    else:
        return httpx.Response(
            400, json={"error": "unsupported_grant_type", "error_description": str(grant)}
        )
    product = app_product(form.get("client_id", ""))
    token = f"sandbox-li-{product}-" + hashlib.sha256(seed.encode()).hexdigest()[:24]
    body: dict[str, Any] = {
        "access_token": token,
        "expires_in": TOKEN_LIFETIME,
        "scope": ",".join(sorted(PRODUCT_SCOPES[product])),
    }
    if grant == "refresh_token":
        body["refresh_token"] = form["refresh_token"]
        body["refresh_token_expires_in"] = 300 * 86400
    return httpx.Response(200, json=body)


# --- routes ----------------------------------------------------------------------------------


def _world(call: Call) -> World:
    return world(call.state.seed, call.state.today)


def _rest_guard(call: Call) -> httpx.Response | None:
    """The token, version and Rest.li headers, and a token of the app whose product it is."""
    _check_headers(call.request, call.state.today)
    _check_product(call)
    return None


def _query(call: Call) -> dict[str, Any]:
    return parse_query(call.request.url.query.decode("ascii"))


def _resource(handler: Callable[[World, dict[str, Any]], httpx.Response]) -> Handler:
    """A handler of (world, Rest.li query) as a route handler."""
    return lambda call: handler(_world(call), _query(call))


def _organization(call: Call) -> httpx.Response:
    _require_org(call.args["org"])
    return _ok(
        {
            "id": int(ORG_ID),
            "localizedName": ORG_NAME,
            "vanityName": "stem-loftet",
            "localizedWebsite": "https://stem-loftet.example.no",
            "primaryOrganizationType": "NONE",
        }
    )


def _network_size(call: Call) -> httpx.Response:
    _require_org(unquote(call.args["entity"]).rsplit(":", 1)[-1])
    if _query(call).get("edgeType") != "COMPANY_FOLLOWED_BY_MEMBER":
        raise _bad("edgeType must be COMPANY_FOLLOWED_BY_MEMBER for an organization")
    return _ok({"firstDegreeSize": _world(call).followers})


def _require_account(call: Call) -> None:
    if call.args["account"] != AD_ACCOUNT_ID:
        raise _bad(f"Not enough permissions to access: adAccounts {call.args['account']}", 403, 100)


def _ad_account_object(call: Call) -> httpx.Response:
    _require_account(call)
    return _ok(
        {
            "id": int(AD_ACCOUNT_ID),
            "name": f"{ORG_NAME} annonsekonto",
            "currency": "NOK",
            "status": "ACTIVE",
            "type": "BUSINESS",
            "reference": f"urn:li:organization:{ORG_ID}",
        }
    )


def _account_resource(handler: Callable[[World, dict[str, Any]], httpx.Response]) -> Handler:
    """A resource below one ad account: the account must be the member's."""

    def answer(call: Call) -> httpx.Response:
        _require_account(call)
        return handler(_world(call), _query(call))

    return answer


def _not_found(call: Call) -> httpx.Response:
    return error(404, f"Resource {call.path} does not exist", 0)


def _not_allowed(call: Call) -> httpx.Response:
    return error(405, f"{call.method} is not supported by the sandbox")


HOST = Host(prefix="linkedin", not_found=_not_found, not_allowed=_not_allowed)
ACCOUNT = "/rest/adAccounts/{account}"
ROUTES = (
    *routes(
        ("GET", "/oauth/v2/authorization", _authorize),
        ("POST", "/oauth/v2/accessToken", _access_token),
    ),
    *routes(
        ("GET", "/rest/organizations/{org}", _organization),
        ("GET", "/rest/networkSizes/{entity}", _network_size),
        ("GET", "/rest/organizationalEntityShareStatistics", _resource(_share_statistics)),
        ("GET", "/rest/organizationalEntityFollowerStatistics", _resource(_follower_statistics)),
        ("GET", "/rest/posts", _resource(_posts)),
        guard=_rest_guard,
    ),
    *routes(
        ("GET", ACCOUNT, _ad_account_object),
        ("GET", f"{ACCOUNT}/adCampaigns", _account_resource(_campaigns)),
        ("GET", f"{ACCOUNT}/creatives", _account_resource(_creatives)),
        ("GET", "/rest/adAnalytics", _resource(_ad_analytics)),
        guard=_rest_guard,
        tags=("ads",),
    ),
)


# --- the part -----------------------------------------------------------------------------


def write_tokens(store: TokenStore, config: Config | None, transport: Any) -> None:
    """A token for each of the two apps, as LinkedIn issues them: the page app and the ads app."""
    expires = demo_expiry()
    store.save("linkedin", TokenSet("sandbox-li-page-demo-token", None, expires_at=expires))
    store.save("linkedin_ads", TokenSet("sandbox-li-ads-demo-token", None, expires_at=expires))


PART = SandboxPart(
    platform="linkedin",
    mounts=(Mount(HOST, ROUTES),),
    accounts={"organization_id": ORG_ID, "ad_account_ids": [AD_ACCOUNT_ID]},
    settings={"client_id": "sandbox-page-app", "ads_client_id": "sandbox-ads-app"},
    tokens=write_tokens,
)
