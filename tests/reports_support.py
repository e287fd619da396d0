"""Fixture builders for report tests: collection data goes through db.writes (the real write
path); calendar, campaign and partner rows are inserted as their tables define them."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from core.config import Config
from core.domain import Account, AdEntity, MetricValue, Page, Post, Snapshot
from core.timeutil import from_utc_iso, to_utc_iso
from db import writes

ZONE = "Europe/Oslo"
ACCOUNT_IDS = {
    ("tiktok", "organic"): "tt-user",
    ("tiktok", "business"): "tt-business",
    ("tiktok", "ads"): "tt-ads",
    ("linkedin", "organization"): "2414183",
    ("linkedin", "ads"): "508000111",
    ("facebook", "page"): "fb-page",
    ("facebook", "ads"): "fb-ads",
}
CONTENT_KIND = {"tiktok": "organic", "linkedin": "organization", "facebook": "page"}


def local(text: str) -> datetime:
    """'2025-11-30 23:30' in Oslo time, as an aware datetime."""
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(ZONE))


def utc(text: str) -> datetime:
    return from_utc_iso(text)


def config(**sections: dict[str, object]) -> Config:
    """A default configuration with some sections' keys set."""
    return Config(path=None, values={k: dict(v) for k, v in sections.items()})


class Builder:
    """Writes fixture data the way collectors and the planning commands would."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._accounts: dict[tuple[str, str], int] = {}

    # --- collection data (db.writes) --------------------------------------------------------

    def account(self, platform: str, kind: str | None = None) -> int:
        kind = kind or CONTENT_KIND[platform]
        key = (platform, kind)
        if key not in self._accounts:
            self._accounts[key] = writes.upsert_account(
                self.db, Account(platform, kind, ACCOUNT_IDS[key], f"{platform} {kind}")
            )
        return self._accounts[key]

    def save(self, platform: str, kind: str | None = None, **page: object) -> None:
        writes.save_page(self.db, self.account(platform, kind), Page(**page), source="api")  # type: ignore[arg-type]

    def post(
        self,
        platform: str,
        external_id: str,
        published: str,
        caption: str = "",
        *,
        link: str = "",
        is_ad: bool = False,
        kind: str | None = None,
    ) -> int:
        self.save(
            platform,
            kind,
            posts=[
                Post(
                    platform,
                    external_id,
                    local(published),
                    caption=caption,
                    link=link,
                    format="video",
                    is_ad=is_ad,
                )
            ],
        )
        row = self.db.execute(
            "SELECT id FROM posts WHERE platform = ? AND external_id = ?", [platform, external_id]
        ).fetchone()
        return int(row[0])

    def snapshot(
        self,
        platform: str,
        external_id: str,
        at: str,
        origin: str = "total",
        kind: str | None = None,
        **values: float,
    ) -> None:
        self.save(
            platform,
            kind,
            snapshots=[Snapshot(external_id, local(at), dict(values), origin)],
        )

    def days(
        self,
        platform: str,
        metric: str,
        first: str,
        values: Sequence[float],
        origin: str,
        *,
        kind: str | None = None,
    ) -> None:
        """Daily account values from a first local date on."""
        start = date.fromisoformat(first)
        self.save(
            platform,
            kind,
            values=[
                MetricValue(
                    metric, v, start + timedelta(days=i), start + timedelta(days=i), "day", origin
                )
                for i, v in enumerate(values)
            ],
        )

    def window_value(
        self,
        platform: str,
        metric: str,
        start: str,
        end: str,
        grain: str,
        value: float,
        origin: str,
        *,
        kind: str | None = None,
        subject_type: str = "account",
        subject: str | None = None,
    ) -> None:
        self.save(
            platform,
            kind,
            values=[
                MetricValue(
                    metric,
                    value,
                    date.fromisoformat(start),
                    date.fromisoformat(end),
                    grain,
                    origin,
                    subject_type=subject_type,
                    subject_external_id=subject,
                )
            ],
        )

    def ad_campaign(
        self, platform: str, external_id: str, name: str = "", objective: str = ""
    ) -> None:
        self.save(
            platform,
            "ads",
            ad_entities=[AdEntity(platform, "campaign", external_id, name, objective=objective)],
        )

    def ad(
        self,
        platform: str,
        campaign: str,
        external_id: str,
        promotes: str | None = None,
        *,
        level: str = "ad",
    ) -> int:
        """An ad (or ad group) under a campaign, promoting an organic post or none (a dark post).

        Written straight into the m006 columns the collectors fill (the storage contract).
        """
        self.ad_campaign(platform, campaign)
        parent = self.db.execute(
            "SELECT id FROM ad_entities WHERE platform = ? AND level = 'campaign' AND external_id = ?",
            [platform, campaign],
        ).fetchone()[0]
        cur = self.db.execute(
            """INSERT INTO ad_entities (account_id, platform, level, external_id, name, parent_id,
                                        post_external_id, updated_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, '2025-01-01T00:00:00Z')""",
            [
                self.account(platform, "ads"),
                platform,
                level,
                external_id,
                external_id,
                parent,
                promotes,
            ],
        )
        return int(cur.lastrowid or 0)

    def flight(self, platform: str, campaign: str, start: str, end: str | None) -> None:
        """An ad campaign's flight (ad_entities.start_date / end_date, the storage contract)."""
        self.db.execute(
            """UPDATE ad_entities SET start_date = ?, end_date = ?
               WHERE platform = ? AND level = 'campaign' AND external_id = ?""",
            [start, end, platform, campaign],
        )

    def ad_days(
        self, platform: str, campaign: str, metric: str, first: str, values: Sequence[float]
    ) -> None:
        start = date.fromisoformat(first)
        self.save(
            platform,
            "ads",
            values=[
                MetricValue(
                    metric,
                    v,
                    start + timedelta(days=i),
                    start + timedelta(days=i),
                    "day",
                    "paid",
                    subject_type="ad",
                    subject_external_id=campaign,
                )
                for i, v in enumerate(values)
            ],
        )

    def sync(self, platform: str, finished_at: str, outcome: str = "ok") -> None:
        run = writes.start_sync_run(self.db, platform)
        self.db.execute(
            "UPDATE sync_runs SET started_at = ? WHERE id = ?",
            [to_utc_iso(utc(finished_at) - timedelta(minutes=5)), run],
        )
        writes.finish_sync_run(
            self.db,
            run,
            outcome=outcome,
            new_posts=0,
            updated_values=0,
            requests=1,
            finished_at=utc(finished_at),
        )

    # --- planning data (their tables) -------------------------------------------------------

    def member(self, name: str) -> int:
        cur = self.db.execute(
            "INSERT INTO team_members (name, created_at) VALUES (?, '2025-01-01T00:00:00Z')", [name]
        )
        return int(cur.lastrowid or 0)

    def slot(
        self,
        uid: str,
        planned: str,
        status: str,
        owners: Sequence[int] = (),
        *,
        platform: str = "tiktok",
        post_id: int | None = None,
        partner_id: int | None = None,
    ) -> int:
        cur = self.db.execute(
            """INSERT INTO calendar_slots (uid, planned_at, platform, title, status, post_id,
                                           partner_id, created_at, updated_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z')""",
            [uid, to_utc_iso(local(planned)), platform, uid, status, post_id, partner_id],
        )
        slot_id = int(cur.lastrowid or 0)
        for owner in owners:
            self.db.execute(
                "INSERT INTO slot_owners (slot_id, member_id) VALUES (?, ?)", [slot_id, owner]
            )
        return slot_id

    def partner(self, name: str, tier: str = "large") -> int:
        cur = self.db.execute(
            "INSERT INTO partners (name, tier, industry, created_at) VALUES (?, ?, 'energi', '2025-01-01T00:00:00Z')",
            [name, tier],
        )
        return int(cur.lastrowid or 0)

    def campaign(
        self,
        name: str,
        start: str,
        end: str,
        platforms: Sequence[str] = (),
        *,
        partner_id: int | None = None,
        budget: float | None = None,
    ) -> int:
        cur = self.db.execute(
            """INSERT INTO campaigns (name, start_date, end_date, platforms, partner_id, budget,
                                      created_at, updated_at)
               VALUES (?, ?, ?, ?, ?, ?, '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z')""",
            [name, start, end, json.dumps(list(platforms)), partner_id, budget],
        )
        return int(cur.lastrowid or 0)

    def campaign_member(self, campaign_id: int, kind: str, value: str, platform: str = "") -> None:
        self.db.execute(
            "INSERT INTO campaign_members (campaign_id, kind, value, platform) VALUES (?, ?, ?, ?)",
            [campaign_id, kind, value, platform],
        )

    def target(
        self,
        campaign_id: int,
        kpi: str,
        target: float,
        origin: str = "total",
        platform: str = "all",
    ) -> None:
        self.db.execute(
            "INSERT INTO kpi_targets (campaign_id, kpi, origin, platform, target) VALUES (?, ?, ?, ?, ?)",
            [campaign_id, kpi, origin, platform, target],
        )

    def brief(self, partner_id: int, title: str, deadline: str, status: str = "published") -> None:
        self.db.execute(
            """INSERT INTO briefs (partner_id, template, title, deadline, status, created_at, updated_at)
               VALUES (?, 'samarbeid', ?, ?, ?, '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z')""",
            [partner_id, title, deadline, status],
        )


