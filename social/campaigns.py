"""Campaigns: validate and save a campaign with its members and KPI targets; load TOML files.

A campaign is a name, a flight (start..end, local dates), the platforms it runs
on, what belongs to it (members: hashtags, post ids, calendar slots, the
platforms' ad campaign ids), an optional partner and budget, and KPI targets.
The vocabulary (KPI names, origins, platforms, member kinds) is the one the
campaign report (`social.reports.campaign`, `social.reports.kpi`) reads, so
every target saved here is one the report can evaluate.

Every write validates the whole campaign first and then saves it in one
transaction, so a bad value leaves the database as it was.
"""

from __future__ import annotations

import difflib
import json
import re
import tomllib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from social.domain import PLATFORMS
from social.errors import SocialError
from social.reports.kpi import KPIS, LOWER_IS_BETTER, UNITS
from social.timeutil import to_utc_iso, utcnow

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
            "platforms": self.platforms or list(PLATFORMS),
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


# --- parsing the pieces users type ------------------------------------------------------------


def parse_platform(text: str, where: Where, *, allow_all: bool = False) -> str:
    value = str(text).strip().lower()
    if value in PLATFORMS or (allow_all and value == ALL):
        return value
    choices = list(PLATFORMS) + ([ALL] if allow_all else [])
    hint = difflib.get_close_matches(value, choices, n=1)
    suggestion = f"did you mean '{hint[0]}'? " if hint else ""
    raise FieldError(
        where, f"unknown platform '{text}'; {suggestion}use one of {', '.join(choices)}"
    )


def parse_kpi(text: str, where: Where) -> str:
    value = str(text).strip().lower().replace("-", "_").replace(" ", "_")
    value = KPI_ALIASES.get(value, value)
    if value in KPIS:
        return value
    hint = difflib.get_close_matches(value, list(KPIS) + list(KPI_ALIASES), n=1)
    suggestion = f"did you mean '{KPI_ALIASES.get(hint[0], hint[0])}'? " if hint else ""
    raise FieldError(where, f"unknown KPI '{text}'; {suggestion}use one of {', '.join(KPIS)}")


def parse_origin(text: str, where: Where) -> str:
    value = str(text).strip().lower()
    value = ORIGIN_ALIASES.get(value, value)
    if value in ORIGINS:
        return value
    raise FieldError(where, f"unknown origin '{text}'; use one of {', '.join(ORIGINS)}")


_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def parse_number(raw: str | float | int, where: Where, what: str) -> float:
    """A number as people type it: 400000, 400 000, 400_000, 1.2, 1,2 (a decimal comma)."""
    if isinstance(raw, bool):
        raise FieldError(where, f"{what} must be a number, not true/false")
    if isinstance(raw, int | float):
        return float(raw)
    text = str(raw).strip()
    for space in (" ", "\xa0", "\u202f", "_"):
        text = text.replace(space, "")
    if "," in text:
        if "." in text or text.count(",") > 1 or re.search(r",\d{3}$", text):
            raise FieldError(
                where,
                f"{what} '{raw}' is ambiguous; write it without thousands separators "
                "(400000) and with one decimal mark (1.2 or 1,2)",
            )
        text = text.replace(",", ".")
    if not _NUMBER.match(text):
        raise FieldError(where, f"{what} '{raw}' is not a number; write it like 400000 or 1.5")
    return float(text)


def parse_target_value(kpi: str, raw: str | float | int, where: Where) -> float:
    """A target value: rates (CTR, engagement rate) as percents ('1.2%', '1,2 %'), else numbers."""
    text = raw.strip() if isinstance(raw, str) else raw
    if UNITS.get(kpi) == "ratio":
        if not isinstance(text, str) or not text.endswith("%"):
            raise FieldError(
                where,
                f"{kpi} is a percentage; write the target with a percent sign, e.g. "
                f"{kpi}=1.2% (got {raw!r})",
            )
        value = parse_number(text[:-1], where, f"{kpi} target") / 100
        if not 0 < value <= 1:
            raise FieldError(where, f"{kpi} target {raw} must be above 0% and at most 100%")
        return value
    if isinstance(text, str) and text.endswith("%"):
        raise FieldError(
            where, f"{kpi} is not a percentage; write a plain number, e.g. {kpi}=400000"
        )
    value = parse_number(text, where, f"{kpi} target")
    if value <= 0:
        raise FieldError(where, f"{kpi} target must be above 0 (got {raw})")
    if kpi in COUNT_KPIS and value != int(value):
        raise FieldError(where, f"{kpi} target must be a whole number (got {raw})")
    return value


