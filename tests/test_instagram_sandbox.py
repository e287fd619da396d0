"""The Instagram sandbox end to end: found from the Page, Meta's rules enforced, idempotent syncs."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlite_utils import Database

from collectors.facebook.sandbox import PAGE_ID
from collectors.instagram import sandbox
from collectors.sandbox import Sandbox
from core.config import Config, load_config
from db import open_db
from social.sync import SyncSummary, run_sync

TODAY = date(2026, 3, 2)
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
SEED = 42


def config(folder: Path, monkeypatch: pytest.MonkeyPatch, instagram: str = "") -> Config:
    monkeypatch.setenv("SOCIAL_FACEBOOK_ACCESS_TOKEN", "sandbox-page-token")
    path = folder / "social.toml"
    path.write_text(
        '[general]\ntimezone = "Europe/Oslo"\n[tiktok]\nenabled = false\n'
        f'[facebook]\nenabled = false\nbase_url = "http://127.0.0.1:9/facebook"\n'
        f'page_id = "{PAGE_ID}"\n[instagram]\nenabled = true\n{instagram}\n'
        "[sync]\nbackfill_days = 60\n",
        encoding="utf-8",
    )
    return load_config(path)


def sync(cfg: Config, db: Database, box: Sandbox) -> SyncSummary:
    transport = httpx.MockTransport(box.handle)
    [summary] = run_sync(cfg, db, ["instagram"], now=NOW, transport=transport, sleep=lambda s: None)
    return summary


def counts(db: Database) -> tuple[int, ...]:
    return tuple(
        db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
        for table in ("posts", "post_snapshots", "metric_values", "accounts")
    )


def test_a_sandbox_sync_stores_the_account_and_media_and_a_second_run_adds_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cfg = config(tmp_path, monkeypatch)
    db = open_db(cfg.database_path)
    box = Sandbox(seed=SEED, today=TODAY)
    first = sync(cfg, db, box)
    assert first.outcome == "ok", first.error
    assert first.warnings == []
    world = sandbox.world(SEED, TODAY)
    since = TODAY - timedelta(days=60)
    expected_posts = [m for m in world.media if m.published.date() >= since]
    assert first.new_posts == len(expected_posts) > 8
    day = TODAY - timedelta(days=10)
    stored = dict(
        db.execute(
            "SELECT metric, value FROM metric_values WHERE platform = 'instagram' AND "
            "subject_type = 'account' AND grain = 'day' AND window_start = ?",
            [day.isoformat()],
        ).fetchall()
    )
    assert stored == {m: world.days[day][m] for m in stored}
    assert set(stored) == {"reach", "follower_count", "views", "profile_views", "accounts_engaged"}
    # reach covers the whole backfill; follower_count (Meta's limit) and the per-day
    # total_value metrics (a request a day) the last 30 days.
    spans = dict(
        db.execute(
            "SELECT metric, COUNT(*) FROM metric_values WHERE subject_type = 'account' "
            "AND grain = 'day' GROUP BY metric"
        ).fetchall()
    )
    assert spans["reach"] == 60 and spans["follower_count"] == spans["views"] == 30
    before = counts(db)
    again = sync(cfg, db, box)
    assert again.outcome == "ok", again.error
    assert again.new_posts == 0 and counts(db)[:2] == before[:2]


def test_the_sandbox_refuses_retired_metrics_and_the_sync_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cfg = config(
        tmp_path,
        monkeypatch,
        'account_metrics = ["reach", "impressions", "views"]\n'
        'media_metrics = ["views", "plays", "reach", "ig_reels_avg_watch_time"]',
    )
    db = open_db(cfg.database_path)
    summary = sync(cfg, db, Sandbox(seed=SEED, today=TODAY))
    assert summary.outcome == "ok", summary.error
    retired = {m for (m,) in db.execute("SELECT metric FROM retired_metrics").fetchall()}
    assert retired == {"impressions", "plays", "ig_reels_avg_watch_time"}
    joined = " ".join(summary.warnings)
    assert "impressions" in joined and "feed media" in joined
    views = db.execute("SELECT COUNT(*) FROM post_snapshots WHERE metric = 'views'").fetchone()
    assert views[0] == summary.new_posts


def test_the_sandbox_enforces_metric_type_and_the_30_day_span() -> None:
    box = Sandbox(seed=SEED, today=TODAY)
    base = f"http://sandbox/facebook/v25.0/{sandbox.IG_USER_ID}/insights"
    headers = {"Authorization": "Bearer sandbox-page-token"}

    def ask(**query: str) -> dict:
        response = box.handle(httpx.Request("GET", base, params=query, headers=headers))
        body: dict = response.json()
        return body

    refused = ask(metric="views", period="day", metric_type="time_series")
    assert "metric_type=total_value" in refused["error"]["message"]
    long = ask(metric="reach", period="day", since="2026-01-01", until="2026-02-15")
    assert long["error"]["code"] == 100 and "30 days" in long["error"]["message"]
    unknown = ask(metric="reach,impresions", period="day")
    assert unknown["error"]["message"].startswith("(#100) metric[1] must be one of")
