"""The content calendar: slots the team plans, who owns them and who appears in them.

A slot is planned at a moment stored in UTC and typed by people in local time
(Europe/Oslo by default). Every change that alters what a phone shows bumps the
slot's `sequence` and `updated_at`, so subscribed calendars pick the update up.
Names (owners, people in the video, campaigns, partners) are resolved to rows
here, with errors that say which command creates the missing one.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Final
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from core import registry
from core.errors import SocialError
from core.timeutil import check_range, from_utc_iso, to_utc_iso, utcnow
from db.lookup import find_id, row_number
from scheduler.consent import (
    AGE_UNKNOWN,
    DEFAULT_RULES,
    MISSING,
    NEEDS_GUARDIAN,
    WITHDRAWN,
    Issue,
    Rules,
    facts,
    issues_for_slots,
)

STATUSES: Final = ("idea", "planned", "in_production", "ready", "published", "skipped")
STATUS_LABELS: Final = {
    "nb": {
        "idea": "idé",
        "planned": "planlagt",
        "in_production": "i produksjon",
        "ready": "klar",
        "published": "publisert",
        "skipped": "droppet",
    },
    "en": {
        "idea": "idea",
        "planned": "planned",
        "in_production": "in production",
        "ready": "ready",
        "published": "published",
        "skipped": "skipped",
    },
}
# A list separator inside one spreadsheet cell; names and tags may not contain it.
SEPARATOR: Final = ";"
MAX_TITLE: Final = 300
MAX_NOTES: Final = 20_000
MAX_NAME: Final = 100

_LOCAL_FORMATS: Final = ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S")


class _Unset:
    """Marks an edit option that was not given."""

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Final = _Unset()


@dataclass(frozen=True)
class Appearance:
    """A person who appears in a slot's video, with what stops their consent for it."""

    name: str
    under_18: bool
    issues: tuple[Issue, ...] = ()

    @property
    def consent_on_record(self) -> bool:
        """Consent for the slot's channel is on record and not withdrawn."""
        return not any(i.code in (MISSING, WITHDRAWN) for i in self.issues)

    @property
    def guardian_consent(self) -> bool:
        """No guardian's consent is missing (given, or not needed)."""
        return not any(i.code in (NEEDS_GUARDIAN, AGE_UNKNOWN) for i in self.issues)

    def problems(self, lang: str = "en") -> list[str]:
        """What is missing before this person may appear in the slot's video, in words."""
        return [issue.text(lang) for issue in self.issues]


@dataclass
class Slot:
    """One calendar slot as stored, with names resolved."""

    id: int
    uid: str
    planned_at: str
    platform: str
    account: str | None
    title: str
    notes: str
    tags: list[str]
    campaign: str | None
    partner: str | None
    status: str
    post: str | None
    link_manual: bool
    sequence: int
    created_at: str
    updated_at: str
    owners: list[str] = field(default_factory=list)
    appearances: list[Appearance] = field(default_factory=list)

    def local(self, zone: str) -> datetime:
        """The planned moment in the given zone."""
        return from_utc_iso(self.planned_at).astimezone(ZoneInfo(zone))

    def consent_warnings(self, lang: str = "en") -> list[str]:
        """'Name: no TikTok consent' for everyone in the video whose consent is not in place."""
        return [
            f"{person.name}: {', '.join(person.problems(lang))}"
            for person in self.appearances
            if person.issues
        ]

    def as_dict(self, zone: str) -> dict[str, Any]:
        """A JSON-friendly view with the local time next to the stored UTC one."""
        return {
            "id": self.id,
            "uid": self.uid,
            "planned_at": self.planned_at,
            "local": self.local(zone).strftime("%Y-%m-%d %H:%M"),
            "platform": self.platform,
            "account": self.account,
            "title": self.title,
            "owners": self.owners,
            "tags": self.tags,
            "status": self.status,
            "campaign": self.campaign,
            "partner": self.partner,
            "appears": [
                {
                    "name": p.name,
                    "under_18": p.under_18,
                    "consent_on_record": p.consent_on_record,
                    "guardian_consent": p.guardian_consent,
                    "issues": [i.code for i in p.issues],
                }
                for p in self.appearances
            ],
            "consent": self.consent_warnings(),
            "notes": self.notes,
            "post": self.post,
            "link_manual": self.link_manual,
            "sequence": self.sequence,
            "updated_at": self.updated_at,
        }


