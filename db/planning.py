"""What the planning area (scheduler/) reads of the other areas' tables.

Posts and accounts come from the collectors, campaigns and partners from
social.campaigns, briefs from briefs/; the calendar, the reminders and the
matching read them here rather than running their own SQL on another area's
tables.
"""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database


def campaign_names(db: Database) -> list[str]:
    """Campaign names for pick lists, newest first."""
    return [str(r[0]) for r in db.execute("SELECT name FROM campaigns ORDER BY start_date DESC")]


def partner_names(db: Database) -> list[str]:
    """Partner names for pick lists."""
    return [str(r[0]) for r in db.execute("SELECT name FROM partners ORDER BY name COLLATE NOCASE")]


def campaign_has_partner(db: Database, name: str) -> bool:
    """Whether the campaign of this name is made with a partner."""
    row = db.execute("SELECT partner_id FROM campaigns WHERE name = ?", [name]).fetchone()
    return bool(row and row[0])


def account_by_ref(db: Database, platform: str, ref: str) -> int | None:
    """Our id of the platform's account whose external id or name is `ref` (organic first)."""
    row = db.execute(
        "SELECT id FROM accounts WHERE platform = ? AND (external_id = ? OR name = ?) "
        "ORDER BY kind != 'organic', id LIMIT 1",
        [platform, ref, ref],
    ).fetchone()
    return int(row[0]) if row else None


def post_by_external_id(db: Database, platform: str, external_id: str) -> int | None:
    """Our id of the platform's stored post with this external id."""
    row = db.execute(
        "SELECT id FROM posts WHERE platform = ? AND external_id = ?", [platform, external_id]
    ).fetchone()
    return int(row[0]) if row else None


def unlinked_posts(
    db: Database,
    platform: str,
    start: str,
    end: str,
    *,
    account_id: int | None = None,
    except_slot: int | None = None,
) -> list[tuple[Any, ...]]:
    """(id, external id, published_at, caption, account id) of the platform's posts published
    from `start` to `end` (UTC ISO) that no calendar slot (other than `except_slot`) links to."""
    sql = """SELECT p.id, p.external_id, p.published_at, p.caption, p.account_id FROM posts p
             WHERE p.platform = ? AND p.published_at BETWEEN ? AND ?
               AND NOT EXISTS (SELECT 1 FROM calendar_slots s
                               WHERE s.post_id = p.id AND s.id IS NOT ?)"""
    params: list[Any] = [platform, start, end, except_slot]
    if account_id is not None:
        sql += " AND p.account_id = ?"
        params.append(account_id)
    return list(db.execute(sql, params).fetchall())


def owners_post_accounts(db: Database) -> list[tuple[int, int, int]]:
    """(member, account, n): how many posts linked to a member's slots came from each account."""
    return [
        (int(member), int(account), int(n))
        for member, account, n in db.execute(
            """SELECT o.member_id, p.account_id, COUNT(*) FROM slot_owners o
               JOIN calendar_slots s ON s.id = o.slot_id JOIN posts p ON p.id = s.post_id
               GROUP BY o.member_id, p.account_id"""
        )
    ]


def open_briefs(db: Database, deadline_from: str) -> list[tuple[Any, ...]]:
    """(id, title, partner, deadline, status) of draft or sent briefs due on or after a day."""
    return list(
        db.execute(
            """SELECT b.id, b.title, p.name, b.deadline, b.status FROM briefs b
               JOIN partners p ON p.id = b.partner_id
               WHERE b.status IN ('draft', 'sent') AND b.deadline >= ?""",
            [deadline_from],
        ).fetchall()
    )