def parse_scope(text: str, where: Where) -> tuple[str, str, str]:
    """KPI[:ORIGIN[:PLATFORM]] with defaults total and all."""
    parts = [p.strip() for p in text.split(":")]
    if not parts[0] or len(parts) > 3:
        raise FieldError(
            where,
            f"'{text}' is not KPI[:ORIGIN[:PLATFORM]]; write it like views, "
            "reach:paid:tiktok or ctr:paid",
        )
    kpi = parse_kpi(parts[0], where)
    origin = parse_origin(parts[1], where) if len(parts) > 1 and parts[1] else "total"
    platform = parse_platform(parts[2], where, allow_all=True) if len(parts) > 2 else ALL
    return kpi, origin, platform


def parse_target(text: str, where: Where) -> Target:
    """KPI[:ORIGIN[:PLATFORM]]=VALUE, e.g. views=400000, reach:paid:tiktok=150000, ctr:paid=1.2%."""
    if "=" not in text:
        raise FieldError(
            where,
            f"'{text}' has no value; write KPI[:ORIGIN[:PLATFORM]]=VALUE, e.g. views=400000",
        )
    key, raw = text.split("=", 1)
    try:
        kpi, origin, platform = parse_scope(key, where)
        value = parse_target_value(kpi, raw, where)
    except FieldError as exc:
        raise FieldError(where, f"'{text}': {exc.detail}") from None
    return Target(kpi, origin, platform, value, where)


def parse_hashtag(text: str, where: Where) -> Member:
    tag = str(text).strip().lstrip("#")
    if not tag or not re.fullmatch(r"\w+", tag):
        raise FieldError(
            where,
            f"'{text}' is not a hashtag; give one word of letters, digits or _, e.g. realfag",
        )
    return Member("hashtag", tag.lower(), "", where)


def parse_platform_id(kind: str, text: str, where: Where) -> Member:
    """PLATFORM:ID for posts and ad campaigns (a bare LinkedIn URN is a LinkedIn post)."""
    raw = str(text).strip()
    example = "tiktok:7301234567890123456" if kind == "post" else "tiktok:1780000000000002"
    if kind == "post" and raw.startswith("urn:li:"):
        platform, ident = "linkedin", raw
    elif ":" in raw:
        prefix, ident = raw.split(":", 1)
        try:
            platform = parse_platform(prefix, where)
        except FieldError as exc:
            raise FieldError(
                where, f"'{text}': {exc.detail}; write PLATFORM:ID, e.g. {example}"
            ) from None
        ident = ident.strip()
    else:
        raise FieldError(where, f"'{text}' names no platform; write PLATFORM:ID, e.g. {example}")
    if not ident or re.search(r"\s", ident):
        raise FieldError(where, f"'{text}' has no usable id; write PLATFORM:ID, e.g. {example}")
    return Member(kind, ident, platform, where)


def parse_slot(text: str, where: Where) -> Member:
    value = str(text).strip()
    if not value:
        raise FieldError(
            where, "empty calendar slot; give the slot's uid (see 'social calendar list')"
        )
    return Member("slot", value, "", where)


def parse_date_value(raw: Any, where: Where, what: str) -> date:
    if isinstance(raw, datetime):
        raise FieldError(where, f"{what} must be a date (YYYY-MM-DD), not a date and time")
    if isinstance(raw, date):
        return raw
    try:
        return date.fromisoformat(str(raw).strip())
    except ValueError:
        raise FieldError(
            where, f"'{raw}' is not a date; write {what} as YYYY-MM-DD, e.g. 2026-09-01"
        ) from None


def parse_currency(text: str, where: Where) -> str:
    from babel.numbers import is_currency

    code = str(text).strip().upper()
    if not re.fullmatch(r"[A-Z]{3}", code) or not is_currency(code):
        raise FieldError(
            where, f"unknown currency '{text}'; use a three-letter ISO code such as NOK, EUR, USD"
        )
    return code


def parse_budget(raw: str | float | int, where: Where) -> float:
    value = parse_number(raw, where, "budget")
    if value < 0:
        raise FieldError(where, f"budget must not be negative (got {raw})")
    return value


def clean_name(text: str, where: Where) -> str:
    name = " ".join(str(text).split())
    if not name:
        raise FieldError(where, "the campaign name is empty; give a name like 'Realfag høst 2026'")
    if len(name) > MAX_NAME:
        raise FieldError(where, f"the campaign name is longer than {MAX_NAME} characters")
    return name


# --- validating a whole campaign --------------------------------------------------------------


