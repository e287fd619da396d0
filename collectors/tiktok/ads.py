"""TikTok paid stats through the Marketing API (advertiser token only).

Stages, each with its own bookmark so an interrupted sync is finished by the next:

- entities: campaigns (`/campaign/get/`), ad groups (`/adgroup/get/`, whose
  `schedule_start_time`/`schedule_end_time` give the flights: TikTok schedules
  ad groups, not campaigns) and ads (`/ad/get/`, whose `tiktok_item_id` links a
  Spark Ad to the organic video it promotes; other ads stay unlinked);
- daily rows per campaign for the additive counts (`stat_time_day`, at most 30
  days a query; a query TikTok calls too large, code 40067, is split in halves);
- weekly rows: reach as TikTok computes it for each complete ISO week, per
  campaign and for the whole advertiser;
- flights: each campaign's whole-flight values (its reach above all) for the
  window the flight really covers, from its first scheduled day to
  min(its last day, yesterday). A flight that has ended and settled is final
  and not asked for again.

Rule 1: reach is always TikTok's own unique number for the window, never a sum
of daily reach. Dates are in the advertiser's time zone (`/advertiser/info/`).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from collectors.adstats import numbers, paid_values
from collectors.base import ApiPart, Batch, Progress, SyncOptions, SyncState
from collectors.dates import iso_weeks
from collectors.errors import ApiError, AuthError, QueryTooLarge
from collectors.http import ApiClient
from collectors.tiktok.business import number
from core.domain import Account, AdEntity, MetricValue, Page

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
ADGROUP_FIELDS = (
    "adgroup_id",
    "campaign_id",
    "adgroup_name",
    "operation_status",
    "schedule_type",
    "schedule_start_time",
    "schedule_end_time",
)
AD_FIELDS = (
    "ad_id",
    "adgroup_id",
    "campaign_id",
    "ad_name",
    "operation_status",
    "identity_type",
    "tiktok_item_id",
)
MAX_DAYS = 30  # stat_time_day queries cover at most 30 days
MAX_WINDOW_DAYS = 365  # longer whole-flight windows are asked with query_lifetime
PAGE_SIZE = 1000
SETTLE_DAYS = 3  # TikTok's numbers settle over about three days
OPEN_ENDED_YEARS = 9  # SCHEDULE_FROM_NOW sets the end ten years on: an open end


@dataclass
class Flight:
    """A campaign and the days its ad groups are scheduled (end None: open-ended)."""

    entity: AdEntity
    start: date | None = None
    end: date | None = None
    adgroups: int = 0


@dataclass
class Entities:
    """What the entity listings returned for one advertiser."""

    flights: dict[str, Flight] = field(default_factory=dict)
    adgroups: list[AdEntity] = field(default_factory=list)
    ads: list[AdEntity] = field(default_factory=list)


class MarketingApi(ApiPart):
    """Campaigns, ad groups, ads and their daily, weekly and whole-flight stats."""

    def __init__(self, client: ApiClient, advertiser_ids: list[str], *, timezone: str) -> None:
        super().__init__(client)
        self.advertiser_ids = advertiser_ids
        self.timezone = timezone

    def collect(
        self, options: SyncOptions, state: SyncState, progress: Progress
    ) -> Iterator[Batch]:
        for advertiser in self.advertiser_ids:
            account = Account(PLATFORM, "ads", advertiser)
            progress.stage(f"tiktok/ads/{advertiser}/entities")
            zone = self._zone(advertiser, progress)
            today = options.now.astimezone(zone).date()
            end = today - timedelta(days=1)
            entities = self._entities(advertiser, zone)
            page = Page(
                ad_entities=[
                    *(f.entity for f in entities.flights.values()),
                    *entities.adgroups,
                    *entities.ads,
                ]
            )
            yield Batch(account, page)
            progress.stage(f"tiktok/ads/{advertiser}/daily")
            start = options.start_for(
                state.bookmark(account, "ads_daily"), options.ads_lookback_days
            )
            yield from self._daily(account, start, end, progress)
            progress.stage(f"tiktok/ads/{advertiser}/weeks")
            start = options.start_for(
                state.bookmark(account, "ads_weeks"), options.ads_lookback_days
            )
            yield from self._weeks(account, start, end, progress)
            progress.stage(f"tiktok/ads/{advertiser}/flights")
            yield from self._flights(account, entities.flights, state, today, progress)

    # --- entities -----------------------------------------------------------------------

    def _zone(self, advertiser: str, progress: Progress) -> ZoneInfo:
        """The advertiser's time zone (its report days); the configured zone if TikTok won't say."""
        fallback = ZoneInfo(self.timezone)
        try:
            body = self.client.request(
                "GET",
                "/advertiser/info/",
                endpoint="advertiser/info",
                params={
                    "advertiser_ids": json.dumps([advertiser]),
                    "fields": json.dumps(["advertiser_id", "timezone", "display_timezone"]),
                },
            )
        except AuthError:
            raise
        except ApiError as exc:
            progress.warn(
                f"tiktok: could not read the time zone of advertiser {advertiser} ({exc}); "
                f"ad days are taken as {self.timezone} days"
            )
            return fallback
        for row in (body.get("data") or {}).get("list") or []:
            for key in ("display_timezone", "timezone"):
                name = str(row.get(key) or "").strip()
                if not name:
                    continue
                try:
                    return ZoneInfo(name)
                except (ZoneInfoNotFoundError, ValueError):
                    continue
        return fallback

    def _listing(self, path: str, advertiser: str, fields: tuple[str, ...] | None) -> list[Any]:
        """Every row of a paged Marketing API listing (`page_info.total_page`)."""
        rows: list[Any] = []
        page = 1
        endpoint = path.strip("/")
        while True:
            params: dict[str, Any] = {
                "advertiser_id": advertiser,
                "page": page,
                "page_size": PAGE_SIZE,
            }
            if fields:
                params["fields"] = json.dumps(list(fields))
            body = self.client.request("GET", path, endpoint=endpoint, params=params)
            data = body.get("data") or {}
            rows.extend(data.get("list") or [])
            if page >= int((data.get("page_info") or {}).get("total_page") or 1):
                return rows
            page += 1

    def _entities(self, advertiser: str, zone: ZoneInfo) -> Entities:
        out = Entities()
        for row in self._listing("/campaign/get/", advertiser, None):
            cid = str(row["campaign_id"])
            out.flights[cid] = Flight(
                AdEntity(
                    PLATFORM,
                    "campaign",
                    cid,
                    str(row.get("campaign_name") or ""),
                    status=str(row.get("operation_status") or ""),
                    objective=str(row.get("objective_type") or ""),
                )
            )
        for row in self._listing("/adgroup/get/", advertiser, ADGROUP_FIELDS):
            gid, cid = str(row["adgroup_id"]), str(row["campaign_id"])
            start = _schedule_day(row.get("schedule_start_time"), zone)
            end = None
            if row.get("schedule_type") != "SCHEDULE_FROM_NOW":
                end = _schedule_day(row.get("schedule_end_time"), zone)
            if start and end and (end - start).days > OPEN_ENDED_YEARS * 365:
                end = None
            out.adgroups.append(
                AdEntity(
                    PLATFORM,
                    "adgroup",
                    gid,
                    str(row.get("adgroup_name") or ""),
                    parent_external_id=cid,
                    status=str(row.get("operation_status") or ""),
                    start_date=start,
                    end_date=end,
                    flight_known=start is not None,
                )
            )
            flight = out.flights.get(cid)
            if flight is None or start is None:
                continue
            # A campaign runs from its first ad group's start to its last one's end.
            open_ended = flight.adgroups > 0 and flight.end is None
            flight.start = min(flight.start, start) if flight.start else start
            flight.end = None if open_ended or end is None else max(flight.end or end, end)
            flight.adgroups += 1
        for flight in out.flights.values():
            if flight.adgroups:
                flight.entity.start_date = flight.start
                flight.entity.end_date = flight.end
                flight.entity.flight_known = True
        for row in self._listing("/ad/get/", advertiser, AD_FIELDS):
            item = str(row.get("tiktok_item_id") or "").strip()
            out.ads.append(
                AdEntity(
                    PLATFORM,
                    "ad",
                    str(row["ad_id"]),
                    str(row.get("ad_name") or ""),
                    parent_external_id=str(row.get("adgroup_id") or "") or None,
                    status=str(row.get("operation_status") or ""),
                    # A Spark Ad promotes an organic video; any other ad is a dark post.
                    post_external_id=item if item and item != "0" else None,
                    post_known=True,
                )
            )
        return out

    # --- reports ------------------------------------------------------------------------

    def _report(self, advertiser: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        """All rows of report/integrated/get, following page_info."""
        rows: list[dict[str, Any]] = []
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
            rows.extend(data.get("list") or [])
            info = data.get("page_info") or {}
            if page >= int(info.get("total_page") or 1):
                return rows
            page += 1

    def _daily_rows(self, advertiser: str, start: date, end: date) -> list[dict[str, Any]]:
        """Daily campaign rows of [start, end]; a range TikTok finds too large is halved."""
        try:
            return self._report(
                advertiser,
                {
                    "data_level": "AUCTION_CAMPAIGN",
                    "dimensions": json.dumps(["campaign_id", "stat_time_day"]),
                    "start_date": start.isoformat(),
                    "end_date": end.isoformat(),
                },
            )
        except QueryTooLarge:
            if start == end:
                raise ApiError(
                    f"tiktok: TikTok finds even one day ({start}) of ad stats of advertiser "
                    f"{advertiser} too large (code 40067); this is usually temporary: stored data "
                    "is kept, run the sync again later",
                    platform=PLATFORM,
                    code=40067,
                ) from None
            middle = start + timedelta(days=(end - start).days // 2)
            first = self._daily_rows(advertiser, start, middle)
            return first + self._daily_rows(advertiser, middle + timedelta(days=1), end)

    def _daily(
        self, account: Account, start: date, end: date, progress: Progress
    ) -> Iterator[Batch]:
        day = start
        while day <= end:
            chunk_end = min(end, day + timedelta(days=MAX_DAYS - 1))
            page = Page(bookmarks={"ads_daily": chunk_end.isoformat()})
            for row in self._daily_rows(account.external_id, day, chunk_end):
                dims = row["dimensions"]
                when = date.fromisoformat(str(dims["stat_time_day"])[:10])
                cid = str(dims["campaign_id"])
                page.ad_entities.append(AdEntity(PLATFORM, "campaign", cid))
                page.values.extend(_values(row, when, when, "day", "ad", cid))
            progress.advance(f"tiktok: ad stats to {chunk_end}")
            yield Batch(account, page)
            day = chunk_end + timedelta(days=1)

    def _whole_window(self, advertiser: str, what: str, params: dict[str, Any]) -> list[Any]:
        """A report without a day dimension: its reach cannot be split, so 40067 is final."""
        try:
            return self._report(advertiser, params)
        except QueryTooLarge:
            raise ApiError(
                f"tiktok: TikTok finds the report of {what} too large (code 40067); reach over a "
                "window cannot be added up from smaller ones, so it was not stored: run the sync "
                "again later",
                platform=PLATFORM,
                code=40067,
            ) from None

    def _weeks(
        self, account: Account, start: date, end: date, progress: Progress
    ) -> Iterator[Batch]:
        """True weekly reach per campaign and for the whole advertiser, complete ISO weeks only."""
        for monday, sunday in iso_weeks(start, end):
            window = {"start_date": monday.isoformat(), "end_date": sunday.isoformat()}
            page = Page(bookmarks={"ads_weeks": sunday.isoformat()})
            week = f"week {monday.isocalendar()[1]:02d}"
            for row in self._whole_window(
                account.external_id,
                week,
                {
                    "data_level": "AUCTION_CAMPAIGN",
                    "dimensions": json.dumps(["campaign_id"]),
                    **window,
                },
            ):
                cid = str(row["dimensions"]["campaign_id"])
                page.ad_entities.append(AdEntity(PLATFORM, "campaign", cid))
                page.values.extend(_values(row, monday, sunday, "week", "ad", cid))
            for row in self._whole_window(
                account.external_id,
                week,
                {
                    "data_level": "AUCTION_ADVERTISER",
                    "dimensions": json.dumps(["advertiser_id"]),
                    **window,
                },
            ):
                page.values.extend(_values(row, monday, sunday, "week", "account", None))
            progress.advance(f"tiktok: weekly reach for {week}")
            yield Batch(account, page)

    def _flights(
        self,
        account: Account,
        flights: dict[str, Flight],
        state: SyncState,
        today: date,
        progress: Progress,
    ) -> Iterator[Batch]:
        """Each campaign's whole-flight values, for the window its flight truly covers."""
        yesterday = today - timedelta(days=1)
        windows: dict[tuple[date, date], list[str]] = {}
        for cid, flight in flights.items():
            if flight.start is None or flight.start > yesterday:
                continue  # no scheduled ad group, or not started yet
            window = (flight.start, min(flight.end or yesterday, yesterday))
            settled = flight.end is not None and flight.end + timedelta(days=SETTLE_DAYS) < today
            if settled and state.bookmark(account, f"flight:{cid}") == _span(window):
                continue  # ended, settled and stored: final
            windows.setdefault(window, []).append(cid)
        for (first, last), cids in sorted(windows.items()):
            params: dict[str, Any] = {
                "data_level": "AUCTION_CAMPAIGN",
                "dimensions": json.dumps(["campaign_id"]),
            }
            if (last - first).days < MAX_WINDOW_DAYS:
                params |= {"start_date": first.isoformat(), "end_date": last.isoformat()}
            else:
                params["query_lifetime"] = "true"  # a flight longer than a report range may be
            page = Page()
            names = ", ".join(flights[c].entity.name or c for c in cids)
            for row in self._whole_window(account.external_id, f"campaign {names}", params):
                cid = str(row["dimensions"]["campaign_id"])
                if cid in cids:
                    page.values.extend(_values(row, first, last, "campaign", "ad", cid))
            for cid in cids:
                page.bookmarks[f"flight:{cid}"] = _span((first, last))
            page.ad_entities = [flights[c].entity for c in cids]
            progress.advance(f"tiktok: whole-flight reach of {names}")
            yield Batch(account, page)


def _span(window: tuple[date, date]) -> str:
    return f"{window[0].isoformat()}..{window[1].isoformat()}"


def _schedule_day(value: Any, zone: ZoneInfo) -> date | None:
    """The advertiser-zone date of a schedule time.

    TikTok documents schedule times as 'YYYY-MM-DD HH:MM:SS' in UTC+0; an ISO
    time with an offset is read as it says.
    """
    text = str(value or "").strip()
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(zone).date()


def _values(
    row: dict[str, Any], start: date, end: date, grain: str, subject: str, subject_id: str | None
) -> list[MetricValue]:
    metrics = row.get("metrics") or {}
    return paid_values(numbers(metrics, METRICS, number), start, end, grain, subject, subject_id)
