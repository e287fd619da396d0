"""Simulated platform APIs with the real response shapes, one part per installed platform.

One `Sandbox` serves every platform's hosts, each under a path prefix
(`/<prefix>/...`, see CONVENTIONS in the README): in-process through
`httpx.MockTransport(sandbox.handle)`, or as a real HTTP server
(`collectors.sandbox.server`, `social sandbox serve`). Each platform declares its
part (`collectors.sandbox.part.SandboxPart`, named by its registry record's
`sandbox` field); a prefix several parts mount (the Graph host of the Meta
platforms) tries each part's routes in registry order. The world is a pure
function of (seed, today), so later syncs see consistent, growing numbers.
Tokens that start with "sandbox-" are valid.
"""

from __future__ import annotations

from functools import cached_property

import httpx

from collectors.sandbox.part import Mount, SandboxPart
from collectors.sandbox.routes import Call, Host, Route, answer, raw_path
from collectors.sandbox.state import SandboxState
from core.errors import ConfigError
from core.registry import load, platforms

HEALTH_PATH = "/__sandbox__"  # lets `social sync` tell the sandbox from another program

FAULTS = (
    "429",
    "429-retry-after",
    "500",
    "timeout",
    "malformed",
    "rate_limit_envelope",
    "maintenance",
    "token_invalid",
    "qps_limit",
    "query_too_large",
)


def sandbox_parts() -> tuple[SandboxPart, ...]:
    """The sandbox part of every installed platform that has one, in registry order."""
    parts = []
    for record in platforms():
        if record.sandbox:
            part = load(record.sandbox)
            if not isinstance(part, SandboxPart):
                raise ConfigError(
                    f"{record.name}: sandbox = {record.sandbox!r} is not a SandboxPart"
                )
            parts.append(part)
    return tuple(parts)


def host_table(parts: tuple[SandboxPart, ...]) -> dict[str, tuple[Host, list[list[Route]]]]:
    """prefix -> (its host, each part's routes on it); parts on one prefix share its host."""
    table: dict[str, tuple[Host, list[list[Route]]]] = {}
    for part in parts:
        for mount in part.mounts:
            host, tables = table.setdefault(mount.host.prefix, (mount.host, []))
            if mount.host is not host:
                raise ConfigError(
                    f"{part.platform}: /{host.prefix} is already served by another host; "
                    "parts that share a prefix mount the same Host object"
                )
            tables.append(list(mount.routes))
    return table


class Sandbox(SandboxState):
    """Every installed platform's simulated APIs, answering from one state."""

    @cached_property
    def parts(self) -> tuple[SandboxPart, ...]:
        return sandbox_parts()

    @cached_property
    def hosts(self) -> dict[str, tuple[Host, list[list[Route]]]]:
        return host_table(self.parts)

    def inject(self, path_contains: str, *faults: str) -> None:
        """Make the next requests whose path contains `path_contains` fail, one fault each."""
        for fault in faults:
            if fault not in FAULTS:
                raise ValueError(f"unknown fault {fault!r}; use one of {', '.join(FAULTS)}")
            self.faults.append((path_contains, fault))

    def handle(self, request: httpx.Request) -> httpx.Response:
        """Answer one request as the platform would."""
        path = request.url.path
        if path == HEALTH_PATH:
            return httpx.Response(200, json={"sandbox": True, "seed": self.seed})
        prefix = path.strip("/").split("/", 1)[0]
        with self.lock:
            self.requests[path] += 1
            fault = next((f for f in self.faults if f[0] in path), None)
            if fault:
                self.faults.remove(fault)
        if prefix not in self.hosts:
            return httpx.Response(404, json={"error": f"no sandbox platform at /{prefix}"})
        host, tables = self.hosts[prefix]
        call = Call(request, self, host.below(raw_path(request)))
        if fault:
            return _fault(fault[1], host, call)
        return answer(host, tables, call)

    @property
    def total_requests(self) -> int:
        return sum(self.requests.values())


def _fault(kind: str, host: Host, call: Call) -> httpx.Response:
    """An injected fault: the host's own shape of it, else a generic one."""
    if kind == "timeout":
        raise httpx.ReadTimeout("sandbox: injected timeout", request=call.request)
    shaped = host.fault(kind, call) if host.fault else None
    if shaped is not None:
        return shaped
    if kind == "malformed":
        return httpx.Response(
            200, content=b'{"data": {"items": [', headers={"Content-Type": "application/json"}
        )
    if kind in ("429", "429-retry-after"):
        headers = {"Retry-After": "1"} if kind == "429-retry-after" else {}
        return httpx.Response(429, headers=headers, json={"error": "rate limit exceeded"})
    return httpx.Response(500, json={"error": kind})


__all__ = ["FAULTS", "HEALTH_PATH", "Mount", "Sandbox", "SandboxPart", "SandboxState"]