def validate(db: Database, spec: CampaignSpec, *, current_id: int | None = None) -> None:
    """Check what single fields cannot: the period, platforms, partner, slots, duplicates."""
    if spec.end < spec.start:
        raise FieldError(
            ("end",),
            f"the end {spec.end} is before the start {spec.start}; "
            "give an end on or after the start",
        )
    clash = next(
        (
            (cid, name)
            for cid, name in db.execute("SELECT id, name FROM campaigns")
            if name.casefold() == spec.name.casefold() and cid != current_id
        ),
        None,
    )
    if clash:
        raise FieldError(
            ("name",),
            f"a campaign named '{clash[1]}' already exists; pick another name or change it "
            f"with 'social campaign edit \"{clash[1]}\"'",
        )
    if spec.partner is not None and partner_id(db, spec.partner) is None:
        raise FieldError(
            ("partner",),
            f"unknown partner '{spec.partner}'; see 'social partner list' or add it with "
            "'social partner add'",
        )
    allowed = set(spec.platforms or PLATFORMS)
    wanted = ", ".join(spec.platforms)
    seen_members: dict[tuple[str, str, str], Member] = {}
    for m in spec.members:
        if m.platform and m.platform not in allowed:
            raise FieldError(
                m.where or (m.kind + "s",),
                f"{m.kind.replace('_', ' ')} {m.text()} is on {m.platform}, but the campaign "
                f"runs on {wanted}; add {m.platform} to its platforms or drop the {m.kind.replace('_', ' ')}",
            )
        if m.key in seen_members:
            raise FieldError(m.where or (m.kind + "s",), f"{m.text()} is given twice")
        seen_members[m.key] = m
        # Only slots given now are checked: a slot deleted later must not block every edit.
        if m.kind == "slot" and m.where and not _slot_exists(db, m.value):
            raise FieldError(
                m.where or ("slots",),
                f"no calendar slot '{m.value}'; see 'social calendar list' for slot uids",
            )
    seen_targets: set[tuple[str, str, str]] = set()
    for t in spec.targets:
        where = t.where or ("targets",)
        if t.platform != ALL and t.platform not in allowed:
            raise FieldError(
                (*where, "platform"),
                f"target {t.scope_text()} is for {t.platform}, but the campaign runs on "
                f"{wanted}; add {t.platform} to its platforms or change the target",
            )
        if t.kpi in PAID_ONLY and t.origin == "organic":
            raise FieldError(
                (*where, "origin"),
                f"{t.kpi} has no organic value (it comes from ad spend); use {t.kpi}:paid "
                f"or {t.kpi}:total",
            )
        if t.scope in seen_targets:
            raise FieldError(where, f"target {t.scope_text()} is given twice; keep one")
        seen_targets.add(t.scope)


def _by_name(db: Database, table: str, name: str) -> tuple[int, str] | None:
    """(id, stored name) of the row named so, in any letter case (also æøå, which NOCASE misses)."""
    exact = db.execute(f"SELECT id, name FROM {table} WHERE name = ?", [name]).fetchone()
    if exact:
        return int(exact[0]), str(exact[1])
    wanted = name.casefold()
    for row_id, row_name in db.execute(f"SELECT id, name FROM {table} ORDER BY id"):
        if str(row_name).casefold() == wanted:
            return int(row_id), str(row_name)
    return None


def partner_id(db: Database, name: str) -> int | None:
    found = _by_name(db, "partners", name)
    return found[0] if found else None


def _partner_name(db: Database, name: str | None) -> str | None:
    """The partner's name as stored (the user may type another letter case)."""
    if name is None:
        return None
    found = _by_name(db, "partners", name)
    return found[1] if found else name


def _slot_exists(db: Database, value: str) -> bool:
    row = db.execute(
        "SELECT 1 FROM calendar_slots WHERE uid = ? OR CAST(id AS TEXT) = ?", [value, value]
    ).fetchone()
    return row is not None


# --- reading and writing ----------------------------------------------------------------------


def campaign_id(db: Database, name: str) -> int | None:
    found = _by_name(db, "campaigns", " ".join(name.split()))
    return found[0] if found else None


def unknown_campaign(db: Database, name: str) -> SocialError:
    known = [r[0] for r in db.execute("SELECT name FROM campaigns ORDER BY name")]
    close = difflib.get_close_matches(name, known, n=1)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    listing = "; see 'social campaign list'" if known else "; create it with 'social campaign add'"
    return SocialError(f"unknown campaign '{name}'{hint}{listing}")


def load_campaign(db: Database, name: str) -> tuple[int, CampaignSpec]:
    """The campaign of that name (any letter case) with its members and targets."""
    cid = campaign_id(db, name)
    if cid is None:
        raise unknown_campaign(db, name)
    return cid, _load(db, cid)


def _load(db: Database, cid: int) -> CampaignSpec:
    row = db.execute(
        """SELECT c.name, c.start_date, c.end_date, c.platforms, p.name, c.budget, c.currency,
                  c.description
           FROM campaigns c LEFT JOIN partners p ON p.id = c.partner_id WHERE c.id = ?""",
        [cid],
    ).fetchone()
    try:
        stored = json.loads(row[3] or "[]")
    except json.JSONDecodeError:
        stored = []
    platforms = [p for p in PLATFORMS if p in stored]
    members = [
        Member(kind, value, platform or "")
        for kind, value, platform in db.execute(
            "SELECT kind, value, platform FROM campaign_members WHERE campaign_id = ? "
            "ORDER BY rowid",
            [cid],
        )
    ]
    targets = [
        Target(kpi, origin, platform, float(value))
        for kpi, origin, platform, value in db.execute(
            "SELECT kpi, origin, platform, target FROM kpi_targets WHERE campaign_id = ? "
            "ORDER BY id",
            [cid],
        )
    ]
    return CampaignSpec(
        name=row[0],
        start=date.fromisoformat(row[1]),
        end=date.fromisoformat(row[2]),
        platforms=platforms,
        partner=row[4],
        budget=float(row[5]) if row[5] is not None else None,
        currency=row[6] or DEFAULT_CURRENCY,
        description=row[7] or "",
        members=members,
        targets=targets,
    )


