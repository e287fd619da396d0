"""The measurements of issue 11, each as a test: campaign reach from the platform's whole-flight
figure, totals never below parts, the partner report's numbers per post and per month, the
partner and campaign reports agreeing, Facebook's sponsored views, weekly follower levels."""

from __future__ import annotations

import pytest
from sqlite_utils import Database

from social.reports.campaign import build_campaign
from social.reports.partner import build_partner
from social.reports.render import render
from social.reports.weekly import build_weekly
from tests.reports_support import Builder, config, utc

NOW = "2025-11-16T08:00:00Z"  # campaign day 15 of 30; 1-15 Nov complete


def kpi(report: dict, name: str, origin: str, platform: str) -> dict:
    return next(
        k
        for k in report["kpis"]
        if (k["kpi"], k["origin"], k["platform"]) == (name, origin, platform)
    )


@pytest.fixture
def flight(fresh_db: Database) -> Builder:
    """A campaign over a TikTok ad campaign whose flight and whole-flight reach are stored."""
    b = Builder(fresh_db)
    cid = b.campaign("Flight", "2025-11-01", "2025-11-30", ["tiktok"])
    b.campaign_member(cid, "ad_campaign", "tt-flight", "tiktok")
    b.ad_campaign("tiktok", "tt-flight", "Flight", "REACH")
    b.flight("tiktok", "tt-flight", "2025-11-01", "2025-11-30")
    b.ad_days("tiktok", "tt-flight", "reach", "2025-11-01", [140000 / 14] * 14 + [0])
    b.ad_days("tiktok", "tt-flight", "video_play_actions", "2025-11-01", [1000] * 15)
    b.target(cid, "reach", 60000, "paid", "tiktok")
    return b


def test_campaign_reach_is_the_platforms_whole_flight_number(
    fresh_db: Database, flight: Builder
) -> None:
    flight.window_value(
        "tiktok",
        "reach",
        "2025-11-01",
        "2025-11-15",
        "campaign",
        61234,
        "paid",
        kind="ads",
        subject_type="ad",
        subject="tt-flight",
    )
    report = build_campaign(fresh_db, config(), "Flight", now=utc(NOW))
    reach = kpi(report, "reach", "paid", "tiktok")
    assert (reach["actual"], reach["method"], reach["exact"]) == (61234, "platform_campaign", True)
    assert "61 234 mot målet 60 000 (102 % oppnådd)" in report["summary"].replace("\xa0", " ")
    assert "140 000" not in report["summary"].replace("\xa0", " ")
    (ad,) = report["campaign"]["ad_campaigns"]
    assert ad["reach"]["start"] == "2025-11-01" and ad["reach"]["end"] == "2025-11-15"
    assert ad["start"] == "2025-11-01" and ad["end"] == "2025-11-30"
    assert not ad["reach_clipped"]


def test_a_summed_reach_says_upper_bound_in_every_table_and_sentence(
    fresh_db: Database, flight: Builder
) -> None:
    report = build_campaign(fresh_db, config(), "Flight", now=utc(NOW))
    reach = kpi(report, "reach", "paid", "tiktok")
    assert (reach["actual"], reach["method"]) == (140000, "sum_of_daily")
    label = "sum av daglig rekkevidde, øvre grense"
    summary = report["summary"].replace("\xa0", " ")
    assert f"140 000 ({label}) mot målet 60 000 (opptil 233 % oppnådd)" in summary
    md = render(report, "md").text.replace("\xa0", " ")
    assert f"| 140 000 ({label}) |" in md  # the KPI table
    assert md.count(label) >= 3  # summary, KPI table, platform table
    html = render(report, "html").text
    assert html.count(label) >= 3
    en = render(build_campaign(fresh_db, config(), "Flight", now=utc(NOW), lang="en"), "md").text
    assert "sum of daily reach, upper bound" in en and "(up to 233% attained)" in en


def test_a_clipped_flight_is_said(fresh_db: Database, flight: Builder) -> None:
    flight.window_value(
        "tiktok",
        "reach",
        "2025-11-05",
        "2025-11-15",
        "campaign",
        50000,
        "paid",
        kind="ads",
        subject_type="ad",
        subject="tt-flight",
    )
    report = build_campaign(fresh_db, config(), "Flight", now=utc(NOW))
    assert report["campaign"]["ad_campaigns"][0]["reach_clipped"] is True
    (warning,) = [w for w in report["warnings"] if w["code"] == "reach_window_clipped"]
    assert "fra 5. nov. 2025" in warning["message"] and "startet 1. nov. 2025" in warning["message"]


def test_dark_post_views_count_in_the_total_so_no_total_is_below_its_part(
    fresh_db: Database,
) -> None:
    """Why 2: 'Views (total) 19 323' beside 'sponsored views 162 815'."""
    b = Builder(fresh_db)
    cid = b.campaign("Mørk", "2025-11-01", "2025-11-30", ["tiktok"])
    b.campaign_member(cid, "hashtag", "realfag")
    b.campaign_member(cid, "ad_campaign", "tt-dark", "tiktok")
    b.post("tiktok", "V", "2025-11-02 12:00", "Video #realfag")
    b.snapshot("tiktok", "V", "2025-11-10 12:00", view_count=19323, like_count=300)
    b.ad("tiktok", "tt-dark", "tt-dark-ad", promotes=None)  # a dark post: no organic post
    b.ad_days("tiktok", "tt-dark", "video_play_actions", "2025-11-01", [162815 / 15] * 15)
    b.ad_days("tiktok", "tt-dark", "likes", "2025-11-01", [236] * 15)
    b.target(cid, "views", 200000)
    report = build_campaign(fresh_db, config(), "Mørk", now=utc(NOW))
    tiktok = report["platforms"][0]
    assert tiktok["organic"]["views"] == 19323
    assert tiktok["paid"]["views"] == 162815
    assert tiktok["total"]["views"] == 19323 + 162815
    assert tiktok["total"]["engagements"] >= tiktok["paid"]["engagements"] == 3540
    assert all(
        isinstance(v, int) for v in (tiktok["organic"]["views"], tiktok["total"]["engagements"])
    )
    views = kpi(report, "views", "total", "all")
    assert views["actual"] == 182138 and views["pacing"]["status"] == "on_track"
    assert "dark_ad_views_in_total" in tiktok["notes"]