# --- parsing user input -----------------------------------------------------------------------


def parse_when(text: str, zone: str) -> datetime:
    """A moment typed as local 'YYYY-MM-DD HH:MM' (in zone) or ISO with an offset, as UTC."""
    cleaned = text.strip()
    tz = ZoneInfo(zone)
    naive: datetime | None = None
    for fmt in _LOCAL_FORMATS if cleaned.isascii() else ():
        try:
            naive = datetime.strptime(cleaned, fmt)
            break
        except ValueError:
            continue
    if naive is None:
        try:
            if not cleaned.isascii():
                raise ValueError(cleaned)
            parsed = datetime.fromisoformat(cleaned.replace("Z", "+00:00"))
        except ValueError:
            raise SocialError(
                f"'{_short(text)}' is not a date and time; write it as 'YYYY-MM-DD HH:MM' in "
                f"local time ({zone}), e.g. '2026-12-01 16:00'"
            ) from None
        naive = parsed.replace(tzinfo=None)
        try:
            check_range(naive.date(), text)
        except ValueError as exc:
            raise SocialError(str(exc)) from None
        if parsed.tzinfo is not None:
            return parsed.astimezone(UTC)
    try:
        check_range(naive.date(), text)
    except ValueError as exc:
        raise SocialError(str(exc)) from None
    local = naive.replace(tzinfo=tz)
    # A wall-clock time skipped by the spring change does not survive a round trip via UTC.
    back = local.astimezone(UTC).astimezone(tz).replace(tzinfo=None)
    if back != naive:
        raise SocialError(
            f"'{text}' does not exist in {zone} (the clocks skip that hour for summer time); "
            "pick a time outside the skipped hour"
        )
    return local.astimezone(UTC)


def _short(text: str) -> str:
    return text if len(text) <= 40 else text[:37] + "..."


def parse_status(text: str) -> str:
    """A status as stored; 'in-production' and 'in production' are accepted too."""
    value = text.strip().lower().replace("-", "_").replace(" ", "_")
    for lang_labels in STATUS_LABELS.values():
        for key, label in lang_labels.items():
            if value == label.replace(" ", "_"):
                value = key
    if value not in STATUSES:
        raise SocialError(
            f"unknown status '{text}'; use one of {', '.join(s.replace('_', '-') for s in STATUSES)}"
        )
    return value


def parse_platform(text: str) -> str:
    """A platform name in lower case, or an error listing the known ones."""
    value = text.strip().lower()
    if value not in registry.names():
        raise SocialError(f"unknown platform '{text}'; use one of {', '.join(registry.names())}")
    return value


def clean_list(values: Iterable[str], what: str) -> list[str]:
    """Trimmed, de-duplicated (keeping order) names or tags without the list separator."""
    out: list[str] = []
    for raw in values:
        value = " ".join(raw.split())
        if not value:
            continue
        if len(value) > MAX_NAME:
            raise SocialError(
                f"{what} '{value[:40]}...' is {len(value)} characters long; use at most {MAX_NAME}"
            )
        if SEPARATOR in value:
            raise SocialError(
                f"{what} '{value}' contains '{SEPARATOR}'; give each {what} on its own "
                f"(repeat the option) without '{SEPARATOR}'"
            )
        if value not in out:
            out.append(value)
    return out


