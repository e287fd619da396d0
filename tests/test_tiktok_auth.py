"""TikTok sign-in as the platform requires it: desktop PKCE, and a 24-hour business token.

The sandbox plays TikTok: its sign-in page refuses a localhost redirect without
a PKCE challenge, its token endpoint refuses a verifier that does not match, and
the business tokens it issues expire after 24 hours, with refresh tokens that
work once (rotation).
"""

from __future__ import annotations

import hashlib
import json
import socket
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import respx
from click.testing import CliRunner

from collectors.auth import TokenSet, TokenStore, digest
from collectors.sandbox import Sandbox
from collectors.tiktok.api import pkce_challenge, pkce_pair
from collectors.tiktok.sandbox import BUSINESS_ID
from social.cli import cli
from social.sync import run_sync
from tests.tiktok_support import write_config

NOW = datetime(2026, 11, 24, 6, 0, tzinfo=UTC)
SANDBOX = "http://127.0.0.1:9"


@pytest.fixture(autouse=True)
def no_env(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    for name in list(os.environ):
        if name.startswith("SOCIAL_TIKTOK_"):
            monkeypatch.delenv(name)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_pkce_pairs_are_fresh_and_encoded_as_tiktok_or_rfc_7636_say() -> None:
    verifier, challenge = pkce_pair()
    assert 43 <= len(verifier) <= 128 and pkce_pair()[0] != verifier
    assert challenge == hashlib.sha256(verifier.encode()).hexdigest()  # TikTok's desktop guide
    # RFC 7636, appendix B
    rfc = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    assert pkce_challenge(rfc, "base64url") == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"


def _browser(opened: list[str], sandbox: Sandbox, *, tamper: bool = False):  # type: ignore[no-untyped-def]
    """A browser that signs in on the sandbox and follows the redirect to the local callback."""

    def open_url(url: str) -> bool:
        opened.append(url)
        if tamper:
            url = url.replace("code_challenge=", "code_challenge=0")

        def follow() -> None:
            response = sandbox.handle(httpx.Request("GET", url))
            redirect = response.headers.get("Location")
            if redirect is None:
                return
            for _ in range(100):  # the callback server starts right after the browser opens
                try:
                    httpx.get(redirect, timeout=2)
                    return
                except httpx.TransportError:
                    time.sleep(0.02)

        threading.Thread(target=follow, daemon=True).start()
        return True

    return open_url


@respx.mock(assert_all_called=False)
def test_the_desktop_sign_in_sends_a_pkce_challenge_and_its_verifier(
    respx_mock, runner: CliRunner, workspace_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("SOCIAL_TIKTOK_CLIENT_SECRET", "client-secret-xyz")
    (workspace_dir / "social.toml").write_text(
        f'[tiktok]\nbase_url = "{SANDBOX}/tiktok-open"\nclient_key = "ck-desktop"\n'
    )
    sandbox = Sandbox(today=NOW.date())
    token = respx_mock.route(host="127.0.0.1", port=9).mock(side_effect=sandbox.handle)
    port = _free_port()
    respx_mock.route(host="127.0.0.1", port=port).pass_through()
    opened: list[str] = []
    monkeypatch.setattr("webbrowser.open", _browser(opened, sandbox))
    result = runner.invoke(cli, ["auth", "tiktok", "--port", str(port)])
    assert result.exit_code == 0, result.output
    query = parse_qs(urlsplit(opened[0]).query)
    assert query["code_challenge_method"] == ["S256"]
    assert query["redirect_uri"] == [f"http://127.0.0.1:{port}/callback/"]
    form = parse_qs(token.calls.last.request.content.decode())
    assert form["redirect_uri"] == query["redirect_uri"]
    verifier = form["code_verifier"][0]
    assert hashlib.sha256(verifier.encode()).hexdigest() == query["code_challenge"][0]
    saved = TokenStore(workspace_dir / ".social-tokens.json").get("tiktok")
    assert saved is not None and saved.access_token.startswith("sandbox-act-")
    assert "client-secret-xyz" not in result.output


@respx.mock(assert_all_called=False)
def test_a_verifier_tiktok_does_not_accept_is_one_line_that_names_the_other_encoding(
    respx_mock, runner: CliRunner, workspace_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("SOCIAL_TIKTOK_CLIENT_SECRET", "client-secret-xyz")
    (workspace_dir / "social.toml").write_text(
        f'[tiktok]\nbase_url = "{SANDBOX}/tiktok-open"\nclient_key = "ck-desktop"\n'
    )
    sandbox = Sandbox(today=NOW.date())
    respx_mock.route(host="127.0.0.1", port=9).mock(side_effect=sandbox.handle)
    port = _free_port()
    respx_mock.route(host="127.0.0.1", port=port).pass_through()
    monkeypatch.setattr("webbrowser.open", _browser([], sandbox, tamper=True))
    result = runner.invoke(cli, ["auth", "tiktok", "--port", str(port)])
    assert result.exit_code == 1
    last = result.output.strip().splitlines()[-1]
    assert "Code verifier or code challenge is invalid" in last
    assert "--pkce base64url" in last and "Traceback" not in result.output
    assert TokenStore(workspace_dir / ".social-tokens.json").get("tiktok") is None


def test_the_sandbox_refuses_a_desktop_redirect_without_pkce() -> None:
    sandbox = Sandbox(today=NOW.date())
    url = (
        "http://sbx/tiktok-open/v2/auth/authorize/?client_key=ck&response_type=code"
        "&scope=user.info.basic&state=s&redirect_uri=http%3A%2F%2F127.0.0.1%3A8710%2Fcallback%2F"
    )
    refused = sandbox.handle(httpx.Request("GET", url))
    assert refused.status_code == 400
    assert "code_challenge" in refused.json()["error_description"]
    web = url.replace("http%3A%2F%2F127.0.0.1%3A8710", "https%3A%2F%2Fexample.no")
    assert sandbox.handle(httpx.Request("GET", web)).status_code == 302  # a web app: no PKCE


@respx.mock(assert_all_called=False)
def test_the_business_sign_in_saves_a_refreshable_pair_and_names_the_business_id(
    respx_mock, runner: CliRunner, workspace_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("SOCIAL_TIKTOK_BUSINESS_CLIENT_SECRET", "business-secret-xyz")
    (workspace_dir / "social.toml").write_text(
        f'[tiktok]\nbusiness_base_url = "{SANDBOX}/tiktok-business/open_api/v1.3"\n'
        'business_client_id = "biz-app"\n'
    )
    sandbox = Sandbox(today=NOW.date())
    route = respx_mock.route(host="127.0.0.1", port=9).mock(side_effect=sandbox.handle)
    result = runner.invoke(cli, ["auth", "tiktok", "--part", "business", "--code", "sandbox-auth"])
    assert result.exit_code == 0, result.output
    sent = json.loads(route.calls.last.request.content)
    assert route.calls.last.request.url.path.endswith("/tt_user/oauth2/token/")
    assert sent == {
        "client_id": "biz-app",
        "client_secret": "business-secret-xyz",
        "grant_type": "authorization_code",
        "auth_code": "sandbox-auth",
        "redirect_uri": "http://127.0.0.1:8710/callback/",
    }
    saved = TokenStore(workspace_dir / ".social-tokens.json").get("tiktok_business")
    assert saved is not None and saved.refresh_token and saved.account_id == BUSINESS_ID
    assert f'business_id = "{BUSINESS_ID}"' in result.output
    assert "business-secret-xyz" not in result.output
    status = runner.invoke(cli, ["auth", "status", "--format", "json"])
    row = next(r for r in json.loads(status.output) if r["platform"] == "tiktok_business")
    assert row["source"] == "file" and row["days_left"] > 300  # the refresh token decides


class Clock:
    """The sandbox's wall clock, moved by the test."""

    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


def _business_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("SOCIAL_TIKTOK_BUSINESS_CLIENT_SECRET", "business-secret-xyz")
    return write_config(
        tmp_path,
        f'business_base_url = "{SANDBOX}/tiktok-business/open_api/v1.3"\n'
        f'business_client_id = "biz-app"\nbusiness_id = "{BUSINESS_ID}"\n'
        "[sync]\nbackfill_days = 3",
    )


def _sync(config, db, sandbox: Sandbox):  # type: ignore[no-untyped-def]
    return run_sync(
        config,
        db,
        ["tiktok"],
        now=NOW,
        transport=httpx.MockTransport(sandbox.handle),
        sleep=lambda s: None,
    )[0]


def test_an_expired_business_token_is_refreshed_and_the_rotated_pair_saved_at_once(
    tmp_path: Path, fresh_db, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    config = _business_config(tmp_path, monkeypatch)
    clock = Clock()
    sandbox = Sandbox(today=NOW.date(), clock=clock)
    from collectors.tiktok.api import business_token

    first = business_token(
        f"{SANDBOX}/tiktok-business/open_api/v1.3",
        {
            "client_id": "biz-app",
            "client_secret": "s",
            "grant_type": "authorization_code",
            "auth_code": "sandbox-x",
            "redirect_uri": "https://x",
        },
        transport=httpx.MockTransport(sandbox.handle),
    )
    store = TokenStore(config.token_file)
    store.save("tiktok_business", first)
    assert _sync(config, fresh_db, sandbox).outcome == "ok"
    assert store.get("tiktok_business") == first  # still valid: no refresh
    clock.now += 25 * 3600  # a day and an hour later TikTok refuses the token
    summary = _sync(config, fresh_db, sandbox)
    assert summary.outcome == "ok", summary.error
    second = store.get("tiktok_business")
    assert second is not None
    assert second.access_token != first.access_token
    assert second.refresh_token != first.refresh_token  # the rotated one, saved
    clock.now += 25 * 3600
    assert _sync(config, fresh_db, sandbox).outcome == "ok"  # the old refresh token is spent
    assert "business-secret-xyz" not in config.token_file.read_text()


def test_a_refresh_token_from_the_environment_starts_a_chain_the_token_file_continues(
    tmp_path: Path, fresh_db, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    config = _business_config(tmp_path, monkeypatch)
    monkeypatch.setenv("SOCIAL_TIKTOK_BUSINESS_REFRESH_TOKEN", "sandbox-bizr-from-env")
    sandbox = Sandbox(today=NOW.date())
    assert _sync(config, fresh_db, sandbox).outcome == "ok"
    stored = TokenStore(config.token_file).get("tiktok_business")
    assert stored is not None and stored.origin == digest("sandbox-bizr-from-env")
    # The environment's refresh token has been used up (TikTok rotates them): the next syncs
    # must continue from the file, not try it again.
    for _ in range(2):
        stored = TokenStore(config.token_file).get("tiktok_business")
        assert stored is not None
        TokenStore(config.token_file).save(
            "tiktok_business",
            TokenSet(
                stored.access_token,
                stored.refresh_token,
                (datetime.now(UTC) - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ"),
                origin=stored.origin,
            ),
        )
        summary = _sync(config, fresh_db, sandbox)
        assert summary.outcome == "ok", summary.error
    assert "sandbox-bizr-from-env" not in config.token_file.read_text()


def test_a_business_token_without_a_refresh_token_warns_that_day_two_will_fail(
    tmp_path: Path, fresh_db, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    config = _business_config(tmp_path, monkeypatch)
    monkeypatch.setenv("SOCIAL_TIKTOK_BUSINESS_TOKEN", "sandbox-business-pasted")
    summary = _sync(config, fresh_db, Sandbox(today=NOW.date()))
    assert summary.outcome == "ok", summary.error
    assert any("lives 24 hours and cannot be refreshed" in w for w in summary.warnings)


def test_an_expired_business_token_without_a_way_to_refresh_is_one_clear_line(
    tmp_path: Path, fresh_db, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    config = _business_config(tmp_path, monkeypatch)
    monkeypatch.setenv("SOCIAL_TIKTOK_BUSINESS_TOKEN", "sandbox-biz-1-1000")  # expired in 1970
    summary = _sync(config, fresh_db, Sandbox(today=NOW.date()))
    assert summary.outcome == "failed"
    assert "code 40105" in (summary.error or "")
    assert "sandbox-biz-1-1000" not in (summary.error or "")
