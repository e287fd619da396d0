"""Helpers for the calendar tests: team members, consent records, accounts and posts in SQL."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result
from sqlite_utils import Database

from core.domain import Account, Post
from core.timeutil import from_utc_iso
from db import open_db
from db.writes import save_posts, upsert_account
from social.cli import cli

NOW = "2026-11-01T10:00:00Z"


def add_member(db: Database, name: str, *, active: bool = True) -> int:
    cursor = db.execute(
        "INSERT INTO team_members (name, active, created_at) VALUES (?, ?, ?)",
        [name, int(active), NOW],
    )
    return int(cursor.lastrowid or 0)


def add_person(
    db: Database, name: str, *, under_18: bool = False, consent: bool = True, guardian: bool = False
) -> int:
    cursor = db.execute(
        "INSERT INTO people_in_videos (name, under_18) VALUES (?, ?)", [name, int(under_18)]
    )
    person = int(cursor.lastrowid or 0)
    if consent:  # written consent on every channel, signed 1 September 2026, valid a year
        for channel in ("tiktok", "linkedin", "facebook", "web"):
            db.execute(
                "INSERT INTO consents (person_id, channel, given_by, signed_on, expires_on, "
                "created_at) VALUES (?, ?, ?, '2026-09-01', '2027-09-01', '2026-09-01T08:00:00Z')",
                [person, channel, "guardian" if guardian else "self"],
            )
    return person


def add_account(db: Database, platform: str = "tiktok", external_id: str = "open-1") -> int:
    kind = {"tiktok": "organic", "facebook": "page", "linkedin": "organization"}[platform]
    return upsert_account(db, Account(platform, kind, external_id, name=f"{platform} main"))


def add_post(db: Database, account: int, platform: str, external_id: str, published: str) -> int:
    save_posts(db, account, [Post(platform, external_id, from_utc_iso(published))], source="api")
    row = db.execute(
        "SELECT id FROM posts WHERE platform = ? AND external_id = ?", [platform, external_id]
    ).fetchone()
    return int(row[0])


def workspace_db(workspace: Path) -> Database:
    return open_db(workspace / "social.db")


def invoke(runner: CliRunner, *args: str) -> Result:
    return runner.invoke(cli, list(args), catch_exceptions=False)


def slot_row(db: Database, sid: int) -> dict[str, Any]:
    cursor = db.execute("SELECT * FROM calendar_slots WHERE id = ?", [sid])
    names = [d[0] for d in cursor.description]
    return dict(zip(names, cursor.fetchone(), strict=True))


def utc(text: str) -> datetime:
    return from_utc_iso(text)
