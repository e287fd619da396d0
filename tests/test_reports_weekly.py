"""Weekly report figures against hand-computed fixtures (tests/reports_support.py)."""

from __future__ import annotations

import json

import pytest
from markdown_it import MarkdownIt
from sqlite_utils import Database

from core.errors import SocialError
from social.reports.render import render
from social.reports.weekly import build_weekly
from tests.reports_support import NOW, WEEK, Builder, config, utc, weekly_scenario


def weekly(db: Database, week: str | None = WEEK, now: str = NOW, **kw: object) -> dict:
    return build_weekly(db, config(), week=week, now=utc(now), **kw)  # type: ignore[arg-type]


def by_platform(report: dict) -> dict[str, dict]:
    return {p["platform"]: p for p in report["platforms"]}


@pytest.fixture
def scenario(fresh_db: Database) -> Database:
    weekly_scenario(fresh_db)
    return fresh_db


def test_tiktok_views_are_growth_of_post_counters_in_the_week(scenario: Database) -> None:
    tiktok = by_platform(weekly(scenario))["tiktok"]
    # A: 2000 at the end of the week - 1000 before it; B and C were published in the week
    # (start 0): 300 and 8000.  1000 + 300 + 8000 = 9300.
    assert tiktok["views"]["total"] == 9300
    assert tiktok["views"]["basis"] == {
        "organic": "post_snapshots:view_count",
        "paid": "ads_day:video_play_actions",
        "total": "organic+paid",
    }
    # Likes 50+30+200, comments 5+3+20, shares 2+1+10 -> 280 + 28 + 13 = 321.
    assert tiktok["engagements"]["total"] == 321
    assert tiktok["engagement_rate"]["total"] == pytest.approx(321 / 9300, abs=1e-6)
    assert tiktok["followers"] == {
        "end": 10250,
        "as_of": "2025-11-30",
        "metric": "follower_count",
        "end_basis": "level",
        "change": 250,
        "change_basis": "level_difference",
    }
    # Ads: 6 days x 100 spend, x 1000 impressions, x 20 clicks.
    assert tiktok["paid"]["spend"] == 600
    assert tiktok["paid"]["impressions"] == 6000
    assert tiktok["paid"]["cpm"] == 100  # 600 / 6000 x 1000
    assert tiktok["paid"]["cpc"] == 5  # 600 / 120


def test_boosted_post_counted_once(scenario: Database) -> None:
    report = weekly(scenario)
    tiktok = by_platform(report)["tiktok"]
    # The Spark Ad (linked to post C) has 6 x 500 plays: shown as paid, and NOT added to the
    # total, because C's counter (origin 'total') already holds them; organic is the rest.
    assert tiktok["views"]["paid"] == 3000
    assert tiktok["views"]["total"] == 9300
    assert tiktok["views"]["organic"] == 9300 - 3000
    assert "paid_views_inside_post_counters" in tiktok["views"]["notes"]
    assert [p["id"] for p in report["top_posts"]].count("C") == 1
    assert report["total"]["views"]["total"] == 9300 + 2800


def test_post_at_2330_on_sunday_belongs_to_that_week(scenario: Database) -> None:
    # B was published Sunday 30 Nov 23:30 in Oslo = 22:30 UTC, before the week's end at 23:00 UTC.
    assert by_platform(weekly(scenario))["tiktok"]["posts_published"] == 2  # B and C
    next_week = weekly(scenario, "2025-W49", now="2025-12-08T07:00:00Z")
    assert by_platform(next_week)["tiktok"]["posts_published"] == 0
    top = {p["id"]: p for p in weekly(scenario)["top_posts"]}
    assert top["B"]["published_date"] == "2025-11-30"
    assert top["B"]["views_gained"] == 300


