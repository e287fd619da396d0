"""Web app sign-in: one-time login links, sessions and partners' read-only links.

Secrets (login tokens, session ids, partner link tokens) are random 256-bit
values handed to the browser or printed once; only their SHA-256 hashes are
stored, so a copy of the database opens nothing. A login token works once and
for LOGIN_MINUTES; a session ends after its idle time or its maximum age,
whichever comes first, or at logout, or when its person is deleted (cascade).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

from sqlite_utils import Database

from core.errors import SocialError
from core.timeutil import from_utc_iso, to_utc_iso, utcnow

LOGIN_MINUTES: Final = 15
# A session's last_seen_at is written at most this often, so reading pages stays read-only.
TOUCH_SECONDS: Final = 60


def new_secret() -> str:
    """A random URL-safe secret (256 bits)."""
    return secrets.token_urlsafe(32)


def digest(secret: str) -> str:
    """The stored form of a secret."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class SessionRow:
    """A live session: who it belongs to and its CSRF token."""

    member_id: int | None
    partner_id: int | None
    csrf: str
    created_at: str
    expires_at: str


# --- login links ------------------------------------------------------------------------------


def create_login_token(db: Database, member_id: int, *, now: datetime | None = None) -> str:
    """A one-time login token for an active team member, valid LOGIN_MINUTES."""
    row = db.execute(
        "SELECT name, role, active FROM team_members WHERE id = ?", [member_id]
    ).fetchone()
    if row is None:
        raise SocialError(f"no team member with id {member_id}; see 'social team list'")
    name, role, active = row
    if not active:
        raise SocialError(
            f"{name} is inactive and cannot sign in; make them active with "
            f"'social team edit \"{name}\" --active'"
        )
    if role == "partner_contact":
        raise SocialError(
            f"{name} is a partner contact; partners see their briefs and reports through the "
            "partner's read-only link (Partnere in the web app), not a login"
        )
    moment = now or utcnow()
    token = new_secret()
    with db.atomic():
        # Expired or used tokens are of no use to anyone: clear them as new ones are made.
        db.execute(
            "DELETE FROM web_login_tokens WHERE expires_at < ? OR used_at IS NOT NULL",
            [to_utc_iso(moment)],
        )
        db.execute(
            "INSERT INTO web_login_tokens (token_hash, member_id, created_at, expires_at) "
            "VALUES (?, ?, ?, ?)",
            [
                digest(token),
                member_id,
                to_utc_iso(moment),
                to_utc_iso(moment + timedelta(minutes=LOGIN_MINUTES)),
            ],
        )
    return token


def peek_login_token(db: Database, token: str, *, now: datetime | None = None) -> int | None:
    """The member a login token would sign in, without using it (None if unusable)."""
    row = db.execute(
        "SELECT t.member_id FROM web_login_tokens t JOIN team_members m ON m.id = t.member_id "
        "WHERE t.token_hash = ? AND t.used_at IS NULL AND t.expires_at > ? AND m.active = 1",
        [digest(token), to_utc_iso(now or utcnow())],
    ).fetchone()
    return int(row[0]) if row else None


def use_login_token(db: Database, token: str, *, now: datetime | None = None) -> int | None:
    """Spend a login token: the member id if it was valid and unused, else None."""
    moment = to_utc_iso(now or utcnow())
    with db.atomic():
        member = peek_login_token(db, token, now=now)
        if member is None:
            return None
        cursor = db.execute(
            "UPDATE web_login_tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL",
            [moment, digest(token)],
        )
        return member if cursor.rowcount == 1 else None


# --- sessions ---------------------------------------------------------------------------------


def create_session(
    db: Database,
    *,
    member_id: int | None = None,
    partner_id: int | None = None,
    max_hours: float,
    now: datetime | None = None,
) -> str:
    """Start a session for a member or a partner link; returns the session id (the cookie)."""
    if (member_id is None) == (partner_id is None):
        raise ValueError("a session belongs to exactly one member or partner")
    moment = now or utcnow()
    session_id = new_secret()
    with db.atomic():
        db.execute("DELETE FROM web_sessions WHERE expires_at < ?", [to_utc_iso(moment)])
        db.execute(
            "INSERT INTO web_sessions (id_hash, member_id, partner_id, csrf, created_at, "
            "last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                digest(session_id),
                member_id,
                partner_id,
                new_secret(),
                to_utc_iso(moment),
                to_utc_iso(moment),
                to_utc_iso(moment + timedelta(hours=max_hours)),
            ],
        )
    return session_id


