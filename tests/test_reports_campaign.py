"""Campaign report: KPI actuals, attainment and pacing against hand-computed fixtures."""

from __future__ import annotations

import pytest
from sqlite_utils import Database

from core.errors import SocialError
from social.reports import kpi
from social.reports.campaign import build_campaign, hashtag_pattern
from social.reports.render import render
from tests.reports_support import CAMPAIGN_NOW, Builder, campaign_scenario, config, utc

NAME = "Rollemodell 2025"


@pytest.fixture
def scenario(fresh_db: Database) -> Database:
    campaign_scenario(fresh_db)
    return fresh_db


def report(db: Database, now: str = CAMPAIGN_NOW, **kw: object) -> dict:
    return build_campaign(db, config(), NAME, now=utc(now), **kw)  # type: ignore[arg-type]


def kpis(r: dict) -> dict[tuple[str, str, str], dict]:
    return {(k["kpi"], k["origin"], k["platform"]): k for k in r["kpis"]}


def test_campaign_half_way_pacing(scenario: Database) -> None:
    r = report(scenario)
    c = r["campaign"]
    # Reported 16 Nov: 1..15 Nov are complete, 15 of 30 days.
    assert (c["status"], c["as_of"], c["elapsed_days"], c["duration_days"]) == (
        "running",
        "2025-11-15",
        15,
        30,
    )
    views = kpis(r)[("views", "total", "all")]
    # TikTok P1 grew 0 -> 12000 by the end of 15 Nov (its counter includes the Spark Ad's
    # plays, which are not added again); LinkedIn P2 grew 1000 -> 4000 inside the flight.
    assert views["actual"] == 15000
    assert views["attainment"] == 0.15
    # expected = 100000 x 15/30; projection = 15000 / 15 x 30 -> behind.
    assert views["pacing"] == {
        "expected_to_date": 50000,
        "projection": 30000,
        "on_track": False,
        "status": "behind",
        "approximate": False,
    }
    spend = kpis(r)[("spend", "paid", "all")]
    # 15 days x 300 of the member ad campaign only (tt-other's 1000/day is not a member).
    assert spend["actual"] == 4500
    assert spend["pacing"]["expected_to_date"] == 4000
    assert spend["pacing"]["projection"] == 9000
    # A spend target is a budget: 9000 projected against 8000 is spending above plan.
    assert (spend["pacing"]["status"], spend["pacing"]["on_track"]) == ("over_pace", False)


def test_campaign_reach_is_the_platforms_own_campaign_number(scenario: Database) -> None:
    reach = kpis(report(scenario))[("reach", "paid", "tiktok")]
    # The latest 'campaign' row (1-15 Nov: 18000), not the 15 daily rows (60000).
    assert reach["actual"] == 18000
    assert reach["method"] == "platform_campaign"
    assert reach["exact"] is True
    assert reach["pacing"]["approximate"] is True


def test_campaign_reach_across_campaigns_is_a_labelled_sum(scenario: Database) -> None:
    b = Builder(scenario)
    b.ad_campaign("tiktok", "tt-camp-10", "Second flight")
    b.window_value(
        "tiktok",
        "reach",
        "2025-11-05",
        "2025-11-15",
        "campaign",
        5000,
        "paid",
        kind="ads",
        subject_type="ad",
        subject="tt-camp-10",
    )
    cid = scenario.execute("SELECT id FROM campaigns").fetchone()[0]
    b.campaign_member(cid, "ad_campaign", "tt-camp-10", "tiktok")
    r = report(scenario, lang="en")
    reach = kpis(r)[("reach", "paid", "tiktok")]
    assert reach["actual"] == 23000
    assert reach["method"] == "sum_across_campaigns"
    assert reach["exact"] is False
    html = render(r, "html").text
    assert "sum across campaigns; people may be counted more than once" in html


def test_cost_kpis(scenario: Database) -> None:
    r = report(scenario)
    cpc = kpis(r)[("cost_per_click", "paid", "all")]
    assert cpc["actual"] == 7.5  # 4500 / (15 x 40)
    assert cpc["attainment"] == pytest.approx(10 / 7.5, abs=1e-6)  # lower is better
    assert cpc["pacing"]["on_track"] is True
    tiktok = r["platforms"][0]
    assert tiktok["paid"]["cpm"] == 60  # 4500 / 75000 x 1000
    assert tiktok["paid"]["cost_per_1000_reached"] == 250  # 4500 / 18000 x 1000
    clicks = kpis(r)[("clicks", "total", "all")]
    assert clicks["actual"] == 620  # 600 paid on TikTok + LinkedIn P2's 25 - 5 organic


