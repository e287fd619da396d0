"""Each shape of PLATFORMS.md "Export files as they really are", in a small file written here."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from import_support import (
    FB_PAGE,
    META_NAME,
    STUDIO_OVERVIEW_HEADERS,
    business_content_csv,
    business_overview_csv,
    instagram_posts_csv,
    linkedin_posts_xlsx,
    meta_2025_rows,
    meta_daily_file,
    meta_days,
    meta_posts_2024_csv,
    meta_posts_2025_csv,
    meta_videos_csv,
    month_day,
    studio_content_csv,
    studio_csv,
    studio_followers_csv,
    studio_overview_csv,
    studio_viewers_csv,
)

from collectors.importers import Context, ImportFileError, Parsed, parse_export, read_export
from core.catalogue import CATALOGUE

NOW = datetime(2026, 1, 10, 9, 0, tzinfo=UTC)


def ctx(path: Path, **kwargs: object) -> Context:
    return Context(path.name, "Europe/Oslo", NOW, NOW.date(), **kwargs)  # type: ignore[arg-type]


def values(parsed: Parsed, metric: str) -> dict[date, float]:
    return {v.window_start: v.value for v in parsed.page.values if v.metric == metric}


def registered(parsed: Parsed) -> bool:
    names = {v.metric for v in parsed.page.values}
    names |= {m for s in parsed.page.snapshots for m in s.values}
    return bool(names) and all((parsed.platform, n) in CATALOGUE for n in names)


# --- TikTok Studio: yearless dates ---------------------------------------------------------


def test_yearless_overview_crossing_new_year_takes_the_most_recent_year(tmp_path: Path) -> None:
    path = studio_overview_csv(tmp_path / "Overview.csv", end=date(2026, 1, 3), days=7)
    parsed = read_export(path, ctx(path))
    views = values(parsed, "video_views")
    assert min(views) == date(2025, 12, 28) and max(views) == date(2026, 1, 3)
    assert len(views) == 7 and parsed.period == (date(2025, 12, 28), date(2026, 1, 3))
    assert "most recent such date not in the future" in " ".join(parsed.notes)
    origins = {v.metric: v.origin for v in parsed.page.values}
    assert origins == {
        "video_views": "total",  # organic and paid views together, as the API collector says
        "profile_views": "organic",
        "likes": "organic",
        "comments": "organic",
        "shares": "organic",
    }
    assert registered(parsed)


def test_yearless_overview_takes_its_year_from_period_end(tmp_path: Path) -> None:
    path = studio_overview_csv(tmp_path / "Overview.csv", end=date(2026, 1, 3), days=7)
    parsed = read_export(path, ctx(path, period_end=date(2025, 1, 4)))
    assert max(values(parsed, "video_views")) == date(2025, 1, 3)
    assert min(values(parsed, "video_views")) == date(2024, 12, 28)
    assert "--period-end 2025-01-04" in " ".join(parsed.notes)


def test_yearless_overview_takes_its_year_from_the_file_name(tmp_path: Path) -> None:
    path = studio_overview_csv(tmp_path / "Overview_2024-01-05.csv", end=date(2026, 1, 3))
    parsed = read_export(path, ctx(path))
    assert max(values(parsed, "video_views")) == date(2024, 1, 3)
    assert "from the file name's date 2024-01-05" in " ".join(parsed.notes)


def test_a_period_end_far_after_the_last_row_is_refused(tmp_path: Path) -> None:
    path = studio_overview_csv(tmp_path / "Overview.csv", end=date(2025, 11, 3))
    with pytest.raises(ImportFileError, match="not within 7 days before the period end"):
        read_export(path, ctx(path, period_end=date(2025, 12, 1)))


def test_february_29_that_does_not_exist_in_its_year_is_refused(tmp_path: Path) -> None:
    rows = [[d, "1", "1", "1", "1", "1"] for d in ("February 28", "February 29", "March 1")]
    path = studio_csv(tmp_path / "Overview.csv", STUDIO_OVERVIEW_HEADERS, rows)
    with pytest.raises(ImportFileError, match=r"row 3: February 29 does not exist in 2025"):
        read_export(path, ctx(path, period_end=date(2025, 3, 1)))
    leap = read_export(path, ctx(path, period_end=date(2024, 3, 1)))
    assert date(2024, 2, 29) in values(leap, "video_views")


def test_a_day_written_twice_is_refused(tmp_path: Path) -> None:
    rows = [[d, "1", "1", "1", "1", "1"] for d in ("March 1", "March 1")]
    path = studio_csv(tmp_path / "Overview.csv", STUDIO_OVERVIEW_HEADERS, rows)
    with pytest.raises(ImportFileError, match="March 1 appears twice"):
        read_export(path, ctx(path))


def test_a_negative_daily_comment_count_is_stored_and_noted(tmp_path: Path) -> None:
    path = studio_overview_csv(tmp_path / "Overview.csv", end=date(2026, 1, 3))
    parsed = read_export(path, ctx(path))
    assert values(parsed, "comments")[date(2026, 1, 3)] == -1
    assert parsed.findings.count("negative_flow") == 1
    assert not parsed.findings.of_level("warning")


def test_viewers_undefined_is_no_value_not_zero(tmp_path: Path) -> None:
    path = studio_viewers_csv(tmp_path / "Viewers.csv")
    parsed = read_export(path, ctx(path))
    total = values(parsed, "unique_video_views")
    assert len(total) == 4 and date(2025, 12, 29) not in total
    assert values(parsed, "new_viewers")[date(2025, 12, 29)] == 0  # a real 0 stays 0
    assert parsed.findings.count("no_value") == 2
    assert not CATALOGUE[("tiktok", "unique_video_views")].additive
    assert registered(parsed)


def test_follower_history_is_a_daily_level_and_a_net_change(tmp_path: Path) -> None:
    path = studio_followers_csv(tmp_path / "FollowerHistory.csv", end=date(2026, 1, 3))
    parsed = read_export(path, ctx(path))
    levels = [v for v in parsed.page.values if v.metric == "followers_count"]
    assert [(v.window_start, v.value) for v in levels][-1] == (date(2026, 1, 3), 160)
    assert {(v.grain, v.origin, v.subject_type) for v in levels} == {("day", "total", "account")}
    assert all(v.window_start == v.window_end for v in levels) and len(levels) == 4
    assert CATALOGUE[("tiktok", "followers_count")].concept == "followers"
    net = values(parsed, "daily_total_followers")
    assert net[date(2026, 1, 2)] == -1 and len(net) == 6


def test_studio_content_gets_years_from_video_ids_and_its_date_from_the_time_column(
    tmp_path: Path,
) -> None:
    path = studio_content_csv(tmp_path / "Content.csv", first_day=date(2026, 1, 4))
    parsed = read_export(path, ctx(path))
    published = {p.caption: p.published_at for p in parsed.page.posts}
    assert published["Eksamenstips #matte"] == datetime(2025, 7, 16, 10, 21, 48, tzinfo=UTC)
    assert published[""] == datetime(2026, 1, 2, 22, 13, 7, tzinfo=UTC)
    # The totals are dated by the file's Time column (a day later than the newest video)
    assert parsed.as_of is not None and parsed.as_of.date() == date(2026, 1, 4)
    assert {s.captured_at for s in parsed.page.snapshots} == {parsed.as_of}
    assert parsed.page.snapshots[0].values["view_count"] == 19126
    assert registered(parsed)


def test_studio_content_with_period_end_dates_totals_that_day(tmp_path: Path) -> None:
    path = studio_content_csv(tmp_path / "Content.csv")
    parsed = read_export(path, ctx(path, period_end=date(2026, 1, 8)))
    assert parsed.as_of == datetime(2026, 1, 8, 22, 59, 59, tzinfo=UTC)  # 23:59:59 in Oslo


# --- TikTok business account ------------------------------------------------------------


def test_business_overview_slash_dates_trailing_space_header_and_nan(tmp_path: Path) -> None:
    path = business_overview_csv(tmp_path / "overview.csv")
    parsed = read_export(path, ctx(path))
    assert parsed.kind == "tiktok_business"
    assert values(parsed, "phone_number_clicks")[date(2025, 11, 1)] == 1
    assert date(2025, 10, 31) not in values(parsed, "unique_video_views")  # 'NAN'
    assert values(parsed, "daily_total_followers")[date(2025, 11, 2)] == -2  # net change
    assert values(parsed, "daily_lost_followers")[date(2025, 11, 2)] == 6
    assert values(parsed, "likes")[date(2025, 11, 2)] == -3
    assert parsed.findings.count("no_value") == 1
    assert registered(parsed)


def test_business_content_times_are_utc(tmp_path: Path) -> None:
    path = business_content_csv(tmp_path / "content.csv")
    parsed = read_export(path, ctx(path))
    first = parsed.page.posts[0]
    assert first.published_at == datetime(2025, 10, 31, 18, 19, 10, tzinfo=UTC)
    assert "\n" in first.caption
    assert parsed.page.snapshots[0].values["favorites"] == 180
    assert parsed.as_of is not None and parsed.as_of.date() == date(2025, 12, 31)
    assert registered(parsed)


# --- LinkedIn ---------------------------------------------------------------------------


def snapshots(parsed: Parsed, post: str) -> dict[str, dict[str, float]]:
    return {s.origin: s.values for s in parsed.page.snapshots if s.post_external_id.endswith(post)}


def test_linkedin_post_types_organic_sponsored_per_campaign_and_total(tmp_path: Path) -> None:
    path = linkedin_posts_xlsx(tmp_path / "content.xlsx")
    parsed = read_export(path, ctx(path))
    assert len(parsed.page.posts) == 5
    boosted = snapshots(parsed, ":7002")
    assert boosted["organic"]["impressionCount"] == 1526
    assert boosted["paid"]["impressionCount"] == 3398 + 1801  # both campaigns, summed
    assert boosted["total"]["impressionCount"] == 6725  # never added to the others
    only_total = snapshots(parsed, ":7003")
    assert only_total["organic"]["impressionCount"] == 4688 - 2415  # organic = total - sponsored
    assert only_total["organic"]["likeCount"] == 62
    dark = snapshots(parsed, ":7004")
    assert set(dark) == {"paid"}
    is_ad = {p.external_id[-4:]: p.is_ad for p in parsed.page.posts}
    assert is_ad == {"7001": False, "7002": False, "7003": False, "7004": True, "7005": False}
    assert snapshots(parsed, ":7005")["organic"]["videoViews"] == 518
    assert {"Click through rate (CTR)", "Engagement rate"} <= set(parsed.not_stored)
    assert parsed.as_of == datetime(2025, 11, 9, 23, 59, 59, tzinfo=UTC)  # last Metrics day
    assert registered(parsed)


# --- Meta posts ---------------------------------------------------------------------------


def test_meta_posts_period_from_file_name_ragged_rows_and_duplicate_views(tmp_path: Path) -> None:
    path = meta_posts_2025_csv(tmp_path)
    parsed = read_export(path, ctx(path))
    assert parsed.period == (date(2025, 1, 14), date(2025, 4, 14))
    assert parsed.as_of == datetime(2025, 4, 14, 21, 59, 59, tzinfo=UTC)
    assert len(parsed.page.posts) == 3 and parsed.findings.count("ragged") == 1
    assert not parsed.findings.count("duplicate_column")  # the two 'Views' agree
    video = f"{FB_PAGE}_1122334455667700"
    snaps = {s.origin: s.values for s in parsed.page.snapshots if s.post_external_id == video}
    assert snaps["total"]["post_media_view"] == 900
    assert snaps["paid"]["post_video_views"] == 15 and snaps["organic"]["post_video_views"] == 25
    reach = {
        v.origin: (v.value, v.window_start, v.window_end)
        for v in parsed.page.values
        if v.subject_external_id == video and v.metric == "post_total_media_view_unique"
    }
    assert reach == {
        "total": (700, date(2025, 3, 2), date(2025, 4, 14)),
        "organic": (650, date(2025, 3, 2), date(2025, 4, 14)),
        "paid": (80, date(2025, 3, 2), date(2025, 4, 14)),
    }
    assert "Reactions, Comments and Shares" in parsed.not_stored
    assert registered(parsed)


def test_meta_posts_duplicate_columns_that_disagree_are_a_warning(tmp_path: Path) -> None:
    rows = meta_2025_rows()
    rows[0][24] = 41
    path = meta_posts_2025_csv(tmp_path, rows=rows)
    parsed = read_export(path, ctx(path))
    [warning] = [f.message for f in parsed.findings.of_level("warning")]
    assert "two 'Views' columns hold 40 and 41; the first is stored" in warning


def test_meta_posts_after_the_period_in_the_name_are_refused(tmp_path: Path) -> None:
    rows = meta_2025_rows()
    rows[0][6] = "05/01/2025 10:00"
    path = meta_posts_2025_csv(tmp_path, rows=rows)
    with pytest.raises(
        ImportFileError, match="after the period end 2025-04-14 from the file name's period"
    ):
        read_export(path, ctx(path))


def test_older_meta_posts_export_with_impressions_and_an_error_row(tmp_path: Path) -> None:
    path = meta_posts_2024_csv(tmp_path / "posts.csv")
    parsed = read_export(path, ctx(path))
    assert len(parsed.page.posts) == 1
    [snap] = parsed.page.snapshots
    assert snap.values["post_impressions"] == 6970
    assert snap.values["post_negative_feedback_hide_all"] == 2
    assert parsed.findings.count("error_row") == 1
    [warning] = parsed.findings.of_level("warning")
    assert "933528094972880" in warning.message
    assert not [v for v in parsed.page.values if v.metric == "post_impressions_unique"]
    assert parsed.page.posts[0].format == "image"
    assert registered(parsed)


# --- Meta daily ---------------------------------------------------------------------------


def test_meta_daily_dst_time_flip_keeps_the_date(tmp_path: Path) -> None:
    days = meta_days(date(2025, 3, 8), [5, 14, 3, 7])
    path = meta_daily_file(tmp_path / "Reach.csv", [("Facebook reach", days)])
    parsed = read_export(path, ctx(path))
    assert values(parsed, "page_total_media_view_unique") == {
        date(2025, 3, 8): 5,
        date(2025, 3, 9): 14,
        date(2025, 3, 10): 3,
        date(2025, 3, 11): 7,
    }


@pytest.mark.parametrize("variant", ["comma", "tab"])
def test_meta_daily_facebook_and_instagram_sections(tmp_path: Path, variant: str) -> None:
    fb = meta_days(date(2023, 7, 8), [2768, 2467, 100], us_dst=False)
    ig = meta_days(date(2023, 7, 8), [30, 31], us_dst=False)
    path = meta_daily_file(
        tmp_path / "Reach.csv", [("Facebook reach", fb), ("Instagram reach", ig)], variant
    )
    parsed = read_export(path, ctx(path))
    assert parsed.platform == "facebook"
    assert sum(values(parsed, "page_total_media_view_unique").values()) == 2768 + 2467 + 100
    [skipped] = parsed.skipped
    assert "'Instagram reach': 2 days" in skipped and "--platform instagram" in skipped
    whole = parse_export(path, ctx(path))
    [instagram] = whole.others
    assert instagram.platform == "instagram" and values(instagram, "reach")[date(2023, 7, 9)] == 31
    asked = read_export(path, ctx(path), "instagram")
    assert asked.platform == "instagram" and sum(values(asked, "reach").values()) == 61
    [left] = asked.skipped
    assert "'Facebook reach': 3 days" in left and "--platform facebook" in left


def test_meta_daily_unprefixed_follows_section_next_to_instagram_is_facebook(
    tmp_path: Path,
) -> None:
    days = meta_days(date(2023, 7, 8), [7, 14], us_dst=False)
    path = meta_daily_file(
        tmp_path / "Follows.csv", [("Follows", days), ("Instagram follows", days[:1])]
    )
    parsed = read_export(path, ctx(path))
    assert values(parsed, "page_daily_follows") == {date(2023, 7, 8): 7, date(2023, 7, 9): 14}


@pytest.mark.parametrize(
    ("title", "metric"),
    [
        ("Facebook visits", "page_views_total"),
        ("Facebook follows", "page_daily_follows"),
        ("Link clicks", "page_link_clicks"),
        ("Content interactions", "page_post_engagements"),
    ],
)
def test_meta_daily_titles(tmp_path: Path, title: str, metric: str) -> None:
    path = meta_daily_file(tmp_path / "x.csv", [(title, meta_days(date(2025, 1, 1), [3, 4]))])
    parsed = read_export(path, ctx(path))
    assert sum(values(parsed, metric).values()) == 7
    assert registered(parsed)


def test_meta_daily_views_alone_asks_whose_it_is(tmp_path: Path) -> None:
    days = meta_days(date(2025, 10, 31), [5213, 4216])
    path = meta_daily_file(tmp_path / "Views.csv", [("Views", days)], "semicolon")
    with pytest.raises(ImportFileError, match="import it with --platform facebook"):
        read_export(path, ctx(path))
    parsed = read_export(path, ctx(path), "facebook")
    assert sum(values(parsed, "page_media_view").values()) == 5213 + 4216


def test_meta_daily_reach_alone_is_an_instagram_download(tmp_path: Path) -> None:
    path = meta_daily_file(tmp_path / "Reach.csv", [("Reach", meta_days(date(2025, 5, 25), [1]))])
    parsed = read_export(path, ctx(path))
    assert parsed.platform == "instagram" and values(parsed, "reach") == {date(2025, 5, 25): 1}
    assert parsed.describe().startswith("a Meta Business Suite daily export of Instagram ('Reach'")


# --- Instagram and video exports ---------------------------------------------------------------


def test_instagram_posts_export_is_stored_one_account_at_a_time(tmp_path: Path) -> None:
    path = instagram_posts_csv(tmp_path)
    stored = read_export(path, ctx(path))
    assert stored.platform == "instagram" and stored.account_name == "stemutdanning"
    [left] = stored.skipped
    assert "@partner" in left and "import one account per file" in left
    with pytest.raises(ImportFileError, match="not a Facebook export"):
        read_export(path, ctx(path), "facebook")
    parsed = parse_export(path, ctx(path))
    parts = {p.account_id: p for p in [parsed, *parsed.others]}
    assert set(parts) == {"17841400882674637", "17841400057482273"}
    own = parts["17841400882674637"]
    assert own.platform == "instagram" and len(own.page.posts) == 2
    assert own.page.posts[0].external_id == "17974697564884257"  # the Graph API media id
    assert own.page.posts[0].format == "video"
    assert sum(s.values["saved"] for s in own.page.snapshots) == 9
    assert {v.metric: v.grain for v in own.page.values} == {"reach": "lifetime"}
    assert own.period == (date(2025, 5, 25), date(2025, 6, 21))


@pytest.mark.parametrize("requoted", [False, True])
def test_meta_video_export_is_refused_with_the_reason(tmp_path: Path, requoted: bool) -> None:
    path = meta_videos_csv(tmp_path / "videos.csv", requoted=requoted)
    with pytest.raises(ImportFileError, match=r"a Meta Business Suite video export \(1 video,"):
        read_export(path, ctx(path))


def test_every_shape_names_a_metric_the_catalogue_knows(tmp_path: Path) -> None:
    files = [
        studio_overview_csv(tmp_path / "o.csv"),
        studio_viewers_csv(tmp_path / "v.csv"),
        studio_followers_csv(tmp_path / "f.csv"),
        studio_content_csv(tmp_path / "c.csv"),
        business_overview_csv(tmp_path / "bo.csv"),
        business_content_csv(tmp_path / "bc.csv"),
        linkedin_posts_xlsx(tmp_path / "l.xlsx"),
        meta_posts_2025_csv(tmp_path, META_NAME),
        meta_posts_2024_csv(tmp_path / "m24.csv"),
    ]
    for path in files:
        assert registered(read_export(path, ctx(path))), path.name


def test_month_day_helper_matches_tiktok_studio() -> None:
    assert month_day(date(2026, 3, 1)) == "March 1"
    assert month_day(date(2026, 1, 1) - timedelta(days=1)) == "December 31"


def test_the_write_path_refuses_a_part_of_a_platform_not_installed_even_when_called_directly(
    tmp_path: Path,
) -> None:
    from dataclasses import replace

    from db import open_db
    from social.ingest import import_file

    path = instagram_posts_csv(tmp_path)
    parsed = replace(parse_export(path, ctx(path)), platform="myspace")
    db = open_db(tmp_path / "social.db")
    with pytest.raises(ImportFileError, match="myspace is not an installed platform of social"):
        import_file(db, parsed, path.name)
    assert db.execute("SELECT COUNT(*) FROM posts").fetchone()[0] == 0