def load_session(
    db: Database, session_id: str, *, idle_minutes: float, now: datetime | None = None
) -> SessionRow | None:
    """The live session with this id, or None if unknown, expired or idle too long."""
    moment = now or utcnow()
    row = db.execute(
        "SELECT member_id, partner_id, csrf, created_at, last_seen_at, expires_at "
        "FROM web_sessions WHERE id_hash = ?",
        [digest(session_id)],
    ).fetchone()
    if row is None:
        return None
    member_id, partner_id, csrf, created_at, last_seen, expires_at = row
    idle_end = from_utc_iso(last_seen) + timedelta(minutes=idle_minutes)
    if from_utc_iso(expires_at) <= moment or idle_end <= moment:
        end_session(db, session_id)
        return None
    if (moment - from_utc_iso(last_seen)).total_seconds() >= TOUCH_SECONDS:
        with db.atomic():
            db.execute(
                "UPDATE web_sessions SET last_seen_at = ? WHERE id_hash = ?",
                [to_utc_iso(moment), digest(session_id)],
            )
    return SessionRow(member_id, partner_id, csrf, created_at, expires_at)


def end_session(db: Database, session_id: str) -> None:
    """Log out: the session id stops working at once."""
    with db.atomic():
        db.execute("DELETE FROM web_sessions WHERE id_hash = ?", [digest(session_id)])


def end_sessions_of_member(db: Database, member_id: int) -> int:
    """End every session of a team member (e.g. when they are made inactive)."""
    with db.atomic():
        cursor = db.execute("DELETE FROM web_sessions WHERE member_id = ?", [member_id])
    return int(cursor.rowcount or 0)


# --- partner links ----------------------------------------------------------------------------


def create_partner_link(db: Database, partner_id: int, *, now: datetime | None = None) -> str:
    """A new secret read-only link token for a partner; any earlier link stops working."""
    if db.execute("SELECT 1 FROM partners WHERE id = ?", [partner_id]).fetchone() is None:
        raise SocialError(f"no partner with id {partner_id}; see 'social partner list'")
    token = new_secret()
    with db.atomic():
        db.execute("DELETE FROM partner_links WHERE partner_id = ?", [partner_id])
        db.execute("DELETE FROM web_sessions WHERE partner_id = ?", [partner_id])
        db.execute(
            "INSERT INTO partner_links (partner_id, token_hash, created_at) VALUES (?, ?, ?)",
            [partner_id, digest(token), to_utc_iso(now or utcnow())],
        )
    return token


def revoke_partner_link(db: Database, partner_id: int) -> bool:
    """Stop a partner's link (and its open sessions); True if there was one."""
    with db.atomic():
        cursor = db.execute("DELETE FROM partner_links WHERE partner_id = ?", [partner_id])
        db.execute("DELETE FROM web_sessions WHERE partner_id = ?", [partner_id])
    return bool(cursor.rowcount)


def partner_by_link(db: Database, token: str) -> int | None:
    """The partner whose read-only link this is, or None."""
    row = db.execute(
        "SELECT partner_id FROM partner_links WHERE token_hash = ?", [digest(token)]
    ).fetchone()
    return int(row[0]) if row else None


def partner_link_created(db: Database, partner_id: int) -> str | None:
    """When the partner's current link was made (UTC ISO), or None if it has none."""
    row = db.execute(
        "SELECT created_at FROM partner_links WHERE partner_id = ?", [partner_id]
    ).fetchone()
    return str(row[0]) if row else None


# --- who a session or an address belongs to ----------------------------------------------------


def member_for_session(db: Database, member_id: int) -> tuple[str, str, str] | None:
    """(name, role, language) of a member who may still be signed in, else None."""
    row = db.execute(
        "SELECT name, role, language FROM team_members WHERE id = ? AND active = 1 "
        "AND role != 'partner_contact'",
        [member_id],
    ).fetchone()
    return (str(row[0]), str(row[1]), str(row[2])) if row else None


def partner_name(db: Database, partner_id: int) -> str | None:
    """The partner's name, or None when it no longer exists."""
    row = db.execute("SELECT name FROM partners WHERE id = ?", [partner_id]).fetchone()
    return str(row[0]) if row else None


def member_for_email(db: Database, email: str) -> tuple[int, str, str] | None:
    """(id, name, language) of the active member who may sign in with this e-mail address."""
    row = db.execute(
        "SELECT id, name, language FROM team_members WHERE lower(email) = lower(?) "
        "AND active = 1 AND role != 'partner_contact' ORDER BY id LIMIT 1",
        [email.strip()],
    ).fetchone()
    return (int(row[0]), str(row[1]), str(row[2])) if row else None