# --- the weekly scenario ----------------------------------------------------------------------
#
# Week 2025-W48 is Monday 24 Nov to Sunday 30 Nov 2025; Oslo is UTC+1, so its UTC bounds are
# 2025-11-23T23:00Z (inclusive) to 2025-11-30T23:00Z (exclusive). The numbers each test expects
# are worked out by hand in the tests from the values below.

WEEK = "2025-W48"
NOW = "2025-12-01T07:00:00Z"  # Monday 08:00 in Oslo


def weekly_scenario(db: Database) -> Builder:
    b = Builder(db)
    # TikTok, Display API counters (origin total: a Spark Ad's paid views are inside them).
    b.post(
        "tiktok",
        "A",
        "2025-11-20 10:00",
        "Eksamenstips #realfag",
        link="https://www.tiktok.com/@x/video/A",
    )
    b.snapshot(
        "tiktok",
        "A",
        "2025-11-23 20:00",
        view_count=1000,
        like_count=50,
        comment_count=5,
        share_count=2,
    )
    b.snapshot(
        "tiktok",
        "A",
        "2025-11-27 12:00",
        view_count=1600,
        like_count=80,
        comment_count=8,
        share_count=3,
    )
    b.snapshot(
        "tiktok",
        "A",
        "2025-11-30 22:00",
        view_count=2000,
        like_count=100,
        comment_count=10,
        share_count=4,
    )
    # Published Sunday 23:30 local: still week 48.
    b.post(
        "tiktok",
        "B",
        "2025-11-30 23:30",
        "<script>document.title='pwned'</script><b>Hei</b> & velkommen",
        link="javascript:alert(1)",
    )
    b.snapshot(
        "tiktok",
        "B",
        "2025-11-30 23:50",
        view_count=300,
        like_count=30,
        comment_count=3,
        share_count=1,
    )
    # C is boosted as a Spark Ad: its counter includes the paid views.
    b.post("tiktok", "C", "2025-11-25 09:00", "Spark #realfag", is_ad=True)
    b.snapshot(
        "tiktok",
        "C",
        "2025-11-26 09:00",
        view_count=5000,
        like_count=100,
        comment_count=10,
        share_count=5,
    )
    b.snapshot(
        "tiktok",
        "C",
        "2025-11-30 20:00",
        view_count=8000,
        like_count=200,
        comment_count=20,
        share_count=10,
    )
    # The Spark Ad's own statistics (Marketing API), 25-30 Nov.
    b.ad_campaign("tiktok", "tt-camp-1", "Spark C", "VIDEO_VIEWS")
    b.ad("tiktok", "tt-camp-1", "tt-ad-1", promotes="C")  # the Spark Ad's link to post C
    b.ad_days("tiktok", "tt-camp-1", "video_play_actions", "2025-11-25", [500] * 6)
    b.ad_days("tiktok", "tt-camp-1", "impressions", "2025-11-25", [1000] * 6)
    b.ad_days("tiktok", "tt-camp-1", "spend", "2025-11-25", [100] * 6)
    b.ad_days("tiktok", "tt-camp-1", "clicks", "2025-11-25", [20] * 6)
    b.ad_days("tiktok", "tt-camp-1", "reach", "2025-11-25", [800] * 6)
    b.window_value("tiktok", "reach", "2025-11-24", "2025-11-30", "week", 3500, "paid", kind="ads")
    b.days("tiktok", "follower_count", "2025-11-23", [10000], "total")
    b.days("tiktok", "follower_count", "2025-11-30", [10250], "total")
    # LinkedIn page: daily organic series.
    b.days("linkedin", "impressionCount", "2025-11-17", [100] * 7, "organic")
    b.days(
        "linkedin", "impressionCount", "2025-11-24", [100, 200, 300, 400, 500, 600, 700], "organic"
    )
    b.days("linkedin", "uniqueImpressionsCount", "2025-11-24", [80] * 7, "organic")
    b.days("linkedin", "likeCount", "2025-11-24", [10] * 7, "organic")
    b.days("linkedin", "commentCount", "2025-11-24", [2] * 7, "organic")
    b.days("linkedin", "shareCount", "2025-11-24", [1] * 7, "organic")
    b.days("linkedin", "firstDegreeSize", "2025-11-23", [4900], "total")
    b.days("linkedin", "firstDegreeSize", "2025-11-30", [5000], "total")
    # Facebook: the page is connected but nothing was collected.
    b.account("facebook")
    b.sync("tiktok", "2025-12-01T05:00:00Z")
    b.sync("linkedin", "2025-11-28T05:00:00Z")
    # Calendar: Kari and Ola.
    kari, ola = b.member("Kari"), b.member("Ola")
    b.slot("s1", "2025-11-25 09:00", "published", [kari])
    b.slot("s2", "2025-11-27 15:00", "planned", [kari])
    b.slot("s3", "2025-11-30 23:15", "published", [ola])
    b.slot("s4", "2025-11-28 12:00", "skipped", [kari, ola])
    b.slot("s5", "2025-11-26 12:00", "idea", [ola])
    b.slot("s6", "2025-12-01 00:30", "planned", [ola])  # week 49
    return b


