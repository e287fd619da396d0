"""The write path: idempotent upserts, snapshots only on change, one transaction per page."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlite_utils import Database

from core.domain import Account, AdEntity, MetricValue, Page, Post, Snapshot
from db import writes

ACCOUNT = Account("tiktok", "organic", "open-1", "stemutdanning")
T0 = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)


def _page(views: float, at: datetime = T0) -> Page:
    return Page(
        posts=[Post("tiktok", "v1", T0, caption="Eksamenstips #eksamen", tags=("eksamen",))],
        snapshots=[Snapshot("v1", at, {"view_count": views, "like_count": 10})],
        values=[
            MetricValue("follower_count", 1500, date(2026, 1, 5), date(2026, 1, 5), "day", "total")
        ],
        bookmarks={"videos_newest": "1767600000"},
    )


def _counts(db: Database) -> dict[str, int]:
    return {t: db[t].count for t in ("posts", "post_snapshots", "metric_values", "sync_bookmarks")}


def test_saving_the_same_page_twice_duplicates_nothing(fresh_db: Database) -> None:
    account_id = writes.upsert_account(fresh_db, ACCOUNT)
    first = writes.save_page(fresh_db, account_id, _page(100), source="api")
    before = _counts(fresh_db)
    second = writes.save_page(fresh_db, account_id, _page(100), source="api")
    assert first.new_posts == 1 and second.new_posts == 0
    assert second.updated_values == 0
    assert _counts(fresh_db) == before


def test_snapshot_is_written_only_when_a_value_changed(fresh_db: Database) -> None:
    account_id = writes.upsert_account(fresh_db, ACCOUNT)
    writes.save_page(fresh_db, account_id, _page(100), source="api")
    writes.save_page(
        fresh_db, account_id, _page(100, datetime(2026, 1, 6, tzinfo=UTC)), source="api"
    )
    writes.save_page(
        fresh_db, account_id, _page(250, datetime(2026, 1, 7, tzinfo=UTC)), source="api"
    )
    views = [
        r[0]
        for r in fresh_db.execute(
            "SELECT value FROM post_snapshots WHERE metric = 'view_count' ORDER BY captured_at"
        )
    ]
    assert views == [100, 250]
    latest = fresh_db.execute(
        "SELECT value FROM post_latest WHERE metric = 'view_count'"
    ).fetchone()
    assert latest[0] == 250


def test_a_failing_page_leaves_the_database_as_before(fresh_db: Database) -> None:
    account_id = writes.upsert_account(fresh_db, ACCOUNT)
    writes.save_page(fresh_db, account_id, _page(100), source="api")
    before = _counts(fresh_db)
    broken = _page(300)
    broken.posts.append(Post("tiktok", "v2", T0))
    broken.values.append(
        MetricValue(
            "reach",
            5,
            date(2026, 1, 5),
            date(2026, 1, 5),
            "day",
            "paid",
            subject_type="ad",
            subject_external_id="unknown",
        )
    )
    with pytest.raises(ValueError, match="not stored"):
        writes.save_page(fresh_db, account_id, broken, source="api")
    assert _counts(fresh_db) == before
    assert (
        fresh_db.execute("SELECT value FROM post_latest WHERE metric='view_count'").fetchone()[0]
        == 100
    )


def test_metric_values_keep_their_window_and_origin_and_update_in_place(fresh_db: Database) -> None:
    account_id = writes.upsert_account(fresh_db, Account("tiktok", "ads", "adv-1"))
    page = Page(
        ad_entities=[AdEntity("tiktok", "campaign", "c1", "Velg realfag")],
        values=[
            MetricValue(
                "reach",
                3822,
                date(2026, 1, 4),
                date(2026, 1, 4),
                "day",
                "paid",
                subject_type="ad",
                subject_external_id="c1",
            )
        ],
    )
    writes.save_page(fresh_db, account_id, page, source="api")
    page.values[0].value = 3900  # late, settled number
    result = writes.save_page(fresh_db, account_id, page, source="api")
    rows = fresh_db.execute(
        "SELECT metric, origin, grain, window_start, window_end, value FROM metric_values"
    ).fetchall()
    assert rows == [("reach", "paid", "day", "2026-01-04", "2026-01-04", 3900.0)]
    assert result.updated_values == 1


def test_an_import_never_overrides_the_api_fields_of_a_post(fresh_db: Database) -> None:
    account_id = writes.upsert_account(fresh_db, ACCOUNT)
    writes.save_posts(
        fresh_db, account_id, [Post("tiktok", "v1", T0, caption="API caption")], source="api"
    )
    later = datetime(2026, 1, 5, 13, 0, tzinfo=UTC)
    writes.save_posts(
        fresh_db,
        account_id,
        [Post("tiktok", "v1", later, caption="")],
        source="import:tiktok_studio",
    )
    row = fresh_db.execute("SELECT caption, published_at, source FROM posts").fetchone()
    assert row == ("API caption", "2026-01-05T12:00:00Z", "api")


def test_an_import_fills_only_what_the_api_left_empty(fresh_db: Database) -> None:
    account_id = writes.upsert_account(fresh_db, ACCOUNT)
    writes.save_posts(
        fresh_db,
        account_id,
        [Post("tiktok", "v1", T0, caption="Full API caption #tips", format="video")],
        source="api",
    )
    writes.save_posts(
        fresh_db,
        account_id,
        [
            Post(
                "tiktok",
                "v1",
                T0,
                caption="Full API capt…",
                link="https://t/v1",
                format="image",
                duration_s=31,
            )
        ],
        source="import:tiktok_studio",
    )
    row = fresh_db.execute("SELECT caption, link, format, duration_s FROM posts").fetchone()
    assert row == ("Full API caption #tips", "https://t/v1", "video", 31)
    # and a later API record still updates the fields it owns
    writes.save_posts(
        fresh_db, account_id, [Post("tiktok", "v1", T0, caption="Edited")], source="api"
    )
    assert fresh_db.execute("SELECT caption FROM posts").fetchone()[0] == "Edited"
