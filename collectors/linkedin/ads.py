"""LinkedIn paid: campaigns and their statistics through the Marketing API `adAnalytics`.

- daily rows per campaign (grain 'day') for the additive fields;
- whole-window rows (`timeGranularity=ALL`) so reach is LinkedIn's own
  `approximateMemberReach` for that window: each complete ISO week per campaign
  and for the whole ad account (grain 'week'), and each campaign's whole flight
  from its `runSchedule` (grain 'campaign'); LinkedIn computes member reach for
  at most 92 days, so a longer flight's reach is stored per 92-day window
  (grain 'window'), never summed;
- sponsored creatives (ad level) linked to the page post they sponsor.

Each stage (entities, daily, weeks, flights) keeps its own bookmark, so an
interrupted sync is finished by the next one.

adAnalytics takes at most 20 fields per request (the field list is split and
the rows merged on dateRange + pivotValues), has no paging and silently stops
at 15,000 elements (date ranges are sized so days x campaigns stays far below).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from collectors.adstats import numbers, paid_values
from collectors.base import ApiPart, Batch, Progress, SyncOptions, SyncState
from collectors.dates import iso_weeks
from collectors.errors import ApiError
from collectors.http import ApiClient
from collectors.linkedin.api import (
    PLATFORM,
    Raw,
    date_range,
    fields,
    ms_day,
    parse_date_range,
    path_with_query,
    urn,
    urn_id,
)
from collectors.paging import CursorGuard
from core.domain import Account, AdEntity, MetricValue, Page
from core.timeutil import iso_week

REACH = "approximateMemberReach"
METRICS = (
    "impressions",
    "clicks",
    "costInLocalCurrency",
    "costInUsd",
    "videoViews",
    "videoStarts",
    "videoFirstQuartileCompletions",
    "videoMidpointCompletions",
    "videoThirdQuartileCompletions",
    "videoCompletions",
    "likes",
    "comments",
    "shares",
    "follows",
    "landingPageClicks",
    "companyPageClicks",
    "totalEngagements",
    "otherEngagements",
    "oneClickLeads",
    "externalWebsiteConversions",
    "viralImpressions",
    REACH,
)
DAILY_METRICS = tuple(m for m in METRICS if m != REACH)  # daily member reach is not stored
KEY_FIELDS = ("dateRange", "pivotValues")
MAX_FIELDS = 20  # per request, the key fields included
MAX_REACH_DAYS = 92  # LinkedIn computes approximateMemberReach for ranges up to 92 days
ELEMENT_CAP = 15_000  # adAnalytics silently truncates at this many elements
ELEMENT_BUDGET = 5_000  # days x campaigns per daily request: a third of the cap
MAX_DAILY_DAYS = 92
SETTLE_DAYS = 3  # a finished flight's numbers are asked for until they have settled
CREATIVE_CAMPAIGNS = 20  # campaign URNs per creatives request


@dataclass
class Campaign:
    """A campaign and its flight (runSchedule), as far as LinkedIn says."""

    entity: AdEntity
    start: date | None = None
    end: date | None = None  # None: runs until stopped


def field_chunks(metrics: Sequence[str], limit: int = MAX_FIELDS) -> list[list[str]]:
    """Split metrics so each request, with dateRange and pivotValues, has at most `limit` fields."""
    size = limit - len(KEY_FIELDS)
    if size < 1:
        raise ValueError("the field limit leaves no room for metrics")
    return [[*KEY_FIELDS, *metrics[i : i + size]] for i in range(0, len(metrics), size)]


def merge_rows(responses: Sequence[Sequence[dict[str, Any]]]) -> list[dict[str, Any]]:
    """Merge the rows of several field chunks on (dateRange, pivotValues), keeping order."""
    merged: dict[tuple[Any, ...], dict[str, Any]] = {}
    for rows in responses:
        for row in rows:
            key = _row_key(row)
            merged.setdefault(key, {}).update(row)
    return list(merged.values())


def _row_key(row: dict[str, Any]) -> tuple[Any, ...]:
    dr = row.get("dateRange")
    span = parse_date_range(dr) if dr else (None, None)
    return (*span, tuple(row.get("pivotValues") or ()))


def reach_windows(start: date, end: date) -> list[tuple[date, date]]:
    """Consecutive windows of at most 92 days covering [start, end], anchored at start."""
    out = []
    day = start
    while day <= end:
        last = min(end, day + timedelta(days=MAX_REACH_DAYS - 1))
        out.append((day, last))
        day = last + timedelta(days=1)
    return out


def daily_chunk_days(campaigns: int) -> int:
    """Days per daily request so days x campaigns stays within the element budget."""
    return max(1, min(MAX_DAILY_DAYS, ELEMENT_BUDGET // max(1, campaigns)))


def number(value: Any) -> float | None:
    """adAnalytics sends money as strings ("212.53") and may send null."""
    if value is None or value == "":
        return None
    return float(value)


class AdsApi(ApiPart):
    """Campaigns and their daily, weekly and whole-flight statistics for each ad account."""

    def __init__(self, client: ApiClient, account_ids: Sequence[str]) -> None:
        super().__init__(client)
        self.account_ids = [str(a) for a in account_ids]

    def collect(
        self, options: SyncOptions, state: SyncState, progress: Progress
    ) -> Iterator[Batch]:
        for account_id in self.account_ids:
            account = Account(PLATFORM, "ads", account_id, self._account_name(account_id))
            end = options.today - timedelta(days=1)
            progress.stage(f"linkedin/ads/{account_id}/entities")
            campaigns = self._campaigns(account_id, progress)
            creatives = self._creatives(account_id, list(campaigns), state, progress)
            yield Batch(
                account,
                Page(ad_entities=[*(c.entity for c in campaigns.values()), *creatives]),
            )
            progress.stage(f"linkedin/ads/{account_id}/daily")
            start = options.start_for(
                state.bookmark(account, "ads_daily"), options.ads_lookback_days
            )
            yield from self._daily(account, len(campaigns), start, end, progress)
            progress.stage(f"linkedin/ads/{account_id}/weeks")
            start = options.start_for(
                state.bookmark(account, "ads_weeks"), options.ads_lookback_days
            )
            yield from self._weeks(account, start, end, progress)
            progress.stage(f"linkedin/ads/{account_id}/flights")
            yield from self._flights(account, campaigns, state, options.today, progress)

    # -- entities ----------------------------------------------------------------------

    def _get(self, path: str, pairs: list[tuple[str, Any]], endpoint: str) -> dict[str, Any]:
        body = self.client.request("GET", path_with_query(path, pairs), endpoint=endpoint)
        return body if isinstance(body, dict) else {}

    def _account_name(self, account_id: str) -> str:
        body = self._get(f"/rest/adAccounts/{account_id}", [], "adAccounts")
        return str(body.get("name") or "")

    def _campaigns(self, account_id: str, progress: Progress) -> dict[str, Campaign]:
        """All campaigns of the account (cursor paging: pageToken / metadata.nextPageToken)."""
        out: dict[str, Campaign] = {}
        guard = CursorGuard(PLATFORM, "adCampaigns")
        token: str | None = None
        while True:
            body = self._get(
                f"/rest/adAccounts/{account_id}/adCampaigns",
                [("q", "search"), ("pageSize", 100), ("pageToken", token)],
                "adCampaigns",
            )
            for element in body.get("elements") or []:
                campaign = _campaign(element)
                out[campaign.entity.external_id] = campaign
            token = (body.get("metadata") or {}).get("nextPageToken")
            progress.advance(f"linkedin: {len(out)} campaigns in ad account {account_id}")
            if not token:
                return out
            guard.advance(token)

    def _creatives(
        self, account_id: str, campaign_ids: list[str], state: SyncState, progress: Progress
    ) -> list[AdEntity]:
        """Sponsored creatives, each linked to the page post it sponsors (the Creatives API).

        `content.reference` names the share/ugcPost a creative sponsors. It is a
        link to an organic post only if that post is on the page: a Direct
        Sponsored Content ("dark") post never is, so a creative whose post is not
        among the page's stored organic posts stays unlinked.
        """
        if not campaign_ids:
            return []
        organic = set(state.known_posts(PLATFORM, organic_only=True))
        out: list[AdEntity] = []
        for i in range(0, len(campaign_ids), CREATIVE_CAMPAIGNS):
            chunk = campaign_ids[i : i + CREATIVE_CAMPAIGNS]
            guard = CursorGuard(PLATFORM, "creatives")
            token: str | None = None
            while True:
                body = self._get(
                    f"/rest/adAccounts/{account_id}/creatives",
                    [
                        ("q", "criteria"),
                        ("campaigns", [urn("sponsoredCampaign", c) for c in chunk]),
                        ("pageSize", 100),
                        ("pageToken", token),
                    ],
                    "creatives",
                )
                for element in body.get("elements") or []:
                    reference = str((element.get("content") or {}).get("reference") or "")
                    out.append(
                        AdEntity(
                            PLATFORM,
                            "ad",
                            urn_id(str(element["id"])),
                            str(element.get("name") or ""),
                            parent_external_id=urn_id(str(element.get("campaign") or "")) or None,
                            status=str(element.get("intendedStatus") or ""),
                            post_external_id=reference if reference in organic else None,
                            post_known=True,
                        )
                    )
                token = (body.get("metadata") or {}).get("nextPageToken")
                if not token:
                    break
                guard.advance(token)
        progress.advance(f"linkedin: {len(out)} creatives in ad account {account_id}")
        return out

    # -- analytics ---------------------------------------------------------------------

    def analytics(
        self,
        account_id: str,
        *,
        pivot: str,
        granularity: str,
        start: date,
        end: date,
        metrics: Sequence[str],
        campaign_ids: Sequence[str] = (),
    ) -> list[dict[str, Any]]:
        """adAnalytics rows for a range, field chunks merged on dateRange + pivotValues."""
        responses = []
        for chunk in field_chunks(metrics):
            pairs: list[tuple[str, Any]] = [
                ("q", "analytics"),
                ("pivot", Raw(pivot)),
                ("timeGranularity", Raw(granularity)),
                ("dateRange", date_range(start, end)),
                ("accounts", [urn("sponsoredAccount", account_id)]),
            ]
            if campaign_ids:
                pairs.append(("campaigns", [urn("sponsoredCampaign", c) for c in campaign_ids]))
            pairs.append(("fields", fields(chunk)))
            body = self._get("/rest/adAnalytics", pairs, "adAnalytics")
            elements = list(body.get("elements") or [])
            if len(elements) >= ELEMENT_CAP:
                if granularity == "DAILY":
                    raise _Truncated(start, end)  # the caller asks again in smaller ranges
                raise ApiError(
                    f"linkedin: adAnalytics returned {ELEMENT_CAP:,} rows (LinkedIn's cap) for "
                    f"{pivot} {start}..{end} of ad account {account_id}; rows would be missing",
                    platform=PLATFORM,
                )
            responses.append(elements)
        return merge_rows(responses)

    def _daily_rows(
        self, account_id: str, start: date, end: date
    ) -> Iterator[tuple[date, date, list[dict[str, Any]]]]:
        """Daily rows of [start, end]; a range LinkedIn truncated is halved and asked again."""
        try:
            rows = self.analytics(
                account_id,
                pivot="CAMPAIGN",
                granularity="DAILY",
                start=start,
                end=end,
                metrics=DAILY_METRICS,
            )
        except _Truncated:
            if start == end:
                raise ApiError(
                    f"linkedin: adAnalytics returned {ELEMENT_CAP:,} rows for one day of ad "
                    f"account {account_id} (LinkedIn's cap); some rows are missing",
                    platform=PLATFORM,
                ) from None
            middle = start + timedelta(days=(end - start).days // 2)
            yield from self._daily_rows(account_id, start, middle)
            yield from self._daily_rows(account_id, middle + timedelta(days=1), end)
            return
        yield start, end, rows

    def _daily(
        self, account: Account, campaigns: int, start: date, end: date, progress: Progress
    ) -> Iterator[Batch]:
        step = daily_chunk_days(campaigns)
        day = start
        while day <= end:
            chunk_end = min(end, day + timedelta(days=step - 1))
            for _, part_end, rows in self._daily_rows(account.external_id, day, chunk_end):
                page = Page(bookmarks={"ads_daily": part_end.isoformat()})
                for row in rows:
                    first, last = parse_date_range(row["dateRange"])
                    cid = _campaign_id(row)
                    if cid is None:
                        continue
                    page.ad_entities.append(AdEntity(PLATFORM, "campaign", cid))
                    page.values.extend(_values(row, DAILY_METRICS, first, last, "day", "ad", cid))
                progress.advance(f"linkedin: ad stats to {part_end}")
                yield Batch(account, page)
            day = chunk_end + timedelta(days=1)

    def _weeks(
        self, account: Account, start: date, end: date, progress: Progress
    ) -> Iterator[Batch]:
        """Reach per complete ISO week, per campaign and for the whole ad account."""
        for monday, sunday in iso_weeks(start, end):
            page = Page(bookmarks={"ads_weeks": sunday.isoformat()})
            for pivot, subject in (("CAMPAIGN", "ad"), ("ACCOUNT", "account")):
                for row in self.analytics(
                    account.external_id,
                    pivot=pivot,
                    granularity="ALL",
                    start=monday,
                    end=sunday,
                    metrics=METRICS,
                ):
                    cid = _campaign_id(row) if subject == "ad" else None
                    if subject == "ad":
                        if cid is None:
                            continue
                        page.ad_entities.append(AdEntity(PLATFORM, "campaign", cid))
                    page.values.extend(_values(row, METRICS, monday, sunday, "week", subject, cid))
            progress.advance(f"linkedin: weekly reach for {iso_week(monday)}")
            yield Batch(account, page)

    def _flights(
        self,
        account: Account,
        campaigns: dict[str, Campaign],
        state: SyncState,
        today: date,
        progress: Progress,
    ) -> Iterator[Batch]:
        """Each campaign's values over its whole flight (to yesterday), grain 'campaign'.

        LinkedIn computes member reach for at most 92 days: a longer flight's row
        has the counts without reach, and its reach is stored per consecutive
        92-day window (grain 'window'), never summed. A flight that has ended and
        settled, and whose row is stored, is final and not asked for again.
        """
        yesterday = today - timedelta(days=1)
        for cid, campaign in campaigns.items():
            if campaign.start is None or campaign.start > yesterday:
                continue  # no schedule, or not started yet
            first, last = campaign.start, min(campaign.end or yesterday, yesterday)
            span = f"{first.isoformat()}..{last.isoformat()}"
            settled = (
                campaign.end is not None and campaign.end + timedelta(days=SETTLE_DAYS) < today
            )
            if settled and state.bookmark(account, f"flight:{cid}") == span:
                continue
            page = Page(ad_entities=[campaign.entity], bookmarks={f"flight:{cid}": span})
            for row in self.analytics(
                account.external_id,
                pivot="CAMPAIGN",
                granularity="ALL",
                start=first,
                end=last,
                metrics=METRICS,
                campaign_ids=[cid],
            ):
                if _campaign_id(row) == cid:
                    page.values.extend(_values(row, METRICS, first, last, "campaign", "ad", cid))
            windows = reach_windows(first, last)
            if len(windows) > 1:
                for w_start, w_end in windows:
                    for row in self.analytics(
                        account.external_id,
                        pivot="CAMPAIGN",
                        granularity="ALL",
                        start=w_start,
                        end=w_end,
                        metrics=(REACH,),
                        campaign_ids=[cid],
                    ):
                        if _campaign_id(row) == cid:
                            page.values.extend(
                                _values(row, (REACH,), w_start, w_end, "window", "ad", cid)
                            )
            progress.advance(f"linkedin: reach of campaign {campaign.entity.name or cid}")
            yield Batch(account, page)


class _Truncated(Exception):
    """A response reached LinkedIn's 15,000-element cap."""

    def __init__(self, start: date, end: date) -> None:
        super().__init__(f"{start}..{end}")


def _campaign(element: dict[str, Any]) -> Campaign:
    """A campaign and its flight from `runSchedule` (epoch ms; no end: runs until stopped)."""
    cid = urn_id(str(element["id"]))
    schedule = element.get("runSchedule") or {}
    start = ms_day(schedule["start"]) if schedule.get("start") else None
    end = ms_day(schedule["end"]) if schedule.get("end") else None
    return Campaign(
        AdEntity(
            PLATFORM,
            "campaign",
            cid,
            str(element.get("name") or ""),
            status=str(element.get("status") or ""),
            objective=str(element.get("objectiveType") or ""),
            start_date=start,
            end_date=end,
            flight_known=start is not None,
        ),
        start=start,
        end=end,
    )


def _campaign_id(row: dict[str, Any]) -> str | None:
    for value in row.get("pivotValues") or ():
        if ":sponsoredCampaign:" in str(value):
            return urn_id(str(value))
    return None


def _values(
    row: dict[str, Any],
    metrics: Sequence[str],
    start: date,
    end: date,
    grain: str,
    subject: str,
    subject_id: str | None,
) -> list[MetricValue]:
    return paid_values(numbers(row, metrics, number), start, end, grain, subject, subject_id)
