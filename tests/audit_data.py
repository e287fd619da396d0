"""A generated database for the figures audit: every rule the reports follow has data here.

Collection data goes through db.writes (tests.reports_support.Builder); the m006 storage
contract (ad-to-post links, flights) and planning rows are written as their tables define
them. Random but reproducible from a seed.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from sqlite_utils import Database

from tests.reports_support import Builder

WEEK_MONDAY = date(2026, 3, 9)  # 2026-W11
NOW = "2026-03-16T07:00:00Z"  # Monday morning after it
FIRST_DAY = date(2026, 1, 1)
DAYS = 74  # to Sunday 15 March
CAMPAIGN = "Realfag vår 2026"
PARTNER = "Equinor"
THEMES = [
    "Eksamenstips i matte #eksamen #tips #realfag",
    "En dag på lab #studieliv",
    "T-matte eller R-matte? #tmatte",
    "Ærlig talt #ærlig #studieliv",
    "Møt en ingeniør #rollemodell #realfag",
]


def _day(offset: int) -> date:
    return FIRST_DAY + timedelta(days=offset)


def _at(day: date, hour: int, minute: int = 0) -> str:
    return f"{day.isoformat()} {hour:02d}:{minute:02d}"


def generate(db: Database, seed: int) -> None:
    rng = random.Random(seed)
    b = Builder(db)
    posts: dict[str, list[str]] = {"tiktok": [], "linkedin": [], "facebook": []}
    # --- posts and their counters ------------------------------------------------------------
    for platform, count, metric, origin in (
        ("tiktok", 45, "view_count", "total"),
        ("linkedin", 25, "impressionCount", "organic"),
        ("facebook", 20, "post_media_view", "organic"),
    ):
        for n in range(count):
            day = _day(rng.randrange(DAYS))
            ext = f"{platform}-{n}"
            b.post(
                platform, ext, _at(day, rng.randint(8, 22), rng.randint(0, 59)), rng.choice(THEMES)
            )
            posts[platform].append(ext)
            final = 2000 * rng.lognormvariate(0, 0.6)
            late = rng.random() < 0.3  # first measured well after publication
            first = rng.randint(8, 20) if late else rng.randint(1, 2)
            value = 0.0
            for k, offset in enumerate(
                sorted({first, first + rng.randint(1, 3), first + 9, first + 20})
            ):
                moment = day + timedelta(days=offset)
                if moment > _day(DAYS + 1):
                    break
                value = final * (1 - 0.5 ** (offset / 2))
                extra = {}
                if platform == "tiktok":
                    extra = {"like_count": round(value * 0.05), "comment_count": round(value * 0.01),
                             "share_count": round(value * 0.004)}  # fmt: skip
                elif platform == "linkedin":
                    extra = {"likeCount": round(value * 0.02), "clickCount": round(value * 0.01)}
                b.snapshot(
                    platform, ext, _at(moment, 5, k), origin, **{metric: round(value)}, **extra
                )
                if platform == "facebook":
                    b.snapshot(
                        platform, ext, _at(moment, 5, k), "paid", post_media_view=round(value * 0.3)
                    )
            if platform == "tiktok" and rng.random() < 0.4:
                b.window_value("tiktok", "reach", day.isoformat(), _day(DAYS).isoformat(), "lifetime",
                               round(value * 0.8), "total", kind="business", subject_type="post",
                               subject=ext)  # fmt: skip
                db.execute(
                    "INSERT INTO post_breakdowns VALUES ((SELECT id FROM posts WHERE external_id = ?),"
                    " 'impression_source', 'Search', ?, '2026-03-16T05:00:00Z', 'api')",
                    [ext, round(rng.random(), 2)],
                )
    # Posts known only through the business account's lifetime totals (no snapshots).
    for n in range(4):
        day = _day(rng.randrange(DAYS - 10))
        ext = f"tiktok-biz-{n}"
        b.post("tiktok", ext, _at(day, 12), "Bare forretningskontoen #tips", kind="business")
        b.window_value("tiktok", "video_views", day.isoformat(), (day + timedelta(days=9)).isoformat(),
                       "lifetime", 900 + 100 * n, "total", kind="business", subject_type="post",
                       subject=ext)  # fmt: skip
    db.execute(
        """UPDATE metric_values SET collected_at = window_end || 'T06:00:00Z'
           WHERE subject_type = 'post' AND grain = 'lifetime'"""
    )
    # --- account series ------------------------------------------------------------------------
    days = [_day(i) for i in range(DAYS)]
    first = days[0].isoformat()
    if seed % 2 == 0:  # TikTok's own daily views, organic and paid together (its documented shape)
        b.days(
            "tiktok",
            "video_views",
            first,
            [rng.randint(500, 3000) for _ in days],
            "total",
            kind="business",
        )
    b.days(
        "tiktok",
        "unique_video_views",
        first,
        [rng.randint(300, 900) for _ in days],
        "organic",
        kind="business",
    )
    b.days("linkedin", "impressionCount", first, [rng.randint(100, 900) for _ in days], "organic")
    b.days(
        "linkedin", "uniqueImpressionsCount", first, [rng.randint(50, 300) for _ in days], "organic"
    )
    b.days("linkedin", "likeCount", first, [rng.randint(0, 30) for _ in days], "organic")
    b.days("linkedin", "organicFollowerGain", first, [rng.randint(0, 9) for _ in days], "organic")
    b.days("linkedin", "paidFollowerGain", first, [rng.randint(0, 3) for _ in days], "paid")
    b.days("linkedin", "firstDegreeSize", first, [4000 + 5 * i for i in range(DAYS)], "total")
    b.days("facebook", "page_media_view", first, [rng.randint(200, 1500) for _ in days], "organic")
    b.days("facebook", "page_media_view", first, [rng.randint(0, 400) for _ in days], "paid")
    b.days(
        "facebook",
        "page_total_media_view_unique",
        first,
        [rng.randint(100, 700) for _ in days],
        "total",
    )
    b.days("facebook", "page_post_engagements", first, [rng.randint(10, 90) for _ in days], "total")
    b.days("facebook", "page_follows", first, [9000 + 3 * i for i in range(DAYS)], "total")
    b.days(
        "tiktok",
        "follower_count",
        first,
        [7000 + 11 * i for i in range(DAYS)],
        "total",
        kind="business",
    )
    b.window_value(
        "facebook",
        "page_total_media_view_unique",
        "2026-03-09",
        "2026-03-15",
        "week",
        2100,
        "total",
    )
    # --- ads -----------------------------------------------------------------------------------
    tt = posts["tiktok"]
    b.ad_campaign("tiktok", "tt-spark", "Spark", "VIDEO_VIEWS")
    b.ad("tiktok", "tt-spark", "tt-spark-ad1", promotes=tt[0])
    b.ad("tiktok", "tt-spark", "tt-spark-ad2", promotes=tt[1])
    b.ad_campaign("tiktok", "tt-dark", "Dark", "TRAFFIC")
    b.ad("tiktok", "tt-dark", "tt-dark-ad", promotes=None)
    b.ad_campaign("tiktok", "tt-two", "Two posts", "REACH")
    b.ad("tiktok", "tt-two", "tt-two-a", promotes=tt[2])
    b.ad("tiktok", "tt-two", "tt-two-b", promotes=tt[3])
    b.ad_campaign("tiktok", "tt-mixed", "Mixed", "FOLLOWERS")
    b.ad("tiktok", "tt-mixed", "tt-mixed-a", promotes=tt[4])
    b.ad("tiktok", "tt-mixed", "tt-mixed-b", promotes=None)
    start = 40  # ads run from 10 Feb
    for cid in ("tt-spark", "tt-dark", "tt-two", "tt-mixed"):
        n = DAYS - start
        for metric, low, high in (("video_play_actions", 100, 900), ("impressions", 800, 3000),
                                  ("spend", 20, 90), ("clicks", 5, 40), ("reach", 400, 1500),
                                  ("likes", 0, 30), ("follows", 0, 5)):  # fmt: skip
            b.ad_days(
                "tiktok",
                cid,
                metric,
                _day(start).isoformat(),
                [rng.randint(low, high) for _ in range(n)],
            )
    b.ad_days("tiktok", "tt-spark-ad1", "video_play_actions", _day(start).isoformat(),
              [rng.randint(20, 400) for _ in range(DAYS - start)])  # fmt: skip
    b.flight("tiktok", "tt-spark", _day(start).isoformat(), "2026-03-31")
    b.flight("tiktok", "tt-dark", _day(start - 5).isoformat(), None)
    b.window_value("tiktok", "reach", _day(start).isoformat(), _day(DAYS - 1).isoformat(), "campaign",
                   6100, "paid", kind="ads", subject_type="ad", subject="tt-spark")  # fmt: skip
    b.window_value("tiktok", "reach", _day(start).isoformat(), _day(DAYS - 1).isoformat(), "campaign",
                   5200, "paid", kind="ads", subject_type="ad", subject="tt-dark")  # fmt: skip
    b.window_value("tiktok", "reach", "2026-03-09", "2026-03-15", "week", 4100, "paid", kind="ads")
    b.ad_campaign("linkedin", "li-camp", "Sponset", "WEBSITE_VISITS")
    b.ad("linkedin", "li-camp", "li-ad", promotes=posts["linkedin"][0])
    b.ad_campaign("facebook", "fb-camp", "Boost", "OUTCOME_TRAFFIC")
    b.ad("facebook", "fb-camp", "fb-ad", promotes=posts["facebook"][0])
    for platform, cid, metrics in (
        ("linkedin", "li-camp", ("impressions", "clicks", "costInLocalCurrency", "landingPageClicks",
                                 "approximateMemberReach", "likes", "follows")),
        ("facebook", "fb-camp", ("impressions", "clicks", "spend", "link_click", "reach")),
    ):  # fmt: skip
        for metric in metrics:
            b.ad_days(platform, cid, metric, _day(start).isoformat(),
                      [rng.randint(5, 2000) for _ in range(DAYS - start)])  # fmt: skip
    b.window_value("linkedin", "approximateMemberReach", _day(start).isoformat(), "2026-03-05",
                   "window", 3000, "paid", kind="ads", subject_type="ad", subject="li-camp")  # fmt: skip
    b.window_value("linkedin", "approximateMemberReach", "2026-03-06", _day(DAYS - 1).isoformat(),
                   "window", 1800, "paid", kind="ads", subject_type="ad", subject="li-camp")  # fmt: skip
    # --- planning ------------------------------------------------------------------------------
    kari, ola = b.member("Kari"), b.member("Ola")
    partner = b.partner(PARTNER)
    ids = {
        ext: db.execute("SELECT id FROM posts WHERE external_id = ?", [ext]).fetchone()[0]
        for ext in tt[:12]
    }
    for n, ext in enumerate(tt[:12]):
        published = db.execute(
            "SELECT published_at FROM posts WHERE id = ?", [ids[ext]]
        ).fetchone()[0]
        local = datetime.fromisoformat(published.replace("Z", "+00:00")) + timedelta(hours=1)
        slot = b.slot(f"past-{n}", local.strftime("%Y-%m-%d %H:%M"), "published",
                      [kari if n % 2 else ola], post_id=ids[ext],
                      partner_id=partner if n % 3 == 0 else None)  # fmt: skip
        db.execute(
            "UPDATE calendar_slots SET tags = ? WHERE id = ?",
            ['["eksamen", "tips"]' if n % 2 else '["studieliv"]', slot],
        )
    b.slot("w1", "2026-03-10 16:00", "planned", [kari])
    b.slot("w2", "2026-03-11 16:00", "skipped", [kari, ola])
    b.slot("w3", "2026-03-12 16:00", "idea", [ola])
    b.slot("w4", "2026-03-13 16:00", "published", [])
    cid = b.campaign(CAMPAIGN, "2026-02-15", "2026-03-31", ["tiktok", "linkedin", "facebook"],
                     partner_id=partner, budget=9000)  # fmt: skip
    b.campaign_member(cid, "hashtag", "realfag")
    b.campaign_member(cid, "post", posts["linkedin"][0], "linkedin")
    b.campaign_member(cid, "post", posts["facebook"][0], "facebook")
    for platform, ext in (("tiktok", "tt-spark"), ("tiktok", "tt-dark"), ("tiktok", "tt-mixed"),
                          ("linkedin", "li-camp"), ("facebook", "fb-camp")):  # fmt: skip
        b.campaign_member(cid, "ad_campaign", ext, platform)
    for kpi, origin, platform, target in (
        ("views", "total", "all", 200000), ("views", "organic", "tiktok", 50000),
        ("views", "paid", "all", 90000), ("reach", "paid", "tiktok", 10000),
        ("reach", "total", "all", 30000), ("reach", "organic", "all", 5000),
        ("impressions", "paid", "all", 100000), ("clicks", "total", "all", 3000),
        ("link_clicks", "paid", "all", 900), ("ctr", "paid", "all", 0.01),
        ("engagement_rate", "total", "all", 0.02), ("follower_gain", "total", "all", 500),
        ("cost_per_click", "paid", "all", 4), ("cost_per_1000_reached", "paid", "all", 50),
        ("cost_per_result", "paid", "all", 2), ("spend", "paid", "all", 8000),
    ):  # fmt: skip
        b.target(cid, kpi, target, origin, platform)
    b.campaign("Høst 2025", "2025-09-01", "2025-10-31", ["tiktok"], partner_id=partner)
    b.brief(partner, "Rollemodell-video", "2026-02-10")
    for platform in ("tiktok", "linkedin", "facebook"):
        b.sync(platform, "2026-03-16T05:00:00Z")
