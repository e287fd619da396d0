"""The contract between collectors and the sync orchestrator.

A collector fetches and yields `Batch`es (an account and one page of records);
it never writes SQL. What it needs to know about stored data (bookmarks, known
posts) it asks through `SyncState`, which the orchestrator implements.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Protocol

from core import registry
from core.domain import Account, Page

if TYPE_CHECKING:
    import httpx

    from collectors.auth import TokenStore
    from collectors.http import ApiClient
    from core.config import Config


@dataclass
class SyncOptions:
    """What a sync should cover."""

    now: datetime  # aware UTC
    today: date  # local date in the configured zone
    timezone: str
    since: date | None = None
    full: bool = False
    backfill_days: int = 365
    refresh_days: int = 90
    ads_lookback_days: int = 7
    organic_lookback_days: int = 5

    @property
    def utc_today(self) -> date:
        """Today's date in UTC (the day boundary of platforms that count their days in UTC)."""
        return self.now.astimezone(UTC).date()

    def listing_start(self, covered_since: str | None, listed_on: str | None = None) -> date:
        """The first publish date a post listing asks for.

        --since wins; a first sync (or --full) goes back backfill_days; a later
        sync refreshes posts of the last refresh_days (and, after a long pause,
        everything since the day before the last complete listing), but never
        reaches before what earlier listings covered (`covered_since`): so a run
        that finishes an interrupted one lists exactly what one clean run lists.
        """
        if self.since is not None:
            return self.since
        if self.full or covered_since is None:
            return self.today - timedelta(days=self.backfill_days)
        start = self.today - timedelta(days=self.refresh_days)
        if listed_on is not None:
            start = min(start, date.fromisoformat(listed_on[:10]) - timedelta(days=1))
        return max(start, date.fromisoformat(covered_since[:10]))

    @staticmethod
    def covered(start: date, covered_since: str | None) -> str:
        """The new `covered_since` bookmark after a listing from `start` completed."""
        if covered_since is None:
            return start.isoformat()
        return min(start, date.fromisoformat(covered_since[:10])).isoformat()

    def start_for(self, bookmark: str | None, lookback_days: int) -> date:
        """First day to collect for a daily stream: --since, else backfill, else bookmark - lookback."""
        if self.since is not None:
            return self.since
        if self.full or bookmark is None:
            return self.today - timedelta(days=self.backfill_days)
        last = date.fromisoformat(bookmark[:10])
        return min(last, self.today) - timedelta(days=lookback_days)


class SyncState(Protocol):
    """Read-only view of what is already stored."""

    def bookmark(self, account: Account, stream: str) -> str | None: ...

    def known_posts(
        self,
        platform: str,
        *,
        published_since: datetime | None = None,
        organic_only: bool = False,
    ) -> list[str]:
        """Stored post ids of a platform; `organic_only` leaves out ad-only (dark) posts."""
        ...


@dataclass
class Batch:
    """One page of records for one account."""

    account: Account
    page: Page


@dataclass
class Progress:
    """Callbacks a collector uses to report progress, the stage it enters, and warnings.

    A stage is one bookmarked stream (e.g. "<platform>/ads/weeks"). Each stage keeps
    its own bookmark, saved with the page that completes it, so a run stopped
    between (or inside) stages is finished by the next run: no stage relies on
    another stage's bookmark.
    """

    on_advance: Callable[[str], None] = lambda description: None
    warnings: list[str] = field(default_factory=list)
    on_stage: Callable[[str], None] = lambda name: None

    def advance(self, description: str) -> None:
        self.on_advance(description)

    def stage(self, name: str) -> None:
        """Announce that the collector starts a stage (everything before it is stored)."""
        self.on_stage(name)

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)


class ApiPart:
    """One API a platform collector talks to: owns its client and counts its requests."""

    client: ApiClient

    def __init__(self, client: ApiClient) -> None:
        self.client = client

    @property
    def requests(self) -> int:
        return self.client.requests

    def close(self) -> None:
        self.client.close()


class Part(Protocol):
    """What collects: a platform's collector, or one of its parts (one API with its own token)."""

    @property
    def requests(self) -> int: ...

    def collect(
        self, options: SyncOptions, state: SyncState, progress: Progress
    ) -> Iterator[Batch]: ...

    def close(self) -> None: ...


class Collector(Part, Protocol):
    """One platform's collector."""

    platform: str


@dataclass
class BuildContext:
    """What a collector factory gets: config, token store, and test hooks."""

    config: Config
    tokens: TokenStore
    transport: httpx.BaseTransport | None = None
    sleep: Callable[[float], None] | None = None


def build_collector(platform: str, ctx: BuildContext) -> Collector:
    """Create the collector of a platform from the config (its record's `collector` factory)."""
    factory = registry.load(registry.platform(platform).collector)
    collector: Collector = factory(ctx)
    return collector
