"""One failure rule for every platform's parts: a part that fails is reported, the others go on."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import httpx
import pytest

from collectors.auth import TokenSet, TokenStore
from collectors.sandbox import Sandbox
from core.config import Config, load_config
from db import open_db
from db.connection import Database
from social.demo import demo_config, sandbox_ids, write_sandbox_tokens
from social.sync import run_sync

BASE = "http://sandbox"
TODAY = date(2026, 11, 16)

NOW = datetime(2026, 11, 16, 8, 0, tzinfo=UTC)
FACEBOOK_ADS_TOKEN = "sandbox-facebook-ads"  # its own token, so the test can tell the parts apart


def _facebook_pages(request: httpx.Request) -> bool:
    return request.headers.get("Authorization") != f"Bearer {FACEBOOK_ADS_TOKEN}"


# platform -> (the part made to fail, whether a request belongs to it, the parts that go on)
CASES: dict[str, tuple[str, Callable[[httpx.Request], bool], list[str]]] = {
    "tiktok": ("display", lambda r: r.url.path.startswith("/tiktok-open/"), ["business", "ads"]),
    "linkedin": ("page", lambda r: "/rest/ad" not in r.url.path, ["ads"]),
    "facebook": ("pages", _facebook_pages, ["ads"]),
}


def _workspace(tmp_path: Path, sandbox: Sandbox) -> tuple[Config, Database]:
    path = tmp_path / "social.toml"
    text = demo_config(BASE, sandbox_ids(), "en").replace("autostart = true", "autostart = false")
    path.write_text(text, encoding="utf-8")
    config = load_config(path)
    store = TokenStore(config.token_file)
    write_sandbox_tokens(store, config, transport=httpx.MockTransport(sandbox.handle))
    store.save("facebook_ads", TokenSet(FACEBOOK_ADS_TOKEN))
    return config, open_db(tmp_path / "social.db")


def _failing(sandbox: Sandbox, fails: Callable[[httpx.Request], bool]) -> httpx.MockTransport:
    def handle(request: httpx.Request) -> httpx.Response:
        if fails(request):
            return httpx.Response(500, json={"error": "down for the test"})
        return sandbox.handle(request)

    return httpx.MockTransport(handle)


def _kinds(db: Database, platform: str) -> set[str]:
    rows = db.execute(
        "SELECT DISTINCT a.kind FROM accounts a JOIN metric_values v ON v.account_id = a.id "
        "WHERE a.platform = ?",
        (platform,),
    ).fetchall()
    return {str(kind) for (kind,) in rows}


@pytest.mark.parametrize("platform", sorted(CASES))
def test_a_failing_part_is_reported_and_the_other_parts_are_collected(
    platform: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in [n for n in os.environ if n.startswith("SOCIAL_")]:
        monkeypatch.delenv(name)
    sandbox = Sandbox(seed=7, today=TODAY)
    config, db = _workspace(tmp_path, sandbox)
    part, fails, others = CASES[platform]
    healthy_run = httpx.MockTransport(sandbox.handle)
    [healthy] = run_sync(config, db, [platform], transport=healthy_run, now=NOW)
    assert healthy.outcome == "ok", healthy.error
    every_kind = _kinds(db, platform)

    fresh = open_db(tmp_path / "again.db")
    failing = _failing(sandbox, fails)
    [summary] = run_sync(
        config, fresh, [platform], transport=failing, now=NOW, sleep=lambda s: None
    )

    assert summary.outcome == "failed"
    assert (summary.error or "").endswith(f"(failed: {part}; collected: {', '.join(others)})")
    assert summary.error.count("\n") == 0 and summary.error.startswith(f"{platform}: ")
    stored = _kinds(fresh, platform)
    assert stored and stored < every_kind  # the other parts' data is there, the failed part's not
    run = fresh.execute("SELECT outcome, error FROM sync_runs").fetchone()
    assert run == ("failed", summary.error)
