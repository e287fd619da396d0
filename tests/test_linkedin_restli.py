"""Rest.li 2.0 encoding: URNs encoded, ( ) : , literal, checked on the request actually sent."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import httpx
import pytest
import respx

from collectors.linkedin import sandbox as sandbox
from collectors.linkedin.api import (
    date_range,
    fields,
    path_with_query,
    query,
    restli,
    time_intervals,
)
from social.sync import run_sync
from tests.linkedin_support import (
    AD_ACCOUNT,
    API,
    NOW,
    ORG_URN_ENC,
    TODAY,
    collection,
    day_ms,
    sandbox_transport,
    write_config,
)


def test_urns_are_percent_encoded_inside_lists_and_structure_stays_literal() -> None:
    assert restli(["urn:li:organization:123"]) == "List(urn%3Ali%3Aorganization%3A123)"
    assert restli(date_range(date(2026, 1, 1), date(2026, 1, 31))) == (
        "(start:(year:2026,month:1,day:1),end:(year:2026,month:1,day:31))"
    )
    assert restli(time_intervals(date(2026, 1, 5), date(2026, 1, 6))) == (
        "(timeRange:(start:1767571200000,end:1767657600000),timeGranularityType:DAY)"
    )
    # a name with Rest.li syntax characters is a leaf: everything reserved is encoded
    assert restli("Velg (realfag), nå: 2026") == "Velg%20%28realfag%29%2C%20n%C3%A5%3A%202026"
    assert (
        query(
            [("q", "analytics"), ("fields", fields(["dateRange", "impressions"])), ("skip", None)]
        )
        == "q=analytics&fields=dateRange,impressions"
    )
    assert path_with_query("/rest/x", []) == "/rest/x"


@respx.mock(base_url=API, assert_all_called=False)
def test_the_request_on_the_wire_carries_the_exact_restli_query_and_headers(  # type: ignore[no-untyped-def]
    respx_mock, tmp_path: Path, fresh_db, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOCIAL_LINKEDIN_ADS_ACCESS_TOKEN", "li-ads-token-999")
    config = write_config(
        tmp_path, 'version = "202609"\n[sync]\nbackfill_days = 7', org="", ads=AD_ACCOUNT
    )
    respx_mock.get(f"/rest/adAccounts/{AD_ACCOUNT}").mock(
        return_value=httpx.Response(200, json={"id": int(AD_ACCOUNT), "name": "Annonser"})
    )
    respx_mock.get(f"/rest/adAccounts/{AD_ACCOUNT}/adCampaigns").mock(
        return_value=httpx.Response(200, json={"elements": [], "metadata": {}})
    )
    analytics = respx_mock.get("/rest/adAnalytics").mock(return_value=collection([]))
    summary = run_sync(config, fresh_db, ["linkedin"], now=NOW, sleep=lambda s: None)[0]
    assert summary.outcome == "ok", summary.error
    sent = analytics.calls[0].request
    raw = sent.url.query.decode("ascii")
    assert raw.startswith("q=analytics&pivot=CAMPAIGN&timeGranularity=DAILY&")
    assert "&dateRange=(start:(year:2026,month:11,day:9),end:(year:2026,month:11,day:15))&" in raw
    assert f"&accounts=List(urn%3Ali%3AsponsoredAccount%3A{AD_ACCOUNT})&" in raw
    assert "&fields=dateRange,pivotValues,impressions,clicks," in raw
    for bad in ("%28", "%29", "%2C", "urn:li"):
        assert bad not in raw
    for call in respx_mock.calls:
        assert call.request.headers["LinkedIn-Version"] == "202609"
        assert call.request.headers["X-Restli-Protocol-Version"] == "2.0.0"
        assert call.request.headers["Authorization"] == "Bearer li-ads-token-999"


@respx.mock(base_url=API, assert_all_called=False)
def test_organic_requests_encode_the_organisation_urn_and_time_intervals(  # type: ignore[no-untyped-def]
    respx_mock, tmp_path: Path, fresh_db, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOCIAL_LINKEDIN_ACCESS_TOKEN", "li-env-token-999")
    config = write_config(tmp_path, "[sync]\nbackfill_days = 3")
    respx_mock.get("/rest/organizations/2414183").mock(
        return_value=httpx.Response(200, json={"localizedName": "STEM"})
    )
    sizes = respx_mock.get(f"/rest/networkSizes/{ORG_URN_ENC}").mock(
        return_value=httpx.Response(200, json={"firstDegreeSize": 15230})
    )
    stats = respx_mock.get("/rest/organizationalEntityShareStatistics").mock(
        return_value=collection([])
    )
    respx_mock.get("/rest/organizationalEntityFollowerStatistics").mock(return_value=collection([]))
    posts = respx_mock.get("/rest/posts").mock(return_value=collection([]))
    summary = run_sync(config, fresh_db, ["linkedin"], now=NOW, sleep=lambda s: None)[0]
    assert summary.outcome == "ok", summary.error
    assert sizes.calls.last.request.url.query == b"edgeType=COMPANY_FOLLOWED_BY_MEMBER"
    first = stats.calls[0].request.url.query.decode()
    start, end = day_ms(date(2026, 11, 13)), day_ms(date(2026, 11, 16))
    assert first == (
        f"q=organizationalEntity&organizationalEntity={ORG_URN_ENC}"
        f"&timeIntervals=(timeRange:(start:{start},end:{end}),timeGranularityType:DAY)"
    )
    assert posts.calls.last.request.url.query.decode() == (
        f"q=author&author={ORG_URN_ENC}&count=50&start=0&sortBy=LAST_MODIFIED"
    )


def _sandbox_get(path: str, headers: dict[str, str] | None = None) -> httpx.Response:
    base = {
        "Authorization": "Bearer sandbox-token",
        "LinkedIn-Version": "202610",
        "X-Restli-Protocol-Version": "2.0.0",
    }
    with httpx.Client(transport=sandbox_transport(), base_url="http://sandbox/linkedin") as client:
        return client.get(path, headers={**base, **(headers or {})})


def test_the_sandbox_rejects_an_encoded_query_like_linkedin_does() -> None:
    org = f"urn%3Ali%3Aorganization%3A{sandbox.ORG_ID}"
    good = f"/rest/organizationalEntityShareStatistics?q=organizationalEntity&organizationalEntity={org}"
    interval = f"(timeRange:(start:{day_ms(date(2026, 11, 1))},end:{day_ms(date(2026, 11, 5))}),timeGranularityType:DAY)"
    assert _sandbox_get(f"{good}&timeIntervals={interval}").status_code == 200
    encoded = interval.replace("(", "%28").replace(")", "%29").replace(",", "%2C")
    response = _sandbox_get(f"{good}&timeIntervals={encoded}")
    assert response.status_code == 400
    assert "must not be percent-encoded" in response.json()["message"]
    unencoded_urn = _sandbox_get(
        "/rest/organizationalEntityShareStatistics?q=organizationalEntity"
        f"&organizationalEntity=urn:li:organization:{sandbox.ORG_ID}"
    )
    assert unencoded_urn.status_code == 400


def test_the_sandbox_requires_the_version_and_protocol_headers_and_a_sandbox_token() -> None:
    path = f"/rest/organizations/{sandbox.ORG_ID}"
    assert _sandbox_get(path).json()["localizedName"] == sandbox.ORG_NAME
    missing = _sandbox_get(path, {"LinkedIn-Version": ""})
    assert (missing.status_code, missing.json()["code"]) == (400, "VERSION_MISSING")
    retired = _sandbox_get(path, {"LinkedIn-Version": "202401"})
    assert retired.status_code == 426
    assert retired.json() == {
        "message": "Requested version 202401 is not active",
        "status": 426,
        "code": "NONEXISTENT_VERSION",
    }
    assert _sandbox_get(path, {"X-Restli-Protocol-Version": "1.0.0"}).status_code == 400
    bad = _sandbox_get(path, {"Authorization": "Bearer real-looking-token"})
    assert (bad.status_code, bad.json()) == (
        401,
        {"message": "Invalid access token", "serviceErrorCode": 65600, "status": 401},
    )
    assert TODAY.year == 2026


def test_ids_pasted_as_urns_are_reduced_to_their_numbers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from collectors.auth import TokenStore
    from collectors.base import BuildContext
    from collectors.linkedin.collector import build

    monkeypatch.setenv("SOCIAL_LINKEDIN_ACCESS_TOKEN", "li-env-token-999")
    monkeypatch.setenv("SOCIAL_LINKEDIN_ADS_ACCESS_TOKEN", "li-ads-token-999")
    config = write_config(
        tmp_path, org="urn:li:organization:2414183", ads=f"urn:li:sponsoredAccount:{AD_ACCOUNT}"
    )
    collector = build(BuildContext(config, TokenStore(config.token_file)))
    (_, organic), (_, ads) = collector.parts
    assert organic.organization_id == "2414183"  # type: ignore[union-attr]
    assert ads.account_ids == [AD_ACCOUNT]  # type: ignore[union-attr]
    collector.close()
