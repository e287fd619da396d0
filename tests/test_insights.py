"""Content insights: planted effects are found with honest intervals, noise yields no claim."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlite_utils import Database

from core.config import load_config
from core.domain import Account, Page, Post, Snapshot
from db import writes
from social.cli import cli
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


# --- every platform, data age, owners, wording, sources, bounded reads ------------------------


def _platform_posts(
    db: Database, platform: str, kind: str, metric: str, origin: str, n: int = 40
) -> None:
    """n posts on a platform with their headline counter measured 1 and 9 days after posting."""
    rng = random.Random(3)
    account = writes.upsert_account(db, Account(platform, kind, f"{platform}-1"))
    page = Page()
    start = NOW - timedelta(days=n * 2 + 10)
    for i in range(n):
        published = start + timedelta(days=2 * i)
        views = 1000 * rng.lognormvariate(0, 0.4)
        page.posts.append(Post(platform, f"{platform}{i}", published, caption=f"Innlegg {i}"))
        for days, share in ((1, 0.6), (9, 1.0)):
            page.snapshots.append(
                Snapshot(
                    f"{platform}{i}",
                    published + timedelta(days=days),
                    {metric: round(views * share)},
                    origin,
                )
            )
    writes.save_page(db, account, page, source="api")


def test_every_platform_with_posts_is_compared_by_its_headline_figure(fresh_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _platform_posts(fresh_db, "linkedin", "organization", "impressionCount", "organic")
    _platform_posts(fresh_db, "facebook", "page", "post_media_view", "organic")
    config = _config(tmp_path)
    linkedin = build_insights(fresh_db, config, platform="linkedin", lang="nb", now=NOW)
    assert linkedin.posts == 40 - 5  # all but the first five (they build the baseline)
    facebook = build_insights(fresh_db, config, platform="facebook", lang="nb", now=NOW)
    assert facebook.posts == 35
    assert build_insights(fresh_db, config, lang="nb", now=NOW).posts == 70


def test_late_measuring_is_said_first_and_late_posts_are_compared_with_each_other(
    fresh_db, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    from social.insights.render import render_html, render_table

    rng = random.Random(5)
    account = writes.upsert_account(fresh_db, Account("tiktok", "organic", "open-1"))
    page = Page()
    first_sync = NOW - timedelta(days=30)
    for i in range(60):
        published = NOW - timedelta(days=130 - 2 * i)
        views = 2000 * rng.lognormvariate(0, 0.4)
        page.posts.append(Post("tiktok", f"v{i}", published, caption=f"Video {i} #tips"))
        # Before the first sync nothing was measured: the first value is the lifetime so far.
        moments = [published + timedelta(days=d) for d in (1, 9)]
        moments = [m if m >= first_sync else first_sync for m in moments]
        for moment, share in zip(moments, (0.6, 1.0), strict=True):
            page.snapshots.append(Snapshot(f"v{i}", moment, {"view_count": round(views * share)}))
    writes.save_page(fresh_db, account, page, source="api")
    result = build_insights(fresh_db, _config(tmp_path), lang="nb", now=NOW)
    late = [p for p in result.compared if not p.exact_age]
    assert late and len(late) < result.posts
    assert result.summary.startswith("NB: Målingene startet sent (første måling 21. okt. 2026).")
    assert f"{len(late)} av {result.posts} innlegg ble målt første gang etter at de var 7" in (
        result.summary
    )
    table = render_table(result)
    assert table.startswith("NB: Målingene startet sent") and table.count("Målingene") == 1
    assert '<p class="age">NB: Målingene startet sent' in render_html(result)
    data = result.to_json()
    assert data["first_measured"].startswith("2026-10-21") and data["data_age"]
    # Late posts' upper bounds never enter the baseline of posts measured in time.
    import statistics

    from social.insights.data import load_posts

    everything = sorted(
        load_posts(fresh_db, zone="Europe/Oslo", age_days=7, hashtag_themes={}, now=NOW),
        key=lambda p: p.published,
    )
    compared = {p.post_id: p for p in result.compared}
    checked = 0
    for n, post in enumerate(everything):
        same = [p.views for p in everything[max(0, n - 30) : n] if p.exact_age == post.exact_age]
        if post.post_id in compared:
            assert compared[post.post_id].baseline == statistics.median(same)
            checked += 1
    assert checked == result.posts


def test_business_lifetime_totals_stand_in_where_snapshots_are_missing(fresh_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from core.domain import MetricValue

    account = writes.upsert_account(fresh_db, Account("tiktok", "business", "b-1"))
    page = Page()
    for i in range(12):
        published = NOW - timedelta(days=60 - 3 * i)
        page.posts.append(Post("tiktok", f"b{i}", published, caption="Video"))
        page.values.append(
            MetricValue(
                "video_views",
                1000 + 100 * i,
                published.date(),
                (published + timedelta(days=8)).date(),
                "lifetime",
                "total",
                subject_type="post",
                subject_external_id=f"b{i}",
            )
        )
    writes.save_page(fresh_db, account, page, source="api")
    result = build_insights(fresh_db, _config(tmp_path), lang="en", now=NOW)
    assert result.posts == 12 - 5
    assert {p.views for p in result.compared} == {1000 + 100 * i for i in range(5, 12)}


def test_by_owner_uses_the_calendar_and_has_no_unknown_group(fresh_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _seed(fresh_db, tips_factor=1.0, n=60)
    kari = fresh_db.execute(
        "INSERT INTO team_members (name, created_at) VALUES ('Kari', '2026-01-01T00:00:00Z')"
    ).lastrowid
    for n, (pid,) in enumerate(fresh_db.execute("SELECT id FROM posts ORDER BY id").fetchall()):
        if n % 2:
            continue
        sid = fresh_db.execute(
            """INSERT INTO calendar_slots (uid, planned_at, platform, title, status, post_id,
                                           created_at, updated_at)
               VALUES (?, '2026-01-01T00:00:00Z', 'tiktok', 'x', 'published', ?,
                       '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')""",
            [f"s{pid}", pid],
        ).lastrowid
        fresh_db.execute("INSERT INTO slot_owners (slot_id, member_id) VALUES (?, ?)", [sid, kari])
    result = build_insights(fresh_db, _config(tmp_path), by="owner", lang="nb", now=NOW)
    assert [g.key for g in result.groups] == ["Kari"]
    assert "(ukjent)" not in json.dumps(result.to_json(), ensure_ascii=False)
    without = result.to_json()["posts_without_owner"]
    assert without > 20
    assert f"{without} innlegg uten ansvarlig i kalenderen er ikke med i gruppene" in result.summary


def test_intervals_never_read_as_contradicting_their_verdict() -> None:
    from social.insights.wording import interval, verdict_phrase

    worse = GroupResult("T-matte", 30, 0.8, 0.6, 0.9, 0.62, 0.98, 0.78, True)
    unclear = GroupResult("ærlig historie", 30, 1.1, 0.9, 1.3, 0.97, 1.40, 1.17, True)
    better = GroupResult("tips", 30, 1.5, 1.2, 1.8, 1.04, 1.9, 1.4, True)
    assert (interval(worse, "nb"), worse.verdict) == ("0,62–0,98x", "worse")
    assert (interval(unclear, "nb"), unclear.verdict) == ("0,97–1,40x", "unclear")
    assert interval(better, "en") == "1.04–1.90x"
    assert interval(GroupResult("x", 30, 1, 1, 1, 0.7, 1.5, 1, True), "nb") == "0,7–1,5x"
    assert verdict_phrase(unclear, "nb") == "ingen tydelig forskjell (intervallet omfatter 1x)"
    assert verdict_phrase(worse, "nb") == "svakere enn vanlig (hele intervallet under 1x)"
    text = describe([better, unclear, worse], "theme", "nb", 90, 7)
    assert "0,62–0,98x, hele intervallet under 1x" in text
    assert "For «ærlig historie» (0,97–1,40x) omfatter intervallet 1x" in text
    assert "gruppene overlapper" in text


def test_norwegian_text_never_says_untagged(fresh_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from social.insights.render import render_html, render_table
    from social.insights.report import week_highlights

    _seed(fresh_db, tips_factor=3.0)
    fresh_db.execute("UPDATE posts SET caption = 'Uten emneknagg' WHERE id % 4 = 0")
    result = build_insights(fresh_db, _config(tmp_path), lang="nb", now=NOW)
    outputs = [render_table(result), render_html(result), json.dumps(result.to_json())]
    week = week_highlights(
        fresh_db,
        _config(tmp_path),
        start=(NOW - timedelta(days=30)).date(),
        end=(NOW - timedelta(days=24)).date(),
        lang="nb",
        now=NOW,
    )
    outputs.append(json.dumps(week, ensure_ascii=False))
    for text in outputs:
        assert "untagged" not in text
    assert any("uten tema" in text for text in outputs)


def test_where_the_views_came_from_is_said_for_outliers(fresh_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from social.insights.render import render_table

    _seed(fresh_db, tips_factor=4.0)
    for (pid,) in fresh_db.execute("SELECT id FROM posts").fetchall():
        for key, value in (("For You", 0.51), ("Search", 0.42), ("Follow", 0.07)):
            fresh_db.execute(
                """INSERT INTO post_breakdowns (post_id, dimension, key, value, captured_at, source)
                   VALUES (?, 'impression_source', ?, ?, '2026-11-20T06:00:00Z', 'api')""",
                [
                    pid,
                    key if pid % 2 else {"For You": "Search", "Search": "For You"}.get(key, key),
                    value,
                ],
            )
    result = build_insights(fresh_db, _config(tmp_path), lang="nb", now=NOW)
    table = render_table(result)
    assert "42 % av visningene kom fra søk" in table or "51 % av visningene kom fra søk" in table
    assert "av visningene kom fra For deg-siden" in table
    top = result.to_json()["top"][0]
    assert top["impression_sources"] and top["source_note"].endswith(("søk", "For deg-siden"))


def test_loading_posts_costs_the_same_number_of_queries_for_ten_times_the_posts(
    tmp_path,
) -> None:  # type: ignore[no-untyped-def]
    from db import open_db
    from social.insights.data import load_posts

    counts = []
    for n in (20, 200):
        db = open_db(tmp_path / f"q{n}.db")
        _seed(db, tips_factor=2.0, n=n)
        statements: list[str] = []
        db.conn.set_trace_callback(statements.append)
        posts = load_posts(db, zone="Europe/Oslo", age_days=7, hashtag_themes={}, now=NOW)
        db.conn.set_trace_callback(None)
        assert len(posts) == n
        counts.append(len(statements))
    assert counts[0] == counts[1] <= 6


def test_views_at_the_age_from_the_neighbouring_snapshots_equal_those_from_every_snapshot(
    fresh_db,
) -> None:  # type: ignore[no-untyped-def]
    """The read keeps three snapshots per series; interpolating over all of them agrees."""
    from core.domain import MetricValue
    from social.insights.data import _series, _value_at, load_posts, names_for

    rng = random.Random(11)
    account = writes.upsert_account(fresh_db, Account("tiktok", "business", "every-1"))
    page = Page()
    names = names_for("tiktok")
    for i in range(80):
        published = NOW - timedelta(days=40, hours=rng.randrange(24 * 30))
        page.posts.append(Post("tiktok", f"e{i}", published, caption="Video"))
        metric = rng.choice(names)  # not always the first one in the catalogue
        origins = rng.choice([["total"], ["organic"], ["organic", "paid"], ["total", "paid"]])
        for origin in origins:
            value = 0.0
            for _ in range(rng.randrange(0, 12)):
                value += rng.randrange(0, 500)
                moment = published + timedelta(hours=rng.randrange(1, 24 * 20))
                page.snapshots.append(Snapshot(f"e{i}", moment, {metric: value}, origin))
        if rng.random() < 0.3:  # a lifetime total from a per-video export, maybe another metric
            page.values.append(
                MetricValue(
                    rng.choice(names),
                    rng.randrange(100, 5000),
                    published.date(),
                    (published + timedelta(days=rng.randrange(1, 30))).date(),
                    "lifetime",
                    "total",
                    subject_type="post",
                    subject_external_id=f"e{i}",
                )
            )
    writes.save_page(fresh_db, account, page, source="api")

    every: dict[int, dict[str, dict[str, list[tuple[str, float]]]]] = {}
    for pid, metric, origin, moment, value in fresh_db.execute(
        """SELECT post_id, metric, origin, captured_at, value FROM post_snapshots
           UNION ALL SELECT subject_id, metric, origin, collected_at, value FROM metric_values
           WHERE subject_type = 'post' AND grain = 'lifetime'"""
    ):
        every.setdefault(pid, {}).setdefault(metric, {}).setdefault(origin, []).append(
            (moment, value)
        )
    published_at = dict(fresh_db.execute("SELECT id, published_at FROM posts").fetchall())
    for age in (1, 7):
        loaded = load_posts(fresh_db, zone="Europe/Oslo", age_days=age, hashtag_themes={}, now=NOW)
        assert len(loaded) > 40
        for post in loaded:
            at = datetime.fromisoformat(published_at[post.post_id]) + timedelta(days=age)
            expected = _value_at(
                _series(every[post.post_id], names), at.strftime("%Y-%m-%dT%H:%M:%SZ")
            )
            assert expected is not None
            assert (post.views, post.exact_age, post.first_measured) == pytest.approx(expected)
