"""The reminder ledger: each (subject, rule, person, channel) goes out once.

A reminder is claimed inside `BEGIN IMMEDIATE` (SQLite's write lock), so two
scheduler processes on one database never both send it; a claim whose process
died is taken over after CLAIM_TIMEOUT. A failed delivery is retried with
growing pauses and kept, with its error, after the last attempt.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlite_utils import Database

from core.redact import redact
from core.timeutil import to_utc_iso

CLAIM_TIMEOUT = timedelta(minutes=10)
BACKOFF = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2))


def worker_name() -> str:
    """Who holds a claim: host and process id."""
    return f"{socket.gethostname()}:{os.getpid()}"


@dataclass(frozen=True)
class Key:
    """What makes a reminder unique."""

    subject: str
    rule: str
    member_id: int | None
    channel: str


def _find(db: Database, key: Key) -> Any:
    # `member_id IS ?` because NULL (a member since deleted, or the weekly report) never equals.
    return db.execute(
        """SELECT id, status, attempts, next_attempt_at FROM reminder_ledger
           WHERE subject = ? AND rule = ? AND member_id IS ? AND channel = ?""",
        [key.subject, key.rule, key.member_id, key.channel],
    ).fetchone()


def status_of(db: Database, key: Key) -> str | None:
    """The ledger status of a reminder, or None when it has no row yet."""
    row = _find(db, key)
    return None if row is None else str(row[1])


def claim(
    db: Database, key: Key, due_at: datetime, now: datetime, *, max_attempts: int
) -> int | None:
    """The ledger row id if this process may send the reminder now, else None."""
    now_s = to_utc_iso(now)
    db.execute("BEGIN IMMEDIATE")
    try:
        row = _find(db, key)
        if row is None:
            cur = db.execute(
                """INSERT INTO reminder_ledger (subject, rule, member_id, channel, due_at, status)
                   VALUES (?, ?, ?, ?, ?, 'pending')""",
                [key.subject, key.rule, key.member_id, key.channel, to_utc_iso(due_at)],
            )
            row = (cur.lastrowid, "pending", 0, None)
        row_id, status, attempts, next_at = row
        retry_due = next_at is None or next_at <= now_s
        if status == "sending" and retry_due and attempts >= max_attempts:
            # The claimant died on the last attempt: give up like any last failure.
            db.execute(
                """UPDATE reminder_ledger SET status = 'failed', next_attempt_at = NULL,
                       last_error = ? WHERE id = ?""",
                [f"the process sending it ({row_claimant(db, row_id)}) stopped", row_id],
            )
            db.execute("COMMIT")
            return None
        may = (
            status == "pending"
            # A failure without a next attempt was given up (permanent, or the last try).
            or (status == "failed" and attempts < max_attempts and next_at and retry_due)
            or (status == "sending" and retry_due)  # the claimant died
        )
        if not may:
            db.execute("COMMIT")
            return None
        db.execute(
            """UPDATE reminder_ledger SET status = 'sending', claimed_by = ?,
                   attempts = attempts + 1, next_attempt_at = ? WHERE id = ?""",
            [worker_name(), to_utc_iso(now + CLAIM_TIMEOUT), row_id],
        )
        db.execute("COMMIT")
        return int(row_id)
    except BaseException:
        db.execute("ROLLBACK")
        raise


def row_claimant(db: Database, row_id: int) -> str:
    """Who claimed a ledger row last."""
    row = db.execute("SELECT claimed_by FROM reminder_ledger WHERE id = ?", [row_id]).fetchone()
    return str(row[0]) if row and row[0] else "unknown"


def skip(db: Database, key: Key, due_at: datetime) -> bool:
    """Record a reminder that will never be sent (superseded by a nearer one); True if new."""
    db.execute("BEGIN IMMEDIATE")
    try:
        new = _find(db, key) is None
        if new:
            db.execute(
                """INSERT INTO reminder_ledger (subject, rule, member_id, channel, due_at, status)
                   VALUES (?, ?, ?, ?, ?, 'skipped')""",
                [key.subject, key.rule, key.member_id, key.channel, to_utc_iso(due_at)],
            )
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    return new


def sent(db: Database, row_id: int, now: datetime) -> None:
    db.execute(
        """UPDATE reminder_ledger SET status = 'sent', sent_at = ?, next_attempt_at = NULL,
               last_error = NULL WHERE id = ?""",
        [to_utc_iso(now), row_id],
    )


def failed(
    db: Database,
    row_id: int,
    error: str,
    now: datetime,
    *,
    max_attempts: int,
    retry_after: float | None = None,
    permanent: bool = False,
) -> bool:
    """Record a failed attempt; True if it will be tried again.

    The pause grows with each attempt (BACKOFF), and is at least what the
    receiver asked for (`retry_after` seconds, capped at the longest pause).
    """
    attempts = db.execute("SELECT attempts FROM reminder_ledger WHERE id = ?", [row_id]).fetchone()[
        0
    ]
    again = attempts < max_attempts and not permanent
    pause = BACKOFF[min(attempts - 1, len(BACKOFF) - 1)]
    if retry_after is not None:
        pause = max(pause, min(timedelta(seconds=retry_after), BACKOFF[-1]))
    db.execute(
        """UPDATE reminder_ledger SET status = 'failed', last_error = ?, next_attempt_at = ?
           WHERE id = ?""",
        [redact(error)[:500], to_utc_iso(now + pause) if again else None, row_id],
    )
    return again


def rows(db: Database, *, status: str | None = None, limit: int = 50) -> list[dict[str, Any]]:
    """Ledger rows, newest due first, with the member's name."""
    where = "WHERE l.status = ?" if status else ""
    params: list[Any] = [status] if status else []
    cursor = db.execute(
        f"""SELECT l.id, l.subject, l.rule, COALESCE(m.name, '') AS member, l.channel, l.due_at,
                   l.status, l.attempts, l.next_attempt_at, l.sent_at, l.last_error
            FROM reminder_ledger l LEFT JOIN team_members m ON m.id = l.member_id
            {where} ORDER BY l.due_at DESC, l.id DESC LIMIT ?""",
        [*params, limit],
    )
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]


def counts(db: Database) -> dict[str, int]:
    """How many ledger rows have each status (sent, failed, sending, ...)."""
    rows = db.execute("SELECT status, COUNT(*) FROM reminder_ledger GROUP BY status").fetchall()
    return {str(status): int(n) for status, n in rows}
