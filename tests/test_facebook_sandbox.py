"""The Facebook sandbox end to end: real shapes, honest reach, retired metrics, idempotent syncs."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

import httpx
import pytest
from sqlite_utils import Database

from collectors.facebook import sandbox as sandbox
from collectors.sandbox import Sandbox
from collectors.sandbox.state import SandboxState
from core.config import Config
from db import open_db
from social.sync import run_sync
from tests.facebook_support import sandbox_state, write_config

TODAY = date(2026, 3, 2)  # after the 2025/26 teacher campaign (3 Nov - 1 Feb)
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
TEACHERS = "120210000000000101"


def transport(state: SandboxState | None = None) -> httpx.MockTransport:
    state = state or sandbox_state(today=TODAY)
    return httpx.MockTransport(lambda request: sandbox.PART.handle(request, state))


def config(folder: Path, monkeypatch: pytest.MonkeyPatch, extra: str = "") -> Config:
    monkeypatch.setenv("SOCIAL_FACEBOOK_ACCESS_TOKEN", "sandbox-page-token")
    monkeypatch.setenv("SOCIAL_FACEBOOK_ADS_TOKEN", "sandbox-ads-token")
    return write_config(
        folder,
        f'base_url = "http://127.0.0.1:9/facebook"\npage_id = "{sandbox.PAGE_ID}"\n'
        f'ad_account_ids = ["act_{sandbox.AD_ACCOUNT_ID}"]\n{extra}',
        "backfill_days = 365",
    )


def _counts(db: Database) -> tuple[int, ...]:
    return tuple(
        db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
        for table in ("posts", "post_snapshots", "metric_values", "ad_entities", "accounts")
    )


def test_a_sandbox_sync_stores_everything_and_a_second_run_adds_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cfg = config(tmp_path, monkeypatch)
    db = open_db(cfg.database_path)
    sleeps: list[float] = []
    first = run_sync(cfg, db, ["facebook"], now=NOW, transport=transport(), sleep=sleeps.append)[0]
    assert first.outcome == "ok", first.error
    assert first.warnings == []
    assert 104 <= first.new_posts <= 208  # 2-4 posts a week for a year
    assert sleeps == [2.0]  # the year of daily ad rows ran as one async report
    counts = _counts(db)
    again = run_sync(cfg, db, ["facebook"], now=NOW, transport=transport(), sleep=sleeps.append)[0]
    assert again.outcome == "ok", again.error
    assert (again.new_posts, again.updated_values) == (0, 0)
    assert _counts(db) == counts
    dump = "\n".join(db.iterdump())
    assert "sandbox-page-token" not in dump and "sandbox-ads-token" not in dump


def test_the_teacher_campaign_matches_its_known_figures_with_honest_reach(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cfg = config(tmp_path, monkeypatch)
    db = open_db(cfg.database_path)
    summary = run_sync(cfg, db, ["facebook"], now=NOW, transport=transport(), sleep=lambda s: None)[
        0
    ]
    assert summary.outcome == "ok", summary.error
    flight = dict(
        db.execute(
            """SELECT v.metric, v.value FROM metric_values v JOIN ad_entities e ON e.id = v.subject_id
           WHERE v.grain = 'campaign' AND e.external_id = ? AND v.window_start = '2025-11-03'
             AND v.window_end = '2026-02-01'""",
            [TEACHERS],
        ).fetchall()
    )
    assert flight["impressions"] == pytest.approx(400_000, rel=0.01)
    assert flight["reach"] == pytest.approx(142_000, rel=0.02)
    assert flight["link_click"] == pytest.approx(4_300, rel=0.02)
    daily_reach = db.execute(
        """SELECT SUM(v.value) FROM metric_values v JOIN ad_entities e ON e.id = v.subject_id
           WHERE v.metric = 'reach' AND v.grain = 'day' AND e.external_id = ?""",
        [TEACHERS],
    ).fetchone()[0]
    assert daily_reach > 2 * flight["reach"]  # sum of daily reach is an upper bound, not reach
    daily_impressions = db.execute(
        """SELECT SUM(v.value) FROM metric_values v JOIN ad_entities e ON e.id = v.subject_id
           WHERE v.metric = 'impressions' AND v.grain = 'day' AND e.external_id = ?""",
        [TEACHERS],
    ).fetchone()[0]
    assert daily_impressions == flight["impressions"]  # counts do add up
    weeks = db.execute(
        "SELECT window_start, window_end, value FROM metric_values WHERE subject_type = 'account' "
        "AND grain = 'week' AND metric = 'reach' AND origin = 'paid' ORDER BY 1"
    ).fetchall()
    assert weeks and all(date.fromisoformat(s).weekday() == 0 for s, _, _ in weeks)
    assert all((date.fromisoformat(e) - date.fromisoformat(s)).days == 6 for s, e, _ in weeks)
    # Page views are split by is_from_ads, viewers are not (Meta dropped that split).
    origins = dict(
        db.execute(
            "SELECT metric, GROUP_CONCAT(DISTINCT origin) FROM metric_values WHERE subject_type = 'account' "
            "AND metric LIKE 'page_%' GROUP BY metric"
        ).fetchall()
    )
    assert set(origins["page_media_view"].split(",")) == {"organic", "paid"}
    assert origins["page_total_media_view_unique"] == "total"
    weekly_viewers = db.execute(
        "SELECT window_start, window_end, value FROM metric_values WHERE grain = 'week' "
        "AND metric = 'page_total_media_view_unique' ORDER BY 1 DESC LIMIT 1"
    ).fetchone()
    sum_daily = db.execute(
        "SELECT SUM(value) FROM metric_values WHERE grain = 'day' AND metric = "
        "'page_total_media_view_unique' AND window_start BETWEEN ? AND ?",
        [weekly_viewers[0], weekly_viewers[1]],
    ).fetchone()[0]
    assert weekly_viewers[2] < sum_daily


def test_retired_metrics_answer_metas_error_and_the_rest_is_still_collected(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cfg = config(
        tmp_path,
        monkeypatch,
        'page_metrics = ["page_media_view", "page_impressions_unique", "page_follows", "page_fans"]\n'
        'post_metrics = ["post_impressions", "post_media_view", "post_total_media_view_unique"]',
    )
    db = open_db(cfg.database_path)
    summary = run_sync(cfg, db, ["facebook"], now=NOW, transport=transport(), sleep=lambda s: None)[
        0
    ]
    assert summary.outcome == "ok", summary.error
    refused = sorted(re.findall(r"refused the insights metric (\w+) ", " ".join(summary.warnings)))
    assert refused == ["page_fans", "page_impressions_unique", "post_impressions"]
    assert sorted(r[0] for r in db.execute("SELECT metric FROM retired_metrics")) == refused
    stored = {m for (m,) in db.execute("SELECT DISTINCT metric FROM metric_values")}
    assert {"page_media_view", "page_follows", "post_total_media_view_unique"} <= stored
    assert (
        db.execute("SELECT COUNT(*) FROM post_latest WHERE metric = 'post_media_view'").fetchone()[
            0
        ]
        > 0
    )
    again = run_sync(cfg, db, ["facebook"], now=NOW, transport=transport(), sleep=lambda s: None)[0]
    assert len(again.warnings) == 3  # still refused: warned once per sync, recorded once
    assert db.execute("SELECT COUNT(*) FROM retired_metrics").fetchone()[0] == 3


def _get(path: str, token: str = "sandbox-x", **params: str) -> httpx.Response:
    with httpx.Client(transport=transport(), base_url="http://sandbox/facebook") as client:
        return client.get(path, params=params, headers={"Authorization": f"Bearer {token}"})


def test_the_sandbox_speaks_metas_error_envelopes() -> None:
    expired = _get(f"/v25.0/{sandbox.PAGE_ID}", token="sandbox-expired-1")
    assert expired.status_code == 401
    assert (
        expired.json()["error"]["code"] == 190 and expired.json()["error"]["error_subcode"] == 463
    )
    assert "fbtrace_id" in expired.json()["error"]
    invalid = _get(f"/v25.0/{sandbox.PAGE_ID}", token="EAAB-not-a-sandbox-token")
    assert invalid.json()["error"]["message"].startswith("Invalid OAuth access token")
    too_long = _get(
        f"/v25.0/{sandbox.PAGE_ID}/insights",
        metric="page_media_view",
        period="day",
        since="2025-06-01",
        until="2025-10-01",
    )
    assert too_long.status_code == 400 and "90 days" in too_long.json()["error"]["message"]
    old = _get(f"/v19.0/{sandbox.PAGE_ID}")
    assert old.json()["error"]["code"] == 2635
    usage = _get(f"/v25.0/act_{sandbox.AD_ACCOUNT_ID}/campaigns", fields="id,name").headers
    assert {"x-app-usage", "x-business-use-case-usage", "x-ad-account-usage"} <= set(usage)


def test_the_sandbox_pages_published_posts_newest_first() -> None:
    seen: list[str] = []
    after = None
    for _ in range(50):
        params = {"fields": "id,created_time", "limit": "25", **({"after": after} if after else {})}
        body = _get(f"/v25.0/{sandbox.PAGE_ID}/published_posts", **params).json()
        seen += [p["created_time"] for p in body["data"]]
        if "next" not in body.get("paging", {}):
            break
        after = body["paging"]["cursors"]["after"]
    assert len(seen) > 100 and seen == sorted(seen, reverse=True) and len(set(seen)) == len(seen)


def test_the_shared_sandbox_dispatcher_routes_facebook(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shared = Sandbox(seed=7, today=TODAY)
    cfg = config(tmp_path, monkeypatch)
    db = open_db(cfg.database_path)
    summary = run_sync(
        cfg,
        db,
        ["facebook"],
        now=NOW,
        transport=httpx.MockTransport(shared.handle),
        sleep=lambda s: None,
    )[0]
    assert summary.outcome == "ok", summary.error
    assert summary.new_posts > 100


def _graph(path: str, **params: str) -> httpx.Response:
    with httpx.Client(transport=transport(), base_url="http://sbx/facebook/v25.0") as client:
        return client.get(path, params=params, headers={"Authorization": "Bearer sandbox-ads"})


def test_the_sandbox_refuses_ranges_starting_more_than_37_months_back() -> None:
    refused = _graph(
        f"/{TEACHERS}/insights",
        time_range='{"since":"2023-02-01","until":"2026-03-01"}',
        time_increment="all_days",
    )
    assert refused.status_code == 400 and refused.json()["error"]["code"] == 3018
    served = _graph(
        f"/{TEACHERS}/insights",
        time_range='{"since":"2023-02-03","until":"2026-03-01"}',
        time_increment="all_days",
    )
    assert served.status_code == 200


def test_the_sandbox_ads_promote_boosted_page_posts_and_one_dark_post() -> None:
    ads = _graph(
        f"/act_{sandbox.AD_ACCOUNT_ID}/ads",
        fields="id,adset_id,creative{effective_object_story_id}",
        limit="100",
    ).json()["data"]
    stories = [a["creative"]["effective_object_story_id"] for a in ads]
    world = sandbox.world(7, TODAY)
    boosted = {p.id for p in world.posts if p.paid}
    published = {p.id for p in world.posts}
    assert any(s in boosted for s in stories)
    dark = [s for s in stories if s not in published]
    assert dark and all(s.startswith(f"{sandbox.PAGE_ID}_") for s in dark)
    assert set(ads[0]) == {"id", "adset_id", "creative"}  # only what was asked for


def test_a_sandbox_sync_links_boosted_posts_and_leaves_the_dark_post_unlinked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cfg = config(tmp_path, monkeypatch)
    db = open_db(cfg.database_path)
    summary = run_sync(cfg, db, ["facebook"], now=NOW, transport=transport(), sleep=lambda s: None)
    assert summary[0].outcome == "ok", summary[0].error
    links = db.execute(
        "SELECT a.post_external_id, p.id IS NOT NULL FROM ad_entities a "
        "LEFT JOIN posts p ON p.external_id = a.post_external_id WHERE a.level = 'ad'"
    ).fetchall()
    assert any(post and known for post, known in links)
    assert all(known for post, known in links if post)  # a link always names a stored post
    assert any(post is None for post, _ in links)  # the dark post
    flights = db.execute(
        "SELECT external_id, start_date, end_date FROM ad_entities WHERE level = 'campaign'"
    ).fetchall()
    assert (TEACHERS, "2025-11-03", "2026-02-01") in flights
