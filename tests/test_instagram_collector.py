"""Instagram through the Graph API: account days, media paging, lifetime insights, refusals."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx
from sqlite_utils import Database

from collectors.errors import ApiError
from collectors.instagram.api import refused_metrics
from core.config import Config
from db import open_db
from social.sync import SyncSummary, run_sync
from tests.facebook_support import GRAPH, NOW, PAGE, PAGE_TOKEN, V, graph_error
from tests.instagram_support import (
    IG_USER,
    day_of,
    days_between,
    lifetime_entry,
    media_row,
    ok,
    series_entry,
    total_entry,
    unix,
    write_config,
)

# backfill_days = 3 at NOW (10:00 UTC 20 Jan): 17..19 January, the newest ended Pacific day.
DAYS = [date(2026, 1, 17), date(2026, 1, 18), date(2026, 1, 19)]
RETIRED_ACCOUNT = (
    "(#100) Starting from version 22 and above, the impressions metric is no longer supported "
    "for the queried user. Please refer to the documentation at https://developers.facebook.com/"
    "docs/instagram-api/reference/ig-user/insights for a list of supported metrics."
)
RETIRED_MEDIA = "(#100) The Media Insights API does not support the plays metric for this media"


class Meta:
    """Answers like Meta's for one account; `followers` and the media list are adjustable."""

    def __init__(self) -> None:
        self.followers = 1520
        self.media: list[dict[str, Any]] = [
            media_row("18001", datetime(2026, 1, 19, 15, 0, tzinfo=UTC), "REELS", "VIDEO"),
            media_row("18002", datetime(2026, 1, 18, 9, 30, tzinfo=UTC)),
            media_row("18003", datetime(2026, 1, 17, 12, 0, tzinfo=UTC), "FEED", "CAROUSEL_ALBUM"),
            media_row("17999", datetime(2025, 12, 1, 12, 0, tzinfo=UTC)),
        ]
        self.per_page = 2

    def insights(self, request: httpx.Request) -> httpx.Response:
        params = request.url.params
        metrics = params["metric"].split(",")
        if "impressions" in metrics:
            return graph_error(100, RETIRED_ACCOUNT)
        first, last = day_of(params["since"]), day_of(params["until"]) - timedelta(days=1)
        if params["metric_type"] == "total_value":
            return ok({"data": [total_entry(m, 1000 * len(m) + first.day) for m in metrics]})
        if "follower_count" in metrics and first < date(2026, 1, 19) - timedelta(days=29):
            return graph_error(100, "(#100) follower_count is only available for the last 30 days")
        if "follower_count" in metrics and self.followers < 100:
            metrics.remove("follower_count")
        data = [
            series_entry(m, {d: 10 * d.day + len(m) for d in days_between(first, last)})
            for m in metrics
        ]
        return ok({"data": data})

    def media_page(self, request: httpx.Request) -> httpx.Response:
        start = int(request.url.params.get("after", "0"))
        rows = self.media[start : start + self.per_page]
        body: dict[str, Any] = {"data": rows}
        if start + self.per_page < len(self.media):
            after = str(start + self.per_page)
            body["paging"] = {
                "cursors": {"before": str(start), "after": after},
                "next": f"{GRAPH}{V}/{IG_USER}/media?after={after}&access_token=leaked",
            }
        return ok(body)

    def media_insights(self, request: httpx.Request) -> httpx.Response:
        media_id = request.url.path.split("/")[-2]
        metrics = request.url.params["metric"].split(",")
        if "plays" in metrics:
            return graph_error(100, RETIRED_MEDIA)
        return ok(
            {
                "data": [
                    lifetime_entry(media_id, m, 100 + len(m) + int(media_id[-1])) for m in metrics
                ]
            }
        )


@pytest.fixture
def meta() -> Meta:
    return Meta()


