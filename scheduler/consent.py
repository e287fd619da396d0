"""Consent of people who appear in videos, as Datatilsynet describes it.

- Consent is given per channel (each installed platform, and the web site), in
  writing (the signed form is kept somewhere; `reference` says where), and is
  renewed every year ([consent] valid_months, default 12): Datatilsynet
  recommends a yearly routine that checks consents are still valid.
- Children under 15 ([consent] guardian_below_age) need a guardian's consent;
  from 15 a pupil normally consents to ordinary photos and video themselves.
  When the birth date is unknown and the person is a minor, a guardian's
  consent is asked for, since the person may be under 15.
- Consent can be withdrawn at any time; a withdrawal for content that is already
  published creates a takedown task for the communications lead.

The checks a page or command needs are `slot_issues` ("may this slot go out?"),
`person_issues` (one person on one channel) and `Issue.text(lang)`; records are
written with `record_consent` and `withdraw_consent`.
"""

from __future__ import annotations

import calendar as _calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Final

from sqlite_utils import Database

from core import registry
from core.errors import SocialError
from core.timeutil import from_utc_iso, to_utc_iso, utcnow

WEB: Final = "web"  # the organisation's own web site
# Consent is given per channel: every installed platform, and the web site.
CHANNELS: Final = (*registry.names(), WEB)
GIVEN_BY: Final = ("self", "guardian")


def channel_name(channel: str) -> str:
    """A channel as people write it: the platform's own spelling, or 'web'."""
    return channel if channel == WEB else registry.display_name(channel)


# Issue codes, with what they say in each language.
MISSING, WITHDRAWN, EXPIRED, DATE_UNKNOWN = "missing", "withdrawn", "expired", "date_unknown"
NOT_IN_WRITING, NEEDS_GUARDIAN, AGE_UNKNOWN = "not_in_writing", "needs_guardian", "age_unknown"
_TEXT: Final = {
    "en": {
        MISSING: "no {channel} consent",
        WITHDRAWN: "{channel} consent withdrawn {date}",
        EXPIRED: "{channel} consent expired {date}",
        DATE_UNKNOWN: "{channel} consent has no date (renew it)",
        NOT_IN_WRITING: "{channel} consent not in writing",
        NEEDS_GUARDIAN: "under {age}: a guardian must consent ({channel})",
        AGE_UNKNOWN: "minor of unknown age: a guardian must consent ({channel}) or give the birth "
        "date",
    },
    "nb": {
        MISSING: "mangler samtykke for {channel}",
        WITHDRAWN: "samtykke for {channel} trukket {date}",
        EXPIRED: "samtykke for {channel} utløpt {date}",
        DATE_UNKNOWN: "samtykke for {channel} mangler dato (forny det)",
        NOT_IN_WRITING: "samtykke for {channel} er ikke skriftlig",
        NEEDS_GUARDIAN: "under {age} år: foresatte må samtykke ({channel})",
        AGE_UNKNOWN: "mindreårig med ukjent alder: foresatte må samtykke ({channel}) eller "
        "oppgi fødselsdato",
    },
}


@dataclass(frozen=True)
class Rules:
    """The age limits and validity from [consent] in social.toml."""

    guardian_below_age: int = 15
    adult_age: int = 18
    valid_months: int = 12
    remind_days_before: tuple[int, ...] = (30, 7)

    @classmethod
    def from_config(cls, config: Any) -> Rules:
        """The rules in a Config's [consent] section (defaults where it says nothing)."""
        section = config.section("consent")
        return cls(
            guardian_below_age=int(section["guardian_below_age"]),
            adult_age=int(section["adult_age"]),
            valid_months=int(section["valid_months"]),
            remind_days_before=tuple(sorted({int(d) for d in section["remind_days_before"]})),
        )


DEFAULT_RULES: Final = Rules()


