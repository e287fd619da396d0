"""Facebook error classes: expired tokens, retriable codes, permissions, malformed JSON, throttling."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import respx
from sqlite_utils import Database

from collectors.meta.graph import usage_from_headers
from core.config import Config
from social.sync import SyncSummary, run_sync
from tests.facebook_support import (
    ACT,
    ADS_TOKEN,
    GRAPH,
    NOW,
    PAGE,
    PAGE_TOKEN,
    V,
    ads_only_config,
    graph_error,
    page_object,
    page_only_config,
    usage,
)


@pytest.fixture
def page_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Config:
    return page_only_config(tmp_path, monkeypatch)


@pytest.fixture
def ads_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Config:
    return ads_only_config(tmp_path, monkeypatch)


EMPTY = httpx.Response(200, json={"data": []})


@pytest.fixture
def graph() -> Iterator[respx.MockRouter]:
    """An empty Page: no insights values, no posts."""
    with respx.mock(base_url=GRAPH, assert_all_called=False) as router:
        router.get(f"{V}/{PAGE}", name="page").mock(return_value=page_object())
        router.get(f"{V}/{PAGE}/insights", name="insights").mock(return_value=EMPTY)
        router.get(f"{V}/{PAGE}/published_posts", name="posts").mock(return_value=EMPTY)
        yield router


def _sync(config: Config, sleeps: list[float] | None = None) -> SyncSummary:
    record = sleeps if sleeps is not None else []
    return run_sync(config, _db(config), ["facebook"], now=NOW, sleep=record.append)[0]


def _db(config: Config) -> Database:
    from db import open_db

    return open_db(config.database_path)


@pytest.mark.parametrize(
    ("subcode", "meaning"),
    [
        (463, "has expired"),
        (460, "password changed"),
        (467, "no longer valid"),
        (None, "no longer"),
    ],
)
def test_expired_token_says_renew_with_the_command_and_never_shows_the_token(
    graph: respx.MockRouter, page_only: Config, subcode: int | None, meaning: str
) -> None:
    graph.routes["page"].mock(
        return_value=graph_error(
            190,
            "Error validating access token: Session has expired on Monday, 05-Jan-26",
            subcode=subcode,
        )
    )
    summary = _sync(page_only)
    assert summary.outcome == "failed"
    assert "Facebook token expired or was revoked" in (summary.error or "")
    assert meaning in (summary.error or "")
    assert "social auth facebook --user-token <new token>" in (summary.error or "")
    assert PAGE_TOKEN not in (summary.error or "")
    assert graph.routes["page"].call_count == 1  # an expired token is not retried


def test_token_travels_in_the_authorization_header_not_in_the_url(
    graph: respx.MockRouter, page_only: Config
) -> None:
    summary = _sync(page_only)
    assert summary.outcome == "ok", summary.error
    request = graph.routes["page"].calls.last.request
    assert request.headers["Authorization"] == f"Bearer {PAGE_TOKEN}"
    assert "access_token" not in str(request.url)


@pytest.mark.parametrize("code", [1, 2, 4, 17, 32, 341, 613, 80000, 80001, 80014])
def test_retriable_codes_are_retried_then_succeed(
    graph: respx.MockRouter, page_only: Config, code: int
) -> None:
    graph.routes["page"].mock(
        side_effect=[
            graph_error(code, "(#613) Calls to this api have exceeded the rate limit."),
            page_object(),
        ]
    )
    sleeps: list[float] = []
    summary = _sync(page_only, sleeps)
    assert summary.outcome == "ok", summary.error
    assert graph.routes["page"].call_count == 2
    assert len(sleeps) == 1 and 0 < sleeps[0] <= 60


def test_613_waits_as_long_as_meta_says_access_returns(
    graph: respx.MockRouter, page_only: Config
) -> None:
    buc = {
        PAGE: [
            {
                "type": "pages",
                "call_count": 100,
                "total_cputime": 40,
                "total_time": 40,
                "estimated_time_to_regain_access": 2,
            }
        ]
    }
    graph.routes["page"].mock(
        side_effect=[
            graph_error(
                613,
                "(#613) Calls to this api have exceeded the rate limit.",
                headers={"X-Business-Use-Case-Usage": json.dumps(buc)},
            ),
            page_object(),
        ]
    )
    sleeps: list[float] = []
    summary = _sync(page_only, sleeps)
    assert summary.outcome == "ok", summary.error
    assert sleeps == [120.0]  # 2 minutes, from estimated_time_to_regain_access; no extra pause


def test_a_long_block_stops_the_sync_with_when_to_retry(
    graph: respx.MockRouter, page_only: Config
) -> None:
    buc = {
        PAGE: [
            {
                "type": "pages",
                "call_count": 100,
                "total_cputime": 100,
                "total_time": 100,
                "estimated_time_to_regain_access": 45,
            }
        ]
    }
    graph.routes["page"].mock(
        return_value=graph_error(
            80001,
            "There have been too many calls to this Page account.",
            headers={"X-Business-Use-Case-Usage": json.dumps(buc)},
        )
    )
    sleeps: list[float] = []
    summary = _sync(page_only, sleeps)
    assert summary.outcome == "failed"
    assert "wait 45 min" in (summary.error or "")
    assert all(s < 300 for s in sleeps)  # never slept through the block


def test_permission_error_names_the_missing_permission(
    graph: respx.MockRouter, page_only: Config
) -> None:
    graph.routes["insights"].mock(
        return_value=graph_error(10, "(#10) This endpoint requires the 'read_insights' permission")
    )
    summary = _sync(page_only)
    assert summary.outcome == "failed"
    assert "permission missing" in (summary.error or "")
    assert "needs read_insights" in (summary.error or "")
    assert graph.routes["insights"].call_count == 1


def test_ads_permission_error_without_a_name_asks_for_ads_read(ads_only: Config) -> None:
    with respx.mock(base_url=GRAPH) as router:
        router.get(f"{V}/act_{ACT}/campaigns").mock(
            return_value=graph_error(200, "(#200) Ad account owner has NOT granted access")
        )
        summary = _sync(ads_only)
    assert summary.outcome == "failed"
    assert "needs ads_read" in (summary.error or "")
    assert ADS_TOKEN not in (summary.error or "")


def test_malformed_json_is_retried_then_reported(
    graph: respx.MockRouter, page_only: Config
) -> None:
    graph.routes["page"].mock(return_value=httpx.Response(200, content=b"{'data': oops"))
    sleeps: list[float] = []
    summary = _sync(page_only, sleeps)
    assert summary.outcome == "failed"
    assert "malformed JSON" in (summary.error or "")
    assert graph.routes["page"].call_count == 6  # 1 + max_retries (5)
    assert len(sleeps) == 5


def test_other_errors_are_fatal_with_metas_message_and_trace_id(
    graph: respx.MockRouter, page_only: Config
) -> None:
    graph.routes["page"].mock(
        return_value=graph_error(
            100, "(#100) Tried accessing nonexisting field (fans) on node type (Page)"
        )
    )
    summary = _sync(page_only)
    assert summary.outcome == "failed"
    assert "nonexisting field (fans)" in (summary.error or "")
    assert "fbtrace_id AopRcG7C9Cv" in (summary.error or "")
    assert graph.routes["page"].call_count == 1


def test_deprecated_version_says_to_change_api_version(
    graph: respx.MockRouter, page_only: Config
) -> None:
    graph.routes["page"].mock(
        return_value=graph_error(
            2635, "(#2635) You are calling a deprecated version of the Graph API."
        )
    )
    summary = _sync(page_only)
    assert "api_version" in (summary.error or "")


def test_usage_headers_slow_the_collector_down_before_meta_blocks_it(
    graph: respx.MockRouter, page_only: Config
) -> None:
    graph.routes["page"].mock(
        return_value=httpx.Response(200, json={"id": PAGE, "name": "x"}, headers=usage(95))
    )
    graph.routes["insights"].mock(
        return_value=httpx.Response(200, json={"data": []}, headers=usage(10))
    )
    sleeps: list[float] = []
    summary = _sync(page_only, sleeps)
    assert summary.outcome == "ok", summary.error
    # 95 % after the first call: one pause before the second request, none once usage fell.
    assert len(sleeps) == 1 and sleeps[0] == pytest.approx((95 - 75 + 1) ** 2 / 20)


def test_usage_is_the_highest_percentage_of_all_three_headers() -> None:
    headers = httpx.Headers(
        {
            "X-App-Usage": '{"call_count": 12, "total_cputime": 30, "total_time": 20}',
            "X-Business-Use-Case-Usage": json.dumps(
                {
                    ACT: [
                        {
                            "type": "ads_insights",
                            "call_count": 5,
                            "total_cputime": 81,
                            "total_time": 3,
                            "estimated_time_to_regain_access": 3,
                        }
                    ]
                }
            ),
            "X-Ad-Account-Usage": '{"acc_id_util_pct": 64.5, "reset_time_duration": 30}',
        }
    )
    assert usage_from_headers(headers) == (81.0, 180.0)
    assert usage_from_headers(httpx.Headers({"X-App-Usage": "not json"})) is None
    assert usage_from_headers(httpx.Headers({})) is None


def test_an_error_without_a_graph_code_falls_back_to_the_http_status(
    graph: respx.MockRouter, page_only: Config
) -> None:
    gateway = httpx.Response(503, json={"error": {"message": "upstream unavailable"}})
    graph.routes["page"].mock(side_effect=[gateway, page_object()])
    sleeps: list[float] = []
    summary = _sync(page_only, sleeps)
    assert summary.outcome == "ok", summary.error  # 5xx: retried
    assert len(sleeps) == 1
