"""TikTok business account (organic): daily account metrics and per-video lifetime metrics.

The TikTok Accounts API (business-api.tiktok.com, header `Access-Token`):

- `GET /business/get/` (doc 1762228399168514): daily metrics per **UTC** day,
  at most **60 days back**, lagging 24-48 h. `followers_count` per day is the
  follower level (stored as the account's daily level, origin 'total');
  `daily_total_followers` is the day's *net change* (new minus lost), not a
  level; `video_views` counts organic and paid views together (origin 'total').
- `GET /business/video/list/` (field list as mirrored in bububa/tiktok-business):
  lifetime totals per video, not bound by the 60 days: counters and watch time
  become post snapshots; `reach` (unique) a lifetime value; the lists
  `impression_sources`, `audience_types` and `video_view_retention` become the
  post's breakdowns (`post_breakdowns`), replaced on every collection.

Only documented fields are asked for (`is_ad` is not one, and an unknown field
may be refused).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

from collectors.base import ApiPart, Batch, Progress, SyncOptions, SyncState
from collectors.http import ApiClient
from collectors.paging import CursorGuard
from core.domain import Account, Breakdown, MetricValue, Page, Post, Snapshot

PLATFORM = "tiktok"
LEVEL = "followers_count"
# metric -> origin. video_views includes paid views (PLATFORMS.md); the level is a total.
DAILY_FIELDS: dict[str, str] = {
    LEVEL: "total",
    "daily_total_followers": "organic",
    "daily_new_followers": "organic",
    "daily_lost_followers": "organic",
    "video_views": "total",
    "unique_video_views": "organic",
    "profile_views": "organic",
    "likes": "organic",
    "comments": "organic",
    "shares": "organic",
}
SNAPSHOT_METRICS = (
    "video_views",
    "likes",
    "comments",
    "shares",
    "total_time_watched",
    "average_time_watched",
    "full_video_watched_rate",
)
BREAKDOWNS = {  # API list field -> (dimension, key field)
    "impression_sources": ("impression_source", "impression_source"),
    "audience_types": ("audience_type", "type"),
    "video_view_retention": ("retention", "second"),
}
VIDEO_FIELDS = (
    "item_id",
    "create_time",
    "caption",
    "share_url",
    "video_duration",
    "reach",
    *SNAPSHOT_METRICS,
    *BREAKDOWNS,
)
CHUNK_DAYS = 30
LOOKBACK_DAYS = 60  # /business/get/ looks back at most 60 days (UTC)
VIDEO_PAGE = 20  # max_count


def number(value: Any) -> float | None:
    """TikTok sends many numbers as strings; '-' or '' mean no value."""
    if value is None or value in ("", "-"):
        return None
    return float(str(value).replace(",", ""))


class BusinessAccountApi(ApiPart):
    """Daily account metrics and per-video lifetime metrics of a business account."""

    def __init__(self, client: ApiClient, business_id: str) -> None:
        super().__init__(client)
        self.business_id = business_id
        self.account = Account(PLATFORM, "business", business_id)

    def collect(
        self, options: SyncOptions, state: SyncState, progress: Progress
    ) -> Iterator[Batch]:
        progress.stage("tiktok/business/daily")
        yield from self._daily(options, state, progress)
        progress.stage("tiktok/business/videos")
        yield from self._videos(options, state, progress)

    def _daily(self, options: SyncOptions, state: SyncState, progress: Progress) -> Iterator[Batch]:
        end = options.utc_today - timedelta(days=1)
        earliest = options.utc_today - timedelta(days=LOOKBACK_DAYS)
        start = options.start_for(
            state.bookmark(self.account, "daily"), options.organic_lookback_days
        )
        if start < earliest:
            if options.since is not None or state.bookmark(self.account, "daily") is not None:
                progress.warn(
                    f"tiktok: TikTok keeps business-account daily metrics for {LOOKBACK_DAYS} "
                    f"days only; collected from {earliest} instead of {start} (older days are "
                    "gone; export them from TikTok Studio and 'social import' them)"
                )
            start = earliest
        day = start
        while day <= end:
            chunk_end = min(end, day + timedelta(days=CHUNK_DAYS - 1))
            body = self.client.request(
                "GET",
                "/business/get/",
                endpoint="business/get",
                params={
                    "business_id": self.business_id,
                    "start_date": day.isoformat(),
                    "end_date": chunk_end.isoformat(),
                    "fields": json.dumps(list(DAILY_FIELDS)),
                },
            )
            page = Page(bookmarks={"daily": chunk_end.isoformat()})
            for row in (body.get("data") or {}).get("metrics") or []:
                when = date.fromisoformat(str(row["date"])[:10])
                for field, origin in DAILY_FIELDS.items():
                    value = number(row.get(field))
                    if value is not None:
                        page.values.append(MetricValue(field, value, when, when, "day", origin))
            progress.advance(f"tiktok: business metrics to {chunk_end}")
            yield Batch(self.account, page)
            day = chunk_end + timedelta(days=1)

    def _videos(
        self, options: SyncOptions, state: SyncState, progress: Progress
    ) -> Iterator[Batch]:
        """Lifetime metrics of videos younger than refresh_days (first sync: backfill_days)."""
        covered = state.bookmark(self.account, "videos_since")
        first = options.listing_start(covered, state.bookmark(self.account, "videos"))
        cutoff = datetime(first.year, first.month, first.day, tzinfo=UTC)
        guard = CursorGuard(PLATFORM, "business/video/list")
        cursor: Any = None
        listed = 0
        while True:
            params: dict[str, Any] = {
                "business_id": self.business_id,
                "fields": json.dumps(list(VIDEO_FIELDS)),
                "max_count": VIDEO_PAGE,
            }
            if cursor is not None:
                params["cursor"] = cursor
            body = self.client.request(
                "GET", "/business/video/list/", endpoint="business/video/list", params=params
            )
            data = body.get("data") or {}
            videos = data.get("videos") or []
            page = Page()
            reached_old = False
            for video in videos:
                published = datetime.fromtimestamp(int(video["create_time"]), UTC)
                if published < cutoff:
                    reached_old = True
                    continue
                self._video(page, video, published, options)
            listed += len(page.posts)
            last = reached_old or not data.get("has_more") or data.get("cursor") is None
            if last:
                page.bookmarks["videos"] = options.today.isoformat()
                page.bookmarks["videos_since"] = options.covered(first, covered)
            progress.advance(f"tiktok: business metrics of {listed} videos")
            yield Batch(self.account, page)
            if last:
                return
            cursor = guard.advance(data["cursor"])

    def _video(
        self, page: Page, video: dict[str, Any], published: datetime, options: SyncOptions
    ) -> None:
        vid = str(video["item_id"])
        caption = str(video.get("caption") or "")
        duration = number(video.get("video_duration"))
        page.posts.append(
            Post(
                PLATFORM,
                vid,
                published,
                caption=caption,
                link=str(video.get("share_url") or ""),
                format="video",
                duration_s=duration,
                tags=tuple(_hashtags(caption)),
            )
        )
        counters = {m: v for m in SNAPSHOT_METRICS if (v := number(video.get(m))) is not None}
        if counters:
            page.snapshots.append(Snapshot(vid, options.now, counters, "total"))
        reach = number(video.get("reach"))
        if reach is not None:
            day = published.astimezone(UTC).date()
            page.values.append(
                MetricValue(
                    "reach",
                    reach,
                    day,
                    max(day, options.today),
                    "lifetime",
                    "total",
                    subject_type="post",
                    subject_external_id=vid,
                )
            )
        for field, (dimension, key_field) in BREAKDOWNS.items():
            split = shares(video.get(field), key_field)
            # A missing or empty list (TikTok drops some after 7 idle days) keeps the last one.
            if split:
                page.breakdowns.append(Breakdown(vid, dimension, split, options.now))


def shares(items: Any, key_field: str) -> dict[str, float]:
    """{label: fraction} of a `[{<key_field>, percentage}]` list.

    The documented example gives fractions (0.42); should TikTok send percents
    (42) instead, any value above 1 marks the list as percents and it is scaled.
    """
    if not isinstance(items, list):
        return {}
    out: dict[str, float] = {}
    for item in items:
        if not isinstance(item, dict) or item.get(key_field) is None:
            continue
        value = number(item.get("percentage"))
        if value is None:
            continue
        out[_label(item[key_field])] = value
    if any(v > 1.0 for v in out.values()):
        out = {k: v / 100.0 for k, v in out.items()}
    return out


def _label(key: Any) -> str:
    """A breakdown key as text; a second 3.0 becomes '3'."""
    if isinstance(key, float) and key.is_integer():
        return str(int(key))
    return str(key)


def _hashtags(text: str) -> list[str]:
    tags: list[str] = []
    for word in text.split():
        if word.startswith("#") and len(word) > 1:
            tag = word[1:].strip(".,!?:;").lower()
            if tag and tag not in tags:
                tags.append(tag)
    return tags