@dataclass(frozen=True)
class Consent:
    """One consent given for one channel."""

    id: int
    person_id: int
    channel: str
    given_by: str
    signed_on: date | None
    expires_on: date | None
    in_writing: bool
    reference: str
    withdrawn_on: date | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "channel": self.channel,
            "given_by": self.given_by,
            "signed_on": self.signed_on.isoformat() if self.signed_on else None,
            "expires_on": self.expires_on.isoformat() if self.expires_on else None,
            "in_writing": self.in_writing,
            "reference": self.reference,
            "withdrawn_on": self.withdrawn_on.isoformat() if self.withdrawn_on else None,
        }


@dataclass(frozen=True)
class Issue:
    """Something that stops a person from appearing on a channel (on a given day)."""

    person: str
    channel: str
    code: str
    when: date | None = None
    age: int | None = None

    def text(self, lang: str = "en") -> str:
        """The issue in words, without the person's name."""
        words = _TEXT.get(lang, _TEXT["en"])[self.code]
        return words.format(
            channel=channel_name(self.channel),
            date=self.when.isoformat() if self.when else "",
            age=self.age or "",
        )


@dataclass(frozen=True)
class PersonFacts:
    """What the rules need to know about a person: name, birth date, minor or not."""

    id: int
    name: str
    birth_date: date | None
    under_18: bool


@dataclass
class TakedownTask:
    """Published content to take down after a withdrawal, for the communications lead."""

    id: int
    person: str | None
    slot_id: int | None
    slot_title: str | None
    post: str | None
    channel: str
    status: str
    created_at: str

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class Withdrawal:
    """What withdrawing consent changed: consents ended, tasks created, slots now blocked."""

    person: str
    channels: list[str] = field(default_factory=list)
    tasks: list[TakedownTask] = field(default_factory=list)
    planned_slots: int = 0


# --- dates ------------------------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    """The same day `months` later (the month's last day when it is shorter)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, _calendar.monthrange(year, month)[1]))


