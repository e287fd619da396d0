"""The application's side of the scheduler: the jobs `social tick` and `social scheduler run` run.

The scheduler only knows the `scheduler.jobs.Jobs` record; this module fills it
with the sync, the weekly report and the token statuses. Their modules are
imported when a job runs, so `social tick` starts without loading them.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlite_utils import Database

from core.config import Config
from scheduler.jobs import ExpiringToken, Jobs


def application_jobs() -> Jobs:
    """The jobs as the application runs them."""
    return Jobs(sync=sync, weekly_report=weekly_report, expiring_tokens=expiring_tokens)


def sync(config: Config, db: Database) -> list[str]:
    """Sync the enabled platforms; one summary line each."""
    from social.sync import run_sync

    return [summary.line() for summary in run_sync(config, db)]


def weekly_report(config: Config, db: Database, week: str) -> Path:
    """Build, save and e-mail the week's report."""
    from social.reports.weekly import send_weekly

    return send_weekly(config, db, week=week)


def expiring_tokens(config: Config, now: datetime) -> list[ExpiringToken]:
    """The tokens in use that run out soon; a token not connected is not news every morning."""
    from collectors.auth import TokenStore, token_entries, token_statuses

    entries = {entry.label: entry for entry in token_entries()}
    out = []
    for status in token_statuses(config, TokenStore(config.token_file), now=now):
        if status.source == "none" or not status.warning:
            continue
        entry = entries[status.platform]  # status.platform is the token's label
        out.append(ExpiringToken(entry.label, entry.platform, entry.renew, status.days_left or 0.0))
    return out
