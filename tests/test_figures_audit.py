"""The figures audit: every number in the weekly, campaign and partner JSON, rebuilt from the
stored values by a second, deliberately simple implementation (tests/figures_audit.py), agrees
with the reports, on a generated database and on the demo's."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlite_utils import Database

from core.config import Config, load_config
from core.timeutil import from_utc_iso, local_date
from social.reports.campaign import build_campaign
from social.reports.partner import build_partner
from social.reports.weekly import build_weekly
from tests import audit_data
from tests.figures_audit import CampaignAudit, PartnerAudit, WeeklyAudit, disagreements


def check_weekly(db: Database, config: Config, now: datetime) -> dict:
    monday = date.fromisoformat(build_weekly(db, config, now=now, save=False)["week"]["start"])
    # The week before is reported first, so this week's report has revisions to show.
    build_weekly(
        db,
        config,
        week=(monday - timedelta(days=7)).strftime("%G-W%V"),
        now=now - timedelta(days=7),
    )
    report = build_weekly(db, config, now=now)
    audit = WeeklyAudit(db, config.timezone)
    expected = audit.run(monday, now, revised_from=report["revised"])
    if report["what_worked"]["pattern"]:
        audit.pattern(expected, report["what_worked"]["pattern"]["theme"])
    assert disagreements(report, expected) == []
    return report


def check_campaign(db: Database, config: Config, name: str, now: datetime) -> dict:
    report = build_campaign(db, config, name, now=now, save=False)
    cid = db.execute("SELECT id FROM campaigns WHERE name = ?", [name]).fetchone()[0]
    assert disagreements(report, CampaignAudit(db, config.timezone).run(cid, now)) == []
    return report


def check_partner(db: Database, config: Config, name: str, now: datetime) -> dict:
    report = build_partner(db, config, name, now=now, save=False)
    pid = db.execute("SELECT id FROM partners WHERE name = ?", [name]).fetchone()[0]
    year = local_date(now, config.timezone).year
    expected = PartnerAudit(db, config.timezone).run_partner(pid, year, now)
    assert disagreements(report, expected) == []
    return report


@pytest.mark.parametrize("seed", [1, 2])
def test_audit_agrees_on_a_generated_database(fresh_db: Database, seed: int) -> None:
    audit_data.generate(fresh_db, seed)
    config = Config(
        path=None, values={"facebook": {"enabled": True}, "linkedin": {"enabled": True}}
    )
    now = from_utc_iso(audit_data.NOW)
    weekly = check_weekly(fresh_db, config, now)
    assert weekly["revised"] is not None
    campaign = check_campaign(fresh_db, config, audit_data.CAMPAIGN, now)
    assert len(campaign["kpis"]) == 16 and campaign["campaign"]["status"] == "running"
    partner = check_partner(fresh_db, config, audit_data.PARTNER, now)
    assert partner["content"] and partner["campaigns"]
    # The same campaign's sponsored figures agree across the two reports.
    row = next(c for c in partner["campaigns"] if c["name"] == audit_data.CAMPAIGN)
    assert row["views_paid"] == campaign["totals"]["paid"]["views"]
    assert row["spend"] == campaign["totals"]["paid"]["spend"]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from social.demo import run_demo

    target = tmp_path_factory.mktemp("audit") / "demo"
    run_demo(target, seed=42, port=0, lang="nb", echo=lambda _: None)
    return target


def test_audit_agrees_on_the_demo_database(demo: Path) -> None:
    from db import open_db

    config = load_config(demo / "social.toml")
    db = open_db(config.database_path)
    now = datetime.now().astimezone()
    check_weekly(db, config, now)
    name = db.execute("SELECT name FROM campaigns ORDER BY start_date DESC LIMIT 1").fetchone()[0]
    check_campaign(db, config, name, now)
    check_partner(db, config, "Equinor", now)
