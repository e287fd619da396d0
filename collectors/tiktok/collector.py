"""TikTok: organic videos (Display API v2), business-account metrics and paid stats.

`build()` assembles the parts the config and credentials allow: the Display
API needs an OAuth token (`social auth tiktok`, a desktop app with PKCE), the
business account a business token (`social auth tiktok --part business`, or
SOCIAL_TIKTOK_BUSINESS_TOKEN / SOCIAL_TIKTOK_BUSINESS_REFRESH_TOKEN; refreshed
every day) and its `business_id`, the Marketing API `advertiser_ids` and an
advertiser token, SOCIAL_TIKTOK_ADS_TOKEN (never the business token).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Generator, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from collectors.auth import RefreshingAuth, TokenSet, TokenStore, credential, secret
from collectors.base import ApiPart, Batch, BuildContext, Part, Progress, SyncOptions, SyncState
from collectors.errors import ApiError, MissingCredentials
from collectors.http import ApiClient, Classifier
from collectors.paging import CursorGuard
from collectors.parts import PartsCollector
from collectors.ratelimit import SlidingWindowLimiter
from collectors.tiktok.api import (
    business_token,
    classify_business,
    classify_display,
    exchange_token,
)
from core.domain import Account, MetricValue, Page, Post, Snapshot

PLATFORM = "tiktok"
VIDEO_FIELDS = "id,create_time,title,video_description,duration,share_url,view_count,like_count,comment_count,share_count"
USER_FIELDS = "open_id,display_name,follower_count,likes_count,video_count"
COUNTERS = ("view_count", "like_count", "comment_count", "share_count")
QUERY_BATCH = 20  # video/query takes at most 20 ids
LIST_PAGE = 20  # video/list max_count


class DisplayApi(ApiPart):
    """Organic videos and account counters through the Display API v2."""

    def collect(
        self, options: SyncOptions, state: SyncState, progress: Progress
    ) -> Iterator[Batch]:
        progress.stage("tiktok/display/account")
        account = self._account(options)
        yield account
        progress.stage("tiktok/display/videos")
        listed = yield from self._list_new_videos(account.account, options, state, progress)
        progress.stage("tiktok/display/refresh")
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
        covered = state.bookmark(account, "videos_since")
        first = options.listing_start(covered)
        if bookmark is not None:
            stop_at = int(bookmark)
        else:
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
            if not has_more:
                if newest:
                    page.bookmarks["videos_newest"] = str(newest)
                if bookmark is None:
                    page.bookmarks["videos_since"] = options.covered(first, covered)
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
    client_secret = secret(PLATFORM, "client_secret", ctx.tokens) or ""

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


def _business_refresher(ctx: BuildContext, business_url: str) -> Callable[[str], TokenSet] | None:
    """Refresh-token exchange of the business app, when its id and secret are configured."""
    client_id = str(ctx.config.get("tiktok", "business_client_id")).strip()
    client_secret = secret(PLATFORM, "business_client_secret", ctx.tokens)
    if not client_id or not client_secret:
        return None

    def refresh(refresh_token: str) -> TokenSet:
        return business_token(
            business_url,
            {
                "client_id": client_id,
                "client_secret": client_secret,
                "grant_type": "refresh_token",
                "refresh_token": refresh_token,
            },
            refresh=True,
            transport=ctx.transport,
        )

    return refresh


def build(ctx: BuildContext) -> PartsCollector:
    """Assemble the TikTok parts the config and credentials allow."""
    from collectors.tiktok.ads import MarketingApi
    from collectors.tiktok.auth import BusinessAuth, business_credentials
    from collectors.tiktok.business import BusinessAccountApi

    config = ctx.config
    sleep = ctx.sleep or time.sleep
    timeout = float(config.get("sync", "timeout_seconds"))
    retries = int(config.get("sync", "max_retries"))
    limiter = SlidingWindowLimiter(600, 60.0, sleep=sleep)  # documented: 600/min per endpoint
    parts: list[tuple[str, Part]] = []
    warnings: list[str] = []
    base_url = str(config.get("tiktok", "base_url"))
    store: TokenStore = ctx.tokens
    secrets = [
        secret(PLATFORM, "client_secret", store) or "",
        secret(PLATFORM, "business_client_secret", store) or "",
    ]

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
            secrets=[token or "", *secrets],
        )

    if credential(PLATFORM, "access_token") or store.get(PLATFORM):
        auth = RefreshingAuth(PLATFORM, store, refresher=_refresher(ctx, base_url))
        display = client(base_url, classify_display, None, auth)
        display.secrets.append(auth.token)
        parts.append(("display", DisplayApi(display)))
    business_url = str(config.get("tiktok", "business_base_url"))
    found = business_credentials(store)
    business_id = str(config.get("tiktok", "business_id")).strip()
    if not business_id and found is not None and found.source == "file":
        stored = store.get("tiktok_business")
        business_id = stored.account_id if stored else ""  # the open_id the sign-in returned
    if business_id:
        if found is None:
            raise MissingCredentials(
                "tiktok: business_id is set but there is no business token; run 'social auth "
                "tiktok --part business' (or set SOCIAL_TIKTOK_BUSINESS_TOKEN and "
                "SOCIAL_TIKTOK_BUSINESS_REFRESH_TOKEN), or clear business_id in social.toml"
            )
        business_auth = BusinessAuth(store, found, _business_refresher(ctx, business_url))
        if not business_auth.can_refresh:
            warnings.append(
                "tiktok: the business token lives 24 hours and cannot be refreshed here, so the "
                "next daily sync will fail; set [tiktok] business_client_id and "
                "SOCIAL_TIKTOK_BUSINESS_CLIENT_SECRET, and sign in with 'social auth tiktok "
                "--part business' (or set SOCIAL_TIKTOK_BUSINESS_REFRESH_TOKEN)"
            )
        business = client(business_url, classify_business, None, business_auth)
        business.secrets.extend(business_auth.secrets)
        parts.append(("business", BusinessAccountApi(business, business_id)))
    advertisers = [str(a).strip() for a in config.get("tiktok", "advertiser_ids") if str(a).strip()]
    if advertisers:
        # Only an advertiser token opens the Marketing API; the business-account token is
        # never sent there.
        ads_token = secret(PLATFORM, "ads_token", store)
        if ads_token:
            ads = MarketingApi(
                client(business_url, classify_business, ads_token),
                advertisers,
                timezone=config.timezone,
            )
            parts.append(("ads", ads))
        else:
            message = (
                "tiktok: advertiser_ids are set but SOCIAL_TIKTOK_ADS_TOKEN is not (the Marketing "
                "API takes only an advertiser token, not the business-account token); set it, "
                "or clear advertiser_ids in social.toml"
            )
            if not parts:
                raise MissingCredentials(message)
            warnings.append(message + "; paid stats were skipped")
    if not parts:
        raise MissingCredentials(
            "tiktok: nothing to collect; run 'social auth tiktok' (or set "
            "SOCIAL_TIKTOK_ACCESS_TOKEN), or set business_id / advertiser_ids in social.toml"
        )
    return PartsCollector(PLATFORM, parts, warnings)