def test_campaign_membership(scenario: Database) -> None:
    r = report(scenario)
    assert r["campaign"]["posts"] == 2  # P1 by hashtag (any case), P2 by id
    assert [p["id"] for p in r["top_content"]] == ["P1", "urn:li:share:9"]
    pattern = hashtag_pattern("rollemodell")
    assert pattern.search("Møt Ingrid #Rollemodell!")
    assert not pattern.search("#rollemodellene er her")


def test_daily_cumulative_series_ends_at_the_actual(scenario: Database) -> None:
    r = report(scenario)
    series = {s["kpi"]: s for s in r["progress"]}
    assert set(series) == {"views", "spend", "clicks"}  # the additive targets
    assert series["views"]["dates"][0] == "2025-11-01"
    assert series["views"]["dates"][-1] == "2025-11-15"
    assert series["views"]["cumulative"][-1] == 15000
    assert series["spend"]["cumulative"] == [300 * i for i in range(1, 16)]


def test_ended_campaign_has_no_pacing(scenario: Database) -> None:
    r = report(scenario, now="2025-12-05T08:00:00Z")
    assert r["campaign"]["status"] == "ended"
    assert r["campaign"]["as_of"] == "2025-11-30"
    views = kpis(r)[("views", "total", "all")]
    assert views["pacing"] is None
    # P1 grew to 20000 by 20 Nov; P2 still 4000: 19000 + 3000.
    assert views["actual"] == 23000


def test_planned_campaign(scenario: Database) -> None:
    r = report(scenario, now="2025-10-20T08:00:00Z")
    assert r["campaign"]["status"] == "planned"
    assert all(k["actual"] is None for k in r["kpis"])
    assert "starter 1. nov. 2025" in r["summary"]


def test_summary_and_definitions_in_the_report_language(scenario: Database) -> None:
    nb = report(scenario)
    assert "har gått 15 av 30 dager" in nb["summary"]
    assert "bak skjema" in nb["summary"]
    en = report(scenario, lang="en")
    assert "is 15 of 30 days in" in en["summary"]
    assert "behind" in en["summary"]
    views = next(d for d in en["definitions"] if d["kpi"] == "views")
    platforms = {p["platform"]: [m["metric"] for m in p["metrics"]] for p in views["platforms"]}
    assert platforms["linkedin"] == ["impressionCount", "impressions"]
    assert "view_count" in platforms["tiktok"]


def test_unknown_campaign_fails_cleanly(scenario: Database) -> None:
    with pytest.raises(
        SocialError, match="unknown campaign 'Rollemodel'; did you mean 'Rollemodell 2025'"
    ):
        build_campaign(scenario, config(), "Rollemodel", now=utc(CAMPAIGN_NOW))


def on_track(kpi_name: str, actual: float, target: float, elapsed: int, duration: int) -> bool:
    pace = kpi.pacing(kpi_name, actual, target, elapsed, duration)
    assert pace is not None
    return bool(pace["on_track"])


def test_spend_below_its_pace_is_not_called_behind_nor_shown_red(scenario: Database) -> None:
    cid = scenario.execute("SELECT id FROM campaigns").fetchone()[0]
    scenario.execute(
        "UPDATE kpi_targets SET target = 20000 WHERE campaign_id = ? AND kpi = 'spend'", [cid]
    )
    r = report(scenario)
    spend = kpis(r)[("spend", "paid", "all")]
    assert spend["pacing"]["status"] == "under_pace"  # 9000 projected of 20000
    assert "bruker mindre enn planlagt" in r["summary"] and "Kostnad" in r["summary"]
    html = render(r, "html").text
    row = next(line for line in html.splitlines() if ">bruker mindre enn planlagt<" in line)
    assert 'class="bad"' not in row and 'class="neutral"' in row
    md = render(report(scenario, lang="en"), "md").text
    assert "spending below plan" in md and "behind" not in md.split("Spend")[1].split("\n")[0]


def test_cpm_is_labelled_per_1000_ad_impressions(scenario: Database) -> None:
    nb = render(report(scenario), "md").text
    assert "CPM (per 1000 annonsevisninger)" in nb
    assert "per 1000 visninger)" not in nb
    assert "CPM (per 1,000 ad impressions)" in render(report(scenario, lang="en"), "html").text


def test_pacing_rules() -> None:
    assert on_track("views", 500, 1000, 5, 10) is True  # 500 / 5 x 10 = 1000
    assert on_track("views", 499, 1000, 5, 10) is False
    assert on_track("ctr", 0.02, 0.01, 5, 10) is True
    assert on_track("cost_per_click", 12, 10, 5, 10) is False
    assert kpi.pacing("views", 10, 100, 0, 10) is None
    assert kpi.attainment("cost_per_1000_reached", 50, 100) == 2
    assert kpi.result_concept("VIDEO_VIEWS") == "views"
    assert kpi.result_concept("TRAFFIC") == "link_clicks"
    assert kpi.result_concept("") == "clicks"
