"""Resumable sync: any interrupted run followed by a complete run equals one clean run.

Every platform is synced from the in-process sandbox (its real shapes and
rules) with a fixed clock. The interrupted runs stop (like Ctrl+C) at every
stage boundary a collector announces, and at random requests inside stages;
the database after the next complete run must hold exactly what one clean run
stores: posts, snapshots, values with their windows, ad entities with their
flights and links, breakdowns and bookmarks.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlite_utils import Database

from collectors.auth import TokenSet, TokenStore
from collectors.sandbox import Sandbox
from core.config import Config, load_config
from db import open_db
from social.demo import demo_config, sandbox_ids
from social.sync import run_sync

NOW = datetime(2026, 11, 24, 6, 0, tzinfo=UTC)
TODAY = date(2026, 11, 24)
BASE = "http://sandbox.test"


class Killed(KeyboardInterrupt):
    """The user pressed Ctrl+C."""


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Config:
    import os

    for name in list(os.environ):
        if name.startswith("SOCIAL_"):
            monkeypatch.delenv(name)
    text = demo_config(BASE, sandbox_ids(), "nb").replace("autostart = true", "autostart = false")
    (tmp_path / "social.toml").write_text(text + "\n[sync]\nbackfill_days = 21\n", encoding="utf-8")
    config = load_config(tmp_path / "social.toml")
    store = TokenStore(config.token_file)
    for entry, token in (
        ("tiktok", "sandbox-display"),
        ("tiktok_business", "sandbox-business"),
        ("tiktok_ads_token", "sandbox-ads-x"),
        ("linkedin", "sandbox-li-page-x"),
        ("linkedin_ads", "sandbox-li-ads-x"),
        ("facebook", "sandbox-page"),
        ("facebook_ads", "sandbox-user"),
    ):
        store.save(entry, TokenSet(token))
    return config


def _sync(
    config: Config,
    db: Database,
    *,
    on_stage: Any = None,
    kill_at_request: int | None = None,
) -> list[Any]:
    sandbox = Sandbox(seed=5, today=TODAY)
    count = 0

    def handle(request: httpx.Request) -> httpx.Response:
        nonlocal count
        count += 1
        if kill_at_request is not None and count == kill_at_request:
            raise Killed
        return sandbox.handle(request)

    return run_sync(
        config,
        db,
        now=NOW,
        transport=httpx.MockTransport(handle),
        sleep=lambda s: None,
        on_stage=on_stage,
    )


def content(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Everything a sync stores, without the moments of writing (collected_at, updated_at)."""
    queries = {
        "accounts": "SELECT platform, kind, external_id, name FROM accounts",
        "posts": """SELECT platform, external_id, published_at, caption, link, format, duration_s,
                           tags, is_ad, source FROM posts""",
        "snapshots": """SELECT p.external_id, s.metric, s.origin, s.captured_at, s.value, s.source
                        FROM post_snapshots s JOIN posts p ON p.id = s.post_id""",
        "latest": """SELECT p.external_id, l.metric, l.origin, l.captured_at, l.value
                     FROM post_latest l JOIN posts p ON p.id = l.post_id""",
        "values": """SELECT v.platform, v.subject_type,
                            COALESCE(p.external_id, e.external_id, a.external_id),
                            v.metric, v.origin, v.grain, v.window_start, v.window_end, v.value,
                            v.source
                     FROM metric_values v
                     LEFT JOIN posts p ON v.subject_type = 'post' AND p.id = v.subject_id
                     LEFT JOIN ad_entities e ON v.subject_type = 'ad' AND e.id = v.subject_id
                     LEFT JOIN accounts a ON v.subject_type = 'account' AND a.id = v.subject_id""",
        "ad_entities": """SELECT e.platform, e.level, e.external_id, e.name, p.external_id,
                                 e.status, e.objective, e.start_date, e.end_date,
                                 e.post_external_id
                          FROM ad_entities e LEFT JOIN ad_entities p ON p.id = e.parent_id""",
        "breakdowns": """SELECT p.external_id, b.dimension, b.key, b.value, b.captured_at
                         FROM post_breakdowns b JOIN posts p ON p.id = b.post_id""",
        "bookmarks": """SELECT a.platform, a.kind, a.external_id, b.stream, b.value
                        FROM sync_bookmarks b JOIN accounts a ON a.id = b.account_id""",
        "retired": "SELECT platform, metric FROM retired_metrics",
    }
    return {
        name: sorted(tuple(row) for row in db.execute(sql).fetchall())
        for name, sql in queries.items()
    }


@pytest.fixture(scope="module")
def clean_cache() -> dict[str, Any]:
    return {}


@pytest.fixture
def clean(config: Config, tmp_path: Path, clean_cache: dict[str, Any]) -> dict[str, Any]:
    """One clean run's content and the stages it went through."""
    if not clean_cache:
        db = open_db(tmp_path / "clean.db")
        stages: list[str] = []
        summaries = _sync(config, db, on_stage=stages.append)
        assert all(s.outcome == "ok" for s in summaries), [s.error for s in summaries]
        clean_cache["content"] = content(db)
        clean_cache["stages"] = stages
        clean_cache["requests"] = sum(s.requests for s in summaries)
    return clean_cache


def _resumed(config: Config, db: Database, **kill: Any) -> dict[str, list[tuple[Any, ...]]]:
    with pytest.raises(Killed):
        _sync(config, db, **kill)
    outcomes = [o for (o,) in db.execute("SELECT outcome FROM sync_runs")]
    assert outcomes[-1] == "interrupted" and "running" not in outcomes
    summaries = _sync(config, db)
    assert all(s.outcome == "ok" for s in summaries), [s.error for s in summaries]
    return content(db)


def test_the_clean_run_covers_every_stage_of_every_platform(clean: dict[str, Any]) -> None:
    stages = clean["stages"]
    for platform in ("tiktok", "linkedin", "facebook"):
        assert any(s.startswith(f"{platform}/") for s in stages)
    for needle in ("ads/7000000000000000001/flights", "page/followers", "business/videos"):
        assert any(needle in s for s in stages), needle
    values = clean["content"]["values"]
    assert any(v[5] == "campaign" for v in values)  # whole-flight rows were stored


def test_a_run_killed_at_any_stage_boundary_is_finished_by_the_next_run(
    config: Config, clean: dict[str, Any], tmp_path: Path
) -> None:
    for n, stage in enumerate(clean["stages"]):
        db = open_db(tmp_path / f"stage-{n}.db")

        def kill(name: str, target: str = stage) -> None:
            if name == target:
                raise Killed

        resumed = _resumed(config, db, on_stage=kill)
        for table, rows in clean["content"].items():
            assert resumed[table] == rows, f"killed before {stage}: {table} differs"


def test_runs_killed_at_random_requests_are_finished_by_the_next_run(
    config: Config, clean: dict[str, Any], tmp_path: Path
) -> None:
    rng = random.Random(20261124)
    for n, request in enumerate(sorted(rng.sample(range(2, clean["requests"]), 8))):
        db = open_db(tmp_path / f"random-{n}.db")
        resumed = _resumed(config, db, kill_at_request=request)
        for table, rows in clean["content"].items():
            assert resumed[table] == rows, f"killed at request {request}: {table} differs"