def test_week_with_daylight_saving_change(fresh_db: Database) -> None:
    # 2025-W43 is Mon 20 Oct to Sun 26 Oct; clocks go back on Sunday 26 Oct at 03:00.
    # UTC bounds: 19 Oct 22:00 (CEST, UTC+2) to 26 Oct 23:00 (CET, UTC+1): 169 hours.
    b = Builder(fresh_db)
    b.post("tiktok", "before", "2025-10-19 23:30")  # Sunday of W42 (21:30 UTC)
    b.post("tiktok", "first", "2025-10-20 00:30")  # Monday 00:30 CEST = 19 Oct 22:30 UTC
    b.post("tiktok", "last", "2025-10-26 23:30")  # Sunday 23:30 CET = 22:30 UTC
    b.snapshot("tiktok", "last", "2025-10-26 23:45", view_count=100)
    b.days("tiktok", "video_views", "2025-10-20", [10] * 7, "organic", kind="business")
    report = weekly(fresh_db, "2025-W43", now="2025-10-27T07:00:00Z")
    assert report["week"]["start_utc"] == "2025-10-19T22:00:00Z"
    assert report["week"]["end_utc"] == "2025-10-26T23:00:00Z"
    tiktok = by_platform(report)["tiktok"]
    assert tiktok["posts_published"] == 2
    # The business account's daily series is preferred (one source): 7 x 10 = 70, organic.
    assert tiktok["views"]["organic"] == 70
    assert tiktok["views"]["basis"]["organic"] == "account_day:video_views"
    assert tiktok["views"]["days_covered"] == 7
    w42 = weekly(fresh_db, "2025-W42", now="2025-10-27T07:00:00Z")
    assert by_platform(w42)["tiktok"]["posts_published"] == 1


def test_reach_is_the_platforms_week_number_when_there_is_one(scenario: Database) -> None:
    report = weekly(scenario)
    linkedin = by_platform(report)["linkedin"]
    # Only daily unique counts: 7 x 80 = 560, labelled as an upper bound, never "reach".
    assert linkedin["reach"]["organic"] == {
        "value": 560,
        "method": "sum_of_daily",
        "exact": False,
        "metric": "uniqueImpressionsCount",
        "parts": 7,
    }
    assert "reach_upper_bound" in {w["code"] for w in report["warnings"]}
    b = Builder(scenario)
    b.window_value(
        "linkedin", "uniqueImpressionsCount", "2025-11-24", "2025-11-30", "week", 400, "organic"
    )
    linkedin = by_platform(weekly(scenario))["linkedin"]
    assert linkedin["reach"]["organic"]["value"] == 400
    assert linkedin["reach"]["organic"]["method"] == "platform_week"
    assert linkedin["reach"]["organic"]["exact"] is True


def test_reach_total_across_platforms_is_only_a_labelled_sum(scenario: Database) -> None:
    b = Builder(scenario)
    b.days("facebook", "page_total_media_view_unique", "2025-11-24", [100] * 7, "total")
    report = weekly(scenario, lang="en")
    content = report["total"]["reach_sum"]["content"]
    # LinkedIn 560 (sum of daily) + Facebook 700 (sum of daily) = 1260, never called reach:
    # a sum holding daily sums is labelled as the upper bound it is.
    assert content["value"] == 1260
    assert content["method"] == "sum_of_daily"
    assert content["exact"] is False
    assert content["includes_upper_bounds"] is True
    html = render(report, "html").text
    assert "sum of daily reach, upper bound" in html
    assert "sum of daily reach (upper bound)" not in html
    nb = render(weekly(scenario), "md").text
    assert "sum av daglig rekkevidde, øvre grense" in nb
    # Exact weekly numbers on two platforms: a sum across platforms, labelled so.
    b.window_value(
        "linkedin", "uniqueImpressionsCount", "2025-11-24", "2025-11-30", "week", 400, "organic"
    )
    b.window_value(
        "facebook", "page_total_media_view_unique", "2025-11-24", "2025-11-30", "week", 500, "total"
    )
    content = weekly(scenario, lang="en")["total"]["reach_sum"]["content"]
    assert (content["value"], content["method"]) == (900, "sum_across_platforms")
    nb = render(weekly(scenario), "md").text
    assert "900 (sum over plattformer; samme person kan telles flere ganger)" in nb


