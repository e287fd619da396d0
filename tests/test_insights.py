"""Content insights: planted effects are found with honest intervals, noise yields no claim."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

from click.testing import CliRunner
from sqlite_utils import Database

from db import writes
from social.cli import cli
from social.config import load_config
from social.domain import Account, Page, Post, Snapshot
from social.insights.analysis import GroupResult, group_keys, in_periods
from social.insights.data import PostPerformance
from social.insights.report import build_insights, describe

NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)


def _seed(db: Database, *, tips_factor: float, n: int = 120, seed: int = 1) -> None:
    rng = random.Random(seed)
    account = writes.upsert_account(db, Account("tiktok", "organic", "open-1"))
    page = Page()
    start = NOW - timedelta(days=n * 2 + 10)
    for i in range(n):
        published = start + timedelta(days=2 * i, hours=rng.randint(0, 10))
        tips = i % 3 == 0
        views = 2000 * rng.lognormvariate(0, 0.5) * (tips_factor if tips else 1)
        caption = ("Eksamenstips #tips" if tips else "En dag på lab #studieliv") + f" nr {i}"
        page.posts.append(
            Post("tiktok", f"v{i}", published, caption=caption, format="video", duration_s=30)
        )
        page.snapshots.append(
            Snapshot(f"v{i}", published + timedelta(days=1), {"view_count": round(views * 0.7)})
        )
        page.snapshots.append(
            Snapshot(f"v{i}", published + timedelta(days=9), {"view_count": round(views * 1.05)})
        )
    writes.save_page(db, account, page, source="api")


def _config(tmp_path: Path):  # type: ignore[no-untyped-def]
    path = tmp_path / "social.toml"
    path.write_text("[insights]\nmin_group_posts = 5\n")
    return load_config(path)


def test_a_planted_twofold_effect_is_found_with_an_interval_excluding_one(
    fresh_db, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    _seed(fresh_db, tips_factor=2.0)
    result = build_insights(fresh_db, _config(tmp_path), by="theme", lang="en", now=NOW)
    tips = next(g for g in result.groups if g.key == "tips")
    other = next(g for g in result.groups if g.key == "studieliv")
    assert tips.verdict == "better"
    assert tips.ci_low is not None and tips.ci_low > 1
    assert 1.3 < (tips.typical_ratio or 0) < 2.2  # ~2x the others, ~1.6x a mixed baseline
    assert other.verdict in ("worse", "unclear")
    assert "“tips”" in result.summary and "95% interval" in result.summary


def test_data_without_an_effect_yields_no_claim(fresh_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _seed(fresh_db, tips_factor=1.0, seed=7)
    result = build_insights(fresh_db, _config(tmp_path), by="theme", lang="nb", now=NOW)
    assert all(g.verdict == "unclear" for g in result.groups)
    assert "Ingen tema skiller seg tydelig ut" in result.summary


def test_small_groups_are_listed_but_not_ranked(fresh_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _seed(fresh_db, tips_factor=2.0, n=20)
    path = tmp_path / "social.toml"
    path.write_text("[insights]\nmin_group_posts = 10\n")
    result = build_insights(fresh_db, load_config(path), by="theme", lang="nb", now=NOW)
    small = [g for g in result.groups if g.posts < 10]
    assert small and all(
        not g.ranked and g.verdict == "unclear" and g.ci_low is None for g in small
    )
    assert "For få innlegg" in result.summary


def test_weekday_and_hour_use_local_time_across_daylight_saving() -> None:
    def post(moment: datetime) -> PostPerformance:
        from zoneinfo import ZoneInfo

        return PostPerformance(
            1,
            "tiktok",
            1,
            "x",
            "",
            moment.astimezone(ZoneInfo("Europe/Oslo")),
            1000,
            True,
            ["tips"],
        )

    sunday_night = post(datetime(2026, 11, 22, 22, 30, tzinfo=UTC))  # 23:30 Sunday in Oslo (CET)
    assert group_keys(sunday_night, "weekday", "nb", []) == ["søndag"]
    summer = post(datetime(2026, 7, 5, 21, 30, tzinfo=UTC))  # 23:30 Sunday in Oslo (CEST)
    assert group_keys(summer, "weekday", "en", []) == ["Sunday"]
    assert group_keys(summer, "hour", "en", []) == ["21-24"]
    dst_day = post(datetime(2026, 10, 25, 1, 30, tzinfo=UTC))  # 02:30 local after clocks went back
    assert group_keys(dst_day, "hour", "en", []) == ["00-03"]


def test_exam_periods_may_wrap_the_new_year() -> None:
    from datetime import date

    assert in_periods(date(2026, 1, 3), [("12-15", "01-10")])
    assert not in_periods(date(2026, 2, 3), [("12-15", "01-10")])


def test_cli_insights_json_and_a_bad_exam_period(workspace_dir: Path, runner: CliRunner) -> None:
    from db import open_db

    _seed(open_db(workspace_dir / "social.db"), tips_factor=2.0)
    result = runner.invoke(cli, ["insights", "--by", "theme", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["schema_version"] == 1 and data["posts"] > 50
    (workspace_dir / "social.toml").write_text('[insights]\nexam_periods = [["13-01", "06-20"]]\n')
    result = runner.invoke(cli, ["insights"])
    assert result.exit_code == 1
    assert "exam_periods" in result.output and "Traceback" not in result.output


def test_html_output_escapes_captions(fresh_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from social.insights.render import render_html

    _seed(fresh_db, tips_factor=3.0)
    fresh_db.execute("UPDATE posts SET caption = '<script>alert(1)</script> #tips'")
    html = render_html(build_insights(fresh_db, _config(tmp_path), by="theme", lang="nb", now=NOW))
    assert "<script>alert" not in html and "&lt;script&gt;" in html


def test_weekly_highlights_cover_posts_that_reached_the_age_that_week(fresh_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from datetime import date

    from social.insights.report import week_highlights

    _seed(fresh_db, tips_factor=2.0)
    start, end = date(2026, 11, 9), date(2026, 11, 15)
    result = week_highlights(fresh_db, _config(tmp_path), start=start, end=end, lang="nb", now=NOW)
    assert result["age_days"] == 7 and result["matured_posts"] >= 1
    for post in result["posts"]:
        published = datetime.fromisoformat(post["published"]).date()
        assert start - timedelta(days=7) <= published <= end - timedelta(days=7)
    ratios = [p["ratio"] for p in result["posts"]]
    assert ratios == sorted(ratios, reverse=True)
    assert result["pattern"]["theme"] == "tips" and result["pattern"]["ci_low"] > 1


def test_a_claim_among_many_compared_groups_carries_a_chance_caveat() -> None:
    def group(key: str, low: float, high: float) -> GroupResult:
        mid = (low + high) / 2
        return GroupResult(key, 12, mid, low, high, low, high, mid, True)

    few = [group("tips", 1.2, 2.0), group("studieliv", 0.8, 1.1)]
    many = few + [group(f"tema{i}", 0.8, 1.2) for i in range(4)]
    assert "tilfeldig" not in describe(few, "theme", "nb", 24, 7)
    assert "6 grupper sammenlignet" in describe(many, "theme", "nb", 72, 7)
    assert "6 groups compared" in describe(many, "theme", "en", 72, 7)
