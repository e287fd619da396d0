"""The personal details we keep, and deleting one person's everywhere.

We store aggregate metrics only, never audience members' data. The few
personal details kept are team members' names and contacts, consent records of
people who appear in videos, and partner companies' contact persons. This
module lists them with where each is referenced, and deletes one person's in a
single transaction: their rows go, partner contacts are blanked (the partner
stays), reminder history stays without a name, and every mention of their
name, e-mail, Slack id or Teams address in free text (slot notes, reminder
errors, stored report figures, brief variables...) is replaced by
"[deleted]".

Posts, accounts and metrics collected from the platforms are public content
the platforms own; they are not rewritten (the next sync would restore them),
but a deletion says how many post captions mention the name.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from core.errors import SocialError
from db.lookup import did_you_mean
from db.scrub import FileCheck
from scheduler.people import Person, find_person, list_people, person_slots
from scheduler.team import Member, find_member, list_members, member_references
from social.privacy_files import FileOutcome

PLACEHOLDER = "[deleted]"

# Collected platform content (public, rewritten by every sync) and schema bookkeeping.
_NOT_SCANNED = {
    "_sqlite_migrations",
    "accounts",
    "posts",
    "ad_entities",
    "metric_values",
    "post_snapshots",
    "post_latest",
    "sync_bookmarks",
    "retired_metrics",
    "written_files",  # paths; the files themselves are rewritten (social.privacy_files)
}
# Columns holding the personal details themselves, handled row by row, not as free text.
_STRUCTURAL: dict[str, set[str] | None] = {
    "team_members": None,
    "partners": None,
    "people_in_videos": {"name"},
}


@dataclass(frozen=True)
class PartnerContact:
    """The contact person of a partner company."""

    partner_id: int
    partner: str
    name: str | None
    email: str | None


@dataclass
class Subject:
    """Everything stored about one person, found by name or e-mail."""

    query: str
    members: list[Member] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    contacts: list[PartnerContact] = field(default_factory=list)

    @property
    def display_name(self) -> str:
        for name in (
            *(m.name for m in self.members),
            *(p.name for p in self.people),
            *(c.name for c in self.contacts if c.name),
        ):
            return name
        return self.query

    def terms(self) -> list[str]:
        """Every identifier of the person: names, e-mails, Slack ids, Teams addresses."""
        found: list[str] = []
        for member in self.members:
            found += [member.name, member.email or "", member.slack_member or ""]
            found.append(member.teams or "")
        for person in self.people:
            found.append(person.name)
        for contact in self.contacts:
            found += [contact.name or "", contact.email or ""]
        unique: dict[str, str] = {}
        for term in found:
            if term.strip():
                unique.setdefault(term.casefold(), term)
        return list(unique.values())


@dataclass
class Deletion:
    """What a deletion removed, blanked, anonymised and redacted."""

    name: str
    members: list[str] = field(default_factory=list)
    people: list[str] = field(default_factory=list)
    partner_contacts: list[str] = field(default_factory=list)
    slot_ownerships: int = 0
    slot_appearances: int = 0
    reminders_anonymised: int = 0
    redacted: dict[str, int] = field(default_factory=dict)
    captions_mentioning: int = 0
    files: list[FileOutcome] = field(default_factory=list)
    check: FileCheck | None = None

    def lines(self, base: Path | None = None) -> list[str]:
        """The summary, what happened to the files, and what the database file holds."""
        from social.privacy_files import summary as files_summary

        out = [self.summary(), files_summary(self.files, base)]
        if self.check is not None:
            out.append(check_line(self.check))
        return out

    def summary(self) -> str:
        """One line saying what was deleted and what anonymous history was kept."""
        parts = []
        if self.members:
            parts.append("team member")
        if self.people:
            parts.append("consent record")
        for partner in self.partner_contacts:
            parts.append(f"contact at partner {partner}")
        line = f"Deleted {self.name}: {', '.join(parts)}"
        details = []
        if self.slot_ownerships:
            details.append(f"{_n(self.slot_ownerships, 'slot ownership')} removed")
        if self.slot_appearances:
            details.append(f"{_n(self.slot_appearances, 'slot appearance')} removed")
        if self.slot_ownerships or self.slot_appearances:
            details.append("the calendar slots stay")
        if self.reminders_anonymised:
            details.append(
                f"{_n(self.reminders_anonymised, 'reminder ledger row')} kept without a name"
            )
        total = sum(self.redacted.values())
        if total:
            where = ", ".join(sorted(self.redacted))
            details.append(f"{_n(total, 'mention')} redacted ({where})")
        if details:
            line += "; " + "; ".join(details)
        line += "."
        if self.captions_mentioning:
            line += (
                f" {_n(self.captions_mentioning, 'collected post caption')} still mention the "
                "name (public platform content; edit the post on the platform)."
            )
        return line

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "team_members": self.members,
            "consent_records": self.people,
            "partner_contacts": self.partner_contacts,
            "slot_ownerships_removed": self.slot_ownerships,
            "slot_appearances_removed": self.slot_appearances,
            "reminders_anonymised": self.reminders_anonymised,
            "redacted": self.redacted,
            "captions_mentioning": self.captions_mentioning,
            "files": [
                {"path": str(f.path), "action": f.action, "reason": f.reason} for f in self.files
            ],
            "database_file_clean": self.check.clean if self.check else None,
        }


def check_line(check: FileCheck) -> str:
    """What the check of the database file found, in one line."""
    if not check.flushed:
        return (
            "Database file: NOT CONFIRMED. Another program (the scheduler service, "
            "'calendar serve' or the web app) is reading the database, so SQLite cannot "
            "overwrite the old pages yet; stop it and run 'social privacy checkpoint'."
        )
    if check.leftovers:
        return (
            "Database file: NOT CLEAN. Traces of the deleted details remain in the file; "
            "run 'social privacy checkpoint' and report this."
        )
    kept = (
        f" ({', '.join(check.kept)} still appear in data that is kept, such as public post "
        "captions)"
        if check.kept
        else ""
    )
    return f"Database file: checked, none of the deleted details is left in it{kept}."


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


# --- finding ----------------------------------------------------------------------------------


def _contacts(db: Database) -> list[PartnerContact]:
    rows = db.execute(
        "SELECT id, name, contact_name, contact_email FROM partners "
        "WHERE COALESCE(contact_name, '') <> '' OR COALESCE(contact_email, '') <> '' "
        "ORDER BY name"
    ).fetchall()
    return [PartnerContact(r[0], r[1], r[2] or None, r[3] or None) for r in rows]


def _same(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return False
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def find_subject(db: Database, query: str) -> Subject:
    """Everything stored about the person named (or e-mailed) `query`; an error if nothing."""
    subject = Subject(query=query)
    member = find_member(db, query)
    members = list_members(db, include_inactive=True)
    if member is None:
        member = next((m for m in members if _same(m.email, query)), None)
    if member is not None:
        subject.members.append(member)
    person = find_person(db, query)
    if person is not None:
        subject.people.append(person)
    emails = {query.casefold()} | {m.email.casefold() for m in subject.members if m.email}
    for contact in _contacts(db):
        if _same(contact.name, query) or (contact.email and contact.email.casefold() in emails):
            subject.contacts.append(contact)
    # A partner contact's e-mail can also be a team member's: the same person.
    if not subject.members:
        contact_emails = {c.email.casefold() for c in subject.contacts if c.email}
        subject.members += [m for m in members if m.email and m.email.casefold() in contact_emails]
    # Found by e-mail: a consent record under the same name is the same person.
    if not subject.people:
        for name in [m.name for m in subject.members] + [
            c.name for c in subject.contacts if c.name
        ]:
            person = find_person(db, name)
            if person is not None:
                subject.people.append(person)
                break
    if not (subject.members or subject.people or subject.contacts):
        raise SocialError(
            f"no personal details stored for '{query}'{did_you_mean(query, known_names(db))}; "
            "see 'social privacy list'"
        )
    return subject


def known_names(db: Database) -> list[str]:
    """Every name and e-mail address kept, for suggestions."""
    names = [m.name for m in list_members(db, include_inactive=True)]
    names += [m.email for m in list_members(db, include_inactive=True) if m.email]
    names += [p.name for p in list_people(db)]
    for contact in _contacts(db):
        names += [x for x in (contact.name, contact.email) if x]
    return names


# --- free-text mentions -----------------------------------------------------------------------


def _text_columns(db: Database) -> list[tuple[str, str]]:
    """(table, column) of every free-text column that may mention a person."""
    tables = [
        r[0]
        for r in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name"
        ).fetchall()
    ]
    virtual = [
        r[0]
        for r in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL%'"
        ).fetchall()
    ]
    out: list[tuple[str, str]] = []
    for table in tables:
        if table in _NOT_SCANNED or any(table.startswith(f"{v}_") for v in virtual):
            continue
        skip = _STRUCTURAL.get(table, set())
        if skip is None:
            continue
        keys = _identity_columns(db, table)
        for _, column, ctype, _, _, pk in db.execute(f'PRAGMA table_info("{table}")').fetchall():
            kind = (ctype or "").upper()
            textual = kind == "" or any(t in kind for t in ("TEXT", "CHAR", "CLOB"))
            if textual and not pk and column not in skip and column not in keys:
                out.append((table, column))
    return out


def _identity_columns(db: Database, table: str) -> set[str]:
    """Columns that alone are UNIQUE in table: identifiers (uids, names) that stay as they are."""
    found: set[str] = set()
    for index in db.execute(f'PRAGMA index_list("{table}")').fetchall():
        if index[2]:  # unique
            columns = db.execute(f'PRAGMA index_info("{index[1]}")').fetchall()
            if len(columns) == 1:
                found.add(columns[0][2])
    return found


def _patterns(terms: Iterable[str]) -> list[re.Pattern[str]]:
    """Case-insensitive whole-word patterns for each term, also as escaped inside JSON."""
    variants: dict[str, None] = {}
    for term in terms:
        variants[term] = None
        variants[json.dumps(term)[1:-1]] = None
    return [
        re.compile(rf"(?<!\w){re.escape(v)}(?!\w)", re.IGNORECASE)
        for v in sorted(variants, key=len, reverse=True)
    ]


def _redact(
    text: str, patterns: list[re.Pattern[str]], protected: list[re.Pattern[str]]
) -> tuple[str, int]:
    """Replace every match outside a protected span (another kept person's longer name)."""
    count = 0
    for pattern in patterns:
        shield = [m.span() for p in protected for m in p.finditer(text)]
        pieces: list[str] = []
        last = 0
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(s <= start and end <= e and (e - s) > (end - start) for s, e in shield):
                continue
            pieces += [text[last:start], PLACEHOLDER]
            last = end
            count += 1
        if pieces:
            text = "".join(pieces) + text[last:]
    return text, count


def _protected_names(db: Database, subject: Subject) -> list[re.Pattern[str]]:
    own = {t.casefold() for t in subject.terms()}
    others = [n for n in known_names(db) if n.casefold() not in own]
    return _patterns(others)


def mentions(db: Database, subject: Subject) -> dict[str, int]:
    """Free-text mentions of the person per 'table.column' (read only)."""
    patterns = _patterns(subject.terms())
    protected = _protected_names(db, subject)
    found: dict[str, int] = {}
    for table, column in _text_columns(db):
        for (value,) in db.execute(
            f'SELECT "{column}" FROM "{table}" WHERE "{column}" IS NOT NULL'
        ).fetchall():
            if isinstance(value, str):
                _, count = _redact(value, patterns, protected)
                if count:
                    found[f"{table}.{column}"] = found.get(f"{table}.{column}", 0) + count
    return found


def _redact_everywhere(db: Database, subject: Subject) -> dict[str, int]:
    patterns = _patterns(subject.terms())
    protected = _protected_names(db, subject)
    done: dict[str, int] = {}
    for table, column in _text_columns(db):
        values = db.execute(
            f'SELECT DISTINCT "{column}" FROM "{table}" WHERE "{column}" IS NOT NULL'
        ).fetchall()
        for (value,) in values:
            if not isinstance(value, str):
                continue
            new, count = _redact(value, patterns, protected)
            if count:
                cur = db.execute(
                    f'UPDATE "{table}" SET "{column}" = ? WHERE "{column}" = ?', [new, value]
                )
                key = f"{table}.{column}"
                done[key] = done.get(key, 0) + count * max(cur.rowcount, 1)
    return done


def _captions_mentioning(db: Database, subject: Subject) -> int:
    names = [m.name for m in subject.members] + [p.name for p in subject.people]
    names += [c.name for c in subject.contacts if c.name]
    if not names:
        return 0
    patterns = _patterns(names)
    count = 0
    for term in {n.casefold() for n in names}:
        for (caption,) in db.execute(
            "SELECT caption FROM posts WHERE instr(lower(caption), ?) > 0", [term]
        ).fetchall():
            count += any(p.search(caption) for p in patterns)
    return count


# --- listing ----------------------------------------------------------------------------------


def personal_details(db: Database, name: str | None = None) -> list[dict[str, Any]]:
    """Every personal detail kept (or one person's), each with where it is referenced."""
    if name is not None:
        subject = find_subject(db, name)
        members, people, contacts = subject.members, subject.people, subject.contacts
    else:
        members = list_members(db, include_inactive=True)
        people = list_people(db)
        contacts = _contacts(db)
    rows: list[dict[str, Any]] = []
    for member in members:
        refs: dict[str, Any] = dict(member_references(db, member.id))
        refs["mentions"] = mentions(db, Subject(member.name, members=[member]))
        rows.append(
            {
                "kind": "team_member",
                "name": member.name,
                "details": {
                    "email": member.email,
                    "slack": member.slack_member,
                    "teams": member.teams,
                    "role": member.role,
                    "active": member.active,
                },
                "references": refs,
            }
        )
    for person in people:
        refs = {
            "slots_appearing": person_slots(db, person.id),
            "mentions": mentions(db, Subject(person.name, people=[person])),
        }
        rows.append(
            {
                "kind": "person_in_video",
                "name": person.name,
                "details": {
                    "under_18": person.under_18,
                    "consent_on_record": person.consent_on_record,
                    "consent_date": person.consent_date,
                    "guardian_consent": person.guardian_consent,
                    "birth_date": person.birth_date.isoformat() if person.birth_date else None,
                    "consents": [c.as_dict() for c in person.consents],
                    "notes": person.notes,
                },
                "references": refs,
            }
        )
    for contact in contacts:
        briefs = db.execute(
            "SELECT COUNT(*) FROM briefs WHERE partner_id = ?", [contact.partner_id]
        ).fetchone()[0]
        refs = {
            "partner": contact.partner,
            "briefs": int(briefs),
            "mentions": mentions(db, Subject(contact.name or "", contacts=[contact])),
        }
        rows.append(
            {
                "kind": "partner_contact",
                "name": contact.name or "",
                "details": {"email": contact.email, "partner": contact.partner},
                "references": refs,
            }
        )
    return rows


# --- deleting ---------------------------------------------------------------------------------


@contextmanager
def _wiping(db: Database) -> Iterator[None]:
    """One transaction whose deleted content is overwritten in the file (secure_delete).

    Without secure_delete SQLite leaves deleted rows in free space of the file;
    the WAL is dealt with after the transaction (`_reach_every_copy`).
    """
    db.execute("PRAGMA secure_delete = ON")
    with db.atomic():
        yield


def _feed_tokens(db: Database, subject: Subject) -> set[str]:
    ids = [m.id for m in subject.members]
    if not ids:
        return set()
    marks = ",".join("?" * len(ids))
    rows = db.execute(
        f"SELECT feed_token FROM team_members WHERE id IN ({marks}) AND feed_token IS NOT NULL",
        ids,
    ).fetchall()
    return {str(r[0]) for r in rows}


def _reach_every_copy(
    db: Database,
    subject: Subject,
    result: Deletion,
    tokens: set[str],
    *,
    files: bool,
    wait_seconds: float,
) -> None:
    """After the deletion is committed: the files the tool wrote, then the database file."""
    from db.scrub import check_file, flush_wal
    from social.privacy_files import scrub_written_files, variants

    terms = subject.terms()
    if files:
        patterns = [
            re.compile(rf"(?<!\w){re.escape(v)}(?!\w)", re.IGNORECASE)
            for v in sorted({v for t in terms for v in variants(t)}, key=len, reverse=True)
        ]
        protected = _protected_names(db, subject)

        def redact(text: str) -> tuple[str, int]:
            return _redact(text, patterns, protected)

        def in_backup(backup: Database) -> bool:
            changed = False
            with backup.atomic():
                try:
                    found = find_subject(backup, subject.query)
                except SocialError:
                    found = None
                if found is not None:
                    _delete(backup, found)
                    changed = True
                changed = bool(_redact_everywhere(backup, subject)) or changed
            return changed

        result.files = scrub_written_files(
            db, redact, terms=terms, feed_tokens=tokens, delete_in_backup=in_backup
        )
    flushed = flush_wal(db, wait_seconds=wait_seconds)
    result.check = check_file(db, terms, flushed=flushed)


def forget(db: Database, query: str, *, files: bool = True, wait_seconds: float = 5.0) -> Deletion:
    """Delete one person's personal details everywhere: the database in one transaction, then
    the files the tool wrote, then a check that the database file holds none of it."""
    with _wiping(db):
        subject = find_subject(db, query)
        tokens = _feed_tokens(db, subject)
        result = _delete(db, subject)
    _reach_every_copy(db, subject, result, tokens, files=files, wait_seconds=wait_seconds)
    return result


def forget_team_member(
    db: Database, name: str, *, files: bool = True, wait_seconds: float = 5.0
) -> Deletion:
    """Remove a team member: their row and contacts, and their mentions in free text and files.

    Their consent record or partner-contact role (if any) is left to `forget`.
    """
    from scheduler.team import get_member

    with _wiping(db):
        member = get_member(db, name)
        subject = Subject(query=name, members=[member])
        tokens = _feed_tokens(db, subject)
        result = _delete(db, subject)
    _reach_every_copy(db, subject, result, tokens, files=files, wait_seconds=wait_seconds)
    return result


def forget_person(
    db: Database, name: str, *, files: bool = True, wait_seconds: float = 5.0
) -> Deletion:
    """Delete a consent record, the person's slot appearances and their mentions everywhere."""
    from scheduler.people import get_person

    with _wiping(db):
        person = get_person(db, name)
        subject = Subject(query=name, people=[person])
        result = _delete(db, subject)
    _reach_every_copy(db, subject, result, set(), files=files, wait_seconds=wait_seconds)
    return result


def _delete(db: Database, subject: Subject) -> Deletion:
    result = Deletion(name=subject.display_name)
    result.captions_mentioning = _captions_mentioning(db, subject)
    for member in subject.members:
        refs = member_references(db, member.id)
        result.slot_ownerships += refs["slots_owned"]
        result.reminders_anonymised += refs["reminders"]
        # slot_owners cascade; reminder_ledger.member_id becomes NULL (ON DELETE SET NULL).
        db.execute("DELETE FROM team_members WHERE id = ?", [member.id])
        result.members.append(member.name)
    for person in subject.people:
        result.slot_appearances += person_slots(db, person.id)
        db.execute("DELETE FROM people_in_videos WHERE id = ?", [person.id])
        result.people.append(person.name)
    for contact in subject.contacts:
        db.execute(
            "UPDATE partners SET contact_name = NULL, contact_email = NULL WHERE id = ?",
            [contact.partner_id],
        )
        result.partner_contacts.append(contact.partner)
    # After the rows are gone, so only the names of people we keep are shielded.
    result.redacted = _redact_everywhere(db, subject)
    return result
