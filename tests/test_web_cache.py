"""Whole-history results (weekly report, campaign report, insights) are kept between
requests, and a page shows new data as soon as anything writes it."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from core.domain import Post
from db import writes
from tests.web_support import LEAD, signed_in, workspace


def _tiktok_posts(client: Any) -> int:
    weekly = client.get("/?format=json").json()["weekly"]
    tiktok = next(p for p in weekly["platforms"] if p["platform"] == "tiktok")
    return int(tiktok["week_on_week"]["current"]["posts_published"])


def test_the_dashboard_counts_a_post_another_program_stored_after_the_page_was_cached(
    tmp_path: Path,
) -> None:
    _, app, db = workspace(tmp_path)
    client = signed_in(app, db, LEAD)
    before = _tiktok_posts(client)
    assert _tiktok_posts(client) == before  # the kept result
    week = client.get("/?format=json").json()["weekly"]["week"]
    (account,) = db.execute(
        "SELECT id FROM accounts WHERE platform = 'tiktok' ORDER BY id LIMIT 1"
    ).fetchone()
    published = datetime.fromisoformat(week["start_utc"].replace("Z", "+00:00")) + timedelta(days=1)
    # Another connection, as `social sync` or `social import` in another process would.
    with db.conn:
        writes.save_posts(db, account, [Post("tiktok", "cache-test-1", published)], source="test")
    assert _tiktok_posts(client) == before + 1


def test_a_campaign_changed_elsewhere_shows_at_once_on_its_page(tmp_path: Path) -> None:
    _, app, db = workspace(tmp_path)
    client = signed_in(app, db, LEAD)
    first = client.get("/campaigns/1?format=json").json()["campaign"]["description"]
    db.execute("UPDATE campaigns SET description = 'Endret i et annet program' WHERE id = 1")
    db.conn.commit()
    changed = client.get("/campaigns/1?format=json").json()["campaign"]["description"]
    assert first != "Endret i et annet program"
    assert changed == "Endret i et annet program"