def clean_title(text: str) -> str:
    """A non-empty one-line title of at most MAX_TITLE characters."""
    title = " ".join(text.split())
    if not title:
        raise SocialError("the title is empty; give the slot a short title with --title")
    if _control(title):
        raise SocialError("the title contains control characters; type it as plain text")
    if len(title) > MAX_TITLE:
        raise SocialError(
            f"the title is {len(title)} characters long; keep it to {MAX_TITLE} "
            "(put the rest in the notes)"
        )
    return title


def _control(text: str) -> bool:
    """Terminal control characters (escape sequences could rewrite a console reminder)."""
    return any(ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0 for ch in text)


def clean_notes(text: str) -> str:
    """Notes of at most MAX_NOTES characters."""
    notes = text.strip()
    if _control(notes.replace("\n", "").replace("\t", "").replace("\r", "")):
        raise SocialError("the notes contain control characters; type them as plain text")
    if len(notes) > MAX_NOTES:
        raise SocialError(
            f"the notes are {len(notes)} characters long; keep them to {MAX_NOTES} "
            "(link to a document for a long script)"
        )
    return notes


def new_uid() -> str:
    """A globally unique, stable UID for a new slot (also its iCal UID)."""
    return f"{uuid.uuid4()}@social"


# --- name lookups -----------------------------------------------------------------------------


def member_id(db: Database, name: str) -> int:
    """The team member with this name (ignoring case), or an error pointing to `social team add`."""
    found = find_id(db, "team_members", name)
    if found is None:
        raise SocialError(
            f"no team member named '{name}'; add them with 'social team add \"{name}\"' "
            "(see 'social team list')"
        )
    return found[0]


def person_id(db: Database, name: str) -> int:
    """The person with a consent record of this name, or an error pointing to the command."""
    found = find_id(db, "people_in_videos", name)
    if found is None:
        raise SocialError(
            f"no consent record for '{name}'; add one with 'social team person add \"{name}\"'"
        )
    return found[0]


def campaign_id(db: Database, name: str) -> int:
    """The campaign with this name, or an error pointing to `social campaign add`."""
    found = find_id(db, "campaigns", name)
    if found is None:
        raise SocialError(
            f"no campaign named '{name}'; add it with 'social campaign add' "
            "(see 'social campaign list')"
        )
    return found[0]


def partner_id(db: Database, name: str) -> int:
    """The partner with this name, or an error pointing to `social partner add`."""
    found = find_id(db, "partners", name)
    if found is None:
        raise SocialError(
            f"no partner named '{name}'; add it with 'social partner add \"{name}\"' "
            "(see 'social partner list')"
        )
    return found[0]


def account_id(db: Database, platform: str, ref: str) -> int:
    """The account of this platform whose external id or name is ref."""
    row = db.execute(
        "SELECT id FROM accounts WHERE platform = ? AND (external_id = ? OR name = ?) "
        "ORDER BY kind != 'organic', id LIMIT 1",
        [platform, ref.strip(), ref.strip()],
    ).fetchone()
    if row is None:
        raise SocialError(
            f"no {platform} account '{ref}'; run 'social sync' first or see 'social status' "
            "for the accounts there are"
        )
    return int(row[0])


def post_id(db: Database, platform: str, external_id: str) -> int:
    """The stored post of this platform with this external id."""
    row = db.execute(
        "SELECT id FROM posts WHERE platform = ? AND external_id = ?",
        [platform, external_id.strip()],
    ).fetchone()
    if row is None:
        raise SocialError(
            f"no {platform} post with id '{external_id}'; run 'social sync' (or 'social import') "
            f"first, or see 'social posts --platform {platform}'"
        )
    return int(row[0])


def slot_id(db: Database, ref: str | int) -> int:
    """A slot referred to by its short id (the number) or its uid."""
    text = str(ref).strip()
    row = None
    number = row_number(text)
    if number is not None:
        row = db.execute("SELECT id FROM calendar_slots WHERE id = ?", [number]).fetchone()
    if row is None:
        row = db.execute("SELECT id FROM calendar_slots WHERE uid = ?", [text]).fetchone()
    if row is None:
        shown = text if len(text) <= 40 else text[:37] + "..."
        raise SocialError(f"no calendar slot '{shown}'; see 'social calendar list' for the ids")
    return int(row[0])


