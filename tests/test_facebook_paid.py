"""Facebook Marketing API: daily rows vs whole-window reach, request encoding, async report runs."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import httpx
import pytest
import respx
from sqlite_utils import Database

from collectors.auth import TokenSet, TokenStore
from core.config import Config
from db import open_db
from social.sync import SyncSummary, run_sync
from tests.facebook_support import (
    ACT,
    ADS_TOKEN,
    GRAPH,
    NOW,
    PAGE,
    V,
    ads_only_config,
    graph_error,
    write_config,
)


@pytest.fixture
def ads_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Config:
    return ads_only_config(tmp_path, monkeypatch)


CID = "120210000000000101"
FIELDS = "campaign_id,campaign_name,reach,impressions,frequency,clicks,spend,cpm,ctr,actions"


def row(start: date, stop: date, reach: int, impressions: int, **extra: Any) -> dict[str, Any]:
    """An insights row as Meta sends it: every number a string."""
    return {
        "date_start": start.isoformat(),
        "date_stop": stop.isoformat(),
        "reach": str(reach),
        "impressions": str(impressions),
        "frequency": f"{impressions / reach:.6f}",
        "clicks": "51",
        "spend": "533.95",
        "cpm": "14.780001",
        "ctr": "1.141176",
        "actions": [
            {"action_type": "post_engagement", "value": "390"},
            {"action_type": "link_click", "value": "31"},
        ],
        **extra,
    }


def campaign_row(start: date, stop: date, reach: int, impressions: int = 4000) -> dict[str, Any]:
    return row(
        start,
        stop,
        reach,
        impressions,
        campaign_id=CID,
        campaign_name="Lærerløftet – realfag 2025/26",
    )


def rows_for(params: dict[str, str], active: set[date] | None = None) -> list[dict[str, Any]]:
    """Daily rows (reach 3,000 a day), weekly rows (9,000 per campaign, 9,500 account)."""
    window = json.loads(params["time_range"])
    since, until = date.fromisoformat(window["since"]), date.fromisoformat(window["until"])
    if params["time_increment"] == "1":
        days = [since + timedelta(days=i) for i in range((until - since).days + 1)]
        return [campaign_row(d, d, 3000) for d in days if active is None or d in active]
    if params["level"] == "account":
        return [row(since, until, 9500, 28000, account_id=ACT)]
    return [campaign_row(since, until, 9000, 28000)]


def insights(request: httpx.Request) -> httpx.Response:
    return httpx.Response(
        200,
        json={
            "data": rows_for(dict(request.url.params)),
            "paging": {"cursors": {"before": "MAZDZD", "after": "MAZDZD"}},
        },
    )


@pytest.fixture
def graph() -> Iterator[respx.MockRouter]:
    with respx.mock(base_url=GRAPH, assert_all_called=False) as router:
        router.get(f"{V}/act_{ACT}/campaigns", name="campaigns").mock(
            return_value=httpx.Response(
                200,
                json={
                    "data": [
                        {
                            "id": CID,
                            "name": "Lærerløftet – realfag 2025/26",
                            "status": "ACTIVE",
                            "objective": "OUTCOME_TRAFFIC",
                            "start_time": "2026-01-08T09:00:00+0100",
                        }
                    ]
                },
            )
        )
        router.get(f"{V}/act_{ACT}/adsets", name="adsets").mock(
            return_value=httpx.Response(
                200,
                json={
                    "data": [
                        {
                            "id": "555",
                            "name": "Lærere",
                            "campaign_id": CID,
                            "status": "ACTIVE",
                            "start_time": "2026-01-08T09:00:00+0100",
                        }
                    ]
                },
            )
        )
        router.get(f"{V}/act_{ACT}/ads", name="ads").mock(
            return_value=httpx.Response(
                200,
                json={
                    "data": [
                        {
                            "id": "701",
                            "name": "Boost: Realfagsdagen",
                            "adset_id": "555",
                            "status": "ACTIVE",
                            "creative": {"id": "91", "effective_object_story_id": f"{PAGE}_111"},
                        },
                        {
                            "id": "702",
                            "name": "Mørk annonse",
                            "adset_id": "555",
                            "status": "ACTIVE",
                            "creative": {"id": "92", "effective_object_story_id": f"{PAGE}_999"},
                        },
                    ]
                },
            )
        )
        router.get(f"{V}/act_{ACT}/insights", name="insights").mock(side_effect=insights)
        router.get(f"{V}/{CID}/insights", name="flight").mock(
            return_value=httpx.Response(
                200,
                json={"data": [campaign_row(date(2026, 1, 8), date(2026, 1, 19), 20000, 48000)]},
            )
        )
        yield router


def _sync(
    config: Config, progress: list[str] | None = None, sleeps: list[float] | None = None
) -> tuple[SyncSummary, Database]:
    db = open_db(config.database_path)
    summary = run_sync(
        config,
        db,
        ["facebook"],
        now=NOW,
        sleep=(sleeps if sleeps is not None else []).append,
        on_progress=(progress if progress is not None else []).append,
    )[0]
    return summary, db


def test_daily_rows_and_whole_window_reach_are_stored_as_separate_windows(
    graph: respx.MockRouter, ads_only: Config
) -> None:
    summary, db = _sync(ads_only)
    assert summary.outcome == "ok", summary.error
    daily = db.execute(
        "SELECT COUNT(*), SUM(value) FROM metric_values WHERE metric = 'reach' AND grain = 'day'"
    ).fetchone()
    assert daily == (14, 14 * 3000.0)  # 6..19 January; strings parsed to numbers
    windows = db.execute(
        "SELECT subject_type, grain, window_start, window_end, value FROM metric_values "
        "WHERE metric = 'reach' AND grain != 'day' ORDER BY grain, subject_type, window_start"
    ).fetchall()
    assert windows == [
        ("ad", "campaign", "2026-01-08", "2026-01-19", 20000.0),
        ("account", "week", "2026-01-05", "2026-01-11", 9500.0),
        ("account", "week", "2026-01-12", "2026-01-18", 9500.0),
        ("ad", "week", "2026-01-05", "2026-01-11", 9000.0),
        ("ad", "week", "2026-01-12", "2026-01-18", 9000.0),
    ]
    # Honest reach: the flight's own number, far below the sum of its 12 daily reaches.
    flight_days = db.execute(
        "SELECT SUM(value) FROM metric_values WHERE metric = 'reach' "
        "AND grain = 'day' AND window_start >= '2026-01-08'"
    ).fetchone()[0]
    assert flight_days > 20000
    origins = {o for (o,) in db.execute("SELECT DISTINCT origin FROM metric_values")}
    assert origins == {"paid"}
    links = db.execute(
        "SELECT SUM(value) FROM metric_values WHERE metric = 'link_click' AND grain = 'day'"
    ).fetchone()[0]
    assert links == 14 * 31.0  # link_click picked from actions, post_engagement not stored
    entity = db.execute(
        "SELECT level, external_id, name, objective, start_date, end_date FROM ad_entities "
        "WHERE level = 'campaign'"
    ).fetchall()
    assert entity == [
        ("campaign", CID, "Lærerløftet – realfag 2025/26", "OUTCOME_TRAFFIC", "2026-01-08", None)
    ]


def test_an_ad_is_linked_to_the_boosted_page_post_and_a_dark_post_is_not(
    graph: respx.MockRouter, ads_only: Config
) -> None:
    from core.domain import Account, Page, Post
    from db import writes

    db = open_db(ads_only.database_path)
    page = writes.upsert_account(db, Account("facebook", "page", PAGE))
    writes.save_page(
        db,
        page,
        Page(posts=[Post("facebook", f"{PAGE}_111", datetime(2026, 1, 7, 10, tzinfo=UTC))]),
        source="api",
    )
    summary, db = _sync(ads_only)
    assert summary.outcome == "ok", summary.error
    ads = db.execute(
        "SELECT a.external_id, a.post_external_id, s.external_id, s.level FROM ad_entities a "
        "JOIN ad_entities s ON s.id = a.parent_id WHERE a.level = 'ad' ORDER BY 1"
    ).fetchall()
    assert ads == [("701", f"{PAGE}_111", "555", "adgroup"), ("702", None, "555", "adgroup")]
    fields = graph.routes["ads"].calls.last.request.url.params["fields"]
    assert "creative{effective_object_story_id}" in fields


def test_a_flight_older_than_37_months_starts_where_meta_still_serves_it(
    graph: respx.MockRouter, ads_only: Config
) -> None:
    graph.routes["campaigns"].mock(
        return_value=httpx.Response(
            200,
            json={
                "data": [{"id": CID, "name": "Gammel", "start_time": "2022-09-01T09:00:00+0200"}]
            },
        )
    )

    def refuse_old(request: httpx.Request) -> httpx.Response:
        since = json.loads(request.url.params["time_range"])["since"]
        if since < "2022-12-21":  # Meta: at most 37 months before 2026-01-20
            return graph_error(
                3018,
                "The start date of the time range cannot be beyond 37 months from the current date",
            )
        return httpx.Response(
            200, json={"data": [campaign_row(date(2022, 12, 21), date(2026, 1, 19), 70000)]}
        )

    graph.routes["flight"].mock(side_effect=refuse_old)
    summary, db = _sync(ads_only)
    assert summary.outcome == "ok", summary.error
    assert db.execute(
        "SELECT window_start, window_end, value FROM metric_values "
        "WHERE grain = 'campaign' AND metric = 'reach'"
    ).fetchone() == ("2022-12-21", "2026-01-19", 70000.0)
    assert any("Meta serves ads insights from 2022-12-21 only" in w for w in summary.warnings)


def test_meta_refusing_a_range_as_too_old_is_one_clear_line(
    graph: respx.MockRouter, ads_only: Config
) -> None:
    graph.routes["insights"].mock(
        return_value=graph_error(
            3018,
            "The start date of the time range cannot be beyond 37 months from the current date",
        )
    )
    summary, _ = _sync(ads_only)
    assert summary.outcome == "failed"
    assert "more than 37 months ago" in (summary.error or "")
    assert "\n" not in (summary.error or "")


def test_an_ended_and_settled_flight_is_stored_once_and_not_asked_for_again(
    graph: respx.MockRouter, ads_only: Config
) -> None:
    graph.routes["campaigns"].mock(
        return_value=httpx.Response(
            200,
            json={
                "data": [
                    {
                        "id": CID,
                        "name": "Ferdig",
                        "start_time": "2025-11-03T08:00:00+0100",
                        "stop_time": "2025-12-20T23:59:00+0100",
                    }
                ]
            },
        )
    )
    first, db = _sync(ads_only)
    assert first.outcome == "ok", first.error
    assert graph.routes["flight"].call_count == 1
    flight = graph.routes["flight"].calls.last.request.url.params["time_range"]
    assert flight == '{"since":"2025-11-03","until":"2025-12-20"}'
    _sync(ads_only)
    assert graph.routes["flight"].call_count == 1  # final: not asked again


def test_requests_carry_time_range_json_increment_and_fields(
    graph: respx.MockRouter, ads_only: Config
) -> None:
    summary, _ = _sync(ads_only)
    assert summary.outcome == "ok", summary.error
    sent = [c.request for c in graph.routes["insights"].calls]
    first = sent[0].url.params
    assert first["time_range"] == '{"since":"2026-01-06","until":"2026-01-19"}'
    assert (first["level"], first["time_increment"], first["fields"]) == ("campaign", "1", FIELDS)
    assert "time_range=%7B%22since%22%3A%222026-01-06%22" in str(sent[0].url)  # JSON, URL-encoded
    weekly = [
        (r.url.params["level"], r.url.params["time_range"], r.url.params["time_increment"])
        for r in sent[1:]
    ]
    assert weekly == [
        ("campaign", '{"since":"2026-01-05","until":"2026-01-11"}', "all_days"),
        ("account", '{"since":"2026-01-05","until":"2026-01-11"}', "all_days"),
        ("campaign", '{"since":"2026-01-12","until":"2026-01-18"}', "all_days"),
        ("account", '{"since":"2026-01-12","until":"2026-01-18"}', "all_days"),
    ]
    flight = graph.routes["flight"].calls.last.request.url.params
    assert flight["time_range"] == '{"since":"2026-01-08","until":"2026-01-19"}'
    assert flight["time_increment"] == "all_days"
    assert all(r.headers["Authorization"] == f"Bearer {ADS_TOKEN}" for r in sent)


def _async_routes(graph: respx.MockRouter, statuses: list[tuple[str, int]]) -> None:
    graph.post(f"{V}/act_{ACT}/insights", name="start").mock(
        return_value=httpx.Response(200, json={"report_run_id": "6200000000001"})
    )
    graph.get(f"{V}/6200000000001", name="poll").mock(
        side_effect=[
            httpx.Response(
                200,
                json={
                    "id": "6200000000001",
                    "async_status": status,
                    "async_percent_completion": percent,
                },
            )
            for status, percent in statuses
        ]
    )
    active = {date(2025, 12, 1), date(2025, 12, 2), date(2026, 1, 19)}
    day_rows = rows_for(
        {
            "time_range": '{"since":"2025-07-03","until":"2026-01-19"}',
            "time_increment": "1",
            "level": "campaign",
        },
        active,
    )
    graph.get(f"{V}/6200000000001/insights", name="read").mock(
        side_effect=[
            httpx.Response(
                200,
                json={
                    "data": day_rows[:2],
                    "paging": {
                        "cursors": {"after": "QVFI1"},
                        "next": f"{GRAPH}{V}/6200000000001/insights?after=QVFI1",
                    },
                },
            ),
            httpx.Response(
                200, json={"data": day_rows[2:], "paging": {"cursors": {"after": "QVFI2"}}}
            ),
        ]
    )


@pytest.fixture
def long_range(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Config:
    monkeypatch.setenv("SOCIAL_FACEBOOK_ADS_TOKEN", ADS_TOKEN)
    return write_config(tmp_path, f'ad_account_ids = ["{ACT}"]', "backfill_days = 200")


def test_long_ranges_run_as_async_reports_polled_with_progress(
    graph: respx.MockRouter, long_range: Config
) -> None:
    _async_routes(graph, [("Job Running", 42), ("Job Completed", 100)])
    progress: list[str] = []
    sleeps: list[float] = []
    summary, db = _sync(long_range, progress, sleeps)
    assert summary.outcome == "ok", summary.error
    form = dict(parse_qsl(graph.routes["start"].calls.last.request.content.decode()))
    assert form["time_range"] == '{"since":"2025-07-04","until":"2026-01-19"}'
    assert (form["time_increment"], form["level"], form["fields"]) == ("1", "campaign", FIELDS)
    assert "limit" not in form  # paging belongs to the read, not the report definition
    assert graph.routes["read"].calls[0].request.url.params["limit"] == "500"
    assert graph.routes["poll"].call_count == 2
    assert graph.routes["read"].calls[1].request.url.params["after"] == "QVFI1"
    assert any("Job Running (42 %)" in p for p in progress)
    assert sleeps == [2.0]  # one wait between the two polls
    assert (
        db.execute(
            "SELECT COUNT(*) FROM metric_values WHERE grain = 'day' AND metric = 'impressions'"
        ).fetchone()[0]
        == 3
    )
    # Weekly reach only for complete weeks with impressions (1-2 Dec), plus the first week,
    # which starts before the collected range; 19 Jan (a Monday) starts an incomplete week.
    weeks = [
        json.loads(c.request.url.params["time_range"])["since"]
        for c in graph.routes["insights"].calls
        if c.request.url.params["level"] == "campaign"
    ]
    assert weeks == ["2025-06-30", "2025-12-01"]


@pytest.mark.parametrize("status", ["Job Failed", "Job Skipped"])
def test_a_failed_report_run_is_a_clear_error(
    graph: respx.MockRouter, long_range: Config, status: str
) -> None:
    _async_routes(graph, [("Job Running", 10), (status, 10)])
    summary, db = _sync(long_range)
    assert summary.outcome == "failed"
    assert f"ended with '{status}'" in (summary.error or "")
    assert "run the sync again" in (summary.error or "")
    assert graph.routes["read"].call_count == 0


def test_a_query_meta_finds_too_large_is_rerun_async(
    graph: respx.MockRouter, ads_only: Config
) -> None:
    _async_routes(graph, [("Job Completed", 100)])

    def too_large(request: httpx.Request) -> httpx.Response:
        if request.url.params["time_increment"] == "1":
            return graph_error(
                1,
                "Please reduce the amount of data you're asking for, then retry your request",
                subcode=99,
                status=500,
            )
        return insights(request)

    graph.routes["insights"].mock(side_effect=too_large)
    summary, _ = _sync(ads_only)
    assert summary.outcome == "ok", summary.error
    assert graph.routes["start"].call_count == 1
    assert (
        sum(c.request.url.params["time_increment"] == "1" for c in graph.routes["insights"].calls)
        == 1
    )  # not retried synchronously


def test_the_ads_token_expiry_is_warned_about_two_weeks_ahead(
    graph: respx.MockRouter, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOCIAL_FACEBOOK_ADS_TOKEN", raising=False)
    config = write_config(tmp_path, f'ad_account_ids = ["{ACT}"]', "backfill_days = 14")
    # The token file holds an absolute time and the warning uses the real clock.
    expires = (datetime.now(UTC) + timedelta(days=5)).strftime("%Y-%m-%dT%H:%M:%SZ")
    TokenStore(config.token_file).save("facebook_ads", TokenSet(ADS_TOKEN, expires_at=expires))
    summary, _ = _sync(config)
    assert summary.outcome == "ok", summary.error
    assert any(
        "ads (long-lived user) token expires in" in w and "social auth facebook --user-token" in w
        for w in summary.warnings
    )


def test_missing_ads_token_is_a_clear_skip(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOCIAL_FACEBOOK_ADS_TOKEN", raising=False)
    config = write_config(tmp_path, f'ad_account_ids = ["{ACT}"]')
    summary, _ = _sync(config)
    assert summary.outcome == "skipped"
    assert "SOCIAL_FACEBOOK_ADS_TOKEN" in (summary.error or "")
