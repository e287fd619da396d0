"""Instagram: account insights per day, and media with their lifetime insights.

`build()` needs [facebook] page_id (or [instagram] ig_user_id) and the
Facebook Page token: the Instagram API with Facebook Login reads a
professional account through the Page it is connected to, with that Page's
token, so Instagram adds no secret of its own (see `collectors.instagram.auth`).

Two parts, each with its own bookmark, run under the one rule of
`collectors.parts` (a part that fails is reported and the other goes on); the
account is looked up once before them (without it neither can run):
- account: daily `reach` and `follower_count` as time series (30 days per
  request; follower_count only for the last 30 days and not for accounts
  with fewer than 100 followers), the other account metrics (`views`,
  `profile_views`, `accounts_engaged`) as total_value, one request per day
  (so a first sync asks for the last 30 days of them, not the whole backfill),
  and the follower level `followers_count` on the collection day.
- media: posts and reels published since the refresh horizon, each with a
  snapshot of its lifetime counters (views, likes, comments, saved, shares,
  total_interactions) and its lifetime `reach` (unique accounts: stored as
  Meta computed it, grain 'lifetime', never summed).

A metric Meta refuses with error 100 (a retired one such as `impressions`,
or one a media product type does not have) is dropped with a warning, the
request is made again without it, and the other metrics are collected.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import partial
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from collectors.auth import access_token
from collectors.base import Batch, BuildContext, Progress, SyncOptions, SyncState
from collectors.errors import ApiError, MissingCredentials
from collectors.instagram.api import (
    FOLLOWER_DAYS,
    HISTORY_DAYS,
    INVALID_METRIC_CODE,
    MIN_FOLLOWERS,
    PLATFORM,
    RETIRED,
    SERIES_DAYS,
    SERIES_METRICS,
    TOTALS_DAYS,
    InstagramApi,
    refused_metrics,
)
from collectors.instagram.settings import Settings
from collectors.meta.client import graph_client
from collectors.meta.graph import PLATFORM as FACEBOOK
from collectors.meta.graph import graph_prefix, last_complete_pacific_day
from collectors.parts import PartsCollector
from core.domain import Account, MetricValue, Page, Post, Snapshot

V = TypeVar("V")
ACCOUNT_KIND = "business"
FORMATS = {"IMAGE": "image", "VIDEO": "video", "CAROUSEL_ALBUM": "carousel"}
UNIQUE_METRICS = frozenset({"reach"})  # unique accounts: a lifetime value, not a counter
SKIPPED_PRODUCTS = frozenset({"STORY", "AD"})  # stories expire in 24 h; ads are not organic


class Refusals:
    """The metrics Meta refused, per scope ('account' or a media product type)."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.refused: dict[str, set[str]] = {}
        self.pending: list[tuple[str, str]] = []  # (metric, why) for the next stored page

    def ask(
        self, scope: str, metrics: list[str], fetch: Callable[[list[str]], dict[str, V]]
    ) -> dict[str, V]:
        """`fetch(metrics)` leaving out what Meta refuses; each refusal is warned about once."""
        asked = [m for m in metrics if m not in self.refused.get(scope, set())]
        if not asked:
            return {}
        try:
            return fetch(asked)
        except ApiError as exc:
            if exc.code != INVALID_METRIC_CODE:
                raise
            named = refused_metrics(exc, asked) or (asked if len(asked) == 1 else [])
            for metric in named:
                self._refuse(scope, metric, str(exc))
            if named:
                return self.ask(scope, asked, fetch)
        # The refusal names no metric: ask for each alone, so only the refused one is lost.
        found: dict[str, V] = {}
        for metric in asked:
            found.update(self.ask(scope, [metric], fetch))
        return found

    def take(self) -> list[tuple[str, str]]:
        """The refusals not yet stored with a page."""
        taken, self.pending = self.pending, []
        return taken

    def _refuse(self, scope: str, metric: str, message: str) -> None:
        self.refused.setdefault(scope, set()).add(metric)
        replacement = RETIRED.get(metric)
        self.pending.append(
            (metric, f"{message}; replaced by {replacement}" if replacement else message)
        )
        where = "the account" if scope == "account" else f"{scope.lower()} media"
        instead = f"; Meta replaced it with {replacement}" if replacement else ""
        key = "account_metrics" if scope == "account" else "media_metrics"
        self.progress.warn(
            f"{PLATFORM}: Meta refused the metric {metric} for {where} ({message}){instead}. "
            f"The other metrics were collected; remove {metric} from [instagram] {key} in "
            "social.toml if it stays refused"
        )


