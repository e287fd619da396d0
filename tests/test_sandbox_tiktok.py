"""The TikTok sandbox: real shapes, growth, heavy tail, honest reach, and the real HTTP server."""

from __future__ import annotations

import json
import statistics
from datetime import date, timedelta

import httpx

from collectors.sandbox import Sandbox
from collectors.sandbox.server import running_server
from collectors.sandbox.tiktok import ADVERTISER_ID, BUSINESS_ID, videos

TODAY = date(2026, 11, 23)
AUTH = {"Authorization": "Bearer sandbox-test"}


def _client(sandbox: Sandbox, prefix: str) -> httpx.Client:
    return httpx.Client(
        transport=httpx.MockTransport(sandbox.handle), base_url=f"http://sbx/{prefix}"
    )


def test_video_list_pages_by_cursor_and_covers_every_video() -> None:
    sandbox = Sandbox(seed=3, today=TODAY)
    client = _client(sandbox, "tiktok-open")
    seen: list[str] = []
    cursor = None
    while True:
        body = {"max_count": 20} | ({"cursor": cursor} if cursor else {})
        data = client.post(
            "/v2/video/list/",
            params={"fields": "id,create_time,view_count"},
            json=body,
            headers=AUTH,
        ).json()
        assert data["error"]["code"] == "ok"
        seen += [v["id"] for v in data["data"]["videos"]]
        if not data["data"]["has_more"]:
            break
        cursor = data["data"]["cursor"]
    assert seen == [v.id for v in videos(3, TODAY)]


def test_views_grow_with_age_and_are_heavy_tailed() -> None:
    early = {
        v["id"]: v["view_count"]
        for v in _query_all(Sandbox(seed=1, today=TODAY - timedelta(days=3)))
    }
    late = {v["id"]: v["view_count"] for v in _query_all(Sandbox(seed=1, today=TODAY))}
    common = set(early) & set(late)
    assert len(common) > 10
    assert all(late[i] >= early[i] for i in common)
    assert sum(late[i] > early[i] for i in common) > 0
    finals = [v.final_views for v in videos(1, TODAY)]
    assert 1000 <= statistics.median(finals) <= 3000
    assert any(f >= 15000 for f in finals)


def _query_all(sandbox: Sandbox) -> list[dict]:  # type: ignore[type-arg]
    client = _client(sandbox, "tiktok-open")
    ids = [v.id for v in videos(1, TODAY)][5:25]
    return client.post(
        "/v2/video/query/",
        params={"fields": "id,view_count"},
        json={"filters": {"video_ids": ids}},
        headers=AUTH,
    ).json()["data"]["videos"]


def test_errors_use_the_real_envelopes() -> None:
    client = _client(Sandbox(today=TODAY), "tiktok-open")
    bad = client.get(
        "/v2/user/info/", params={"fields": "open_id"}, headers={"Authorization": "Bearer nope"}
    )
    assert bad.status_code == 401 and bad.json()["error"]["code"] == "access_token_invalid"
    too_many = client.post(
        "/v2/video/query/",
        params={"fields": "id"},
        json={"filters": {"video_ids": [str(i) for i in range(21)]}},
        headers=AUTH,
    )
    assert too_many.status_code == 400 and too_many.json()["error"]["code"] == "invalid_params"
    business = _client(Sandbox(today=TODAY), "tiktok-business/open_api/v1.3")
    body = business.get(
        "/report/integrated/get/",
        headers={"Access-Token": "sandbox-x"},
        params={
            "advertiser_id": ADVERTISER_ID,
            "report_type": "BASIC",
            "data_level": "AUCTION_CAMPAIGN",
            "dimensions": '["campaign_id","stat_time_day"]',
            "metrics": '["reach"]',
            "start_date": "2026-01-01",
            "end_date": "2026-03-01",
        },
    ).json()
    assert body["code"] == 40002 and "30 days" in body["message"]


def test_window_reach_is_below_the_sum_of_daily_reach_and_numbers_are_strings() -> None:
    business = _client(Sandbox(today=TODAY), "tiktok-business/open_api/v1.3")
    common = {
        "advertiser_id": ADVERTISER_ID,
        "report_type": "BASIC",
        "data_level": "AUCTION_CAMPAIGN",
        "metrics": '["reach","impressions"]',
        "start_date": "2026-03-01",
        "end_date": "2026-03-28",
        "page_size": "1000",
    }
    daily = business.get(
        "/report/integrated/get/",
        headers={"Access-Token": "sandbox-x"},
        params=common | {"dimensions": '["campaign_id","stat_time_day"]'},
    ).json()
    whole = business.get(
        "/report/integrated/get/",
        headers={"Access-Token": "sandbox-x"},
        params=common | {"dimensions": '["campaign_id"]'},
    ).json()
    rows = daily["data"]["list"]
    assert isinstance(rows[0]["metrics"]["reach"], str)
    daily_sum = sum(int(r["metrics"]["reach"]) for r in rows)
    window = int(whole["data"]["list"][0]["metrics"]["reach"])
    assert 0 < window < daily_sum
    assert sum(int(r["metrics"]["impressions"]) for r in rows) == int(
        whole["data"]["list"][0]["metrics"]["impressions"]
    )


def test_refresh_tokens_rotate() -> None:
    client = _client(Sandbox(today=TODAY), "tiktok-open")
    first = client.post(
        "/v2/oauth/token/", data={"grant_type": "authorization_code", "code": "sandbox-c"}
    ).json()
    second = client.post(
        "/v2/oauth/token/",
        data={"grant_type": "refresh_token", "refresh_token": first["refresh_token"]},
    ).json()
    assert second["refresh_token"] != first["refresh_token"]


def test_the_real_http_server_answers_a_real_request() -> None:
    sandbox = Sandbox(seed=2, today=TODAY)
    with running_server(sandbox) as base:
        response = httpx.get(
            f"{base}/tiktok-business/open_api/v1.3/business/get/",
            headers={"Access-Token": "sandbox-x"},
            params={
                "business_id": BUSINESS_ID,
                "start_date": "2026-11-01",
                "end_date": "2026-11-07",
                "fields": json.dumps(["video_views"]),
            },
        )
    assert response.status_code == 200
    assert [r["date"] for r in response.json()["data"]["metrics"]][0] == "2026-11-01"
    assert sandbox.total_requests == 1
