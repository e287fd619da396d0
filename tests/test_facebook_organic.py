"""Facebook Page insights and posts: request encoding, Pacific days, splits, retired metrics, paging."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
import respx
from sqlite_utils import Database

from collectors.meta.graph import pacific_day
from core.config import Config
from db import open_db
from social.sync import SyncSummary, run_sync
from tests.facebook_support import (
    GRAPH,
    NOW,
    PACIFIC,
    PAGE,
    PAGE_TOKEN,
    V,
    end_time,
    graph_error,
    metric_entry,
    page_object,
    page_only_config,
    write_config,
)


@pytest.fixture
def page_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Config:
    return page_only_config(tmp_path, monkeypatch)


OSLO = ZoneInfo("Europe/Oslo")
DAYS = [date(2026, 1, 16), date(2026, 1, 17), date(2026, 1, 18), date(2026, 1, 19)]
RETIRED = {"page_impressions", "page_fans", "post_impressions", "post_impressions_unique"}
INVALID = "(#100) The value must be a valid insights metric"


def _unix(day: date) -> str:
    return str(int(datetime.combine(day, time(), PACIFIC).timestamp()))


def page_insights(request: httpx.Request) -> httpx.Response:
    """Meta's behaviour: one retired metric fails the whole request; breakdown values are flat."""
    params = request.url.params
    metrics = params["metric"].split(",")
    if RETIRED & set(metrics):
        return graph_error(100, INVALID)
    if params.get("breakdown") == "is_from_ads":
        values: list[dict[str, Any]] = []
        for day in DAYS:
            values.append({"value": 900, "end_time": end_time(day), "is_from_ads": "0"})
            values.append({"value": 300, "end_time": end_time(day), "is_from_ads": "1"})
        return httpx.Response(
            200, json={"data": [{"name": "page_media_view", "period": "day", "values": values}]}
        )
    period = params["period"]
    data = [
        metric_entry(m, {d: 1200 if m == "page_media_view" else 100 + d.day for d in DAYS}, period)
        for m in metrics
    ]
    return httpx.Response(
        200, json={"data": data, "paging": {"next": f"{GRAPH}{V}/{PAGE}/insights?since=1"}}
    )


def post(pid: str, created: str, message: str = "Nytt opplegg #Fysikk #realfag") -> dict[str, Any]:
    return {
        "id": pid,
        "created_time": created,
        "message": message,
        "permalink_url": f"https://www.facebook.com/{pid}",
    }


def post_insights(request: httpx.Request) -> httpx.Response:
    params = request.url.params
    ids = params["ids"].split(",")
    metrics = params["metric"].split(",")
    if RETIRED & set(metrics):
        return graph_error(100, INVALID)
    out = {}
    for i, pid in enumerate(ids):
        if params.get("breakdown") == "is_from_ads":
            values = [
                {"value": 1000 + i, "is_from_ads": "0"},
                {"value": 500 * i, "is_from_ads": "1"},
            ]
            out[pid] = {
                "data": [{"name": "post_media_view", "period": "lifetime", "values": values}]
            }
        else:
            out[pid] = {
                "data": [
                    {
                        "name": m,
                        "period": "lifetime",
                        "values": [{"value": (1000 + 501 * i) if m == "post_media_view" else 800}],
                    }
                    for m in metrics
                ]
            }
    return httpx.Response(200, json=out)


@pytest.fixture
def graph() -> Iterator[respx.MockRouter]:
    with respx.mock(base_url=GRAPH, assert_all_called=False) as router:
        router.get(f"{V}/{PAGE}", name="page").mock(return_value=page_object())
        router.get(f"{V}/{PAGE}/insights", name="insights").mock(side_effect=page_insights)
        router.get(f"{V}/{PAGE}/published_posts", name="posts").mock(
            return_value=httpx.Response(200, json={"data": []})
        )
        router.get(f"{V}/insights", name="post_insights").mock(side_effect=post_insights)
        yield router


def _sync(config: Config, db: Database | None = None) -> tuple[SyncSummary, Database]:
    db = db or open_db(config.database_path)
    return run_sync(config, db, ["facebook"], now=NOW, sleep=lambda s: None)[0], db


def test_page_insights_request_names_metrics_and_pacific_midnights(
    graph: respx.MockRouter, page_only: Config
) -> None:
    summary, _ = _sync(page_only)
    assert summary.outcome == "ok", summary.error
    daily = [
        c.request
        for c in graph.routes["insights"].calls
        if c.request.url.params["period"] == "day" and "breakdown" not in c.request.url.params
    ]
    assert len(daily) == 1
    params = daily[0].url.params
    assert params["metric"] == (
        "page_media_view,page_total_media_view_unique,page_post_engagements,"
        "page_daily_follows,page_follows"
    )
    # backfill_days=3: 17..19 January as Pacific days; until is the midnight after the 19th.
    assert params["since"] == _unix(date(2026, 1, 17)) == "1768636800"
    assert params["until"] == _unix(date(2026, 1, 20))
    assert daily[0].headers["Authorization"] == f"Bearer {PAGE_TOKEN}"