@pytest.fixture
def graph(meta: Meta) -> Iterator[respx.MockRouter]:
    with respx.mock(base_url=GRAPH, assert_all_called=False) as router:
        router.get(f"{V}/{PAGE}", name="page").mock(
            return_value=ok({"instagram_business_account": {"id": IG_USER}, "id": PAGE})
        )
        router.get(f"{V}/{IG_USER}", name="user").mock(
            side_effect=lambda request: ok(
                {"id": IG_USER, "username": "stemutdanning", "followers_count": meta.followers}
            )
        )
        router.get(f"{V}/{IG_USER}/insights", name="insights").mock(side_effect=meta.insights)
        router.get(f"{V}/{IG_USER}/media", name="media").mock(side_effect=meta.media_page)
        router.get(path__regex=rf"^{re.escape(V)}/\d+/insights$", name="media_insights").mock(
            side_effect=meta.media_insights
        )
        yield router


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SOCIAL_FACEBOOK_ACCESS_TOKEN", PAGE_TOKEN)
    return tmp_path


def sync(config: Config) -> tuple[SyncSummary, Database]:
    db = open_db(config.database_path)
    [summary] = run_sync(config, db, ["instagram"], now=NOW, sleep=lambda s: None)
    return summary, db


def account_values(db: Database, metric: str) -> dict[str, float]:
    rows = db.execute(
        "SELECT window_start, value FROM metric_values WHERE platform = 'instagram' "
        "AND subject_type = 'account' AND grain = 'day' AND metric = ? ORDER BY 1",
        [metric],
    ).fetchall()
    return dict(rows)


def test_account_is_found_from_the_facebook_page_with_the_page_token(
    graph: respx.MockRouter, workspace: Path
) -> None:
    summary, db = sync(write_config(workspace))
    assert summary.outcome == "ok", summary.error
    [call] = graph.routes["page"].calls
    assert call.request.url.params["fields"] == "instagram_business_account"
    assert call.request.headers["Authorization"] == f"Bearer {PAGE_TOKEN}"
    assert db.execute(
        "SELECT platform, kind, external_id, name FROM accounts WHERE platform = 'instagram'"
    ).fetchall() == [("instagram", "business", IG_USER, "stemutdanning")]


def test_a_configured_ig_user_id_needs_no_page_lookup(
    graph: respx.MockRouter, workspace: Path
) -> None:
    summary, _ = sync(write_config(workspace, f'ig_user_id = "{IG_USER}"'))
    assert summary.outcome == "ok", summary.error
    assert not graph.routes["page"].called


def test_a_page_without_an_instagram_account_says_how_to_connect_one(
    graph: respx.MockRouter, workspace: Path
) -> None:
    graph.routes["page"].mock(return_value=ok({"id": PAGE}))
    summary, _ = sync(write_config(workspace))
    assert summary.outcome == "failed"
    assert f"Page {PAGE} has no Instagram professional account" in str(summary.error)


def test_daily_series_and_day_totals_land_on_pacific_days(
    graph: respx.MockRouter, workspace: Path
) -> None:
    summary, db = sync(write_config(workspace))
    assert summary.outcome == "ok", summary.error
    assert account_values(db, "reach") == {d.isoformat(): 10.0 * d.day + 5 for d in DAYS}
    assert account_values(db, "follower_count") == {d.isoformat(): 10.0 * d.day + 14 for d in DAYS}
    # total_value metrics are asked one Pacific day at a time: since..until is that day.
    assert account_values(db, "views") == {d.isoformat(): 5000.0 + d.day for d in DAYS}
    assert account_values(db, "profile_views") == {d.isoformat(): 13000.0 + d.day for d in DAYS}
    series = [
        c.request.url.params
        for c in graph.routes["insights"].calls
        if c.request.url.params["metric_type"] == "time_series"
    ]
    assert [(p["metric"], p["period"]) for p in series] == [("reach,follower_count", "day")]
    assert (int(series[0]["since"]), int(series[0]["until"])) == (
        unix(DAYS[0]),
        unix(DAYS[-1] + timedelta(days=1)),
    )
    totals = [
        c.request.url.params
        for c in graph.routes["insights"].calls
        if c.request.url.params["metric_type"] == "total_value"
    ]
    assert [int(p["until"]) - int(p["since"]) for p in totals] == [86400] * 3
    assert {p["metric"] for p in totals} == {"views,profile_views,accounts_engaged"}
    level = db.execute(
        "SELECT window_start, value FROM metric_values WHERE metric = 'followers_count'"
    ).fetchall()
    assert level == [("2026-01-20", 1520.0)]


