"""The web app in headless Chromium (Playwright): a student signs in with a link, adds a slot,
drags it to another day and the iCal feed follows; keyboard moves; axe-core finds no serious
or critical problem on any page; a caption's <script> stays text; screenshots of every page."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.web_support import CHROMIUM, LEAD, launch_chromium, live_server, login_link, workspace

pytestmark = [
    pytest.mark.chromium,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="Debian chromium is not installed at /usr/bin/chromium"
    ),
]

LEAD_PAGES = [
    "/",
    "/calendar",
    "/calendar?view=week",
    "/calendar/new",
    "/me",
    "/posts",
    "/posts/1",
    "/insights",
    "/campaigns",
    "/campaigns/new",
    "/campaigns/1",
    "/campaigns/1/edit",
    "/partners",
    "/partners/1",
    "/briefs",
    "/briefs/new",
    "/briefs/1",
    "/team",
    "/team/members/1",
    "/team/privacy?name=Ingrid",
    "/reports",
    "/reports/1",
]
STUDENT_PAGES = ["/calendar", "/me", "/calendar/new"]
SHOTS = Path(os.environ.get("SOCIAL_WEB_SHOTS", "")) if os.environ.get("SOCIAL_WEB_SHOTS") else None


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    from playwright.sync_api import sync_playwright

    config, _, db = workspace(tmp_path_factory.mktemp("web-browser"))
    db.execute(
        "UPDATE posts SET caption = ? WHERE id = 1", ['<script>alert("x")</script> Lab #realfag']
    )
    from social.web import create_app

    app = create_app(config, base_url="http://placeholder")
    with live_server(app) as base, sync_playwright() as pw:
        app.state.web.base_url = base
        browser = launch_chromium(pw)
        try:
            yield {"base": base, "db": db, "browser": browser, "config": config}
        finally:
            browser.close()


def _page(site: dict[str, Any], name: str, width: int = 1280) -> Any:
    context = site["browser"].new_context(viewport={"width": width, "height": 900}, locale="nb-NO")
    page = context.new_page()
    page.dialogs = []  # type: ignore[attr-defined]
    page.errors = []  # type: ignore[attr-defined]
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))  # type: ignore[attr-defined]
    page.on("pageerror", lambda e: page.errors.append(str(e)))  # type: ignore[attr-defined]
    page.on("console", lambda m: m.type == "error" and page.errors.append(m.text))  # type: ignore[attr-defined]
    page.goto(login_link(site["db"], name, site["base"]))
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_url(re.compile(r".*/(calendar)?$"))
    return page


def _ics_start(site: dict[str, Any], page: Any, uid: str) -> tuple[str, int]:
    feed_url = page.locator("#feed-url").input_value()
    text = page.request.get(feed_url).text()
    event = next(e for e in text.split("BEGIN:VEVENT") if f"UID:{uid}" in e)
    start = re.search(r"DTSTART;TZID=Europe/Oslo:(\d{8}T\d{4})", event).group(1)  # type: ignore[union-attr]
    sequence = int(re.search(r"SEQUENCE:(\d+)", event).group(1))  # type: ignore[union-attr]
    return start, sequence


def test_a_student_adds_a_slot_drags_it_to_another_day_and_the_feed_follows(
    site: dict[str, Any],
) -> None:
    from core.timeutil import local_date, utcnow
    from scheduler.calendar import get_slot

    page = _page(site, "Ingrid")
    today = local_date(utcnow(), "Europe/Oslo")
    day = today.replace(day=10) if today.day < 20 else today.replace(day=22)
    page.goto(site["base"] + f"/calendar/new?date={day.isoformat()}")
    page.get_by_label("Tittel").fill("Drag meg")
    page.get_by_label("Klokkeslett").fill("14:15")
    page.get_by_role("button", name="Lagre").click()
    page.wait_for_url(re.compile(r".*/calendar/slots/\d+$"))
    sid = int(page.url.rsplit("/", 1)[1])
    uid = get_slot(site["db"], sid).uid
    page.goto(site["base"] + "/calendar")
    start, sequence = _ics_start(site, page, uid)
    assert start == day.strftime("%Y%m%dT1415")

    target = day.replace(day=day.day + 2)
    page.drag_and_drop(f'.slot[data-slot-id="{sid}"]', f'td.day[data-date="{target.isoformat()}"]')
    page.wait_for_selector(f'td.day[data-date="{target.isoformat()}"] .slot[data-slot-id="{sid}"]')
    expect(page.locator("#announce")).to_contain_text("flyttet")
    moved, new_sequence = _ics_start(site, page, uid)
    assert moved == target.strftime("%Y%m%dT1415") and new_sequence == sequence + 1
    assert page.errors == []  # type: ignore[attr-defined]


def test_a_slot_moves_with_the_keyboard_and_the_move_is_announced(site: dict[str, Any]) -> None:
    from scheduler.calendar import get_slot, list_slots

    page = _page(site, "Ingrid")
    page.goto(site["base"] + "/calendar")
    slot = next(s for s in list_slots(site["db"], owner="Ingrid") if s.status == "planned")
    page.goto(site["base"] + f"/calendar?month={slot.local('Europe/Oslo').strftime('%Y-%m')}")
    before = slot.local("Europe/Oslo")
    mover = page.locator(f'[data-move="{slot.id}"]')
    mover.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#announce")).to_contain_text("Piltastene")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowLeft")
    expect(page.locator("#announce")).to_contain_text("«")
    page.keyboard.press("Enter")
    expect(page.locator("#announce")).to_contain_text("flyttet")
    after = get_slot(site["db"], slot.id).local("Europe/Oslo")
    assert (after.date() - before.date()).days == 6 and after.time() == before.time()
    assert page.evaluate("document.activeElement.closest('.slot').dataset.slotId") == str(slot.id)


def test_a_caption_with_a_script_tag_shows_as_text_in_the_browser(site: dict[str, Any]) -> None:
    page = _page(site, LEAD)
    page.goto(site["base"] + "/posts/1")
    assert '<script>alert("x")</script>' in page.locator("blockquote.caption").inner_text()
    page.goto(site["base"] + "/posts")
    assert page.dialogs == []  # type: ignore[attr-defined]


def test_a_partner_link_shows_only_that_partner_in_the_browser(site: dict[str, Any]) -> None:
    from briefs.partners import find_partner
    from db import web_sessions

    partner = find_partner(site["db"], "Lokal Elektro AS")
    assert partner is not None
    token = web_sessions.create_partner_link(site["db"], partner.id)
    context = site["browser"].new_context()
    page = context.new_page()
    page.goto(f"{site['base']}/p/{token}")
    assert page.locator("h1").inner_text() == "Lokal Elektro AS"
    assert "Equinor" not in page.content()
    page.goto(site["base"] + "/partners")
    assert "Du har ikke tilgang" in page.content()
    context.close()


def _axe_problems(page: Any) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
        for v in result.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize(
    ("who", "pages"),
    [
        (LEAD, LEAD_PAGES),
        ("Sander", STUDENT_PAGES),
        ("partner", ["/partner"]),
        ("nobody", ["/login"]),
    ],
)
def test_axe_finds_no_serious_problem_on_any_page(
    site: dict[str, Any], who: str, pages: list[str]
) -> None:
    if who == "partner":
        from briefs.partners import find_partner
        from db import web_sessions

        partner = find_partner(site["db"], "Equinor")
        assert partner is not None
        context = site["browser"].new_context()
        page = context.new_page()
        page.goto(f"{site['base']}/p/{web_sessions.create_partner_link(site['db'], partner.id)}")
    elif who == "nobody":
        page = site["browser"].new_context().new_page()
    else:
        page = _page(site, who)
    problems: dict[str, list[str]] = {}
    for path in pages:
        page.goto(site["base"] + path)
        found = _axe_problems(page)
        if found:
            problems[path] = found
        for label, width in (("desktop", 1280), ("phone", 390)):
            page.set_viewport_size({"width": width, "height": 900})
            assert page.evaluate("document.documentElement.scrollWidth") <= width, (path, label)
            if SHOTS:
                SHOTS.mkdir(parents=True, exist_ok=True)
                name = re.sub(r"[^a-z0-9]+", "-", f"{who}-{path}".lower()).strip("-")
                page.screenshot(path=str(SHOTS / f"{label}-{name}.png"), full_page=True)
        page.set_viewport_size({"width": 1280, "height": 900})
    assert problems == {}


def test_the_campaign_report_downloads_as_a_pdf(site: dict[str, Any]) -> None:
    from social.web import create_app
    from tests.web_support import signed_in

    client = signed_in(create_app(site["config"], base_url="http://testserver"), site["db"], LEAD)
    response = client.get("/campaigns/1/report.pdf")
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and len(response.content) > 10_000
    assert "campaign-realfag-host-2026" in response.headers["content-disposition"]
