"""TikTok business account and Marketing API: envelopes, string numbers, honest windows."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import httpx
import pytest
import respx

from social.sync import run_sync
from tests.tiktok_support import BUSINESS, business_envelope, write_config

NOW = datetime(2026, 1, 20, 6, 0, tzinfo=UTC)  # local today 2026-01-20, yesterday the 19th


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


def _report(rows: list, page: int = 1, total_page: int = 1) -> httpx.Response:  # type: ignore[type-arg]
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


@pytest.fixture
def ads_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.delenv("SOCIAL_TIKTOK_ACCESS_TOKEN", raising=False)
    monkeypatch.setenv("SOCIAL_TIKTOK_ADS_TOKEN", "ads-secret-token-456")
    return write_config(tmp_path, 'advertiser_ids = ["7000"]\n[sync]\nbackfill_days = 14')


def _report_handler(request: httpx.Request) -> httpx.Response:
    params = request.url.params
    dims = json.loads(params["dimensions"])
    if params.get("query_lifetime") == "true":
        return _report(
            [_row({"campaign_id": "1780000000000001"}, reach="9000", impressions="30000")]
        )
    if "stat_time_day" in dims:
        start = date.fromisoformat(params["start_date"])
        end = date.fromisoformat(params["end_date"])
        assert (end - start).days < 30
        rows = [
            _row(
                {
                    "campaign_id": "1780000000000001",
                    "stat_time_day": f"{date.fromordinal(d).isoformat()} 00:00:00",
                }
            )
            for d in range(start.toordinal(), end.toordinal() + 1)
        ]
        return _report(rows)
    if dims == ["advertiser_id"]:
        return _report([_row({"advertiser_id": "7000"}, reach="12000", impressions="32872")])
    return _report([_row({"campaign_id": "1780000000000001"}, reach="11000", impressions="32872")])


def _campaigns() -> httpx.Response:
    return business_envelope(
        {
            "list": [
                {
                    "campaign_id": "1780000000000001",
                    "campaign_name": "Velg realfag vår 2026",
                    "objective_type": "REACH",
                    "operation_status": "ENABLE",
                }
            ],
            "page_info": {"page": 1, "page_size": 100, "total_page": 1, "total_number": 1},
        }
    )


@respx.mock(base_url=BUSINESS, assert_all_called=False)
def test_daily_rows_and_true_weekly_reach_are_stored_as_separate_windows(
    respx_mock, ads_config, fresh_db
):  # type: ignore[no-untyped-def]
    respx_mock.get("/campaign/get/").mock(return_value=_campaigns())
    report = respx_mock.get("/report/integrated/get/").mock(side_effect=_report_handler)
    summary = run_sync(ads_config, fresh_db, ["tiktok"], now=NOW, sleep=lambda s: None)[0]
    assert summary.outcome == "ok", summary.error
    assert report.calls.last.request.headers["Access-Token"] == "ads-secret-token-456"
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
    lifetime = fresh_db.execute(
        "SELECT value FROM metric_values WHERE metric='reach' AND grain='campaign'"
    ).fetchone()
    assert lifetime[0] == 9000
    name = fresh_db.execute("SELECT name FROM ad_entities WHERE level='campaign'").fetchone()[0]
    assert name == "Velg realfag vår 2026"


@respx.mock(base_url=BUSINESS, assert_all_called=False)
def test_body_level_rate_limit_and_maintenance_are_retried(respx_mock, ads_config, fresh_db):  # type: ignore[no-untyped-def]
    respx_mock.get("/campaign/get/").mock(
        side_effect=[
            business_envelope({}, code=40100, message="Too many requests"),
            business_envelope({}, code=60001, message="System maintenance"),
            _campaigns(),
        ]
    )
    respx_mock.get("/report/integrated/get/").mock(side_effect=_report_handler)
    slept: list[float] = []
    summary = run_sync(ads_config, fresh_db, ["tiktok"], now=NOW, sleep=slept.append)[0]
    assert summary.outcome == "ok", summary.error
    assert len(slept) == 2 and slept[1] > 0


@respx.mock(base_url=BUSINESS, assert_all_called=False)
def test_an_http_200_error_envelope_for_a_bad_token_is_fatal_and_clear(
    respx_mock, ads_config, fresh_db
):  # type: ignore[no-untyped-def]
    respx_mock.get("/campaign/get/").mock(
        return_value=business_envelope(
            {}, code=40105, message="Access token is incorrect or has been revoked."
        )
    )
    summary = run_sync(ads_config, fresh_db, ["tiktok"], now=NOW, sleep=lambda s: None)[0]
    assert summary.outcome == "failed"
    assert "code 40105" in summary.error and "SOCIAL_TIKTOK_ADS_TOKEN" in summary.error
    assert "ads-secret-token-456" not in summary.error


@respx.mock(base_url=BUSINESS, assert_all_called=False)
def test_a_second_sync_recollects_only_the_trailing_window(respx_mock, ads_config, fresh_db):  # type: ignore[no-untyped-def]
    respx_mock.get("/campaign/get/").mock(return_value=_campaigns())
    report = respx_mock.get("/report/integrated/get/").mock(side_effect=_report_handler)
    run_sync(ads_config, fresh_db, ["tiktok"], now=NOW, sleep=lambda s: None)
    before = fresh_db["metric_values"].count
    report.reset()
    run_sync(
        ads_config,
        fresh_db,
        ["tiktok"],
        now=datetime(2026, 1, 21, 6, tzinfo=UTC),
        sleep=lambda s: None,
    )
    daily = [
        c.request.url.params
        for c in report.calls
        if "stat_time_day" in c.request.url.params["dimensions"]
    ]
    assert [(p["start_date"], p["end_date"]) for p in daily] == [("2026-01-12", "2026-01-20")]
    assert fresh_db["metric_values"].count > before  # one new day (and its week rows)
