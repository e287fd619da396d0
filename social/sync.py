"""The sync orchestrator: run collectors, store each page in its own transaction, log the run.

A platform that fails (an expired token, an answer with a missing field) stops
alone: the others still sync. Every run is logged in `sync_runs`; a run stopped
by Ctrl+C or SIGTERM is marked 'interrupted' on its way out, and one left
'running' by a process that died is marked 'interrupted' by the next run.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

import httpx
from sqlite_utils import Database

from collectors.auth import TokenStore
from collectors.base import BuildContext, Progress, SyncOptions, build_collector
from collectors.http import LAST_ENDPOINT
from core import registry
from core.config import Config
from core.domain import Account
from core.errors import SocialError
from core.timeutil import local_date, utcnow
from db import queries, writes
from scheduler.matching import match_published_posts

# What a payload we do not understand raises while a collector reads it.
PAYLOAD_ERRORS = (KeyError, TypeError, ValueError, AttributeError, IndexError)


@dataclass
class SyncSummary:
    """The outcome of syncing one platform."""

    platform: str
    outcome: str  # ok | failed | skipped | interrupted
    new_posts: int = 0
    updated_values: int = 0
    requests: int = 0
    seconds: float = 0.0
    error: str | None = None
    warnings: list[str] = field(default_factory=list)

    def line(self) -> str:
        """One summary line for the terminal."""
        if self.outcome == "skipped":
            return f"{self.platform}: skipped ({self.error})"
        head = (
            f"{self.platform}: {self.new_posts} new posts, {self.updated_values} updated values, "
            f"{self.requests} requests, {self.seconds:.1f} s"
        )
        if self.outcome == "ok":
            return head
        if self.outcome == "interrupted":
            return f"{head}; INTERRUPTED: the next sync finishes the job"
        return f"{head}; FAILED: {self.error}"


class Interrupted(BaseException):
    """The sync was asked to stop (SIGTERM); like Ctrl+C, it is not an error of the sync."""


class DbSyncState:
    """SyncState backed by the database (read-only)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def bookmark(self, account: Account, stream: str) -> str | None:
        return queries.bookmark(self.db, account, stream)

    def known_posts(
        self,
        platform: str,
        *,
        published_since: datetime | None = None,
        organic_only: bool = False,
    ) -> list[str]:
        return queries.known_posts(
            self.db, platform, published_since=published_since, organic_only=organic_only
        )


def enabled_platforms(config: Config) -> list[str]:
    """Platforms switched on in social.toml."""
    return [p for p in registry.names() if config.get(p, "enabled")]


def sync_options(
    config: Config, *, since: date | None = None, full: bool = False, now: datetime | None = None
) -> SyncOptions:
    """Sync options from the config and the command line."""
    now = now or utcnow()
    return SyncOptions(
        now=now,
        today=local_date(now, config.timezone),
        timezone=config.timezone,
        since=since,
        full=full,
        backfill_days=int(config.get("sync", "backfill_days")),
        refresh_days=int(config.get("sync", "refresh_days")),
        ads_lookback_days=int(config.get("sync", "ads_lookback_days")),
        organic_lookback_days=int(config.get("sync", "organic_lookback_days")),
    )


def run_sync(
    config: Config,
    db: Database,
    platforms: Sequence[str] | None = None,
    *,
    since: date | None = None,
    full: bool = False,
    now: datetime | None = None,
    transport: httpx.BaseTransport | None = None,
    sleep: Callable[[float], None] | None = None,
    on_progress: Callable[[str], None] | None = None,
    on_stage: Callable[[str], None] | None = None,
) -> list[SyncSummary]:
    """Sync the given (default: enabled) platforms; a failing platform does not stop the others.

    `on_stage(name)` is called whenever a collector starts a stage, after the
    previous stage's pages are stored.
    """
    options = sync_options(config, since=since, full=full, now=now)
    tokens = TokenStore(config.token_file)
    writes.mark_dead_runs(db)
    summaries = []
    with sandbox_if_configured(config, transport):
        for platform in platforms or enabled_platforms(config):
            summaries.append(
                _sync_platform(
                    platform, config, db, options, tokens, transport, sleep, on_progress, on_stage
                )
            )
    # Slots whose post has now arrived are marked published (a manual link always wins).
    match_published_posts(db, window_hours=float(config.get("calendar", "match_window_hours")))
    return summaries


