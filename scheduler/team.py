"""The team: the people who plan and film videos and get reminders.

Each member has a role, the channels reminders reach them on (e-mail, Slack
member id, Teams sign-in address), quiet hours in local time and a language.
Only these contact details are kept; removing a member is done through
`social.privacy`, which also scrubs their details from free text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time
from typing import Any, Final

from sqlite_utils import Database

from core.errors import SocialError
from core.timeutil import to_utc_iso, utcnow
from db.lookup import did_you_mean, find_id

ROLES: Final = ("student", "communications", "partner_contact")
LANGUAGES: Final = ("nb", "en")

_EMAIL = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$"
)
# Slack user ids: U (or W for Enterprise Grid) and 8-12 upper-case letters/digits.
_SLACK = re.compile(r"^[UW][A-Z0-9]{8,12}$")
_GUID = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
_HHMM = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


class _Unset:
    """Marks an edit option that was not given (None means 'clear it')."""

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Final = _Unset()


@dataclass(frozen=True)
class Member:
    """One team member as stored."""

    id: int
    name: str
    role: str
    email: str | None
    slack_member: str | None
    teams: str | None
    quiet_start: str | None
    quiet_end: str | None
    language: str
    active: bool
    created_at: str

    @property
    def quiet(self) -> str:
        """Quiet hours as 'HH:MM-HH:MM', or '' when none are set."""
        if self.quiet_start and self.quiet_end:
            return f"{self.quiet_start}-{self.quiet_end}"
        return ""

    def channels(self) -> list[str]:
        """The channels this member can be reached on."""
        return [
            name
            for name, value in (
                ("email", self.email),
                ("slack", self.slack_member),
                ("teams", self.teams),
            )
            if value
        ]

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "role": self.role,
            "email": self.email,
            "slack": self.slack_member,
            "teams": self.teams,
            "quiet": self.quiet or None,
            "language": self.language,
            "active": self.active,
        }


_COLUMNS = (
    "id, name, role, email, slack_member, teams, quiet_start, quiet_end, language, active, "
    "created_at"
)


def _member(row: Any) -> Member:
    return Member(
        id=row[0],
        name=row[1],
        role=row[2],
        email=row[3],
        slack_member=row[4],
        teams=row[5],
        quiet_start=row[6],
        quiet_end=row[7],
        language=row[8],
        active=bool(row[9]),
        created_at=row[10],
    )


# --- validation -------------------------------------------------------------------------------


def clean_name(name: str) -> str:
    """A person's name with whitespace collapsed; empty or control characters are refused."""
    cleaned = " ".join(name.split())
    if not cleaned:
        raise SocialError("the name is empty; give the person's name, e.g. 'Kari Nordmann'")
    if any(ord(ch) < 32 for ch in cleaned) or len(cleaned) > 100:
        raise SocialError(
            f"'{cleaned[:40]}' is not a usable name; use at most 100 printable characters"
        )
    return cleaned


def parse_role(text: str) -> str:
    """'student', 'communications' or 'partner_contact' (also written partner-contact)."""
    role = text.strip().lower().replace("-", "_").replace(" ", "_")
    if role not in ROLES:
        raise SocialError(f"unknown role '{text}'; use student, communications or partner-contact")
    return role


def validate_email(text: str) -> str:
    """A plausible e-mail address (lower-cased domain), or a clear error."""
    value = text.strip()
    if not _EMAIL.match(value) or ".." in value:
        raise SocialError(
            f"'{text}' is not an e-mail address; write it like kari.nordmann@example.no"
        )
    local, domain = value.rsplit("@", 1)
    return f"{local}@{domain.lower()}"


def validate_slack(text: str) -> str:
    """A Slack member id such as U012ABCDEF (not a display name or a webhook)."""
    value = text.strip().upper()
    if not _SLACK.match(value):
        raise SocialError(
            f"'{text}' is not a Slack member id; copy it from the person's Slack profile "
            "(More > Copy member ID), it looks like U012ABCDEF"
        )
    return value


def validate_teams(text: str) -> str:
    """A Teams sign-in address (name@org.no) or Entra object id; never a webhook URL."""
    value = text.strip()
    if "://" in value or value.lower().startswith(("http", "www.")):
        raise SocialError(
            "the Teams address looks like a URL; webhook URLs are secrets and belong in "
            "SOCIAL_TEAMS_WEBHOOK, give the person's Teams sign-in address (name@org.no) instead"
        )
    if _GUID.match(value):
        return value.lower()
    try:
        return validate_email(value)
    except SocialError:
        raise SocialError(
            f"'{text}' is not a Teams address; give the person's Teams sign-in address "
            "(name@org.no) or their Entra object id (a GUID)"
        ) from None


def _hhmm(text: str, whole: str) -> str:
    match = _HHMM.match(text.strip())
    if not match:
        raise SocialError(f"quiet hours '{whole}' are not HH:MM-HH:MM; write them like 22:00-07:00")
    return f"{int(match.group(1)):02d}:{match.group(2)}"


def parse_quiet(text: str) -> tuple[str, str] | None:
    """'22:00-07:00' -> ('22:00', '07:00'); '', 'none' or 'off' -> None (no quiet hours)."""
    value = text.strip()
    if value.lower() in ("", "none", "off"):
        return None
    parts = value.split("-")
    if len(parts) != 2:
        raise SocialError(f"quiet hours '{text}' are not HH:MM-HH:MM; write them like 22:00-07:00")
    start, end = _hhmm(parts[0], text), _hhmm(parts[1], text)
    if start == end:
        raise SocialError(
            f"quiet hours '{text}' start and end at the same time; give a range like 22:00-07:00"
        )
    return start, end


