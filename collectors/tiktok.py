"""TikTok: organic videos (Display API v2), business-account metrics and paid stats.

`build()` assembles the parts the config and credentials allow: the Display
API needs an OAuth token (`social auth tiktok`), the business account a
`business_id` and SOCIAL_TIKTOK_BUSINESS_TOKEN, the Marketing API
`advertiser_ids` and SOCIAL_TIKTOK_ADS_TOKEN (or the business token).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Generator, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from collectors.auth import RefreshingAuth, TokenSet, TokenStore, credential, secret
from collectors.base import ApiPart, Batch, BuildContext, Progress, SyncOptions, SyncState
from collectors.errors import ApiError, MissingCredentials
from collectors.http import ApiClient, Classifier
from collectors.paging import CursorGuard
from collectors.ratelimit import SlidingWindowLimiter
from collectors.tiktok_api import classify_business, classify_display, exchange_token
from social.domain import Account, MetricValue, Page, Post, Snapshot

PLATFORM = "tiktok"
VIDEO_FIELDS = "id,create_time,title,video_description,duration,share_url,view_count,like_count,comment_count,share_count"
USER_FIELDS = "open_id,display_name,follower_count,likes_count,video_count"
COUNTERS = ("view_count", "like_count", "comment_count", "share_count")
QUERY_BATCH = 20  # video/query takes at most 20 ids
LIST_PAGE = 20  # video/list max_count


class TikTokCollector:
    """Collects whichever TikTok streams are configured."""

    platform = PLATFORM

    def __init__(self, parts: list[object]) -> None:
        self.parts = parts

    @property
    def requests(self) -> int:
        return sum(getattr(p, "requests", 0) for p in self.parts)

    def collect(
        self, options: SyncOptions, state: SyncState, progress: Progress
    ) -> Iterator[Batch]:
        for part in self.parts:
            yield from part.collect(options, state, progress)  # type: ignore[attr-defined]

    def close(self) -> None:
        for part in self.parts:
            part.close()  # type: ignore[attr-defined]


class DisplayApi(ApiPart):
    """Organic videos and account counters through the Display API v2."""

    def collect(
        self, options: SyncOptions, state: SyncState, progress: Progress
    ) -> Iterator[Batch]:
        account = self._account(options)
        yield account
        listed = yield from self._list_new_videos(account.account, options, state, progress)
        yield from self._refresh_recent(account.account, options, state, progress, skip=listed)

    def _account(self, options: SyncOptions) -> Batch:
        body = self.client.request(
            "GET", "/v2/user/info/", endpoint="user/info", params={"fields": USER_FIELDS}
        )
        user = body.get("data", {}).get("user", {})
        account = Account(
            PLATFORM, "organic", str(user.get("open_id") or "me"), str(user.get("display_name", ""))
        )
        values = [
            MetricValue(metric, float(user[metric]), options.today, options.today, "day", "total")
            for metric in ("follower_count", "likes_count", "video_count")
            if user.get(metric) is not None
        ]
        return Batch(account, Page(values=values))

    def _list_new_videos(
        self, account: Account, options: SyncOptions, state: SyncState, progress: Progress
    ) -> Generator[Batch, None, set[str]]:
        """Page through video/list (newest first) down to the newest video already stored."""
        bookmark = (
            None if options.full or options.since else state.bookmark(account, "videos_newest")
        )
        if bookmark is not None:
            stop_at = int(bookmark)
        else:
            first = options.since or (options.today - timedelta(days=options.backfill_days))
            stop_at = int(datetime(first.year, first.month, first.day, tzinfo=UTC).timestamp()) - 1
        guard = CursorGuard(PLATFORM, "video/list")
        cursor: int | None = None
        newest = int(bookmark) if bookmark else 0
        listed: set[str] = set()
        while True:
            payload: dict[str, int] = {"max_count": LIST_PAGE}
            if cursor is not None:
                payload["cursor"] = cursor
            body = self.client.request(
                "POST",
                "/v2/video/list/",
                endpoint="video/list",
                params={"fields": VIDEO_FIELDS},
                json_body=payload,
            )
            data = body.get("data", {})
            videos = data.get("videos") or []
            fresh = [v for v in videos if int(v.get("create_time", 0)) > stop_at]
            newest = max([newest, *(int(v["create_time"]) for v in fresh)])
            has_more = bool(data.get("has_more")) and len(fresh) == len(videos) and bool(videos)
            page = _video_page(fresh, options.now)
            listed.update(p.external_id for p in page.posts)
            if not has_more and newest:
                page.bookmarks["videos_newest"] = str(newest)
            progress.advance(f"tiktok: {len(listed)} videos listed")
            yield Batch(account, page)
            if not has_more:
                return listed
            if data.get("cursor") is None:
                raise ApiError(
                    "tiktok: video/list said has_more without a cursor; run the sync again later",
                    platform=PLATFORM,
                )
            cursor = int(guard.advance(data["cursor"]))

    def _refresh_recent(
        self,
        account: Account,
        options: SyncOptions,
        state: SyncState,
        progress: Progress,
        *,
        skip: set[str],
    ) -> Iterator[Batch]:
        """Refresh lifetime counters of stored videos younger than refresh_days, 20 at a time."""
        since = options.now - timedelta(days=options.refresh_days)
        ids = [i for i in state.known_posts(PLATFORM, published_since=since) if i not in skip]
        for start in range(0, len(ids), QUERY_BATCH):
            chunk = ids[start : start + QUERY_BATCH]
            body = self.client.request(
                "POST",
                "/v2/video/query/",
                endpoint="video/query",
                params={"fields": VIDEO_FIELDS},
                json_body={"filters": {"video_ids": chunk}},
            )
            videos = body.get("data", {}).get("videos") or []
            progress.advance(
                f"tiktok: refreshed {min(start + QUERY_BATCH, len(ids))}/{len(ids)} videos"
            )
            yield Batch(account, _video_page(videos, options.now))


def _video_page(videos: list[dict[str, Any]], now: datetime) -> Page:
    page = Page()
    for video in videos:
        vid = str(video["id"])
        caption = str(video.get("title") or video.get("video_description") or "")
        page.posts.append(
            Post(
                platform=PLATFORM,
                external_id=vid,
                published_at=datetime.fromtimestamp(int(video["create_time"]), UTC),
                caption=caption,
                link=str(video.get("share_url", "")),
                format="video",
                duration_s=float(video["duration"]) if video.get("duration") is not None else None,
                tags=tuple(_hashtags(caption)),
            )
        )
        counters = {c: float(video[c]) for c in COUNTERS if video.get(c) is not None}
        if counters:
            page.snapshots.append(Snapshot(vid, now, counters))
    return page


def _hashtags(text: str) -> list[str]:
    tags = []
    for word in text.split():
        if word.startswith("#") and len(word) > 1:
            tag = word[1:].strip(".,!?:;").lower()
            if tag and tag not in tags:
                tags.append(tag)
    return tags


def _refresher(ctx: BuildContext, base_url: str) -> Callable[[str], TokenSet]:
    client_key = str(ctx.config.get("tiktok", "client_key"))
    client_secret = credential(PLATFORM, "client_secret") or ""

    def refresh(refresh_token: str) -> TokenSet:
        return exchange_token(
            base_url,
            {
                "client_key": client_key,
                "client_secret": client_secret,
                "grant_type": "refresh_token",
                "refresh_token": refresh_token,
            },
            transport=ctx.transport,
        )

    return refresh


def build(ctx: BuildContext) -> TikTokCollector:
    """Assemble the TikTok parts the config and credentials allow."""
    from collectors.tiktok_ads import MarketingApi
    from collectors.tiktok_business import BusinessAccountApi

    config = ctx.config
    sleep = ctx.sleep or time.sleep
    timeout = float(config.get("sync", "timeout_seconds"))
    retries = int(config.get("sync", "max_retries"))
    limiter = SlidingWindowLimiter(600, 60.0, sleep=sleep)  # documented: 600/min per endpoint
    parts: list[object] = []
    base_url = str(config.get("tiktok", "base_url"))
    store: TokenStore = ctx.tokens

    def client(
        url: str, classify: Classifier, token: str | None, auth: httpx.Auth | None = None
    ) -> ApiClient:
        headers = {"Access-Token": token} if token else None
        return ApiClient(
            PLATFORM,
            url,
            classify=classify,
            auth=auth,
            headers=headers,
            timeout=timeout,
            max_retries=retries,
            limiter=limiter,
            transport=ctx.transport,
            sleep=sleep,
            secrets=[token or "", credential(PLATFORM, "client_secret") or ""],
        )

    if credential(PLATFORM, "access_token") or store.get(PLATFORM):
        auth = RefreshingAuth(PLATFORM, store, refresher=_refresher(ctx, base_url))
        display = client(base_url, classify_display, None, auth)
        display.secrets.append(auth.token)
        parts.append(DisplayApi(display))
    business_url = str(config.get("tiktok", "business_base_url"))
    business_token = secret(PLATFORM, "business_token", store)
    business_id = str(config.get("tiktok", "business_id"))
    if business_id:
        if not business_token:
            raise MissingCredentials(
                "tiktok: business_id is set but SOCIAL_TIKTOK_BUSINESS_TOKEN is not; set it or "
                "clear business_id in social.toml"
            )
        parts.append(
            BusinessAccountApi(client(business_url, classify_business, business_token), business_id)
        )
    advertisers = [str(a) for a in config.get("tiktok", "advertiser_ids")]
    if advertisers:
        ads_token = secret(PLATFORM, "ads_token", store) or business_token
        if not ads_token:
            raise MissingCredentials(
                "tiktok: advertiser_ids are set but SOCIAL_TIKTOK_ADS_TOKEN is not; set it or "
                "clear advertiser_ids in social.toml"
            )
        parts.append(MarketingApi(client(business_url, classify_business, ads_token), advertisers))
    if not parts:
        raise MissingCredentials(
            "tiktok: nothing to collect; run 'social auth tiktok' (or set "
            "SOCIAL_TIKTOK_ACCESS_TOKEN), or set business_id / advertiser_ids in social.toml"
        )
    return TikTokCollector(parts)