def list_campaigns(db: Database) -> list[CampaignSpec]:
    """Every campaign, newest start first."""
    ids = [int(r[0]) for r in db.execute("SELECT id FROM campaigns ORDER BY start_date DESC, name")]
    return [_load(db, cid) for cid in ids]


def save(db: Database, spec: CampaignSpec, *, current_id: int | None = None) -> int:
    """Validate and write one campaign (insert, or replace the campaign with current_id)."""
    with db.atomic():
        return _save(db, spec, current_id)


def _save(db: Database, spec: CampaignSpec, current_id: int | None) -> int:
    validate(db, spec, current_id=current_id)
    now = to_utc_iso(utcnow())
    values = {
        "name": spec.name,
        "start_date": spec.start.isoformat(),
        "end_date": spec.end.isoformat(),
        "platforms": json.dumps([p for p in PLATFORMS if p in spec.platforms]),
        "partner_id": partner_id(db, spec.partner) if spec.partner else None,
        "budget": spec.budget,
        "currency": spec.currency,
        "description": spec.description,
        "updated_at": now,
    }
    if current_id is None:
        cursor = db.execute(
            f"INSERT INTO campaigns ({', '.join(values)}, created_at) "
            f"VALUES ({', '.join('?' * len(values))}, ?)",
            [*values.values(), now],
        )
        cid = int(cursor.lastrowid or 0)
    else:
        cid = current_id
        db.execute(
            f"UPDATE campaigns SET {', '.join(f'{k} = ?' for k in values)} WHERE id = ?",
            [*values.values(), cid],
        )
    db.execute("DELETE FROM campaign_members WHERE campaign_id = ?", [cid])
    db.execute("DELETE FROM kpi_targets WHERE campaign_id = ?", [cid])
    for m in spec.members:
        db.execute(
            "INSERT INTO campaign_members (campaign_id, kind, value, platform) VALUES (?, ?, ?, ?)",
            [cid, m.kind, m.value, m.platform],
        )
    for t in spec.targets:
        db.execute(
            "INSERT INTO kpi_targets (campaign_id, kpi, origin, platform, target) "
            "VALUES (?, ?, ?, ?, ?)",
            [cid, t.kpi, t.origin, t.platform, t.value],
        )
    return cid


def remove(db: Database, name: str) -> tuple[str, int, int]:
    """Delete a campaign with its members and targets; detach calendar slots and briefs.

    Returns (name, detached slots, detached briefs). Slots and briefs keep
    existing; they only stop pointing at an id a later campaign could reuse.
    """
    cid, spec = load_campaign(db, name)
    with db.atomic():
        slots = db.execute(
            "UPDATE calendar_slots SET campaign_id = NULL WHERE campaign_id = ?", [cid]
        ).rowcount
        briefs = db.execute(
            "UPDATE briefs SET campaign_id = NULL WHERE campaign_id = ?", [cid]
        ).rowcount
        db.execute("DELETE FROM campaigns WHERE id = ?", [cid])
    return spec.name, int(slots or 0), int(briefs or 0)


# --- building a spec from options (add and edit) ----------------------------------------------


@dataclass
class Changes:
    """What `add`/`edit` were given; None or empty means 'not given'."""

    start: str | None = None
    end: str | None = None
    platforms: Sequence[str] = ()
    hashtags: Sequence[str] = ()
    posts: Sequence[str] = ()
    slots: Sequence[str] = ()
    ad_campaigns: Sequence[str] = ()
    partner: str | None = None
    budget: str | None = None
    currency: str | None = None
    targets: Sequence[str] = ()
    description: str | None = None
    # edit only
    rename: str | None = None
    remove_targets: Sequence[str] = ()
    remove_members: Sequence[tuple[str, str]] = ()  # (kind, text)
    replace_members: bool = False
    replace_targets: bool = False
    no_partner: bool = False
    no_budget: bool = False

    def empty(self) -> bool:
        """True when no option was given (an empty --description "" still counts)."""
        return all(
            value is None or value is False or (not isinstance(value, str) and len(value) == 0)
            for value in (getattr(self, f.name) for f in fields(self))
        )


def _members_from(changes: Changes) -> list[Member]:
    out: list[Member] = []
    out += [parse_hashtag(h, ("hashtags", i)) for i, h in enumerate(changes.hashtags)]
    out += [parse_platform_id("post", p, ("posts", i)) for i, p in enumerate(changes.posts)]
    out += [parse_slot(s, ("slots", i)) for i, s in enumerate(changes.slots)]
    out += [
        parse_platform_id("ad_campaign", a, ("ad_campaigns", i))
        for i, a in enumerate(changes.ad_campaigns)
    ]
    return out


