"""LinkedIn organic: the organisation's page through the Community Management API.

- share statistics as a daily series (grain 'day') and, asked without
  `timeIntervals`, as totals over a rolling 12 months (grain 'window', from 12
  months before today to today: *Organization Share Statistics* says so; they
  are not lifetime totals);
- per-post lifetime statistics of the posts the Posts API lists (snapshots, rule 2);
- daily follower gains (organic and paid) and the follower level: today's
  `firstDegreeSize` on every sync, and for the days before the first sync,
  levels worked back from it and the daily gains.

Time-bound requests obey LinkedIn's rule (Airbyte's source-linkedin-pages
manifest; HTTP 400 "Invalid timeIntervals parameter" otherwise): every range,
each chunk of a split one included, starts at least 2 days and at most 12
months before the request's UTC date. LinkedIn's daily buckets are UTC days and
its series end about two days back; today's (partial) UTC day is never stored.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

from collectors.base import ApiPart, Batch, Progress, SyncOptions, SyncState
from collectors.dates import months_before
from collectors.errors import AuthError
from collectors.http import ApiClient
from collectors.linkedin.api import (
    PLATFORM,
    next_start,
    path_with_query,
    restli,
    time_intervals,
    urn,
)
from collectors.paging import CursorGuard
from core.domain import Account, MetricValue, Page, Post, Snapshot

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
CHUNK_DAYS = 90  # days per time-bound request (keeps responses small)
MIN_AGE_DAYS = 2  # a time-bound range starts at least this many days before today (UTC)
HISTORY_MONTHS = 12  # ... and at most this many months before it
GAINS = (("organicFollowerGain", "organic"), ("paidFollowerGain", "paid"))
LEVEL = "firstDegreeSize"
POSTS_PAGE = 50
LIVE_STATES = ("PUBLISHED", "PUBLISHED_EDITED")
POST_BATCH = 20  # post URNs per share-statistics request


class OrganicApi(ApiPart):
    """One organisation page: follower level, daily series, lifetime totals and post stats."""

    def __init__(self, client: ApiClient, organization_id: str) -> None:
        super().__init__(client)
        self.organization_id = organization_id
        self.org_urn = urn("organization", organization_id)

    def collect(
        self, options: SyncOptions, state: SyncState, progress: Progress
    ) -> Iterator[Batch]:
        progress.stage("linkedin/page/followers-now")
        account = Account(PLATFORM, "organization", self.organization_id, self._name())
        level = self._followers_total(account, options)
        yield level
        earliest, latest_start = time_bound_limits(options)
        last_day = _last_complete_day(options)
        progress.stage("linkedin/page/daily")
        first_share = self._first_day(
            options, state.bookmark(account, "share_daily"), earliest, progress
        )
        yield from self._share_daily(account, first_share, last_day, latest_start, progress)
        progress.stage("linkedin/page/followers")
        first_follow = self._first_day(
            options, state.bookmark(account, "follower_daily"), earliest, progress
        )
        observed = level.page.values[0].value if level.page.values else None
        yield from self._follower_daily(
            account, first_follow, last_day, latest_start, observed, state, options, progress
        )
        progress.stage("linkedin/page/rolling-year")
        yield self._share_rolling_year(account, options)
        progress.stage("linkedin/page/posts")
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
        """Today's follower level (a level: origin 'total', grain 'day', local today)."""
        body = self._get(
            f"/rest/networkSizes/{restli(self.org_urn)}",
            [("edgeType", "COMPANY_FOLLOWED_BY_MEMBER")],
            "networkSizes",
        )
        page = Page()
        if body.get("firstDegreeSize") is not None:
            page.values.append(
                MetricValue(
                    LEVEL,
                    float(body["firstDegreeSize"]),
                    options.today,
                    options.today,
                    "day",
                    "total",
                )
            )
        return Batch(account, page)

    def _first_day(
        self, options: SyncOptions, bookmark: str | None, earliest: date, progress: Progress
    ) -> date:
        first = options.start_for(bookmark, options.organic_lookback_days)
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
        self, resource: str, start: date, end: date, latest_start: date
    ) -> Iterator[tuple[date, date, list[dict[str, Any]]]]:
        """(chunk start, chunk end, elements) of a daily statistics resource over [start, end]."""
        for first, last in time_bound_chunks(start, end, latest_start):
            body = self._get(
                f"/rest/{resource}",
                [
                    ("q", "organizationalEntity"),
                    ("organizationalEntity", self.org_urn),
                    ("timeIntervals", time_intervals(first, last + timedelta(days=1))),
                ],
                resource,
            )
            yield first, last, list(body.get("elements") or [])

    def _share_daily(
        self, account: Account, start: date, end: date, latest_start: date, progress: Progress
    ) -> Iterator[Batch]:
        for _, chunk_end, elements in self._time_bound(
            "organizationalEntityShareStatistics", start, end, latest_start
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
        self,
        account: Account,
        start: date,
        end: date,
        latest_start: date,
        observed: float | None,
        state: SyncState,
        options: SyncOptions,
        progress: Progress,
    ) -> Iterator[Batch]:
        """Daily gains, then the levels of the days before the first sync, in one stage.

        The stage's bookmark is saved with its last page only: the levels are
        worked back from all the gains this stage fetched, so an interrupted stage
        is fetched again whole.
        """
        gains: dict[date, float] = {}
        for _, chunk_end, elements in self._time_bound(
            "organizationalEntityFollowerStatistics", start, end, latest_start
        ):
            page = Page()
            for element in elements:
                day = _element_day(element)
                follower_gains = element.get("followerGains") or {}
                if day is None or day > end:
                    continue
                for metric, origin in GAINS:
                    if follower_gains.get(metric) is not None:
                        value = float(follower_gains[metric])
                        page.values.append(MetricValue(metric, value, day, day, "day", origin))
                        gains[day] = gains.get(day, 0.0) + value
            progress.advance(f"linkedin: follower gains to {chunk_end}")
            yield Batch(account, page)
        page = Page()
        since = state.bookmark(account, "levels_observed_since") or options.today.isoformat()
        if observed is not None:
            page.values.extend(
                worked_back_levels(observed, gains, start, date.fromisoformat(since))
            )
            page.bookmarks["levels_observed_since"] = since
        if gains:
            page.bookmarks["follower_daily"] = max(gains).isoformat()
        yield Batch(account, page)

    def _share_rolling_year(self, account: Account, options: SyncOptions) -> Batch:
        """Totals without timeIntervals: LinkedIn's rolling 12 months, stored as that window."""
        body = self._get(
            "/rest/organizationalEntityShareStatistics",
            [("q", "organizationalEntity"), ("organizationalEntity", self.org_urn)],
            "organizationalEntityShareStatistics",
        )
        end = options.utc_today
        start = months_before(end, HISTORY_MONTHS)
        page = Page()
        for element in body.get("elements") or []:
            stats = element.get("totalShareStatistics") or {}
            page.values.extend(_values(stats, SHARE_FIELDS, start, end, "window"))
        return Batch(account, page)

    # -- posts -------------------------------------------------------------------------

    def _posts(
        self, account: Account, options: SyncOptions, state: SyncState, progress: Progress
    ) -> Iterator[Batch]:
        """Posts published since the cutoff, each with its lifetime statistics as a snapshot."""
        covered = state.bookmark(account, "posts_since")
        first = options.listing_start(covered, state.bookmark(account, "posts_listed"))
        cutoff = datetime(first.year, first.month, first.day, tzinfo=UTC)
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
        bookmarks = {
            "posts_listed": options.now.date().isoformat(),
            "posts_since": options.covered(first, covered),
        }
        yield Batch(account, Page(bookmarks=bookmarks))

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
    return min(options.today, options.utc_today) - timedelta(days=1)


