"""Campaign records (spec, members, KPI targets), the shared vocabulary, and FieldError."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from core import registry
from core.errors import SocialError
from social.reports.kpi import KPIS, LOWER_IS_BETTER, UNITS

ORIGINS = ("organic", "paid", "total")
MEMBER_KINDS = ("hashtag", "post", "slot", "ad_campaign")
ALL = "all"
DEFAULT_CURRENCY = "NOK"
MAX_NAME = 100

# Other ways people write the KPI and origin names; the canonical names are the report's.
KPI_ALIASES = {
    "followers": "follower_gain",
    "followers_gained": "follower_gain",
    "new_followers": "follower_gain",
    "engagement": "engagement_rate",
    "cpc": "cost_per_click",
    "cpr": "cost_per_result",
    "click_through_rate": "ctr",
}
ORIGIN_ALIASES = {"sponsored": "paid", "ads": "paid"}
COUNT_KPIS = frozenset(k for k in KPIS if UNITS.get(k, "count") == "count")
# KPIs that only exist for ads (spend and what is computed from it): no organic value.
PAID_ONLY = frozenset(k for k in KPIS if UNITS.get(k) == "currency")

Where = tuple[str | int, ...]


class FieldError(SocialError):
    """A bad value, with where it was given: ('end',), ('targets', 2), ('posts', 0)..."""

    def __init__(self, where: Where, message: str) -> None:
        super().__init__(message)
        self.where = where
        self.detail = message


# --- records ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Member:
    """Something that belongs to a campaign; platform '' means any platform (hashtags, slots)."""

    kind: str
    value: str
    platform: str = ""
    where: Where = field(default=(), compare=False, repr=False)

    @property
    def key(self) -> tuple[str, str, str]:
        return (
            self.kind,
            self.value.lower() if self.kind == "hashtag" else self.value,
            self.platform,
        )

    def text(self) -> str:
        """How a user writes it: '#realfag', 'tiktok:7301...', the slot uid."""
        if self.kind == "hashtag":
            return "#" + self.value
        return f"{self.platform}:{self.value}" if self.platform else self.value


@dataclass(frozen=True)
class Target:
    """A KPI target for one origin (organic, paid, total) on one platform or all."""

    kpi: str
    origin: str
    platform: str
    value: float
    where: Where = field(default=(), compare=False, repr=False)

    @property
    def scope(self) -> tuple[str, str, str]:
        return (self.kpi, self.origin, self.platform)

    @property
    def unit(self) -> str:
        return UNITS.get(self.kpi, "count")

    def scope_text(self) -> str:
        return f"{self.kpi}:{self.origin}:{self.platform}"

    def value_text(self) -> str:
        """The value as it is written back: 1.2% for rates, 400000 for counts."""
        if self.unit == "ratio":
            return f"{_plain(self.value * 100)}%"
        return _plain(self.value)

    def text(self) -> str:
        return f"{self.scope_text()}={self.value_text()}"


@dataclass
class CampaignSpec:
    """A whole campaign as saved: the row, its members and its targets."""

    name: str
    start: date
    end: date
    platforms: list[str] = field(default_factory=list)  # empty: all platforms
    partner: str | None = None
    budget: float | None = None
    currency: str = DEFAULT_CURRENCY
    description: str = ""
    members: list[Member] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)

    def status(self, today: date) -> str:
        """planned before the start, ended after the end, running in between (local dates)."""
        if today < self.start:
            return "planned"
        if today > self.end:
            return "ended"
        return "running"

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def members_of(self, kind: str) -> list[Member]:
        return [m for m in self.members if m.kind == kind]

    def same_as(self, other: CampaignSpec) -> bool:
        """Equal in everything saved (member and target order aside)."""
        return (
            self.name == other.name
            and (self.start, self.end, self.partner, self.budget, self.currency)
            == (other.start, other.end, other.partner, other.budget, other.currency)
            and self.description == other.description
            and sorted(self.platforms) == sorted(other.platforms)
            and {m.key for m in self.members} == {m.key for m in other.members}
            and {(t.scope, t.value) for t in self.targets}
            == {(t.scope, t.value) for t in other.targets}
        )

    def to_json(self, today: date | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {
            "name": self.name,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "days": self.days,
            "platforms": self.platforms or list(registry.names()),
            "all_platforms": not self.platforms,
            "partner": self.partner,
            "budget": self.budget,
            "currency": self.currency,
            "description": self.description,
            "hashtags": [m.value for m in self.members_of("hashtag")],
            "posts": [{"platform": m.platform, "id": m.value} for m in self.members_of("post")],
            "slots": [m.value for m in self.members_of("slot")],
            "ad_campaigns": [
                {"platform": m.platform, "id": m.value} for m in self.members_of("ad_campaign")
            ],
            "targets": [
                {
                    "kpi": t.kpi,
                    "origin": t.origin,
                    "platform": t.platform,
                    "target": t.value,
                    "unit": t.unit,
                    "direction": "lower_is_better"
                    if t.kpi in LOWER_IS_BETTER
                    else "higher_is_better",
                }
                for t in self.targets
            ],
        }
        if today is not None:
            out["status"] = self.status(today)
        return out


def _plain(value: float) -> str:
    """12 for 12.0, 1.25 for 1.25 (no float noise)."""
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return text or "0"