def _platforms_from(values: Iterable[str], where: Where) -> list[str]:
    chosen = {parse_platform(p, where) for p in values}
    return [p for p in PLATFORMS if p in chosen]


def new_spec(
    db: Database, name: str, changes: Changes, *, default_currency: str = DEFAULT_CURRENCY
) -> CampaignSpec:
    """The campaign `add` describes (parsed, not yet validated against the database)."""
    if changes.start is None or changes.end is None:
        raise FieldError(("start",), "a campaign needs --start and --end (YYYY-MM-DD)")
    return CampaignSpec(
        name=clean_name(name, ("name",)),
        start=parse_date_value(changes.start, ("start",), "the start"),
        end=parse_date_value(changes.end, ("end",), "the end"),
        platforms=_platforms_from(changes.platforms, ("platforms",)),
        partner=_partner_name(db, changes.partner.strip()) if changes.partner else None,
        budget=parse_budget(changes.budget, ("budget",)) if changes.budget is not None else None,
        currency=parse_currency(changes.currency or default_currency, ("currency",)),
        description=(changes.description or "").strip(),
        members=_members_from(changes),
        targets=[parse_target(t, ("targets", i)) for i, t in enumerate(changes.targets)],
    )


def edited_spec(db: Database, old: CampaignSpec, changes: Changes) -> CampaignSpec:
    """The campaign after `edit`: scalars replaced, members and targets added or removed."""
    spec = replace(old, members=list(old.members), targets=list(old.targets))
    if changes.rename is not None:
        spec.name = clean_name(changes.rename, ("rename",))
    if changes.start is not None:
        spec.start = parse_date_value(changes.start, ("start",), "the start")
    if changes.end is not None:
        spec.end = parse_date_value(changes.end, ("end",), "the end")
    if changes.platforms:
        spec.platforms = _platforms_from(changes.platforms, ("platforms",))
    if changes.no_partner:
        spec.partner = None
    elif changes.partner is not None:
        spec.partner = _partner_name(db, changes.partner.strip())
    if changes.no_budget:
        spec.budget = None
    elif changes.budget is not None:
        spec.budget = parse_budget(changes.budget, ("budget",))
    if changes.currency is not None:
        spec.currency = parse_currency(changes.currency, ("currency",))
    if changes.description is not None:
        spec.description = changes.description.strip()

    for i, (kind, text) in enumerate(changes.remove_members):
        where: Where = ("remove_" + kind, i)
        gone = _parse_member(kind, text, where)
        kept = [m for m in spec.members if m.key != gone.key]
        if len(kept) == len(spec.members):
            raise FieldError(
                where, f"{gone.text()} is not a {kind.replace('_', ' ')} of '{old.name}'"
            )
        spec.members = kept
    for i, text in enumerate(changes.remove_targets):
        where = ("remove_targets", i)
        scope = parse_scope(text, where)
        kept_targets = [t for t in spec.targets if t.scope != scope]
        if len(kept_targets) == len(spec.targets):
            have = ", ".join(t.scope_text() for t in spec.targets) or "none"
            raise FieldError(
                where, f"'{old.name}' has no target {':'.join(scope)} (its targets: {have})"
            )
        spec.targets = kept_targets

    added = _members_from(changes)
    if changes.replace_members:
        spec.members = added
    else:
        have_keys = {m.key for m in spec.members}
        spec.members += [m for m in added if m.key not in have_keys]
    new_targets = [parse_target(t, ("targets", i)) for i, t in enumerate(changes.targets)]
    if changes.replace_targets:
        spec.targets = new_targets
    else:
        given = {t.scope for t in new_targets}
        if len(given) < len(new_targets):
            seen: set[tuple[str, str, str]] = set()
            for t in new_targets:
                if t.scope in seen:
                    raise FieldError(t.where, f"target {t.scope_text()} is given twice; keep one")
                seen.add(t.scope)
        # A target for a scope that already has one replaces it, in place.
        by_scope = {t.scope: t for t in new_targets}
        spec.targets = [by_scope.pop(t.scope, t) for t in spec.targets] + list(by_scope.values())
    return spec


def _parse_member(kind: str, text: str, where: Where) -> Member:
    if kind == "hashtag":
        return parse_hashtag(text, where)
    if kind == "slot":
        return parse_slot(text, where)
    return parse_platform_id(kind, text, where)


# --- TOML files -------------------------------------------------------------------------------

CAMPAIGN_KEYS = (
    "name",
    "start",
    "end",
    "platforms",
    "partner",
    "budget",
    "currency",
    "description",
    "hashtags",
    "posts",
    "slots",
    "ad_campaigns",
    "targets",
)
TARGET_KEYS = ("kpi", "origin", "platform", "value")


