"""LinkedIn organic: daily series without today's partial day, rolling 12 months, posts, followers.

The fake server refuses what LinkedIn refuses: a time-bound range starting less
than 2 days or more than 12 months before the request's UTC date.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx

from social.sync import run_sync
from tests.linkedin_support import (
    NOW,
    ORG,
    ORG_URN_ENC,
    collection,
    day_ms,
    share_day,
    write_config,
)


def _days_of(request: httpx.Request) -> list[date]:
    """The UTC days a timeIntervals query asks for."""
    raw = request.url.query.decode()
    start = int(raw.split("start:")[1].split(",")[0])
    end = int(raw.split("end:")[1].split(")")[0])
    first = date(1970, 1, 1) + timedelta(milliseconds=start)
    count = (end - start) // 86_400_000
    return [first + timedelta(days=i) for i in range(count)]


def _post(urn: str, created: date, modified: date | None = None) -> dict[str, Any]:
    return {
        "id": urn,
        "author": f"urn:li:organization:{ORG}",
        "commentary": "Nytt fra realfag #STEM",
        "createdAt": day_ms(created) + 3_600_000,
        "publishedAt": day_ms(created) + 3_600_000,
        "lastModifiedAt": day_ms(modified or created) + 7_200_000,
        "lifecycleState": "PUBLISHED",
        "content": {"media": {"id": "urn:li:video:C5F10AQ"}} if "ugcPost" in urn else {},
    }


def _post_stats(kind: str, urn: str, impressions: int) -> dict[str, Any]:
    return {
        "organizationalEntity": f"urn:li:organization:{ORG}",
        kind: urn,
        "totalShareStatistics": {
            "impressionCount": impressions,
            "uniqueImpressionsCount": 700,
            "clickCount": 12,
            "likeCount": 9,
            "commentCount": 1,
            "shareCount": 0,
            "engagement": 0.02,
        },
    }


class FakeLinkedIn:
    """Answers the organic endpoints; daily series include today to prove it is dropped."""

    def __init__(self, posts: list[list[dict[str, Any]]] | None = None, loop: bool = False) -> None:
        self.posts = posts or [[]]
        self.loop = loop

    def __call__(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        raw = request.url.query.decode()
        if "timeIntervals=" in raw:
            first = _days_of(request)[0]
            today = NOW.date()
            if first > today - timedelta(days=2) or first <= date(
                today.year - 1, today.month, today.day
            ):
                return httpx.Response(
                    400, json={"message": "Invalid timeIntervals parameter", "status": 400}
                )
        if path == f"/rest/organizations/{ORG}":
            return httpx.Response(200, json={"id": int(ORG), "localizedName": "STEM-løftet"})
        if path.startswith("/rest/networkSizes/"):
            return httpx.Response(200, json={"firstDegreeSize": 15230})
        if path == "/rest/organizationalEntityFollowerStatistics":
            return collection(
                [
                    {
                        "timeRange": {"start": day_ms(d), "end": day_ms(d) + 86_400_000},
                        "followerGains": {"organicFollowerGain": 4, "paidFollowerGain": 2},
                    }
                    for d in _days_of(request) + [NOW.date()]
                ]
            )
        if path == "/rest/organizationalEntityShareStatistics":
            if "timeIntervals=" in raw:
                return collection([share_day(d) for d in _days_of(request) + [NOW.date()]])
            if "shares=List(" in raw or "ugcPosts=List(" in raw:
                kind, param = ("share", "shares") if "shares=" in raw else ("ugcPost", "ugcPosts")
                urns = raw.split(f"{param}=List(")[1].split(")")[0].split(",")
                return collection(
                    [_post_stats(kind, u.replace("%3A", ":"), 1000 + i) for i, u in enumerate(urns)]
                )
            return collection(
                [
                    {
                        "organizationalEntity": f"urn:li:organization:{ORG}",
                        "totalShareStatistics": {
                            "impressionCount": 250_000,
                            "uniqueImpressionsCount": 61_000,
                            "clickCount": 5000,
                            "likeCount": 3000,
                            "commentCount": 200,
                            "shareCount": 90,
                            "engagement": 0.033,
                        },
                    }
                ]
            )
        if path == "/rest/posts":
            start = int(raw.split("start=")[1].split("&")[0])
            index = start // 2
            page = self.posts[min(index, len(self.posts) - 1)]
            more = self.loop or index + 1 < len(self.posts)
            links = (
                [
                    {
                        "rel": "next",
                        "type": "application/json",
                        "href": f"/rest/posts?q=author&author={ORG_URN_ENC}&count=2&start="
                        f"{2 if self.loop else start + 2}",
                    }
                ]
                if more
                else []
            )
            return collection(page, links, start=start, count=2)
        return httpx.Response(404, json={"message": "no", "status": 404})


@pytest.fixture
def token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOCIAL_LINKEDIN_ACCESS_TOKEN", "li-env-token-999")


@respx.mock(assert_all_called=False)
def test_daily_series_end_before_today_and_totals_without_a_range_cover_a_rolling_year(  # type: ignore[no-untyped-def]
    respx_mock, tmp_path: Path, fresh_db, token
) -> None:
    respx_mock.route(host="api.linkedin.com").mock(side_effect=FakeLinkedIn())
    config = write_config(tmp_path, "[sync]\nbackfill_days = 10")
    summary = run_sync(config, fresh_db, ["linkedin"], now=NOW, sleep=lambda s: None)[0]
    assert summary.outcome == "ok", summary.error
    days = fresh_db.execute(
        "SELECT MIN(window_start), MAX(window_end), COUNT(*) FROM metric_values "
        "WHERE metric = 'uniqueImpressionsCount' AND grain = 'day' AND origin = 'organic'"
    ).fetchone()
    assert days == ("2026-11-06", "2026-11-15", 10)  # 16 Nov (today) was in the reply: dropped
    # LinkedIn's totals without timeIntervals cover a rolling 12 months, not "since the
    # first sync": stored as exactly that window.
    rolling = fresh_db.execute(
        "SELECT metric, grain, window_start, window_end, value FROM metric_values "
        "WHERE subject_type = 'account' AND grain != 'day' "
        "AND metric IN ('impressionCount', 'uniqueImpressionsCount') ORDER BY metric"
    ).fetchall()
    assert rolling == [
        ("impressionCount", "window", "2025-11-16", "2026-11-16", 250_000.0),
        ("uniqueImpressionsCount", "window", "2025-11-16", "2026-11-16", 61_000.0),
    ]
    account = fresh_db.execute("SELECT platform, kind, external_id, name FROM accounts").fetchone()
    assert account == ("linkedin", "organization", ORG, "STEM-løftet")


@respx.mock(assert_all_called=False)
def test_follower_gains_are_daily_flows_and_the_follower_total_is_a_level(  # type: ignore[no-untyped-def]
    respx_mock, tmp_path: Path, fresh_db, token
) -> None:
    respx_mock.route(host="api.linkedin.com").mock(side_effect=FakeLinkedIn())
    config = write_config(tmp_path, "[sync]\nbackfill_days = 5")
    run_sync(config, fresh_db, ["linkedin"], now=NOW, sleep=lambda s: None)
    rows = fresh_db.execute(
        "SELECT metric, origin, COUNT(*), SUM(value), MAX(window_end) FROM metric_values "
        "WHERE metric IN ('organicFollowerGain', 'paidFollowerGain', 'firstDegreeSize') "
        "GROUP BY metric, origin ORDER BY metric"
    ).fetchall()
    assert rows[1:] == [
        ("organicFollowerGain", "organic", 5, 20.0, "2026-11-15"),
        ("paidFollowerGain", "paid", 5, 10.0, "2026-11-15"),
    ]
    # A level for every day: today's count, and the days before worked back from the gains.
    levels = fresh_db.execute(
        "SELECT window_start, window_end, origin, grain, value FROM metric_values "
        "WHERE metric = 'firstDegreeSize' ORDER BY window_start"
    ).fetchall()
    assert levels == [
        ("2026-11-10", "2026-11-10", "total", "day", 15200.0),
        ("2026-11-11", "2026-11-11", "total", "day", 15206.0),
        ("2026-11-12", "2026-11-12", "total", "day", 15212.0),
        ("2026-11-13", "2026-11-13", "total", "day", 15218.0),
        ("2026-11-14", "2026-11-14", "total", "day", 15224.0),
        ("2026-11-15", "2026-11-15", "total", "day", 15230.0),
        ("2026-11-16", "2026-11-16", "total", "day", 15230.0),
    ]


@respx.mock(assert_all_called=False)
def test_a_later_sync_never_overwrites_an_observed_level_with_a_worked_back_one(  # type: ignore[no-untyped-def]
    respx_mock, tmp_path: Path, fresh_db, token
) -> None:
    fake = FakeLinkedIn()
    respx_mock.route(host="api.linkedin.com").mock(side_effect=fake)
    config = write_config(tmp_path, "[sync]\nbackfill_days = 5")
    run_sync(config, fresh_db, ["linkedin"], now=NOW, sleep=lambda s: None)
    from datetime import UTC, datetime

    later = datetime(2026, 11, 19, 6, tzinfo=UTC)
    run_sync(config, fresh_db, ["linkedin"], now=later, sleep=lambda s: None)
    observed = fresh_db.execute(
        "SELECT value FROM metric_values WHERE metric = 'firstDegreeSize' AND window_start = ?",
        ["2026-11-16"],
    ).fetchone()[0]
    assert observed == 15230.0  # the first sync's own count, not 15230 minus later gains


@respx.mock(assert_all_called=False)
def test_posts_are_paged_and_get_lifetime_snapshots_keyed_by_their_urn(  # type: ignore[no-untyped-def]
    respx_mock, tmp_path: Path, fresh_db, token
) -> None:
    pages = [
        [
            _post("urn:li:share:111", date(2026, 11, 10)),
            _post("urn:li:ugcPost:222", date(2026, 11, 9)),
        ],
        [_post("urn:li:share:333", date(2026, 11, 2))],
    ]
    fake = FakeLinkedIn(pages)
    route = respx_mock.route(host="api.linkedin.com").mock(side_effect=fake)
    config = write_config(tmp_path, "[sync]\nbackfill_days = 30")
    summary = run_sync(config, fresh_db, ["linkedin"], now=NOW, sleep=lambda s: None)[0]
    assert summary.outcome == "ok", summary.error
    assert summary.new_posts == 3
    posts = fresh_db.execute(
        "SELECT external_id, format, link, tags FROM posts ORDER BY external_id"
    ).fetchall()
    assert posts[0] == (
        "urn:li:share:111",
        "text",
        "https://www.linkedin.com/feed/update/urn:li:share:111/",
        '["stem"]',
    )
    assert posts[2][:2] == ("urn:li:ugcPost:222", "video")
    snapshots = fresh_db.execute(
        "SELECT p.external_id, s.metric, s.origin, s.value FROM post_snapshots s "
        "JOIN posts p ON p.id = s.post_id WHERE s.metric = 'impressionCount' ORDER BY 1"
    ).fetchall()
    assert snapshots == [
        ("urn:li:share:111", "impressionCount", "organic", 1000.0),
        ("urn:li:share:333", "impressionCount", "organic", 1000.0),
        ("urn:li:ugcPost:222", "impressionCount", "organic", 1000.0),
    ]
    sent = [c.request.url.query.decode() for c in route.calls]
    assert any(q.endswith("&shares=List(urn%3Ali%3Ashare%3A111)") for q in sent)
    assert any(q.endswith("&ugcPosts=List(urn%3Ali%3AugcPost%3A222)") for q in sent)


@respx.mock(assert_all_called=False)
def test_listing_stops_at_posts_untouched_since_the_cutoff(  # type: ignore[no-untyped-def]
    respx_mock, tmp_path: Path, fresh_db, token
) -> None:
    old = date(2026, 9, 1)
    pages = [
        [_post("urn:li:share:111", date(2026, 11, 10)), _post("urn:li:share:999", old)],
        [_post("urn:li:share:998", old)],
    ]
    route = respx_mock.route(host="api.linkedin.com").mock(side_effect=FakeLinkedIn(pages))
    config = write_config(tmp_path, "[sync]\nbackfill_days = 30")
    summary = run_sync(config, fresh_db, ["linkedin"], now=NOW, sleep=lambda s: None)[0]
    assert summary.new_posts == 1
    assert sum(1 for c in route.calls if c.request.url.path == "/rest/posts") == 1


@respx.mock(assert_all_called=False)
def test_a_paging_loop_fails_the_sync_and_keeps_the_pages_already_stored(  # type: ignore[no-untyped-def]
    respx_mock, tmp_path: Path, fresh_db, token
) -> None:
    pages = [
        [
            _post("urn:li:share:111", date(2026, 11, 10)),
            _post("urn:li:share:112", date(2026, 11, 9)),
        ]
    ]
    respx_mock.route(host="api.linkedin.com").mock(side_effect=FakeLinkedIn(pages, loop=True))
    config = write_config(tmp_path, "[sync]\nbackfill_days = 30")
    summary = run_sync(config, fresh_db, ["linkedin"], now=NOW, sleep=lambda s: None)[0]
    assert summary.outcome == "failed"
    assert "paging loop" in (summary.error or "") and "posts" in (summary.error or "")
    assert fresh_db.execute("SELECT COUNT(*) FROM posts").fetchone()[0] == 2
    assert (
        fresh_db.execute("SELECT COUNT(*) FROM metric_values WHERE grain = 'day'").fetchone()[0] > 0
    )


@respx.mock(assert_all_called=False)
def test_the_next_sync_starts_at_the_bookmark_minus_the_lookback(  # type: ignore[no-untyped-def]
    respx_mock, tmp_path: Path, fresh_db, token
) -> None:
    route = respx_mock.route(host="api.linkedin.com").mock(side_effect=FakeLinkedIn())
    config = write_config(tmp_path, "[sync]\nbackfill_days = 20\norganic_lookback_days = 3")
    run_sync(config, fresh_db, ["linkedin"], now=NOW, sleep=lambda s: None)
    route.reset()
    run_sync(config, fresh_db, ["linkedin"], now=NOW + timedelta(days=2), sleep=lambda s: None)
    daily = [
        c.request
        for c in route.calls
        if c.request.url.path == "/rest/organizationalEntityShareStatistics"
        and b"timeIntervals" in c.request.url.query
    ]
    assert len(daily) == 1
    asked = _days_of(daily[0])
    assert (asked[0], asked[-1]) == (date(2026, 11, 12), date(2026, 11, 17))  # bookmark 15th - 3
    stored = fresh_db.execute(
        "SELECT COUNT(*), COUNT(DISTINCT window_start) FROM metric_values "
        "WHERE metric = 'impressionCount' AND grain = 'day'"
    ).fetchone()
    assert stored == (22, 22)  # 27 Oct .. 17 Nov, re-collected days updated in place


@pytest.mark.parametrize("since", ["2025-06-01", "2026-11-15"])
@respx.mock(assert_all_called=False)
def test_every_time_bound_chunk_starts_between_12_months_and_2_days_back(  # type: ignore[no-untyped-def]
    respx_mock, tmp_path: Path, fresh_db, token, since
) -> None:
    from datetime import date as _date

    route = respx_mock.route(host="api.linkedin.com").mock(side_effect=FakeLinkedIn())
    config = write_config(tmp_path)
    summary = run_sync(
        config,
        fresh_db,
        ["linkedin"],
        since=_date.fromisoformat(since),
        now=NOW,
        sleep=lambda s: None,
    )[0]
    assert summary.outcome == "ok", summary.error
    starts = [
        _days_of(c.request)[0]
        for c in route.calls
        if "timeIntervals=" in c.request.url.query.decode()
    ]
    assert starts and all(_date(2025, 11, 16) < first <= _date(2026, 11, 14) for first in starts)
