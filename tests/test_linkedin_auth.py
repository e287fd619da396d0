"""LinkedIn tokens: two apps (page, ads), 60-day expiry warnings, sign-in, refresh tokens."""

from __future__ import annotations

import json
import socket
import threading
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import respx
from click.testing import CliRunner

from collectors.auth import TokenSet, TokenStore
from collectors.linkedin import sandbox as sandbox
from collectors.sandbox.state import SandboxState
from social.cli import cli
from social.sync import run_sync
from tests.linkedin_support import (
    API,
    NOW,
    ORG,
    TODAY,
    TOKEN,
    collection,
    li_error,
    save_token,
    write_config,
)


@pytest.fixture(autouse=True)
def no_env_token(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "ACCESS_TOKEN",
        "CLIENT_SECRET",
        "EXPIRES_AT",
        "ADS_ACCESS_TOKEN",
        "ADS_CLIENT_SECRET",
    ):
        monkeypatch.delenv(f"SOCIAL_LINKEDIN_{name}", raising=False)


def _organic_ok(respx_mock: respx.MockRouter) -> None:
    respx_mock.get(f"{API}/rest/organizations/{ORG}").mock(
        return_value=httpx.Response(200, json={"localizedName": "STEM"})
    )
    respx_mock.route(host="api.linkedin.com", path__startswith="/rest/networkSizes/").mock(
        return_value=httpx.Response(200, json={"firstDegreeSize": 1})
    )
    for path in (
        "organizationalEntityShareStatistics",
        "organizationalEntityFollowerStatistics",
        "posts",
    ):
        respx_mock.get(f"{API}/rest/{path}").mock(return_value=collection([]))


@respx.mock(assert_all_called=False)
def test_a_sync_warns_from_14_days_before_the_token_expires(
    respx_mock, tmp_path: Path, fresh_db
) -> None:  # type: ignore[no-untyped-def]
    _organic_ok(respx_mock)
    config = write_config(tmp_path, "[sync]\nbackfill_days = 2")
    save_token(config, days_left=10)
    summary = run_sync(config, fresh_db, ["linkedin"], now=NOW, sleep=lambda s: None)[0]
    assert summary.outcome == "ok", summary.error
    assert summary.warnings == [
        "linkedin: the page access token expires in 10 days (2026-11-26 07:00); "
        "run 'social auth linkedin --part page' before then"
    ]
    stored = json.loads(fresh_db.execute("SELECT warnings FROM sync_runs").fetchone()[0])
    assert stored == summary.warnings
    save_token(config, days_left=15)
    assert run_sync(config, fresh_db, ["linkedin"], now=NOW, sleep=lambda s: None)[0].warnings == []


@respx.mock(assert_all_called=False)
def test_an_expired_token_stops_before_any_request(respx_mock, tmp_path: Path, fresh_db) -> None:  # type: ignore[no-untyped-def]
    _organic_ok(respx_mock)
    config = write_config(tmp_path)
    save_token(config, days_left=-1)
    summary = run_sync(config, fresh_db, ["linkedin"], now=NOW, sleep=lambda s: None)[0]
    assert summary.outcome == "failed"
    assert "expired on 2026-11-15T06:00:00Z; renew it with 'social auth linkedin --part page'" in (
        summary.error or ""
    )
    assert summary.requests == 0