@dataclass
class ImportResult:
    """What an import did (or, with dry_run, would do) per campaign name."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def import_file(
    db: Database,
    path: Path,
    *,
    dry_run: bool = False,
    default_currency: str = DEFAULT_CURRENCY,
) -> ImportResult:
    """Add or update every campaign of a TOML file in one transaction (or none on any error)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SocialError(
            f"{path}: no such file; give the path of a campaigns .toml file"
        ) from None
    except UnicodeDecodeError:
        raise SocialError(f"{path}: not UTF-8 text; save the file as UTF-8") from None
    lines = TomlLines(path, text)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"line (\d+)", str(exc))
        line = found.group(1) if found else "1"
        raise SocialError(f"{path}:{line}: not valid TOML ({exc}); fix that line") from None
    specs = specs_from_toml(db, data, lines, default_currency=default_currency)
    result = ImportResult()
    try:
        with db.atomic():
            for index, spec in enumerate(specs):
                cid = campaign_id(db, spec.name)
                if cid is None:
                    result.added.append(spec.name)
                elif _load(db, cid).same_as(spec):
                    result.unchanged.append(spec.name)
                    continue
                else:
                    result.updated.append(spec.name)
                try:
                    _save(db, spec, cid)
                except FieldError as exc:
                    raise SocialError(
                        lines.message(("campaign", index, *exc.where), exc.detail)
                    ) from None
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return result


class _DryRun(Exception):
    """Raised inside the transaction so a dry run rolls back everything it checked."""


def specs_from_toml(
    db: Database,
    data: dict[str, Any],
    lines: TomlLines,
    *,
    default_currency: str = DEFAULT_CURRENCY,
) -> list[CampaignSpec]:
    """Parse the [[campaign]] tables; errors name the file, key path and line."""
    for key in data:
        if key != "campaign":
            raise SocialError(
                lines.message((key,), f"unknown key '{key}'; campaigns go in [[campaign]] tables")
            )
    campaigns = data.get("campaign")
    if not isinstance(campaigns, list) or not campaigns:
        raise SocialError(
            lines.message(
                ("campaign",),
                "no campaigns; write each one as a [[campaign]] table with name, start and end",
            )
        )
    specs: list[CampaignSpec] = []
    names: dict[str, int] = {}
    for index, table in enumerate(campaigns):
        try:
            spec = _spec_from_table(db, table, default_currency)
        except FieldError as exc:
            raise SocialError(lines.message(("campaign", index, *exc.where), exc.detail)) from None
        first = names.setdefault(spec.name.casefold(), index)
        if first != index:
            raise SocialError(
                lines.message(
                    ("campaign", index, "name"),
                    f"'{spec.name}' is also campaign[{first}] in this file; names must be unique",
                )
            )
        specs.append(spec)
    return specs


