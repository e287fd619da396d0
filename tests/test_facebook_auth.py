"""`social auth facebook`: long-lived user token, Page token, the token file, clear errors."""

from __future__ import annotations

import json
import stat
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
import respx
from click.testing import CliRunner

from collectors.auth import TokenStore
from collectors.facebook import sandbox as sandbox
from core.config import load_config
from db import open_db
from social.cli import cli
from social.sync import run_sync
from tests.facebook_support import sandbox_state

SECRET = "app-secret-0123456789"
HOST = "https://graph.test"


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("ACCESS_TOKEN", "ADS_TOKEN"):
        monkeypatch.delenv(f"SOCIAL_FACEBOOK_{name}", raising=False)
    monkeypatch.setenv("SOCIAL_FACEBOOK_APP_SECRET", SECRET)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SOCIAL_CONFIG", raising=False)
    _write(tmp_path, f'page_id = "{sandbox.PAGE_ID}"')
    return tmp_path


def _write(folder: Path, extra: str) -> None:
    (folder / "social.toml").write_text(
        f'[tiktok]\nenabled = false\n[facebook]\nenabled = true\nbase_url = "{HOST}/facebook"\n'
        f'app_id = "1234567890123"\nad_account_ids = ["{sandbox.AD_ACCOUNT_ID}"]\n{extra}\n',
        encoding="utf-8",
    )


@pytest.fixture
def graph() -> Iterator[respx.MockRouter]:
    state = sandbox_state(today=datetime.now(UTC).date())
    with respx.mock(assert_all_called=False) as router:
        router.route(host="graph.test", name="sandbox").mock(
            side_effect=lambda request: sandbox.PART.handle(request, state)
        )
        yield router


def _tokens(folder: Path) -> dict[str, dict[str, str]]:
    path = folder / ".social-tokens.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    data: dict[str, dict[str, str]] = json.loads(path.read_text(encoding="utf-8"))
    return data


def test_exchanges_the_user_token_and_stores_page_and_ads_tokens(
    workspace: Path, graph: respx.MockRouter
) -> None:
    result = CliRunner().invoke(cli, ["auth", "facebook", "--user-token", "sandbox-short-lived"])
    assert result.exit_code == 0, result.output
    assert f"Connected the Facebook Page {sandbox.PAGE_NAME} ({sandbox.PAGE_ID})" in result.output
    assert SECRET not in result.output
    exchange = graph.routes["sandbox"].calls[0].request
    assert exchange.url.path == "/facebook/v25.0/oauth/access_token"
    assert dict(exchange.url.params) == {
        "grant_type": "fb_exchange_token",
        "client_id": "1234567890123",
        "client_secret": SECRET,
        "fb_exchange_token": "sandbox-short-lived",
    }
    page_call = graph.routes["sandbox"].calls[1].request
    assert page_call.url.params["fields"] == "id,name,access_token"
    tokens = _tokens(workspace)
    assert tokens["facebook"]["access_token"].startswith("sandbox-page-")
    assert tokens["facebook"]["expires_at"] is None  # a Page token does not expire
    assert page_call.headers["Authorization"] == f"Bearer {tokens['facebook_ads']['access_token']}"
    expires = datetime.fromisoformat(tokens["facebook_ads"]["expires_at"].replace("Z", "+00:00"))
    assert timedelta(days=59) < expires - datetime.now(UTC) < timedelta(days=61)


def test_the_stored_tokens_are_what_the_next_sync_uses(
    workspace: Path, graph: respx.MockRouter
) -> None:
    result = CliRunner().invoke(cli, ["auth", "facebook", "--user-token", "sandbox-short-lived"])
    assert result.exit_code == 0, result.output
    config = load_config(workspace / "social.toml")
    summary = run_sync(config, open_db(config.database_path), ["facebook"], sleep=lambda s: None)[0]
    assert summary.outcome == "ok", summary.error
    assert summary.new_posts > 0


def test_without_page_id_the_only_managed_page_is_used(
    workspace: Path, graph: respx.MockRouter
) -> None:
    _write(workspace, "")
    result = CliRunner().invoke(cli, ["auth", "facebook", "--user-token", "sandbox-short-lived"])
    assert result.exit_code == 0, result.output
    assert graph.routes["sandbox"].calls[1].request.url.path == "/facebook/v25.0/me/accounts"
    assert f'Set page_id = "{sandbox.PAGE_ID}"' in result.output
    assert _tokens(workspace)["facebook"]["account_id"] == sandbox.PAGE_ID


def test_a_refused_user_token_is_one_clear_line_and_nothing_is_stored(
    workspace: Path, graph: respx.MockRouter
) -> None:
    result = CliRunner().invoke(cli, ["auth", "facebook", "--user-token", "EAAB-revoked-token-42"])
    assert result.exit_code == 1
    assert result.output.startswith("Error: facebook: the Facebook token expired or was revoked")
    assert "460" in result.output and "social auth facebook --user-token" in result.output
    assert "EAAB-revoked-token-42" not in result.output and SECRET not in result.output
    assert "Traceback" not in result.output
    assert not TokenStore(workspace / ".social-tokens.json").path.exists()


def test_missing_app_credentials_say_what_to_set(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOCIAL_FACEBOOK_APP_SECRET")
    result = CliRunner().invoke(cli, ["auth", "facebook", "--user-token", "sandbox-x"])
    assert result.exit_code == 1
    assert "SOCIAL_FACEBOOK_APP_SECRET" in result.output and "app_id" in result.output


def test_a_wrong_app_secret_is_not_retried_and_names_the_setting(
    workspace: Path, graph: respx.MockRouter
) -> None:
    graph.routes["sandbox"].mock(
        return_value=httpx.Response(
            400,
            json={
                "error": {
                    "message": "Error validating client secret.",
                    "type": "OAuthException",
                    "code": 1,
                    "fbtrace_id": "Axyz",
                }
            },
        )
    )
    result = CliRunner().invoke(cli, ["auth", "facebook", "--user-token", "sandbox-x"])
    assert result.exit_code == 1
    assert "Error validating client secret" in result.output
    assert "SOCIAL_FACEBOOK_APP_SECRET" in result.output
    assert graph.routes["sandbox"].call_count == 1


def test_the_command_is_documented_with_an_example(workspace: Path) -> None:
    result = CliRunner().invoke(cli, ["auth", "facebook", "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output and "--user-token" in result.output
