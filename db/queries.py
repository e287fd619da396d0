"""Read paths the collectors' sync state and the status commands need."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlite_utils import Database

from core.domain import Account
from core.timeutil import to_utc_iso


def account_id(db: Database, account: Account) -> int | None:
    """Our id of an account, or None if it was never stored."""
    row = db.execute(
        "SELECT id FROM accounts WHERE platform = ? AND kind = ? AND external_id = ?",
        [account.platform, account.kind, account.external_id],
    ).fetchone()
    return int(row[0]) if row else None


def organic_accounts(db: Database, platform: str) -> list[Account]:
    """A platform's stored accounts other than ad accounts."""
    rows = db.execute(
        "SELECT kind, external_id, name FROM accounts WHERE platform = ? AND kind != 'ads'",
        [platform],
    ).fetchall()
    return [Account(platform, str(kind), str(ext), str(name or "")) for kind, ext, name in rows]


def accounts_with_post_counts(db: Database) -> list[dict[str, Any]]:
    """Every stored account with how many posts it has, by platform and kind."""
    rows = db.execute(
        """SELECT a.platform, a.kind, a.external_id, a.name,
                  (SELECT COUNT(*) FROM posts p WHERE p.account_id = a.id)
           FROM accounts a ORDER BY a.platform, a.kind"""
    )
    keys = ("platform", "kind", "external_id", "name", "posts")
    return [dict(zip(keys, row, strict=True)) for row in rows]


def bookmark(db: Database, account: Account, stream: str) -> str | None:
    """A stream's bookmark for an account, or None before its first sync."""
    row = db.execute(
        """SELECT b.value FROM sync_bookmarks b JOIN accounts a ON a.id = b.account_id
           WHERE a.platform = ? AND a.kind = ? AND a.external_id = ? AND b.stream = ?""",
        [account.platform, account.kind, account.external_id, stream],
    ).fetchone()
    return str(row[0]) if row else None


def known_posts(
    db: Database,
    platform: str,
    *,
    published_since: datetime | None = None,
    organic_only: bool = False,
) -> list[str]:
    """External ids of stored posts of a platform, newest first.

    `organic_only` leaves out posts that exist only as ads (is_ad: a dark post).
    """
    sql = "SELECT external_id FROM posts WHERE platform = ?"
    params: list[Any] = [platform]
    if organic_only:
        sql += " AND is_ad = 0"
    if published_since is not None:
        sql += " AND published_at >= ?"
        params.append(to_utc_iso(published_since))
    return [r[0] for r in db.execute(sql + " ORDER BY published_at DESC", params)]


def latest_runs(db: Database) -> list[dict[str, Any]]:
    """The latest sync run and the latest successful one, per platform (imports left out)."""
    rows = db.execute(
        """SELECT platform, MAX(started_at) AS last_started,
                  MAX(CASE WHEN outcome = 'ok' THEN finished_at END) AS last_ok
           FROM sync_runs WHERE kind = 'sync' GROUP BY platform ORDER BY platform"""
    ).fetchall()
    out = []
    for platform, last_started, last_ok in rows:
        run = db.execute(
            """SELECT outcome, finished_at, new_posts, updated_values, requests, error, warnings
               FROM sync_runs WHERE platform = ? AND kind = 'sync' AND started_at = ?
               ORDER BY id DESC LIMIT 1""",
            [platform, last_started],
        ).fetchone()
        out.append(
            {
                "platform": platform,
                "last_run": last_started,
                "outcome": run[0],
                "finished_at": run[1],
                "new_posts": run[2],
                "updated_values": run[3],
                "requests": run[4],
                "error": run[5],
                "warnings": run[6],
                "last_ok": last_ok,
            }
        )
    return out
