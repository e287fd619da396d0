"""The web app's pages through an in-process client: roles, writes through the library,
messages beside the field, JSON beside every page, figures equal to the weekly report."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from scheduler.calendar import get_slot, list_slots
from social.cli import cli
from social.web import i18n
from tests.web_support import LEAD, csrf_of, signed_in, workspace

LEAD_PAGES = [
    "/",
    "/calendar",
    "/calendar?view=week",
    "/calendar/new",
    "/me",
    "/posts",
    "/insights",
    "/insights?by=owner",
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
]


@pytest.fixture
def ws(tmp_path: Path):  # type: ignore[no-untyped-def]
    return workspace(tmp_path)


def _slot_of(db, owner: str) -> int:  # type: ignore[no-untyped-def]
    return next(s.id for s in list_slots(db, owner=owner) if s.status == "planned")


def test_every_page_renders_for_the_lead_and_has_its_data_as_json(ws) -> None:  # type: ignore[no-untyped-def]
    _, app, db = ws
    client = signed_in(app, db, LEAD)
    for path in LEAD_PAGES:
        page = client.get(path)
        assert page.status_code == 200, (path, page.text[:500])
        assert '<html lang="nb">' in page.text
        data = client.get(path + ("&" if "?" in path else "?") + "format=json")
        assert data.status_code == 200 and data.headers["content-type"] == "application/json", path
        json.loads(data.text)


def test_the_dashboard_shows_the_weekly_report_s_own_figures(ws, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    config, app, db = ws
    client = signed_in(app, db, LEAD)
    dashboard = client.get("/?format=json").json()["weekly"]
    monkeypatch.setenv("SOCIAL_CONFIG", str(config.path))
    result = CliRunner().invoke(cli, ["report", "weekly", "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    for figures in (dashboard, report):
        figures.pop("generated_at")
    assert dashboard == report
    html = client.get("/").text
    tiktok = next(p for p in report["platforms"] if p["platform"] == "tiktok")
    shown = re.search(r'data-figure="tiktok.views_total.current">([^<]+)<', html).group(1)
    from core.formats import number

    assert shown == number(tiktok["week_on_week"]["current"]["views_total"], "nb")


def test_a_student_sees_the_calendar_and_their_page_but_not_the_lead_s_pages(ws) -> None:  # type: ignore[no-untyped-def]
    _, app, db = ws
    client = signed_in(app, db, "Ingrid")
    assert client.get("/calendar").status_code == 200
    assert client.get("/me").status_code == 200
    assert client.get("/", follow_redirects=False).headers["location"] == "/calendar"
    for path in (
        "/posts",
        "/campaigns",
        "/partners",
        "/briefs",
        "/team",
        "/reports",
        "/campaigns/1/report.html",
    ):
        assert client.get(path).status_code == 403, path
    nav = client.get("/calendar").text
    assert 'href="/campaigns"' not in nav and 'href="/me"' in nav


def test_a_student_cannot_edit_another_student_s_slot(ws) -> None:  # type: ignore[no-untyped-def]
    _, app, db = ws
    client = signed_in(app, db, "Ingrid")
    theirs = _slot_of(db, "Sander")
    before = get_slot(db, theirs)
    token = csrf_of(client.get("/calendar").text)
    for path, form in (
        (
            f"/calendar/slots/{theirs}",
            {
                "date": "2030-01-01",
                "time": "10:00",
                "platform": "tiktok",
                "title": "Mine nå",
                "status": "planned",
            },
        ),
        (f"/calendar/slots/{theirs}/move", {"date": "2030-01-02"}),
        (f"/calendar/slots/{theirs}/check", {"item": "captions", "done": "1"}),
        (f"/calendar/slots/{theirs}/publish", {"confirm": "1"}),
        (f"/calendar/slots/{theirs}/delete", {"confirm": "1"}),
    ):
        response = client.post(path, data={**form, "csrf_token": token})
        assert response.status_code == 403, path
    after = get_slot(db, theirs)
    assert (after.title, after.planned_at, after.status, after.sequence) == (
        before.title,
        before.planned_at,
        before.status,
        before.sequence,
    )
    page = client.get(f"/calendar/slots/{theirs}").text
    assert "Endre posten" not in page


def test_a_student_adds_a_slot_they_own_and_moves_it(ws) -> None:  # type: ignore[no-untyped-def]
    _, app, db = ws
    client = signed_in(app, db, "Ingrid")
    token = csrf_of(client.get("/calendar/new").text)
    form = {
        "date": "2030-03-04",
        "time": "15:30",
        "platform": "tiktok",
        "title": "Labtur",
        "tags": "lab, studieliv",
        "status": "planned",
        "owners": "Sander",
        "csrf_token": token,
    }
    added = client.post("/calendar/new", data=form, follow_redirects=False)
    assert added.status_code == 303
    sid = int(added.headers["location"].rsplit("/", 1)[1])
    slot = get_slot(db, sid)
    assert slot.owners == ["Ingrid"] and slot.tags == ["lab", "studieliv"]
    assert slot.local("Europe/Oslo").strftime("%Y-%m-%d %H:%M") == "2030-03-04 15:30"
    moved = client.post(
        f"/calendar/slots/{sid}/move",
        data={"date": "2030-03-06", "csrf_token": token},
        headers={"X-Requested-With": "fetch"},
    )
    assert moved.status_code == 200 and moved.json()["ok"]
    again = get_slot(db, sid)
    assert again.local("Europe/Oslo").strftime("%Y-%m-%d %H:%M") == "2030-03-06 15:30"
    assert again.sequence == slot.sequence + 1


def test_bad_input_gets_a_message_beside_the_field_and_nothing_is_written(ws) -> None:  # type: ignore[no-untyped-def]
    _, app, db = ws
    client = signed_in(app, db, LEAD)
    before = db.execute("SELECT COUNT(*) FROM calendar_slots").fetchone()[0]
    token = csrf_of(client.get("/calendar/new").text)
    page = client.post(
        "/calendar/new",
        data={
            "date": "2030-03-31",
            "time": "25:99",
            "platform": "tiktok",
            "title": "",
            "status": "planned",
            "appears": "Ukjent Person",
            "csrf_token": token,
        },
    )
    assert page.status_code == 422
    assert (
        'id="time-error"' in page.text
        and 'id="title-error"' in page.text
        and 'id="appears-error"' in page.text
    )
    assert "no consent record for &#39;Ukjent Person&#39;" in page.text
    summer = client.post(
        "/calendar/new",
        data={
            "date": "2030-03-31",
            "time": "02:30",
            "platform": "tiktok",
            "title": "Sommertid",
            "status": "planned",
            "csrf_token": token,
        },
    )
    assert summer.status_code == 422 and "does not exist in Europe/Oslo" in summer.text
    assert db.execute("SELECT COUNT(*) FROM calendar_slots").fetchone()[0] == before
    campaign = client.post(
        "/campaigns/new",
        data={
            "name": "Vår",
            "start": "2030-01-01",
            "end": "2030-02-01",
            "targets": "ctr:paid=1.2",
            "csrf_token": token,
        },
    )
    assert (
        campaign.status_code == 422
        and 'id="targets-error"' in campaign.text
        and "percent sign" in campaign.text
    )
    garbage = client.post("/calendar/slots/999999/move", data={"date": "nope", "csrf_token": token})
    assert garbage.status_code == 404


def test_the_checklist_must_be_done_or_overridden_before_publishing(ws) -> None:  # type: ignore[no-untyped-def]
    _, app, db = ws
    client = signed_in(app, db, "Sander")
    sid = next(
        s.id for s in list_slots(db, owner="Sander") if s.appearances
    )  # films a pupil without consent
    page = client.get(f"/calendar/slots/{sid}")
    assert "Samtykke mangler" in page.text and "Elev (16 år)" in page.text
    token = csrf_of(page.text)
    refused = client.post(f"/calendar/slots/{sid}/publish", data={"csrf_token": token})
    assert refused.status_code == 422 and "Sjekklisten er ikke ferdig" in refused.text
    assert get_slot(db, sid).status == "planned"
    ticked = client.post(
        f"/calendar/slots/{sid}/check",
        data={"item": "captions", "done": "1", "csrf_token": token},
        headers={"HX-Request": "true"},
    )
    assert ticked.status_code == 200 and "announce" in ticked.headers["hx-trigger"]
    checklist = client.get(f"/calendar/slots/{sid}?format=json").json()["checklist"]
    assert {i["key"]: i["done"] for i in checklist} == {"captions": True, "consent": False}
    consent = client.post(
        f"/calendar/slots/{sid}/check", data={"item": "consent", "done": "1", "csrf_token": token}
    )
    assert consent.status_code == 400
    done = client.post(
        f"/calendar/slots/{sid}/publish",
        data={"confirm": "1", "csrf_token": token},
        follow_redirects=False,
    )
    assert done.status_code == 303 and get_slot(db, sid).status == "published"


def test_partner_content_needs_the_ad_label_and_branded_content_setting(ws) -> None:  # type: ignore[no-untyped-def]
    _, app, db = ws
    client = signed_in(app, db, LEAD)
    sid = next(s.id for s in list_slots(db) if s.partner == "Equinor")
    keys = [i["key"] for i in client.get(f"/calendar/slots/{sid}?format=json").json()["checklist"]]
    assert keys == ["captions", "ad_label", "branded_content"]


def test_a_student_claims_an_unowned_slot(ws) -> None:  # type: ignore[no-untyped-def]
    from scheduler.calendar import create_slot, resolve

    _, app, db = ws
    sid = create_slot(
        db, resolve(db, "Europe/Oslo", at="2030-05-05 12:00", platform="tiktok", title="Ledig")
    )
    client = signed_in(app, db, "Amina")
    token = csrf_of(client.get("/calendar").text)
    client.post(f"/calendar/slots/{sid}/claim", data={"csrf_token": token})
    assert get_slot(db, sid).owners == ["Amina"]
    other = signed_in(app, db, "Jonas")
    assert (
        other.post(
            f"/calendar/slots/{sid}/claim",
            data={"csrf_token": csrf_of(other.get("/calendar").text)},
        ).status_code
        == 403
    )


def test_a_caption_with_a_script_tag_is_shown_as_text(ws) -> None:  # type: ignore[no-untyped-def]
    _, app, db = ws
    db.execute(
        "UPDATE posts SET caption = ? WHERE id = 1", ['<script>alert("x")</script> #realfag']
    )
    client = signed_in(app, db, LEAD)
    for path in ("/posts", "/posts/1"):
        html = client.get(path).text
        assert "<script>alert" not in html and "&lt;script&gt;alert" in html


def test_a_partner_link_shows_only_that_partner(ws) -> None:  # type: ignore[no-untyped-def]
    from datetime import date

    from briefs.partners import find_partner
    from briefs.store import create_brief
    from db import web_sessions

    _, app, db = ws
    other = find_partner(db, "Lokal Elektro AS")
    assert other is not None
    secret, _ = create_brief(
        db,
        partner_ref="Lokal Elektro AS",
        template="tiktok_partner_nb",
        deadline=date(2030, 1, 1),
        title="Hemmelig for Lokal Elektro",
    )
    equinor = find_partner(db, "Equinor")
    assert equinor is not None
    token = web_sessions.create_partner_link(db, equinor.id)
    from starlette.testclient import TestClient

    client = TestClient(app)
    home = client.get(f"/p/{token}")
    assert home.status_code == 200 and "Equinor" in home.text
    assert "Lokal Elektro" not in home.text and "Hemmelig" not in home.text
    assert client.get(f"/partner/briefs/{secret.id}").status_code == 403
    own = next(b["id"] for b in client.get("/partner?format=json").json()["briefs"])
    assert client.get(f"/partner/briefs/{own}").status_code == 200
    report = client.get("/partner/report.html?format=json").json()
    assert report["partner"]["name"] == "Equinor"
    for path in (
        "/",
        "/calendar",
        "/partners",
        f"/partners/{other.id}/report.html",
        "/team",
        "/me",
    ):
        assert client.get(path, follow_redirects=False).status_code in (303, 403), path
    # A new link stops the old one.
    web_sessions.create_partner_link(db, equinor.id)
    assert TestClient(app).get(f"/p/{token}").status_code == 400


def test_campaigns_are_created_and_edited_with_targets(ws) -> None:  # type: ignore[no-untyped-def]
    from social.campaigns import load_campaign

    _, app, db = ws
    client = signed_in(app, db, LEAD)
    token = csrf_of(client.get("/campaigns/new").text)
    form = {
        "name": "Vår 2030",
        "start": "2030-02-01",
        "end": "2030-03-31",
        "platforms": "tiktok",
        "hashtags": "realfag, vår",
        "targets": "views=100000\nctr:paid=1,5 %",
        "partner": "Equinor",
        "budget": "20000",
        "currency": "NOK",
        "csrf_token": token,
    }
    saved = client.post("/campaigns/new", data=form, follow_redirects=False)
    assert saved.status_code == 303, saved.text[:2000]
    cid, spec = load_campaign(db, "Vår 2030")
    assert [t.text() for t in spec.targets] == ["views:total:all=100000", "ctr:paid:all=1.5%"]
    edited = client.post(
        f"/campaigns/{cid}/edit",
        data={**form, "targets": "views=200000", "partner": ""},
        follow_redirects=False,
    )
    assert edited.status_code == 303
    _, spec = load_campaign(db, "Vår 2030")
    assert [t.text() for t in spec.targets] == ["views:total:all=200000"] and spec.partner is None
    page = client.get(f"/campaigns/{cid}")
    from core.formats import number

    assert page.status_code == 200 and number(200000, "nb") in page.text


def test_a_brief_is_previewed_then_saved_and_moved_through_its_lifecycle(ws) -> None:  # type: ignore[no-untyped-def]
    _, app, db = ws
    client = signed_in(app, db, LEAD)
    token = csrf_of(client.get("/briefs/new").text)
    form = {
        "partner": "Equinor",
        "template": "tiktok_partner_nb",
        "deadline": "2030-06-01",
        "variables": "role_model=Ola <b>lærling</b>",
        "csrf_token": token,
    }
    before = db.execute("SELECT COUNT(*) FROM briefs").fetchone()[0]
    preview = client.post(
        "/briefs/new", data={**form, "action": "preview"}, headers={"HX-Request": "true"}
    )
    assert preview.status_code == 200 and "Equinor" in preview.text and "&lt;b&gt;" in preview.text
    assert db.execute("SELECT COUNT(*) FROM briefs").fetchone()[0] == before
    saved = client.post("/briefs/new", data={**form, "action": "save"}, follow_redirects=False)
    bid = int(saved.headers["location"].rsplit("/", 1)[1])
    client.post(f"/briefs/{bid}", data={"status": "sent", "csrf_token": token})
    assert client.get(f"/briefs/{bid}?format=json").json()["status"] == "sent"
    bad = client.post("/briefs/new", data={**form, "variables": "partner=x", "action": "save"})
    assert bad.status_code == 422 and 'id="variables-error"' in bad.text


def test_the_lead_deletes_a_person_everywhere(ws) -> None:  # type: ignore[no-untyped-def]
    _, app, db = ws
    client = signed_in(app, db, LEAD)
    ingrid = signed_in(app, db, "Ingrid")
    page = client.get("/team/privacy?name=Ingrid")
    assert "ingrid@example.no" in page.text
    client.post(
        "/team/privacy", data={"name": "Ingrid", "confirm": "1", "csrf_token": csrf_of(page.text)}
    )
    assert db.execute("SELECT COUNT(*) FROM team_members WHERE name = 'Ingrid'").fetchone()[0] == 0
    assert ingrid.get("/calendar", follow_redirects=False).status_code == 303  # her session ended


def test_reports_list_shows_frozen_figures_and_revisions(ws) -> None:  # type: ignore[no-untyped-def]
    _, app, db = ws
    client = signed_in(app, db, LEAD)
    first = client.get("/reports?format=json").json()["reports"][0]
    detail = client.get(f"/reports/{first['id']}?format=json").json()
    assert detail["figures"]["kind"] == first["kind"]
    assert client.get(f"/reports/{first['id']}/document.html").status_code == 200


def test_english_is_selectable_and_every_text_has_its_english(ws) -> None:  # type: ignore[no-untyped-def]
    _, app, db = ws
    client = signed_in(app, db, LEAD)
    client.get("/lang/en?next=/calendar")
    page = client.get("/calendar").text
    assert '<html lang="en">' in page and "Calendar" in page and "Kalender</h1>" not in page
    root = Path(__file__).resolve().parents[1] / "social" / "web"
    pattern = re.compile(r"""(?:\b_|ctx\.t)\(\s*"((?:[^"\\]|\\.)*)\"""")
    texts = {
        m
        for f in [*root.glob("templates/*.html"), *root.glob("routes/*.py")]
        for m in pattern.findall(f.read_text(encoding="utf-8"))
    }
    missing = sorted(t for t in texts if t not in i18n.EN and t not in i18n.CODES)
    assert not missing, missing


def test_a_post_shows_where_its_views_came_from_when_known(ws) -> None:  # type: ignore[no-untyped-def]
    _, app, db = ws
    client = signed_in(app, db, LEAD)
    db.execute("DELETE FROM post_breakdowns WHERE post_id = 1")  # the demo's own, if any
    assert "Hvor visningene kom fra" not in client.get("/posts/1").text
    for key, value in (("For You", 0.62), ("Search", 0.3), ("Follow", 0.08)):
        db.execute(
            "INSERT INTO post_breakdowns (post_id, dimension, key, value, captured_at, source) "
            "VALUES (1, 'impression_source', ?, ?, '2026-11-20T05:00:00Z', 'api')",
            [key, value],
        )
    page = client.get("/posts/1").text
    assert "Hvor visningene kom fra" in page and "For deg" in page and 'value="0.62"' in page
    data = client.get("/posts/1?format=json").json()
    assert data["breakdowns"]["impression_source"][0] == {
        "key": "For You",
        "value": 0.62,
        "captured_at": "2026-11-20T05:00:00Z",
    }


def test_publishing_links_the_post_by_its_id(ws) -> None:  # type: ignore[no-untyped-def]
    from scheduler.calendar import create_slot, resolve

    _, app, db = ws
    post = db.execute(
        "SELECT external_id FROM posts WHERE platform = 'tiktok' AND id NOT IN (SELECT post_id FROM calendar_slots WHERE post_id IS NOT NULL) LIMIT 1"
    ).fetchone()[0]
    sid = create_slot(
        db,
        resolve(
            db,
            "Europe/Oslo",
            at="2030-05-05 12:00",
            platform="tiktok",
            title="Koble",
            owners=["Elias"],
        ),
    )
    client = signed_in(app, db, "Elias")
    token = csrf_of(client.get(f"/calendar/slots/{sid}").text)
    wrong = client.post(
        f"/calendar/slots/{sid}/publish",
        data={"post_id": "123", "confirm": "1", "csrf_token": token},
    )
    assert wrong.status_code == 422 and 'id="post-error"' in wrong.text
    assert get_slot(db, sid).status == "planned"
    client.post(
        f"/calendar/slots/{sid}/publish",
        data={"post_id": post, "confirm": "1", "csrf_token": token},
    )
    linked = get_slot(db, sid)
    assert linked.post == post and linked.status == "published" and linked.link_manual


def test_min_side_saves_reminder_settings_and_shows_bad_ones_beside_the_field(ws) -> None:  # type: ignore[no-untyped-def]
    from scheduler.team import get_member

    _, app, db = ws
    client = signed_in(app, db, "Jonas")
    token = csrf_of(client.get("/me").text)
    bad = client.post(
        "/me",
        data={
            "email": "jonas@example.no",
            "quiet": "25-7",
            "slack": "jonas",
            "teams": "",
            "language": "nb",
            "csrf_token": token,
        },
    )
    assert (
        bad.status_code == 422 and 'id="quiet-error"' in bad.text and 'id="slack-error"' in bad.text
    )
    assert get_member(db, "Jonas").quiet == "22:00-07:00"
    client.post(
        "/me",
        data={
            "email": "jonas@example.no",
            "quiet": "21:30-07:30",
            "slack": "U012ABCDEF",
            "teams": "",
            "language": "en",
            "csrf_token": token,
        },
    )
    member = get_member(db, "Jonas")
    assert (member.quiet, member.slack_member, member.language) == (
        "21:30-07:30",
        "U012ABCDEF",
        "en",
    )


def test_the_campaign_report_is_e_mailed_from_its_page(ws, smtp) -> None:  # type: ignore[no-untyped-def]
    from core.config import Config
    from social.web import create_app

    config, _, db = ws
    sink, port = smtp
    values = {
        **config.values,
        "email": {
            "host": "127.0.0.1",
            "port": port,
            "security": "none",
            "sender": "app@example.no",
        },
    }
    app = create_app(Config(path=config.path, values=values), base_url="http://testserver")
    client = signed_in(app, db, LEAD)
    token = csrf_of(client.get("/campaigns/1").text)
    bad = client.post(
        "/campaigns/1/send", data={"recipients": "not-an-address", "csrf_token": token}
    )
    assert bad.status_code == 200 and "Ikke sendt" in bad.text and sink.messages() == []
    client.post(
        "/campaigns/1/send",
        data={"recipients": "leder@example.no, styret@example.no", "csrf_token": token},
    )
    [message] = sink.messages()
    assert "Realfag høst 2026" in message["Subject"] and "leder@example.no" in message["To"]