def age_on(birth: date, day: date) -> int:
    """Whole years of age on a day."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def _day(value: Any) -> date | None:
    return date.fromisoformat(str(value)) if value else None


def check_channels(channels: Iterable[str]) -> list[str]:
    """Channels in the known spelling, or an error listing them."""
    out: list[str] = []
    for raw in channels:
        value = raw.strip().lower()
        if value == "all":
            return list(CHANNELS)
        if value not in CHANNELS:
            raise SocialError(f"unknown channel '{raw}'; use {', '.join(CHANNELS)} or all")
        if value not in out:
            out.append(value)
    return out


# --- reading ----------------------------------------------------------------------------------

_CONSENT_COLUMNS = (
    "id, person_id, channel, given_by, signed_on, expires_on, in_writing, reference, withdrawn_on"
)


def _consent(row: Sequence[Any]) -> Consent:
    return Consent(
        id=int(row[0]),
        person_id=int(row[1]),
        channel=str(row[2]),
        given_by=str(row[3]),
        signed_on=_day(row[4]),
        expires_on=_day(row[5]),
        in_writing=bool(row[6]),
        reference=str(row[7] or ""),
        withdrawn_on=_day(row[8]),
    )


def consents_of(db: Database, person_ids: Iterable[int]) -> dict[int, list[Consent]]:
    """Every consent of these people, oldest first, by person id."""
    ids = sorted(set(person_ids))
    out: dict[int, list[Consent]] = {i: [] for i in ids}
    if not ids:
        return out
    marks = ",".join("?" * len(ids))
    for row in db.execute(
        f"SELECT {_CONSENT_COLUMNS} FROM consents WHERE person_id IN ({marks}) "
        "ORDER BY COALESCE(signed_on, ''), id",
        ids,
    ).fetchall():
        out[int(row[1])].append(_consent(row))
    return out


def current(consents: Sequence[Consent], channel: str) -> Consent | None:
    """The consent that counts for a channel: the newest one recorded."""
    found = [c for c in consents if c.channel == channel]
    return found[-1] if found else None


def facts(db: Database, person_ids: Iterable[int]) -> dict[int, PersonFacts]:
    """Name, birth date and minor flag of these people, by id."""
    ids = sorted(set(person_ids))
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    rows = db.execute(
        f"SELECT id, name, birth_date, under_18 FROM people_in_videos WHERE id IN ({marks})", ids
    ).fetchall()
    return {int(r[0]): PersonFacts(int(r[0]), str(r[1]), _day(r[2]), bool(r[3])) for r in rows}


def is_minor(person: PersonFacts, day: date, rules: Rules = DEFAULT_RULES) -> bool:
    """Under [consent] adult_age on the day (the stored flag when the birth date is unknown)."""
    if person.birth_date is not None:
        return age_on(person.birth_date, day) < rules.adult_age
    return person.under_18


# --- the rules --------------------------------------------------------------------------------


def issues(
    person: PersonFacts,
    consents: Sequence[Consent],
    channel: str,
    day: date,
    rules: Rules = DEFAULT_RULES,
) -> list[Issue]:
    """What stops the person from appearing on the channel on that day (empty: nothing)."""
    found = current(consents, channel)
    if found is None:
        return [Issue(person.name, channel, MISSING)]
    out: list[Issue] = []
    if found.withdrawn_on is not None and found.withdrawn_on <= day:
        return [Issue(person.name, channel, WITHDRAWN, found.withdrawn_on)]
    if found.signed_on is None:
        out.append(Issue(person.name, channel, DATE_UNKNOWN))
    elif found.expires_on is not None and found.expires_on < day:
        out.append(Issue(person.name, channel, EXPIRED, found.expires_on))
    if not found.in_writing:
        out.append(Issue(person.name, channel, NOT_IN_WRITING))
    if found.given_by == "self":
        if person.birth_date is not None:
            signed = found.signed_on or day
            if age_on(person.birth_date, signed) < rules.guardian_below_age:
                out.append(
                    Issue(person.name, channel, NEEDS_GUARDIAN, age=rules.guardian_below_age)
                )
        elif person.under_18:
            out.append(Issue(person.name, channel, AGE_UNKNOWN))
    return out


def person_issues(
    db: Database,
    person_id: int,
    channel: str,
    day: date | None = None,
    rules: Rules = DEFAULT_RULES,
) -> list[Issue]:
    """One person's issues on one channel on a day (default today)."""
    person = facts(db, [person_id]).get(person_id)
    if person is None:
        raise SocialError(f"no consent record with id {person_id}; see 'social team person list'")
    return issues(
        person,
        consents_of(db, [person_id])[person_id],
        channel,
        day or date.today(),
        rules,
    )


def slot_day(planned_at: str, zone: str, today: date) -> date:
    """The day a slot's consent must hold: its planned day, or today once it is past."""
    from zoneinfo import ZoneInfo

    planned = from_utc_iso(planned_at).astimezone(ZoneInfo(zone)).date()
    return max(planned, today)


def issues_for_slots(
    db: Database,
    slots: Sequence[tuple[int, str, str]],
    *,
    rules: Rules = DEFAULT_RULES,
    today: date | None = None,
    zone: str = "Europe/Oslo",
) -> dict[int, dict[int, list[Issue]]]:
    """For (slot id, platform, planned_at) triples: each slot's people and their issues."""
    if not slots:
        return {}
    today = today or date.today()
    by_slot = {sid: (platform, planned) for sid, platform, planned in slots}
    marks = ",".join("?" * len(by_slot))
    pairs = db.execute(
        f"SELECT slot_id, person_id FROM slot_appearances WHERE slot_id IN ({marks})",
        list(by_slot),
    ).fetchall()
    people = facts(db, (p for _, p in pairs))
    consents = consents_of(db, people)
    out: dict[int, dict[int, list[Issue]]] = {sid: {} for sid in by_slot}
    for sid, pid in pairs:
        platform, planned = by_slot[sid]
        channel = platform if platform in CHANNELS else WEB
        day = slot_day(planned, zone, today)
        out[sid][pid] = issues(people[pid], consents[pid], channel, day, rules)
    return out


