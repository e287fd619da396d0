"""`social demo` runs the whole product against the sandbox, through real HTTP, idempotently."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from click.testing import CliRunner

from core import registry
from db import open_db
from social.cli import cli


def test_demo_syncs_every_platform_and_prints_last_week(tmp_path: Path, runner: CliRunner) -> None:
    target = tmp_path / "demo"
    result = runner.invoke(cli, ["demo", str(target), "--port", "0"])
    assert result.exit_code == 0, result.output
    for platform in registry.names():
        assert f"{platform}: " in result.output and "FAILED" not in result.output
    assert "Siste hele uke (uke" in result.output
    db = open_db(target / "social.db")
    platforms = {r[0] for r in db.execute("SELECT DISTINCT platform FROM posts")}
    assert platforms == set(registry.names())  # every installed platform has posts
    assert "sandbox-demo-token" not in (target / "social.toml").read_text()  # tokens: 0600 file
    assert (target / ".social-tokens.json").stat().st_mode & 0o077 == 0

    counts = {t: db[t].count for t in ("posts", "ad_entities", "accounts")}
    again = runner.invoke(cli, ["demo", str(target), "--port", "0"])
    assert again.exit_code == 0, again.output
    assert {t: db[t].count for t in counts} == counts

    posts = runner.invoke(
        cli,
        [
            "--config",
            str(target / "social.toml"),
            "posts",
            "--format",
            "json",
            "--platform",
            "tiktok",
            "--limit",
            "5",
        ],
    )
    assert posts.exit_code == 0
    assert len(json.loads(posts.output)) == 5


def test_demo_shows_the_calendar_feed_the_brief_and_the_consent_gap(
    tmp_path: Path, runner: CliRunner
) -> None:
    from icalendar import Calendar

    target = tmp_path / "demo"
    assert runner.invoke(cli, ["demo", str(target), "--port", "0"]).exit_code == 0
    feed = Calendar.from_ical((target / "calendar.ics").read_bytes())
    events = feed.walk("VEVENT")
    db = open_db(target / "social.db")
    assert len(events) == db.execute("SELECT COUNT(*) FROM calendar_slots").fetchone()[0]
    upcoming = [e for e in events if datetime.now(UTC) < e.DTSTART]
    assert len(upcoming) == 8 and all(len(e.walk("VALARM")) == 2 for e in upcoming)
    assert "Annonse for Equinor" in next((target / "briefs").glob("*.md")).read_text()
    config = ["--config", str(target / "social.toml")]
    listing = runner.invoke(cli, [*config, "calendar", "list", "--format", "json"])
    slots = json.loads(listing.output)
    assert any(s["consent"] for s in slots)  # the slot with an under-18 without consent
    briefs = runner.invoke(cli, [*config, "brief", "list", "--format", "json"])
    assert json.loads(briefs.output)[0]["partner"] == "Equinor"


def test_demo_calendar_matching_links_each_video_to_the_slot_on_its_topic(
    tmp_path: Path, runner: CliRunner
) -> None:
    from db.seed import _plan_for

    target = tmp_path / "demo"
    assert runner.invoke(cli, ["demo", str(target), "--port", "0"]).exit_code == 0
    db = open_db(target / "social.db")
    linked = db.execute(
        """SELECT s.title, p.caption, s.planned_at, p.published_at FROM calendar_slots s
           JOIN posts p ON p.id = s.post_id"""
    ).fetchall()
    past = db.execute(
        "SELECT COUNT(*) FROM calendar_slots WHERE uid LIKE 'demo-past-%'"
    ).fetchone()[0]
    assert past >= 20 and len(linked) == past  # every planned video found ...
    for title, caption, _planned, _published in linked:
        assert _plan_for(caption)[0] == title  # ... and each is the video on the slot's topic
    # For several slots the nearest video in time is on another topic: the topic decided.
    videos = db.execute(
        "SELECT published_at, caption FROM posts WHERE platform = 'tiktok'"
    ).fetchall()

    def nearest(planned: str) -> str:
        moment = datetime.fromisoformat(planned.replace("Z", "+00:00"))
        return min(
            videos,
            key=lambda v: abs(datetime.fromisoformat(v[0].replace("Z", "+00:00")) - moment),
        )[1]

    decoys = [t for t, _c, planned, _p in linked if _plan_for(nearest(planned))[0] != t]
    assert len(decoys) >= 3
    config = ["--config", str(target / "social.toml")]
    unsure = json.loads(
        runner.invoke(cli, [*config, "calendar", "match", "--format", "json"]).output
    )["unsure"]
    assert [u["title"] for u in unsure] == ["Intervju med en geolog"]
    assert unsure[0]["suggestions"] and unsure[0]["suggestions"][0]["confidence"] < 0.6
