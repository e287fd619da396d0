"""Facebook paid stats through the Marketing API insights edge.

Daily rows per campaign (time_increment=1) carry the additive counts; reach
comes as Meta computed it for each window it covers: one row per ISO week per
campaign and for the whole ad account (time_increment=all_days), and one row
per campaign flight (rule 1: reach is never a sum of daily reach). Ranges
longer than ~90 days, many campaigns, or a query Meta finds too large run as
async report runs: POST, poll the run until "Job Completed", then read it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from collectors.base import Batch, Progress, SyncOptions, SyncState
from collectors.errors import ApiError
from collectors.facebook_api import PLATFORM, TooMuchDataError, next_page, number
from collectors.http import ApiClient
from collectors.paging import CursorGuard
from social.domain import Account, AdEntity, MetricValue, Page

FIELDS = ("impressions", "reach", "frequency", "clicks", "spend", "cpm", "ctr")
INSIGHT_FIELDS = (
    "campaign_id,campaign_name,reach,impressions,frequency,clicks,spend,cpm,ctr,actions"
)
ACCOUNT_FIELDS = "account_id,reach,impressions,frequency,clicks,spend,cpm,ctr,actions"
CAMPAIGN_FIELDS = "id,name,status,objective,start_time,stop_time"
ACTION_METRICS = {"link_click": "link_click"}  # action_type -> stored metric
ASYNC_DAYS = 90  # longer daily ranges go through async report runs
ASYNC_CAMPAIGNS = 50  # so do accounts with many campaigns
HISTORY_DAYS = 37 * 30  # Meta keeps 37 months of ads insights
PAGE_LIMIT = 500
POLL_FIRST = 2.0
POLL_MAX = 30.0
POLL_TIMEOUT = 1800.0  # seconds of polling before giving up on a report run
FINISHED = "Job Completed"
FAILED = ("Job Failed", "Job Skipped")


@dataclass
class Flight:
    """A campaign and the dates it runs (stop None while it has no end)."""

    entity: AdEntity
    start: date | None
    stop: date | None


class AdsApi:
    """Campaigns and their daily, weekly and whole-flight stats for each ad account."""

    def __init__(
        self,
        client: ApiClient,
        prefix: str,
        account_ids: list[str],
        *,
        sleep: Callable[[float], None],
        async_days: int = ASYNC_DAYS,
        async_campaigns: int = ASYNC_CAMPAIGNS,
    ) -> None:
        self.client = client
        self.prefix = prefix
        self.account_ids = account_ids
        self.sleep = sleep
        self.async_days = async_days
        self.async_campaigns = async_campaigns

    @property
    def requests(self) -> int:
        return self.client.requests

    def close(self) -> None:
        self.client.close()

    def collect(
        self, options: SyncOptions, state: SyncState, progress: Progress
    ) -> Iterator[Batch]:
        for account_id in self.account_ids:
            account = Account(PLATFORM, "ads", account_id)
            end = options.today - timedelta(days=1)
            start = options.start_for(
                state.bookmark(account, "ads_daily"), options.ads_lookback_days
            )
            start = max(start, end - timedelta(days=HISTORY_DAYS))
            if start > end:
                continue
            flights = self._campaigns(account_id)
            yield Batch(account, Page(ad_entities=[f.entity for f in flights.values()]))
            active: set[date] = set()
            yield from self._daily(account, start, end, len(flights), progress, active)
            yield from self._weeks(account, start, end, progress, active)
            yield from self._flights(account, flights, start, end, progress)

    # --- reading insights ---------------------------------------------------------------

    def _pages(
        self, path: str, params: dict[str, str], what: str
    ) -> Iterator[list[dict[str, Any]]]:
        """Pages of rows of a Graph listing, following cursors (a repeated cursor is an error)."""
        guard = CursorGuard(PLATFORM, what)
        while True:
            body = self.client.request("GET", path, endpoint=what, params=params)
            yield [r for r in body.get("data") or [] if isinstance(r, dict)]
            following = next_page(body)
            if following is None:
                return
            key, extra = following
            guard.advance(key)
            params = {**params, **extra}

    def insights(
        self,
        account_id: str,
        params: dict[str, str],
        progress: Progress,
        *,
        run_async: bool = False,
    ) -> Iterator[list[dict[str, Any]]]:
        """Pages of insights rows of an ad account, synchronously or as an async report run."""
        params = {**params, "limit": str(PAGE_LIMIT)}
        path = f"{self.prefix}/act_{account_id}/insights"
        if not run_async:
            try:
                yield from self._pages(path, params, "ads/insights")
                return
            except TooMuchDataError:
                progress.advance(f"facebook: act_{account_id}: query too large, running it async")
        run_id = self._start_run(account_id, {k: v for k, v in params.items() if k != "limit"})
        self._wait_for(run_id, account_id, progress)
        yield from self._pages(
            f"{self.prefix}/{run_id}/insights",
            {"limit": str(PAGE_LIMIT)},
            "ads/report_run/insights",
        )

    def _start_run(self, account_id: str, params: dict[str, str]) -> str:
        body = self.client.request(
            "POST",
            f"{self.prefix}/act_{account_id}/insights",
            endpoint="ads/insights:async",
            data=params,
        )
        run_id = body.get("report_run_id") if isinstance(body, dict) else None
        if not run_id:
            raise ApiError(
                f"facebook: act_{account_id}: Meta started no async report (no report_run_id); "
                "run the sync again later",
                platform=PLATFORM,
            )
        return str(run_id)

    def _wait_for(self, run_id: str, account_id: str, progress: Progress) -> None:
        """Poll a report run until it completes; a failed or skipped run is a clear error."""
        waited = 0.0
        delay = POLL_FIRST
        while True:
            body = self.client.request(
                "GET",
                f"{self.prefix}/{run_id}",
                endpoint="ads/report_run",
                params={"fields": "id,async_status,async_percent_completion"},
            )
            status = str(body.get("async_status", ""))
            percent = body.get("async_percent_completion", 0)
            progress.advance(f"facebook: act_{account_id} report {run_id}: {status} ({percent} %)")
            if status == FINISHED:
                return
            if status in FAILED:
                raise ApiError(
                    f"facebook: act_{account_id}: async report {run_id} ended with '{status}' "
                    f"at {percent} %; stored data is kept: run the sync again later, or a "
                    "shorter range with --since",
                    platform=PLATFORM,
                )
            if waited >= POLL_TIMEOUT:
                raise ApiError(
                    f"facebook: act_{account_id}: async report {run_id} still '{status}' after "
                    f"{waited / 60:.0f} min; stored data is kept: run the sync again later",
                    platform=PLATFORM,
                )
            self.sleep(delay)
            waited += delay
            delay = min(POLL_MAX, delay * 1.5)

    # --- streams --------------------------------------------------------------------------

    def _campaigns(self, account_id: str) -> dict[str, Flight]:
        flights: dict[str, Flight] = {}
        for rows in self._pages(
            f"{self.prefix}/act_{account_id}/campaigns",
            {"fields": CAMPAIGN_FIELDS, "limit": "100"},
            "ads/campaigns",
        ):
            for row in rows:
                cid = str(row.get("id") or "")
                if not cid:
                    continue
                flights[cid] = Flight(
                    AdEntity(
                        PLATFORM,
                        "campaign",
                        cid,
                        str(row.get("name", "")),
                        status=str(row.get("status", "")),
                        objective=str(row.get("objective", "")),
                    ),
                    _day(row.get("start_time")),
                    _day(row.get("stop_time")),
                )
        return flights

    def _daily(
        self,
        account: Account,
        start: date,
        end: date,
        campaigns: int,
        progress: Progress,
        active: set[date],
    ) -> Iterator[Batch]:
        """Daily rows per campaign (grain 'day'); `active` collects the days with impressions."""
        days = (end - start).days + 1
        run_async = days > self.async_days or campaigns > self.async_campaigns
        params = {
            "level": "campaign",
            "fields": INSIGHT_FIELDS,
            "time_range": time_range(start, end),
            "time_increment": "1",
        }
        pages = list(self.insights(account.external_id, params, progress, run_async=run_async))
        for index, rows in enumerate(pages):
            page = Page()
            for row in rows:
                cid = str(row.get("campaign_id") or "")
                when = _day(row.get("date_start"))
                if not cid or when is None:
                    continue
                stop = _day(row.get("date_stop")) or when
                page.ad_entities.append(
                    AdEntity(PLATFORM, "campaign", cid, str(row.get("campaign_name", "")))
                )
                page.values.extend(values(row, when, stop, "day", "ad", cid))
                if (number(row.get("impressions")) or 0) > 0:
                    active.add(when)
            if index == len(pages) - 1:
                page.bookmarks["ads_daily"] = end.isoformat()
            progress.advance(f"facebook: act_{account.external_id} daily stats to {end}")
            yield Batch(account, page)
        if not pages:
            yield Batch(account, Page(bookmarks={"ads_daily": end.isoformat()}))

    def _weeks(
        self, account: Account, start: date, end: date, progress: Progress, active: set[date]
    ) -> Iterator[Batch]:
        """True reach per complete ISO week, per campaign and for the whole ad account.

        Weeks inside the collected range without a single impression need no
        request: there is no reach to ask for.
        """
        monday = start - timedelta(days=start.weekday())
        while monday + timedelta(days=6) <= end:
            sunday = monday + timedelta(days=6)
            idle = monday >= start and not any(
                monday + timedelta(days=i) in active for i in range(7)
            )
            if idle:
                monday += timedelta(days=7)
                continue
            window = {"time_range": time_range(monday, sunday), "time_increment": "all_days"}
            page = Page()
            for rows in self.insights(
                account.external_id,
                {"level": "campaign", "fields": INSIGHT_FIELDS, **window},
                progress,
            ):
                for row in rows:
                    cid = str(row.get("campaign_id") or "")
                    if cid:
                        page.ad_entities.append(
                            AdEntity(PLATFORM, "campaign", cid, str(row.get("campaign_name", "")))
                        )
                        page.values.extend(values(row, monday, sunday, "week", "ad", cid))
            for rows in self.insights(
                account.external_id,
                {"level": "account", "fields": ACCOUNT_FIELDS, **window},
                progress,
            ):
                for row in rows:
                    page.values.extend(values(row, monday, sunday, "week", "account", None))
            progress.advance(f"facebook: weekly reach for week {monday.isocalendar()[1]:02d}")
            yield Batch(account, page)
            monday += timedelta(days=7)

    def _flights(
        self,
        account: Account,
        flights: dict[str, Flight],
        start: date,
        end: date,
        progress: Progress,
    ) -> Iterator[Batch]:
        """Each campaign's reach over its flight (to yesterday), for flights touching the range."""
        page = Page()
        for cid, flight in flights.items():
            if flight.start is None or flight.start > end:
                continue
            if flight.stop is not None and flight.stop < start:
                continue  # ended before this sync's range: its stored row is final
            until = min(flight.stop or end, end)
            body = self.client.request(
                "GET",
                f"{self.prefix}/{cid}/insights",
                endpoint="campaign/insights",
                params={
                    "fields": INSIGHT_FIELDS,
                    "time_range": time_range(flight.start, until),
                    "time_increment": "all_days",
                },
            )
            page.ad_entities.append(flight.entity)
            for row in body.get("data") or []:
                if isinstance(row, dict):
                    page.values.extend(values(row, flight.start, until, "campaign", "ad", cid))
        progress.advance(f"facebook: act_{account.external_id} campaign flights")
        yield Batch(account, page)


def time_range(start: date, end: date) -> str:
    """Meta's time_range parameter: compact JSON with inclusive since/until dates."""
    return json.dumps({"since": start.isoformat(), "until": end.isoformat()}, separators=(",", ":"))


def values(
    row: dict[str, Any],
    start: date,
    end: date,
    grain: str,
    subject: str,
    subject_id: str | None,
) -> list[MetricValue]:
    """The metrics of one insights row (numbers arrive as strings) for one window."""
    found: dict[str, float] = {}
    for field in FIELDS:
        value = number(row.get(field))
        if value is not None:
            found[field] = value
    for action in row.get("actions") or []:
        if isinstance(action, dict) and action.get("action_type") in ACTION_METRICS:
            value = number(action.get("value"))
            if value is not None:
                found[ACTION_METRICS[str(action["action_type"])]] = value
    return [
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
        for metric, value in found.items()
    ]


def _day(value: Any) -> date | None:
    """The date of '2026-01-04' or '2025-11-03T09:00:00+0100' (the ad account's local date)."""
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None
