"""The content calendar as an RFC 5545 iCalendar feed (icalendar library).

Each slot is one VEVENT whose UID is the slot's uid (stable forever) and whose
SEQUENCE is the slot's sequence, so a phone that subscribed replaces the event
when the slot moves instead of adding a second one. Start times carry
TZID=Europe/Oslo (the configured zone) with the VTIMEZONE included, so the
local time is right on both sides of a daylight-saving change. Slots that still
need work get display alarms at the configured reminder hours.

A feed is a URL on phones and in calendar services, shared and synced beyond our
control, so it says how many people are in a video but never who, how old they
are or what is missing in their consent; the reminders and `social calendar
list` say that.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import timedelta
from typing import TYPE_CHECKING

from core import registry
from core.timeutil import from_utc_iso
from scheduler.calendar import STATUS_LABELS, Slot, list_slots

if TYPE_CHECKING:
    from icalendar import Calendar
    from sqlite_utils import Database

    from core.config import Config

PRODID = "-//social//content calendar//NB"
# Status of the event itself: an idea is not settled, a skipped slot is cancelled.
EVENT_STATUS = {"idea": "TENTATIVE", "skipped": "CANCELLED"}
# Slots in these states need nothing more, so they get no alarm.
NO_ALARM = ("published", "skipped")

TEXT = {
    "nb": {
        "calendar": "Innholdskalender",
        "platform": "Plattform",
        "owners": "Ansvarlig",
        "status": "Status",
        "tags": "Tema",
        "campaign": "Kampanje",
        "partner": "Partner",
        "appears": "I videoen",
        "people": "{n} person(er), se social calendar list",
        "post": "Publisert innlegg",
        "alarm": "Om {hours} t: {title}",
        "nobody": "ingen",
    },
    "en": {
        "calendar": "Content calendar",
        "platform": "Platform",
        "owners": "Owner",
        "status": "Status",
        "tags": "Themes",
        "campaign": "Campaign",
        "partner": "Partner",
        "appears": "In the video",
        "people": "{n} person(s), see social calendar list",
        "post": "Published post",
        "alarm": "In {hours} h: {title}",
        "nobody": "nobody",
    },
}


def summary(slot: Slot, lang: str) -> str:
    """'TikTok: title' (no consent or age details: a feed travels far)."""
    return f"{registry.display_name(slot.platform)}: {slot.title}"


def description(slot: Slot, lang: str) -> str:
    """The details a phone shows under the event, in the feed's language."""
    t = TEXT[lang]
    lines = [
        f"{t['platform']}: {registry.display_name(slot.platform)}",
        f"{t['owners']}: {', '.join(slot.owners) or t['nobody']}",
        f"{t['status']}: {STATUS_LABELS[lang][slot.status]}",
    ]
    if slot.tags:
        lines.append(f"{t['tags']}: {', '.join(slot.tags)}")
    if slot.campaign:
        lines.append(f"{t['campaign']}: {slot.campaign}")
    if slot.partner:
        lines.append(f"{t['partner']}: {slot.partner}")
    if slot.appearances:
        # Names of people in videos can carry an age ("Ola (16)"): only how many.
        lines.append(f"{t['appears']}: {t['people'].format(n=len(slot.appearances))}")
    if slot.post:
        lines.append(f"{t['post']}: {slot.post}")
    if slot.notes:
        lines.extend(["", slot.notes])
    return "\n".join(lines)


def build_calendar(
    slots: Sequence[Slot],
    *,
    zone: str,
    lang: str = "nb",
    before_hours: Sequence[float] = (24, 2),
    event_minutes: int = 30,
    name: str | None = None,
) -> Calendar:
    """An icalendar Calendar with one VEVENT per slot and the zone's VTIMEZONE."""
    from icalendar import Alarm, Calendar, Event

    lang = lang if lang in TEXT else "nb"
    title = name or TEXT[lang]["calendar"]
    cal = Calendar.new(
        prodid=PRODID,
        name=title,
        # Stable per feed name, so a re-rendered feed is the same calendar to a phone.
        uid=hashlib.sha256(title.encode("utf-8")).hexdigest()[:32] + "@social",
        refresh_interval=timedelta(hours=1),
    )
    cal.add("X-PUBLISHED-TTL", "PT1H")
    for slot in slots:
        event = Event.new(
            uid=slot.uid,
            summary=summary(slot, lang),
            description=description(slot, lang),
            start=slot.local(zone),
            sequence=slot.sequence,
            # Without METHOD, DTSTAMP is when the slot was last revised (RFC 5545 3.8.7.2),
            # which also keeps the feed byte-identical while nothing changed.
            stamp=from_utc_iso(slot.updated_at),
            created=from_utc_iso(slot.created_at),
            last_modified=from_utc_iso(slot.updated_at),
            categories=slot.tags,
            status=EVENT_STATUS.get(slot.status, "CONFIRMED"),  # type: ignore[arg-type]
        )
        event.add("duration", timedelta(minutes=event_minutes))
        if slot.status not in NO_ALARM:
            for hours in sorted({float(h) for h in before_hours}, reverse=True):
                alarm = Alarm()
                alarm.add("action", "DISPLAY")
                alarm.add("trigger", -timedelta(hours=hours))
                shown = f"{hours:g}".replace(".", "," if lang == "nb" else ".")
                alarm.add("description", TEXT[lang]["alarm"].format(hours=shown, title=slot.title))
                event.add_component(alarm)
        cal.add_component(event)
    if slots:
        cal.add_missing_timezones()
    else:
        from icalendar import Timezone

        cal.add_component(Timezone.from_tzid(zone))
    return cal


def render_feed(
    db: Database,
    *,
    zone: str,
    lang: str = "nb",
    owner: str | None = None,
    before_hours: Sequence[float] = (24, 2),
    event_minutes: int = 30,
) -> bytes:
    """The whole calendar (or one owner's slots) as iCalendar bytes."""
    slots = list_slots(db, owner=owner)
    name = TEXT[lang if lang in TEXT else "nb"]["calendar"]
    if owner is not None:
        from db.lookup import find_id

        found = find_id(db, "team_members", owner)
        name = f"{name} – {found[1] if found else owner}"
    cal = build_calendar(
        slots,
        zone=zone,
        lang=lang,
        before_hours=before_hours,
        event_minutes=event_minutes,
        name=name,
    )
    return bytes(cal.to_ical())


def render_configured_feed(
    config: Config, db: Database, *, owner: str | None = None, lang: str | None = None
) -> bytes:
    """render_feed with the alarms, event length, zone and language from social.toml."""
    return render_feed(
        db,
        zone=config.timezone,
        lang=lang or config.language,
        owner=owner,
        before_hours=[float(h) for h in config.get("reminders", "before_hours")],
        event_minutes=int(config.get("calendar", "event_minutes")),
    )
