"""A platform registered at run time, with data written through db.writes, appears in the
weekly, campaign and partner reports and on the web dashboard: no core module names it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlite_utils import Database

from core import registry
from core.catalogue import MetricInfo
from core.domain import Account, Page, Post, Snapshot
from core.registry import Platform, Views
from core.timeutil import local_date, utcnow
from db import writes
from social.campaigns.model import FieldError
from social.campaigns.parsing import parse_platform, parse_platform_id
from social.reports.campaign import build_campaign
from social.reports.definitions import text
from social.reports.partner import build_partner
from social.reports.render import render
from social.reports.weekly import build_weekly
from tests.reports_support import Builder, config, local, utc
from tests.web_support import LEAD, signed_in, workspace

NAME = "mastodon"


def _metric(metric: str, concept: str, additive: bool, nb: str, en: str) -> MetricInfo:
    return MetricInfo(NAME, metric, concept, additive, nb, en, f"Test metric {metric}.")


MASTODON = Platform(
    name=NAME,
    display_name="Mastodon",
    views=Views(
        concept="views",
        definition={
            "nb": "Mastodon teller visninger i tidslinjen",
            "en": "Mastodon counts timeline views",
        },
    ),
    metrics=(
        _metric("views", "views", True, "Visninger", "Views"),
        _metric("favourites", "likes", True, "Favoritter", "Favourites"),
        _metric("replies", "comments", True, "Svar", "Replies"),
        _metric("boosts", "shares", True, "Fremhevinger", "Boosts"),
        _metric("followers_count", "followers", False, "Følgere", "Followers"),
    ),
    order=1000,
    colour="#563acc",
)


@pytest.fixture
def mastodon() -> Iterator[Platform]:
    """The fifth platform, registered for one test only."""
    with registry.registered(MASTODON) as record:
        yield record


def write_week(db: Database, monday: date) -> None:
    """An account with one post published on the Tuesday counted 1 200 views by the Sunday (all in the week: it was new)."""
    account = writes.upsert_account(db, Account(NAME, "organic", "@realfag", "Realfag"))
    tuesday = monday + timedelta(days=1)
    page = Page(
        posts=[Post(NAME, "M1", local(f"{tuesday} 12:00"), caption="Realfag #rollemodell")],
        snapshots=[
            Snapshot("M1", local(f"{tuesday} 13:00"), {"views": 200, "favourites": 5}, "organic"),
            Snapshot(
                "M1",
                local(f"{monday + timedelta(days=6)} 20:00"),
                {"views": 1200, "favourites": 25},
                "organic",
            ),
        ],
    )
    writes.save_page(db, account, page, source="api")


MONDAY = date(2025, 11, 3)
NOW = "2025-11-12T08:00:00Z"


def test_a_registered_platform_is_in_the_weekly_report(
    mastodon: Platform, fresh_db: Database
) -> None:
    write_week(fresh_db, MONDAY)
    report = build_weekly(fresh_db, config(), now=utc(NOW), save=False)
    figures = {p["platform"]: p for p in report["platforms"]}
    assert figures[NAME]["views"]["total"] == 1200
    assert figures[NAME]["posts_published"] == 1
    assert [p["platform"] for p in report["platforms"]][-1] == NAME  # its order, 1000: last
    html = render(report, "html").text
    assert "Mastodon" in html


def test_a_registered_platform_is_in_the_campaign_and_partner_reports(
    mastodon: Platform, fresh_db: Database
) -> None:
    write_week(fresh_db, MONDAY)
    b = Builder(fresh_db)
    partner = b.partner("Equinor")
    cid = b.campaign("Rollemodell", "2025-11-01", "2025-11-30", [NAME], partner_id=partner)
    b.campaign_member(cid, "post", "M1", NAME)
    campaign = build_campaign(fresh_db, config(), "Rollemodell", now=utc(NOW), save=False)
    rows = {p["platform"]: p for p in campaign["platforms"]}
    assert rows[NAME]["organic"]["views"] == 1200
    assert "Mastodon" in render(campaign, "html").text
    yearly = build_partner(fresh_db, config(), "Equinor", year=2025, now=utc(NOW), save=False)
    assert [c["id"] for c in yearly["content"]] == ["M1"]
    assert {b["platform"]: b["posts"] for b in yearly["by_platform"]} == {NAME: 1}
    assert "Mastodon 1" in yearly["summary"]


def test_a_registered_platform_brings_its_own_definition_and_campaign_ids(
    mastodon: Platform,
) -> None:
    assert "Mastodon teller visninger i tidslinjen" in text("views", "nb")
    assert "Mastodon counts timeline views" in text("views", "en")
    assert parse_platform("Mastodon", ("platforms",)) == NAME
    member = parse_platform_id("post", "mastodon:M1", ("posts", 0))
    assert (member.platform, member.value) == (NAME, "M1")


def test_an_unregistered_platform_is_refused_in_campaigns() -> None:
    with pytest.raises(FieldError, match="unknown platform 'mastodon'"):
        parse_platform("mastodon", ("platforms",))


def test_a_registered_platform_is_on_the_web_dashboard(tmp_path: Path) -> None:
    # The demo workspace is built first: the demo syncs every installed platform's sandbox.
    config_, app, db = workspace(tmp_path)
    today = local_date(utcnow(), config_.timezone)
    last_monday = today - timedelta(days=today.weekday() + 7)
    with registry.registered(MASTODON):
        write_week(db, last_monday)
        client = signed_in(app, db, LEAD)
        page = client.get("/")
        assert page.status_code == 200
        assert "Mastodon" in page.text
        data = client.get("/?format=json").json()
        figures = {p["platform"]: p for p in data["weekly"]["platforms"]}
        assert figures[NAME]["views"]["total"] == 1200
        css = client.get("/static/platforms.css").text
        assert ".slot.platform-mastodon { border-left-color: #563acc; }" in css
