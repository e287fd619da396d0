"""Each kind of export file is detected from its columns and parsed into the API's records."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from import_support import (
    FB_PAGE,
    TIKTOK_CONTENT_VARIANT,
    linkedin_followers_xlsx,
    linkedin_xlsx,
    meta_daily_csv,
    meta_posts_csv,
    tiktok_content_csv,
    tiktok_content_xlsx,
    tiktok_overview_csv,
)

from collectors.importers import Context, ImportFileError, Parsed, read_export
from core.catalogue import CATALOGUE

NOW = datetime(2025, 12, 1, 8, 0, tzinfo=UTC)


def ctx(path: Path, **ids: str) -> Context:
    return Context(path.name, "Europe/Oslo", NOW, date(2025, 12, 1), ids)


def assert_registered(parsed: Parsed) -> None:
    names = {v.metric for v in parsed.page.values}
    names |= {m for s in parsed.page.snapshots for m in s.values}
    assert names
    missing = {n for n in names if (parsed.platform, n) not in CATALOGUE}
    assert not missing


def test_linkedin_page_export_gives_daily_values_and_posts_by_urn(tmp_path: Path) -> None:
    path = linkedin_xlsx(tmp_path / "content.xlsx")
    parsed = read_export(path, ctx(path, linkedin="2414183"))
    assert parsed.kind == "linkedin_page"
    assert parsed.account_id == "2414183"
    assert [p.external_id for p in parsed.page.posts] == [
        "urn:li:share:7260000000000000001",
        "urn:li:ugcPost:7260000000000000002",  # URL-encoded link
    ]
    first = [v for v in parsed.page.values if v.window_start == date(2025, 11, 3)]
    by_key = {(v.metric, v.origin): v.value for v in first}
    assert by_key[("impressionCount", "organic")] == 400
    assert by_key[("impressionCount", "paid")] == 120
    assert by_key[("impressionCount", "total")] == 520
    assert by_key[("engagement", "organic")] == pytest.approx(0.0825)
    reach = [v for v in parsed.page.values if v.metric == "uniqueImpressionsCount"]
    assert {v.grain for v in reach} == {"day"}
    assert not CATALOGUE[("linkedin", "uniqueImpressionsCount")].additive
    snaps = {s.post_external_id: s for s in parsed.page.snapshots}
    organic = snaps["urn:li:share:7260000000000000001"]
    assert organic.origin == "organic"
    assert organic.values == {
        "impressionCount": 1520,
        "clickCount": 41,
        "likeCount": 33,
        "commentCount": 4,
        "shareCount": 2,
        "follows": 0,
    }
    assert snaps["urn:li:ugcPost:7260000000000000002"].origin == "paid"
    assert parsed.page.posts[1].is_ad and parsed.page.posts[1].format == "video"
    assert_registered(parsed)


def test_linkedin_followers_export_gives_gains_by_origin(tmp_path: Path) -> None:
    path = linkedin_followers_xlsx(tmp_path / "followers.xlsx")
    parsed = read_export(path, ctx(path))
    got = {(v.metric, v.origin, v.window_start): v.value for v in parsed.page.values}
    assert got[("organicFollowerGain", "organic", date(2025, 11, 3))] == 5
    assert got[("paidFollowerGain", "paid", date(2025, 11, 3))] == 2
    assert_registered(parsed)


@pytest.mark.parametrize(
    ("encoding", "sep_line"), [("utf-16", True), ("utf-8-sig", False), ("utf-8", True)]
)
def test_meta_post_export_in_each_encoding(tmp_path: Path, encoding: str, sep_line: bool) -> None:
    path = meta_posts_csv(tmp_path / "posts.csv", encoding=encoding, sep_line=sep_line)
    parsed = read_export(path, ctx(path))
    assert parsed.kind == "meta_business_suite"
    assert parsed.account_id == FB_PAGE and parsed.account_name == "Eksempel AS"
    post = parsed.page.posts[0]
    assert post.external_id == f"{FB_PAGE}_1122334455667788"  # the Graph API's id
    # 11/24/2025 14:05 Oslo time (US date order)
    assert post.published_at.astimezone(UTC) == datetime(2025, 11, 24, 13, 5, tzinfo=UTC)
    assert post.format == "image"
    assert parsed.page.posts[1].duration_s == 31
    snap = parsed.page.snapshots[0]
    assert snap.values["post_media_view"] == 5210 and snap.origin == "total"
    reach = [v for v in parsed.page.values if v.metric == "post_total_media_view_unique"]
    assert reach[0].grain == "lifetime" and reach[0].subject_type == "post"
    # no period in the file name: the lifetime window ends on the newest post's day
    assert (reach[0].window_start, reach[0].window_end) == (date(2025, 11, 24), date(2025, 11, 25))
    assert_registered(parsed)


def test_meta_daily_export_names_its_metric_in_the_title_row(tmp_path: Path) -> None:
    path = meta_daily_csv(tmp_path / "viewers.csv", title="Facebook viewers")
    parsed = read_export(path, ctx(path, facebook=FB_PAGE))
    assert {v.metric for v in parsed.page.values} == {"page_total_media_view_unique"}
    assert {v.grain for v in parsed.page.values} == {"day"}
    assert parsed.page.values[0].window_start == date(2025, 11, 3)
    assert_registered(parsed)


def test_meta_daily_export_with_an_unknown_metric_says_which_are_known(tmp_path: Path) -> None:
    path = meta_daily_csv(tmp_path / "x.csv", title="Watch time")
    with pytest.raises(ImportFileError, match="'Watch time'.*expected one of"):
        read_export(path, ctx(path))


def test_tiktok_content_export_keys_videos_by_their_id(tmp_path: Path) -> None:
    path = tiktok_content_csv(tmp_path / "content.csv")
    parsed = read_export(path, ctx(path))
    assert parsed.kind == "tiktok_studio"
    assert [p.external_id for p in parsed.page.posts] == [
        "7301234567890123456",
        "7301234567890123457",
    ]
    assert parsed.page.snapshots[0].values == {
        "view_count": 15400,
        "like_count": 220,
        "comment_count": 14,
        "share_count": 9,
    }
    assert_registered(parsed)


def test_tiktok_content_column_variants_and_xlsx_are_accepted(tmp_path: Path) -> None:
    variant = read_export(
        p := tiktok_content_csv(tmp_path / "v.csv", headers=TIKTOK_CONTENT_VARIANT), ctx(p)
    )
    xlsx = read_export(p := tiktok_content_xlsx(tmp_path / "c.xlsx"), ctx(p))
    assert variant.page.snapshots[0].values["view_count"] == 15400
    assert xlsx.page.snapshots[0].values["view_count"] == 15400
    assert [p.external_id for p in xlsx.page.posts] == [p.external_id for p in variant.page.posts]


def test_tiktok_overview_gives_daily_account_values(tmp_path: Path) -> None:
    path = tiktok_overview_csv(tmp_path / "overview.csv")
    parsed = read_export(path, ctx(path))
    got = {(v.metric, v.window_start): v.value for v in parsed.page.values}
    assert got[("video_views", date(2025, 11, 3))] == 1200
    assert got[("profile_views", date(2025, 11, 6))] == 40
    assert {(v.metric, v.origin) for v in parsed.page.values if v.metric != "video_views"} <= {
        (m, "organic") for m in ("profile_views", "likes", "comments", "shares")
    }
    assert {v.origin for v in parsed.page.values if v.metric == "video_views"} == {"total"}
    assert_registered(parsed)


def test_platform_option_refuses_another_platforms_file(tmp_path: Path) -> None:
    path = tiktok_content_csv(tmp_path / "content.csv")
    with pytest.raises(ImportFileError, match="expected a LinkedIn page export"):
        read_export(path, ctx(path), "linkedin")
