"""The demo's week summary: figures computed by hand from a small database."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlite_utils import Database

from db import writes
from social.domain import Account, AdEntity, MetricValue, Page, Post, Snapshot
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
    assert tiktok.paid_reach == 12000  # the platform's week number, not 7 x 3000 (rule 1)
    assert tiktok.spend == 73.5
    assert weeks["linkedin"].organic_impressions == 2800  # 100 + 200 + ... + 700
    text = render_text(list(weeks.values()), MONDAY, "nb", "NOK").replace("\xa0", " ")
    assert "uke 47" in text and "5 500 visninger" in text and "2 800 organiske visninger" in text
    assert "12 000 nådd med annonser (unike, hele uken)" in text and "73,50 NOK brukt" in text
