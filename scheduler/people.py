"""People who appear in videos and their consent, per channel (the API pages and commands use).

A person has a name, optionally a birth date (else "under 18" or not), notes, and
consents per channel (`scheduler.consent`: in writing, valid a year, withdrawable,
a guardian's under 15). Use:

- `list_people`, `find_person`, `get_person` to read people with their consents;
  `Person.issues(channel, day)` / `Person.flags()` say what is missing;
- `slot_issues(db, slot_id)` for "consent missing" on a calendar slot;
- `add_person`, `edit_person`, `give_consent`, `withdraw` to change them;
  `takedowns`, `complete_takedown` for the content to take down after a withdrawal.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlite_utils import Database

from core.errors import SocialError
from db.lookup import did_you_mean, find_id
from scheduler.consent import (
    CHANNELS,
    DEFAULT_RULES,
    Consent,
    Issue,
    PersonFacts,
    Rules,
    TakedownTask,
    Withdrawal,
    change_giver,
    complete_takedown,
    consents_of,
    current,
    issues,
    record_consent,
    slot_issues,
    takedowns,
    withdraw_consent,
)
from scheduler.team import UNSET, _Unset, clean_name

NO_CONSENT = "no consent on record"

__all__ = [
    "CHANNELS",
    "Consent",
    "Issue",
    "Person",
    "Rules",
    "TakedownTask",
    "Withdrawal",
    "add_person",
    "complete_takedown",
    "edit_person",
    "find_person",
    "get_person",
    "give_consent",
    "list_people",
    "person_slots",
    "slot_issues",
    "takedowns",
    "withdraw",
]


@dataclass(frozen=True)
class Person:
    """One person who appears in videos, with their consents."""

    id: int
    name: str
    birth_date: date | None
    minor_flag: bool  # stored "under 18"; the birth date decides when it is known
    notes: str
    consents: list[Consent] = field(default_factory=list)

    @property
    def facts(self) -> PersonFacts:
        return PersonFacts(self.id, self.name, self.birth_date, self.minor_flag)

    @property
    def under_18(self) -> bool:
        """A minor today (under 18; the birth date decides when it is known)."""
        return self.is_minor()

    def is_minor(self, day: date | None = None, rules: Rules = DEFAULT_RULES) -> bool:
        """Under [consent] adult_age on the day (today)."""
        from scheduler.consent import is_minor

        return is_minor(self.facts, day or date.today(), rules)

    def current(self, channel: str) -> Consent | None:
        """The consent that counts for a channel, withdrawn or not."""
        return current(self.consents, channel)

    def issues(
        self, channel: str, day: date | None = None, rules: Rules = DEFAULT_RULES
    ) -> list[Issue]:
        """What stops the person from appearing on the channel on the day (today)."""
        return issues(self.facts, self.consents, channel, day or date.today(), rules)

    def flags(self, day: date | None = None, rules: Rules = DEFAULT_RULES) -> list[str]:
        """Everything missing, in words: 'no consent on record' or one line per problem."""
        if not self.consents:
            return [NO_CONSENT]
        return [i.text("en") for ch in CHANNELS for i in self.issues(ch, day, rules)]

    @property
    def consent_on_record(self) -> bool:
        """Some consent is on record and not withdrawn."""
        return any(c and not c.withdrawn_on for c in map(self.current, CHANNELS))

    @property
    def consent_date(self) -> str | None:
        """The latest signing date of the current, not withdrawn consents."""
        live = [c for c in map(self.current, CHANNELS) if c and not c.withdrawn_on]
        dates = [c.signed_on for c in live if c.signed_on]
        return max(dates).isoformat() if dates else None

    @property
    def guardian_consent(self) -> bool:
        """A guardian gave a current, not withdrawn consent."""
        return any(
            c and c.given_by == "guardian" and not c.withdrawn_on
            for c in map(self.current, CHANNELS)
        )

    def as_dict(self, day: date | None = None, rules: Rules = DEFAULT_RULES) -> dict[str, Any]:
        return {
            "name": self.name,
            "birth_date": self.birth_date.isoformat() if self.birth_date else None,
            "under_18": self.is_minor(day, rules),
            "consent_on_record": self.consent_on_record,
            "consent_date": self.consent_date,
            "guardian_consent": self.guardian_consent,
            "consents": {ch: (c.as_dict() if (c := self.current(ch)) else None) for ch in CHANNELS},
            "notes": self.notes,
            "flags": self.flags(day, rules),
        }


_COLUMNS = "id, name, birth_date, under_18, notes"


def _people(db: Database, where: str = "", params: list[Any] | None = None) -> list[Person]:
    rows = db.execute(
        f"SELECT {_COLUMNS} FROM people_in_videos {where} ORDER BY name", params or []
    ).fetchall()
    consents = consents_of(db, (r[0] for r in rows))
    return [
        Person(
            id=int(r[0]),
            name=str(r[1]),
            birth_date=date.fromisoformat(r[2]) if r[2] else None,
            minor_flag=bool(r[3]),
            notes=str(r[4] or ""),
            consents=consents[int(r[0])],
        )
        for r in rows
    ]


def find_person(db: Database, name: str) -> Person | None:
    """The person with this name (exact, else ignoring case), or None."""
    found = find_id(db, "people_in_videos", name)
    return _people(db, "WHERE id = ?", [found[0]])[0] if found else None


def get_person(db: Database, name: str) -> Person:
    """The person with this name, or an error suggesting the closest names."""
    person = find_person(db, name)
    if person is None:
        names = [r[0] for r in db.execute("SELECT name FROM people_in_videos").fetchall()]
        raise SocialError(
            f"no consent record for '{name}'{did_you_mean(name, names)}; "
            "see 'social team person list'"
        )
    return person


def list_people(
    db: Database,
    *,
    flagged_only: bool = False,
    day: date | None = None,
    rules: Rules = DEFAULT_RULES,
) -> list[Person]:
    """Everyone with a consent record, by name; only those with something missing if asked."""
    people = _people(db)
    return [p for p in people if p.flags(day, rules)] if flagged_only else people


def person_names(db: Database) -> list[str]:
    """Names with a consent record, for the 'in the video' pick list."""
    return [
        str(r[0])
        for r in db.execute("SELECT name FROM people_in_videos ORDER BY name COLLATE NOCASE")
    ]


def person_slots(db: Database, person_id: int) -> int:
    """How many calendar slots the person appears in."""
    return int(
        db.execute(
            "SELECT COUNT(*) FROM slot_appearances WHERE person_id = ?", [person_id]
        ).fetchone()[0]
    )


def _birth(value: date | None, today: date) -> str | None:
    if value is None:
        return None
    if value > today:
        raise SocialError(f"the birth date {value.isoformat()} is in the future; check it")
    return value.isoformat()


def _check_free(db: Database, name: str, own_id: int | None = None) -> None:
    other = find_person(db, name)
    if other is not None and other.id != own_id:
        raise SocialError(
            f"a consent record for '{other.name}' already exists; change it with "
            f"'social team person edit \"{other.name}\"' or add a distinguishing detail to the name"
        )


def _notes(text: str) -> str:
    notes = text.strip()
    if len(notes) > 2000:
        raise SocialError("the notes are over 2000 characters; keep them short")
    return notes


def add_person(
    db: Database,
    name: str,
    *,
    under_18: bool = False,
    birth_date: date | None = None,
    consent_date: date | None = None,
    consent: bool = False,
    guardian_consent: bool = False,
    channels: tuple[str, ...] | list[str] = CHANNELS,
    reference: str = "",
    in_writing: bool = True,
    notes: str = "",
    rules: Rules = DEFAULT_RULES,
    today: date | None = None,
) -> Person:
    """Record a person who appears in videos; a consent date (or consent=True, date unknown,
    or guardian_consent) records consent for the channels, all of it or nothing."""
    today = today or date.today()
    row: dict[str, Any] = {
        "name": clean_name(name),
        "under_18": int(under_18),
        "birth_date": _birth(birth_date, today),
        "notes": _notes(notes),
    }
    if birth_date is not None:
        from scheduler.consent import age_on

        row["under_18"] = int(age_on(birth_date, today) < rules.adult_age)
    with db.atomic():
        _check_free(db, row["name"])
        cur = db.execute(
            f"INSERT INTO people_in_videos ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
            list(row.values()),
        )
        if consent or consent_date is not None or guardian_consent:
            record_consent(
                db,
                int(cur.lastrowid or 0),
                channels,
                signed_on=consent_date,
                given_by="guardian" if guardian_consent else "self",
                reference=reference,
                in_writing=in_writing,
                rules=rules,
                today=today,
            )
    return get_person(db, row["name"])


def give_consent(
    db: Database,
    name: str,
    channels: tuple[str, ...] | list[str],
    *,
    signed_on: date | None,
    guardian: bool = False,
    reference: str = "",
    in_writing: bool = True,
    rules: Rules = DEFAULT_RULES,
) -> Person:
    """Record or renew a person's consent for channels."""
    person = get_person(db, name)
    record_consent(
        db,
        person.id,
        channels,
        signed_on=signed_on,
        given_by="guardian" if guardian else "self",
        reference=reference,
        in_writing=in_writing,
        rules=rules,
    )
    return get_person(db, person.name)