@contextlib.contextmanager
def sandbox_if_configured(
    config: Config, transport: httpx.BaseTransport | None = None
) -> Iterator[None]:
    """Serve the built-in sandbox for the sync when social.toml asks for it ([sandbox] autostart).

    `social demo` writes such a config, so `social sync` in the demo folder works
    after the demo's own server is gone. A sandbox already listening on the port
    (`social sandbox serve`) is used as it is.
    """
    if transport is not None or not config.get("sandbox", "autostart"):
        yield
        return
    from collectors.sandbox.server import serve_configured

    with serve_configured(config):
        yield


def _sync_platform(
    platform: str,
    config: Config,
    db: Database,
    options: SyncOptions,
    tokens: TokenStore,
    transport: httpx.BaseTransport | None,
    sleep: Callable[[float], None] | None,
    on_progress: Callable[[str], None] | None,
    on_stage: Callable[[str], None] | None,
) -> SyncSummary:
    started = time.monotonic()
    summary = SyncSummary(platform, "failed")
    try:
        collector = build_collector(platform, BuildContext(config, tokens, transport, sleep))
    except SocialError as exc:
        return SyncSummary(platform, "skipped", error=str(exc))
    progress = Progress(
        on_advance=on_progress or (lambda description: None),
        on_stage=on_stage or (lambda name: None),
    )
    run_id = writes.start_sync_run(db, platform)
    state = DbSyncState(db)
    account_ids: dict[Account, int] = {}
    result = writes.PageResult()
    LAST_ENDPOINT.set("")
    try:
        for batch in collector.collect(options, state, progress):
            if batch.account not in account_ids:
                account_ids[batch.account] = writes.upsert_account(db, batch.account)
            result += writes.save_page(db, account_ids[batch.account], batch.page, source="api")
        summary.outcome = "ok"
    except SocialError as exc:
        summary.error = str(exc)
    except PAYLOAD_ERRORS as exc:
        summary.error = unexpected_payload(platform, exc)
        if os.environ.get("SOCIAL_DEBUG"):
            traceback.print_exc(file=sys.stderr)
    except BaseException as exc:
        summary.outcome = "interrupted"
        summary.error = f"interrupted ({type(exc).__name__}); the next sync finishes the job"
        raise
    finally:
        summary.requests = collector.requests
        collector.close()
        summary.new_posts = result.new_posts
        summary.updated_values = result.updated_values
        summary.warnings = progress.warnings
        summary.seconds = time.monotonic() - started
        writes.finish_sync_run(
            db,
            run_id,
            outcome=summary.outcome,
            new_posts=summary.new_posts,
            updated_values=summary.updated_values,
            requests=summary.requests,
            error=summary.error,
            warnings=summary.warnings,
        )
    return summary


def unexpected_payload(platform: str, exc: BaseException) -> str:
    """One line naming the platform, the endpoint and the field of an answer we could not read."""
    endpoint = LAST_ENDPOINT.get() or "an endpoint"
    if isinstance(exc, KeyError):
        what = f"field {exc.args[0]!r} is missing" if exc.args else "a field is missing"
    else:
        what = f"a field has an unexpected value ({type(exc).__name__}: {exc})"
    return (
        f"{platform}: unexpected answer from {endpoint}: {what}; the platform may have changed "
        "its API. Data stored so far is kept and the other platforms were synced; run with "
        "SOCIAL_DEBUG=1 for details and report it"
    )
