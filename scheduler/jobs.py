"""The work the scheduler runs but does not own: a sync, the weekly report, token expiry.

The scheduler decides when these run, never how: it sits below the application,
so nothing in `scheduler/` imports `social` or `collectors`. The application
builds a `Jobs` record (`social.jobs.application_jobs`) and passes it to
`scheduler.tick.run_tick` and `scheduler.service.build_scheduler`; a test passes
fakes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlite_utils import Database

from core.config import Config


@dataclass(frozen=True)
class ExpiringToken:
    """A token in use that runs out soon (or has run out): what its reminder needs."""

    label: str  # the token's entry in the token file: one reminder a day per token
    platform: str  # the platform it opens, named in the message
    renew: str  # the command that renews this token
    days_left: float  # 0 or less: expired


# Sync the enabled platforms; one line per platform for the log.
Sync = Callable[[Config, Database], list[str]]
# Build and e-mail the report of an ISO week ('2026-W48'); the file it was saved as.
WeeklyReport = Callable[[Config, Database, str], Path]
# The tokens that run out soon at a moment.
ExpiringTokens = Callable[[Config, datetime], list[ExpiringToken]]


@dataclass(frozen=True)
class Jobs:
    """The application's jobs, injected into the scheduler."""

    sync: Sync
    weekly_report: WeeklyReport
    expiring_tokens: ExpiringTokens