def withdraw(
    db: Database,
    name: str,
    channels: tuple[str, ...] | list[str] = CHANNELS,
    *,
    on: date | None = None,
) -> Withdrawal:
    """Withdraw a person's consent; published content on those channels becomes takedown tasks."""
    return withdraw_consent(db, get_person(db, name).id, channels, on=on)


def edit_person(
    db: Database,
    name: str,
    *,
    rename: str | None = None,
    under_18: bool | None = None,
    birth_date: date | None = None,
    consent_date: date | None = None,
    consent: bool | None = None,
    guardian_consent: bool | None = None,
    channels: tuple[str, ...] | list[str] = CHANNELS,
    reference: str = "",
    notes: str | None | _Unset = UNSET,
    rules: Rules = DEFAULT_RULES,
) -> tuple[Person, Withdrawal | None]:
    """Change the given fields. A consent date records consent for the channels; consent=False
    withdraws it (with takedown tasks); guardian_consent alone says who gave the current one."""
    person = get_person(db, name)
    changes: dict[str, Any] = {}
    if rename is not None:
        changes["name"] = clean_name(rename)
    if under_18 is not None:
        changes["under_18"] = int(under_18)
    if birth_date is not None:
        from scheduler.consent import age_on

        changes["birth_date"] = _birth(birth_date, date.today())
        changes["under_18"] = int(age_on(birth_date, date.today()) < rules.adult_age)
    if consent is False and (consent_date is not None or guardian_consent):
        raise SocialError(
            "--no-consent contradicts --consent-date/--guardian-consent; give one of them"
        )
    if not isinstance(notes, _Unset):
        changes["notes"] = _notes(notes or "")
    if not changes and consent is None and consent_date is None and guardian_consent is None:
        raise SocialError(
            "nothing to change; give --rename, --under-18/--adult, --born, --consent-date, "
            "--consent/--no-consent, --guardian-consent/--no-guardian-consent or --notes"
        )
    withdrawal = None
    with db.atomic():
        if "name" in changes:
            _check_free(db, changes["name"], own_id=person.id)
        if changes:
            sets = ", ".join(f"{column} = ?" for column in changes)
            db.execute(
                f"UPDATE people_in_videos SET {sets} WHERE id = ?",
                [*changes.values(), person.id],
            )
        if consent_date is not None or (consent and not person.consent_on_record):
            record_consent(
                db,
                person.id,
                channels,
                signed_on=consent_date,
                given_by="guardian" if guardian_consent else "self",
                reference=reference,
                rules=rules,
            )
        elif guardian_consent is not None:
            if not person.consents:
                record_consent(
                    db,
                    person.id,
                    channels,
                    signed_on=None,
                    given_by="guardian" if guardian_consent else "self",
                    reference=reference,
                    rules=rules,
                )
            else:
                change_giver(db, person.id, "guardian" if guardian_consent else "self")
        if consent is False:
            withdrawal = withdraw_consent(db, person.id, channels)
    return get_person(db, changes.get("name", person.name)), withdrawal
