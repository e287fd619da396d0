"""A report build's kept reads give exactly the figures of the SQL reads they stand in for.

The campaign report measures every window from the flight's first day to each day
of it (its progress chart) from the flight's rows read once (`reads.build`); these
tests hold that path to a plain measure per day straight from SQL, on generated
databases with organic posts, Spark Ads, dark posts and three platforms.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlite_utils import Database

from core import registry
from core.timeutil import from_utc_iso, local_date
from social.reports import kpi, queries, reads
from social.reports.campaign import Campaign, _progress, find_campaign, resolve_members
from social.reports.window import Window
from tests import audit_data

ZONE = "Europe/Oslo"
CONCEPTS = ("views", "impressions", "clicks", "link_clicks", "follower_gain", "spend", "likes")


def generated(db: Database, seed: int, cents: bool) -> tuple[Campaign, Window]:
    """The audit generator's database and its campaign's flight up to the report day."""
    audit_data.generate(db, seed)
    if cents:
        # Amounts with decimals: sums of floats depend on the order they are added in.
        db.execute(
            "UPDATE metric_values SET value = value + 0.01 * (id % 7) + 0.1 WHERE subject_type = 'ad'"
        )
        db.conn.commit()
    campaign = resolve_members(db, find_campaign(db, audit_data.CAMPAIGN), ZONE)
    last = local_date(from_utc_iso(audit_data.NOW), ZONE) - timedelta(days=1)
    return campaign, Window(campaign.start, min(last, campaign.end), ZONE)


def all_targets() -> list[list[dict[str, Any]]]:
    """Every additive KPI for every origin and platform, four to a chart (MAX_CHARTS)."""
    targets = [
        {"kpi": k, "origin": origin, "platform": platform, "target": 1000.0}
        for k in sorted(kpi.ADDITIVE)
        for origin in ("organic", "paid", "total")
        for platform in ("all", *registry.names())
    ]
    return [targets[i : i + 4] for i in range(0, len(targets), 4)]


@pytest.mark.parametrize(("seed", "cents"), [(1, False), (2, False), (1, True)])
def test_progress_from_the_flights_rows_equals_a_measure_per_day(
    fresh_db: Database, seed: int, cents: bool
) -> None:
    campaign, window = generated(fresh_db, seed, cents)
    assert len({p for p, ids in campaign.ad_ids.items() if ids}) >= 2
    assert window.days > 20
    for chosen in all_targets():
        per_day = _progress(fresh_db, campaign, window, chosen, "nb")
        with reads.build(fresh_db, span=window):
            fast = _progress(fresh_db, campaign, window, chosen, "nb")
        assert fast == per_day
    # Not a comparison of empty series: sponsored and organic figures move day by day.
    assert len({v for s in per_day for v in s["cumulative"] if v is not None}) > 10


@pytest.mark.parametrize(("seed", "cents"), [(1, False), (1, True)])
def test_span_reads_equal_the_sql_reads_of_every_window_from_its_start(
    fresh_db: Database, seed: int, cents: bool
) -> None:
    campaign, span = generated(fresh_db, seed, cents)
    posts = {p: frozenset(ids) for p, ids in campaign.post_ids.items()}
    compared = 0
    for platform in registry.names():
        for concept in CONCEPTS:
            metrics = queries.names(concept, platform)
            for day in span.each_day():
                window = Window(span.start, day.end, ZONE)
                ads = queries.ad_entity_sums(fresh_db, platform, metrics, window)
                some = frozenset(list(ads)[:3])
                ads_of_some = queries.ad_entity_sums(fresh_db, platform, metrics, window, some)
                ids = posts.get(platform, frozenset())
                gains = queries.snapshot_gains(
                    fresh_db, metrics, window, platform=platform, post_ids=ids
                )
                with reads.build(fresh_db, span=span):
                    assert reads.ad_entity_sums(fresh_db, platform, metrics, window) == ads
                    assert (
                        reads.ad_entity_sums(fresh_db, platform, metrics, window, some)
                        == ads_of_some
                    )
                    assert (
                        reads.snapshot_gains(
                            fresh_db, metrics, window, platform=platform, post_ids=ids
                        )
                        == gains
                    )
                compared += len(ads) + len(gains)
    assert compared > 1000


def test_a_new_build_sees_what_was_written_after_the_last(fresh_db: Database) -> None:
    campaign, span = generated(fresh_db, 1, False)
    metrics = queries.names("spend", "tiktok")
    with reads.build(fresh_db, span=span):
        before = reads.ad_entity_sums(fresh_db, "tiktok", metrics, span)
    fresh_db.execute(
        "UPDATE metric_values SET value = value + 1 WHERE subject_type = 'ad' AND platform = ?",
        ["tiktok"],
    )
    fresh_db.conn.commit()
    with reads.build(fresh_db, span=span):
        after = reads.ad_entity_sums(fresh_db, "tiktok", metrics, span)
    assert after == queries.ad_entity_sums(fresh_db, "tiktok", metrics, span)
    assert after != before


def test_a_build_answers_only_windows_from_its_spans_first_day(fresh_db: Database) -> None:
    campaign, span = generated(fresh_db, 1, False)
    inside = Window(span.start, span.end - timedelta(days=5), ZONE)
    later = Window(span.start + timedelta(days=3), inside.end - timedelta(days=1), ZONE)
    metrics = queries.names("views", "tiktok")
    with reads.build(fresh_db, span=inside):
        # A window starting after the span's first day, or ending after its last, is read from SQL.
        assert reads.ad_entity_sums(fresh_db, "tiktok", metrics, later) == queries.ad_entity_sums(
            fresh_db, "tiktok", metrics, later
        )
        assert reads.ad_entity_sums(fresh_db, "tiktok", metrics, span) == queries.ad_entity_sums(
            fresh_db, "tiktok", metrics, span
        )