def test_follower_count_is_asked_for_the_last_30_days_only(
    graph: respx.MockRouter, workspace: Path
) -> None:
    summary, db = sync(write_config(workspace, sync="backfill_days = 45"))
    assert summary.outcome == "ok", summary.error
    gains = account_values(db, "follower_count")
    assert min(gains) == "2025-12-21" and max(gains) == "2026-01-19" and len(gains) == 30
    assert len(account_values(db, "reach")) == 45
    assert len(account_values(db, "views")) == 30  # a request a day: the last 30 days
    asked = [
        (c.request.url.params["metric"], day_of(c.request.url.params["since"]))
        for c in graph.routes["insights"].calls
        if c.request.url.params["metric_type"] == "time_series"
    ]
    assert ("follower_count", date(2025, 12, 21)) in asked
    assert all("follower_count" not in m or d >= date(2025, 12, 21) for m, d in asked)


def test_follower_count_is_not_asked_below_100_followers(
    graph: respx.MockRouter, meta: Meta, workspace: Path
) -> None:
    meta.followers = 42
    summary, db = sync(write_config(workspace))
    assert summary.outcome == "ok", summary.error
    assert account_values(db, "follower_count") == {}
    assert len(account_values(db, "reach")) == 3
    assert any("at least 100 followers" in w and "42" in w for w in summary.warnings)
    asked = {c.request.url.params["metric"] for c in graph.routes["insights"].calls}
    assert not any("follower_count" in m for m in asked)


def test_a_retired_account_metric_is_refused_with_100_and_the_rest_collected(
    graph: respx.MockRouter, workspace: Path
) -> None:
    config = write_config(workspace, 'account_metrics = ["reach", "impressions", "views"]')
    summary, db = sync(config)
    assert summary.outcome == "ok", summary.error
    assert len(account_values(db, "views")) == 3 and len(account_values(db, "reach")) == 3
    assert account_values(db, "impressions") == {}
    [warning] = [w for w in summary.warnings if "impressions" in w]
    assert "Meta replaced it with views" in warning and "[instagram] account_metrics" in warning
    stored = db.execute("SELECT platform, metric, message FROM retired_metrics").fetchall()
    assert [(p, m) for p, m, _ in stored] == [("instagram", "impressions")]
    assert "no longer supported" in stored[0][2]
    # Refused once, then left out of every later day's request.
    refused = [
        c for c in graph.routes["insights"].calls if "impressions" in c.request.url.params["metric"]
    ]
    assert len(refused) == 1


def test_media_pages_follow_the_after_cursor_and_stop_at_older_posts(
    graph: respx.MockRouter, workspace: Path
) -> None:
    summary, db = sync(write_config(workspace))
    assert summary.outcome == "ok", summary.error
    pages = [c.request.url.params for c in graph.routes["media"].calls]
    assert [p.get("after") for p in pages] == [None, "2"]
    assert all("access_token" not in p for p in pages)  # the token stays in the header
    assert pages[0]["fields"] == "id,caption,media_type,media_product_type,permalink,timestamp"
    posts = db.execute(
        "SELECT external_id, format, tags, link FROM posts WHERE platform = 'instagram' ORDER BY 1"
    ).fetchall()
    assert [(p[0], p[1]) for p in posts] == [
        ("18001", "video"),
        ("18002", "image"),
        ("18003", "carousel"),
    ]
    assert posts[0][2] == '["fysikk", "realfag"]'
    asked = {c.request.url.path.split("/")[-2] for c in graph.routes["media_insights"].calls}
    assert asked == {"18001", "18002", "18003"}  # 17999 is older than the backfill


