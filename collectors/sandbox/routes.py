"""Declared routes for the simulated platform APIs.

A sandbox answers a request by trying a table of `Route`s in order: the method
and a path pattern with named parameters (`"/rest/adAccounts/{account}"`), then
the handler. Several platforms may contribute routes to one `Host` (Facebook
and Instagram both talk to the Graph host): the dispatcher tries every part's
routes on that host before it answers "not found" in the host's own error shape.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

import httpx

if TYPE_CHECKING:
    from collectors.sandbox.state import SandboxState


@dataclass
class Call:
    """One request as a route handler sees it.

    `path` is the request's raw (still percent-encoded) path below the host's
    prefix and base path; `args` the named parameters of the route that matched.
    `notes` carries what a host's `before` hook found on to its `after` hook.
    """

    request: httpx.Request
    state: SandboxState
    path: str
    args: dict[str, str] = field(default_factory=dict)
    route: Route | None = None
    notes: dict[str, Any] = field(default_factory=dict)  # what a host's hooks pass on

    @property
    def method(self) -> str:
        return self.request.method

    @property
    def query(self) -> httpx.QueryParams:
        return self.request.url.params


# A handler answers a call, or returns None to let the next matching route try (an id
# that is not one of its objects, on a host it shares with another platform).
Handler = Callable[[Call], "httpx.Response | None"]
# A guard runs before a route's handler: a response refuses the call, None lets it through.
Guard = Callable[[Call], "httpx.Response | None"]


class Refusal(Exception):
    """A request the platform answers with an error: raise it anywhere below a handler."""

    def __init__(self, response: httpx.Response | None = None) -> None:
        super().__init__(response.status_code if response is not None else "refused")
        self._response = response

    def respond(self, call: Call) -> httpx.Response:
        """The error response (subclasses may shape it from the call)."""
        if self._response is None:
            raise NotImplementedError("a Refusal without a response must override respond()")
        return self._response


_PARAM = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class Route:
    """METHOD + path pattern -> handler. `{name}` matches one path segment."""

    method: str  # "GET", "POST", ...
    pattern: str  # "/v2/video/list/", "/{version}/act_{account}/insights"
    handler: Handler
    guard: Guard | None = None  # e.g. the token check; None for public routes (sign-in)
    tags: frozenset[str] = frozenset()  # what a host's hooks may ask of the route ("ads")

    @cached_property
    def _regex(self) -> re.Pattern[str]:
        pieces = _PARAM.split(self.pattern)
        # split() alternates literal text and parameter names.
        regex = "".join(
            f"(?P<{piece}>[^/]+)" if i % 2 else re.escape(piece) for i, piece in enumerate(pieces)
        )
        return re.compile(regex)

    def match(self, path: str) -> dict[str, str] | None:
        """The named parameters if the pattern matches the whole path, else None."""
        found = self._regex.fullmatch(path)
        return found.groupdict() if found else None


def routes(
    *table: tuple[str, str, Handler], guard: Guard | None = None, tags: Sequence[str] = ()
) -> tuple[Route, ...]:
    """Routes sharing one guard and tags, from (method, pattern, handler) rows."""
    return tuple(Route(m, p, h, guard, frozenset(tags)) for m, p, h in table)


@dataclass(frozen=True)
class Host:
    """One simulated API host, served under `/<prefix>` on the sandbox.

    `base_path` is the part of every API path that belongs in the client's
    base_url (TikTok's "/open_api/v1.3"); the routes are written below it.
    `before` runs for every request (the Graph version check), `after` may add to
    every response (usage headers); `not_found`/`not_allowed` answer in the
    platform's error shape; `fault` shapes an injected fault ("500", "429",
    "token_invalid"...) the platform's way, or returns None for the generic shape.
    """

    prefix: str
    not_found: Callable[[Call], httpx.Response]
    not_allowed: Callable[[Call], httpx.Response] | None = None
    base_path: str = ""
    before: Callable[[Call], httpx.Response | None] | None = None
    after: Callable[[Call, httpx.Response], httpx.Response] | None = None
    fault: Callable[[str, Call], httpx.Response | None] | None = None

    def below(self, raw_path: str) -> str:
        """The path below `/<prefix><base_path>`; a path without the prefix is kept whole."""
        path = raw_path
        if path == f"/{self.prefix}" or path.startswith(f"/{self.prefix}/"):
            path = path[len(self.prefix) + 1 :]
        if self.base_path and path.startswith(self.base_path):
            path = path[len(self.base_path) :]
        return path


def raw_path(request: httpx.Request) -> str:
    """The request path as sent (percent-encoding kept: LinkedIn puts URNs in paths)."""
    return request.url.raw_path.decode("ascii").split("?", 1)[0]


def answer(host: Host, tables: Sequence[Sequence[Route]], call: Call) -> httpx.Response:
    """Run the host's hooks and the first route (of any table) that answers the call."""
    try:
        response = _route(host, tables, call)
    except Refusal as refusal:
        response = refusal.respond(call)
    return host.after(call, response) if host.after else response


def _route(host: Host, tables: Sequence[Sequence[Route]], call: Call) -> httpx.Response:
    if host.before is not None:
        early = host.before(call)
        if early is not None:
            return early
    wrong_method = False
    for table in tables:
        for route in table:
            args = route.match(call.path)
            if args is None:
                continue
            if route.method != call.method:
                wrong_method = True
                continue
            call.args, call.route = args, route
            response = route.guard(call) if route.guard else None
            if response is None:
                response = route.handler(call)
            if response is not None:
                return response
    call.args, call.route = {}, None
    if wrong_method and host.not_allowed is not None:
        return host.not_allowed(call)
    return host.not_found(call)
