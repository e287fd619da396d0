"""Which reminders are due at a moment: the rules, quiet hours, and what is never sent late.

Rules (all settable in [reminders]):
- before:<h>h  - h hours before a slot (default 24 and 2) to each owner; once the slot
  has started it is not sent any more, and when several are due at once (a slot planned
  at short notice) only the nearest is sent, the others are recorded as skipped;
- overdue      - overdue_hours after a slot that is still not published (default 2),
  sent late if need be, but not after overdue_until_hours;
- digest       - the coming week's slots per person at the digest time (default Sunday
  18:00), not after the next day;
- deadline:<d>d - d days before a partner brief's deadline at 09:00 (default 3 and 0)
  to the communications team, until the deadline day ends or the content has arrived;
- expiry       - once a day from 09:00, to the communications team, while a platform
  token expires within 14 days (or has expired);
- consent:<d>d - d days before a person's consent expires, at 09:00 (default 30 and 7,
  [consent] remind_days_before), to the communications team, until the day it expires;
- takedown     - when consent is withdrawn for published content, once per takedown task,
  to the communications team.
Quiet hours move a reminder to the end of the person's quiet time.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from core.config import Config
from core.errors import ConfigError
from core.timeutil import from_utc_iso, iso_week
from scheduler import messages
from scheduler.calendar import list_slots
from scheduler.channels import Recipient
from scheduler.consent import Rules
from scheduler.team import Member, in_quiet_hours, list_members

OPEN = ("idea", "planned", "in_production", "ready")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
BRIEF_HOUR = time(9, 0)


@dataclass(frozen=True)
class Reminder:
    """One reminder for one person: its ledger key, when it may go, and what it says."""

    subject: str  # slot:<uid>@<planned UTC> | digest:<ISO week> | brief:<id> | token:...
    rule: str  # before:24h | overdue | digest | deadline:3d
    member_id: int
    recipient: Recipient
    due_at: datetime  # UTC, after quiet hours
    text: messages.Text
    skip: bool = False  # superseded: recorded in the ledger, never sent


def out_of_quiet_hours(moment: datetime, member: Member, zone: str) -> datetime:
    """The moment, or the end of the member's quiet hours if it falls inside them (UTC)."""
    tz = ZoneInfo(zone)
    local = moment.astimezone(tz)
    if not in_quiet_hours(member.quiet_start, member.quiet_end, local.time()):
        return moment
    assert member.quiet_end is not None
    end = time.fromisoformat(member.quiet_end)
    day = local.date() if local.time() < end else local.date() + timedelta(days=1)
    # Wall-clock time on that day; zoneinfo resolves a daylight-saving gap or fold.
    return datetime.combine(day, end, tz).astimezone(UTC)


def parse_digest(text: str) -> tuple[int, time]:
    """'sun 18:00' -> (6, 18:00)."""
    try:
        name, clock = text.strip().lower().split()
        return WEEKDAYS.index(name[:3]), time.fromisoformat(clock)
    except ValueError:
        raise ConfigError(
            f"[reminders] digest = '{text}' is not like 'sun 18:00'; use a weekday and HH:MM"
        ) from None


def recipient(member: Member) -> Recipient:
    return Recipient(member.name, member.email, member.slack_member, member.teams)


def due_reminders(db: Database, config: Config, now: datetime) -> list[Reminder]:
    """Every reminder whose time has come at `now` and that may still be sent."""
    zone = config.timezone
    members = {m.id: m for m in list_members(db)}  # active members only
    out: list[Reminder] = []
    out += _slot_reminders(db, config, members, now, zone)
    out += _digests(db, config, members, now, zone)
    out += _brief_deadlines(db, config, members, now, zone)
    out += _token_expiry(config, members, now, zone)
    out += _consent_expiry(db, config, members, now, zone)
    out += _takedowns(db, members, now, zone, config)
    return out


def _owners(db: Database, slot_id: int) -> list[int]:
    return [
        int(r[0])
        for r in db.execute("SELECT member_id FROM slot_owners WHERE slot_id = ?", [slot_id])
    ]


def _lang(member: Member, config: Config) -> str:
    return member.language or config.language