def test_media_counters_are_snapshots_and_reach_a_lifetime_value(
    graph: respx.MockRouter, workspace: Path
) -> None:
    summary, db = sync(write_config(workspace))
    assert summary.outcome == "ok", summary.error
    [call] = [c for c in graph.routes["media_insights"].calls if "/18002/" in str(c.request.url)]
    assert call.request.url.params["metric"] == (
        "views,reach,saved,shares,total_interactions,likes,comments"
    )
    snapshot = dict(
        db.execute(
            "SELECT s.metric, s.value FROM post_snapshots s JOIN posts p ON p.id = s.post_id "
            "WHERE p.external_id = '18002'"
        ).fetchall()
    )
    assert snapshot == {
        "views": 107.0,
        "saved": 107.0,
        "shares": 108.0,
        "total_interactions": 120.0,
        "likes": 107.0,
        "comments": 110.0,
    }
    reach = db.execute(
        "SELECT grain, window_start, window_end, value FROM metric_values m JOIN posts p "
        "ON p.id = m.subject_id WHERE m.subject_type = 'post' AND p.external_id = '18002' "
        "AND m.metric = 'reach'"
    ).fetchall()
    assert reach == [("lifetime", "2026-01-18", "2026-01-20", 107.0)]


def test_a_retired_media_metric_is_dropped_for_that_product_type_only_once(
    graph: respx.MockRouter, workspace: Path
) -> None:
    config = write_config(workspace, 'media_metrics = ["views", "plays", "likes"]')
    summary, db = sync(config)
    assert summary.outcome == "ok", summary.error
    calls = [c.request.url.params["metric"] for c in graph.routes["media_insights"].calls]
    # REELS refuses plays once, FEED once; afterwards neither asks for it.
    assert calls.count("views,plays,likes") == 2 and calls.count("views,likes") == 3
    assert any("plays" in w and "reels media" in w for w in summary.warnings)
    snapshots = db.execute("SELECT metric, COUNT(*) FROM post_snapshots GROUP BY 1").fetchall()
    assert snapshots == [("likes", 3), ("views", 3)]


def test_a_failing_media_listing_keeps_the_account_days(
    graph: respx.MockRouter, workspace: Path
) -> None:
    graph.routes["media"].mock(
        return_value=graph_error(100, "(#100) Tried accessing nonexisting field (media)")
    )
    summary, db = sync(write_config(workspace))
    assert summary.outcome == "failed"
    assert str(summary.error).startswith("instagram: ")
    assert len(account_values(db, "reach")) == 3


def test_a_failing_account_part_keeps_the_media(graph: respx.MockRouter, workspace: Path) -> None:
    graph.routes["insights"].mock(
        return_value=graph_error(10, "(#10) Application does not have permission")
    )
    summary, db = sync(write_config(workspace))
    assert summary.outcome == "failed"
    assert "instagram_manage_insights" in str(summary.error)
    assert db.execute("SELECT COUNT(*) FROM posts WHERE platform = 'instagram'").fetchone()[0] == 3


def test_a_media_paging_loop_is_reported_and_the_pages_before_it_kept(
    graph: respx.MockRouter, meta: Meta, workspace: Path
) -> None:
    loop = {
        "data": [media_row("18001", datetime(2026, 1, 19, 15, 0, tzinfo=UTC))],
        "paging": {"cursors": {"after": "same"}, "next": f"{GRAPH}{V}/{IG_USER}/media?after=same"},
    }
    graph.routes["media"].mock(return_value=ok(loop))
    summary, db = sync(write_config(workspace))
    assert summary.outcome == "failed" and "twice" in str(summary.error)
    assert db.execute("SELECT COUNT(*) FROM posts WHERE platform = 'instagram'").fetchone()[0] == 1


@pytest.mark.parametrize(
    ("message", "asked", "refused"),
    [
        (RETIRED_ACCOUNT, ["reach", "impressions"], ["impressions"]),
        (RETIRED_MEDIA, ["views", "plays"], ["plays"]),
        ("(#100) The metric shares is not supported for this media type", ["shares"], ["shares"]),
        (
            "(#100) metric[0] must be one of the following values: reach, follower_count, views",
            ["reach", "impressions", "views"],
            ["impressions"],
        ),
        ("(#100) Invalid parameter", ["reach", "views"], []),
    ],
)
def test_refusals_name_the_metrics_meta_refused(
    message: str, asked: list[str], refused: list[str]
) -> None:
    error = ApiError(message, platform="instagram", code=100)
    assert refused_metrics(error, asked) == refused
