"""TikTok business account: 60 UTC days of account metrics, follower levels, video metrics.

The fake Accounts API refuses what TikTok documents it refuses: a start date
more than 60 days back (UTC), fields outside the documented lists, and
`business_id`s other than the token's.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx

from collectors.tiktok.business import VIDEO_FIELDS, shares
from social.sync import run_sync
from tests.tiktok_support import business_envelope, write_config

HOST = "business-api.tiktok.com"

# 00:30 on 1 January in Oslo is still 31 December in UTC: TikTok's days are UTC days.
NOW = datetime(2025, 12, 31, 23, 30, tzinfo=UTC)
UTC_TODAY = date(2025, 12, 31)
DOCUMENTED_DAY_FIELDS = {
    "followers_count",
    "daily_total_followers",
    "daily_new_followers",
    "daily_lost_followers",
    "video_views",
    "unique_video_views",
    "profile_views",
    "likes",
    "comments",
    "shares",
}


def _video(vid: str, created: datetime, **extra: Any) -> dict[str, Any]:
    return {
        "item_id": vid,
        "create_time": int(created.timestamp()),
        "caption": "Eksamenstips #eksamen",
        "share_url": f"https://www.tiktok.com/@stemutdanning/video/{vid}",
        "video_duration": 31.0,
        "video_views": "15230",
        "reach": 11890,
        "likes": 812,
        "comments": 41,
        "shares": 19,
        "total_time_watched": 94_639.2,
        "average_time_watched": 6.214,
        "full_video_watched_rate": 0.21,
        "impression_sources": [
            {"impression_source": "For You", "percentage": 0.51},
            {"impression_source": "Search", "percentage": 0.42},
            {"impression_source": "Follow", "percentage": 0.07},
        ],
        "audience_types": [
            {"type": "NEW_VIEWER", "percentage": 0.9},
            {"type": "RETURN_VIEWER", "percentage": 0.1},
        ],
        "video_view_retention": [{"second": s, "percentage": 1 - s / 40} for s in range(3)],
        **extra,
    }


class FakeAccountsApi:
    def __init__(self, videos: list[dict[str, Any]] | None = None) -> None:
        self.videos = videos if videos is not None else [_video("7311", NOW - timedelta(days=2))]
        self.asked: list[tuple[str, str]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        params = request.url.params
        if params.get("business_id") != "77":
            return business_envelope({}, 40001, "No permission to access this business_id")
        fields = json.loads(params["fields"])
        if request.url.path.endswith("/business/get/"):
            unknown = set(fields) - DOCUMENTED_DAY_FIELDS
            if unknown:
                return business_envelope({}, 40002, f"fields: invalid field {sorted(unknown)[0]}")
            start = date.fromisoformat(params["start_date"])
            end = date.fromisoformat(params["end_date"])
            if start < UTC_TODAY - timedelta(days=60):
                return business_envelope({}, 40002, "start_date: at most 60 days back")
            self.asked.append((params["start_date"], params["end_date"]))
            rows = []
            for i in range((end - start).days + 1):
                day = start + timedelta(days=i)
                level = 15_000 + day.toordinal() % 100
                rows.append(
                    {
                        "date": day.isoformat(),
                        "followers_count": level,
                        "daily_total_followers": 19,
                        "daily_new_followers": 25,
                        "daily_lost_followers": 6,
                        "video_views": 3120,
                        "unique_video_views": 2710,
                    }
                )
            return business_envelope({"metrics": rows})
        assert set(fields) <= set(VIDEO_FIELDS) and "is_ad" not in fields
        return business_envelope({"videos": self.videos, "cursor": 1, "has_more": False})


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    import os

    for name in list(os.environ):
        if name.startswith("SOCIAL_TIKTOK_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("SOCIAL_TIKTOK_BUSINESS_TOKEN", "business-token-abc")
    return write_config(tmp_path, 'business_id = "77"')


def _sync(config, db, now: datetime = NOW):  # type: ignore[no-untyped-def]
    return run_sync(config, db, ["tiktok"], now=now, sleep=lambda s: None)[0]


@respx.mock(assert_all_called=False)
def test_the_first_sync_asks_for_60_utc_days_at_most(respx_mock, config, fresh_db) -> None:  # type: ignore[no-untyped-def]
    fake = FakeAccountsApi()
    respx_mock.route(host=HOST, path__startswith="/open_api/v1.3/business/").mock(side_effect=fake)
    summary = _sync(config, fresh_db)  # backfill_days is 365
    assert summary.outcome == "ok", summary.error
    assert fake.asked[0][0] == "2025-11-01"  # 60 days before the UTC date
    assert fake.asked[-1][1] == "2025-12-30"  # UTC yesterday, though Oslo is in 2026 already
    assert not any("60 days" in w for w in summary.warnings)  # a first sync: nothing to warn


@respx.mock(assert_all_called=False)
def test_a_range_older_than_60_days_is_clamped_with_a_warning(respx_mock, config, fresh_db) -> None:  # type: ignore[no-untyped-def]
    fake = FakeAccountsApi()
    respx_mock.route(host=HOST, path__startswith="/open_api/v1.3/business/").mock(side_effect=fake)
    summary = run_sync(
        config, fresh_db, ["tiktok"], since=date(2025, 6, 1), now=NOW, sleep=lambda s: None
    )[0]
    assert summary.outcome == "ok", summary.error
    assert fake.asked[0][0] == "2025-11-01"
    assert any(
        "60 days only; collected from 2025-11-01 instead of 2025-06-01" in w
        for w in summary.warnings
    )


@respx.mock(assert_all_called=False)
def test_the_follower_level_and_the_net_change_are_stored_as_what_they_are(
    respx_mock, config, fresh_db
) -> None:  # type: ignore[no-untyped-def]
    respx_mock.route(host=HOST, path__startswith="/open_api/v1.3/business/").mock(
        side_effect=FakeAccountsApi()
    )
    _sync(config, fresh_db)
    rows = dict(
        fresh_db.execute(
            "SELECT metric, origin || ':' || COUNT(*) || ':' || MIN(value) || ':' || MAX(value) "
            "FROM metric_values WHERE window_start = '2025-12-30' AND grain = 'day' "
            "GROUP BY metric, origin"
        ).fetchall()
    )
    level = 15_000 + date(2025, 12, 30).toordinal() % 100
    assert rows["followers_count"] == f"total:1:{level}.0:{level}.0"  # a level, per day
    assert rows["daily_total_followers"] == "organic:1:19.0:19.0"  # a net change, not a level
    assert rows["video_views"] == "total:1:3120.0:3120.0"  # organic and paid together
    from core.catalogue import CATALOGUE

    assert CATALOGUE[("tiktok", "followers_count")].concept == "followers"
    assert CATALOGUE[("tiktok", "daily_total_followers")].concept == "follower_net_change"
    assert CATALOGUE[("tiktok", "daily_total_followers")].additive


@respx.mock(assert_all_called=False)
def test_video_metrics_become_snapshots_and_where_the_views_came_from_a_breakdown(
    respx_mock, config, fresh_db
) -> None:  # type: ignore[no-untyped-def]
    fake = FakeAccountsApi()
    respx_mock.route(host=HOST, path__startswith="/open_api/v1.3/business/").mock(side_effect=fake)
    _sync(config, fresh_db)
    latest = dict(
        fresh_db.execute(
            "SELECT l.metric, l.value FROM post_latest l JOIN posts p ON p.id = l.post_id "
            "WHERE p.external_id = '7311'"
        ).fetchall()
    )
    assert latest["full_video_watched_rate"] == 0.21
    assert latest["average_time_watched"] == 6.214
    assert latest["total_time_watched"] == 94_639.2
    assert latest["video_views"] == 15230
    reach = fresh_db.execute(
        "SELECT grain, origin, value FROM metric_values WHERE metric = 'reach'"
    ).fetchone()
    assert reach == ("lifetime", "total", 11890.0)
    sources = dict(
        fresh_db.execute(
            "SELECT key, value FROM post_breakdowns WHERE dimension = 'impression_source'"
        ).fetchall()
    )
    assert sources == {"For You": 0.51, "Search": 0.42, "Follow": 0.07}
    dims = dict(
        fresh_db.execute(
            "SELECT dimension, COUNT(*) FROM post_breakdowns GROUP BY dimension"
        ).fetchall()
    )
    assert dims == {"impression_source": 3, "audience_type": 2, "retention": 3}
    retention = fresh_db.execute(
        "SELECT key FROM post_breakdowns WHERE dimension = 'retention' ORDER BY value DESC"
    ).fetchall()
    assert [k for (k,) in retention] == ["0", "1", "2"]

    # The next collection replaces the split; a list TikTok leaves out keeps the last one.
    fake.videos = [
        _video(
            "7311",
            NOW - timedelta(days=2),
            impression_sources=[
                {"impression_source": "For You", "percentage": 0.3},
                {"impression_source": "Search", "percentage": 0.7},
            ],
            audience_types=None,
        )
    ]
    _sync(config, fresh_db, NOW + timedelta(days=1))
    sources = dict(
        fresh_db.execute(
            "SELECT key, value FROM post_breakdowns WHERE dimension = 'impression_source'"
        ).fetchall()
    )
    assert sources == {"For You": 0.3, "Search": 0.7}
    assert (
        fresh_db.execute(
            "SELECT COUNT(*) FROM post_breakdowns WHERE dimension = 'audience_type'"
        ).fetchone()[0]
        == 2
    )


def test_shares_given_in_percent_are_read_as_fractions() -> None:
    assert shares(
        [
            {"impression_source": "Search", "percentage": 42},
            {"impression_source": "For You", "percentage": "58"},
        ],
        "impression_source",
    ) == {"Search": 0.42, "For You": 0.58}
    assert shares(None, "type") == {}


@respx.mock(assert_all_called=False)
def test_an_answer_without_a_documented_field_stops_tiktok_with_one_line(
    respx_mock, config, fresh_db, runner, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    respx_mock.route(host=HOST, path__startswith="/open_api/v1.3/business/get/").mock(
        return_value=business_envelope({"metrics": [{"video_views": 10}]})  # no "date"
    )
    summary = _sync(config, fresh_db)
    assert summary.outcome == "failed"
    assert summary.error == (
        "tiktok: unexpected answer from business/get: field 'date' is missing; the platform "
        "may have changed its API. Data stored so far is kept and the other platforms were "
        "synced; run with SOCIAL_DEBUG=1 for details and report it"
    )
    run = fresh_db.execute("SELECT outcome, error FROM sync_runs").fetchone()
    assert run == ("failed", summary.error)
