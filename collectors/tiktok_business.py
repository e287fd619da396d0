"""TikTok business account (organic): daily account metrics and per-video reach.

Endpoint shapes are unconfirmed in public docs (PLATFORMS.md); they follow
the widely used open-source connectors.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

from collectors.base import ApiPart, Batch, Progress, SyncOptions, SyncState
from collectors.http import ApiClient
from collectors.paging import CursorGuard
from social.domain import Account, MetricValue, Page, Post

PLATFORM = "tiktok"
DAILY_FIELDS = (
    "video_views",
    "unique_video_views",
    "profile_views",
    "likes",
    "comments",
    "shares",
    "daily_new_followers",
    "daily_total_followers",
)
VIDEO_FIELDS = (
    "item_id",
    "create_time",
    "caption",
    "is_ad",
    "reach",
    "video_views",
    "likes",
    "comments",
    "shares",
    "average_time_watched",
    "full_video_watched_rate",
)
VIDEO_METRICS = (
    "reach",
    "video_views",
    "likes",
    "comments",
    "shares",
    "average_time_watched",
    "full_video_watched_rate",
)
CHUNK_DAYS = 30


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
        yield from self._daily(options, state, progress)
        yield from self._videos(options, progress)

    def _daily(self, options: SyncOptions, state: SyncState, progress: Progress) -> Iterator[Batch]:
        start = options.start_for(
            state.bookmark(self.account, "daily"), options.organic_lookback_days
        )
        end = options.today - timedelta(days=1)
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
                for field in DAILY_FIELDS:
                    value = number(row.get(field))
                    if value is not None:
                        page.values.append(MetricValue(field, value, when, when, "day", "organic"))
            progress.advance(f"tiktok: business metrics to {chunk_end}")
            yield Batch(self.account, page)
            day = chunk_end + timedelta(days=1)

    def _videos(self, options: SyncOptions, progress: Progress) -> Iterator[Batch]:
        """Per-video lifetime reach and watch time for videos younger than refresh_days."""
        cutoff = options.now - timedelta(
            days=options.backfill_days if options.full else options.refresh_days
        )
        guard = CursorGuard(PLATFORM, "business/video/list")
        cursor: Any = None
        while True:
            params: dict[str, Any] = {
                "business_id": self.business_id,
                "fields": json.dumps(list(VIDEO_FIELDS)),
                "max_count": 20,
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
                vid = str(video["item_id"])
                page.posts.append(
                    Post(
                        PLATFORM,
                        vid,
                        published,
                        caption=str(video.get("caption", "")),
                        format="video",
                        is_ad=bool(video.get("is_ad")),
                    )
                )
                for metric in VIDEO_METRICS:
                    value = number(video.get(metric))
                    if value is not None:
                        page.values.append(
                            MetricValue(
                                metric,
                                value,
                                published.date(),
                                options.today,
                                "lifetime",
                                "total",
                                subject_type="post",
                                subject_external_id=vid,
                            )
                        )
            progress.advance("tiktok: business video metrics")
            yield Batch(self.account, page)
            if reached_old or not data.get("has_more") or data.get("cursor") is None:
                return
            cursor = guard.advance(data["cursor"])
