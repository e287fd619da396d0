"""TikTok Display API v2: listing, incremental refresh, and every fault class."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
import respx
from sqlite_utils import Database

from social.sync import run_sync
from tests.tiktok_support import DISPLAY, display_error, user_info, video, video_list, write_config

NOW = datetime(2026, 1, 10, 6, 0, tzinfo=UTC)
NO_SLEEP = lambda seconds: None  # noqa: E731


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("SOCIAL_TIKTOK_ACCESS_TOKEN", "act.secret-token-123")
    return write_config(tmp_path)


def _sync(config, db, **kwargs):  # type: ignore[no-untyped-def]
    return run_sync(config, db, ["tiktok"], now=kwargs.pop("now", NOW), sleep=NO_SLEEP, **kwargs)[0]


def _table_counts(db: Database) -> dict[str, int]:
    return {t: db[t].count for t in ("posts", "post_snapshots", "metric_values", "accounts")}


@respx.mock(base_url=DISPLAY, assert_all_called=False)
def test_first_sync_pages_through_videos_and_stores_posts_and_snapshots(
    respx_mock, config, fresh_db
):  # type: ignore[no-untyped-def]
    respx_mock.get("/v2/user/info/").mock(return_value=user_info())
    listing = respx_mock.post("/v2/video/list/").mock(
        side_effect=[
            video_list(
                [video("3", 1767900000, 15230), video("2", 1767800000, 1500)], 1767800000000, True
            ),
            video_list([video("1", 1767700000, 2100)], 1767700000000, False),
        ]
    )
    summary = _sync(config, fresh_db)
    assert summary.outcome == "ok", summary.error
    assert summary.new_posts == 3
    assert summary.requests == 3
    assert json.loads(listing.calls[1].request.content) == {
        "max_count": 20,
        "cursor": 1767800000000,
    }
    sent = listing.calls[0].request
    assert sent.headers["Authorization"] == "Bearer act.secret-token-123"
    assert "view_count" in sent.url.params["fields"]
    views = dict(
        fresh_db.execute(
            "SELECT p.external_id, l.value FROM post_latest l JOIN posts p ON p.id = l.post_id "
            "WHERE l.metric = 'view_count'"
        ).fetchall()
    )
    assert views == {"1": 2100, "2": 1500, "3": 15230}
    assert (
        fresh_db.execute("SELECT tags FROM posts WHERE external_id = '3'").fetchone()[0]
        == '["eksamen"]'
    )


@respx.mock(base_url=DISPLAY, assert_all_called=False)
def test_daily_sync_lists_only_new_videos_and_refreshes_recent_ones_in_batches(
    respx_mock, config, fresh_db
):  # type: ignore[no-untyped-def]
    respx_mock.get("/v2/user/info/").mock(return_value=user_info())
    old = [video(str(i), 1767000000 + i * 3600, 1000 + i) for i in range(45)]
    pages = [video_list(list(reversed(old))[i : i + 20], 1, i + 20 < 45) for i in range(0, 45, 20)]
    listing = respx_mock.post("/v2/video/list/")
    listing.side_effect = [
        video_list(list(reversed(old))[i : i + 20], 10**12 - i, i + 20 < 45)
        for i in range(0, 45, 20)
    ]
    assert _sync(config, fresh_db).new_posts == 45
    del pages

    # Next day: one new video on top of the list; the list stops at the stored newest one.
    new = video("new", 1767950000, 300)
    listing.side_effect = [video_list([new, *list(reversed(old))[:19]], 5, True)]
    query = respx_mock.post("/v2/video/query/").mock(
        side_effect=lambda request: video_list(
            [
                video(v, 1767000000, 5000)
                for v in json.loads(request.content)["filters"]["video_ids"]
            ],
            0,
            False,
        )
    )
    summary = _sync(config, fresh_db, now=datetime(2026, 1, 11, 6, tzinfo=UTC))
    assert summary.new_posts == 1
    assert listing.call_count == 4  # three pages on day one, a single page on day two
    batches = [json.loads(c.request.content)["filters"]["video_ids"] for c in query.calls]
    assert [len(b) for b in batches] == [20, 20, 5]
    assert "new" not in {v for b in batches for v in b}
    assert summary.requests == 1 + 1 + 3


@respx.mock(base_url=DISPLAY, assert_all_called=False)
def test_invalid_token_fails_with_one_line_and_no_secret(respx_mock, config, fresh_db):  # type: ignore[no-untyped-def]
    respx_mock.get("/v2/user/info/").mock(
        return_value=display_error(
            401, "access_token_invalid", "The access token is invalid or not found in the request."
        )
    )
    summary = _sync(config, fresh_db)
    assert summary.outcome == "failed"
    assert "access token is invalid or expired" in summary.error
    assert "social auth tiktok" in summary.error
    assert "act.secret-token-123" not in summary.error
    run = fresh_db.execute("SELECT outcome, error FROM sync_runs").fetchone()
    assert run[0] == "failed" and "social auth tiktok" in run[1]


@pytest.mark.parametrize(
    "first",
    [
        httpx.Response(
            429,
            headers={"Retry-After": "2"},
            json={
                "data": {},
                "error": {"code": "rate_limit_exceeded", "message": "", "log_id": "1"},
            },
        ),
        httpx.Response(
            429,
            json={
                "data": {},
                "error": {"code": "rate_limit_exceeded", "message": "", "log_id": "1"},
            },
        ),
        httpx.Response(
            500,
            json={"data": {}, "error": {"code": "internal_error", "message": "", "log_id": "1"}},
        ),
        httpx.Response(502, text="<html>Bad gateway</html>"),
        httpx.Response(200, text='{"data": {"videos": ['),
        httpx.ReadTimeout("timed out"),
    ],
)
@respx.mock(base_url=DISPLAY, assert_all_called=False)
def test_retriable_faults_are_retried_and_the_sync_completes(respx_mock, config, fresh_db, first):  # type: ignore[no-untyped-def]
    respx_mock.get("/v2/user/info/").mock(return_value=user_info())
    respx_mock.post("/v2/video/list/").mock(
        side_effect=[first, video_list([video("1", 1767700000, 2100)], 0, False)]
    )
    slept: list[float] = []
    summary = run_sync(config, fresh_db, ["tiktok"], now=NOW, sleep=slept.append)[0]
    assert summary.outcome == "ok", summary.error
    assert summary.new_posts == 1
    assert len(slept) == 1
    if isinstance(first, httpx.Response) and "Retry-After" in first.headers:
        assert slept == [2.0]


@respx.mock(base_url=DISPLAY, assert_all_called=False)
def test_a_burst_of_5xx_gives_up_keeping_the_pages_already_stored(respx_mock, config, fresh_db):  # type: ignore[no-untyped-def]
    respx_mock.get("/v2/user/info/").mock(return_value=user_info())
    respx_mock.post("/v2/video/list/").mock(
        side_effect=[
            video_list([video("2", 1767800000, 1500)], 1767800000000, True),
            *[httpx.Response(503) for _ in range(10)],
        ]
    )
    summary = _sync(config, fresh_db)
    assert summary.outcome == "failed"
    assert (
        "server error (HTTP 503)" in summary.error and "gave up after 6 attempts" in summary.error
    )
    assert fresh_db["posts"].count == 1


@respx.mock(base_url=DISPLAY, assert_all_called=False)
def test_a_paging_loop_is_an_error_not_an_endless_sync(respx_mock, config, fresh_db):  # type: ignore[no-untyped-def]
    respx_mock.get("/v2/user/info/").mock(return_value=user_info())
    respx_mock.post("/v2/video/list/").mock(
        side_effect=lambda request: video_list(
            [video(str(len(request.content)), 1767800000, 100)], 1767800000000, True
        )
    )
    summary = _sync(config, fresh_db)
    assert summary.outcome == "failed"
    assert "paging loop" in summary.error


@respx.mock(base_url=DISPLAY, assert_all_called=False)
def test_a_sync_killed_half_way_converges_on_the_next_run(respx_mock, config, fresh_db, tmp_path):  # type: ignore[no-untyped-def]
    videos = [video(str(i), 1767000000 + i * 3600, 1000 + i) for i in range(40, 0, -1)]
    respx_mock.get("/v2/user/info/").mock(return_value=user_info())
    listing = respx_mock.post("/v2/video/list/")
    calls = iter([video_list(videos[:20], 10, True)])

    def killed(request: httpx.Request) -> httpx.Response:
        for response in calls:
            return response
        raise KeyboardInterrupt  # the user presses Ctrl-C during the second page

    listing.side_effect = killed
    with pytest.raises(KeyboardInterrupt):
        _sync(config, fresh_db)
    assert fresh_db["posts"].count == 20
    assert fresh_db.execute("SELECT outcome FROM sync_runs").fetchone()[0] == "interrupted"
    listing.side_effect = [video_list(videos[:20], 10, True), video_list(videos[20:], 5, False)]
    assert _sync(config, fresh_db).outcome == "ok"
    # A clean database synced in one go holds exactly the same content.
    from db import open_db

    clean = open_db(tmp_path / "clean.db")
    listing.side_effect = [video_list(videos[:20], 10, True), video_list(videos[20:], 5, False)]
    _sync(config, clean)
    assert _table_counts(clean) == _table_counts(fresh_db)


def test_missing_token_skips_tiktok_with_the_fix(tmp_path: Path, fresh_db, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("SOCIAL_TIKTOK_ACCESS_TOKEN", raising=False)
    config = write_config(tmp_path)
    summary = run_sync(config, fresh_db, ["tiktok"], now=NOW)[0]
    assert summary.outcome == "skipped"
    assert "social auth tiktok" in summary.error
