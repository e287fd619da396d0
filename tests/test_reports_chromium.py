"""HTML reports opened in headless Chromium: they render, show their charts, log nothing to the
console, request nothing from outside, show a caption's <script> as text, and print to PDF."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from sqlite_utils import Database

from social.reports.campaign import build_campaign
from social.reports.partner import build_partner
from social.reports.render import render
from social.reports.weekly import build_weekly
from tests.reports_support import (
    CAMPAIGN_NOW,
    NOW,
    WEEK,
    campaign_scenario,
    config,
    utc,
    weekly_scenario,
)

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = [
    pytest.mark.chromium,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="Debian chromium is not installed at /usr/bin/chromium"
    ),
]
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--enable-logging=stderr",
    "--v=0",
]


def chromium(page: Path, tmp: Path, *args: str) -> subprocess.CompletedProcess[str]:
    profile = tmp / f"profile-{len(list(tmp.glob('profile-*')))}"
    return subprocess.run(
        [str(CHROMIUM), *FLAGS, f"--user-data-dir={profile}", *args, page.as_uri()],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )


def console_messages(stderr: str) -> list[str]:
    """What the page wrote to the console (Chromium logs each message as INFO:CONSOLE)."""
    return [line for line in stderr.splitlines() if ":CONSOLE" in line]


def open_report(html: str, tmp: Path, name: str) -> tuple[str, list[str], Path]:
    """Screenshot the page and dump its DOM; return the DOM, console lines and the PNG."""
    page = tmp / f"{name}.html"
    page.write_text(html, encoding="utf-8")
    png = tmp / f"{name}.png"
    shot = chromium(page, tmp, f"--screenshot={png}", "--window-size=1200,3000")
    dom = chromium(page, tmp, "--dump-dom")
    return dom.stdout, console_messages(shot.stderr + dom.stderr), png


def assert_self_contained(html: str) -> None:
    """No scripts, stylesheets or fetched resources: only links to posts and in-page refs."""
    assert "<script" not in html.replace("&lt;script", "")
    assert "<link" not in html and "@import" not in html
    assert all(ref.startswith("#") for ref in re.findall(r"url\(([^)]*)\)", html))
    for attribute, value in re.findall(r"""\s([\w:-]*(?:src|href))=["']([^"']*)""", html):
        if attribute == "href" and value.startswith("https://www.tiktok.com/"):
            continue  # a link the reader may click, not a request
        assert value.startswith("#"), f"{attribute}={value} refers outside the report"


def test_console_check_can_fail(tmp_path: Path) -> None:
    page = tmp_path / "broken.html"
    page.write_text("<!doctype html><title>x</title><script>console.error('boom')</script>")
    assert console_messages(chromium(page, tmp_path, "--dump-dom").stderr)


def test_weekly_report_in_chromium(fresh_db: Database, tmp_path: Path) -> None:
    weekly_scenario(fresh_db)
    html = render(build_weekly(fresh_db, config(), week=WEEK, now=utc(NOW)), "html").text
    assert_self_contained(html)
    dom, console, png = open_report(html, tmp_path, "weekly")
    assert console == []
    assert png.read_bytes().startswith(b"\x89PNG") and png.stat().st_size > 50_000
    # The caption's script did not run (the title is unchanged) and shows as text.
    assert "<title>Ukerapport uke 48</title>" in dom
    assert (
        "&lt;script&gt;document.title='pwned'&lt;/script&gt;&lt;b&gt;Hei&lt;/b&gt; &amp; velkommen"
        in dom
    )
    assert "pwned" not in dom.split("<body>")[0]
    assert "javascript:" not in dom
    # Both charts are inline SVG with their text.
    assert len(re.findall(r'<svg[^>]*class="chart"', dom)) == 2
    assert "Forrige uke" in dom and "Denne uken" in dom
    pdf = tmp_path / "weekly.pdf"
    chromium(tmp_path / "weekly.html", tmp_path, f"--print-to-pdf={pdf}", "--no-pdf-header-footer")
    assert pdf.read_bytes().startswith(b"%PDF")


def test_campaign_and_partner_reports_in_chromium(fresh_db: Database, tmp_path: Path) -> None:
    campaign_scenario(fresh_db)
    campaign = render(
        build_campaign(fresh_db, config(), "Rollemodell 2025", now=utc(CAMPAIGN_NOW), lang="en"),
        "html",
    ).text
    partner = render(
        build_partner(fresh_db, config(), "Equinor", year=2025, now=utc("2026-01-10T08:00:00Z")),
        "html",
    ).text
    for name, html, charts in (("campaign", campaign, 3), ("partner", partner, 1)):
        assert_self_contained(html)
        dom, console, png = open_report(html, tmp_path, name)
        assert console == [], name
        assert png.read_bytes().startswith(b"\x89PNG")
        assert len(re.findall(r'<svg[^>]*class="chart"', dom)) == charts, name
    assert "Target line" in campaign
