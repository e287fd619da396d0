"""The LinkedIn sandbox end to end: real shapes, honest reach, strict limits, idempotent syncs."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import httpx
import pytest

from collectors.linkedin import sandbox as sandbox
from social.sync import run_sync
from tests.linkedin_support import NOW, TODAY, sandbox_config, sandbox_transport

ACCOUNT = f"List(urn%3Ali%3AsponsoredAccount%3A{sandbox.AD_ACCOUNT_ID})"


def _get(path: str) -> httpx.Response:
    headers = {
        "Authorization": "Bearer sandbox-token",
        "LinkedIn-Version": "202610",
        "X-Restli-Protocol-Version": "2.0.0",
    }
    with httpx.Client(transport=sandbox_transport(), base_url="http://sandbox/linkedin") as client:
        return client.get(path, headers=headers)


def _analytics(
    start: date, end: date, granularity: str, fields: str, pivot: str = "CAMPAIGN"
) -> httpx.Response:
    date_range = (
        f"(start:(year:{start.year},month:{start.month},day:{start.day}),"
        f"end:(year:{end.year},month:{end.month},day:{end.day}))"
    )
    return _get(
        f"/rest/adAnalytics?q=analytics&pivot={pivot}&timeGranularity={granularity}"
        f"&dateRange={date_range}&accounts={ACCOUNT}&fields={fields}"
    )


def _counts(db) -> tuple[int, ...]:  # type: ignore[no-untyped-def]
    return tuple(
        db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
        for table in ("posts", "post_snapshots", "metric_values", "ad_entities", "accounts")
    )


def test_a_sandbox_sync_stores_everything_and_a_second_run_adds_no_duplicates(
    tmp_path: Path,
    fresh_db,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
) -> None:
    monkeypatch.setenv("SOCIAL_LINKEDIN_ACCESS_TOKEN", "sandbox-li-page-test")
    monkeypatch.setenv("SOCIAL_LINKEDIN_ADS_ACCESS_TOKEN", "sandbox-li-ads-test")
    config = sandbox_config(tmp_path, "[sync]\nbackfill_days = 120")
    first = run_sync(
        config, fresh_db, ["linkedin"], now=NOW, transport=sandbox_transport(), sleep=lambda s: None
    )[0]
    assert first.outcome == "ok", first.error
    assert first.warnings == []
    assert 60 <= first.new_posts <= 90  # 3-5 posts a week for 17 weeks
    counts = _counts(fresh_db)
    second = run_sync(
        config, fresh_db, ["linkedin"], now=NOW, transport=sandbox_transport(), sleep=lambda s: None
    )[0]
    assert second.outcome == "ok", second.error
    assert (second.new_posts, second.updated_values) == (0, 0)
    assert _counts(fresh_db) == counts
    kinds = fresh_db.execute(
        "SELECT kind, external_id, name FROM accounts ORDER BY kind"
    ).fetchall()
    assert kinds == [
        ("ads", sandbox.AD_ACCOUNT_ID, f"{sandbox.ORG_NAME} annonsekonto"),
        ("organization", sandbox.ORG_ID, sandbox.ORG_NAME),
    ]
    followers = fresh_db.execute(
        "SELECT value FROM metric_values WHERE metric = 'firstDegreeSize'"
    ).fetchone()[0]
    assert 14_000 < followers < 16_000
    latest_day = fresh_db.execute(
        "SELECT MAX(window_end) FROM metric_values WHERE metric = 'impressionCount' AND grain = 'day'"
    ).fetchone()[0]
    assert latest_day == (TODAY - timedelta(days=2)).isoformat()  # LinkedIn's series lag
    captions = [r[0] for r in fresh_db.execute("SELECT caption FROM posts LIMIT 20")]
    assert any("realfag" in c for c in captions)
    grains = dict(
        fresh_db.execute(
            "SELECT grain, COUNT(*) FROM metric_values WHERE metric = 'approximateMemberReach' "
            "GROUP BY grain"
        ).fetchall()
    )
    assert set(grains) == {"week", "campaign", "window"}


def test_stored_whole_window_reach_is_below_the_sum_of_daily_reach(
    tmp_path: Path,
    fresh_db,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
) -> None:
    monkeypatch.setenv("SOCIAL_LINKEDIN_ACCESS_TOKEN", "sandbox-li-page-test")
    monkeypatch.setenv("SOCIAL_LINKEDIN_ADS_ACCESS_TOKEN", "sandbox-li-ads-test")
    config = sandbox_config(tmp_path, "[sync]\nbackfill_days = 21")
    run_sync(
        config, fresh_db, ["linkedin"], now=NOW, transport=sandbox_transport(), sleep=lambda s: None
    )
    week = fresh_db.execute(
        "SELECT e.external_id, v.window_start, v.window_end, v.value FROM metric_values v "
        "JOIN ad_entities e ON e.id = v.subject_id WHERE v.metric = 'approximateMemberReach' "
        "AND v.grain = 'week' AND v.subject_type = 'ad' ORDER BY v.window_start LIMIT 1"
    ).fetchone()
    campaign, start, end, reach = week
    daily = _analytics(
        date.fromisoformat(start),
        date.fromisoformat(end),
        "DAILY",
        "dateRange,pivotValues,approximateMemberReach,impressions",
    ).json()["elements"]
    rows = [r for r in daily if r["pivotValues"] == [f"urn:li:sponsoredCampaign:{campaign}"]]
    assert len(rows) == 7
    assert reach < sum(r["approximateMemberReach"] for r in rows)
    assert reach < sum(r["impressions"] for r in rows)


def test_the_sandbox_enforces_twenty_fields_and_has_no_reach_over_92_days() -> None:
    end = TODAY - timedelta(days=1)
    many = ",".join(["dateRange", "pivotValues", *sandbox.AD_METRICS[:19]])
    assert _analytics(end, end, "DAILY", many).status_code == 400
    assert "at most 20" in _analytics(end, end, "DAILY", many).json()["message"]
    fields = "dateRange,pivotValues,impressions,approximateMemberReach"
    long_range = _analytics(end - timedelta(days=92), end, "ALL", fields).json()["elements"]
    short_range = _analytics(end - timedelta(days=91), end, "ALL", fields).json()["elements"]
    assert long_range and all("approximateMemberReach" not in r for r in long_range)
    assert short_range and all(r["approximateMemberReach"] > 0 for r in short_range)
    account = _analytics(end - timedelta(days=6), end, "ALL", fields, pivot="ACCOUNT").json()[
        "elements"
    ]
    campaigns = _analytics(end - timedelta(days=6), end, "ALL", fields).json()["elements"]
    assert (
        max(r["approximateMemberReach"] for r in campaigns) <= account[0]["approximateMemberReach"]
    )
    assert account[0]["approximateMemberReach"] <= sum(
        r["approximateMemberReach"] for r in campaigns
    )


def test_the_sandbox_world_is_deterministic_from_the_seed() -> None:
    one, same, other = sandbox.world(7, TODAY), sandbox.world(7, TODAY), sandbox.world(8, TODAY)
    assert [p.urn for p in one.posts] == [p.urn for p in same.posts]
    assert [p.totals for p in one.posts] != [p.totals for p in other.posts]
    views = sorted(p.totals["impressionCount"] for p in one.posts)
    assert 800 <= views[len(views) // 2] <= 3000  # typical post
    assert views[-1] >= 15_000  # and a few that take off
    weekly = [
        sum(
            1
            for p in one.posts
            if p.published.date() - timedelta(days=p.published.weekday()) == monday
        )
        for monday in {
            p.published.date() - timedelta(days=p.published.weekday()) for p in one.posts
        }
    ]
    assert min(weekly) >= 1 and max(weekly) <= 5


def test_a_sandbox_sync_rides_out_injected_server_errors_and_malformed_replies(
    tmp_path: Path, fresh_db, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    from collectors.sandbox import Sandbox

    monkeypatch.setenv("SOCIAL_LINKEDIN_ACCESS_TOKEN", "sandbox-li-page-test")
    monkeypatch.setenv("SOCIAL_LINKEDIN_ADS_ACCESS_TOKEN", "sandbox-li-ads-test")
    config = sandbox_config(tmp_path, "[sync]\nbackfill_days = 14")
    world = Sandbox(seed=7, today=TODAY)
    world.inject("/linkedin/rest/adAnalytics", "500", "malformed", "timeout")
    summary = run_sync(
        config,
        fresh_db,
        ["linkedin"],
        now=NOW,
        transport=httpx.MockTransport(world.handle),
        sleep=lambda s: None,
    )[0]
    assert summary.outcome == "ok", summary.error
    assert summary.requests == world.total_requests  # the three retried failures count too
    assert (
        fresh_db.execute(
            "SELECT COUNT(*) FROM metric_values WHERE grain = 'day' AND metric = 'impressions'"
        ).fetchone()[0]
        == 14
    )


def test_the_sandbox_refuses_time_bound_ranges_too_recent_or_too_old() -> None:
    from tests.linkedin_support import day_ms

    org = f"urn%3Ali%3Aorganization%3A{sandbox.ORG_ID}"
    base = f"/rest/organizationalEntityFollowerStatistics?q=organizationalEntity&organizationalEntity={org}"

    def ask(first: date) -> httpx.Response:
        interval = (
            f"(timeRange:(start:{day_ms(first)},end:{day_ms(TODAY)}),timeGranularityType:DAY)"
        )
        return _get(f"{base}&timeIntervals={interval}")

    assert ask(TODAY - timedelta(days=2)).status_code == 200
    too_recent = ask(TODAY - timedelta(days=1))
    assert (too_recent.status_code, too_recent.json()["message"]) == (
        400,
        "Invalid timeIntervals parameter",
    )
    assert ask(date(TODAY.year - 1, TODAY.month, TODAY.day)).status_code == 400
    assert ask(date(TODAY.year - 1, TODAY.month, TODAY.day) + timedelta(days=1)).status_code == 200


def test_the_sandbox_creatives_sponsor_page_posts_and_a_dark_post(
    tmp_path: Path, fresh_db, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("SOCIAL_LINKEDIN_ACCESS_TOKEN", "sandbox-li-page-test")
    monkeypatch.setenv("SOCIAL_LINKEDIN_ADS_ACCESS_TOKEN", "sandbox-li-ads-test")
    config = sandbox_config(tmp_path, "[sync]\nbackfill_days = 365")
    summary = run_sync(
        config, fresh_db, ["linkedin"], now=NOW, transport=sandbox_transport(), sleep=lambda s: None
    )[0]
    assert summary.outcome == "ok", summary.error
    links = fresh_db.execute(
        "SELECT a.post_external_id, p.is_ad FROM ad_entities a "
        "LEFT JOIN posts p ON p.external_id = a.post_external_id WHERE a.level = 'ad'"
    ).fetchall()
    assert sum(1 for post, _ in links if post) >= 2 and all(
        is_ad == 0 for post, is_ad in links if post
    )
    assert sum(1 for post, _ in links if post is None) == 2  # one dark post per campaign
