"""TikTok paid stats through the Marketing API report endpoint.

Daily rows per campaign for the additive counts, and whole-window rows (ISO
weeks, the campaign's lifetime) so reach is always TikTok's own unique number
for that window, never a sum of daily reach (rule 1).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from collectors.base import ApiPart, Batch, Progress, SyncOptions, SyncState
from collectors.http import ApiClient
from collectors.tiktok_business import number
from social.domain import Account, AdEntity, MetricValue, Page

PLATFORM = "tiktok"
METRICS = (
    "spend",
    "impressions",
    "reach",
    "frequency",
    "clicks",
    "ctr",
    "cpc",
    "cpm",
    "video_play_actions",
    "video_watched_2s",
    "video_watched_6s",
    "profile_visits",
    "likes",
    "comments",
    "shares",
    "follows",
)
MAX_DAYS = 30  # stat_time_day queries cover at most 30 days
PAGE_SIZE = 1000


class MarketingApi(ApiPart):
    """Campaigns and their daily, weekly and lifetime stats for each advertiser."""

    def __init__(self, client: ApiClient, advertiser_ids: list[str]) -> None:
        super().__init__(client)
        self.advertiser_ids = advertiser_ids

    def collect(
        self, options: SyncOptions, state: SyncState, progress: Progress
    ) -> Iterator[Batch]:
        for advertiser in self.advertiser_ids:
            account = Account(PLATFORM, "ads", advertiser)
            start = options.start_for(
                state.bookmark(account, "ads_daily"), options.ads_lookback_days
            )
            end = options.today - timedelta(days=1)
            if start > end:
                continue
            campaigns = self._campaigns(advertiser)
            yield Batch(account, Page(ad_entities=list(campaigns.values())))
            yield from self._daily(account, start, end, progress)
            yield from self._weeks(account, start, end, progress)
            yield from self._lifetime(account, campaigns, state, start, end, progress)

    def _report(self, advertiser: str, params: dict[str, Any]) -> Iterator[dict[str, Any]]:
        """Rows of report/integrated/get, following page_info."""
        page = 1
        while True:
            body = self.client.request(
                "GET",
                "/report/integrated/get/",
                endpoint="report/integrated/get",
                params={
                    "advertiser_id": advertiser,
                    "report_type": "BASIC",
                    "metrics": json.dumps(list(METRICS)),
                    "page": page,
                    "page_size": PAGE_SIZE,
                    **params,
                },
            )
            data = body.get("data") or {}
            yield from data.get("list") or []
            info = data.get("page_info") or {}
            if page >= int(info.get("total_page") or 1):
                return
            page += 1

    def _campaigns(self, advertiser: str) -> dict[str, AdEntity]:
        out: dict[str, AdEntity] = {}
        page = 1
        while True:
            body = self.client.request(
                "GET",
                "/campaign/get/",
                endpoint="campaign/get",
                params={"advertiser_id": advertiser, "page": page, "page_size": 100},
            )
            data = body.get("data") or {}
            for row in data.get("list") or []:
                cid = str(row["campaign_id"])
                out[cid] = AdEntity(
                    PLATFORM,
                    "campaign",
                    cid,
                    str(row.get("campaign_name", "")),
                    status=str(row.get("operation_status", "")),
                    objective=str(row.get("objective_type", "")),
                )
            if page >= int((data.get("page_info") or {}).get("total_page") or 1):
                return out
            page += 1

    def _daily(
        self, account: Account, start: date, end: date, progress: Progress
    ) -> Iterator[Batch]:
        day = start
        while day <= end:
            chunk_end = min(end, day + timedelta(days=MAX_DAYS - 1))
            page = Page(bookmarks={"ads_daily": chunk_end.isoformat()})
            for row in self._report(
                account.external_id,
                {
                    "data_level": "AUCTION_CAMPAIGN",
                    "dimensions": json.dumps(["campaign_id", "stat_time_day"]),
                    "start_date": day.isoformat(),
                    "end_date": chunk_end.isoformat(),
                },
            ):
                dims = row.get("dimensions") or {}
                when = date.fromisoformat(str(dims["stat_time_day"])[:10])
                page.ad_entities.append(AdEntity(PLATFORM, "campaign", str(dims["campaign_id"])))
                page.values.extend(_values(row, when, when, "day", "ad", str(dims["campaign_id"])))
            progress.advance(f"tiktok: ad stats to {chunk_end}")
            yield Batch(account, page)
            day = chunk_end + timedelta(days=1)

    def _weeks(
        self, account: Account, start: date, end: date, progress: Progress
    ) -> Iterator[Batch]:
        """True weekly reach per campaign and for the whole advertiser, complete ISO weeks only."""
        monday = start - timedelta(days=start.weekday())
        while monday + timedelta(days=6) <= end:
            sunday = monday + timedelta(days=6)
            window = {"start_date": monday.isoformat(), "end_date": sunday.isoformat()}
            page = Page()
            for row in self._report(
                account.external_id,
                {
                    "data_level": "AUCTION_CAMPAIGN",
                    "dimensions": json.dumps(["campaign_id"]),
                    **window,
                },
            ):
                cid = str((row.get("dimensions") or {})["campaign_id"])
                page.ad_entities.append(AdEntity(PLATFORM, "campaign", cid))
                page.values.extend(_values(row, monday, sunday, "week", "ad", cid))
            for row in self._report(
                account.external_id,
                {
                    "data_level": "AUCTION_ADVERTISER",
                    "dimensions": json.dumps(["advertiser_id"]),
                    **window,
                },
            ):
                page.values.extend(_values(row, monday, sunday, "week", "account", None))
            progress.advance(f"tiktok: weekly reach for {monday.isocalendar()[1]:02d}")
            yield Batch(account, page)
            monday += timedelta(days=7)

    def _lifetime(
        self,
        account: Account,
        campaigns: dict[str, AdEntity],
        state: SyncState,
        start: date,
        end: date,
        progress: Progress,
    ) -> Iterator[Batch]:
        """Each campaign's lifetime totals: its reach as TikTok counts it for the whole flight."""
        if not campaigns:
            return
        page = Page()
        for row in self._report(
            account.external_id,
            {
                "data_level": "AUCTION_CAMPAIGN",
                "dimensions": json.dumps(["campaign_id"]),
                "query_lifetime": "true",
            },
        ):
            cid = str((row.get("dimensions") or {})["campaign_id"])
            page.ad_entities.append(AdEntity(PLATFORM, "campaign", cid))
            # The lifetime row covers the campaign up to yesterday; its start is not in the
            # response, so the window starts at the first day a sync saw it (kept stable).
            key = f"campaign_start:{cid}"
            first = state.bookmark(account, key) or start.isoformat()
            page.bookmarks[key] = first
            page.values.extend(_values(row, date.fromisoformat(first), end, "campaign", "ad", cid))
        progress.advance("tiktok: campaign lifetime totals")
        yield Batch(account, page)


def _values(
    row: dict[str, Any], start: date, end: date, grain: str, subject: str, subject_id: str | None
) -> list[MetricValue]:
    metrics = row.get("metrics") or {}
    out = []
    for metric in METRICS:
        value = number(metrics.get(metric))
        if value is not None:
            out.append(
                MetricValue(
                    metric,
                    value,
                    start,
                    end,
                    grain,
                    "paid",
                    subject_type=subject,
                    subject_external_id=subject_id,
                )
            )
    return out