def slot_issues(
    db: Database,
    slot_id: int,
    *,
    rules: Rules = DEFAULT_RULES,
    today: date | None = None,
    zone: str = "Europe/Oslo",
) -> list[Issue]:
    """Everything that stops this slot going out (empty: consent is in place for everyone)."""
    row = db.execute(
        "SELECT id, platform, planned_at FROM calendar_slots WHERE id = ?", [slot_id]
    ).fetchone()
    if row is None:
        raise SocialError(f"no calendar slot {slot_id}; see 'social calendar list'")
    per_person = issues_for_slots(db, [tuple(row)], rules=rules, today=today, zone=zone)
    return [issue for found in per_person[slot_id].values() for issue in found]


# --- writing ----------------------------------------------------------------------------------


def record_consent(
    db: Database,
    person_id: int,
    channels: Iterable[str],
    *,
    signed_on: date | None,
    given_by: str = "self",
    reference: str = "",
    in_writing: bool = True,
    rules: Rules = DEFAULT_RULES,
    today: date | None = None,
) -> list[Consent]:
    """Record (or renew) consent for channels, valid `rules.valid_months` from signing.

    Refused: a date in the future, and a person's own consent when their birth date
    shows they were under the guardian age when signing.
    """
    today = today or date.today()
    chosen = check_channels(channels)
    if not chosen:
        raise SocialError(f"give at least one channel (--channel {', '.join(CHANNELS)} or all)")
    if given_by not in GIVEN_BY:
        raise SocialError(f"unknown giver '{given_by}'; use self or guardian")
    if signed_on is not None and signed_on > today:
        raise SocialError(
            f"the consent date {signed_on.isoformat()} is in the future; give the date the "
            "form was signed"
        )
    person = facts(db, [person_id]).get(person_id)
    if person is None:
        raise SocialError(f"no consent record with id {person_id}")
    if given_by == "self" and person.birth_date is not None:
        age = age_on(person.birth_date, signed_on or today)
        if age < rules.guardian_below_age:
            raise SocialError(
                f"{person.name} was {age} when signing: under {rules.guardian_below_age} a "
                "guardian must consent; record it with --guardian-consent"
            )
    reference = reference.strip()
    if len(reference) > 500:
        raise SocialError("the form reference is over 500 characters; say briefly where it is")
    expires = add_months(signed_on, rules.valid_months) if signed_on else None
    stamp = to_utc_iso(utcnow())
    with db.atomic():
        for channel in chosen:
            db.execute(
                "INSERT INTO consents (person_id, channel, given_by, signed_on, expires_on, "
                "in_writing, reference, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    person_id,
                    channel,
                    given_by,
                    signed_on.isoformat() if signed_on else None,
                    expires.isoformat() if expires else None,
                    int(in_writing),
                    reference,
                    stamp,
                ],
            )
    mine = consents_of(db, [person_id])[person_id]
    return [c for c in (current(mine, ch) for ch in chosen) if c is not None]


def change_giver(db: Database, person_id: int, given_by: str) -> int:
    """Say who gave the person's current consents (self or guardian); returns how many."""
    if given_by not in GIVEN_BY:
        raise SocialError(f"unknown giver '{given_by}'; use self or guardian")
    mine = consents_of(db, [person_id])[person_id]
    ids = [c.id for c in (current(mine, ch) for ch in CHANNELS) if c and not c.withdrawn_on]
    with db.atomic():
        for cid in ids:
            db.execute("UPDATE consents SET given_by = ? WHERE id = ?", [given_by, cid])
    return len(ids)