def test_partner_report_has_numbers_per_post_and_per_month_in_the_right_month(
    fresh_db: Database,
) -> None:
    """Why 3: views '–' per post and October views for posts published in November."""
    b = Builder(fresh_db)
    partner = b.partner("Equinor")
    cid = b.campaign("Nov", "2025-11-01", "2025-11-30", ["tiktok"], partner_id=partner)
    b.campaign_member(cid, "hashtag", "equinor")
    b.campaign_member(cid, "ad_campaign", "tt-oct", "tiktok")
    b.post("tiktok", "N1", "2025-11-10 12:00", "Ingeniør #equinor")
    # First measured only in December (late): views before are estimated from publication.
    b.snapshot("tiktok", "N1", "2025-12-05 06:00", view_count=25000)
    b.window_value("tiktok", "reach", "2025-11-10", "2025-12-05", "lifetime", 18000, "total",
                   kind="business", subject_type="post", subject="N1")  # fmt: skip
    # The ad campaign ran from October; only its November days belong to the partner's campaign.
    b.ad_campaign("tiktok", "tt-oct", "Fra oktober")
    b.ad_days("tiktok", "tt-oct", "video_play_actions", "2025-10-20", [1000] * 42)
    report = build_partner(
        fresh_db, config(), "Equinor", year=2025, now=utc("2026-01-10T08:00:00Z")
    )
    (post,) = report["content"]
    assert post["views"] == 25000 and post["reach"]["value"] == 18000
    assert post["estimated"] is False  # its count at the year's end was measured
    months = {m["month"]: m for m in report["monthly"]}
    assert months["2025-10"]["views"] == 0  # nothing in October: the post came in November
    # November: the post's growth to 30 Nov (a straight line from publication to its first
    # measurement) plus the ad campaign's 30 November days.
    # Published 10 Nov 11:00 UTC, measured 5 Dec 05:00 UTC (594 h); November ends 492 h in.
    assert months["2025-11"]["views_paid"] == 30000
    assert months["2025-11"]["views_organic"] == round(25000 * 492 / 594)
    assert sum(m["views"] or 0 for m in report["monthly"]) == report["totals"]["views"]
    assert report["totals"]["views_paid"] == 30000
    assert report["totals"]["views_other"] == 30000  # dark-post views, no post of its own
    assert any(w["code"] == "monthly_estimated" for w in report["warnings"])


def test_partner_and_campaign_agree_on_facebook_sponsored_views(fresh_db: Database) -> None:
    """Why 3 and 4: Facebook ad impressions are the sponsored views, in every report."""
    b = Builder(fresh_db)
    partner = b.partner("Equinor")
    cid = b.campaign("FB", "2025-11-01", "2025-11-30", ["facebook"], partner_id=partner)
    b.campaign_member(cid, "ad_campaign", "fb-camp", "facebook")
    b.ad_campaign("facebook", "fb-camp", "Boost")
    b.ad_days("facebook", "fb-camp", "impressions", "2025-11-01", [1108] * 10)
    b.ad_days("facebook", "fb-camp", "spend", "2025-11-01", [63.437] * 10)
    b.days("facebook", "page_media_view", "2025-11-03", [500] * 7, "organic")
    b.days("facebook", "page_media_view", "2025-11-03", [0] * 7, "paid")
    campaign = build_campaign(fresh_db, config(), "FB", now=utc("2025-12-05T08:00:00Z"))
    partner_report = build_partner(
        fresh_db, config(), "Equinor", year=2025, now=utc("2025-12-05T08:00:00Z")
    )
    assert campaign["totals"]["paid"]["views"] == 11080
    assert partner_report["campaigns"][0]["views_paid"] == 11080
    assert partner_report["campaigns"][0]["impressions"] == 11080
    weekly = build_weekly(fresh_db, config(), week="2025-W45", now=utc("2025-11-10T08:00:00Z"))
    facebook = next(p for p in weekly["platforms"] if p["platform"] == "facebook")
    assert facebook["views"]["paid"] == facebook["paid"]["impressions"] == 1108 * 7
    assert facebook["views"]["total"] == 3500 + 7756


def test_weekly_follower_levels_come_from_the_stored_daily_levels(fresh_db: Database) -> None:
    """Why 4: LinkedIn followers '–' in every weekly report."""
    b = Builder(fresh_db)
    b.days("linkedin", "firstDegreeSize", "2025-11-01", [5000 + i for i in range(40)], "total")
    b.days("linkedin", "impressionCount", "2025-11-01", [100] * 40, "organic")
    for week, end, change in (("2025-W46", 5015, 7), ("2025-W47", 5022, 7), ("2025-W48", 5029, 7)):
        report = build_weekly(fresh_db, config(), week=week, now=utc("2025-12-15T08:00:00Z"))
        linkedin = next(p for p in report["platforms"] if p["platform"] == "linkedin")
        assert linkedin["followers"]["end"] == end
        assert linkedin["followers"]["change"] == change
        assert linkedin["followers"]["change_basis"] == "level_difference"
