"""LinkedIn organic: the organisation's page through the Community Management API.

- share statistics as a daily series (grain 'day') and as lifetime totals (grain 'lifetime');
- per-post lifetime statistics of the posts the Posts API lists (snapshots, rule 2);
- daily follower gains (organic and paid) and the follower total (firstDegreeSize).

LinkedIn's daily buckets are UTC days and its series end about two days back;
today's (partial) UTC day is never stored.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

from collectors.base import Batch, Progress, SyncOptions, SyncState
from collectors.errors import AuthError
from collectors.http import ApiClient
from collectors.linkedin_api import (
    PLATFORM,
    next_start,
    path_with_query,
    restli,
    time_intervals,
    urn,
)
from collectors.paging import CursorGuard
from social.domain import Account, MetricValue, Page, Post, Snapshot

SHARE_FIELDS = (
    "impressionCount",
    "uniqueImpressionsCount",
    "clickCount",
    "likeCount",
    "commentCount",
    "shareCount",
    "engagement",
)
POST_COUNTERS = (
    "impressionCount",
    "uniqueImpressionsCount",
    "clickCount",
    "likeCount",
    "commentCount",
    "shareCount",
)
HISTORY_DAYS = 365  # time-bound statistics cover a rolling 12 months
CHUNK_DAYS = 90  # days per time-bound request (keeps responses small)
POSTS_PAGE = 50
LIVE_STATES = ("PUBLISHED", "PUBLISHED_EDITED")
POST_BATCH = 20  # post URNs per share-statistics request


class OrganicApi:
    """One organisation page: follower level, daily series, lifetime totals and post stats."""

    def __init__(self, client: ApiClient, organization_id: str) -> None:
        self.client = client
        self.organization_id = organization_id
        self.org_urn = urn("organization", organization_id)

    @property
    def requests(self) -> int:
        return self.client.requests

    def close(self) -> None:
        self.client.close()

    def collect(
        self, options: SyncOptions, state: SyncState, progress: Progress
    ) -> Iterator[Batch]:
        account = Account(PLATFORM, "organization", self.organization_id, self._name())
        yield self._followers_total(account, options)
        last_day = _last_complete_day(options)
        first_share = self._first_day(
            options, state.bookmark(account, "share_daily"), last_day, progress
        )
        yield from self._share_daily(account, first_share, last_day, progress)
        first_follow = self._first_day(
            options, state.bookmark(account, "follower_daily"), last_day, progress
        )
        yield from self._follower_daily(account, first_follow, last_day, progress)
        yield self._share_lifetime(account, options, state, first_share)
        yield from self._posts(account, options, state, progress)

    # -- account ---------------------------------------------------------------------

    def _get(self, path: str, pairs: list[tuple[str, Any]], endpoint: str) -> dict[str, Any]:
        body = self.client.request("GET", path_with_query(path, pairs), endpoint=endpoint)
        return body if isinstance(body, dict) else {}

    def _name(self) -> str:
        """The page's name; a token that may read statistics but not the page gets none."""
        try:
            body = self._get(f"/rest/organizations/{self.organization_id}", [], "organizations")
        except AuthError as exc:
            if exc.status != 403:
                raise
            return ""
        return str(body.get("localizedName") or "")

    def _followers_total(self, account: Account, options: SyncOptions) -> Batch:
        body = self._get(
            f"/rest/networkSizes/{restli(self.org_urn)}",
            [("edgeType", "COMPANY_FOLLOWED_BY_MEMBER")],
            "networkSizes",
        )
        page = Page()
        if body.get("firstDegreeSize") is not None:
            page.values.append(
                MetricValue(
                    "firstDegreeSize",
                    float(body["firstDegreeSize"]),
                    options.today,
                    options.today,
                    "day",
                    "total",
                )
            )
        return Batch(account, page)

    def _first_day(
        self, options: SyncOptions, bookmark: str | None, last_day: date, progress: Progress
    ) -> date:
        first = options.start_for(bookmark, options.organic_lookback_days)
        earliest = last_day - timedelta(days=HISTORY_DAYS - 1)
        if first < earliest:
            if options.since is not None:
                progress.warn(
                    f"linkedin: daily page statistics reach back 12 months only; "
                    f"collected from {earliest} instead of {options.since}"
                )
            first = earliest
        return first

    # -- share statistics ------------------------------------------------------------

    def _time_bound(
        self, resource: str, start: date, end: date
    ) -> Iterator[tuple[date, date, list[dict[str, Any]]]]:
        """(chunk start, chunk end, elements) of a daily statistics resource over [start, end]."""
        day = start
        while day <= end:
            chunk_end = min(end, day + timedelta(days=CHUNK_DAYS - 1))
            body = self._get(
                f"/rest/{resource}",
                [
                    ("q", "organizationalEntity"),
                    ("organizationalEntity", self.org_urn),
                    ("timeIntervals", time_intervals(day, chunk_end + timedelta(days=1))),
                ],
                resource,
            )
            yield day, chunk_end, list(body.get("elements") or [])
            day = chunk_end + timedelta(days=1)

    def _share_daily(
        self, account: Account, start: date, end: date, progress: Progress
    ) -> Iterator[Batch]:
        for _, chunk_end, elements in self._time_bound(
            "organizationalEntityShareStatistics", start, end
        ):
            page = Page()
            for element in elements:
                day = _element_day(element)
                if day is None or day > end:
                    continue  # today's partial UTC day (or beyond) is never stored
                stats = element.get("totalShareStatistics") or {}
                page.values.extend(_values(stats, SHARE_FIELDS, day, day, "day"))
            _bookmark(page, "share_daily")
            progress.advance(f"linkedin: page statistics to {chunk_end}")
            yield Batch(account, page)

    def _follower_daily(
        self, account: Account, start: date, end: date, progress: Progress
    ) -> Iterator[Batch]:
        for _, chunk_end, elements in self._time_bound(
            "organizationalEntityFollowerStatistics", start, end
        ):
            page = Page()
            for element in elements:
                day = _element_day(element)
                gains = element.get("followerGains") or {}
                if day is None or day > end:
                    continue
                for metric, origin in (
                    ("organicFollowerGain", "organic"),
                    ("paidFollowerGain", "paid"),
                ):
                    if gains.get(metric) is not None:
                        page.values.append(
                            MetricValue(metric, float(gains[metric]), day, day, "day", origin)
                        )
            _bookmark(page, "follower_daily")
            progress.advance(f"linkedin: follower gains to {chunk_end}")
            yield Batch(account, page)

    def _share_lifetime(
        self, account: Account, options: SyncOptions, state: SyncState, first: date
    ) -> Batch:
        """All-time totals; the window starts at the earliest day any sync asked for."""
        body = self._get(
            "/rest/organizationalEntityShareStatistics",
            [("q", "organizationalEntity"), ("organizationalEntity", self.org_urn)],
            "organizationalEntityShareStatistics",
        )
        stored = state.bookmark(account, "lifetime_start")
        start = min(first, date.fromisoformat(stored)) if stored else first
        page = Page(bookmarks={"lifetime_start": start.isoformat()})
        for element in body.get("elements") or []:
            stats = element.get("totalShareStatistics") or {}
            page.values.extend(_values(stats, SHARE_FIELDS, start, options.today, "lifetime"))
        return Batch(account, page)

    # -- posts -------------------------------------------------------------------------

    def _posts(
        self, account: Account, options: SyncOptions, state: SyncState, progress: Progress
    ) -> Iterator[Batch]:
        """Posts published since the cutoff, each with its lifetime statistics as a snapshot."""
        first_run = options.full or state.bookmark(account, "posts_listed") is None
        days = options.backfill_days if first_run else options.refresh_days
        cutoff = options.now - timedelta(days=days)
        if options.since is not None:
            cutoff = min(cutoff, datetime(*options.since.timetuple()[:3], tzinfo=UTC))
        guard = CursorGuard(PLATFORM, "posts")
        start = 0
        listed = 0
        while True:
            body = self._get(
                "/rest/posts",
                [
                    ("q", "author"),
                    ("author", self.org_urn),
                    ("count", POSTS_PAGE),
                    ("start", start),
                    ("sortBy", "LAST_MODIFIED"),
                ],
                "posts",
            )
            elements = list(body.get("elements") or [])
            posts = [p for p in (_post(e) for e in elements) if p and p.published_at >= cutoff]
            # Sorted by last modification: once a page holds a post untouched since the
            # cutoff, every later post was also created before it.
            older = any(
                int(e.get("lastModifiedAt") or e.get("createdAt") or 0) < _ms(cutoff)
                for e in elements
            )
            listed += len(posts)
            if posts:
                yield self._post_page(account, posts, options.now)
            progress.advance(f"linkedin: {listed} posts listed")
            nxt = next_start(body)
            if older or nxt is None or not elements:
                break
            start = guard.advance(nxt)
        yield Batch(account, Page(bookmarks={"posts_listed": options.now.date().isoformat()}))

    def _post_page(self, account: Account, posts: list[Post], now: datetime) -> Batch:
        page = Page(posts=posts)
        for kind, param in (("share", "shares"), ("ugcPost", "ugcPosts")):
            ids = [p.external_id for p in posts if p.external_id.startswith(f"urn:li:{kind}:")]
            for i in range(0, len(ids), POST_BATCH):
                body = self._get(
                    "/rest/organizationalEntityShareStatistics",
                    [
                        ("q", "organizationalEntity"),
                        ("organizationalEntity", self.org_urn),
                        (param, ids[i : i + POST_BATCH]),
                    ],
                    "organizationalEntityShareStatistics",
                )
                for element in body.get("elements") or []:
                    post_urn = element.get(kind)
                    stats = element.get("totalShareStatistics") or {}
                    counters = {
                        c: float(stats[c]) for c in POST_COUNTERS if stats.get(c) is not None
                    }
                    if post_urn in ids and counters:
                        page.snapshots.append(Snapshot(str(post_urn), now, counters, "organic"))
        return Batch(account, page)


