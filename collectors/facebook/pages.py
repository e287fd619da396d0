"""Facebook Page (organic): daily Page insights, published posts and per-post lifetime insights.

Storage choices (CONVENTIONS.md, storage contract):
- Daily Page series -> MetricValue(subject 'account', grain 'day', window = the
  Pacific day Meta aggregated, see `facebook_api.pacific_day`).
  `page_media_view` is stored split by `is_from_ads` (origin organic / paid);
  only when the breakdown is unavailable is the unsplit total stored (origin
  'total'), never both, so a sum over origins never counts a view twice.
  `page_follows` is a level (one value per day, not additive).
- True weekly viewers: `page_total_media_view_unique` with period=week, kept
  only for values whose 7 days are Monday..Sunday (grain 'week').
- Per post: `post_media_view` is a lifetime counter -> Snapshots (organic and
  paid from the breakdown, else total); `post_total_media_view_unique` is
  unique viewers, which no difference of snapshots can turn into a daily
  number, so it is stored as Meta computed it for the post's lifetime:
  MetricValue(grain 'lifetime', window = publish date .. collection date).

A metric Meta has retired fails the whole request with `(#100) The value must
be a valid insights metric` without naming it; the request is split in halves
until the refused metric is isolated, the rest is collected, and the metric is
recorded on the Page (`retired_metrics`) and warned about once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from collectors.base import ApiPart, Batch, Progress, SyncOptions, SyncState
from collectors.http import ApiClient
from collectors.meta.graph import (
    PLATFORM,
    InvalidMetricError,
    MissingObjectsError,
    last_complete_pacific_day,
    next_page,
    number,
    pacific_day,
    pacific_midnight,
)
from collectors.paging import CursorGuard
from core.catalogue import CATALOGUE
from core.domain import Account, MetricValue, Page, Post, Snapshot

PAGE_METRICS = (
    "page_media_view",
    "page_total_media_view_unique",
    "page_post_engagements",
    "page_daily_follows",
    "page_follows",
)
POST_METRICS = ("post_media_view", "post_total_media_view_unique")
POST_FIELDS = "id,created_time,permalink_url,message"
CHUNK_DAYS = 89  # Meta allows at most 90 days between since and until; DST can add an hour
HISTORY_DAYS = 730  # Page insights are kept for two years
IDS_PER_REQUEST = 25  # multi-id reads take up to 50 ids; 25 keeps responses small
POSTS_PER_PAGE = 100
SPLIT_METRICS = {"page_media_view", "post_media_view"}  # the metrics is_from_ads can split
WEEKLY_METRIC = "page_total_media_view_unique"
REPLACED_BY = {
    "page_impressions": "page_media_view",
    "page_impressions_paid": "page_media_view with breakdown=is_from_ads",
    "page_impressions_organic": "page_media_view with breakdown=is_from_ads",
    "page_impressions_organic_v2": "page_media_view with breakdown=is_from_ads",
    "page_impressions_unique": "page_total_media_view_unique",
    "page_impressions_paid_unique": "page_total_media_view_unique (no paid split any more)",
    "page_impressions_organic_unique": "page_total_media_view_unique (no organic split any more)",
    "page_fans": "page_follows",
    "page_fan_adds": "page_daily_follows",
    "page_fan_adds_unique": "page_daily_follows",
    "post_impressions": "post_media_view",
    "post_impressions_paid": "post_media_view with breakdown=is_from_ads",
    "post_impressions_organic": "post_media_view with breakdown=is_from_ads",
    "post_impressions_unique": "post_total_media_view_unique",
    "post_impressions_paid_unique": "post_total_media_view_unique (no paid split any more)",
    "post_impressions_organic_unique": "post_total_media_view_unique (no organic split any more)",
}


class PagesApi(ApiPart):
    """Daily Page insights, published posts and their lifetime insights for one Page."""

    def __init__(
        self,
        client: ApiClient,
        prefix: str,
        page_id: str,
        *,
        page_metrics: tuple[str, ...] = PAGE_METRICS,
        post_metrics: tuple[str, ...] = POST_METRICS,
    ) -> None:
        super().__init__(client)
        self.prefix = prefix
        self.page_id = page_id
        self.page_metrics = tuple(dict.fromkeys(page_metrics))
        self.post_metrics = tuple(dict.fromkeys(post_metrics))
        self.retired: dict[str, str] = {}
        self._no_breakdown: set[str] = set()
        self._no_weekly = False

    def collect(
        self, options: SyncOptions, state: SyncState, progress: Progress
    ) -> Iterator[Batch]:
        body = self.client.request(
            "GET",
            f"{self.prefix}/{self.page_id}",
            endpoint="page",
            params={"fields": "id,name"},
        )
        account = Account(PLATFORM, "page", self.page_id, str(body.get("name", "")))
        yield Batch(account, Page())
        progress.stage("facebook/page/insights")
        yield from self._page_insights(account, options, state, progress)
        progress.stage("facebook/page/posts")
        yield from self._posts(account, options, state, progress)

    # --- retired metrics ----------------------------------------------------------------

    def _retire(self, metric: str, message: str, page: Page, progress: Progress) -> None:
        if metric in self.retired:
            return
        self.retired[metric] = message
        replacement = REPLACED_BY.get(metric)
        page.retired_metrics.append(
            (metric, f"{message}; replaced by {replacement}" if replacement else message)
        )
        instead = (
            f"Meta replaced it with {replacement}" if replacement else "Meta names no replacement"
        )
        kind = "post_metrics" if metric.startswith("post_") else "page_metrics"
        progress.warn(
            f"facebook: Meta refused the insights metric {metric} ({message}); {instead}. "
            f"The other metrics were collected; remove {metric} from [facebook] {kind} "
            "in social.toml"
        )

    def _bisect(
        self,
        fetch: Callable[[list[str]], Any],
        metrics: list[str],
        page: Page,
        progress: Progress,
    ) -> list[Any]:
        """Bodies for all metrics Meta accepts; refused ones are isolated by halving the list."""
        if not metrics:
            return []
        try:
            return [fetch(metrics)]
        except InvalidMetricError as exc:
            if len(metrics) == 1:
                self._retire(metrics[0], str(exc), page, progress)
                return []
        middle = len(metrics) // 2
        return self._bisect(fetch, metrics[:middle], page, progress) + self._bisect(
            fetch, metrics[middle:], page, progress
        )

    # --- daily Page insights ----------------------------------------------------------------

    def _page_insights(
        self, account: Account, options: SyncOptions, state: SyncState, progress: Progress
    ) -> Iterator[Batch]:
        start = options.start_for(
            state.bookmark(account, "page_daily"), options.organic_lookback_days
        )
        end = min(options.today - timedelta(days=1), last_complete_pacific_day(options.now))
        start = max(start, end - timedelta(days=HISTORY_DAYS - 1))
        while start <= end:
            chunk_end = min(end, start + timedelta(days=CHUNK_DAYS - 1))
            page = Page(bookmarks={"page_daily": chunk_end.isoformat()})
            window = {
                "since": str(pacific_midnight(start)),
                "until": str(pacific_midnight(chunk_end + timedelta(days=1))),
            }
            self._daily_chunk(page, window, start, chunk_end, progress)
            self._weekly_chunk(page, window, start, chunk_end, progress)
            progress.advance(f"facebook: Page insights to {chunk_end}")
            yield Batch(account, page)
            start = chunk_end + timedelta(days=1)

    def _insights(self, metrics: list[str], params: dict[str, str]) -> Any:
        return self.client.request(
            "GET",
            f"{self.prefix}/{self.page_id}/insights",
            endpoint="page/insights",
            params={"metric": ",".join(metrics), **params},
        )

    def _daily_chunk(
        self, page: Page, window: dict[str, str], first: date, last: date, progress: Progress
    ) -> None:
        metrics = [m for m in self.page_metrics if m not in self.retired]
        bodies = self._bisect(
            lambda ms: self._insights(ms, {"period": "day", **window}), metrics, page, progress
        )
        series: dict[str, dict[date, float]] = {}
        for body in bodies:
            for entry in _entries(body, "day"):
                for day, value in _day_values(entry):
                    if first <= day <= last:
                        series.setdefault(str(entry["name"]), {})[day] = value
        split: dict[date, dict[str, float]] = {}
        if "page_media_view" in metrics and "page_media_view" not in self.retired:
            found = self._split(
                lambda: self._insights(
                    ["page_media_view"], {"period": "day", "breakdown": "is_from_ads", **window}
                ),
                "page_media_view",
                progress,
            )
            split = split_by_day(found, "page_media_view") if found is not None else {}
        for metric, days in series.items():
            for day, value in sorted(days.items()):
                if metric == "page_media_view" and day in split:
                    continue  # stored split by origin below: never both (rule 3)
                page.values.append(MetricValue(metric, value, day, day, "day", "total"))
        for day, origins in sorted(split.items()):
            if first <= day <= last:
                for origin, value in origins.items():
                    page.values.append(
                        MetricValue("page_media_view", value, day, day, "day", origin)
                    )

    def _split(self, fetch: Callable[[], Any], metric: str, progress: Progress) -> Any:
        """The body of a breakdown=is_from_ads request, or None if Meta refuses the breakdown."""
        if metric in self._no_breakdown:
            return None
        try:
            return fetch()
        except InvalidMetricError as exc:
            self._no_breakdown.add(metric)
            progress.warn(
                f"facebook: Meta refused {metric} with breakdown=is_from_ads ({exc}); "
                "views are stored as totals without the organic/paid split"
            )
            return None

    def _weekly_chunk(
        self, page: Page, window: dict[str, str], first: date, last: date, progress: Progress
    ) -> None:
        """True weekly viewers for each complete ISO week (Monday..Sunday) ending in the chunk."""
        if self._no_weekly or WEEKLY_METRIC not in self.page_metrics:
            return
        if WEEKLY_METRIC in self.retired:
            return
        days = min(7, (last - first).days + 1)
        if not any((first + timedelta(days=i)).weekday() == 6 for i in range(days)):
            return  # no Sunday in the chunk: no ISO week ends here
        try:
            body = self._insights([WEEKLY_METRIC], {"period": "week", **window})
        except InvalidMetricError as exc:
            self._no_weekly = True
            progress.warn(
                f"facebook: Meta refused {WEEKLY_METRIC} with period=week ({exc}); "
                "no true weekly viewers are stored (daily viewers must not be summed)"
            )
            return
        for entry in _entries(body, "week"):
            for day, value in _day_values(entry):
                if day.weekday() == 6 and first <= day <= last:
                    monday = day - timedelta(days=6)
                    page.values.append(
                        MetricValue(WEEKLY_METRIC, value, monday, day, "week", "total")
                    )

    # --- posts ----------------------------------------------------------------------------

    def _posts(
        self, account: Account, options: SyncOptions, state: SyncState, progress: Progress
    ) -> Iterator[Batch]:
        """List posts published since the refresh horizon (first sync: backfill) with insights."""
        zone = ZoneInfo(options.timezone)
        # Recent posts get fresh insights; after a long pause, nothing published since the
        # last complete listing is skipped.
        covered = state.bookmark(account, "posts_since")
        since = options.listing_start(covered, state.bookmark(account, "posts_listed"))
        params: dict[str, str] = {
            "fields": POST_FIELDS,
            "since": str(int(datetime.combine(since, time(), zone).timestamp())),
            "limit": str(POSTS_PER_PAGE),
        }
        guard = CursorGuard(PLATFORM, "published_posts")
        listed = 0
        while True:
            body = self.client.request(
                "GET",
                f"{self.prefix}/{self.page_id}/published_posts",
                endpoint="published_posts",
                params=params,
            )
            rows = [r for r in body.get("data") or [] if isinstance(r, dict) and r.get("id")]
            page = self._post_page(rows, options, zone, progress)
            listed += len(rows)
            following = next_page(body)
            if following is None:
                page.bookmarks["posts_listed"] = options.today.isoformat()
                page.bookmarks["posts_since"] = options.covered(since, covered)
            progress.advance(f"facebook: {listed} posts listed")
            yield Batch(account, page)
            if following is None:
                return
            key, following_params = following
            guard.advance(key)
            params = {**params, **following_params}

    def _post_page(
        self,
        rows: list[dict[str, Any]],
        options: SyncOptions,
        zone: ZoneInfo,
        progress: Progress,
    ) -> Page:
        page = Page()
        posts: dict[str, Post] = {}
        for row in rows:
            pid = str(row["id"])
            message = str(row.get("message") or "")
            posts[pid] = Post(
                platform=PLATFORM,
                external_id=pid,
                published_at=_parse_time(str(row["created_time"])),
                caption=message,
                link=str(row.get("permalink_url") or ""),
                tags=tuple(_hashtags(message)),
            )
        ids = list(posts)
        for start in range(0, len(ids), IDS_PER_REQUEST):
            chunk = ids[start : start + IDS_PER_REQUEST]
            lifetime, split = self._post_insights(chunk, page, progress)
            for pid in chunk:
                post = posts[pid]
                published = post.published_at.astimezone(zone).date()
                counters: dict[str, float] = {}
                for metric, value in lifetime.get(pid, {}).items():
                    info = CATALOGUE.get((PLATFORM, metric))
                    if info is not None and not info.additive:
                        page.values.append(
                            MetricValue(
                                metric,
                                value,
                                published,
                                max(published, options.today),
                                "lifetime",
                                "total",
                                subject_type="post",
                                subject_external_id=pid,
                            )
                        )
                    else:
                        counters[metric] = value
                origins = split.get(pid)
                if origins and "post_media_view" in counters:
                    counters.pop("post_media_view")
                    for origin, value in origins.items():
                        page.snapshots.append(
                            Snapshot(pid, options.now, {"post_media_view": value}, origin)
                        )
                    post.is_ad = origins.get("paid", 0) > 0  # boosted: paid views exist
                if counters:
                    page.snapshots.append(Snapshot(pid, options.now, counters))
        page.posts = list(posts.values())
        return page

    def _post_insights(
        self, ids: list[str], page: Page, progress: Progress
    ) -> tuple[dict[str, dict[str, float]], dict[str, dict[str, float]]]:
        """Lifetime metrics per post and, if Meta gives it, the organic/paid split of views."""
        ids = list(ids)
        while ids:
            try:
                return self._post_insights_once(ids, page, progress)
            except MissingObjectsError as exc:
                gone = [i for i in ids if i in exc.ids]
                if not gone:
                    raise
                progress.warn(
                    f"facebook: posts no longer on Facebook were skipped: {', '.join(gone)}"
                )
                ids = [i for i in ids if i not in gone]
        return {}, {}

    def _post_insights_once(
        self, ids: list[str], page: Page, progress: Progress
    ) -> tuple[dict[str, dict[str, float]], dict[str, dict[str, float]]]:
        def fetch(metrics: list[str], **extra: str) -> Any:
            return self.client.request(
                "GET",
                f"{self.prefix}/insights",
                endpoint="post/insights",
                params={
                    "ids": ",".join(ids),
                    "metric": ",".join(metrics),
                    "period": "lifetime",
                    **extra,
                },
            )

        metrics = [m for m in self.post_metrics if m not in self.retired]
        lifetime: dict[str, dict[str, float]] = {}
        for body in self._bisect(fetch, metrics, page, progress):
            for pid, entries in _by_id(body).items():
                for entry in entries:
                    values = entry.get("values") or []
                    value = number(values[-1].get("value")) if values else None
                    if value is not None and "is_from_ads" not in values[-1]:
                        lifetime.setdefault(pid, {})[str(entry["name"])] = value
        split: dict[str, dict[str, float]] = {}
        if "post_media_view" in metrics and "post_media_view" not in self.retired:
            found = self._split(
                lambda: fetch(["post_media_view"], breakdown="is_from_ads"),
                "post_media_view",
                progress,
            )
            if found is not None:
                for pid, entries in _by_id(found).items():
                    for entry in entries:
                        origins = _origins(entry.get("values") or [])
                        if origins:
                            split[pid] = {"organic": 0.0, "paid": 0.0, **origins}
        return lifetime, split


# --- response parsing -----------------------------------------------------------------------


def _entries(body: Any, period: str) -> list[dict[str, Any]]:
    """The metric entries of an insights response for one period."""
    data = body.get("data") if isinstance(body, dict) else None
    return [
        e
        for e in data or []
        if isinstance(e, dict) and e.get("name") and e.get("period", period) == period
    ]


def _day_values(entry: dict[str, Any]) -> Iterator[tuple[date, float]]:
    """(Pacific day, number) of each plain value of a metric entry."""
    for item in entry.get("values") or []:
        if not isinstance(item, dict) or "end_time" not in item or "is_from_ads" in item:
            continue
        value = number(item.get("value")) if not isinstance(item.get("value"), dict) else None
        if value is not None:
            yield pacific_day(str(item["end_time"])), value


def _origin(key: Any) -> str:
    return "paid" if str(key).strip().lower() in ("1", "true") else "organic"


def _origins(values: list[Any]) -> dict[str, float]:
    """Organic/paid of one value list (either breakdown shape, see `split_by_day`)."""
    out: dict[str, float] = {}
    for item in values:
        if not isinstance(item, dict):
            continue
        value = item.get("value")
        if "is_from_ads" in item:
            amount = number(value)
            if amount is not None:
                origin = _origin(item["is_from_ads"])
                out[origin] = out.get(origin, 0.0) + amount
        elif isinstance(value, dict):
            for key, part in value.items():
                amount = number(part)
                if amount is not None:
                    out[_origin(key)] = out.get(_origin(key), 0.0) + amount
    return out


def split_by_day(body: Any, metric: str) -> dict[date, dict[str, float]]:
    """Organic/paid per Pacific day from a breakdown=is_from_ads Page insights response.

    Seen in the wild (2026, several independent clients): a flat list with one
    value per day and origin, `{"value": 25, "end_time": "...", "is_from_ads": "0"}`.
    The older nested shape `{"value": {"0": 25, "1": 3}}` is accepted too.
    Meta's reference does not show the shape: unconfirmed.
    """
    out: dict[date, dict[str, float]] = {}
    for entry in _entries(body, "day"):
        if entry.get("name") != metric:
            continue
        for item in entry.get("values") or []:
            if not isinstance(item, dict) or "end_time" not in item:
                continue
            origins = _origins([item])
            if origins:
                bucket = out.setdefault(pacific_day(str(item["end_time"])), {})
                for origin, value in origins.items():
                    bucket[origin] = bucket.get(origin, 0.0) + value
    for bucket in out.values():
        bucket.setdefault("organic", 0.0)
        bucket.setdefault("paid", 0.0)
    return out


def _by_id(body: Any) -> dict[str, list[dict[str, Any]]]:
    """Metric entries per object of a multi-id read ({"<id>": {"data": [...]}, ...})."""
    out: dict[str, list[dict[str, Any]]] = {}
    if not isinstance(body, dict):
        return out
    for key, value in body.items():
        if isinstance(value, dict) and isinstance(value.get("data"), list):
            out[str(key)] = [e for e in value["data"] if isinstance(e, dict) and e.get("name")]
    return out


def _parse_time(text: str) -> datetime:
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _hashtags(text: str) -> list[str]:
    tags: list[str] = []
    for word in text.split():
        if word.startswith("#") and len(word) > 1:
            tag = word[1:].strip(".,!?:;()").lower()
            if tag and tag not in tags:
                tags.append(tag)
    return tags