# --- reads ------------------------------------------------------------------------------------

_SELECT = """
SELECT s.id, s.uid, s.planned_at, s.platform, a.external_id, s.title, s.notes, s.tags,
       c.name, pa.name, s.status, p.external_id, s.link_manual, s.sequence, s.created_at,
       s.updated_at
FROM calendar_slots s
LEFT JOIN accounts a ON a.id = s.account_id
LEFT JOIN campaigns c ON c.id = s.campaign_id
LEFT JOIN partners pa ON pa.id = s.partner_id
LEFT JOIN posts p ON p.id = s.post_id
"""


def _slots(
    db: Database,
    where: str,
    params: Sequence[Any],
    *,
    rules: Rules = DEFAULT_RULES,
    zone: str = "Europe/Oslo",
) -> list[Slot]:
    rows = db.execute(f"{_SELECT} {where} ORDER BY s.planned_at, s.id", list(params)).fetchall()
    slots = [
        Slot(
            id=r[0],
            uid=r[1],
            planned_at=r[2],
            platform=r[3],
            account=r[4],
            title=r[5],
            notes=r[6] or "",
            tags=list(json.loads(r[7] or "[]")),
            campaign=r[8],
            partner=r[9],
            status=r[10],
            post=r[11],
            link_manual=bool(r[12]),
            sequence=int(r[13]),
            created_at=r[14],
            updated_at=r[15],
        )
        for r in rows
    ]
    if not slots:
        return slots
    by_id = {s.id: s for s in slots}
    marks = ",".join("?" * len(by_id))
    for sid, name in db.execute(
        f"SELECT o.slot_id, m.name FROM slot_owners o JOIN team_members m ON m.id = o.member_id "
        f"WHERE o.slot_id IN ({marks}) ORDER BY m.name",
        list(by_id),
    ).fetchall():
        by_id[sid].owners.append(name)
    found = issues_for_slots(
        db, [(s.id, s.platform, s.planned_at) for s in slots], rules=rules, zone=zone
    )
    people = facts(db, (pid for per in found.values() for pid in per))
    from datetime import date

    from scheduler.consent import is_minor

    today = date.today()
    for sid, per_person in found.items():
        for pid, problems in sorted(per_person.items(), key=lambda kv: people[kv[0]].name):
            person = people[pid]
            minor = is_minor(person, today, rules)
            by_id[sid].appearances.append(Appearance(person.name, minor, tuple(problems)))
    return slots


def get_slot(
    db: Database, ref: str | int, *, rules: Rules = DEFAULT_RULES, zone: str = "Europe/Oslo"
) -> Slot:
    """One slot by short id or uid, with consent checked by the rules."""
    return _slots(db, "WHERE s.id = ?", [slot_id(db, ref)], rules=rules, zone=zone)[0]


def list_slots(
    db: Database,
    *,
    start: datetime | None = None,
    end: datetime | None = None,
    owner: str | None = None,
    status: str | None = None,
    rules: Rules = DEFAULT_RULES,
    zone: str = "Europe/Oslo",
) -> list[Slot]:
    """Slots in [start, end) (UTC), of an owner and/or status, in planned order."""
    clauses: list[str] = []
    params: list[Any] = []
    if start is not None:
        clauses.append("s.planned_at >= ?")
        params.append(to_utc_iso(start))
    if end is not None:
        clauses.append("s.planned_at < ?")
        params.append(to_utc_iso(end))
    if owner is not None:
        clauses.append("s.id IN (SELECT slot_id FROM slot_owners WHERE member_id = ?)")
        params.append(member_id(db, owner))
    if status is not None:
        clauses.append("s.status = ?")
        params.append(parse_status(status))
    where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
    return _slots(db, where, params, rules=rules, zone=zone)


