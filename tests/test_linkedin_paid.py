"""LinkedIn ads: field chunks merged, whole-window reach, flights, creatives, 15,000 cap.

The fake server answers like LinkedIn: exactly the requested fields, no member
reach for ranges over 92 days, and only the ads app's token (the page app's
token is refused with 403, as an app holding the Community Management API has
no Advertising API).
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx

from collectors.linkedin.ads import (
    DAILY_METRICS,
    ELEMENT_BUDGET,
    METRICS,
    daily_chunk_days,
    field_chunks,
    merge_rows,
    reach_windows,
)
from collectors.linkedin.sandbox import parse_query
from social.sync import run_sync
from tests.linkedin_support import AD_ACCOUNT, NOW, collection, day_ms, write_config

CAMPAIGNS = {
    "361": ("Velg realfag", date(2026, 11, 4), date(2026, 12, 20)),
    "362": ("Ingeniør for en dag", date(2026, 6, 1), date(2026, 9, 28)),  # 120 days
    "363": ("Teknologidagen", date(2026, 10, 1), date(2026, 11, 30)),
}


def _parse_range(raw: str) -> tuple[date, date]:
    """The dateRange of a raw query, parsed as LinkedIn's Rest.li servers would."""
    value = parse_query(raw)["dateRange"]
    return tuple(
        date(int(v["year"]), int(v["month"]), int(v["day"]))  # type: ignore[return-value]
        for v in (value["start"], value["end"])
    )


def _dr(first: date, last: date) -> dict[str, Any]:
    return {
        "start": {"year": first.year, "month": first.month, "day": first.day},
        "end": {"year": last.year, "month": last.month, "day": last.day},
    }


