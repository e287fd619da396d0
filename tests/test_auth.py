"""Credentials: env first, a 0600 token file, refresh with rotation saved at once, expiry status."""

from __future__ import annotations

import json
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
import respx
from click.testing import CliRunner

from collectors.auth import RefreshingAuth, TokenSet, TokenStore, token_status
from collectors.errors import MissingCredentials
from core.config import load_config
from core.errors import SocialError
from social.cli import cli
from social.sync import run_sync
from tests.tiktok_support import DISPLAY, display_error, user_info, video_list, write_config


def _iso(delta: timedelta) -> str:
    return (datetime.now(UTC) + delta).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_token_file_is_written_with_mode_0600(tmp_path: Path) -> None:
    store = TokenStore(tmp_path / ".social-tokens.json")
    store.save("tiktok", TokenSet("act.1", "rft.1"))
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
    assert store.get("tiktok") == TokenSet("act.1", "rft.1")


def test_a_token_file_readable_by_others_is_refused(tmp_path: Path) -> None:
    store = TokenStore(tmp_path / ".social-tokens.json")
    store.save("tiktok", TokenSet("act.1"))
    store.path.chmod(0o644)
    with pytest.raises(SocialError, match="chmod 600"):
        store.get("tiktok")


def test_environment_token_wins_over_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = TokenStore(tmp_path / "t.json")
    store.save("tiktok", TokenSet("from-file"))
    monkeypatch.setenv("SOCIAL_TIKTOK_ACCESS_TOKEN", "from-env")
    assert RefreshingAuth("tiktok", store).token == "from-env"


def test_no_token_anywhere_names_both_fixes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOCIAL_TIKTOK_ACCESS_TOKEN", raising=False)
    with pytest.raises(
        MissingCredentials, match="SOCIAL_TIKTOK_ACCESS_TOKEN or run 'social auth tiktok'"
    ):
        RefreshingAuth("tiktok", TokenStore(tmp_path / "t.json"))


def test_status_lists_the_facebook_ads_token_and_warns_before_it_expires(
    workspace_dir: Path, runner: CliRunner, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("SOCIAL_FACEBOOK_ADS_TOKEN", raising=False)
    result = runner.invoke(cli, ["auth", "status", "--format", "json"])
    assert "facebook_ads" not in result.output  # not in use, not listed
    store = TokenStore(load_config(None).token_file)
    store.save("facebook_ads", TokenSet("EAAlong", None, _iso(timedelta(days=5))))
    result = runner.invoke(cli, ["auth", "status"])
    line = next(x for x in result.output.splitlines() if x.startswith("facebook_ads"))
    assert "expires in 5 days; run 'social auth facebook'" in line
    assert "EAAlong" not in result.output


@respx.mock(base_url=DISPLAY, assert_all_called=False)
def test_a_401_refreshes_once_and_the_rotated_refresh_token_is_saved_at_once(
    respx_mock, tmp_path, fresh_db, monkeypatch
):  # type: ignore[no-untyped-def]
    monkeypatch.delenv("SOCIAL_TIKTOK_ACCESS_TOKEN", raising=False)
    monkeypatch.setenv("SOCIAL_TIKTOK_CLIENT_SECRET", "client-secret-xyz")
    config = write_config(tmp_path, 'client_key = "ck"')
    store = TokenStore(config.token_file)
    store.save("tiktok", TokenSet("old-access", "old-refresh", _iso(timedelta(hours=20))))
    token = respx_mock.post("/v2/oauth/token/").mock(
        return_value=httpx.Response(
            200,
            json={
                "access_token": "new-access",
                "expires_in": 86400,
                "open_id": "open-123",
                "refresh_token": "rotated-refresh",
                "refresh_expires_in": 31536000,
                "scope": "video.list",
                "token_type": "Bearer",
            },
        )
    )
    respx_mock.get("/v2/user/info/").mock(
        side_effect=[display_error(401, "access_token_invalid"), user_info()]
    )
    respx_mock.post("/v2/video/list/").mock(return_value=video_list([], 0, False))
    summary = run_sync(config, fresh_db, ["tiktok"], sleep=lambda s: None)[0]
    assert summary.outcome == "ok", summary.error
    form = dict(x.split("=") for x in token.calls.last.request.content.decode().split("&"))
    assert form["grant_type"] == "refresh_token" and form["refresh_token"] == "old-refresh"
    saved = store.get("tiktok")
    assert saved is not None
    assert (saved.access_token, saved.refresh_token) == ("new-access", "rotated-refresh")
    assert "client-secret-xyz" not in config.token_file.read_text()


def test_status_warns_within_14_days_of_expiry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOCIAL_LINKEDIN_ACCESS_TOKEN", raising=False)
    store = TokenStore(tmp_path / "t.json")
    store.save("linkedin", TokenSet("a", None, _iso(timedelta(days=10))))
    status = token_status("linkedin", store)
    assert status.source == "file"
    assert "expires in 10 days" in status.warning
    store.save("linkedin", TokenSet("a", None, _iso(timedelta(days=40))))
    assert token_status("linkedin", store).warning == ""


def test_auth_tiktok_with_a_pasted_token_then_status_shows_it(
    workspace_dir: Path, runner: CliRunner, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("SOCIAL_TIKTOK_ACCESS_TOKEN", raising=False)
    result = runner.invoke(
        cli, ["auth", "tiktok", "--token", "act.pasted", "--expires-in", "86400"]
    )
    assert result.exit_code == 0, result.output
    result = runner.invoke(cli, ["auth", "status", "--format", "json"])
    tiktok = next(r for r in json.loads(result.output) if r["platform"] == "tiktok")
    assert tiktok["source"] == "file" and 0.9 < tiktok["days_left"] <= 1
    assert "act.pasted" not in result.output


@respx.mock(base_url=DISPLAY, assert_all_called=False)
def test_auth_tiktok_exchanges_an_authorization_code(
    respx_mock, workspace_dir: Path, runner: CliRunner, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    (workspace_dir / "social.toml").write_text('[tiktok]\nclient_key = "ck"\n')
    monkeypatch.setenv("SOCIAL_TIKTOK_CLIENT_SECRET", "cs")
    respx_mock.post("/v2/oauth/token/").mock(
        return_value=httpx.Response(
            200,
            json={
                "access_token": "act.x",
                "expires_in": 86400,
                "open_id": "open-9",
                "refresh_token": "rft.x",
                "refresh_expires_in": 31536000,
                "scope": "video.list",
            },
        )
    )
    result = runner.invoke(cli, ["auth", "tiktok", "--code", "code-123"])
    assert result.exit_code == 0, result.output
    assert "open-9" in result.output
    assert TokenStore(workspace_dir / ".social-tokens.json").get("tiktok").refresh_token == "rft.x"  # type: ignore[union-attr]


@respx.mock(base_url=DISPLAY, assert_all_called=False)
def test_a_refused_code_exchange_is_one_clear_line(
    respx_mock, workspace_dir: Path, runner: CliRunner, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    (workspace_dir / "social.toml").write_text('[tiktok]\nclient_key = "ck"\n')
    monkeypatch.setenv("SOCIAL_TIKTOK_CLIENT_SECRET", "cs")
    respx_mock.post("/v2/oauth/token/").mock(
        return_value=httpx.Response(
            400,
            json={"error": "invalid_grant", "error_description": "Authorization code is expired."},
        )
    )
    result = runner.invoke(cli, ["auth", "tiktok", "--code", "old"])
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1].startswith("Error: tiktok: token request refused")
