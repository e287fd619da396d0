"""Signing in to the web app: one-time links, sessions that end, CSRF, rate limits, roles,
partner links, and no secret in pages or logs."""

from __future__ import annotations

import logging
import re
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from core.timeutil import utcnow
from db import web_sessions
from scheduler.team import edit_member, get_member
from social.cli import cli
from tests.web_support import LEAD, csrf_of, login_link, signed_in, workspace


@pytest.fixture
def ws(tmp_path: Path):  # type: ignore[no-untyped-def]
    return workspace(tmp_path)


def test_every_page_needs_a_login(ws) -> None:  # type: ignore[no-untyped-def]
    _, app, _ = ws
    client = TestClient(app)
    for path in ("/", "/calendar", "/me", "/posts", "/campaigns", "/partners", "/team", "/reports"):
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303, path
        assert response.headers["location"].startswith("/login?next=")
    assert client.get("/calendar?format=json").status_code == 401


def test_a_login_link_works_once_and_lands_on_the_role_s_home(ws) -> None:  # type: ignore[no-untyped-def]
    _, app, db = ws
    client = TestClient(app)
    path = login_link(db, "Ingrid")
    page = client.get(path)
    assert "Du logger inn som Ingrid" in page.text
    # Opening the link (a mail scanner would) does not spend it; the button does.
    done = client.post(path, data={"csrf_token": csrf_of(page.text)}, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == "/calendar"
    cookie = done.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie.replace("Lax", "lax")
    assert client.get("/calendar").status_code == 200
    again = TestClient(app).get(path)
    assert again.status_code == 400 and "Lenken er brukt, utløpt eller feil" in again.text


def test_a_login_link_expires_after_15_minutes(ws) -> None:  # type: ignore[no-untyped-def]
    _, _, db = ws
    member = get_member(db, "Ingrid").id
    token = web_sessions.create_login_token(db, member, now=utcnow() - timedelta(minutes=16))
    assert web_sessions.use_login_token(db, token) is None
    fresh = web_sessions.create_login_token(db, member, now=utcnow() - timedelta(minutes=14))
    assert web_sessions.use_login_token(db, fresh) == member


def test_only_hashes_of_tokens_are_stored(ws) -> None:  # type: ignore[no-untyped-def]
    _, _, db = ws
    token = web_sessions.create_login_token(db, get_member(db, "Ingrid").id)
    dump = "\n".join(db.conn.iterdump())
    assert token not in dump
    assert web_sessions.digest(token) in dump


def test_sessions_end_at_logout_when_idle_and_when_the_person_is_made_inactive(ws) -> None:  # type: ignore[no-untyped-def]
    _, app, db = ws
    client = signed_in(app, db, "Ingrid")
    page = client.get("/calendar")
    client.post("/logout", data={"csrf_token": csrf_of(page.text)})
    assert client.get("/calendar", follow_redirects=False).status_code == 303

    session = web_sessions.create_session(
        db, member_id=get_member(db, "Sander").id, max_hours=12, now=utcnow() - timedelta(hours=3)
    )
    assert web_sessions.load_session(db, session, idle_minutes=120) is None
    live = web_sessions.create_session(db, member_id=get_member(db, "Sander").id, max_hours=12)
    assert web_sessions.load_session(db, live, idle_minutes=120) is not None

    client = signed_in(app, db, "Mari")
    edit_member(db, "Mari", active=False)
    assert client.get("/calendar", follow_redirects=False).status_code == 303


def test_a_post_without_the_csrf_token_is_refused_and_changes_nothing(ws) -> None:  # type: ignore[no-untyped-def]
    _, app, db = ws
    client = signed_in(app, db, LEAD)
    before = db.execute("SELECT COUNT(*) FROM calendar_slots").fetchone()[0]
    form = {
        "date": "2030-01-07",
        "time": "16:00",
        "platform": "tiktok",
        "title": "Uten token",
        "status": "planned",
    }
    refused = client.post("/calendar/new", data=form)
    assert refused.status_code == 403
    wrong = client.post("/calendar/new", data={**form, "csrf_token": "x" * 43})
    assert wrong.status_code == 403
    other_site = client.post(
        "/calendar/new",
        data={**form, "csrf_token": csrf_of(client.get("/calendar/new").text)},
        headers={"Origin": "https://evil.example"},
    )
    assert other_site.status_code == 403
    assert db.execute("SELECT COUNT(*) FROM calendar_slots").fetchone()[0] == before
    ok = client.post(
        "/calendar/new", data={**form, "csrf_token": csrf_of(client.get("/calendar/new").text)}
    )
    assert (
        ok.status_code == 200
        and db.execute("SELECT COUNT(*) FROM calendar_slots").fetchone()[0] == before + 1
    )


def test_bad_links_and_login_e_mails_are_rate_limited(ws) -> None:  # type: ignore[no-untyped-def]
    _, app, _ = ws
    client = TestClient(app)
    codes = [client.get(f"/login/{'a' * 43}").status_code for _ in range(12)]
    assert codes[:10] == [400] * 10 and codes[10:] == [429, 429]
    assert "Retry-After" in client.get(f"/login/{'b' * 43}").headers


def test_the_login_page_e_mails_a_link_only_to_team_members(ws, smtp) -> None:  # type: ignore[no-untyped-def]
    config, _, db = ws
    from core.config import Config
    from social.web import create_app

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
    app = create_app(Config(path=config.path, values=values), base_url="https://social.example.no")
    client = TestClient(app, base_url="https://testserver")  # secure cookies need HTTPS
    page = client.get("/login")
    for address in ("ingrid@example.no", "stranger@example.no"):
        answer = client.post("/login", data={"email": address, "csrf_token": csrf_of(page.text)})
        assert answer.status_code == 200
        assert "Hvis adressen hører til noen i teamet" in answer.text
    assert [m["To"] for m in sink.messages()] == ["ingrid@example.no"]
    body = sink.messages()[0].get_content()
    link = re.search(r"https://social\.example\.no/login/\S+", body)
    assert link, body
    # A forged Host header never changes where the e-mailed link points.
    client.post(
        "/login",
        data={"email": "ingrid@example.no", "csrf_token": csrf_of(page.text)},
        headers={"Host": "evil.example"},
    )
    assert all("evil.example" not in m.get_content() for m in sink.messages())


def test_partner_contacts_and_inactive_members_cannot_get_a_link(ws) -> None:  # type: ignore[no-untyped-def]
    from core.errors import SocialError
    from scheduler.team import add_member

    _, _, db = ws
    contact = add_member(db, "Lise Lie", role="partner-contact", email="lise@aker.no")
    with pytest.raises(SocialError, match="partner contact"):
        web_sessions.create_login_token(db, contact.id)
    edit_member(db, "Jonas", active=False)
    with pytest.raises(SocialError, match="inactive"):
        web_sessions.create_login_token(db, get_member(db, "Jonas").id)


def test_no_secret_in_access_logs(ws, caplog) -> None:  # type: ignore[no-untyped-def]
    _, app, db = ws
    caplog.set_level(logging.INFO, logger="social.web.access")
    path = login_link(db, "Ingrid")
    client = TestClient(app)
    client.get(path)
    token = path.rsplit("/", 1)[1]
    assert "/login/[redacted]" in caplog.text
    assert token not in caplog.text


def test_pages_carry_security_headers(ws) -> None:  # type: ignore[no-untyped-def]
    _, app, db = ws
    response = signed_in(app, db, LEAD).get("/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["cache-control"] == "no-store"


def test_login_link_command_prints_a_working_link(ws, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    config, app, db = ws
    monkeypatch.setenv("SOCIAL_CONFIG", str(config.path))
    result = CliRunner().invoke(cli, ["login-link", "ingrid"])
    assert result.exit_code == 0, result.output
    link = result.stdout.strip()
    assert link.startswith("http://127.0.0.1:8000/login/")
    client = TestClient(app)
    page = client.get(link.replace("http://127.0.0.1:8000", ""))
    assert "Ingrid" in page.text
    bad = CliRunner().invoke(cli, ["login-link", "Ingird"])
    assert (
        bad.exit_code == 1
        and "did you mean 'Ingrid'" in bad.output
        and "Traceback" not in bad.output
    )
    partner = CliRunner().invoke(cli, ["login-link", "--partner", "Equinor"])
    assert partner.exit_code == 0 and "/p/" in partner.stdout


def test_serve_binds_127_0_0_1_by_default(ws, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    config, _, _ = ws
    seen = {}

    def fake_run(app, **options):  # type: ignore[no-untyped-def]
        seen.update(options)

    monkeypatch.setenv("SOCIAL_CONFIG", str(config.path))
    monkeypatch.setattr("uvicorn.run", fake_run)
    result = CliRunner().invoke(cli, ["serve"])
    assert result.exit_code == 0, result.output
    assert seen["host"] == "127.0.0.1" and seen["port"] == 8000 and seen["access_log"] is False