def _spec_from_table(db: Database, table: Any, default_currency: str) -> CampaignSpec:
    if not isinstance(table, dict):
        raise FieldError((), "each campaign must be a [[campaign]] table")
    for key in table:
        if key not in CAMPAIGN_KEYS:
            hint = difflib.get_close_matches(key, CAMPAIGN_KEYS, n=1)
            suggestion = (
                f"did you mean '{hint[0]}'?" if hint else f"known: {', '.join(CAMPAIGN_KEYS)}"
            )
            raise FieldError((key,), f"unknown key '{key}'; {suggestion}")
    for key in ("name", "start", "end"):
        if key not in table:
            raise FieldError((), f"missing '{key}'; every campaign needs name, start and end")
    name = _typed(table, "name", str)
    budget_raw = table.get("budget")
    currency = table.get("currency")
    budget: float | None = None
    if isinstance(budget_raw, dict):
        for key in budget_raw:
            if key not in ("amount", "currency"):
                raise FieldError(("budget", key), f"unknown key '{key}'; use amount and currency")
        if "amount" not in budget_raw:
            raise FieldError(
                ("budget",),
                'budget has no amount; write budget = { amount = 60000, currency = "NOK" }',
            )
        budget = parse_budget(budget_raw["amount"], ("budget", "amount"))
        if "currency" in budget_raw:
            if currency is not None:
                raise FieldError(
                    ("currency",), "the currency is given twice (here and in budget); keep one"
                )
            currency = budget_raw["currency"]
            currency_where: Where = ("budget", "currency")
        else:
            currency_where = ("currency",)
    else:
        if budget_raw is not None:
            budget = parse_budget(budget_raw, ("budget",))
        currency_where = ("currency",)
    if currency is not None and not isinstance(currency, str):
        raise FieldError(currency_where, 'the currency must be a string such as "NOK"')

    members: list[Member] = []
    for i, tag in enumerate(_string_list(table, "hashtags")):
        members.append(parse_hashtag(tag, ("hashtags", i)))
    for i, post in enumerate(_string_list(table, "posts")):
        members.append(parse_platform_id("post", post, ("posts", i)))
    for i, slot in enumerate(_string_list(table, "slots")):
        members.append(parse_slot(slot, ("slots", i)))
    ads = table.get("ad_campaigns", {})
    if not isinstance(ads, dict):
        raise FieldError(
            ("ad_campaigns",),
            'ad_campaigns must be a table of platform = [ids], e.g. { tiktok = ["1780..."] }',
        )
    for platform_key, ids in ads.items():
        platform = parse_platform(platform_key, ("ad_campaigns", platform_key))
        if isinstance(ids, str | int):
            ids = [ids]
        if not isinstance(ids, list):
            raise FieldError(("ad_campaigns", platform_key), "must be a list of ad campaign ids")
        for i, ident in enumerate(ids):
            if not isinstance(ident, str | int) or isinstance(ident, bool):
                raise FieldError(
                    ("ad_campaigns", platform_key, i), "an ad campaign id must be a string"
                )
            members.append(
                parse_platform_id(
                    "ad_campaign", f"{platform}:{ident}", ("ad_campaigns", platform_key, i)
                )
            )

    targets_raw = table.get("targets", [])
    if not isinstance(targets_raw, list):
        raise FieldError(("targets",), "targets must be a list of { kpi, origin, platform, value }")
    targets = [_target_from_toml(item, ("targets", i)) for i, item in enumerate(targets_raw)]
    description = table.get("description", "")
    if not isinstance(description, str):
        raise FieldError(("description",), "description must be a string")
    partner = table.get("partner")
    if partner is not None and (not isinstance(partner, str) or not partner.strip()):
        raise FieldError(
            ("partner",), "partner must be a partner's name (see 'social partner list')"
        )
    return CampaignSpec(
        name=clean_name(name, ("name",)),
        start=parse_date_value(table["start"], ("start",), "start"),
        end=parse_date_value(table["end"], ("end",), "end"),
        platforms=[
            parse_platform(p, ("platforms", i))
            for i, p in enumerate(_string_list(table, "platforms"))
        ],
        partner=_partner_name(db, partner.strip()) if partner else None,
        budget=budget,
        currency=parse_currency(currency or default_currency, currency_where),
        description=description.strip(),
        members=members,
        targets=targets,
    )


def _target_from_toml(item: Any, where: Where) -> Target:
    if isinstance(item, str):
        return parse_target(item, where)
    if not isinstance(item, dict):
        raise FieldError(where, 'a target is { kpi = "views", value = 400000 } or "views=400000"')
    for key in item:
        if key not in TARGET_KEYS:
            hint = difflib.get_close_matches(key, TARGET_KEYS, n=1)
            suggestion = (
                f"did you mean '{hint[0]}'?" if hint else f"known: {', '.join(TARGET_KEYS)}"
            )
            raise FieldError((*where, key), f"unknown key '{key}'; {suggestion}")
    for key in ("kpi", "value"):
        if key not in item:
            raise FieldError(
                where, f'the target has no {key}; write {{ kpi = "views", value = 400000 }}'
            )
    kpi = parse_kpi(item["kpi"], (*where, "kpi"))
    origin = parse_origin(item.get("origin", "total"), (*where, "origin"))
    platform = parse_platform(item.get("platform", ALL), (*where, "platform"), allow_all=True)
    value = parse_target_value(kpi, item["value"], (*where, "value"))
    return Target(kpi, origin, platform, value, where)


def _typed(table: dict[str, Any], key: str, kind: type) -> Any:
    value = table[key]
    if not isinstance(value, kind):
        raise FieldError((key,), f"{key} must be a {kind.__name__}, got {value!r}")
    return value


def _string_list(table: dict[str, Any], key: str) -> list[str]:
    value = table.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise FieldError((key,), f'{key} must be a list of strings, e.g. {key} = ["..."]')
    out = []
    for i, item in enumerate(value):
        if isinstance(item, bool) or not isinstance(item, str | int):
            raise FieldError((key, i), f"must be a string, got {item!r}")
        out.append(str(item))
    return out