def test_facebook_views_split_by_is_from_ads_use_one_source(fresh_db: Database) -> None:
    b = Builder(fresh_db)
    b.days("facebook", "page_media_view", "2025-11-24", [100] * 7, "organic")
    b.days("facebook", "page_media_view", "2025-11-24", [50] * 7, "paid")
    b.ad_campaign("facebook", "fb-camp", "Boost")
    b.ad_days("facebook", "fb-camp", "impressions", "2025-11-24", [999] * 7)
    facebook = by_platform(weekly(fresh_db))["facebook"]
    # Organic 700 from the page's own split. Sponsored views come from the ad statistics
    # (Meta's ads count a view as an impression), the same source the campaign and partner
    # reports use; the page's own paid split (350) describes the same views and is not added.
    assert facebook["views"]["organic"] == 700
    assert facebook["views"]["paid"] == 6993
    assert facebook["views"]["total"] == 700 + 6993
    assert facebook["views"]["basis"] == {
        "organic": "account_day:page_media_view",
        "paid": "ads_day:impressions",
        "total": "organic+paid",
    }
    assert facebook["paid"]["impressions"] == 6993
    # Without ad statistics the page's own split is the sponsored figure.
    fresh_db.execute("DELETE FROM metric_values WHERE subject_type = 'ad'")
    facebook = by_platform(weekly(fresh_db))["facebook"]
    assert (facebook["views"]["paid"], facebook["views"]["total"]) == (350, 1050)
    assert facebook["views"]["basis"]["paid"] == "account_day:page_media_view"


def test_platform_with_no_data_says_so(scenario: Database) -> None:
    report = weekly(scenario)
    facebook = by_platform(report)["facebook"]
    assert facebook["has_data"] is False
    assert facebook["views"]["total"] is None
    assert facebook["posts_published"] == 0
    codes = {(w["code"], w["platform"]) for w in report["warnings"]}
    assert ("no_data_platform", "facebook") in codes
    assert ("never_synced", "facebook") in codes
    html = render(report, "html").text
    assert "ingen data" in html
    assert "aldri synkronisert" in html


def test_previous_week_and_change(scenario: Database) -> None:
    report = weekly(scenario)
    tiktok = by_platform(report)["tiktok"]["week_on_week"]
    # W47: only A (published 20 Nov) grew, from 0 to 1000; its likes/comments/shares 57.
    assert tiktok["previous"]["views_total"] == 1000
    assert tiktok["change"]["views_total"] == 8300
    assert tiktok["previous"]["engagement_rate_total"] == pytest.approx(57 / 1000)
    linkedin = by_platform(report)["linkedin"]["week_on_week"]
    assert linkedin["previous"]["views_organic"] == 700  # 7 x 100
    assert linkedin["change"]["views_organic"] == 2100
    total = report["total"]["week_on_week"]
    assert total["previous"]["followers_end"] == 10000 + 4900
    assert total["change"]["followers_end"] == 350


def test_revised_lists_figures_that_changed_since_reported(scenario: Database) -> None:
    first = weekly(scenario, "2025-W47", now="2025-11-24T07:00:00Z")
    assert first["revised"] is None
    # LinkedIn re-sends Sunday 23 Nov with 150 impressions instead of 100 (late data).
    Builder(scenario).days("linkedin", "impressionCount", "2025-11-23", [150], "organic")
    report = weekly(scenario)
    revised = report["revised"]
    assert revised["week"] == "2025-W47"
    assert revised["reported_at"] == "2025-11-24T07:00:00Z"
    changes = {c["figure"]: (c["reported"], c["now"], c["change"]) for c in revised["changes"]}
    assert changes["linkedin.views.organic"] == (700, 750, 50)
    assert changes["linkedin.views.total"] == (700, 750, 50)
    assert changes["total.views.total"] == (1700, 1750, 50)
    assert "tiktok.views.total" not in changes
    stored = scenario.execute("SELECT kind, key FROM generated_reports ORDER BY id").fetchall()
    assert stored == [("weekly", "2025-W47"), ("weekly", "2025-W48")]
    html = render(report, "html").text
    assert "LinkedIn: Visninger, organisk" in html


def test_no_revisions_when_nothing_changed(scenario: Database) -> None:
    weekly(scenario, "2025-W47", now="2025-11-24T07:00:00Z")
    assert weekly(scenario)["revised"]["changes"] == []


