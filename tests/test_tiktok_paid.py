"""TikTok Marketing API: envelopes, string numbers, honest windows, flights, Spark Ads, retries."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx

from social.sync import run_sync
from tests.tiktok_support import business_envelope, write_config

NOW = datetime(2026, 1, 20, 6, 0, tzinfo=UTC)  # local today 2026-01-20, yesterday the 19th
ADS_TOKEN = "ads-secret-token-456"
CAMPAIGN = "1780000000000001"


def _row(dims: dict, reach: str = "3822", impressions: str = "4696") -> dict:  # type: ignore[type-arg]
    return {
        "dimensions": dims,
        "metrics": {
            "spend": "20.00",
            "impressions": impressions,
            "reach": reach,
            "frequency": "1.23",
            "clicks": "51",
            "ctr": "1.09",
            "cpm": "4.26",
            "video_play_actions": 4179,
        },
    }


def _listing(rows: list, page: int = 1, total_page: int = 1) -> httpx.Response:  # type: ignore[type-arg]
    return business_envelope(
        {
            "list": rows,
            "page_info": {
                "page": page,
                "page_size": 1000,
                "total_page": total_page,
                "total_number": len(rows),
            },
        }
    )


class MarketingApi:
    """A fake Marketing API that refuses what TikTok refuses (the wrong token, >30-day days)."""

    def __init__(self, adgroups: list[dict[str, Any]] | None = None) -> None:
        self.adgroups = adgroups or [
            {
                "adgroup_id": "1800000000000000",
                "campaign_id": CAMPAIGN,
                "adgroup_name": "Bred",
                "schedule_type": "SCHEDULE_START_END",
                # Oslo 2026-01-05 00:00 and 2026-01-25 23:59:59, as TikTok gives them: UTC+0.
                "schedule_start_time": "2026-01-04 23:00:00",
                "schedule_end_time": "2026-01-25 22:59:59",
            }
        ]
        self.faults: list[httpx.Response] = []

    def handle(self, request: httpx.Request) -> httpx.Response:
        if request.headers.get("Access-Token") != ADS_TOKEN:
            return business_envelope({}, 40105, "Access token is incorrect or has been revoked.")
        if self.faults:
            return self.faults.pop(0)
        path = request.url.path.split("/open_api/v1.3", 1)[-1]
        params = request.url.params
        if path == "/advertiser/info/":
            return business_envelope(
                {"list": [{"advertiser_id": "7000", "display_timezone": "Europe/Oslo"}]}
            )
        if path == "/campaign/get/":
            return _listing(
                [
                    {
                        "campaign_id": CAMPAIGN,
                        "campaign_name": "Velg realfag vår 2026",
                        "objective_type": "REACH",
                        "operation_status": "ENABLE",
                    }
                ]
            )
        if path == "/adgroup/get/":
            assert "schedule_start_time" in json.loads(params["fields"])
            return _listing(self.adgroups)
        if path == "/ad/get/":
            return _listing(
                [
                    {
                        "ad_id": "91",
                        "adgroup_id": "1800000000000000",
                        "ad_name": "Spark",
                        "identity_type": "TT_USER",
                        "tiktok_item_id": "7311111111111111111",
                    },
                    {
                        "ad_id": "92",
                        "adgroup_id": "1800000000000000",
                        "ad_name": "Annonsevideo",
                        "identity_type": "CUSTOMIZED_USER",
                        "tiktok_item_id": "",
                    },
                ]
            )
        if path == "/report/integrated/get/":
            return self.report(params)
        return business_envelope({}, 40002, f"unknown path {path}")

    def report(self, params: httpx.QueryParams) -> httpx.Response:
        dims = json.loads(params["dimensions"])
        if params.get("query_lifetime") == "true":
            return _listing([_row({"campaign_id": CAMPAIGN}, reach="9999", impressions="99999")])
        start = date.fromisoformat(params["start_date"])
        end = date.fromisoformat(params["end_date"])
        if "stat_time_day" in dims:
            if (end - start).days >= 30:
                return business_envelope(
                    {}, 40002, "The time span with stat_time_day can't exceed 30 days"
                )
            return _listing(
                [
                    _row({"campaign_id": CAMPAIGN, "stat_time_day": f"{d.isoformat()} 00:00:00"})
                    for d in (start + timedelta(days=i) for i in range((end - start).days + 1))
                ]
            )
        if dims == ["advertiser_id"]:
            return _listing([_row({"advertiser_id": "7000"}, reach="12000", impressions="32872")])
        reach = "9000" if (start, end) == (date(2026, 1, 5), date(2026, 1, 19)) else "11000"
        return _listing([_row({"campaign_id": CAMPAIGN}, reach=reach, impressions="32872")])


@pytest.fixture
def ads_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.delenv("SOCIAL_TIKTOK_ACCESS_TOKEN", raising=False)
    monkeypatch.delenv("SOCIAL_TIKTOK_BUSINESS_TOKEN", raising=False)
    monkeypatch.setenv("SOCIAL_TIKTOK_ADS_TOKEN", ADS_TOKEN)
    return write_config(tmp_path, 'advertiser_ids = ["7000"]\n[sync]\nbackfill_days = 14')


@pytest.fixture
def api(respx_mock: respx.MockRouter) -> MarketingApi:
    fake = MarketingApi()
    respx_mock.route(host="business-api.tiktok.com").mock(side_effect=fake.handle)
    return fake


def _reports(respx_mock: respx.MockRouter) -> list[httpx.QueryParams]:
    return [c.request.url.params for c in respx_mock.calls if "report" in c.request.url.path]


def test_daily_rows_and_true_weekly_reach_are_stored_as_separate_windows(
    respx_mock, api, ads_config, fresh_db
):  # type: ignore[no-untyped-def]
    summary = run_sync(ads_config, fresh_db, ["tiktok"], now=NOW, sleep=lambda s: None)[0]
    assert summary.outcome == "ok", summary.error
    daily = fresh_db.execute(
        "SELECT COUNT(*), SUM(value) FROM metric_values WHERE metric='reach' AND grain='day'"
    ).fetchone()
    assert daily == (14, 14 * 3822)  # 2026-01-06 .. 2026-01-19, strings parsed to numbers
    weeks = fresh_db.execute(
        "SELECT subject_type, window_start, window_end, value FROM metric_values "
        "WHERE metric='reach' AND grain='week' ORDER BY subject_type, window_start"
    ).fetchall()
    assert weeks == [
        ("account", "2026-01-05", "2026-01-11", 12000.0),
        ("account", "2026-01-12", "2026-01-18", 12000.0),
        ("ad", "2026-01-05", "2026-01-11", 11000.0),
        ("ad", "2026-01-12", "2026-01-18", 11000.0),
    ]
    name = fresh_db.execute("SELECT name FROM ad_entities WHERE level='campaign'").fetchone()[0]
    assert name == "Velg realfag vår 2026"


def test_a_campaigns_whole_flight_values_carry_the_flight_from_its_ad_groups(
    respx_mock, api, ads_config, fresh_db
):  # type: ignore[no-untyped-def]
    run_sync(ads_config, fresh_db, ["tiktok"], now=NOW, sleep=lambda s: None)
    flight = fresh_db.execute(
        "SELECT start_date, end_date FROM ad_entities WHERE level = 'campaign'"
    ).fetchone()
    assert flight == ("2026-01-05", "2026-01-25")  # UTC schedule times read in Oslo time
    whole = fresh_db.execute(
        "SELECT window_start, window_end, value, origin FROM metric_values "
        "WHERE metric = 'reach' AND grain = 'campaign'"
    ).fetchall()
    # Still running: the window ends yesterday, and its reach is TikTok's for that window.
    assert whole == [("2026-01-05", "2026-01-19", 9000.0, "paid")]
    asked = [
        p
        for p in _reports(respx_mock)
        if p.get("start_date") == "2026-01-05" and p.get("end_date") == "2026-01-19"
    ]
    assert asked and all("stat_time_day" not in p["dimensions"] for p in asked)


def test_a_spark_ad_is_linked_to_its_video_and_another_ad_is_not(
    respx_mock, api, ads_config, fresh_db
):  # type: ignore[no-untyped-def]
    run_sync(ads_config, fresh_db, ["tiktok"], now=NOW, sleep=lambda s: None)
    ads = fresh_db.execute(
        "SELECT a.external_id, a.post_external_id, g.external_id FROM ad_entities a "
        "JOIN ad_entities g ON g.id = a.parent_id WHERE a.level = 'ad' ORDER BY 1"
    ).fetchall()
    assert ads == [
        ("91", "7311111111111111111", "1800000000000000"),
        ("92", None, "1800000000000000"),
    ]


def test_an_open_ended_ad_group_leaves_the_flight_open_and_ends_the_window_yesterday(
    respx_mock, ads_config, fresh_db
):  # type: ignore[no-untyped-def]
    fake = MarketingApi(
        [
            {
                "adgroup_id": "1",
                "campaign_id": CAMPAIGN,
                "schedule_type": "SCHEDULE_FROM_NOW",
                "schedule_start_time": "2026-01-04 23:00:00",
                "schedule_end_time": "2036-01-04 23:00:00",
            }
        ]
    )
    respx_mock.route(host="business-api.tiktok.com").mock(side_effect=fake.handle)
    run_sync(ads_config, fresh_db, ["tiktok"], now=NOW, sleep=lambda s: None)
    assert fresh_db.execute(
        "SELECT start_date, end_date FROM ad_entities WHERE level = 'campaign'"
    ).fetchone() == ("2026-01-05", None)
    assert fresh_db.execute(
        "SELECT window_start, window_end FROM metric_values WHERE grain = 'campaign' LIMIT 1"
    ).fetchone() == ("2026-01-05", "2026-01-19")


def test_a_finished_and_settled_flight_is_not_asked_for_again(
    respx_mock, api, ads_config, fresh_db
):  # type: ignore[no-untyped-def]
    later = datetime(2026, 2, 10, 6, tzinfo=UTC)
    run_sync(ads_config, fresh_db, ["tiktok"], now=later, sleep=lambda s: None)
    assert fresh_db.execute(
        "SELECT window_start, window_end FROM metric_values WHERE grain = 'campaign' LIMIT 1"
    ).fetchone() == ("2026-01-05", "2026-01-25")
    respx_mock.reset()
    run_sync(ads_config, fresh_db, ["tiktok"], now=later + timedelta(days=1), sleep=lambda s: None)
    flights = [p for p in _reports(respx_mock) if p.get("start_date") == "2026-01-05"]
    assert flights == []


def test_body_level_rate_limits_and_maintenance_are_retried_with_backoff(
    respx_mock, api, ads_config, fresh_db
):  # type: ignore[no-untyped-def]
    throttled = (
        json.loads(
            (
                Path(__file__).resolve().parents[2]
                / "shared/real-samples/api/tiktok_error_40133_airbyte.json"
            ).read_text()
        )
        if (Path(__file__).resolve().parents[2] / "shared/real-samples/api").exists()
        else {
            "code": 40133,
            "message": "Advertiser (1)'s QPS (21) reaches QPS limit 20",
            "data": {},
        }
    )
    api.faults = [
        business_envelope({}, code=40100, message="Too many requests"),
        httpx.Response(200, json=throttled),
        business_envelope({}, code=60001, message="System maintenance"),
    ]
    slept: list[float] = []
    summary = run_sync(ads_config, fresh_db, ["tiktok"], now=NOW, sleep=slept.append)[0]
    assert summary.outcome == "ok", summary.error
    assert len(slept) == 3 and all(s > 0 for s in slept)
    assert slept[1] > slept[0] / 2  # exponential backoff, not a fixed pause


def test_a_query_tiktok_finds_too_large_is_split_in_halves(respx_mock, api, ads_config, fresh_db):  # type: ignore[no-untyped-def]
    too_large = business_envelope(
        {},
        code=40067,
        message="Your query is too large, please reduce the query size (e.g. fewer metrics or "
        "time range) and retry after a while.",
    )
    handle = api.handle

    def refuse_long_days(request: httpx.Request) -> httpx.Response:
        params = request.url.params
        if "stat_time_day" in params.get("dimensions", ""):
            span = date.fromisoformat(params["end_date"]) - date.fromisoformat(params["start_date"])
            if span.days > 3:
                return too_large
        return handle(request)

    respx_mock.route(host="business-api.tiktok.com").mock(side_effect=refuse_long_days)
    summary = run_sync(ads_config, fresh_db, ["tiktok"], now=NOW, sleep=lambda s: None)[0]
    assert summary.outcome == "ok", summary.error
    ranges = [
        (p["start_date"], p["end_date"])
        for p in _reports(respx_mock)
        if "stat_time_day" in p["dimensions"]
    ]
    assert ranges[0] == ("2026-01-06", "2026-01-19")  # refused, then halves
    assert ("2026-01-06", "2026-01-12") in ranges and ("2026-01-13", "2026-01-19") in ranges
    assert (
        fresh_db.execute(
            "SELECT COUNT(DISTINCT window_start) FROM metric_values WHERE grain = 'day'"
        ).fetchone()[0]
        == 14
    )


def test_a_single_day_still_too_large_stops_tiktok_with_a_clear_line(
    respx_mock, api, ads_config, fresh_db
):  # type: ignore[no-untyped-def]
    handle = api.handle

    def always_too_large(request: httpx.Request) -> httpx.Response:
        if "stat_time_day" in request.url.params.get("dimensions", ""):
            return business_envelope({}, code=40067, message="Your query is too large")
        return handle(request)

    respx_mock.route(host="business-api.tiktok.com").mock(side_effect=always_too_large)
    summary = run_sync(ads_config, fresh_db, ["tiktok"], now=NOW, sleep=lambda s: None)[0]
    assert summary.outcome == "failed"
    assert "code 40067" in summary.error and "run the sync again later" in summary.error
    assert "\n" not in summary.error


def test_a_tiktok_system_error_is_retried_then_reported_with_a_fix(
    respx_mock, api, ads_config, fresh_db
):  # type: ignore[no-untyped-def]
    api.faults = [business_envelope({}, code=50002, message="System error")] * 50
    slept: list[float] = []
    summary = run_sync(ads_config, fresh_db, ["tiktok"], now=NOW, sleep=slept.append)[0]
    assert summary.outcome == "failed"
    # advertiser/info gives up after sync.max_retries (the zone falls back with a warning),
    # then campaign/get does too and stops TikTok.
    assert len(slept) == 10
    assert "code 50002" in summary.error and "run the sync again later" in summary.error


def test_an_http_200_error_envelope_for_a_bad_token_is_fatal_and_clear(
    respx_mock, ads_config, fresh_db, monkeypatch
):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("SOCIAL_TIKTOK_ADS_TOKEN", "revoked-token-789")
    respx_mock.route(host="business-api.tiktok.com").mock(side_effect=MarketingApi().handle)
    summary = run_sync(ads_config, fresh_db, ["tiktok"], now=NOW, sleep=lambda s: None)[0]
    assert summary.outcome == "failed"
    assert "code 40105" in summary.error and "SOCIAL_TIKTOK_ADS_TOKEN" in summary.error
    assert "revoked-token-789" not in summary.error


def test_the_business_token_is_never_sent_to_the_marketing_api(
    respx_mock, tmp_path, fresh_db, monkeypatch
):  # type: ignore[no-untyped-def]
    monkeypatch.delenv("SOCIAL_TIKTOK_ACCESS_TOKEN", raising=False)
    monkeypatch.delenv("SOCIAL_TIKTOK_ADS_TOKEN", raising=False)
    monkeypatch.delenv("SOCIAL_TIKTOK_BUSINESS_REFRESH_TOKEN", raising=False)
    monkeypatch.setenv("SOCIAL_TIKTOK_BUSINESS_TOKEN", "business-token-abc")
    config = write_config(tmp_path, 'business_id = "77"\nadvertiser_ids = ["7000"]')
    business = respx_mock.route(
        host="business-api.tiktok.com", path__startswith="/open_api/v1.3/business/"
    )
    business.mock(return_value=business_envelope({"metrics": [], "videos": [], "has_more": False}))
    marketing = respx_mock.route(host="business-api.tiktok.com").mock(
        side_effect=MarketingApi().handle
    )
    summary = run_sync(config, fresh_db, ["tiktok"], now=NOW, sleep=lambda s: None)[0]
    assert summary.outcome == "ok", summary.error
    assert business.called and not marketing.called
    assert any(
        "SOCIAL_TIKTOK_ADS_TOKEN" in w and "paid stats were skipped" in w for w in summary.warnings
    )


def test_a_second_sync_recollects_only_the_trailing_window(respx_mock, api, ads_config, fresh_db):  # type: ignore[no-untyped-def]
    run_sync(ads_config, fresh_db, ["tiktok"], now=NOW, sleep=lambda s: None)
    before = fresh_db["metric_values"].count
    respx_mock.reset()
    run_sync(
        ads_config,
        fresh_db,
        ["tiktok"],
        now=datetime(2026, 1, 21, 6, tzinfo=UTC),
        sleep=lambda s: None,
    )
    daily = [p for p in _reports(respx_mock) if "stat_time_day" in p["dimensions"]]
    assert [(p["start_date"], p["end_date"]) for p in daily] == [("2026-01-12", "2026-01-20")]
    assert fresh_db["metric_values"].count > before  # one new day (and its week rows)
