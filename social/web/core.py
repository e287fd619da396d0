"""The request pipeline every page goes through: database, sign-in, CSRF, permission, render.

Handlers are plain functions `handler(ctx) -> Response` decorated with `@page(action)`.
The decorator (the one place these are decided) reads the form, finds the
session, refuses a POST without the right CSRF token, checks `permissions.allowed`
and only then runs the handler in a worker thread. A handler's bad input comes
back as a page with the message beside the field; a SocialError that escapes a
handler becomes a 400 page with its one line, never a 500.
"""

from __future__ import annotations

import hmac
import json
import logging
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from sqlite_utils import Database
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from core import formats
from core.config import Config
from core.errors import SocialError
from social.web import i18n
from social.web.kept import KeptResults
from social.web.permissions import Actor, allowed, home
from social.web.ratelimit import RateLimiter

log = logging.getLogger("social.web")

SESSION_COOKIE = "social_session"
ANON_COOKIE = "social_csrf"
LANG_COOKIE = "social_lang"
FLASH_COOKIE = "social_flash"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
MAX_FORM_FIELDS = 500


@dataclass
class WebState:
    """What every request shares: config, the database file, the rate limiter."""

    config: Config
    db_path: Path
    base_url: str
    limiter: RateLimiter = field(default_factory=RateLimiter)
    _local: threading.local = field(default_factory=threading.local)
    kept: KeptResults = field(init=False)

    def __post_init__(self) -> None:
        self.kept = KeptResults(self.db_path)

    def db(self) -> Database:
        """This thread's connection (SQLite connections are cheap to keep, costly to open)."""
        db = getattr(self._local, "db", None)
        if db is None:
            from db import open_db

            db = open_db(self.db_path, migrate=False)
            self._local.db = db
        return db

    @property
    def session_hours(self) -> float:
        return float(self.config.get("web", "session_hours"))

    @property
    def idle_minutes(self) -> float:
        return float(self.config.get("web", "idle_minutes"))

    def checklist_items(self) -> list[str]:
        from scheduler.checklist import configured_items

        return configured_items(self.config.get("web", "checklist"))


@dataclass
class Ctx:
    """One request as a handler sees it."""

    request: Request
    state: WebState
    db: Database
    actor: Actor | None
    lang: str
    form: FormData | None
    csrf: str
    cookies: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)
    flash: str | None = None

    @property
    def config(self) -> Config:
        return self.state.config

    @property
    def zone(self) -> str:
        return self.state.config.timezone

    def t(self, text: str, **fields: Any) -> str:
        return i18n.translate(self.lang, text, **fields)

    def wants_json(self) -> bool:
        if self.request.query_params.get("format") == "json":
            return True
        accept = self.request.headers.get("accept", "")
        return "application/json" in accept and "text/html" not in accept

    def is_htmx(self) -> bool:
        return self.request.headers.get("hx-request") == "true"

    def field(self, name: str, default: str = "") -> str:
        """A form field (or query parameter for GET) as trimmed text."""
        source: Mapping[str, Any] = (
            self.form if self.form is not None else self.request.query_params
        )
        value = source.get(name, default)
        return value.strip() if isinstance(value, str) else default

    def fields(self, name: str) -> list[str]:
        source = self.form if self.form is not None else self.request.query_params
        return [v.strip() for v in source.getlist(name) if isinstance(v, str) and v.strip()]

    def allowed(self, action: str, **kwargs: Any) -> bool:
        return allowed(self.actor, action, **kwargs)

    def require(self, action: str, **kwargs: Any) -> None:
        if not allowed(self.actor, action, **kwargs):
            raise Forbidden()

    def render(
        self,
        template: str,
        data: dict[str, Any],
        *,
        title: str = "",
        status: int = 200,
        json_data: Any = None,
        headers: dict[str, str] | None = None,
    ) -> Response:
        """The page as HTML, or its data as JSON when asked for (?format=json)."""
        if self.wants_json():
            payload = json_data if json_data is not None else _jsonable(data)
            return JSONResponse(payload, status_code=status, headers=headers)
        from social.web.templating import render_template

        html = render_template(self, template, {**data, "title": title})
        return HTMLResponse(html, status_code=status, headers=headers)

    def redirect(self, url: str, message: str | None = None) -> Response:
        """See-other to a page of this app; the message is shown there once."""
        if message:
            self.cookies.append((FLASH_COOKIE, quote(message), {"max_age": 60}))
        if self.is_htmx():
            return Response(status_code=204, headers={"HX-Redirect": url})
        return RedirectResponse(url, status_code=303)

    # formatting helpers for templates and JSON
    def num(self, value: float | None, decimals: int = 0) -> str:
        return formats.number(value, self.lang, decimals)

    def pct(self, value: float | None, decimals: int = 1) -> str:
        return formats.percent(value, self.lang, decimals)

    def day(self, value: date | datetime | str | None) -> str:
        if value is None or value == "":
            return "–"
        if isinstance(value, str):
            value = date.fromisoformat(value[:10])
        return formats.day(value, self.lang)

    def moment(self, value: datetime | str | None) -> str:
        if value is None or value == "":
            return "–"
        if isinstance(value, str):
            from zoneinfo import ZoneInfo

            from core.timeutil import from_utc_iso

            value = from_utc_iso(value).astimezone(ZoneInfo(self.zone))
        return formats.moment(value, self.lang)