# --- writes -----------------------------------------------------------------------------------


@dataclass
class SlotFields:
    """Resolved column values of a slot; a field left UNSET is not changed."""

    planned_at: Any = UNSET
    platform: Any = UNSET
    account_id: Any = UNSET
    title: Any = UNSET
    notes: Any = UNSET
    tags: Any = UNSET
    campaign_id: Any = UNSET
    partner_id: Any = UNSET
    status: Any = UNSET
    post_id: Any = UNSET
    link_manual: Any = UNSET
    owner_ids: Any = UNSET
    person_ids: Any = UNSET

    def columns(self) -> dict[str, Any]:
        """The calendar_slots columns that were given, as stored."""
        out: dict[str, Any] = {}
        for key in (
            "planned_at",
            "platform",
            "account_id",
            "title",
            "notes",
            "campaign_id",
            "partner_id",
            "status",
            "post_id",
            "link_manual",
        ):
            value = getattr(self, key)
            if value is not UNSET:
                out[key] = value
        if self.tags is not UNSET:
            out["tags"] = json.dumps(list(self.tags), ensure_ascii=False)
        return out


def resolve(
    db: Database,
    zone: str,
    *,
    at: str | None = None,
    platform: str | None = None,
    account: str | None = None,
    title: str | None = None,
    notes: str | None = None,
    tags: Sequence[str] | None = None,
    campaign: str | None = None,
    partner: str | None = None,
    status: str | None = None,
    owners: Sequence[str] | None = None,
    appears: Sequence[str] | None = None,
    current_platform: str | None = None,
) -> SlotFields:
    """Check and resolve user-typed values; None means 'not given', '' clears an optional one."""
    fields = SlotFields()
    if at is not None:
        fields.planned_at = to_utc_iso(parse_when(at, zone))
    if platform is not None:
        fields.platform = parse_platform(platform)
    plat = fields.platform if platform is not None else current_platform
    if account is not None:
        if not account.strip():
            fields.account_id = None
        else:
            if plat is None:
                raise SocialError("an account needs a platform; give --platform too")
            fields.account_id = account_id(db, plat, account)
    if title is not None:
        fields.title = clean_title(title)
    if notes is not None:
        fields.notes = clean_notes(notes)
    if tags is not None:
        fields.tags = clean_list(tags, "tag")
    if campaign is not None:
        fields.campaign_id = campaign_id(db, campaign) if campaign.strip() else None
    if partner is not None:
        fields.partner_id = partner_id(db, partner) if partner.strip() else None
    if status is not None:
        fields.status = parse_status(status)
    if owners is not None:
        fields.owner_ids = [member_id(db, n) for n in clean_list(owners, "owner")]
    if appears is not None:
        fields.person_ids = [person_id(db, n) for n in clean_list(appears, "person")]
    return fields


def create_slot(
    db: Database, fields: SlotFields, *, uid: str | None = None, now: datetime | None = None
) -> int:
    """Insert a slot (inside the caller's transaction if any) and return its id."""
    for required in ("planned_at", "platform", "title"):
        if getattr(fields, required) is UNSET:
            raise SocialError(f"a new slot needs --{required.replace('planned_at', 'at')}")
    stamp = to_utc_iso(now or utcnow())
    row = {"tags": "[]", "notes": "", "status": "planned", "link_manual": 0}
    row.update(fields.columns())
    row.update({"uid": uid or new_uid(), "sequence": 0, "created_at": stamp, "updated_at": stamp})
    with db.atomic():
        cursor = db.execute(
            f"INSERT INTO calendar_slots ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
            list(row.values()),
        )
        new_id = int(cursor.lastrowid or 0)
        _set_links(db, new_id, fields)
    return new_id


