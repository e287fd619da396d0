"""Facebook paid stats through the Marketing API insights edge.

Stages, each with its own bookmark so an interrupted sync is finished by the next:

- entities: campaigns (their flight: `start_time`/`stop_time`), ad sets, and ads
  with their creative's `effective_object_story_id`, the `<page id>_<post id>`
  of the post the ad promotes: a link when that post is on the Page (a boosted
  post), none for a dark post, which never appears among the Page's posts;
- daily rows per campaign (time_increment=1) with the additive counts;
- one row per complete ISO week per campaign and for the whole ad account, with
  reach as Meta computed it for the week (time_increment=all_days);
- one row per campaign flight, from its start to min(its stop, yesterday)
  (rule 1: reach is never a sum of daily reach). Meta refuses ranges starting
  more than 37 months back (#3018): an older flight starts at the earliest day
  Meta still serves, with a warning. A flight that ended and settled is final.

Ranges longer than ~90 days, many campaigns, or a query Meta finds too large run
as async report runs: POST, poll the run until "Job Completed", then read it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from collectors.adstats import numbers, paid_values
from collectors.base import ApiPart, Batch, Progress, SyncOptions, SyncState
from collectors.dates import iso_weeks, months_before
from collectors.errors import ApiError
from collectors.http import ApiClient
from collectors.meta.graph import PLATFORM, TooMuchDataError, next_page, number
from collectors.paging import CursorGuard
from core.domain import Account, AdEntity, MetricValue, Page

FIELDS = ("impressions", "reach", "frequency", "clicks", "spend", "cpm", "ctr")
INSIGHT_FIELDS = (
    "campaign_id,campaign_name,reach,impressions,frequency,clicks,spend,cpm,ctr,actions"
)
ACCOUNT_FIELDS = "account_id,reach,impressions,frequency,clicks,spend,cpm,ctr,actions"
CAMPAIGN_FIELDS = "id,name,status,objective,start_time,stop_time"
ADSET_FIELDS = "id,name,campaign_id,status,start_time,end_time"
AD_FIELDS = "id,name,adset_id,campaign_id,status,creative{effective_object_story_id}"
ACTION_METRICS = {"link_click": "link_click"}  # action_type -> stored metric
ASYNC_DAYS = 90  # longer daily ranges go through async report runs
ASYNC_CAMPAIGNS = 50  # so do accounts with many campaigns
HISTORY_MONTHS = 37  # Meta serves ads insights for ranges starting at most 37 months back
SETTLE_DAYS = 3  # a finished flight is asked for again until its numbers have settled
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


class AdsApi(ApiPart):
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
        super().__init__(client)
        self.prefix = prefix
        self.account_ids = account_ids
        self.sleep = sleep
        self.async_days = async_days
        self.async_campaigns = async_campaigns

    def collect(
        self, options: SyncOptions, state: SyncState, progress: Progress
    ) -> Iterator[Batch]:
        for account_id in self.account_ids:
            account = Account(PLATFORM, "ads", account_id)
            end = options.today - timedelta(days=1)
            earliest = months_before(options.today, HISTORY_MONTHS) + timedelta(days=1)
            progress.stage(f"facebook/ads/{account_id}/entities")
            flights = self._campaigns(account_id)
            posts = set(state.known_posts(PLATFORM))
            entities = [
                *(f.entity for f in flights.values()),
                *self._adsets(account_id),
                *self._ads(account_id, posts),
            ]
            yield Batch(account, Page(ad_entities=entities))
            progress.stage(f"facebook/ads/{account_id}/daily")
            start = options.start_for(
                state.bookmark(account, "ads_daily"), options.ads_lookback_days
            )
            start = max(start, earliest)
            active: set[date] = set()
            if start <= end:
                yield from self._daily(account, start, end, len(flights), progress, active)
            progress.stage(f"facebook/ads/{account_id}/weeks")
            weeks_start = options.start_for(
                state.bookmark(account, "ads_weeks"), options.ads_lookback_days
            )
            yield from self._weeks(
                account, max(weeks_start, earliest), end, progress, active, (start, end)
            )
            progress.stage(f"facebook/ads/{account_id}/flights")
            yield from self._flights(account, flights, state, options.today, earliest, progress)

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
                start, stop = _day(row.get("start_time")), _day(row.get("stop_time"))
                flights[cid] = Flight(
                    AdEntity(
                        PLATFORM,
                        "campaign",
                        cid,
                        str(row.get("name", "")),
                        status=str(row.get("status", "")),
                        objective=str(row.get("objective", "")),
                        start_date=start,
                        end_date=stop,
                        flight_known=start is not None,
                    ),
                    start,
                    stop,
                )
        return flights

    def _adsets(self, account_id: str) -> list[AdEntity]:
        """Ad sets with their schedules (start_time / end_time, the ad account's local dates)."""
        out = []
        for rows in self._pages(
            f"{self.prefix}/act_{account_id}/adsets",
            {"fields": ADSET_FIELDS, "limit": "100"},
            "ads/adsets",
        ):
            for row in rows:
                if not row.get("id"):
                    continue
                start = _day(row.get("start_time"))
                out.append(
                    AdEntity(
                        PLATFORM,
                        "adgroup",
                        str(row["id"]),
                        str(row.get("name", "")),
                        parent_external_id=str(row.get("campaign_id") or "") or None,
                        status=str(row.get("status", "")),
                        start_date=start,
                        end_date=_day(row.get("end_time")),
                        flight_known=start is not None,
                    )
                )
        return out

    def _ads(self, account_id: str, page_posts: set[str]) -> list[AdEntity]:
        """Ads, each linked to the Page post it promotes when that post is on the Page."""
        out = []
        for rows in self._pages(
            f"{self.prefix}/act_{account_id}/ads",
            {"fields": AD_FIELDS, "limit": "100"},
            "ads/ads",
        ):
            for row in rows:
                if not row.get("id"):
                    continue
                creative = row.get("creative") if isinstance(row.get("creative"), dict) else {}
                story = str((creative or {}).get("effective_object_story_id") or "")
                out.append(
                    AdEntity(
                        PLATFORM,
                        "ad",
                        str(row["id"]),
                        str(row.get("name", "")),
                        parent_external_id=str(row.get("adset_id") or "") or None,
                        status=str(row.get("status", "")),
                        # A dark post is an unpublished Page post: never among the Page's posts.
                        post_external_id=story if story in page_posts else None,
                        post_known=True,
                    )
                )
        return out

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
        self,
        account: Account,
        start: date,
        end: date,
        progress: Progress,
        active: set[date],
        daily: tuple[date, date],
    ) -> Iterator[Batch]:
        """True reach per complete ISO week, per campaign and for the whole ad account.

        A week inside the range this run's daily stage covered without a single
        impression needs no request: there is no reach to ask for.
        """
        for monday, sunday in iso_weeks(start, end):
            idle = (
                daily[0] <= monday
                and sunday <= daily[1]
                and not any(monday + timedelta(days=i) in active for i in range(7))
            )
            page = Page(bookmarks={"ads_weeks": sunday.isoformat()})
            if idle:
                yield Batch(account, page)
                continue
            window = {"time_range": time_range(monday, sunday), "time_increment": "all_days"}
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

    def _flights(
        self,
        account: Account,
        flights: dict[str, Flight],
        state: SyncState,
        today: date,
        earliest: date,
        progress: Progress,
    ) -> Iterator[Batch]:
        """Each campaign's values over its whole flight (to yesterday), grain 'campaign'."""
        yesterday = today - timedelta(days=1)
        for cid, flight in flights.items():
            if flight.start is None or flight.start > yesterday:
                continue  # not started yet
            until = min(flight.stop or yesterday, yesterday)
            first = flight.start
            if first < earliest:
                if until < earliest:
                    continue  # Meta serves nothing of a flight that ended 37 months ago
                progress.warn(
                    f"facebook: campaign {flight.entity.name or cid} started {first}, but Meta "
                    f"serves ads insights from {earliest} only (37 months back); its whole-flight "
                    f"figures cover {earliest} to {until}"
                )
                first = earliest
            span = f"{first.isoformat()}..{until.isoformat()}"
            settled = flight.stop is not None and flight.stop + timedelta(days=SETTLE_DAYS) < today
            if settled and state.bookmark(account, f"flight:{cid}") == span:
                continue  # ended, settled and stored: final
            body = self.client.request(
                "GET",
                f"{self.prefix}/{cid}/insights",
                endpoint="campaign/insights",
                params={
                    "fields": INSIGHT_FIELDS,
                    "time_range": time_range(first, until),
                    "time_increment": "all_days",
                },
            )
            page = Page(ad_entities=[flight.entity], bookmarks={f"flight:{cid}": span})
            for row in body.get("data") or []:
                if isinstance(row, dict):
                    page.values.extend(values(row, first, until, "campaign", "ad", cid))
            progress.advance(f"facebook: whole-flight reach of {flight.entity.name or cid}")
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
    found = numbers(row, FIELDS, number)
    for action in row.get("actions") or []:
        if isinstance(action, dict) and action.get("action_type") in ACTION_METRICS:
            value = number(action.get("value"))
            if value is not None:
                found[ACTION_METRICS[str(action["action_type"])]] = value
    return paid_values(found, start, end, grain, subject, subject_id)


def _day(value: Any) -> date | None:
    """The date of '2026-01-04' or '2025-11-03T09:00:00+0100' (the ad account's local date)."""
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None
