"""Sign-in for the web app: sessions from cookies, one-time login links, partner links, e-mail.

Sessions live in the database (db.web_sessions) under a random id kept in an
HttpOnly cookie (Secure over HTTPS, SameSite=Lax); they end at logout, after
`[web] idle_minutes` without use or `[web] session_hours` in all. The login link
in an e-mail is built from `[web] base_url` (or the address `social serve`
listens on), never from the request's Host header, so a forged Host cannot
send people a link to somewhere else.
"""

from __future__ import annotations

import logging
import secrets
from email.message import EmailMessage

from sqlite_utils import Database
from starlette.requests import Request

from core.config import Config
from db import web_sessions
from social.web.core import SESSION_COOKIE, WebState
from social.web.permissions import PARTNER, Actor

log = logging.getLogger("social.web")

LOGIN_PATH = "/login/"
PARTNER_PATH = "/p/"


def new_anon_token() -> str:
    """The CSRF token of a visitor who has not signed in (double-submit cookie)."""
    return secrets.token_urlsafe(32)


def current_actor(request: Request, state: WebState, db: Database) -> Actor | None:
    """The signed-in member or partner of this request, or None."""
    session_id = request.cookies.get(SESSION_COOKIE)
    if not session_id or len(session_id) > 100:
        return None
    row = web_sessions.load_session(db, session_id, idle_minutes=state.idle_minutes)
    if row is None:
        return None
    if row.member_id is not None:
        member = web_sessions.member_for_session(db, row.member_id)
        if member is None:
            web_sessions.end_session(db, session_id)
            return None
        return Actor("member", row.member_id, member[0], member[1], member[2], row.csrf)
    assert row.partner_id is not None
    partner = web_sessions.partner_name(db, row.partner_id)
    if partner is None:
        return None
    return Actor("partner", row.partner_id, partner, PARTNER, "nb", row.csrf)


def login_url(base_url: str, token: str) -> str:
    """The one-time link for a login token."""
    return base_url.rstrip("/") + LOGIN_PATH + token


def partner_url(base_url: str, token: str) -> str:
    """A partner's read-only link."""
    return base_url.rstrip("/") + PARTNER_PATH + token


def default_base_url(config: Config) -> str:
    """`[web] base_url`, else the address `social serve` listens on by default."""
    configured = str(config.get("web", "base_url") or "").strip()
    if configured:
        return configured.rstrip("/")
    host = str(config.get("web", "host"))
    shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
    return f"http://{shown}:{config.get('web', 'port')}"


def email_configured(config: Config) -> bool:
    return bool(str(config.get("email", "host") or "").strip())


def send_login_email(config: Config, *, to: str, name: str, link: str, lang: str) -> None:
    """E-mail a login link (through [email], password from SOCIAL_SMTP_PASSWORD)."""
    from social.reports.mail import deliver

    message = EmailMessage()
    sender = str(config.get("email", "sender") or "") or "social@localhost"
    message["From"] = sender
    message["To"] = to
    if lang == "en":
        message["Subject"] = "Your sign-in link"
        body = (
            f"Hi {name},\n\nOpen this link to sign in to the team's planning app. It works once "
            f"and for {web_sessions.LOGIN_MINUTES} minutes:\n\n{link}\n\n"
            "If you did not ask for it, ignore this e-mail.\n"
        )
    else:
        message["Subject"] = "Din innloggingslenke"
        body = (
            f"Hei {name},\n\nÅpne denne lenken for å logge inn i teamets planleggingsverktøy. Den "
            f"virker én gang og i {web_sessions.LOGIN_MINUTES} minutter:\n\n{link}\n\n"
            "Ba du ikke om den, kan du se bort fra denne e-posten.\n"
        )
    message.set_content(body)
    deliver(config, message)
