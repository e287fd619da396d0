"""Published posts are matched to calendar slots after each sync."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlite_utils import Database

from scheduler.calendar import SlotFields, create_slot, link_post
from scheduler.matching import match_published_posts
from tests.calendar_support import add_account, add_post, invoke, slot_row


def _slot(db: Database, planned: str, platform: str = "tiktok", **extra: object) -> int:
    fields = SlotFields(planned_at=planned, platform=platform, title="x", **extra)
    return create_slot(db, fields)


def test_closest_post_within_the_window_on_the_same_platform(fresh_db: Database) -> None:
    db = fresh_db
    tiktok = add_account(db)
    facebook = add_account(db, "facebook", "page-1")
    near = add_post(db, tiktok, "tiktok", "near", "2026-12-01T17:00:00Z")
    add_post(db, tiktok, "tiktok", "far", "2026-12-02T20:00:00Z")
    add_post(db, facebook, "facebook", "fb", "2026-12-01T15:05:00Z")
    add_post(db, tiktok, "tiktok", "outside", "2026-12-10T15:00:00Z")
    sid = _slot(db, "2026-12-01T15:00:00Z")
    lonely = _slot(db, "2026-12-20T15:00:00Z")
    skipped = _slot(db, "2026-12-10T15:00:00Z", status="skipped")
    assert match_published_posts(db, window_hours=36) == 1
    row = slot_row(db, sid)
    assert row["post_id"] == near and row["status"] == "published" and row["link_manual"] == 0
    assert row["sequence"] == 1  # phones see it published
    assert slot_row(db, lonely)["post_id"] is None
    assert slot_row(db, skipped)["post_id"] is None
    # Idempotent: nothing more to do, nothing changes.
    assert match_published_posts(db, window_hours=36) == 0
    assert slot_row(db, sid)["sequence"] == 1


def test_posts_are_shared_out_closest_pair_first(fresh_db: Database) -> None:
    db = fresh_db
    account = add_account(db)
    early = add_post(db, account, "tiktok", "early", "2026-12-01T15:30:00Z")
    late = add_post(db, account, "tiktok", "late", "2026-12-02T15:10:00Z")
    second = _slot(db, "2026-12-02T15:00:00Z")
    first = _slot(db, "2026-12-01T15:00:00Z")
    assert match_published_posts(db) == 2
    assert slot_row(db, first)["post_id"] == early
    assert slot_row(db, second)["post_id"] == late


def test_slot_account_restricts_the_match(fresh_db: Database) -> None:
    db = fresh_db
    main = add_account(db, "tiktok", "main")
    other = add_account(db, "tiktok", "other")
    add_post(db, other, "tiktok", "other-post", "2026-12-01T15:00:00Z")
    sid = _slot(db, "2026-12-01T15:00:00Z", account_id=main)
    assert match_published_posts(db) == 0
    mine = add_post(db, main, "tiktok", "main-post", "2026-12-01T18:00:00Z")
    assert match_published_posts(db) == 1
    assert slot_row(db, sid)["post_id"] == mine


def test_a_manual_link_wins_and_its_post_is_not_taken(fresh_db: Database) -> None:
    db = fresh_db
    account = add_account(db)
    chosen = add_post(db, account, "tiktok", "chosen", "2026-12-03T09:00:00Z")
    add_post(db, account, "tiktok", "closer", "2026-12-01T15:01:00Z")
    manual = _slot(db, "2026-12-01T15:00:00Z")
    link_post(db, manual, "chosen")
    other = _slot(db, "2026-12-03T09:30:00Z")
    match_published_posts(db)
    assert slot_row(db, manual)["post_id"] == chosen and slot_row(db, manual)["link_manual"] == 1
    assert slot_row(db, other)["post_id"] != chosen


def test_window_is_configurable_from_the_cli(
    runner: CliRunner, workspace_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from db import open_db

    db = open_db(workspace_dir / "social.db")
    account = add_account(db)
    add_post(db, account, "tiktok", "p", "2026-12-03T15:00:00Z")
    sid = _slot(db, "2026-12-01T15:00:00Z")
    assert "Matched 0" in invoke(runner, "calendar", "match").stdout
    assert "Matched 1" in invoke(runner, "calendar", "match", "--window-hours", "49").stdout
    assert slot_row(db, sid)["status"] == "published"
