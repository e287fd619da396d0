"""The TikTok sandbox: real shapes, growth, heavy tail, honest reach, and the real HTTP server."""

from __future__ import annotations

import json
import statistics
from datetime import date, timedelta

import httpx

from collectors.sandbox import Sandbox
from collectors.sandbox.server import running_server
from collectors.tiktok.sandbox import ADVERTISER_ID, BUSINESS_ID, videos

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


def _business(sandbox: Sandbox, path: str, token: str, **params: str) -> dict:  # type: ignore[type-arg]
    client = _client(sandbox, "tiktok-business/open_api/v1.3")
    return client.get(path, headers={"Access-Token": token}, params=params).json()


def test_the_business_sandbox_refuses_more_than_60_days_back_and_undocumented_fields() -> None:
    sandbox = Sandbox(today=TODAY)
    ok = {"business_id": BUSINESS_ID, "fields": json.dumps(["followers_count", "video_views"])}
    old = _business(
        sandbox, "/business/get/", "sandbox-x", start_date="2026-09-23", end_date="2026-09-30", **ok
    )
    assert old["code"] == 40002 and "60 days" in old["message"]
    fine = _business(
        sandbox, "/business/get/", "sandbox-x", start_date="2026-09-24", end_date="2026-09-30", **ok
    )
    rows = fine["data"]["metrics"]
    assert fine["code"] == 0 and len(rows) == 7 and rows[0]["followers_count"] > 4200
    unknown = _business(
        sandbox,
        "/business/video/list/",
        "sandbox-x",
        business_id=BUSINESS_ID,
        fields=json.dumps(["item_id", "is_ad"]),
    )
    assert unknown["code"] == 40002 and "is_ad" in unknown["message"]
    videos = _business(
        sandbox,
        "/business/video/list/",
        "sandbox-x",
        business_id=BUSINESS_ID,
        max_count="5",
        fields=json.dumps(["item_id", "impression_sources", "video_view_retention"]),
    )["data"]["videos"]
    assert len(videos) == 5
    shares = [s["percentage"] for s in videos[0]["impression_sources"]]
    assert abs(sum(shares) - 1) < 0.01 and videos[0]["video_view_retention"][0]["second"] == 0


def test_a_net_change_adds_up_to_the_follower_levels_day_by_day() -> None:
    from collectors.tiktok.sandbox import follower_days

    days = follower_days(1, TODAY)
    day = TODAY - timedelta(days=3)
    new, lost, level = days[day]
    assert level - days[day - timedelta(days=1)][2] == new - lost


def test_business_and_advertiser_tokens_each_open_only_their_own_api() -> None:
    sandbox = Sandbox(today=TODAY)
    biz_token = _business_token(sandbox)
    report = {"advertiser_id": ADVERTISER_ID, "report_type": "BASIC"}
    assert _business(sandbox, "/report/integrated/get/", biz_token, **report)["code"] == 40105
    daily = {"business_id": BUSINESS_ID, "fields": '["video_views"]'}
    assert _business(sandbox, "/business/get/", "sandbox-ads-x", **daily)["code"] == 40105
    assert _business(sandbox, "/business/get/", biz_token, **daily)["code"] == 0


def _business_token(sandbox: Sandbox) -> str:
    client = _client(sandbox, "tiktok-business/open_api/v1.3")
    body = client.post(
        "/tt_user/oauth2/token/",
        json={
            "client_id": "app",
            "client_secret": "secret",
            "grant_type": "authorization_code",
            "auth_code": "sandbox-code",
            "redirect_uri": "https://example.no/cb",
        },
    ).json()
    assert body["code"] == 0 and body["data"]["expires_in"] == 86400
    return str(body["data"]["access_token"])


def test_business_tokens_expire_after_24_hours_and_refresh_tokens_work_once() -> None:
    now = [1_800_000_000.0]
    sandbox = Sandbox(today=TODAY, clock=lambda: now[0])
    token = _business_token(sandbox)
    daily = {"business_id": BUSINESS_ID, "fields": '["video_views"]'}
    assert _business(sandbox, "/business/get/", token, **daily)["code"] == 0
    now[0] += 86_401
    assert _business(sandbox, "/business/get/", token, **daily)["code"] == 40105
    client = _client(sandbox, "tiktok-business/open_api/v1.3")
    refresh = {
        "client_id": "app",
        "client_secret": "secret",
        "grant_type": "refresh_token",
        "refresh_token": "sandbox-bizr-original",
    }
    first = client.post("/tt_user/oauth2/refresh_token/", json=refresh).json()
    assert first["code"] == 0 and first["data"]["refresh_token"] != "sandbox-bizr-original"
    again = client.post("/tt_user/oauth2/refresh_token/", json=refresh).json()
    assert again["code"] == 40002 and "used" in again["message"]


def test_the_marketing_sandbox_lists_ad_groups_with_schedules_and_spark_ads() -> None:
    sandbox = Sandbox(today=TODAY)
    listing = {"advertiser_id": ADVERTISER_ID, "page": "1", "page_size": "100"}
    groups = _business(sandbox, "/adgroup/get/", "sandbox-ads-x", **listing)["data"]["list"]
    assert all(len(g["schedule_start_time"]) == 19 for g in groups)  # 'YYYY-MM-DD HH:MM:SS'
    ads = _business(sandbox, "/ad/get/", "sandbox-ads-x", **listing)["data"]["list"]
    ids = {v.id for v in videos(42, TODAY)}
    spark = [a for a in ads if a["tiktok_item_id"]]
    assert spark and all(a["tiktok_item_id"] in ids for a in spark)
    assert any(not a["tiktok_item_id"] for a in ads)  # a non-Spark ad: no organic post


def test_the_tiktok_error_codes_can_be_injected() -> None:
    sandbox = Sandbox(today=TODAY)
    sandbox.inject("/report/", "qps_limit", "query_too_large")
    report = {"advertiser_id": ADVERTISER_ID}
    assert _business(sandbox, "/report/integrated/get/", "sandbox-ads-x", **report)["code"] == 40133
    assert _business(sandbox, "/report/integrated/get/", "sandbox-ads-x", **report)["code"] == 40067