def update_slot(db: Database, sid: int, fields: SlotFields, *, now: datetime | None = None) -> bool:
    """Apply the given fields; bump sequence and updated_at if anything changed."""
    columns = fields.columns()
    current = db.execute(
        f"SELECT {', '.join(columns) or 'id'} FROM calendar_slots WHERE id = ?", [sid]
    ).fetchone()
    changed = {k: v for (k, v), old in zip(columns.items(), current, strict=False) if v != old}
    with db.atomic():
        links_changed = _set_links(db, sid, fields)
        if not changed and not links_changed:
            return False
        changed["updated_at"] = to_utc_iso(now or utcnow())
        sets = ", ".join(f"{k} = ?" for k in changed)
        db.execute(
            f"UPDATE calendar_slots SET {sets}, sequence = sequence + 1 WHERE id = ?",
            [*changed.values(), sid],
        )
    return True


def _set_links(db: Database, sid: int, fields: SlotFields) -> bool:
    """Replace owners and people in the video if given; True if either set changed."""
    changed = False
    for ids, table, column in (
        (fields.owner_ids, "slot_owners", "member_id"),
        (fields.person_ids, "slot_appearances", "person_id"),
    ):
        if ids is UNSET:
            continue
        old = {r[0] for r in db.execute(f"SELECT {column} FROM {table} WHERE slot_id = ?", [sid])}
        if old == set(ids):
            continue
        changed = True
        db.execute(f"DELETE FROM {table} WHERE slot_id = ?", [sid])
        for value in ids:
            db.execute(f"INSERT INTO {table} (slot_id, {column}) VALUES (?, ?)", [sid, value])
    return changed


def _check_post_free(db: Database, sid: int, pid: int) -> None:
    other = db.execute(
        "SELECT id, title FROM calendar_slots WHERE post_id = ? AND id != ?", [pid, sid]
    ).fetchone()
    if other is not None:
        raise SocialError(
            f"that post is already linked to slot {other[0]} ('{other[1]}'); unlink it there "
            f"first with 'social calendar edit {other[0]} --unlink'"
        )


def link_post(
    db: Database, ref: str | int, external_id: str, *, now: datetime | None = None
) -> Slot:
    """Link a slot to its published post by hand; a manual link is never overridden."""
    sid = slot_id(db, ref)
    platform = db.execute("SELECT platform FROM calendar_slots WHERE id = ?", [sid]).fetchone()[0]
    pid = post_id(db, platform, external_id)
    _check_post_free(db, sid, pid)
    update_slot(db, sid, SlotFields(post_id=pid, link_manual=1, status="published"), now=now)
    return get_slot(db, sid)


def unlink_post(db: Database, ref: str | int, *, now: datetime | None = None) -> Slot:
    """Forget a slot's post (manual or matched); the status stays as it is."""
    sid = slot_id(db, ref)
    update_slot(db, sid, SlotFields(post_id=None, link_manual=0), now=now)
    return get_slot(db, sid)


def mark_done(
    db: Database, ref: str | int, *, post: str | None = None, now: datetime | None = None
) -> Slot:
    """Mark a slot published, linking its post by hand when given."""
    if post:
        return link_post(db, ref, post, now=now)
    sid = slot_id(db, ref)
    update_slot(db, sid, SlotFields(status="published"), now=now)
    return get_slot(db, sid)


def remove_slot(db: Database, ref: str | int) -> Slot:
    """Delete a slot (its owners and appearances go with it)."""
    slot = get_slot(db, ref)
    with db.atomic():
        db.execute("DELETE FROM calendar_slots WHERE id = ?", [slot.id])
    return slot


def week_range(text: str, zone: str) -> tuple[datetime, datetime]:
    """UTC bounds of a local ISO week written '2026-W49'."""
    from core.timeutil import parse_iso_week, week_bounds_utc

    if not re.fullmatch(r"\d{4}-[Ww]\d{1,2}", text.strip()):
        raise SocialError(f"'{text}' is not an ISO week; write it like 2026-W49")
    try:
        monday, _ = parse_iso_week(text.strip())
    except ValueError as exc:
        raise SocialError(str(exc)) from None
    return week_bounds_utc(monday, zone)