# --- the campaign scenario --------------------------------------------------------------------
#
# "Rollemodell 2025" runs 1-30 Nov 2025 (30 days). Reported on 16 Nov at 09:00 Oslo time, the
# last complete day is 15 Nov: 15 of 30 days have passed.

CAMPAIGN_NOW = "2025-11-16T08:00:00Z"


def campaign_scenario(db: Database) -> tuple[Builder, int]:
    b = Builder(db)
    equinor = b.partner("Equinor")
    cid = b.campaign(
        "Rollemodell 2025",
        "2025-11-01",
        "2025-11-30",
        ["tiktok", "linkedin"],
        partner_id=equinor,
        budget=10000,
    )
    b.campaign_member(cid, "hashtag", "rollemodell")
    b.campaign_member(cid, "post", "urn:li:share:9", "linkedin")
    b.campaign_member(cid, "ad_campaign", "tt-camp-9", "tiktok")
    # P1: hashtag member, boosted by the Spark Ad below (its counter includes paid views).
    b.post("tiktok", "P1", "2025-11-03 18:00", "Møt Ingrid, ingeniør #Rollemodell", is_ad=True)
    b.snapshot(
        "tiktok",
        "P1",
        "2025-11-04 08:00",
        view_count=5000,
        like_count=300,
        comment_count=20,
        share_count=10,
    )
    b.snapshot(
        "tiktok",
        "P1",
        "2025-11-15 20:00",
        view_count=12000,
        like_count=600,
        comment_count=40,
        share_count=20,
    )
    b.snapshot(
        "tiktok",
        "P1",
        "2025-11-20 20:00",
        view_count=20000,
        like_count=900,
        comment_count=60,
        share_count=30,
    )
    b.window_value(
        "tiktok",
        "reach",
        "2025-11-03",
        "2025-11-15",
        "lifetime",
        9000,
        "total",
        kind="business",
        subject_type="post",
        subject="P1",
    )
    # P2: listed by id; published before the campaign, so only its growth inside counts.
    b.post("linkedin", "urn:li:share:9", "2025-10-30 12:00", "Rollemodeller i industrien")
    b.snapshot(
        "linkedin",
        "urn:li:share:9",
        "2025-10-31 10:00",
        "organic",
        impressionCount=1000,
        likeCount=10,
        commentCount=1,
        shareCount=1,
        clickCount=5,
    )
    b.snapshot(
        "linkedin",
        "urn:li:share:9",
        "2025-11-10 10:00",
        "organic",
        impressionCount=4000,
        likeCount=40,
        commentCount=4,
        shareCount=2,
        clickCount=25,
    )
    # Not members: a longer hashtag, and the right hashtag before the campaign.
    b.post("tiktok", "P3", "2025-11-05 12:00", "#rollemodellene er her")
    b.snapshot("tiktok", "P3", "2025-11-06 12:00", view_count=7777)
    b.post("tiktok", "P4", "2025-10-20 12:00", "#rollemodell i fjor")
    b.snapshot("tiktok", "P4", "2025-11-06 12:00", view_count=999)
    # The Spark Ad campaign: 15 days of stats, and TikTok's own reach for the flight so far.
    b.ad_campaign("tiktok", "tt-camp-9", "Rollemodell Spark", "VIDEO_VIEWS")
    b.ad("tiktok", "tt-camp-9", "tt-ad-9", promotes="P1")  # the Spark Ad promotes P1
    b.ad_days("tiktok", "tt-camp-9", "video_play_actions", "2025-11-01", [500] * 15)
    b.ad_days("tiktok", "tt-camp-9", "impressions", "2025-11-01", [5000] * 15)
    b.ad_days("tiktok", "tt-camp-9", "spend", "2025-11-01", [300] * 15)
    b.ad_days("tiktok", "tt-camp-9", "clicks", "2025-11-01", [40] * 15)
    b.ad_days("tiktok", "tt-camp-9", "reach", "2025-11-01", [4000] * 15)
    b.window_value(
        "tiktok",
        "reach",
        "2025-11-01",
        "2025-11-14",
        "campaign",
        17000,
        "paid",
        kind="ads",
        subject_type="ad",
        subject="tt-camp-9",
    )
    b.window_value(
        "tiktok",
        "reach",
        "2025-11-01",
        "2025-11-15",
        "campaign",
        18000,
        "paid",
        kind="ads",
        subject_type="ad",
        subject="tt-camp-9",
    )
    # An unrelated ad campaign in the same account.
    b.ad_campaign("tiktok", "tt-other", "Other")
    b.ad_days("tiktok", "tt-other", "spend", "2025-11-01", [1000] * 15)
    b.target(cid, "views", 100000)
    b.target(cid, "spend", 8000, "paid")
    b.target(cid, "reach", 20000, "paid", "tiktok")
    b.target(cid, "cost_per_click", 10, "paid")
    b.target(cid, "clicks", 1000, "total")
    b.brief(equinor, "Rollemodell-video", "2025-10-15")
    return b, cid