def _slot_reminders(
    db: Database, config: Config, members: dict[int, Member], now: datetime, zone: str
) -> Iterator[Reminder]:
    before = sorted({float(h) for h in config.get("reminders", "before_hours")}, reverse=True)
    overdue_after = timedelta(hours=float(config.get("reminders", "overdue_hours")))
    overdue_until = timedelta(hours=float(config.get("reminders", "overdue_until_hours")))
    horizon = max(before, default=0.0)
    window_start = now - overdue_after - overdue_until - timedelta(days=1)
    window_end = now + timedelta(hours=horizon) + timedelta(days=1)
    rules = Rules.from_config(config)
    for slot in list_slots(db, start=window_start, end=window_end, rules=rules, zone=zone):
        if slot.status not in OPEN:
            continue
        planned = from_utc_iso(slot.planned_at)
        # The planned time is part of the key: a moved slot is reminded again for its new time.
        subject = f"slot:{slot.uid}@{slot.planned_at}"
        for member_id in _owners(db, slot.id):
            member = members.get(member_id)
            if member is None:
                continue
            lang = _lang(member, config)
            due_before = []
            for hours in before:
                due = out_of_quiet_hours(planned - timedelta(hours=hours), member, zone)
                if due <= now < planned and due < planned:
                    due_before.append((hours, due))
            # Several due at once: only the nearest one is worth a message.
            for i, (hours, due) in enumerate(sorted(due_before)):
                yield Reminder(
                    subject,
                    f"before:{hours:g}h",
                    member.id,
                    recipient(member),
                    due,
                    messages.before(slot, hours, zone, lang),
                    skip=i > 0,
                )
            due = out_of_quiet_hours(planned + overdue_after, member, zone)
            if due <= now < planned + overdue_after + overdue_until:
                yield Reminder(
                    subject,
                    "overdue",
                    member.id,
                    recipient(member),
                    due,
                    messages.overdue(slot, zone, lang),
                )


def _digests(
    db: Database, config: Config, members: dict[int, Member], now: datetime, zone: str
) -> Iterator[Reminder]:
    text = str(config.get("reminders", "digest")).strip()
    if not text or text.lower() == "off":
        return
    weekday, clock = parse_digest(text)
    tz = ZoneInfo(zone)
    today = now.astimezone(tz).date()
    day = today - timedelta(days=(today.weekday() - weekday) % 7)
    moment = datetime.combine(day, clock, tz).astimezone(UTC)
    if moment > now:
        day -= timedelta(days=7)
        moment = datetime.combine(day, clock, tz).astimezone(UTC)
    monday = day + timedelta(days=7 - day.weekday())
    start = datetime.combine(monday, time(0), tz).astimezone(UTC)
    end = datetime.combine(monday + timedelta(days=7), time(0), tz).astimezone(UTC)
    rules = Rules.from_config(config)
    slots = [
        s for s in list_slots(db, start=start, end=end, rules=rules, zone=zone) if s.status in OPEN
    ]
    for member in members.values():
        own = [s for s in slots if member.id in _owners(db, s.id)]
        if not own:
            continue
        due = out_of_quiet_hours(moment, member, zone)
        if due <= now < moment + timedelta(days=1):
            lang = _lang(member, config)
            yield Reminder(
                f"digest:{iso_week(monday)}",
                "digest",
                member.id,
                recipient(member),
                due,
                messages.digest(member.name, monday, own, zone, lang),
            )


def _brief_deadlines(
    db: Database, config: Config, members: dict[int, Member], now: datetime, zone: str
) -> Iterator[Reminder]:
    leads = [m for m in members.values() if m.role == "communications"]
    if not leads:
        return
    tz = ZoneInfo(zone)
    days_before = sorted({int(d) for d in config.get("reminders", "brief_days_before")})
    rows = db.execute(
        """SELECT b.id, b.title, p.name, b.deadline, b.status FROM briefs b
           JOIN partners p ON p.id = b.partner_id
           WHERE b.status IN ('draft', 'sent') AND b.deadline >= ?""",
        [(now.astimezone(tz).date() - timedelta(days=1)).isoformat()],
    ).fetchall()
    for brief_id, title, partner, deadline_text, status in rows:
        deadline = date.fromisoformat(deadline_text)
        ends = datetime.combine(deadline + timedelta(days=1), time(0), tz).astimezone(UTC)
        for member in leads:
            lang = _lang(member, config)
            due_rules = []
            for days in days_before:
                nominal = datetime.combine(deadline - timedelta(days=days), BRIEF_HOUR, tz)
                due = out_of_quiet_hours(nominal.astimezone(UTC), member, zone)
                if due <= now < ends:
                    due_rules.append((days, due))
            for i, (days, due) in enumerate(due_rules):
                yield Reminder(
                    f"brief:{brief_id}",
                    f"deadline:{days}d",
                    member.id,
                    recipient(member),
                    due,
                    messages.brief_deadline(brief_id, title, partner, deadline, status, lang),
                    skip=i > 0,
                )


