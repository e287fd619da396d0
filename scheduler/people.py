"""People who appear in videos and their consent records.

A consent record says whether the person's consent is on record (and its
date), whether they are under 18, and for under-18s whether a guardian has
consented. A video with a person who lacks any of these should not be filmed
or published; `flags()` names what is missing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlite_utils import Database

from db.lookup import did_you_mean, find_id
from scheduler.team import UNSET, _Unset, clean_name
from social.errors import SocialError

NO_CONSENT = "no consent on record"
NO_GUARDIAN = "under 18 without guardian consent"


@dataclass(frozen=True)
class Person:
    """One person who appears in videos, with their consent record."""

    id: int
    name: str
    under_18: bool
    consent_on_record: bool
    consent_date: str | None
    guardian_consent: bool
    notes: str

    def flags(self) -> list[str]:
        """What is missing before this person may appear in a published video."""
        missing = []
        if not self.consent_on_record:
            missing.append(NO_CONSENT)
        if self.under_18 and not self.guardian_consent:
            missing.append(NO_GUARDIAN)
        return missing

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "under_18": self.under_18,
            "consent_on_record": self.consent_on_record,
            "consent_date": self.consent_date,
            "guardian_consent": self.guardian_consent,
            "notes": self.notes,
            "flags": self.flags(),
        }


_COLUMNS = "id, name, under_18, consent_on_record, consent_date, guardian_consent, notes"


def _person(row: Any) -> Person:
    return Person(
        id=row[0],
        name=row[1],
        under_18=bool(row[2]),
        consent_on_record=bool(row[3]),
        consent_date=row[4],
        guardian_consent=bool(row[5]),
        notes=row[6] or "",
    )


def _consent_day(value: date) -> str:
    if value > date.today():
        raise SocialError(
            f"the consent date {value.isoformat()} is in the future; give the date the "
            "consent form was signed"
        )
    return value.isoformat()


def find_person(db: Database, name: str) -> Person | None:
    """The person with this name (exact, else ignoring case), or None."""
    found = find_id(db, "people_in_videos", name)
    if found is None:
        return None
    return _person(
        db.execute(f"SELECT {_COLUMNS} FROM people_in_videos WHERE id = ?", [found[0]]).fetchone()
    )


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


def list_people(db: Database, *, flagged_only: bool = False) -> list[Person]:
    """Everyone with a consent record, by name; only those with something missing if asked."""
    rows = db.execute(f"SELECT {_COLUMNS} FROM people_in_videos ORDER BY name").fetchall()
    people = [_person(r) for r in rows]
    return [p for p in people if p.flags()] if flagged_only else people


def person_slots(db: Database, person_id: int) -> int:
    """How many calendar slots the person appears in."""
    return int(
        db.execute(
            "SELECT COUNT(*) FROM slot_appearances WHERE person_id = ?", [person_id]
        ).fetchone()[0]
    )


def _check_free(db: Database, name: str, own_id: int | None = None) -> None:
    other = find_person(db, name)
    if other is not None and other.id != own_id:
        raise SocialError(
            f"a consent record for '{other.name}' already exists; change it with "
            f"'social team person edit \"{other.name}\"' or add a distinguishing detail to the name"
        )


def add_person(
    db: Database,
    name: str,
    *,
    under_18: bool = False,
    consent_date: date | None = None,
    consent: bool = False,
    guardian_consent: bool = False,
    notes: str = "",
) -> Person:
    """Record a person who appears in videos; a consent date (or consent=True) records consent."""
    row: dict[str, Any] = {
        "name": clean_name(name),
        "under_18": int(under_18),
        "consent_on_record": int(consent or consent_date is not None),
        "consent_date": _consent_day(consent_date) if consent_date else None,
        "guardian_consent": int(guardian_consent),
        "notes": notes.strip(),
    }
    with db.atomic():
        _check_free(db, row["name"])
        db.execute(
            f"INSERT INTO people_in_videos ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
            list(row.values()),
        )
    return get_person(db, row["name"])


def edit_person(
    db: Database,
    name: str,
    *,
    rename: str | None = None,
    under_18: bool | None = None,
    consent_date: date | None = None,
    consent: bool | None = None,
    guardian_consent: bool | None = None,
    notes: str | None | _Unset = UNSET,
) -> Person:
    """Change the given fields; consent=False withdraws consent (and clears its date)."""
    person = get_person(db, name)
    changes: dict[str, Any] = {}
    if rename is not None:
        changes["name"] = clean_name(rename)
    if under_18 is not None:
        changes["under_18"] = int(under_18)
    if consent is False and consent_date is not None:
        raise SocialError("--no-consent and --consent-date contradict each other; give one")
    if consent_date is not None:
        changes["consent_date"] = _consent_day(consent_date)
        changes["consent_on_record"] = 1
    elif consent is not None:
        changes["consent_on_record"] = int(consent)
        if not consent:
            changes["consent_date"] = None
    if guardian_consent is not None:
        changes["guardian_consent"] = int(guardian_consent)
    if not isinstance(notes, _Unset):
        changes["notes"] = (notes or "").strip()
    if not changes:
        raise SocialError(
            "nothing to change; give --rename, --under-18/--adult, --consent-date, "
            "--consent/--no-consent, --guardian-consent/--no-guardian-consent or --notes"
        )
    with db.atomic():
        if "name" in changes:
            _check_free(db, changes["name"], own_id=person.id)
        sets = ", ".join(f"{column} = ?" for column in changes)
        db.execute(
            f"UPDATE people_in_videos SET {sets} WHERE id = ?", [*changes.values(), person.id]
        )
    return get_person(db, changes.get("name", person.name))
