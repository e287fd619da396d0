"""Consent channels are the installed platforms and the web site, not a list fixed in the schema."""

from __future__ import annotations

from pathlib import Path

from sqlite_utils import Database

from core import registry
from db.migrations import migrations
from scheduler.consent import CHANNELS, channel_name


def test_the_channels_are_the_installed_platforms_and_the_web() -> None:
    assert (*registry.names(), "web") == CHANNELS
    assert channel_name("web") == "web"
    assert {channel_name(p.name) for p in registry.platforms()} == {
        p.display_name for p in registry.platforms()
    }


def test_consents_keep_their_rows_and_take_a_channel_of_any_platform(tmp_path: Path) -> None:
    db = Database(tmp_path / "old.db")
    migrations.apply(db, stop_before="m017_consent_channels_from_the_platforms")
    db.execute("INSERT INTO people_in_videos (id, name) VALUES (1, 'Ola')")
    db.execute(
        "INSERT INTO consents (person_id, channel, given_by, signed_on, created_at) "
        "VALUES (1, 'web', 'self', '2026-01-05', 'x')"
    )
    before = db.execute("SELECT * FROM consents").fetchall()
    migrations.apply(db)
    assert db.execute("SELECT * FROM consents").fetchall() == before
    db.execute(
        "INSERT INTO consents (person_id, channel, given_by, created_at) "
        "VALUES (1, 'a-new-platform', 'self', 'x')"
    )
    assert db.execute("SELECT COUNT(*) FROM consents").fetchone()[0] == 2