def _consent_expiry(
    db: Database, config: Config, members: dict[int, Member], now: datetime, zone: str
) -> Iterator[Reminder]:
    from scheduler.consent import expiring

    leads = [m for m in members.values() if m.role == "communications"]
    rules = Rules.from_config(config)
    if not leads or not rules.remind_days_before:
        return
    tz = ZoneInfo(zone)
    today = now.astimezone(tz).date()
    horizon = max(rules.remind_days_before)
    grouped: dict[tuple[int, date], tuple[str, list[str]]] = {}
    for person, consent in expiring(db, today=today, within_days=horizon):
        assert consent.expires_on is not None
        if consent.expires_on < today:
            continue  # expired: the person list flags it from now on
        key = (person.id, consent.expires_on)
        grouped.setdefault(key, (person.name, []))[1].append(consent.channel)
    for (person_id, expires), (name, channels) in grouped.items():
        ends = datetime.combine(expires + timedelta(days=1), time(0), tz).astimezone(UTC)
        for member in leads:
            lang = _lang(member, config)
            due_rules = []
            for days in sorted(rules.remind_days_before, reverse=True):
                nominal = datetime.combine(expires - timedelta(days=days), BRIEF_HOUR, tz)
                due = out_of_quiet_hours(nominal.astimezone(UTC), member, zone)
                if due <= now < ends:
                    due_rules.append((days, due))
            # Several due at once (a consent recorded late): only the nearest is sent.
            for i, (days, due) in enumerate(sorted(due_rules)):
                yield Reminder(
                    f"consent:{person_id}:{expires.isoformat()}",
                    f"consent:{days}d",
                    member.id,
                    recipient(member),
                    due,
                    messages.consent_expiry(
                        name, channels, expires, rules.guardian_below_age, lang
                    ),
                    skip=i > 0,
                )


def _takedowns(
    db: Database, members: dict[int, Member], now: datetime, zone: str, config: Config
) -> Iterator[Reminder]:
    from scheduler.consent import takedowns

    leads = [m for m in members.values() if m.role == "communications"]
    for task in takedowns(db, status="open"):
        created = from_utc_iso(task.created_at)
        for member in leads:
            due = out_of_quiet_hours(created, member, zone)
            if due <= now:
                yield Reminder(
                    f"takedown:{task.id}",
                    "takedown",
                    member.id,
                    recipient(member),
                    due,
                    messages.takedown(
                        task.id,
                        task.person,
                        task.channel,
                        task.slot_title,
                        task.post,
                        _lang(member, config),
                    ),
                )


def _token_expiry(
    config: Config, members: dict[int, Member], now: datetime, zone: str
) -> Iterator[Reminder]:
    from collectors.auth import TokenStore, token_entries, token_statuses

    leads = [m for m in members.values() if m.role == "communications"]
    tz = ZoneInfo(zone)
    today = now.astimezone(tz).date()
    nominal = datetime.combine(today, BRIEF_HOUR, tz).astimezone(UTC)
    store = TokenStore(config.token_file)
    entries = {e.label: e for e in token_entries()}
    for status in token_statuses(config, store, now=now):
        label = status.platform  # the token: tiktok, tiktok_business, linkedin_ads, ...
        # Only tokens in use that run out soon; "not connected" is not news every morning.
        if status.source == "none" or not status.warning:
            continue
        entry = entries[label]
        for member in leads:
            due = out_of_quiet_hours(nominal, member, zone)
            if due <= now:
                text = messages.token_expiry(
                    entry.platform, status.days_left or 0.0, _lang(member, config)
                )
                # Two tokens of one platform (LinkedIn's page and ads apps): name the command
                # that renews this one.
                body = text.body.replace(f"social auth {entry.platform}", entry.renew)
                yield Reminder(
                    f"token:{label}:{today.isoformat()}",
                    "expiry",
                    member.id,
                    recipient(member),
                    due,
                    messages.Text(text.subject, body),
                )