@respx.mock(assert_all_called=False)
def test_a_refresh_token_is_used_when_present_and_the_new_token_saved(
    respx_mock, tmp_path: Path, fresh_db, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("SOCIAL_LINKEDIN_CLIENT_SECRET", "client-secret-abcdef")
    _organic_ok(respx_mock)
    respx_mock.get(f"{API}/rest/organizations/{ORG}").mock(
        side_effect=[
            li_error(401, "Invalid access token", 65600),
            httpx.Response(200, json={"localizedName": "STEM"}),
        ]
    )
    token_route = respx_mock.post("https://www.linkedin.com/oauth/v2/accessToken").mock(
        return_value=httpx.Response(
            200,
            json={
                "access_token": "fresh-access-token",
                "expires_in": 5184000,
                "refresh_token": "partner-refresh",
                "refresh_token_expires_in": 20_000_000,
            },
        )
    )
    config = write_config(tmp_path, 'client_id = "77abc"\n[sync]\nbackfill_days = 2')
    save_token(config, days_left=30, refresh="partner-refresh")
    summary = run_sync(config, fresh_db, ["linkedin"], now=NOW, sleep=lambda s: None)[0]
    assert summary.outcome == "ok", summary.error
    form = parse_qs(token_route.calls.last.request.content.decode())
    assert form == {
        "grant_type": ["refresh_token"],
        "refresh_token": ["partner-refresh"],
        "client_id": ["77abc"],
        "client_secret": ["client-secret-abcdef"],
    }
    saved = TokenStore(config.token_file).get("linkedin")
    assert saved is not None and saved.access_token == "fresh-access-token"
    assert saved.refresh_token == "partner-refresh" and saved.refresh_expires_at
    last = respx_mock.calls.last.request
    assert last.headers["Authorization"] == "Bearer fresh-access-token"


def test_pasting_a_token_assumes_60_days_and_status_shows_it(
    runner: CliRunner, workspace_dir: Path
) -> None:
    result = runner.invoke(cli, ["auth", "linkedin", "--token", "AQXpasted-token-1"])
    assert result.exit_code == 0, result.output
    assert "assumed LinkedIn's 60 days" in result.output
    assert "AQXpasted-token-1" not in result.output
    saved = TokenStore(workspace_dir / ".social-tokens.json").get("linkedin")
    assert saved is not None and saved.access_token == "AQXpasted-token-1"
    status = runner.invoke(cli, ["auth", "status", "--format", "json"])
    row = next(r for r in json.loads(status.output) if r["platform"] == "linkedin")
    assert (row["source"], round(row["days_left"]), row["warning"]) == ("file", 60, "")


def test_a_token_close_to_expiry_is_flagged_by_auth_status(
    runner: CliRunner, workspace_dir: Path
) -> None:
    result = runner.invoke(
        cli, ["auth", "linkedin", "--token", "AQXpasted-token-2", "--expires-in", str(9 * 86400)]
    )
    assert result.exit_code == 0, result.output
    status = runner.invoke(cli, ["auth", "status"])
    line = next(x for x in status.output.splitlines() if x.startswith("linkedin"))
    assert "expires in 9 days; run 'social auth linkedin --part page' before then" in line


def test_signing_in_without_an_app_names_both_settings(
    runner: CliRunner, workspace_dir: Path
) -> None:
    result = runner.invoke(cli, ["auth", "linkedin", "--code", "abc"])
    assert result.exit_code == 1
    assert "set client_id in the [linkedin] section" in result.output
    assert "SOCIAL_LINKEDIN_CLIENT_SECRET" in result.output
    assert "Traceback" not in result.output


@respx.mock(assert_all_called=False)
def test_an_authorization_code_is_exchanged_and_stored(
    respx_mock, runner: CliRunner, workspace_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("SOCIAL_LINKEDIN_CLIENT_SECRET", "client-secret-abcdef")
    (workspace_dir / "social.toml").write_text(
        '[linkedin]\nclient_id = "77abc"\norganization_id = "1"\n'
    )
    route = respx_mock.post("https://www.linkedin.com/oauth/v2/accessToken").mock(
        return_value=httpx.Response(
            200,
            json={
                "access_token": "AQX-new",
                "expires_in": 5184000,
                "scope": "r_organization_social",
            },
        )
    )
    result = runner.invoke(cli, ["auth", "linkedin", "--code", "the-code", "--port", "8799"])
    assert result.exit_code == 0, result.output
    form = parse_qs(route.calls.last.request.content.decode())
    assert form["grant_type"] == ["authorization_code"] and form["code"] == ["the-code"]
    assert form["redirect_uri"] == ["http://127.0.0.1:8799/callback"]
    assert "client-secret-abcdef" not in result.output
    saved = TokenStore(workspace_dir / ".social-tokens.json").get("linkedin")
    assert saved is not None and saved.access_token == "AQX-new" and saved.expires_at


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@respx.mock(assert_all_called=False)
def test_browser_sign_in_against_the_sandbox_stores_a_working_token(
    respx_mock, runner: CliRunner, workspace_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    """The full authorization-code flow: browser -> sandbox -> localhost redirect -> token."""
    monkeypatch.setenv("SOCIAL_LINKEDIN_CLIENT_SECRET", "client-secret-abcdef")
    port = _free_port()
    monkeypatch.setenv("SOCIAL_LINKEDIN_ADS_CLIENT_SECRET", "ads-secret-abcdef")
    (workspace_dir / "social.toml").write_text(
        '[linkedin]\nbase_url = "http://127.0.0.1:9/linkedin"\nclient_id = "77abc"\n'
        'ads_client_id = "77ads"\nad_account_ids = ["1"]\n'
    )
    state = SandboxState(seed=1, today=TODAY)
    respx_mock.route(host="127.0.0.1", port=9).mock(
        side_effect=lambda r: sandbox.PART.handle(r, state)
    )
    respx_mock.route(host="127.0.0.1", port=port).pass_through()
    opened: list[str] = []

    def browser(url: str) -> bool:
        opened.append(url)

        def follow() -> None:
            redirect = sandbox.PART.handle(httpx.Request("GET", url), state).headers["Location"]
            for _ in range(100):  # the callback server starts right after the browser opens
                try:
                    httpx.get(redirect, timeout=2)
                    return
                except httpx.TransportError:
                    time.sleep(0.02)

        threading.Thread(target=follow, daemon=True).start()
        return True

    monkeypatch.setattr("webbrowser.open", browser)
    result = runner.invoke(cli, ["auth", "linkedin", "--part", "ads", "--port", str(port)])
    assert result.exit_code == 0, result.output
    query = parse_qs(urlsplit(opened[0]).query)
    assert urlsplit(opened[0]).path == "/linkedin/oauth/v2/authorization"
    assert query["client_id"] == ["77ads"]  # the ads app
    assert query["scope"] == ["r_ads r_ads_reporting"]  # only the ads app's scopes
    saved = TokenStore(workspace_dir / ".social-tokens.json").get("linkedin_ads")
    assert saved is not None and saved.access_token.startswith("sandbox-li-ads-")
    assert TokenStore(workspace_dir / ".social-tokens.json").get("linkedin") is None
    assert TOKEN not in result.output
    status = runner.invoke(cli, ["auth", "status", "--format", "json"])
    rows = {r["platform"]: r["source"] for r in json.loads(status.output)}
    assert rows["linkedin"] == "none" and rows["linkedin_ads"] == "file"  # both are listed


def test_the_sandbox_refuses_an_app_that_asks_for_page_and_ads_scopes_at_once() -> None:
    url = (
        "http://sbx/linkedin/oauth/v2/authorization?response_type=code&client_id=77abc"
        "&redirect_uri=http%3A%2F%2F127.0.0.1%3A1%2Fcallback&state=s"
        "&scope=r_organization_social%20rw_organization_admin%20r_ads%20r_ads_reporting"
    )
    state = SandboxState(seed=1, today=TODAY)
    response = sandbox.PART.handle(httpx.Request("GET", url), state)
    assert response.status_code == 400
    assert "unauthorized_scope_error" in response.json()["message"]


@pytest.mark.parametrize(
    ("token", "path", "status"),
    [
        ("sandbox-li-page-x", "/linkedin/rest/adAnalytics?q=analytics", 403),
        ("sandbox-li-ads-x", f"/linkedin/rest/organizations/{sandbox.ORG_ID}", 403),
        ("sandbox-li-page-x", f"/linkedin/rest/organizations/{sandbox.ORG_ID}", 200),
    ],
)
def test_the_sandbox_ties_each_token_to_its_apps_product(
    token: str, path: str, status: int
) -> None:
    state = SandboxState(seed=1, today=TODAY)
    request = httpx.Request(
        "GET",
        f"http://sbx{path}",
        headers={
            "Authorization": f"Bearer {token}",
            "LinkedIn-Version": "202610",
            "X-Restli-Protocol-Version": "2.0.0",
        },
    )
    assert sandbox.PART.handle(request, state).status_code == status


@respx.mock(assert_all_called=False)
def test_each_part_sends_its_own_token_and_warns_about_its_own_expiry(
    respx_mock, tmp_path: Path, fresh_db
) -> None:  # type: ignore[no-untyped-def]
    _organic_ok(respx_mock)
    sent: list[tuple[str, str]] = []

    def ads(request: httpx.Request) -> httpx.Response:
        sent.append((request.url.path, request.headers["Authorization"]))
        if request.url.path.endswith("/adCampaigns") or request.url.path.endswith("/creatives"):
            return httpx.Response(200, json={"elements": [], "metadata": {}})
        return httpx.Response(200, json={"name": "Annonser", "elements": []})

    respx_mock.route(host="api.linkedin.com", path__startswith="/rest/ad").mock(side_effect=ads)
    config = write_config(tmp_path, "[sync]\nbackfill_days = 2", ads="508000111")
    save_token(config, days_left=40)
    store = TokenStore(config.token_file)
    from datetime import timedelta

    expires = (NOW + timedelta(days=5)).strftime("%Y-%m-%dT%H:%M:%SZ")
    store.save("linkedin_ads", TokenSet("li-ads-token-5", None, expires))
    summary = run_sync(config, fresh_db, ["linkedin"], now=NOW, sleep=lambda s: None)[0]
    assert summary.outcome == "ok", summary.error
    assert sent and all(auth == "Bearer li-ads-token-5" for _, auth in sent)
    organic = [c.request for c in respx_mock.calls if "/rest/ad" not in c.request.url.path]
    assert organic and all(r.headers["Authorization"] == f"Bearer {TOKEN}" for r in organic)
    assert summary.warnings == [
        "linkedin: the ads access token expires in 5 days (2026-11-21 07:00); "
        "run 'social auth linkedin --part ads' before then"
    ]


def test_token_sets_read_linkedins_refresh_token_lifetime() -> None:
    from collectors.linkedin.api import token_set

    tokens = token_set(
        {
            "access_token": "a",
            "expires_in": 5184000,
            "refresh_token": "r",
            "refresh_token_expires_in": 31536000,
        },
        now=NOW,
    )
    assert tokens == TokenSet("a", "r", "2027-01-15T06:00:00Z", "2027-11-16T06:00:00Z", "", "")
