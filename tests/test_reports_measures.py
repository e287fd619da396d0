"""Report measures that must stay consistent when sources cover different days."""

from __future__ import annotations

from datetime import date, timedelta

from sqlite_utils import Database

from core.domain import Account, MetricValue, Page
from db import writes
from social.reports.measures import measure_views
from social.reports.window import Window

MONDAY = date(2026, 11, 16)


def test_an_origin_covering_fewer_days_is_not_mixed_into_the_week(fresh_db: Database) -> None:
    # The API's organic impressions for every day, and an export's organic/sponsored/total
    # for one of them: a one-day "total" must not stand next to a seven-day "organic".
    account = writes.upsert_account(fresh_db, Account("linkedin", "organization", "42"))
    days = [MONDAY + timedelta(days=i) for i in range(7)]
    api = [MetricValue("impressionCount", 1000, d, d, "day", "organic") for d in days]
    writes.save_page(fresh_db, account, Page(values=api), source="api")
    export = [
        MetricValue("impressionCount", 300, days[4], days[4], "day", "paid"),
        MetricValue("impressionCount", 1300, days[4], days[4], "day", "total"),
    ]
    writes.save_page(fresh_db, account, Page(values=export), source="import:linkedin_page")
    views = measure_views(fresh_db, "linkedin", Window(MONDAY, days[-1]))
    assert views.organic == 7000
    assert views.total == 7000 and views.paid is None  # not 1,300 next to 7,000 organic
    assert views.days_covered == 7
