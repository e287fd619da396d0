"""LinkedIn errors: every class of failure gives one clear line and keeps what was stored."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
import respx
import time_machine

from social.sync import run_sync
from tests.linkedin_support import API, NOW, ORG, ORG_URN_ENC, collection, li_error, write_config

SECRET = "li-env-token-999"


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("SOCIAL_LINKEDIN_ACCESS_TOKEN", SECRET)
    return write_config(tmp_path, "[sync]\nbackfill_days = 3\nmax_retries = 2")


def _organic(respx_mock: respx.MockRouter, daily: object) -> respx.Route:
    """Routes for the organic part; `daily` answers the time-bound share statistics."""
    respx_mock.get(f"/rest/organizations/{ORG}").mock(
        return_value=httpx.Response(200, json={"localizedName": "STEM"})
    )
    respx_mock.get(f"/rest/networkSizes/{ORG_URN_ENC}").mock(
        return_value=httpx.Response(200, json={"firstDegreeSize": 15230})
    )
    route = respx_mock.get("/rest/organizationalEntityShareStatistics")
    if isinstance(daily, list):
        route.mock(side_effect=daily)
    else:
        route.mock(return_value=daily)
    respx_mock.get("/rest/organizationalEntityFollowerStatistics").mock(return_value=collection([]))
    respx_mock.get("/rest/posts").mock(return_value=collection([]))
    return route


def _sync(config, fresh_db, delays: list[float] | None = None):  # type: ignore[no-untyped-def]
    sleep = (lambda s: delays.append(s)) if delays is not None else (lambda s: None)
    return run_sync(config, fresh_db, ["linkedin"], now=NOW, sleep=sleep)[0]


def _stored_follower_level(fresh_db) -> int:  # type: ignore[no-untyped-def]
    return int(
        fresh_db.execute(
            "SELECT COUNT(*) FROM metric_values WHERE metric = 'firstDegreeSize'"
        ).fetchone()[0]
    )


@respx.mock(base_url=API, assert_all_called=False)
def test_a_401_names_the_renewal_command_and_never_the_token(respx_mock, config, fresh_db) -> None:  # type: ignore[no-untyped-def]
    _organic(respx_mock, li_error(401, f"Invalid access token {SECRET}", 65600))
    summary = _sync(config, fresh_db)
    assert summary.outcome == "failed"
    assert "renew it with 'social auth linkedin --part page'" in (summary.error or "")
    assert "serviceErrorCode 65600" in (summary.error or "")
    assert SECRET not in (summary.error or "")
    assert _stored_follower_level(fresh_db) == 1  # what came before the error is kept


@respx.mock(base_url=API, assert_all_called=False)
def test_a_403_explains_scopes_and_admin_role(respx_mock, config, fresh_db) -> None:  # type: ignore[no-untyped-def]
    route = _organic(
        respx_mock,
        li_error(
            403, "Not enough permissions to access: GET /organizationalEntityShareStatistics", 100
        ),
    )
    summary = _sync(config, fresh_db)
    assert summary.outcome == "failed"
    error = summary.error or ""
    assert "permission denied" in error and "r_organization_social, rw_organization_admin" in error
    assert "admin" in error
    assert route.call_count == 1  # not retried


@respx.mock(base_url=API, assert_all_called=False)
def test_a_daily_quota_429_stops_cleanly_and_says_when_to_try_again(
    respx_mock, config, fresh_db
) -> None:  # type: ignore[no-untyped-def]
    quota = li_error(
        429, "Resource level throttle APPLICATION DAY limit for calls to this resource is reached."
    )
    route = _organic(respx_mock, quota)
    with time_machine.travel(NOW, tick=False):
        summary = _sync(config, fresh_db)
    assert summary.outcome == "failed"
    error = summary.error or ""
    # LinkedIn resets at midnight UTC = 01:00 in Oslo in November
    assert "daily API quota is used up" in error
    assert "run the sync again after 2026-11-17 01:00 (Europe/Oslo)" in error
    assert "stored so far is kept" in error
    assert route.call_count == 1  # no doomed retries
    assert _stored_follower_level(fresh_db) == 1
    run = fresh_db.execute("SELECT outcome, error FROM sync_runs").fetchone()
    assert run == ("failed", error)


@respx.mock(base_url=API, assert_all_called=False)
def test_a_short_429_is_retried_after_the_requested_wait(respx_mock, config, fresh_db) -> None:  # type: ignore[no-untyped-def]
    limited = httpx.Response(
        429, headers={"Retry-After": "3"}, json={"message": "Too many requests", "status": 429}
    )
    _organic(respx_mock, [limited, collection([]), collection([])])  # daily, then lifetime
    delays: list[float] = []
    summary = _sync(config, fresh_db, delays)
    assert summary.outcome == "ok", summary.error
    assert 3.0 in delays


@respx.mock(base_url=API, assert_all_called=False)
def test_server_errors_and_malformed_json_are_retried(respx_mock, config, fresh_db) -> None:  # type: ignore[no-untyped-def]
    route = _organic(
        respx_mock,
        [
            li_error(503, "Service Unavailable"),
            httpx.Response(
                200, content=b'{"elements": [', headers={"Content-Type": "application/json"}
            ),
            collection([]),
            collection([]),
        ],
    )
    summary = _sync(config, fresh_db)
    assert summary.outcome == "ok", summary.error
    assert route.call_count == 4


@respx.mock(base_url=API, assert_all_called=False)
def test_persistent_server_errors_give_up_and_keep_what_was_stored(
    respx_mock, config, fresh_db
) -> None:  # type: ignore[no-untyped-def]
    route = _organic(respx_mock, li_error(500, "Internal Server Error"))
    summary = _sync(config, fresh_db)
    assert summary.outcome == "failed"
    assert "gave up after 3 attempts" in (summary.error or "")
    assert route.call_count == 3
    assert _stored_follower_level(fresh_db) == 1


@pytest.mark.parametrize("status", [400, 422])
@respx.mock(base_url=API, assert_all_called=False)
def test_a_rejected_request_is_fatal_with_linkedins_message(
    respx_mock, config, fresh_db, status
) -> None:  # type: ignore[no-untyped-def]
    route = _organic(
        respx_mock,
        li_error(status, "Invalid param. timeIntervals.timeRange.end is in the future", 100),
    )
    summary = _sync(config, fresh_db)
    assert summary.outcome == "failed"
    assert f"request rejected (HTTP {status}: Invalid param. timeIntervals" in (summary.error or "")
    assert route.call_count == 1


@pytest.mark.parametrize(
    "response",
    [
        httpx.Response(
            426,
            json={
                "status": 426,
                "code": "NONEXISTENT_VERSION",
                "message": "Requested version 202610 is not active",
            },
        ),
        httpx.Response(
            400,
            json={
                "status": 400,
                "code": "VERSION_MISSING",
                "message": "A version must be present. Please specify a version "
                "by adding the LinkedIn-Version header.",
            },
        ),
    ],
)
@respx.mock(base_url=API, assert_all_called=False)
def test_a_retired_version_says_how_to_set_a_current_one(
    respx_mock, config, fresh_db, response
) -> None:  # type: ignore[no-untyped-def]
    respx_mock.get(f"/rest/organizations/{ORG}").mock(return_value=response)
    with time_machine.travel(NOW, tick=False):
        summary = _sync(config, fresh_db)
    assert summary.outcome == "failed"
    error = summary.error or ""
    assert "LinkedIn-Version 202610 is not accepted" in error
    assert "set linkedin.version in social.toml to a current YYYYMM such as 202609" in error


@respx.mock(base_url=API, assert_all_called=False)
def test_an_unexpected_non_object_body_is_an_error_naming_base_url(
    respx_mock, config, fresh_db
) -> None:  # type: ignore[no-untyped-def]
    respx_mock.get(f"/rest/organizations/{ORG}").mock(return_value=httpx.Response(200, json=["x"]))
    summary = _sync(config, fresh_db)
    assert summary.outcome == "failed"
    assert "check linkedin.base_url" in (summary.error or "")


def test_nothing_configured_skips_linkedin_with_the_fix(
    tmp_path: Path, fresh_db, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("SOCIAL_LINKEDIN_ACCESS_TOKEN", SECRET)
    config = write_config(tmp_path, org="")
    summary = run_sync(config, fresh_db, ["linkedin"], now=NOW)[0]
    assert summary.outcome == "skipped"
    assert "set organization_id and/or ad_account_ids" in (summary.error or "")


def test_no_token_skips_linkedin_and_names_the_auth_command(
    tmp_path: Path, fresh_db, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("SOCIAL_LINKEDIN_ACCESS_TOKEN", raising=False)
    config = write_config(tmp_path)
    summary = run_sync(config, fresh_db, ["linkedin"], now=NOW)[0]
    assert summary.outcome == "skipped"
    assert "run 'social auth linkedin --part page'" in (summary.error or "")
    assert "SOCIAL_LINKEDIN_ACCESS_TOKEN" in (summary.error or "")


@respx.mock(base_url=API, assert_all_called=False)
def test_a_403_on_the_page_still_collects_the_ads_and_then_reports_the_refusal(
    respx_mock, tmp_path: Path, fresh_db, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("SOCIAL_LINKEDIN_ACCESS_TOKEN", SECRET)
    monkeypatch.setenv("SOCIAL_LINKEDIN_ADS_ACCESS_TOKEN", "li-ads-token-888")
    config = write_config(tmp_path, "[sync]\nbackfill_days = 3", ads="508000111")
    _organic(
        respx_mock,
        li_error(
            403, "Not enough permissions to access: GET /organizationalEntityShareStatistics", 100
        ),
    )
    respx_mock.get("/rest/adAccounts/508000111").mock(
        return_value=httpx.Response(200, json={"name": "Annonser"})
    )
    respx_mock.get("/rest/adAccounts/508000111/adCampaigns").mock(
        return_value=httpx.Response(200, json={"elements": [{"id": 361, "name": "Velg realfag"}]})
    )
    respx_mock.get("/rest/adAccounts/508000111/creatives").mock(
        return_value=httpx.Response(200, json={"elements": [], "metadata": {}})
    )
    respx_mock.get("/rest/adAnalytics").mock(return_value=collection([]))
    summary = _sync(config, fresh_db)
    assert summary.outcome == "failed"
    assert "permission denied" in (summary.error or "")
    assert fresh_db.execute("SELECT name FROM ad_entities").fetchall() == [("Velg realfag",)]


@respx.mock(base_url=API, assert_all_called=False)
def test_with_only_a_page_token_the_page_syncs_and_the_ads_are_skipped_with_the_fix(
    respx_mock, tmp_path: Path, fresh_db, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("SOCIAL_LINKEDIN_ACCESS_TOKEN", SECRET)
    monkeypatch.delenv("SOCIAL_LINKEDIN_ADS_ACCESS_TOKEN", raising=False)
    config = write_config(tmp_path, "[sync]\nbackfill_days = 3", ads="508000111")
    _organic(respx_mock, collection([]))
    ads = respx_mock.get("/rest/adAnalytics").mock(return_value=collection([]))
    summary = _sync(config, fresh_db)
    assert summary.outcome == "ok", summary.error
    assert not ads.called
    assert any("social auth linkedin --part ads" in w for w in summary.warnings)