def time_bound_limits(options: SyncOptions) -> tuple[date, date]:
    """(earliest, latest) start of a time-bound range LinkedIn accepts at this sync's UTC date."""
    earliest = months_before(options.utc_today, HISTORY_MONTHS) + timedelta(days=1)
    return earliest, options.utc_today - timedelta(days=MIN_AGE_DAYS)


def time_bound_chunks(start: date, end: date, latest_start: date) -> list[tuple[date, date]]:
    """[start, end] in chunks of at most CHUNK_DAYS whose starts are all <= latest_start.

    A last chunk that would start too late is started earlier instead (overlapping
    its predecessor by a day or two, which the upserts absorb).
    """
    chunks = []
    day = start
    while day <= end:
        last = min(end, day + timedelta(days=CHUNK_DAYS - 1))
        chunks.append((min(day, latest_start), last))
        day = last + timedelta(days=1)
    return chunks


def worked_back_levels(
    observed: float, gains: dict[date, float], first: date, observed_since: date
) -> list[MetricValue]:
    """Follower levels at the end of the days before the first observed level.

    LinkedIn gives only today's follower count (firstDegreeSize), but the gains of
    every day: the level at the end of day d is today's count minus every gain
    after d. LinkedIn reports gains about two days late, so the gains of the last
    days before today are not yet known and cannot be subtracted: these levels may
    be a handful of followers high. Days from the first sync on have their own
    observed level and are never overwritten.
    """
    if not gains:
        return []
    last_gain = max(gains)
    out = []
    later = 0.0  # gains after day d up to the last reported day
    day = last_gain
    while day >= first - timedelta(days=1):
        if day < observed_since:
            out.append(MetricValue(LEVEL, observed - later, day, day, "day", "total"))
        later += gains.get(day, 0.0)
        day -= timedelta(days=1)
    return out


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