class Forbidden(Exception):
    """The actor may not do this."""


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items() if not callable(v)}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if hasattr(value, "as_dict"):
        return _jsonable(value.as_dict())
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if hasattr(value, "__dataclass_fields__"):
        return _jsonable({k: getattr(value, k) for k in value.__dataclass_fields__})
    return str(value)


# --- the pipeline -----------------------------------------------------------------------------


def state_of(request: Request) -> WebState:
    state: WebState = request.app.state.web
    return state


def page(action: str | None) -> Callable[[Callable[[Ctx], Response]], Any]:
    """Wrap a handler: action None = public page; else the permission it needs."""

    def wrap(handler: Callable[[Ctx], Response]) -> Any:
        async def endpoint(request: Request) -> Response:
            form = None
            if request.method == "POST":
                try:
                    form = await request.form(max_files=0, max_fields=MAX_FORM_FIELDS)
                except Exception:  # noqa: BLE001 - a malformed body is bad input, not a crash
                    return HTMLResponse("Bad request: the form could not be read", status_code=400)
            return await run_in_threadpool(_run, request, form, handler, action)

        endpoint.__name__ = handler.__name__
        endpoint.__doc__ = handler.__doc__
        return endpoint

    return wrap


def _run(
    request: Request,
    form: FormData | None,
    handler: Callable[[Ctx], Response],
    action: str | None,
) -> Response:
    from social.web import auth

    state = state_of(request)
    db = state.db()
    actor = auth.current_actor(request, state, db)
    anon = request.cookies.get(ANON_COOKIE, "")
    new_anon = None
    if actor is None and not _valid_anon(anon):
        anon = new_anon = auth.new_anon_token()
    csrf = actor.csrf if actor else anon
    ctx = Ctx(request, state, db, actor, choose_language(request, state, actor), form, csrf)
    ctx.flash = _flash(request)
    if ctx.flash:
        ctx.cookies.append((FLASH_COOKIE, "", {"max_age": 0}))
    if new_anon:
        ctx.cookies.append((ANON_COOKIE, new_anon, {"samesite": "strict"}))
    try:
        if request.method == "POST" and not _csrf_ok(request, form, csrf):
            response = error_page(
                ctx,
                403,
                ctx.t(
                    "Skjemaet var utløpt eller kom fra et annet nettsted. Last siden på nytt og prøv igjen."
                ),
            )
        elif action is not None and actor is None:
            response = _login_required(ctx)
        elif action is not None and not allowed(actor, action):
            response = error_page(ctx, 403, ctx.t("Du har ikke tilgang til denne siden."))
        else:
            response = handler(ctx)
    except Forbidden:
        response = error_page(ctx, 403, ctx.t("Du har ikke tilgang til å gjøre dette."))
    except NotFound as exc:
        response = error_page(ctx, 404, str(exc) or ctx.t("Fant ikke siden."))
    except SocialError as exc:
        response = error_page(ctx, 400, str(exc))
    secure = is_https(request, state)
    for name, value, options in ctx.cookies:
        response.set_cookie(
            name,
            value,
            httponly=True,
            secure=secure,
            samesite=options.get("samesite", "lax"),
            max_age=options.get("max_age"),
            path="/",
        )
    return response


class NotFound(Exception):
    """A thing the URL names does not exist."""


def _valid_anon(value: str) -> bool:
    return 30 <= len(value) <= 64 and value.replace("-", "").replace("_", "").isalnum()


def _csrf_ok(request: Request, form: FormData | None, expected: str) -> bool:
    origin = request.headers.get("origin")
    if origin and origin != "null":
        host = request.headers.get("host", "")
        if urlsplit(origin).netloc != host:
            return False
    given = request.headers.get(CSRF_HEADER) or ""
    if not given and form is not None:
        value = form.get(CSRF_FIELD)
        given = value if isinstance(value, str) else ""
    return bool(expected) and bool(given) and hmac.compare_digest(given, expected)


def _flash(request: Request) -> str | None:
    raw = request.cookies.get(FLASH_COOKIE)
    return unquote(raw)[:300] if raw else None


def _login_required(ctx: Ctx) -> Response:
    if ctx.request.method == "GET" and not ctx.wants_json():
        path = ctx.request.url.path
        if ctx.request.url.query:
            path += "?" + ctx.request.url.query
        return RedirectResponse("/login?next=" + quote(path, safe=""), status_code=303)
    return error_page(ctx, 401, ctx.t("Du må logge inn."))


def error_page(ctx: Ctx, status: int, message: str) -> Response:
    if ctx.wants_json() or ctx.request.headers.get("x-requested-with") == "fetch":
        return JSONResponse({"error": message}, status_code=status)
    return ctx.render(
        "error.html", {"message": message, "status": status}, title=ctx.t("Feil"), status=status
    )


def choose_language(request: Request, state: WebState, actor: Actor | None) -> str:
    chosen = request.cookies.get(LANG_COOKIE)
    if chosen in i18n.LANGUAGES:
        return str(chosen)
    if actor is not None and actor.language in i18n.LANGUAGES:
        return actor.language
    return state.config.language if state.config.language in i18n.LANGUAGES else "nb"


def is_https(request: Request, state: WebState) -> bool:
    return request.url.scheme == "https" or state.base_url.startswith("https://")


def safe_next(target: str | None, actor: Actor | None = None) -> str:
    """A redirect target inside this app (never another site)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return home(actor) if actor else "/"


def json_dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=True)