def test_calendar_adherence_per_person(scenario: Database) -> None:
    adherence = weekly(scenario)["adherence"]
    # Kari: s1 published, s2 planned, s4 skipped (shared) -> 3 planned, 1 published.
    # Ola: s3 published (Sunday 23:15), s4 -> 2 planned, 1 published. s5 is an idea, s6 is W49.
    assert adherence["members"] == [
        {"member": "Kari", "planned": 3, "published": 1, "rate": pytest.approx(1 / 3, abs=1e-6)},
        {"member": "Ola", "planned": 2, "published": 1, "rate": 0.5},
    ]
    assert (adherence["planned"], adherence["published"]) == (4, 2)  # s4 counted once


def test_freshness_warns_about_stale_and_missing_syncs(scenario: Database) -> None:
    report = weekly(scenario)
    fresh = {f["platform"]: f for f in report["freshness"]}
    assert fresh["tiktok"]["status"] == "ok" and fresh["tiktok"]["age_hours"] == 2
    assert fresh["linkedin"]["status"] == "stale" and fresh["linkedin"]["age_hours"] == 74
    assert fresh["facebook"]["status"] == "missing"
    codes = {(w["code"], w["platform"]) for w in report["warnings"]}
    assert ("stale", "linkedin") in codes
    assert ("synced_before_end", "linkedin") in codes
    assert ("stale", "tiktok") not in codes


def test_followers_change_from_daily_gains_without_a_start_level(fresh_db: Database) -> None:
    b = Builder(fresh_db)
    b.days("linkedin", "firstDegreeSize", "2025-11-30", [5000], "total")
    b.days("linkedin", "organicFollowerGain", "2025-11-24", [3] * 7, "organic")
    b.days("linkedin", "paidFollowerGain", "2025-11-24", [1] * 7, "paid")
    followers = by_platform(weekly(fresh_db))["linkedin"]["followers"]
    assert followers["end"] == 5000
    assert followers["change"] == 28  # 7 x 3 organic + 7 x 1 paid
    assert followers["change_basis"] == "sum_of_daily_gains"


def test_post_first_measured_in_the_week_is_estimated_and_flagged(fresh_db: Database) -> None:
    b = Builder(fresh_db)
    # Published Monday 17 Nov 00:00, first measured Wednesday 26 Nov 00:00 (9 days later) with
    # 900 views: 100 a day on a straight line, so 700 before W48 and 200 in W48 up to then;
    # then 1000 at the end of the week.
    b.post("tiktok", "late", "2025-11-17 00:00")
    b.snapshot("tiktok", "late", "2025-11-26 00:00", view_count=900)
    b.snapshot("tiktok", "late", "2025-11-30 12:00", view_count=1000)
    report = weekly(fresh_db)
    tiktok = by_platform(report)["tiktok"]
    assert tiktok["views"]["total"] == 300  # 1000 - 700
    assert tiktok["first_seen_posts"] == 1
    assert ("first_seen", "tiktok") in {(w["code"], w["platform"]) for w in report["warnings"]}
    # W47 holds the publication, so it gets the straight line's first 7 days: 700. The two
    # weeks add up to the post's 1000.
    w47 = by_platform(weekly(fresh_db, "2025-W47", now="2025-11-24T07:00:00Z"))["tiktok"]
    assert w47["views"]["total"] == 700
    assert w47["views"]["total"] + tiktok["views"]["total"] == 1000


def test_empty_database_reports_no_data(fresh_db: Database) -> None:
    report = weekly(fresh_db, None, now="2025-11-26T10:00:00Z")
    assert report["week"]["iso"] == "2025-W47"  # the last complete week
    assert report["has_data"] is False
    assert all(p["has_data"] is False for p in report["platforms"])
    assert report["warnings"][0]["code"] == "no_data_week"
    assert fresh_db.execute("SELECT COUNT(*) FROM generated_reports").fetchone()[0] == 0


@pytest.mark.parametrize(
    ("week", "message"),
    [
        ("2025-W60", "'2025-W60' is not an ISO week; write it like 2025-W48"),
        ("2025-W53", "'2025-W53' is not an ISO week"),  # 2025 has 52 weeks
        ("next week", "is not an ISO week"),
        ("2026-W02", "has not started yet"),
    ],
)
def test_bad_week_is_refused(fresh_db: Database, week: str, message: str) -> None:
    with pytest.raises(SocialError, match=message):
        weekly(fresh_db, week)


def test_current_week_is_marked_provisional(scenario: Database) -> None:
    report = weekly(scenario, "2025-W49", now="2025-12-03T12:00:00Z")
    assert report["week"]["complete"] is False
    assert "week_incomplete" in {w["code"] for w in report["warnings"]}


