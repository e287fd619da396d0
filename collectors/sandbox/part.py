"""What one platform contributes to the sandbox and to `social demo`: a `SandboxPart`.

How a platform declares its sandbox
-----------------------------------
1. In `collectors/<platform>/sandbox.py`, write route handlers that take a
   `Call` (request, state, path below the host, named `args`) and return an
   `httpx.Response` (or None: "not one of mine, try the next route"); raise a
   `Refusal` subclass anywhere below them for an error in the platform's shape.
2. Declare the hosts it talks to: a `Host` per API host (prefix under the
   sandbox, base path, error shapes, hooks), or reuse a shared one: the Graph
   host in `collectors.sandbox.graph` serves every Meta platform, each adding
   its own routes to it.
3. Declare the part:

       PART = SandboxPart(
           platform="tiktok",
           mounts=(Mount(OPEN, OPEN_ROUTES), Mount(BUSINESS, ROUTES, "business_base_url")),
           accounts={"business_id": BUSINESS_ID, "advertiser_ids": [ADVERTISER_ID]},
           settings={"client_key": "sandbox-client"},
           tokens=write_tokens,
           demo=DemoPlan(ad_campaigns=("1780000000000002",)),
       )

   and point the platform record at it: `sandbox="collectors.tiktok.sandbox:PART"`
   in `collectors/<platform>/platform.py`.

That is all: `collectors.sandbox.Sandbox` routes `/<prefix>/...` to every part
mounted on that prefix (in registry order), `social demo` writes the part's
social.toml section (`enabled`, one base_url per mount, `accounts`, `settings`)
and tokens, and `db.seed` plans the demo campaign with its `DemoPlan`. A part
can also answer on its own: `PART.handle(request, state)` (tests), with or
without the host prefix in the path.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import httpx

from collectors.sandbox.routes import Call, Host, Route, answer, raw_path
from core.timeutil import utcnow

if TYPE_CHECKING:
    from collectors.auth import TokenStore
    from collectors.sandbox.state import SandboxState
    from core.config import Config

DEMO_TOKEN = "sandbox-demo-token"  # a test token every sandbox host accepts
DEMO_TOKEN_DAYS = 59  # the demo's expiring tokens: well inside a 60-day lifetime

# Writes a platform's sandbox tokens to the token file. With a config (pointing at a
# running sandbox) it may sign in through the sandbox, as a real token is obtained.
TokenWriter = Callable[["TokenStore", "Config | None", "httpx.BaseTransport | None"], None]


@dataclass(frozen=True)
class Mount:
    """A platform's routes on one host, and the social.toml key that holds that host's URL."""

    host: Host
    routes: Sequence[Route]
    config_key: str = "base_url"


@dataclass(frozen=True)
class DemoPlan:
    """What the platform adds to the demo's planning data (db/seed.py).

    `ad_campaigns`: ids of its sandbox ad campaigns the demo campaign groups;
    `targets`: (kpi, origin, target) campaign targets for this platform alone;
    `plans_videos`: the team plans this platform's videos in the calendar;
    `brief_template`: the partner brief template the demo drafts for it.
    """

    ad_campaigns: tuple[str, ...] = ()
    targets: tuple[tuple[str, str, float], ...] = ()
    plans_videos: bool = False
    brief_template: str = ""


def demo_expiry() -> str:
    """When the demo's expiring tokens expire (ISO 8601, UTC), as a token file stores it."""
    return (utcnow() + timedelta(days=DEMO_TOKEN_DAYS)).strftime("%Y-%m-%dT%H:%M:%SZ")


def _no_tokens(store: TokenStore, config: Config | None, transport: Any) -> None:
    """A platform whose sandbox needs no stored token (any "sandbox-" token is accepted)."""


@dataclass(frozen=True)
class SandboxPart:
    """One platform's sandbox: its hosts and routes, ids, demo tokens and demo config."""

    platform: str  # the registry name, also the social.toml section
    mounts: tuple[Mount, ...]
    # The account ids it answers for, under the social.toml keys that name them.
    accounts: Mapping[str, Any] = field(default_factory=dict)
    # Other keys of its demo social.toml section (sandbox app ids).
    settings: Mapping[str, Any] = field(default_factory=dict)
    tokens: TokenWriter = _no_tokens
    demo: DemoPlan = DemoPlan()

    def base_urls(self, base: str) -> dict[str, str]:
        """social.toml key -> URL of each host, for a sandbox served at `base`."""
        return {m.config_key: f"{base}/{m.host.prefix}{m.host.base_path}" for m in self.mounts}

    def config_section(self, base: str) -> dict[str, Any]:
        """The part's demo social.toml section, for a sandbox served at `base`."""
        return {"enabled": True, **self.base_urls(base), **self.accounts, **self.settings}

    def handle(self, request: httpx.Request, state: SandboxState) -> httpx.Response:
        """Answer a request with this part's routes alone (the host prefix is optional)."""
        path = raw_path(request)
        mount = next(
            (m for m in self.mounts if path.startswith(f"/{m.host.prefix}/")), self.mounts[0]
        )
        call = Call(request, state, mount.host.below(path))
        return answer(mount.host, [mount.routes], call)