class FakeAds:
    """adAnalytics that returns exactly the requested fields (like LinkedIn) and records ranges."""

    def __init__(
        self,
        campaigns: dict[str, tuple[str, date, date]] | None = None,
        truncate_over_days: int | None = None,
    ) -> None:
        self.campaigns = CAMPAIGNS if campaigns is None else campaigns
        self.truncate_over_days = truncate_over_days
        self.requests: list[tuple[str, str, date, date, list[str]]] = []

    def row(
        self, names: list[str], first: date, last: date, pivot: str, days: int, reach: int
    ) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name in names:
            if name == "dateRange":
                out[name] = _dr(first, last)
            elif name == "pivotValues":
                out[name] = [pivot]
            elif name == "approximateMemberReach":
                if (last - first).days < 92:  # LinkedIn: no member reach over 92 days
                    out[name] = reach
            elif name.startswith("cost"):
                out[name] = f"{100.5 * days:.2f}"
            else:
                out[name] = 1000 * days + len(name)  # distinguishable per field
        return out

    def __call__(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        raw = request.url.query.decode()
        if request.headers.get("Authorization") != f"Bearer {ADS_TOKEN}":
            return httpx.Response(
                403,
                json={
                    "message": "Not enough permissions to access: adAnalytics",
                    "status": 403,
                    "serviceErrorCode": 100,
                },
            )
        if path.endswith("/creatives"):
            assert parse_query(raw)["q"] == "criteria"
            wanted = [str(c).rsplit(":", 1)[-1] for c in parse_query(raw)["campaigns"]]
            return httpx.Response(
                200,
                json={
                    "elements": [
                        {
                            "id": f"urn:li:sponsoredCreative:{cid}{i}",
                            "campaign": f"urn:li:sponsoredCampaign:{cid}",
                            "intendedStatus": "ACTIVE",
                            "content": {"reference": reference},
                        }
                        for cid in wanted
                        for i, reference in enumerate(
                            [f"urn:li:share:{cid}", f"urn:li:share:9{cid}"]
                        )
                    ],
                    "metadata": {},
                },
            )
        if path == f"/rest/adAccounts/{AD_ACCOUNT}":
            return httpx.Response(200, json={"id": int(AD_ACCOUNT), "name": "STEM annonser"})
        if path.endswith("/adCampaigns"):
            return httpx.Response(
                200,
                json={
                    "elements": [
                        {
                            "id": int(cid),
                            "name": name,
                            "status": "ACTIVE",
                            "objectiveType": "BRAND_AWARENESS",
                            "runSchedule": {
                                "start": day_ms(s),
                                "end": day_ms(e + timedelta(days=1)) - 1,
                            },
                        }
                        for cid, (name, s, e) in self.campaigns.items()
                    ],
                    "metadata": {},
                },
            )
        assert path == "/rest/adAnalytics"
        names = raw.split("fields=")[1].split("&")[0].split(",")
        first, last = _parse_range(raw)
        granularity = raw.split("timeGranularity=")[1].split("&")[0]
        pivot = raw.split("pivot=")[1].split("&")[0]
        self.requests.append((pivot, granularity, first, last, names))
        if len(names) > 20:
            return httpx.Response(400, json={"message": "Too many fields", "status": 400})
        if (
            granularity == "DAILY"
            and self.truncate_over_days
            and (last - first).days + 1 > self.truncate_over_days
        ):
            return collection([{"dateRange": _dr(first, first), "pivotValues": ["x"]}] * 15_000)
        wanted = [c for c in self.campaigns if f"sponsoredCampaign%3A{c}" in raw] or list(
            self.campaigns
        )
        # only campaigns that ran in the range have rows, as on LinkedIn
        wanted = [
            c for c in wanted if self.campaigns[c][1] <= last and self.campaigns[c][2] >= first
        ]
        rows = []
        if granularity == "DAILY":
            day = first
            while day <= last:
                rows += [
                    self.row(names, day, day, f"urn:li:sponsoredCampaign:{c}", 1, 900)
                    for c in wanted
                    if self.campaigns[c][1] <= day <= self.campaigns[c][2]
                ]
                day += timedelta(days=1)
        elif pivot == "ACCOUNT":
            rows.append(
                self.row(
                    names,
                    first,
                    last,
                    f"urn:li:sponsoredAccount:{AD_ACCOUNT}",
                    (last - first).days + 1,
                    7000,
                )
            )
        else:
            rows += [
                self.row(
                    names,
                    first,
                    last,
                    f"urn:li:sponsoredCampaign:{c}",
                    (last - first).days + 1,
                    4000 + (last - first).days,
                )
                for c in wanted
            ]
        return collection(rows)


ADS_TOKEN = "li-ads-token-777"


@pytest.fixture
def ads_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("SOCIAL_LINKEDIN_ACCESS_TOKEN", "li-page-token-999")
    monkeypatch.setenv("SOCIAL_LINKEDIN_ADS_ACCESS_TOKEN", ADS_TOKEN)
    return write_config(tmp_path, "[sync]\nbackfill_days = 14", org="", ads=AD_ACCOUNT)


def test_field_lists_are_split_to_twenty_fields_and_merged_on_date_range_and_pivot() -> None:
    chunks = field_chunks(METRICS)
    assert [len(c) for c in chunks] == [20, 6]
    assert all(c[:2] == ["dateRange", "pivotValues"] for c in chunks)
    assert [m for c in chunks for m in c[2:]] == list(METRICS)
    day = _dr(date(2026, 1, 5), date(2026, 1, 5))
    merged = merge_rows(
        [
            [
                {"dateRange": day, "pivotValues": ["urn:li:sponsoredCampaign:1"], "impressions": 5},
                {"dateRange": day, "pivotValues": ["urn:li:sponsoredCampaign:2"], "impressions": 7},
            ],
            [
                {"dateRange": day, "pivotValues": ["urn:li:sponsoredCampaign:2"], "follows": 1},
                {"dateRange": day, "pivotValues": ["urn:li:sponsoredCampaign:1"], "follows": 3},
            ],
        ]
    )
    assert [(r["pivotValues"][0][-1], r["impressions"], r["follows"]) for r in merged] == [
        ("1", 5, 3),
        ("2", 7, 1),
    ]


def test_ranges_are_sized_so_days_times_campaigns_stays_far_below_the_cap() -> None:
    assert daily_chunk_days(2) == 92
    assert daily_chunk_days(120) == ELEMENT_BUDGET // 120
    assert daily_chunk_days(20_000) == 1
    assert reach_windows(date(2026, 1, 1), date(2026, 4, 2)) == [
        (date(2026, 1, 1), date(2026, 4, 2))
    ]  # exactly 92 days
    assert reach_windows(date(2026, 1, 1), date(2026, 4, 3)) == [
        (date(2026, 1, 1), date(2026, 4, 2)),
        (date(2026, 4, 3), date(2026, 4, 3)),
    ]


@respx.mock(assert_all_called=False)
def test_daily_rows_merge_all_field_chunks_and_leave_member_reach_to_whole_windows(  # type: ignore[no-untyped-def]
    respx_mock, ads_config, fresh_db
) -> None:
    fake = FakeAds()
    respx_mock.route(host="api.linkedin.com").mock(side_effect=fake)
    summary = run_sync(ads_config, fresh_db, ["linkedin"], now=NOW, sleep=lambda s: None)[0]
    assert summary.outcome == "ok", summary.error
    assert all(len(names) <= 20 for *_, names in fake.requests)
    daily = fresh_db.execute(
        "SELECT e.external_id, COUNT(DISTINCT v.metric), COUNT(DISTINCT v.window_start) "
        "FROM metric_values v JOIN ad_entities e ON e.id = v.subject_id "
        "WHERE v.grain = 'day' AND v.subject_type = 'ad' GROUP BY e.external_id"
    ).fetchall()
    # 361 runs from 4 Nov: 12 of the 14 days; 362 ended in September; every field of both
    # chunks is on each row
    assert daily == [("361", len(DAILY_METRICS), 12), ("363", len(DAILY_METRICS), 14)]
    assert (
        fresh_db.execute(
            "SELECT COUNT(*) FROM metric_values WHERE grain = 'day' "
            "AND metric = 'approximateMemberReach'"
        ).fetchone()[0]
        == 0
    )
    cost = fresh_db.execute(
        "SELECT value FROM metric_values WHERE grain = 'day' "
        "AND metric = 'costInLocalCurrency' LIMIT 1"
    ).fetchone()[0]
    assert cost == 100.5
    names = fresh_db.execute(
        "SELECT external_id, name, status, start_date, end_date FROM ad_entities "
        "WHERE level = 'campaign' ORDER BY 1"
    ).fetchall()
    assert names == [  # each with its flight from runSchedule
        ("361", "Velg realfag", "ACTIVE", "2026-11-04", "2026-12-20"),
        ("362", "Ingeniør for en dag", "ACTIVE", "2026-06-01", "2026-09-28"),
        ("363", "Teknologidagen", "ACTIVE", "2026-10-01", "2026-11-30"),
    ]


@respx.mock(assert_all_called=False)
def test_weekly_reach_is_linkedins_own_number_per_iso_week_for_campaigns_and_the_account(  # type: ignore[no-untyped-def]
    respx_mock, ads_config, fresh_db
) -> None:
    respx_mock.route(host="api.linkedin.com").mock(side_effect=FakeAds())
    run_sync(ads_config, fresh_db, ["linkedin"], now=NOW, sleep=lambda s: None)
    weeks = fresh_db.execute(
        "SELECT v.subject_type, COALESCE(e.external_id, ''), v.window_start, v.window_end, v.value "
        "FROM metric_values v LEFT JOIN ad_entities e ON e.id = v.subject_id AND v.subject_type = 'ad' "
        "WHERE v.metric = 'approximateMemberReach' AND v.grain = 'week' ORDER BY 1, 2, 3"
    ).fetchall()
    assert weeks == [
        ("account", "", "2026-11-02", "2026-11-08", 7000.0),
        ("account", "", "2026-11-09", "2026-11-15", 7000.0),
        ("ad", "361", "2026-11-02", "2026-11-08", 4006.0),
        ("ad", "361", "2026-11-09", "2026-11-15", 4006.0),
        ("ad", "363", "2026-11-02", "2026-11-08", 4006.0),
        ("ad", "363", "2026-11-09", "2026-11-15", 4006.0),
    ]
    account = fresh_db.execute("SELECT kind, external_id, name FROM accounts").fetchone()
    assert account == ("ads", AD_ACCOUNT, "STEM annonser")


@respx.mock(assert_all_called=False)
def test_whole_flights_carry_their_run_schedule_and_long_ones_get_92_day_reach_windows(  # type: ignore[no-untyped-def]
    respx_mock, ads_config, fresh_db
) -> None:
    fake = FakeAds()
    respx_mock.route(host="api.linkedin.com").mock(side_effect=fake)
    summary = run_sync(ads_config, fresh_db, ["linkedin"], now=NOW, sleep=lambda s: None)[0]
    assert summary.outcome == "ok", summary.error
    flights = fresh_db.execute(
        "SELECT e.external_id, v.grain, v.window_start, v.window_end, v.value "
        "FROM metric_values v JOIN ad_entities e ON e.id = v.subject_id "
        "WHERE v.metric = 'approximateMemberReach' AND v.grain IN ('campaign', 'window') "
        "ORDER BY 1, 3"
    ).fetchall()
    # 362 ended in September, before this sync's 14 days: its whole flight is still stored.
    assert flights == [
        ("361", "campaign", "2026-11-04", "2026-11-15", 4011.0),  # the flight so far
        ("362", "window", "2026-06-01", "2026-08-31", 4091.0),  # 92 days
        ("362", "window", "2026-09-01", "2026-09-28", 4027.0),  # the rest of the flight
        ("363", "campaign", "2026-10-01", "2026-11-15", 4045.0),
    ]
    # The 120-day flight's counts cover the whole flight; LinkedIn gives no reach for it.
    whole = fresh_db.execute(
        "SELECT v.window_start, v.window_end, v.value FROM metric_values v "
        "JOIN ad_entities e ON e.id = v.subject_id WHERE e.external_id = '362' "
        "AND v.metric = 'impressions' AND v.grain = 'campaign'"
    ).fetchall()
    assert whole == [("2026-06-01", "2026-09-28", 120_011.0)]


@respx.mock(assert_all_called=False)
def test_creatives_are_linked_to_the_page_posts_they_sponsor_and_dark_posts_are_not(  # type: ignore[no-untyped-def]
    respx_mock, ads_config, fresh_db
) -> None:
    from datetime import UTC, datetime

    from core.domain import Account, Page, Post
    from db import writes

    org = writes.upsert_account(fresh_db, Account("linkedin", "organization", "1"))
    writes.save_page(
        fresh_db,
        org,
        Page(posts=[Post("linkedin", "urn:li:share:361", datetime(2026, 11, 3, tzinfo=UTC))]),
        source="api",
    )
    respx_mock.route(host="api.linkedin.com").mock(side_effect=FakeAds())
    run_sync(ads_config, fresh_db, ["linkedin"], now=NOW, sleep=lambda s: None)
    creatives = fresh_db.execute(
        "SELECT a.external_id, a.post_external_id, c.external_id FROM ad_entities a "
        "JOIN ad_entities c ON c.id = a.parent_id WHERE a.level = 'ad' AND c.external_id = '361' "
        "ORDER BY 1"
    ).fetchall()
    assert creatives == [("3610", "urn:li:share:361", "361"), ("3611", None, "361")]


@respx.mock(assert_all_called=False)
def test_the_page_apps_token_is_never_used_for_ads(  # type: ignore[no-untyped-def]
    respx_mock, tmp_path, fresh_db, monkeypatch
) -> None:
    monkeypatch.setenv("SOCIAL_LINKEDIN_ACCESS_TOKEN", ADS_TOKEN + "-page")
    monkeypatch.delenv("SOCIAL_LINKEDIN_ADS_ACCESS_TOKEN", raising=False)
    route = respx_mock.route(host="api.linkedin.com").mock(side_effect=FakeAds())
    config = write_config(tmp_path, org="", ads=AD_ACCOUNT)
    summary = run_sync(config, fresh_db, ["linkedin"], now=NOW, sleep=lambda s: None)[0]
    assert summary.outcome == "skipped"
    assert "linkedin --part ads" in (summary.error or "")
    assert "SOCIAL_LINKEDIN_ADS_ACCESS_TOKEN" in (summary.error or "")
    assert not route.called


@respx.mock(assert_all_called=False)
def test_a_response_that_hits_the_15000_element_cap_is_asked_again_in_halves(  # type: ignore[no-untyped-def]
    respx_mock, ads_config, fresh_db
) -> None:
    fake = FakeAds(truncate_over_days=4)
    respx_mock.route(host="api.linkedin.com").mock(side_effect=fake)
    summary = run_sync(ads_config, fresh_db, ["linkedin"], now=NOW, sleep=lambda s: None)[0]
    assert summary.outcome == "ok", summary.error
    daily = [
        (first, last)
        for _, g, first, last, names in fake.requests
        if g == "DAILY" and "impressions" in names
    ]
    nov = [(first.day, last.day) for first, last in daily]
    # 14 days truncated -> halves of 7 (truncated) -> 4 + 3 days, each answered in full
    assert nov == [(2, 15), (2, 8), (2, 5), (6, 8), (9, 15), (9, 12), (13, 15)]
    days = fresh_db.execute(
        "SELECT COUNT(DISTINCT window_start) FROM metric_values "
        "WHERE grain = 'day' AND metric = 'impressions'"
    ).fetchone()[0]
    assert days == 14


@respx.mock(assert_all_called=False)
def test_campaigns_are_listed_with_cursor_paging_and_a_repeated_token_is_a_loop(  # type: ignore[no-untyped-def]
    respx_mock, ads_config, fresh_db
) -> None:
    respx_mock.get(f"https://api.linkedin.com/rest/adAccounts/{AD_ACCOUNT}").mock(
        return_value=httpx.Response(200, json={"name": "x"})
    )
    listing = respx_mock.get(
        f"https://api.linkedin.com/rest/adAccounts/{AD_ACCOUNT}/adCampaigns"
    ).mock(
        side_effect=[
            httpx.Response(
                200,
                json={"elements": [{"id": 1, "name": "a"}], "metadata": {"nextPageToken": "T1"}},
            ),
            httpx.Response(
                200,
                json={"elements": [{"id": 2, "name": "b"}], "metadata": {"nextPageToken": "T1"}},
            ),
        ]
    )
    summary = run_sync(ads_config, fresh_db, ["linkedin"], now=NOW, sleep=lambda s: None)[0]
    assert summary.outcome == "failed"
    assert "adCampaigns returned cursor 'T1' twice" in (summary.error or "")
    assert listing.calls.last.request.url.query.decode() == "q=search&pageSize=100&pageToken=T1"
