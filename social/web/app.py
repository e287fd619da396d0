"""The web app factory: routes per area, static files, security headers, a redacting access log."""

from __future__ import annotations

import contextlib
import logging
import re
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from core.config import Config
from social.web import results
from social.web.core import WebState

log = logging.getLogger("social.web")
access_log = logging.getLogger("social.web.access")

STATIC = Path(__file__).parent / "static"
PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "frame-src 'self'; frame-ancestors 'self'; form-action 'self'; base-uri 'none'; "
    "object-src 'none'"
)
# Path segments that are secrets (login tokens, partner links, feed tokens): never logged.
_SECRET_PATH = re.compile(r"^(/login/|/p/|/feeds/)[^/?]+")


def routes() -> list[Any]:
    from social.web import platform_css
    from social.web.routes import (
        calendar,
        campaigns,
        login,
        me,
        overview,
        partners,
        posts,
        reports,
        team,
    )

    found: list[Any] = []
    for module in (login, overview, calendar, me, posts, campaigns, partners, team, reports):
        found += module.ROUTES
    found += platform_css.ROUTES  # before the static mount, which would answer it otherwise
    found.append(Mount("/static", app=StaticFiles(directory=STATIC), name="static"))
    return found


def create_app(
    config: Config, *, base_url: str | None = None, db_path: Path | None = None
) -> Starlette:
    """The ASGI app over the configured database (migrated once here)."""
    from db import open_db
    from social.web.auth import default_base_url

    path = Path(db_path) if db_path is not None else config.database_path
    open_db(path).conn.close()  # apply migrations before any request
    state = WebState(config=config, db_path=path, base_url=base_url or default_base_url(config))

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        state.kept.start(warm_up=lambda: results.warm_up(state))
        try:
            yield
        finally:
            state.kept.stop()

    app = Starlette(
        routes=routes(),
        exception_handlers={404: _not_found, 405: _not_allowed, 500: _server_error},
        lifespan=lifespan,
    )
    app.state.web = state
    app.add_middleware(SecurityHeaders)
    return app


def redact(path: str) -> str:
    """A request path as it may be logged: secret tokens replaced."""
    return _SECRET_PATH.sub(lambda m: m.group(1) + "[redacted]", path)


class SecurityHeaders:
    """Headers every response carries, and one access-log line per request (secrets redacted)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = {"code": 500}
        static = scope["path"].startswith("/static/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
                headers = list(message.get("headers", []))
                names = {k.lower() for k, _ in headers}
                extra = [
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"no-referrer"),
                    (b"x-frame-options", b"SAMEORIGIN"),
                ]
                if b"content-security-policy" not in names:
                    extra.append((b"content-security-policy", PAGE_CSP.encode()))
                if not static and b"cache-control" not in names:
                    extra.append((b"cache-control", b"no-store"))
                message["headers"] = headers + extra
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        finally:
            access_log.info(
                "%s %s %s %.0f ms",
                scope.get("method", ""),
                redact(scope["path"]),
                status["code"],
                (time.perf_counter() - started) * 1000,
            )


def _simple(status: int, nb: str, en: str) -> HTMLResponse:
    html = (
        '<!doctype html><html lang="nb"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<title>{nb}</title><link rel="stylesheet" href="/static/app.css"></head>'
        f'<body><main id="main" class="narrow"><h1>{nb}</h1><p lang="en">{en}</p>'
        '<p><a href="/">Til forsiden</a></p></main></body></html>'
    )
    return HTMLResponse(html, status_code=status)


async def _not_found(request: Request, exc: Exception) -> Response:
    return _simple(404, "Fant ikke siden", "Page not found.")


async def _not_allowed(request: Request, exc: Exception) -> Response:
    return _simple(405, "Metoden er ikke tillatt", "Method not allowed.")


async def _server_error(request: Request, exc: Exception) -> Response:
    log.error("error on %s %s", request.method, redact(request.url.path), exc_info=exc)
    return _simple(
        500,
        "Noe gikk galt",
        "Something went wrong on our side; nothing was half-saved. Try again.",
    )
