"""The demo's week summary: figures computed by hand from a small database."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlite_utils import Database

from core.domain import Account, AdEntity, MetricValue, Page, Post, Snapshot
from db import writes
from social.summary import render_text, week_summary

MONDAY = date(2026, 11, 16)  # uke 47


def _day(offset: int) -> date:
    return MONDAY + timedelta(days=offset)


def _seed(db: Database) -> None:
    organic = writes.upsert_account(db, Account("tiktok", "organic", "open-1"))
    published = datetime(2026, 11, 15, 22, 30, tzinfo=UTC)  # Sunday 23:30 in Oslo: week 46
    page = Page(
        posts=[
            Post("tiktok", "v1", published),
            Post("tiktok", "v2", datetime(2026, 11, 17, 9, tzinfo=UTC)),
        ],
        snapshots=[
            Snapshot("v1", datetime(2026, 11, 15, 23, tzinfo=UTC), {"view_count": 1000}),
            Snapshot("v1", datetime(2026, 11, 20, 6, tzinfo=UTC), {"view_count": 4000}),
            Snapshot(
                "v1", datetime(2026, 11, 24, 6, tzinfo=UTC), {"view_count": 9000}
            ),  # next week
            Snapshot("v2", datetime(2026, 11, 18, 6, tzinfo=UTC), {"view_count": 2500}),
        ],
    )
    writes.save_page(db, organic, page, source="api")
    ads = writes.upsert_account(db, Account("tiktok", "ads", "adv-1"))
    values = [
        MetricValue("spend", 10.5, _day(i), _day(i), "day", "paid", "ad", "c1") for i in range(7)
    ]
    values += [
        MetricValue("reach", 3000, _day(i), _day(i), "day", "paid", "ad", "c1") for i in range(7)
    ]
    values.append(MetricValue("reach", 12000, MONDAY, _day(6), "week", "paid", "account"))
    writes.save_page(
        db,
        ads,
        Page(values=values, ad_entities=[AdEntity("tiktok", "campaign", "c1")]),
        source="api",
    )
    linkedin = writes.upsert_account(db, Account("linkedin", "organization", "42"))
    daily = [
        MetricValue("impressionCount", 100 * (i + 1), _day(i), _day(i), "day", "organic")
        for i in range(7)
    ]
    daily.append(
        MetricValue("impressionCount", 999, _day(7), _day(7), "day", "organic")
    )  # next week
    writes.save_page(db, linkedin, Page(values=daily), source="api")


def test_week_summary_counts_view_growth_and_uses_the_weeks_own_unique_reach(
    fresh_db: Database,
) -> None:
    _seed(fresh_db)
    weeks = {w.platform: w for w in week_summary(fresh_db, MONDAY, "Europe/Oslo")}
    tiktok = weeks["tiktok"]
    assert tiktok.posts == 1  # the Sunday 23:30 post belongs to week 46
    assert tiktok.views == (4000 - 1000) + 2500  # counter growth inside the week (rule 2)
    assert tiktok.paid_reach is not None
    assert tiktok.paid_reach["value"] == 12000  # the week's number, not 7 x 3000 (rule 1)
    assert tiktok.paid_reach["method"] == "platform_week"
    assert tiktok.spend == 73.5
    assert weeks["linkedin"].views == 2800  # 100 + 200 + ... + 700 impressions
    text = render_text(list(weeks.values()), MONDAY, "nb", "NOK").replace("\xa0", " ")
    assert "uke 47" in text and "5 500 visninger" in text and "2 800 visninger i feeden" in text
    assert "12 000 nådd med annonser (plattformens tall for hele uken)" in text
    assert "73,50 NOK brukt" in text


def test_week_summary_uses_the_reports_definition_of_views(fresh_db: Database) -> None:
    """Sponsored views of a dark ad count in the total, exactly as in the weekly report."""
    from core.config import Config
    from social.reports.weekly import build_weekly

    _seed(fresh_db)
    ads = writes.upsert_account(fresh_db, Account("tiktok", "ads", "adv-1"))
    plays = [
        MetricValue("video_play_actions", 400, _day(i), _day(i), "day", "paid", "ad", "c1")
        for i in range(7)
    ]
    writes.save_page(fresh_db, ads, Page(values=plays), source="api")
    tiktok = {w.platform: w for w in week_summary(fresh_db, MONDAY, "Europe/Oslo")}["tiktok"]
    assert (tiktok.views_organic, tiktok.views_paid, tiktok.views) == (5500, 2800, 8300)
    report = build_weekly(
        fresh_db,
        Config(path=None),
        week="2026-W47",
        now=datetime(2026, 11, 23, 7, tzinfo=UTC),
        save=False,
    )
    weekly = next(p for p in report["platforms"] if p["platform"] == "tiktok")["views"]
    assert (weekly["organic"], weekly["paid"], weekly["total"]) == (5500, 2800, 8300)
    text = render_text([tiktok], MONDAY, "en", "NOK").replace("\xa0", " ")
    assert "8,300 views (5,500 organic, 2,800 sponsored)" in text