def withdraw_consent(
    db: Database,
    person_id: int,
    channels: Iterable[str] = CHANNELS,
    *,
    on: date | None = None,
    now: datetime | None = None,
) -> Withdrawal:
    """End the person's consent for channels from `on` (today); published content on those
    channels gets a takedown task for the communications lead."""
    on = on or date.today()
    chosen = check_channels(channels)
    person = facts(db, [person_id]).get(person_id)
    if person is None:
        raise SocialError(f"no consent record with id {person_id}")
    result = Withdrawal(person.name)
    stamp = to_utc_iso(now or utcnow())
    with db.atomic():
        mine = consents_of(db, [person_id])[person_id]
        for channel in chosen:
            found = current(mine, channel)
            if found is not None and found.withdrawn_on is None:
                db.execute(
                    "UPDATE consents SET withdrawn_on = ? WHERE id = ?", [on.isoformat(), found.id]
                )
                result.channels.append(channel)
        slots = db.execute(
            "SELECT s.id, s.platform, s.status, s.post_id FROM calendar_slots s "
            "JOIN slot_appearances a ON a.slot_id = s.id WHERE a.person_id = ?",
            [person_id],
        ).fetchall()
        for sid, platform, status, post in slots:
            if platform not in chosen:
                continue
            if status != "published" and post is None:
                result.planned_slots += status != "skipped"
                continue
            exists = db.execute(
                "SELECT id FROM takedown_tasks WHERE slot_id = ? AND channel = ? "
                "AND person_id = ? AND status = 'open'",
                [sid, platform, person_id],
            ).fetchone()
            if exists:
                continue
            db.execute(
                "INSERT INTO takedown_tasks (person_id, slot_id, post_id, channel, created_at) "
                "VALUES (?, ?, ?, ?, ?)",
                [person_id, sid, post, platform, stamp],
            )
    result.tasks = [t for t in takedowns(db, status="open") if t.person == person.name]
    return result


_TASK_SELECT = """
SELECT t.id, p.name, t.slot_id, s.title, po.external_id, t.channel, t.status, t.created_at
FROM takedown_tasks t
LEFT JOIN people_in_videos p ON p.id = t.person_id
LEFT JOIN calendar_slots s ON s.id = t.slot_id
LEFT JOIN posts po ON po.id = COALESCE(t.post_id, s.post_id)
"""


def takedowns(db: Database, *, status: str | None = "open") -> list[TakedownTask]:
    """Takedown tasks (open ones unless status is None), oldest first."""
    where = "WHERE t.status = ?" if status else ""
    rows = db.execute(
        f"{_TASK_SELECT} {where} ORDER BY t.created_at, t.id", [status] if status else []
    ).fetchall()
    return [TakedownTask(*r) for r in rows]


def complete_takedown(db: Database, task_id: int, now: datetime | None = None) -> TakedownTask:
    """Mark a takedown task done (the content is off the platform)."""
    with db.atomic():
        cur = db.execute(
            "UPDATE takedown_tasks SET status = 'done', done_at = ? WHERE id = ?",
            [to_utc_iso(now or utcnow()), task_id],
        )
    if not cur.rowcount:
        raise SocialError(f"no takedown task {task_id}; see 'social team person takedowns'")
    (task,) = [t for t in takedowns(db, status=None) if t.id == task_id]
    return task


def expiring(
    db: Database, *, today: date | None = None, within_days: int = 30
) -> list[tuple[PersonFacts, Consent]]:
    """Current, not withdrawn consents that expire within the days (or have expired)."""
    from datetime import timedelta

    today = today or date.today()
    limit = (today + timedelta(days=within_days)).isoformat()
    ids = [r[0] for r in db.execute("SELECT DISTINCT person_id FROM consents").fetchall()]
    people = facts(db, ids)
    out = []
    for pid, mine in consents_of(db, ids).items():
        for channel in CHANNELS:
            found = current(mine, channel)
            live = found is not None and not found.withdrawn_on and found.expires_on
            if live and found and found.expires_on and found.expires_on.isoformat() <= limit:
                out.append((people[pid], found))
    return sorted(out, key=lambda pc: (pc[1].expires_on or today, pc[0].name))
