"""Sign in and out: the login page (link by e-mail), one-time links, partner links, language."""

from __future__ import annotations

from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from core.errors import SocialError
from db import web_sessions
from social.web import auth
from social.web.core import LANG_COOKIE, SESSION_COOKIE, Ctx, page, safe_next
from social.web.i18n import LANGUAGES
from social.web.permissions import home

WINDOW = 15 * 60  # seconds over which sign-in attempts are counted
PER_IP = 10  # e-mail requests or bad links per address per window
PER_EMAIL = 3  # links e-mailed to one address per window


def _client(ctx: Ctx) -> str:
    return ctx.request.client.host if ctx.request.client else "unknown"


def _limited(ctx: Ctx, key: str, limit: int) -> Response | None:
    if ctx.state.limiter.hit(key, limit, WINDOW):
        return None
    wait = ctx.state.limiter.retry_after(key, WINDOW)
    minutes = max(1, (wait + 59) // 60)
    response = ctx.render(
        "error.html",
        {
            "message": ctx.t(
                "For mange forsøk. Vent {minutes} min og prøv igjen.", minutes=minutes
            ),
            "status": 429,
        },
        title=ctx.t("For mange forsøk"),
        status=429,
    )
    response.headers["Retry-After"] = str(wait)
    return response


@page(None)
def login_form(ctx: Ctx) -> Response:
    """The login page: ask for a link by e-mail (when e-mail is configured)."""
    if ctx.actor is not None:
        return RedirectResponse(safe_next(ctx.field("next"), ctx.actor), status_code=303)
    return ctx.render(
        "login.html",
        {
            "email_on": auth.email_configured(ctx.config),
            "next": safe_next(ctx.field("next")),
            "sent": False,
            "errors": {},
            "email": "",
        },
        title=ctx.t("Logg inn"),
    )


@page(None)
def login_request(ctx: Ctx) -> Response:
    """E-mail a one-time link to a team member's address (same answer for any address)."""
    email = ctx.field("email")
    data = {
        "email_on": auth.email_configured(ctx.config),
        "next": safe_next(ctx.field("next")),
        "sent": False,
        "errors": {},
        "email": email,
    }
    if not data["email_on"]:
        return ctx.render("login.html", data, title=ctx.t("Logg inn"), status=400)
    if "@" not in email or len(email) > 254:
        data["errors"] = {"email": ctx.t("Skriv e-postadressen din, for eksempel kari@example.no.")}
        return ctx.render("login.html", data, title=ctx.t("Logg inn"), status=422)
    limited = _limited(ctx, f"login-ip:{_client(ctx)}", PER_IP) or _limited(
        ctx, f"login-email:{email.lower()}", PER_EMAIL
    )
    if limited is not None:
        return limited
    found = web_sessions.member_for_email(ctx.db, email)
    if found is not None:
        member_id, name, language = found
        token = web_sessions.create_login_token(ctx.db, member_id)
        link = auth.login_url(ctx.state.base_url, token)
        try:
            auth.send_login_email(ctx.config, to=email, name=name, link=link, lang=language)
        except SocialError as exc:
            data["errors"] = {"email": ctx.t("E-posten kunne ikke sendes: {error}", error=str(exc))}
            return ctx.render("login.html", data, title=ctx.t("Logg inn"), status=503)
    data["sent"] = True
    return ctx.render("login.html", data, title=ctx.t("Logg inn"))


@page(None)
def link_confirm(ctx: Ctx) -> Response:
    """A login link opened: confirm with a button (link scanners must not spend it)."""
    token = ctx.request.path_params["token"]
    member = web_sessions.peek_login_token(ctx.db, token)
    if member is None:
        return _limited(ctx, f"bad-link:{_client(ctx)}", PER_IP) or _bad_link(ctx)
    name = web_sessions.member_for_session(ctx.db, member)
    return ctx.render(
        "login_confirm.html",
        {"name": name[0] if name else "", "next": safe_next(ctx.field("next"))},
        title=ctx.t("Logg inn"),
    )


def _bad_link(ctx: Ctx) -> Response:
    return ctx.render(
        "error.html",
        {
            "message": ctx.t(
                "Lenken er brukt, utløpt eller feil. Be om en ny på innloggingssiden eller fra kommunikasjonsansvarlig."
            ),
            "status": 400,
        },
        title=ctx.t("Lenken virker ikke"),
        status=400,
    )


@page(None)
def link_use(ctx: Ctx) -> Response:
    """Spend the login link and start a session."""
    token = ctx.request.path_params["token"]
    member = web_sessions.use_login_token(ctx.db, token)
    if member is None:
        return _limited(ctx, f"bad-link:{_client(ctx)}", PER_IP) or _bad_link(ctx)
    old = ctx.request.cookies.get(SESSION_COOKIE)
    if old:
        web_sessions.end_session(ctx.db, old)
    session_id = web_sessions.create_session(
        ctx.db, member_id=member, max_hours=ctx.state.session_hours
    )
    found = web_sessions.member_for_session(ctx.db, member)
    role = found[1] if found else "student"
    target = ctx.field("next")
    landing = "/" if role == "communications" else "/calendar"
    ctx.cookies.append(
        (SESSION_COOKIE, session_id, {"max_age": int(ctx.state.session_hours * 3600)})
    )
    return RedirectResponse(
        target if target.startswith("/") and safe_next(target) == target else landing,
        status_code=303,
    )


@page(None)
def partner_link(ctx: Ctx) -> Response:
    """A partner's secret read-only link: start a partner session and show their page."""
    token = ctx.request.path_params["token"]
    partner = web_sessions.partner_by_link(ctx.db, token)
    if partner is None:
        return _limited(ctx, f"bad-link:{_client(ctx)}", PER_IP) or _bad_link(ctx)
    session_id = web_sessions.create_session(
        ctx.db, partner_id=partner, max_hours=ctx.state.session_hours
    )
    ctx.cookies.append(
        (SESSION_COOKIE, session_id, {"max_age": int(ctx.state.session_hours * 3600)})
    )
    return RedirectResponse("/partner", status_code=303)


@page(None)
def logout(ctx: Ctx) -> Response:
    """End the session at once."""
    session_id = ctx.request.cookies.get(SESSION_COOKIE)
    if session_id:
        web_sessions.end_session(ctx.db, session_id)
    ctx.cookies.append((SESSION_COOKIE, "", {"max_age": 0}))
    ctx.actor = None
    return ctx.redirect("/login", ctx.t("Du er logget ut."))


@page(None)
def language(ctx: Ctx) -> Response:
    """Switch the app's language (a cookie) and go back."""
    chosen = ctx.request.path_params["code"]
    if chosen in LANGUAGES:
        ctx.cookies.append((LANG_COOKIE, chosen, {"max_age": 365 * 24 * 3600}))
    target = safe_next(ctx.field("next"), ctx.actor)
    return RedirectResponse(target, status_code=303)


@page(None)
def root_redirect(ctx: Ctx) -> Response:
    return RedirectResponse(home(ctx.actor) if ctx.actor else "/login", status_code=303)


ROUTES = [
    Route("/login", login_form, methods=["GET"]),
    Route("/login", login_request, methods=["POST"]),
    Route("/login/{token}", link_confirm, methods=["GET"]),
    Route("/login/{token}", link_use, methods=["POST"]),
    Route("/p/{token}", partner_link, methods=["GET"]),
    Route("/logout", logout, methods=["POST"]),
    Route("/lang/{code}", language, methods=["GET"]),
]