def _last_complete_day(options: SyncOptions) -> date:
    """The newest UTC day that has ended, and never the local today."""
    utc_today = options.now.astimezone(UTC).date()
    return min(options.today, utc_today) - timedelta(days=1)


def _element_day(element: dict[str, Any]) -> date | None:
    time_range = element.get("timeRange") or {}
    if time_range.get("start") is None:
        return None
    return datetime.fromtimestamp(int(time_range["start"]) / 1000, UTC).date()


def _values(
    stats: dict[str, Any], names: tuple[str, ...], start: date, end: date, grain: str
) -> list[MetricValue]:
    return [
        MetricValue(name, float(stats[name]), start, end, grain, "organic")
        for name in names
        if stats.get(name) is not None
    ]


def _bookmark(page: Page, stream: str) -> None:
    """Bookmark the newest day a page holds (nothing returned: the bookmark stays)."""
    days = [v.window_end for v in page.values]
    if days:
        page.bookmarks[stream] = max(days).isoformat()


def _ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def _post(element: dict[str, Any]) -> Post | None:
    """A Post from a Posts API element; drafts and deleted posts are skipped."""
    post_urn = str(element.get("id") or "")
    if not post_urn or element.get("lifecycleState", "PUBLISHED") not in LIVE_STATES:
        return None
    when = element.get("publishedAt") or element.get("createdAt")
    if when is None:
        return None
    text = str(element.get("commentary") or "")
    distribution = element.get("distribution") or {}
    return Post(
        platform=PLATFORM,
        external_id=post_urn,
        published_at=datetime.fromtimestamp(int(when) / 1000, UTC),
        caption=text,
        link=f"https://www.linkedin.com/feed/update/{post_urn}/",
        format=_format(element.get("content") or {}),
        tags=tuple(_hashtags(text)),
        # "dark" posts exist only as sponsored content and never reach the page feed
        is_ad=distribution.get("feedDistribution") == "NONE",
    )


def _format(content: dict[str, Any]) -> str:
    media = content.get("media") or {}
    media_id = str(media.get("id") or "")
    if ":video:" in media_id:
        return "video"
    if ":image:" in media_id:
        return "image"
    if ":document:" in media_id:
        return "document"
    if "multiImage" in content:
        return "carousel"
    if "article" in content:
        return "link"
    if "poll" in content:
        return "poll"
    return "text"


def _hashtags(text: str) -> list[str]:
    """Hashtags of the commentary; LinkedIn writes them as '#tag' or '{hashtag|\\#|tag}'."""
    tags: list[str] = []
    for word in text.replace("{hashtag|\\#|", "#").replace("}", " ").split():
        if word.startswith("#") and len(word) > 1:
            tag = word[1:].strip(".,!?:;()").lower()
            if tag and tag not in tags:
                tags.append(tag)
    return tags