class TomlLines:
    """Finds the line of a key path such as campaign[1].targets[2] in the TOML text.

    tomllib gives no positions for values, so this scans the text: the n-th
    [[campaign]] header, then the key inside that block (as `key =` or as a
    [campaign.key] / [[campaign.key]] header), then the n-th element of an
    inline array. Best effort: falls back to the nearest enclosing line.
    """

    HEADER = re.compile(r"^[ \t]*\[\[\s*campaign\s*\]\]\s*(#.*)?$", re.MULTILINE)

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.text = text
        starts = [m.start() for m in self.HEADER.finditer(text)]
        self.blocks = [
            (start, starts[i + 1] if i + 1 < len(starts) else len(text))
            for i, start in enumerate(starts)
        ]

    def message(self, where: Where, detail: str) -> str:
        return f"{self.path}:{self.line(where)}: {_path_text(where)}: {detail}"

    def line(self, where: Where) -> int:
        return self.text.count("\n", 0, self.offset(where)) + 1

    def offset(self, where: Where) -> int:
        if not where:
            return 0
        if where[0] != "campaign":
            found = self._key(str(where[0]), 0, len(self.text))
            return found if found is not None else 0
        if len(where) < 2 or not isinstance(where[1], int) or where[1] >= len(self.blocks):
            return self.blocks[0][0] if self.blocks else 0
        start, end = self.blocks[where[1]]
        position = start
        rest = list(where[2:])
        while rest:
            step = rest.pop(0)
            if isinstance(step, int):
                position = self._element(position, end, step)
                end = self._item_end(position, end)
                continue
            header = self._subtable(str(step), position, end)
            if header is not None and rest and isinstance(rest[0], int):
                # [[campaign.targets]]: the n-th such header is the n-th element.
                nth = self._subtables(str(step), position, end)
                index = int(rest.pop(0))
                if index < len(nth):
                    position = nth[index]
                    end = self._item_end(position, end)
                continue
            if header is not None:
                position = header
                end = self._item_end(position, end)
                continue
            found = self._key(str(step), position, end)
            if found is None:
                break
            position = found
        return position

    def _item_end(self, position: int, end: int) -> int:
        """Where the item at position ends: its line (inline), or the next [header]."""
        if self.text.startswith("[", position):
            following = re.compile(r"(?m)^[ \t]*\[").search(self.text, position + 1, end)
            return following.start() if following else end
        newline = self.text.find("\n", position, end)
        return newline if newline >= 0 else end

    def _key(self, key: str, start: int, end: int) -> int | None:
        pattern = re.compile(r'(?m)(^|[{,]\s*)["\']?' + re.escape(key) + r'["\']?\s*=')
        match = pattern.search(self.text, start, end)
        if match is None:
            return None
        return match.start() + len(match.group(1))

    def _subtables(self, key: str, start: int, end: int) -> list[int]:
        pattern = re.compile(r"(?m)^[ \t]*\[\[?\s*campaign\s*\.\s*" + re.escape(key) + r"\s*\]\]?")
        return [m.start() for m in pattern.finditer(self.text, start, end)]

    def _subtable(self, key: str, start: int, end: int) -> int | None:
        found = self._subtables(key, start, end)
        return found[0] if found else None

    def _element(self, position: int, end: int, index: int) -> int:
        """Offset of the index-th element of the array that follows `key =` at position."""
        text = self.text
        i = text.find("=", position, end)
        if i < 0:
            return position
        i = text.find("[", i, end)
        if i < 0:
            return position
        depth, count, quote = 0, 0, ""
        element_start: int | None = None
        while i < end:
            ch = text[i]
            if quote:
                if ch == "\\" and quote == '"':
                    i += 2
                    continue
                if ch == quote:
                    quote = ""
            elif ch == "#":
                nl = text.find("\n", i, end)
                i = end if nl < 0 else nl
                continue
            elif ch in "\"'":
                quote = ch
                if depth == 1 and element_start is None:
                    element_start = i
            elif ch in "[{":
                depth += 1
                if depth == 2 and element_start is None:
                    element_start = i
            elif ch in "]}":
                depth -= 1
                if depth == 0:
                    break
            elif ch == "," and depth == 1:
                if count == index and element_start is not None:
                    return element_start
                count += 1
                element_start = None
            elif depth == 1 and not ch.isspace() and element_start is None:
                element_start = i
            i += 1
        if count == index and element_start is not None:
            return element_start
        return position


def _path_text(where: Where) -> str:
    out = ""
    for step in where:
        if isinstance(step, int):
            out += f"[{step}]"
        else:
            out += ("." if out else "") + step
    return out or "file"


# --- for the CLI: one-line error naming the option ---------------------------------------------

OPTION_OF = {
    "name": "NAME",
    "rename": "--rename",
    "start": "--start",
    "end": "--end",
    "platforms": "--platform",
    "partner": "--partner",
    "budget": "--budget",
    "currency": "--currency",
    "hashtags": "--hashtag",
    "posts": "--post",
    "slots": "--slot",
    "ad_campaigns": "--ad-campaign",
    "targets": "--target",
    "remove_targets": "--remove-target",
    "remove_hashtag": "--remove-hashtag",
    "remove_post": "--remove-post",
    "remove_slot": "--remove-slot",
    "remove_ad_campaign": "--remove-ad-campaign",
}


def option_error(exc: FieldError) -> SocialError:
    """A FieldError as the CLI shows it: '--end: the end ... ; give ...'."""
    option = OPTION_OF.get(str(exc.where[0]), "") if exc.where else ""
    return SocialError(f"{option}: {exc.detail}" if option else exc.detail)


def run_cli(action: Callable[[], Any]) -> Any:
    """Run an action, turning a FieldError into the CLI's one-line message."""
    try:
        return action()
    except FieldError as exc:
        raise option_error(exc) from None