def test_values_land_on_the_pacific_day_they_cover() -> None:
    assert pacific_day("2026-01-05T08:00:00+0000") == date(2026, 1, 4)  # PST
    assert pacific_day("2025-07-05T07:00:00+0000") == date(2025, 7, 4)  # PDT
    assert pacific_day("2025-11-02T07:00:00+0000") == date(2025, 11, 1)  # DST ends that night
    assert pacific_day("2025-11-03T08:00:00+0000") == date(2025, 11, 2)


def test_views_are_stored_split_by_is_from_ads_never_also_as_total(
    graph: respx.MockRouter, page_only: Config
) -> None:
    summary, db = _sync(page_only)
    assert summary.outcome == "ok", summary.error
    views = db.execute(
        "SELECT window_start, origin, value FROM metric_values WHERE metric = 'page_media_view' "
        "ORDER BY window_start, origin"
    ).fetchall()
    assert views == [
        (d.isoformat(), o, v) for d in DAYS[1:] for o, v in (("organic", 900.0), ("paid", 300.0))
    ]
    viewers = db.execute(
        "SELECT window_start, window_end, grain, origin, value FROM metric_values "
        "WHERE metric = 'page_total_media_view_unique' AND grain = 'day' ORDER BY 1"
    ).fetchall()
    assert viewers == [
        (d.isoformat(), d.isoformat(), "day", "total", 100.0 + d.day) for d in DAYS[1:]
    ]
    split = [
        c.request.url.params
        for c in graph.routes["insights"].calls
        if c.request.url.params.get("breakdown")
    ]
    assert [(p["metric"], p["breakdown"], p["period"]) for p in split] == [
        ("page_media_view", "is_from_ads", "day")
    ]


def test_weekly_viewers_are_kept_only_for_iso_weeks(
    graph: respx.MockRouter, page_only: Config
) -> None:
    summary, db = _sync(page_only)
    assert summary.outcome == "ok", summary.error
    weekly = db.execute(
        "SELECT window_start, window_end, value FROM metric_values WHERE grain = 'week'"
    ).fetchall()
    # Only the value ending Sunday 18 January covers an ISO week (Monday 12 .. Sunday 18).
    assert weekly == [("2026-01-12", "2026-01-18", 118.0)]


def test_a_retired_metric_is_isolated_recorded_and_warned_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, graph: respx.MockRouter
) -> None:
    monkeypatch.setenv("SOCIAL_FACEBOOK_ACCESS_TOKEN", PAGE_TOKEN)
    config = write_config(
        tmp_path,
        f'page_id = "{PAGE}"\npage_metrics = ["page_impressions", "page_media_view", '
        '"page_total_media_view_unique", "page_post_engagements", "page_daily_follows"]\n'
        'post_metrics = ["post_media_view", "post_impressions_unique"]',
        "backfill_days = 200",  # three 89-day chunks
    )
    graph.routes["posts"].mock(
        return_value=httpx.Response(
            200, json={"data": [post(f"{PAGE}_1", "2026-01-10T09:30:00+0000")]}
        )
    )
    summary, db = _sync(config)
    assert summary.outcome == "ok", summary.error
    retired = [w for w in summary.warnings if "refused the insights metric" in w]
    assert len(retired) == 2
    assert "page_impressions" in retired[0] and "replaced it with page_media_view" in retired[0]
    assert "post_impressions_unique" in retired[1]
    rows = db.execute(
        "SELECT platform, metric, message FROM retired_metrics ORDER BY metric"
    ).fetchall()
    assert [(p, m) for p, m, _ in rows] == [
        ("facebook", "page_impressions"),
        ("facebook", "post_impressions_unique"),
    ]
    assert rows[0][2].startswith(INVALID)
    # The others were collected in every chunk; the refused metric was not asked for again.
    stored = {m for (m,) in db.execute("SELECT DISTINCT metric FROM metric_values")}
    assert {
        "page_media_view",
        "page_total_media_view_unique",
        "page_post_engagements",
        "page_daily_follows",
    } <= stored
    snap = db.execute("SELECT metric, origin FROM post_latest").fetchall()
    assert sorted(snap) == [("post_media_view", "organic"), ("post_media_view", "paid")]
    asked = [c.request.url.params["metric"] for c in graph.routes["insights"].calls]
    # First chunk only: the full list, its first half, then the metric alone (bisection).
    assert [m for m in asked if "page_impressions" in m] == [
        "page_impressions,page_media_view,page_total_media_view_unique,page_post_engagements,"
        "page_daily_follows",
        "page_impressions,page_media_view",
        "page_impressions",
    ]
    later = "page_media_view,page_total_media_view_unique,page_post_engagements,page_daily_follows"
    assert asked.count(later) == 2  # chunks two and three: one request each, without it


