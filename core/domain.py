"""Domain records that collectors and importers produce and `db` stores.

Collectors never write SQL; they yield these records in pages and the write
path in `db.writes` stores one page per transaction. Which platforms exist is
the registry's business (`core.registry`), not this module's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

Origin = Literal["organic", "paid", "total"]
Grain = Literal["day", "week", "month", "lifetime", "campaign", "window"]
SubjectType = Literal["account", "post", "ad"]
AdLevel = Literal["campaign", "adgroup", "ad"]


@dataclass(frozen=True)
class Account:
    """A platform account we collect from (a user, a Page, an organization, an ad account...)."""

    platform: str
    kind: str  # organic | business | ads | page | organization
    external_id: str
    name: str = ""


@dataclass
class Post:
    """A published post or video, as the platform describes it."""

    platform: str
    external_id: str
    published_at: datetime  # aware, any zone; stored as UTC
    caption: str = ""
    link: str = ""
    format: str = ""  # video | image | text | link | carousel
    duration_s: float | None = None
    tags: tuple[str, ...] = ()
    is_ad: bool = False


@dataclass
class Snapshot:
    """Lifetime-to-date counters of one post at one moment (rule 2)."""

    post_external_id: str
    captured_at: datetime
    values: dict[str, float]
    origin: str = "total"


@dataclass
class MetricValue:
    """One metric over an explicit window (rule 1), for an account, a post or an ad entity."""

    metric: str  # the platform's own metric name; see core.catalogue
    value: float
    window_start: date
    window_end: date  # inclusive
    grain: str
    origin: str
    subject_type: str = "account"
    subject_external_id: str | None = None  # post or ad entity id; None for the account


@dataclass
class AdEntity:
    """A paid campaign, ad group or ad.

    `start_date`/`end_date` (the flight, in the ad account's zone; end None while
    open-ended) are written only when `flight_known`, and `post_external_id` (the
    organic post an ad promotes; None for a dark post or a non-Spark ad) only when
    `post_known`, so a bare reference from a report row never erases them.
    """

    platform: str
    level: str
    external_id: str
    name: str = ""
    parent_external_id: str | None = None
    status: str = ""
    objective: str = ""
    start_date: date | None = None
    end_date: date | None = None
    flight_known: bool = False
    post_external_id: str | None = None
    post_known: bool = False


@dataclass
class Breakdown:
    """A post's latest split of its views by one dimension (fractions 0..1), replaced whole."""

    post_external_id: str
    dimension: str  # impression_source | audience_type | retention
    values: dict[str, float]
    captured_at: datetime


@dataclass
class Page:
    """One page of records, stored in one transaction together with its bookmarks."""

    posts: list[Post] = field(default_factory=list)
    snapshots: list[Snapshot] = field(default_factory=list)
    values: list[MetricValue] = field(default_factory=list)
    ad_entities: list[AdEntity] = field(default_factory=list)
    bookmarks: dict[str, str] = field(default_factory=dict)
    # (metric, platform's message) for metrics the platform refused as retired.
    retired_metrics: list[tuple[str, str]] = field(default_factory=list)
    breakdowns: list[Breakdown] = field(default_factory=list)

    def __len__(self) -> int:
        return (
            len(self.posts)
            + len(self.snapshots)
            + len(self.values)
            + len(self.ad_entities)
            + len(self.breakdowns)
        )
