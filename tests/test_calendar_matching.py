"""Published posts are matched to calendar slots after each sync."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlite_utils import Database

from scheduler.calendar import SlotFields, create_slot, link_post
from scheduler.matching import match_published_posts, match_slots
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


# --- matching by content, with a confidence ---------------------------------------------------


def _captioned(db: Database, account: int, external_id: str, published: str, caption: str) -> int:
    from core.domain import Post
    from core.timeutil import from_utc_iso
    from db.writes import save_posts

    save_posts(
        db,
        account,
        [Post("tiktok", external_id, from_utc_iso(published), caption=caption)],
        source="api",
    )
    return int(
        db.execute(
            "SELECT id FROM posts WHERE platform = 'tiktok' AND external_id = ?", [external_id]
        ).fetchone()[0]
    )


def _planned(db: Database, planned: str, title: str, tags: list[str], **extra: object) -> int:
    return create_slot(
        db, SlotFields(planned_at=planned, platform="tiktok", title=title, tags=tags, **extra)
    )


def test_the_post_on_the_slots_topic_wins_over_the_nearest_one(fresh_db: Database) -> None:
    db = fresh_db
    account = add_account(db)
    _captioned(db, account, "campus", "2026-12-01T15:05:00Z", "Bak kulissene på campus #stem")
    exam = _captioned(
        db,
        account,
        "exam",
        "2026-12-01T19:30:00Z",
        "Eksamenstips: slik leser du til matteeksamen #eksamen #tips",
    )
    sid = _planned(db, "2026-12-01T15:00:00Z", "Eksamenstips i matte", ["tips", "eksamen"])
    result = match_slots(db, window_hours=36)
    assert [m.slot_id for m in result.linked] == [sid]
    linked = result.linked[0].linked
    assert linked is not None and linked.post_id == exam
    assert linked.confidence > 0.8 and {"tags", "title"} <= set(linked.reasons)
    assert slot_row(db, sid)["post_id"] == exam


def test_a_theme_hashtag_matches_the_slots_tag(fresh_db: Database) -> None:
    db = fresh_db
    account = add_account(db)
    post = _captioned(db, account, "v", "2026-12-02T10:00:00Z", "Lesetips før prøven #eksamenstips")
    sid = _planned(db, "2026-12-01T16:00:00Z", "Før prøven", ["eksamen"])
    assert match_published_posts(db) == 1
    assert slot_row(db, sid)["post_id"] == post


def test_a_post_on_another_topic_is_only_suggested(fresh_db: Database) -> None:
    db = fresh_db
    account = add_account(db)
    other = _captioned(
        db, account, "x", "2026-12-01T15:00:00Z", "Ærlig talt: første året var tøft #studieliv"
    )
    sid = _planned(db, "2026-12-01T15:00:00Z", "Hva gjør en ingeniør?", ["rollemodell", "jobb"])
    result = match_slots(db)
    assert result.linked == []
    (unsure,) = result.unsure
    assert unsure.slot_id == sid and [c.post_id for c in unsure.suggestions] == [other]
    assert unsure.suggestions[0].confidence < 0.6
    assert slot_row(db, sid)["post_id"] is None


def test_two_posts_on_the_topic_are_left_for_a_person(fresh_db: Database) -> None:
    db = fresh_db
    account = add_account(db)
    a = _captioned(db, account, "a", "2026-12-01T14:00:00Z", "En dag på lab med oss #studieliv")
    b = _captioned(db, account, "b", "2026-12-01T16:00:00Z", "En dag på lab, del 2 #studieliv")
    sid = _planned(db, "2026-12-01T15:00:00Z", "En dag på lab", ["studieliv"])
    result = match_slots(db)
    assert result.linked == []
    assert {c.post_id for c in result.unsure[0].suggestions} == {a, b}
    link_post(db, sid, "b")  # the person decides; matching never undoes it
    assert match_published_posts(db) == 0
    assert slot_row(db, sid)["post_id"] == b and slot_row(db, sid)["link_manual"] == 1


def test_two_slots_wanting_one_post_equally_link_neither(fresh_db: Database) -> None:
    db = fresh_db
    account = add_account(db)
    _captioned(db, account, "p", "2026-12-01T15:00:00Z", "Tre tips som gjorde fysikk lettere #tips")
    first = _planned(db, "2026-12-01T14:00:00Z", "Fysikktips", ["tips"])
    second = _planned(db, "2026-12-01T16:00:00Z", "Fysikktips", ["tips"])
    result = match_slots(db)
    assert result.linked == []
    assert {m.slot_id for m in result.unsure} == {first, second}


def test_the_owners_usual_account_breaks_a_tie_in_time(fresh_db: Database) -> None:
    from tests.calendar_support import add_member

    db = fresh_db
    team = add_account(db, "tiktok", "team")
    kari_account = add_account(db, "tiktok", "kari")
    kari = add_member(db, "Kari")
    for i in range(3):  # Kari's earlier videos went out from her own account
        old = _captioned(db, kari_account, f"old{i}", f"2026-11-0{i + 1}T12:00:00Z", "Video")
        done = _planned(db, f"2026-11-0{i + 1}T12:00:00Z", "", [], owner_ids=[kari])
        link_post(db, done, f"old{i}")
        assert slot_row(db, done)["post_id"] == old
    _captioned(db, team, "team-post", "2026-12-01T15:30:00Z", "Video")
    mine = _captioned(db, kari_account, "kari-post", "2026-12-01T14:30:00Z", "Video")
    sid = _planned(db, "2026-12-01T15:00:00Z", "", [], owner_ids=[kari])
    result = match_slots(db)
    assert [m.linked.post_id for m in result.linked if m.linked] == [mine]
    assert "owner's account" in result.linked[0].linked.reasons  # type: ignore[union-attr]
    assert slot_row(db, sid)["post_id"] == mine


def test_cli_match_lists_suggestions_and_a_dry_run_links_nothing(
    runner: CliRunner, workspace_dir: Path
) -> None:
    from db import open_db

    db = open_db(workspace_dir / "social.db")
    account = add_account(db)
    _captioned(db, account, "lab1", "2026-12-01T14:00:00Z", "En dag på lab med oss #studieliv")
    _captioned(db, account, "lab2", "2026-12-01T16:00:00Z", "En dag på lab, del 2 #studieliv")
    _captioned(db, account, "exam", "2026-12-03T15:00:00Z", "Eksamenstips #eksamen #tips")
    unsure = _planned(db, "2026-12-01T15:00:00Z", "En dag på lab", ["studieliv"])
    sure = _planned(db, "2026-12-03T16:00:00Z", "Eksamenstips", ["eksamen"])
    out = invoke(runner, "calendar", "match", "--dry-run").stdout
    assert "Would match 1 slot(s)" in out and "post exam" in out
    assert "1 slot(s) unsure; link the right post with 'social calendar link SLOT POST'" in out
    assert "post lab1" in out and "post lab2" in out
    assert slot_row(db, sure)["post_id"] is None  # dry run
    data = json.loads(invoke(runner, "calendar", "match", "--format", "json").stdout)
    assert [m["slot"] for m in data["linked"]] == [sure]
    assert [m["slot"] for m in data["unsure"]] == [unsure]
    assert {c["external_id"] for c in data["unsure"][0]["suggestions"]} == {"lab1", "lab2"}
    assert slot_row(db, sure)["status"] == "published"