def test_published_posts_follow_cursors_and_get_split_views_and_lifetime_viewers(
    graph: respx.MockRouter, page_only: Config
) -> None:
    graph.routes["posts"].mock(
        side_effect=[
            httpx.Response(
                200,
                json={
                    "data": [post(f"{PAGE}_2", "2026-01-18T21:30:00+0000")],
                    "paging": {
                        "cursors": {"before": "A", "after": "QVFIUk"},
                        "next": f"{GRAPH}{V}/{PAGE}/published_posts?after=QVFIUk",
                    },
                },
            ),
            httpx.Response(
                200,
                json={
                    "data": [post(f"{PAGE}_1", "2026-01-10T09:30:00+0000", "Hei")],
                    "paging": {"cursors": {"before": "QVFIUk", "after": "QVFIUl"}},
                },
            ),
        ]
    )
    summary, db = _sync(page_only)
    assert summary.outcome == "ok", summary.error
    assert summary.new_posts == 2
    calls = graph.routes["posts"].calls
    assert calls[1].request.url.params["after"] == "QVFIUk"
    assert calls[1].request.url.params["fields"] == "id,created_time,permalink_url,message"
    assert calls[1].request.url.params["since"] == calls[0].request.url.params["since"]
    posts = db.execute(
        "SELECT external_id, published_at, tags, is_ad FROM posts ORDER BY 1"
    ).fetchall()
    assert posts == [
        (f"{PAGE}_1", "2026-01-10T09:30:00Z", "[]", 0),
        (f"{PAGE}_2", "2026-01-18T21:30:00Z", '["fysikk", "realfag"]', 0),
    ]
    latest = db.execute(
        "SELECT p.external_id, l.origin, l.value FROM post_latest l JOIN posts p ON p.id = l.post_id "
        "ORDER BY 1, 2"
    ).fetchall()
    assert latest == [
        (f"{PAGE}_1", "organic", 1000.0),
        (f"{PAGE}_1", "paid", 0.0),
        (f"{PAGE}_2", "organic", 1000.0),
        (f"{PAGE}_2", "paid", 0.0),
    ]
    viewers = db.execute(
        "SELECT window_start, window_end, grain, value FROM metric_values "
        "WHERE metric = 'post_total_media_view_unique' ORDER BY 1"
    ).fetchall()
    # Published 21:30 UTC on the 18th = 22:30 in Oslo: its local publish date is the 18th.
    assert viewers == [
        ("2026-01-10", "2026-01-20", "lifetime", 800.0),
        ("2026-01-18", "2026-01-20", "lifetime", 800.0),
    ]
    batch = [c.request.url.params for c in graph.routes["post_insights"].calls]
    assert [p.get("breakdown") for p in batch] == [None, "is_from_ads", None, "is_from_ads"]
    assert batch[0]["metric"] == "post_media_view,post_total_media_view_unique"
    assert batch[0]["period"] == "lifetime"


def test_boosted_posts_are_marked_and_keep_both_sources_of_views(
    graph: respx.MockRouter, page_only: Config
) -> None:
    graph.routes["posts"].mock(
        return_value=httpx.Response(
            200,
            json={
                "data": [
                    post(f"{PAGE}_1", "2026-01-17T09:00:00+0000"),
                    post(f"{PAGE}_2", "2026-01-16T09:00:00+0000"),
                ]
            },
        )
    )
    summary, db = _sync(page_only)
    assert summary.outcome == "ok", summary.error
    rows = db.execute(
        "SELECT p.external_id, p.is_ad, l.origin, l.value FROM posts p JOIN post_latest l "
        "ON l.post_id = p.id ORDER BY 1, 3"
    ).fetchall()
    assert rows == [
        (f"{PAGE}_1", 0, "organic", 1000.0),
        (f"{PAGE}_1", 0, "paid", 0.0),
        (f"{PAGE}_2", 1, "organic", 1001.0),
        (f"{PAGE}_2", 1, "paid", 500.0),
    ]


