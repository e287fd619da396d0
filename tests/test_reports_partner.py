"""Partner (ESG) report against hand-computed fixtures."""

from __future__ import annotations

import pytest
from sqlite_utils import Database

from core.errors import SocialError
from social.reports.partner import build_partner
from social.reports.render import render
from tests.reports_support import Builder, campaign_scenario, config, utc

NOW = "2026-01-10T08:00:00Z"


@pytest.fixture
def scenario(fresh_db: Database) -> Database:
    b, _ = campaign_scenario(fresh_db)
    p3 = fresh_db.execute("SELECT id FROM posts WHERE external_id = 'P3'").fetchone()[0]
    b.slot("eq1", "2025-11-05 12:00", "published", [], post_id=p3, partner_id=1)
    return fresh_db


def partner(db: Database, **kw: object) -> dict:
    return build_partner(db, config(), "equinor", now=utc(NOW), **kw)  # type: ignore[arg-type]


def test_partner_content_views_reach_and_spend(scenario: Database) -> None:
    r = partner(scenario, year=2025)
    content = {c["id"]: c for c in r["content"]}
    assert set(content) == {"P1", "urn:li:share:9", "P3"}
    assert content["P3"]["via"] == ["calendar"]
    assert content["P1"]["via"] == ["campaign:Rollemodell 2025"]
    # Views to 31 Dec: P1 20000, P2 4000 (impressions), P3 7777.
    assert content["P1"]["views"] == 20000
    assert r["totals"]["views"] == 31777
    # Only P1 has its own lifetime reach; the total says it covers 1 of 3 posts.
    assert r["totals"]["reach"]["value"] == 9000
    assert r["totals"]["reach"]["parts"] == 1
    assert "for 1 av 3 innlegg" in r["summary"]
    # Sponsored: the campaign's ad campaign only, 15 x 300.
    assert r["totals"]["spend"] == 4500
    assert r["totals"]["views_paid"] == 7500
    assert r["totals"]["reach_paid"]["value"] == 18000
    assert [b["title"] for b in r["briefs"]] == ["Rollemodell-video"]
    # Views by month add up to the views to date: Oct 1000 (P2 before its first growth in the
    # flight) and Nov the rest.
    months = {m["month"]: m["views"] for m in r["monthly"]}
    assert months["2025-10"] == 1000
    assert months["2025-11"] == 30777
    assert sum(v or 0 for v in months.values()) == r["totals"]["views"]


def test_partner_report_renders_for_esg(scenario: Database) -> None:
    r = partner(scenario, year=2025, lang="en")
    assert r["summary"].startswith("In 2025 we made 3 posts with or for Equinor")
    html = render(r, "html").text
    assert "Partner report 2025: Equinor" in html
    assert "<svg" in html  # the monthly chart


def test_year_without_content(scenario: Database) -> None:
    r = partner(scenario, year=2024)
    assert r["content"] == []
    assert r["warnings"][0]["code"] == "no_partner_content"


def test_unknown_partner_and_future_year(scenario: Database) -> None:
    with pytest.raises(SocialError, match="unknown partner 'Equinr'; did you mean 'Equinor'"):
        build_partner(scenario, config(), "Equinr", now=utc(NOW))
    with pytest.raises(SocialError, match="--year 2027 has not started yet"):
        partner(scenario, year=2027)


def test_partner_report_figures_are_stored(scenario: Database) -> None:
    partner(scenario, year=2025)
    rows = scenario.execute("SELECT kind, key FROM generated_reports").fetchall()
    assert rows == [("partner", "Equinor:2025")]


def test_other_partners_content_is_left_out(scenario: Database) -> None:
    b = Builder(scenario)
    other = b.partner("Aker")
    post = b.post("tiktok", "AK", "2025-06-01 12:00", "Aker")
    b.slot("ak1", "2025-06-01 12:00", "published", [], post_id=post, partner_id=other)
    assert "AK" not in {c["id"] for c in partner(scenario, year=2025)["content"]}