def in_quiet_hours(start: str | None, end: str | None, local: time) -> bool:
    """Whether a local time is inside quiet hours start-end (which may pass midnight)."""
    if not start or not end:
        return False
    now = local.strftime("%H:%M")
    if start < end:
        return start <= now < end
    return now >= start or now < end


def parse_language(text: str) -> str:
    lang = text.strip().lower()
    if lang not in LANGUAGES:
        raise SocialError(f"unknown language '{text}'; use nb or en")
    return lang


# --- reads ------------------------------------------------------------------------------------


def find_member(db: Database, name: str) -> Member | None:
    """The member with this name (exact, else ignoring case), or None."""
    found = find_id(db, "team_members", name)
    if found is None:
        return None
    return _member(
        db.execute(f"SELECT {_COLUMNS} FROM team_members WHERE id = ?", [found[0]]).fetchone()
    )


def get_member(db: Database, name: str) -> Member:
    """The member with this name, or an error suggesting the closest names."""
    member = find_member(db, name)
    if member is None:
        names = [r[0] for r in db.execute("SELECT name FROM team_members").fetchall()]
        raise SocialError(
            f"no team member named '{name}'{did_you_mean(name, names)}; "
            "see 'social team list --all'"
        )
    return member


def list_members(db: Database, *, include_inactive: bool = False) -> list[Member]:
    """Members ordered by name; only active ones unless include_inactive."""
    where = "" if include_inactive else "WHERE active = 1"
    rows = db.execute(f"SELECT {_COLUMNS} FROM team_members {where} ORDER BY name").fetchall()
    return [_member(r) for r in rows]


def member_references(db: Database, member_id: int) -> dict[str, int]:
    """How often a member is referenced: calendar slots owned and reminder ledger rows."""
    slots = db.execute(
        "SELECT COUNT(*) FROM slot_owners WHERE member_id = ?", [member_id]
    ).fetchone()[0]
    ledger = db.execute(
        "SELECT COUNT(*) FROM reminder_ledger WHERE member_id = ?", [member_id]
    ).fetchone()[0]
    return {"slots_owned": int(slots), "reminders": int(ledger)}


# --- writes -----------------------------------------------------------------------------------


def _check_free(db: Database, name: str, own_id: int | None = None) -> None:
    other = find_member(db, name)
    if other is not None and other.id != own_id:
        raise SocialError(
            f"a team member named '{other.name}' already exists; pick another name or "
            f"change them with 'social team edit \"{other.name}\"'"
        )


def add_member(
    db: Database,
    name: str,
    *,
    role: str = "student",
    email: str | None = None,
    slack: str | None = None,
    teams: str | None = None,
    quiet: str | None = None,
    language: str = "nb",
    active: bool = True,
) -> Member:
    """Validate and store a new team member; nothing is written if any value is bad."""
    row: dict[str, Any] = {
        "name": clean_name(name),
        "role": parse_role(role),
        "email": validate_email(email) if email else None,
        "slack_member": validate_slack(slack) if slack else None,
        "teams": validate_teams(teams) if teams else None,
        "quiet_start": None,
        "quiet_end": None,
        "language": parse_language(language),
        "active": int(active),
        "created_at": to_utc_iso(utcnow()),
    }
    hours = parse_quiet(quiet) if quiet else None
    if hours:
        row["quiet_start"], row["quiet_end"] = hours
    with db.atomic():
        _check_free(db, row["name"])
        db.execute(
            f"INSERT INTO team_members ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
            list(row.values()),
        )
    return get_member(db, row["name"])


def edit_member(
    db: Database,
    name: str,
    *,
    rename: str | None = None,
    role: str | None = None,
    email: str | None | _Unset = UNSET,
    slack: str | None | _Unset = UNSET,
    teams: str | None | _Unset = UNSET,
    quiet: str | None | _Unset = UNSET,
    language: str | None = None,
    active: bool | None = None,
) -> Member:
    """Change the given fields; '' or None for a contact or quiet hours clears it."""
    member = get_member(db, name)
    changes: dict[str, Any] = {}
    if rename is not None:
        changes["name"] = clean_name(rename)
    if role is not None:
        changes["role"] = parse_role(role)
    if not isinstance(email, _Unset):
        changes["email"] = validate_email(email) if email else None
    if not isinstance(slack, _Unset):
        changes["slack_member"] = validate_slack(slack) if slack else None
    if not isinstance(teams, _Unset):
        changes["teams"] = validate_teams(teams) if teams else None
    if not isinstance(quiet, _Unset):
        hours = parse_quiet(quiet or "")
        changes["quiet_start"], changes["quiet_end"] = hours or (None, None)
    if language is not None:
        changes["language"] = parse_language(language)
    if active is not None:
        changes["active"] = int(active)
    if not changes:
        raise SocialError(
            "nothing to change; give --rename, --role, --email, --slack, --teams, --quiet, "
            "--lang, --active or --inactive"
        )
    with db.atomic():
        if "name" in changes:
            _check_free(db, changes["name"], own_id=member.id)
        sets = ", ".join(f"{column} = ?" for column in changes)
        db.execute(f"UPDATE team_members SET {sets} WHERE id = ?", [*changes.values(), member.id])
    return get_member(db, changes.get("name", member.name))