def test_a_repeated_cursor_is_a_paging_loop_and_pages_before_it_are_kept(
    graph: respx.MockRouter, page_only: Config
) -> None:
    page = {
        "cursors": {"before": "A", "after": "SAME"},
        "next": f"{GRAPH}{V}/{PAGE}/published_posts?after=SAME",
    }
    graph.routes["posts"].mock(
        side_effect=[
            httpx.Response(
                200, json={"data": [post(f"{PAGE}_1", "2026-01-17T09:00:00+0000")], "paging": page}
            ),
            httpx.Response(
                200, json={"data": [post(f"{PAGE}_2", "2026-01-16T09:00:00+0000")], "paging": page}
            ),
        ]
    )
    summary, db = _sync(page_only)
    assert summary.outcome == "failed"
    assert "paging loop" in (summary.error or "") and "published_posts" in (summary.error or "")
    assert db.execute("SELECT COUNT(*) FROM posts").fetchone()[0] == 2
    assert graph.routes["posts"].call_count == 2


def test_next_links_are_followed_without_the_token_they_may_carry(
    graph: respx.MockRouter, page_only: Config
) -> None:
    graph.routes["posts"].mock(
        side_effect=[
            httpx.Response(
                200,
                json={
                    "data": [post(f"{PAGE}_1", "2026-01-17T09:00:00+0000")],
                    "paging": {
                        "next": f"{GRAPH}{V}/{PAGE}/published_posts?access_token={PAGE_TOKEN}&limit=100&until=1768600000"
                    },
                },
            ),
            httpx.Response(200, json={"data": []}),
        ]
    )
    summary, _ = _sync(page_only)
    assert summary.outcome == "ok", summary.error
    second = graph.routes["posts"].calls[1].request
    assert second.url.params["until"] == "1768600000"
    assert PAGE_TOKEN not in str(second.url)


def test_deleted_posts_are_skipped_and_the_rest_collected(
    graph: respx.MockRouter, page_only: Config
) -> None:
    graph.routes["posts"].mock(
        return_value=httpx.Response(
            200,
            json={
                "data": [
                    post(f"{PAGE}_1", "2026-01-17T09:00:00+0000"),
                    post(f"{PAGE}_9", "2026-01-16T09:00:00+0000"),
                ]
            },
        )
    )

    def insights(request: httpx.Request) -> httpx.Response:
        if f"{PAGE}_9" in request.url.params["ids"]:
            return graph_error(
                803, f"(#803) Some of the aliases you requested do not exist: {PAGE}_9", status=404
            )
        return post_insights(request)

    graph.routes["post_insights"].mock(side_effect=insights)
    summary, db = _sync(page_only)
    assert summary.outcome == "ok", summary.error
    assert any(f"{PAGE}_9" in w for w in summary.warnings)
    assert db.execute("SELECT COUNT(DISTINCT post_id) FROM post_latest").fetchone()[0] == 1


def test_after_a_long_pause_posts_are_listed_from_the_last_listing(
    graph: respx.MockRouter, page_only: Config
) -> None:
    _, db = _sync(page_only)
    soon = datetime(2026, 1, 27, 10, 0, tzinfo=UTC)
    run_sync(page_only, db, ["facebook"], now=soon, sleep=lambda s: None)
    recent = graph.routes["posts"].calls.last.request.url.params["since"]
    much_later = datetime(2026, 8, 1, 10, 0, tzinfo=UTC)  # 186 days later; refresh_days is 90
    run_sync(page_only, db, ["facebook"], now=much_later, sleep=lambda s: None)
    late = graph.routes["posts"].calls.last.request.url.params["since"]
    # A week later: the 90-day refresh horizon (29 Oct), but never before what the first
    # sync listed (its 3-day backfill from 17 Jan), so a later sync lists no post a first sync
    # would not have. After the pause: the day before the last complete listing (27 Jan),
    # not the horizon, so no post is missed.
    assert recent == str(int(datetime(2026, 1, 17, tzinfo=OSLO).timestamp()))
    assert late == str(int(datetime(2026, 1, 26, tzinfo=OSLO).timestamp()))


def test_organic_bookmark_and_lookback_on_the_next_sync(
    graph: respx.MockRouter, page_only: Config
) -> None:
    _, db = _sync(page_only)
    later = datetime(2026, 1, 27, 10, 0, tzinfo=UTC)
    run_sync(page_only, db, ["facebook"], now=later, sleep=lambda s: None)
    last = graph.routes["insights"].calls.last.request.url.params
    # Bookmark 19 Jan minus organic_lookback_days (5): from the 14th to the 26th.
    first_daily = [c.request.url.params for c in graph.routes["insights"].calls][-3]
    assert first_daily["since"] == _unix(date(2026, 1, 14))
    assert last["until"] == _unix(date(2026, 1, 27))