@dataclass
class Run:
    """One sync of the account: what every part reads."""

    account: Account
    profile: dict[str, Any]
    options: SyncOptions
    state: SyncState
    refusals: Refusals


@dataclass
class Stream:
    """One part of a run, bound to the account already found, for `PartsCollector`'s rule.

    Both parts share the collector's one client, which counts the requests.
    """

    run: Run
    body: Callable[[Run], Iterator[Batch]]
    requests: int = 0

    def collect(
        self, options: SyncOptions, state: SyncState, progress: Progress
    ) -> Iterator[Batch]:
        return self.body(self.run)

    def close(self) -> None:
        """The collector closes the shared client."""


class InstagramCollector:
    """Collects one Instagram professional account; one failing part does not stop the other."""

    platform = PLATFORM

    def __init__(self, api: InstagramApi, settings: Settings) -> None:
        self.api = api
        self.settings = settings

    @property
    def requests(self) -> int:
        return self.api.client.requests

    def close(self) -> None:
        self.api.client.close()

    def collect(
        self, options: SyncOptions, state: SyncState, progress: Progress
    ) -> Iterator[Batch]:
        ig_user_id = self.settings.ig_user_id or self.api.account_id_of_page(self.settings.page_id)
        profile = self.api.account(ig_user_id)
        name = str(profile.get("username") or profile.get("name") or "")
        account = Account(PLATFORM, ACCOUNT_KIND, ig_user_id, name)
        run = Run(account, profile, options, state, Refusals(progress))
        parts = [
            ("account", Stream(run, self._account_insights)),
            ("media", Stream(run, self._media)),
        ]
        yield from PartsCollector(PLATFORM, parts).collect(options, state, progress)

    # --- account ---------------------------------------------------------------------------

    def _account_insights(self, run: Run) -> Iterator[Batch]:
        account, options, refusals = run.account, run.options, run.refusals
        refusals.progress.stage(f"{PLATFORM}/account/insights")
        uid = account.external_id
        followers = run.profile.get("followers_count")
        level = Page()
        if isinstance(followers, int | float):
            level.values.append(
                MetricValue(
                    "followers_count",
                    float(followers),
                    options.today,
                    options.today,
                    "day",
                    "total",
                )
            )
        yield Batch(account, level)
        metrics = list(self.settings.account_metrics)
        series = [m for m in metrics if m in SERIES_METRICS]
        totals = [m for m in metrics if m not in SERIES_METRICS]
        small = isinstance(followers, int | float) and followers < MIN_FOLLOWERS
        if "follower_count" in series and small:
            series.remove("follower_count")
            refusals.progress.warn(
                f"{PLATFORM}: Meta gives follower_count (new followers per day) only for "
                f"accounts with at least {MIN_FOLLOWERS} followers (this one has "
                f"{followers:.0f}); the other metrics were collected"
            )
        end = min(options.today - timedelta(days=1), last_complete_pacific_day(options.now))
        start = options.start_for(
            run.state.bookmark(account, "account_daily"), options.organic_lookback_days
        )
        start = max(start, end - timedelta(days=HISTORY_DAYS - 1))
        recent = end - timedelta(days=FOLLOWER_DAYS - 1)  # follower_count reaches no further
        # total_value metrics cost a request per day: a first sync asks the last TOTALS_DAYS
        # days of them, not the whole backfill (an explicit --since is honoured).
        totals_from = start if options.since else max(start, end - timedelta(days=TOTALS_DAYS - 1))
        while start <= end:
            last = min(end, start + timedelta(days=SERIES_DAYS - 1))
            page = Page(bookmarks={"account_daily": last.isoformat()})
            values: list[tuple[str, date, float]] = []
            # follower_count reaches back 30 days only: before that it gets its own window.
            windows = [(series, start)]
            if "follower_count" in series and start < recent:
                windows = [([m for m in series if m != "follower_count"], start)]
                if last >= recent:
                    windows.append((["follower_count"], recent))
            for asked, first in windows:
                fetch = partial(self.api.series, uid, first=first, last=last)
                for metric, days in refusals.ask("account", asked, fetch).items():
                    values += [(metric, day, value) for day, value in days.items()]
            day = max(start, totals_from)
            while day <= last:
                totals_of_day = partial(self.api.day_totals, uid, day=day)
                found = refusals.ask("account", totals, totals_of_day)
                values += [(metric, day, value) for metric, value in found.items()]
                day += timedelta(days=1)
            page.values = [
                MetricValue(metric, value, day, day, "day", "total")
                for metric, day, value in sorted(values)
            ]
            page.retired_metrics = refusals.take()
            refusals.progress.advance(f"{PLATFORM}: account insights to {last}")
            yield Batch(account, page)
            start = last + timedelta(days=1)

    # --- media -----------------------------------------------------------------------------

    def _media(self, run: Run) -> Iterator[Batch]:
        """Media published since the refresh horizon (first sync: backfill) with insights."""
        account, options, refusals = run.account, run.options, run.refusals
        refusals.progress.stage(f"{PLATFORM}/media")
        zone = ZoneInfo(options.timezone)
        covered = run.state.bookmark(account, "media_since")
        since = options.listing_start(covered, run.state.bookmark(account, "media_listed"))
        listed = 0
        for rows, last_page in self.api.media(account.external_id):
            fresh = [r for r in rows if _published(r).astimezone(zone).date() >= since]
            done = last_page or len(fresh) < len(rows)  # newest first: the rest is older
            page = Page()
            for row in fresh:
                self._one_media(page, row, options, zone, refusals)
            page.retired_metrics = refusals.take()
            listed += len(fresh)
            if done:
                page.bookmarks["media_listed"] = options.today.isoformat()
                page.bookmarks["media_since"] = options.covered(since, covered)
            refusals.progress.advance(f"{PLATFORM}: {listed} posts and reels listed")
            yield Batch(account, page)
            if done:
                return

    def _one_media(
        self,
        page: Page,
        row: dict[str, Any],
        options: SyncOptions,
        zone: ZoneInfo,
        refusals: Refusals,
    ) -> None:
        product = str(row.get("media_product_type") or "FEED").upper()
        if product in SKIPPED_PRODUCTS:
            return
        media_id = str(row["id"])
        caption = str(row.get("caption") or "")
        published = _published(row)
        page.posts.append(
            Post(
                platform=PLATFORM,
                external_id=media_id,
                published_at=published,
                caption=caption,
                link=str(row.get("permalink") or ""),
                format="video"
                if product == "REELS"
                else FORMATS.get(str(row.get("media_type")), ""),
                tags=tuple(dict.fromkeys(t.lower() for t in re.findall(r"#(\w+)", caption))),
            )
        )
        lifetime = refusals.ask(
            product,
            list(self.settings.media_metrics),
            partial(self.api.media_insights, media_id),
        )
        counters = {m: v for m, v in lifetime.items() if m not in UNIQUE_METRICS}
        if counters:
            page.snapshots.append(Snapshot(media_id, options.now, counters))
        day = published.astimezone(zone).date()
        for metric in sorted(UNIQUE_METRICS & lifetime.keys()):
            page.values.append(
                MetricValue(
                    metric,
                    lifetime[metric],
                    day,
                    max(day, options.today),
                    "lifetime",
                    "total",
                    subject_type="post",
                    subject_external_id=media_id,
                )
            )


def _published(row: dict[str, Any]) -> datetime:
    """A media row's `timestamp` ("2026-06-01T17:05:11+0000") as an aware datetime."""
    return datetime.strptime(str(row["timestamp"]), "%Y-%m-%dT%H:%M:%S%z")


def build(ctx: BuildContext) -> InstagramCollector:
    """The Instagram collector the config and the Facebook Page token allow."""
    settings = Settings.from_config(ctx.config)
    if not settings.ig_user_id and not settings.page_id:
        raise MissingCredentials(
            f"{PLATFORM}: nothing to collect; set page_id in the [facebook] section of "
            "social.toml (the Page the Instagram account is connected to), or ig_user_id in "
            "[instagram]"
        )
    token, _source = access_token(FACEBOOK, ctx.tokens)
    client = graph_client(ctx, settings.base_url, "instagram", token, platform=PLATFORM)
    return InstagramCollector(InstagramApi(client, graph_prefix(settings.api_version)), settings)