def test_english_report(scenario: Database) -> None:
    report = weekly(scenario, lang="en")
    text = render(report, "md").text
    assert text.startswith("# Weekly report, week 48")
    assert "9,300" in text and "3.45%" in text
    nb = render(weekly(scenario), "md").text
    assert nb.startswith("# Ukerapport uke 48")
    assert "9\xa0300" in nb and "3,45 %" in nb


def test_json_is_plain_and_stable(scenario: Database) -> None:
    report = json.loads(render(weekly(scenario), "json").text)
    assert list(report) == [
        "schema_version",
        "kind",
        "key",
        "lang",
        "generated_at",
        "timezone",
        "currency",
        "week",
        "previous_week",
        "has_data",
        "platforms",
        "total",
        "top_posts",
        "adherence",
        "freshness",
        "what_worked",
        "revised",
        "warnings",
        "notes",
    ]
    assert report["schema_version"] == 1
    assert report["week"]["start"] == "2025-11-24"
    platform = report["platforms"][0]
    assert set(platform) == {
        "platform",
        "has_data",
        "followers",
        "posts_published",
        "views",
        "first_seen_posts",
        "reach",
        "engagements",
        "engagement_rate",
        "paid",
        "week_on_week",
    }
    assert isinstance(platform["views"]["total"], int)


def test_markdown_and_csv_escape_platform_text(fresh_db: Database) -> None:
    b = Builder(fresh_db)
    b.post(
        "tiktok",
        "X",
        "2025-11-25 12:00",
        '=HYPERLINK("http://evil") <img src=x onerror=alert(1)> | *bold*',
    )
    b.snapshot("tiktok", "X", "2025-11-26 12:00", view_count=10)
    report = weekly(fresh_db)
    md = render(report, "md").text
    assert "\\<img src=x onerror=alert(1)\\> \\| \\*bold\\*" in md
    # A Markdown viewer shows it as text: no tag, no emphasis, no table cell break.
    html = MarkdownIt("commonmark", {"html": True}).render(md)
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt; | *bold*" in html
    csv_text = render(report, "csv").text
    assert "'=HYPERLINK" in csv_text


def test_no_follower_total_when_a_platform_has_only_its_gains(fresh_db: Database) -> None:
    b = Builder(fresh_db)
    b.days(
        "tiktok",
        "follower_count",
        "2025-11-23",
        [1000, 1010, 1020, 1030, 1040, 1050, 1060, 1070],
        "total",
    )
    b.days("linkedin", "organicFollowerGain", "2025-11-24", [3] * 7, "organic")
    total = weekly(fresh_db)["total"]["followers"]
    assert total["end"] is None  # 1,070 would read as everyone, without LinkedIn's level
    assert total["change"] == 70 + 21


def test_linkedin_followers_at_the_end_of_the_week_are_worked_back_from_todays_count(
    fresh_db: Database,
) -> None:
    # LinkedIn gives only today's count (Wednesday 3 Dec) and daily gains for every day.
    b = Builder(fresh_db)
    b.days("linkedin", "firstDegreeSize", "2025-12-03", [5000], "total")
    b.days("linkedin", "organicFollowerGain", "2025-11-24", [3] * 9, "organic")
    b.days("linkedin", "paidFollowerGain", "2025-11-24", [1] * 9, "paid")
    followers = by_platform(weekly(fresh_db))["linkedin"]["followers"]
    # Gains on Mon 1 and Tue 2 Dec (4 + 4) came after the week ended on Sunday 30 Nov.
    assert followers["end"] == 5000 - 8 and followers["as_of"] == "2025-11-30"
    assert followers["end_basis"] == "later_level_minus_daily_gains"
    assert followers["change"] == 28


def test_no_worked_back_count_when_a_days_gains_are_missing(fresh_db: Database) -> None:
    b = Builder(fresh_db)
    b.days("linkedin", "firstDegreeSize", "2025-12-03", [5000], "total")
    b.days("linkedin", "organicFollowerGain", "2025-11-24", [3] * 8, "organic")  # no 2 Dec
    assert by_platform(weekly(fresh_db))["linkedin"]["followers"]["end"] is None
