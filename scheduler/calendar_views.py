"""Calendar views and small writes the web app needs: month and week grids, filters, claim,
move to another day, and post suggestions for linking a slot by hand (no SQL of its own).

Grids read only the slots inside their window (the planned-time index), so a
month costs the same with three years of calendar behind it. The pick lists and
a slot's owners come from their keepers (db.planning, scheduler.calendar,
scheduler.people) and are offered here for the web pages.
"""

from __future__ import annotations

import calendar as pycalendar
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from core.errors import SocialError
from core.timeutil import from_utc_iso, to_utc_iso
from db import planning
from db.planning import campaign_names as campaign_names
from db.planning import partner_names as partner_names
from scheduler.calendar import (
    Slot,
    SlotFields,
    get_slot,
    list_slots,
    resolve,
    update_slot,
)
from scheduler.calendar import owner_ids as owner_ids
from scheduler.calendar import tags_in_use as tags_in_use
from scheduler.people import person_names as person_names


@dataclass(frozen=True)
class Filters:
    """What the calendar shows: by person (owner), tag, campaign, platform, status."""

    owner: str | None = None
    tag: str | None = None
    campaign: str | None = None
    platform: str | None = None
    status: str | None = None

    def keep(self, slot: Slot) -> bool:
        if self.owner and self.owner.casefold() not in {o.casefold() for o in slot.owners}:
            return False
        if self.tag and self.tag.casefold() not in {t.casefold() for t in slot.tags}:
            return False
        if self.campaign and (slot.campaign or "").casefold() != self.campaign.casefold():
            return False
        if self.platform and slot.platform != self.platform:
            return False
        return not (self.status and slot.status != self.status)


@dataclass
class Day:
    """One day of a grid with its slots (local time order)."""

    date: date
    in_range: bool
    slots: list[Slot] = field(default_factory=list)


def _bounds(first: date, last: date, zone: str) -> tuple[datetime, datetime]:
    tz = ZoneInfo(zone)
    start = datetime.combine(first, time(0), tz)
    end = datetime.combine(last + timedelta(days=1), time(0), tz)
    return start, end


def _days(
    db: Database, first: date, last: date, zone: str, filters: Filters, in_range: Any
) -> list[Day]:
    start, end = _bounds(first, last, zone)
    slots = [s for s in list_slots(db, start=start, end=end) if filters.keep(s)]
    days = {
        first + timedelta(days=i): Day(first + timedelta(days=i), in_range(first + timedelta(i)))
        for i in range((last - first).days + 1)
    }
    for slot in slots:
        day = slot.local(zone).date()
        if day in days:
            days[day].slots.append(slot)
    return list(days.values())


def month_grid(db: Database, zone: str, year: int, month: int, filters: Filters) -> list[list[Day]]:
    """Weeks (Monday first) covering the month; days outside it are marked in_range=False."""
    first = date(year, month, 1)
    last = date(year, month, pycalendar.monthrange(year, month)[1])
    grid_first = first - timedelta(days=first.weekday())
    grid_last = last + timedelta(days=6 - last.weekday())
    days = _days(db, grid_first, grid_last, zone, filters, lambda d: d.month == month)
    return [days[i : i + 7] for i in range(0, len(days), 7)]


def week_grid(db: Database, zone: str, monday: date, filters: Filters) -> list[Day]:
    """The seven days of an ISO week with their slots."""
    return _days(db, monday, monday + timedelta(days=6), zone, filters, lambda d: True)


def upcoming(db: Database, now: datetime, days: int = 7) -> list[Slot]:
    """Slots planned from now to `days` ahead."""
    return list_slots(db, start=now, end=now + timedelta(days=days))


def claim_slot(db: Database, slot_id: int, member_id: int) -> Slot:
    """Take an unowned slot: the member becomes its owner."""
    with db.atomic():
        if owner_ids(db, slot_id):
            slot = get_slot(db, slot_id)
            raise SocialError(
                f"slot {slot_id} already belongs to {', '.join(slot.owners)}; ask the "
                "communications lead to change owners"
            )
        update_slot(db, slot_id, SlotFields(owner_ids=[member_id]))
    return get_slot(db, slot_id)


def move_to_day(db: Database, zone: str, slot_id: int, day: date) -> Slot:
    """Move a slot to another day at the same local time (phones see it via SEQUENCE)."""
    slot = get_slot(db, slot_id)
    local = slot.local(zone)
    text = f"{day.isoformat()} {local.strftime('%H:%M')}"
    update_slot(db, slot_id, resolve(db, zone, at=text))
    return get_slot(db, slot_id)


@dataclass(frozen=True)
class Suggestion:
    """A post that could be the one a slot was published as, with how close it is."""

    post_id: int
    external_id: str
    published_at: datetime
    caption: str
    hours_away: float
    confidence: float  # 1 at the planned time, falling to 0 at the window's edge

    def as_dict(self) -> dict[str, Any]:
        return {
            "post_id": self.post_id,
            "external_id": self.external_id,
            "published_at": to_utc_iso(self.published_at),
            "caption": self.caption,
            "hours_away": round(self.hours_away, 1),
            "confidence": round(self.confidence, 2),
        }


def suggest_posts(
    db: Database, slot: Slot, *, window_hours: float, limit: int = 5
) -> list[Suggestion]:
    """Unlinked posts of the slot's platform published within the window, closest first."""
    planned = from_utc_iso(slot.planned_at)
    window = timedelta(hours=window_hours)
    rows = planning.unlinked_posts(
        db,
        slot.platform,
        to_utc_iso(planned - window),
        to_utc_iso(planned + window),
        except_slot=slot.id,
    )
    out = []
    for pid, external, published, caption, _account in rows:
        moment = from_utc_iso(published)
        hours = abs((moment - planned).total_seconds()) / 3600
        confidence = max(0.0, 1 - hours / window_hours) if window_hours else 0.0
        out.append(Suggestion(int(pid), external, moment, caption or "", hours, confidence))
    out.sort(key=lambda s: s.hours_away)
    return out[:limit]
