"""The long-running scheduler (APScheduler 3.x, in the configured zone).

Jobs: the reminder scan every minute (calendar changes are read from the
database each time, so they count without a restart), the sync on its cron,
the weekly report on its cron. Jobs run one at a time on one database
connection; SIGTERM and SIGINT stop the service after the running job.
"""

from __future__ import annotations

import logging
import os
import signal
from collections.abc import Callable
from typing import Any

from sqlite_utils import Database

from core.config import Config
from core.errors import SocialError
from core.redact import redact
from scheduler.jobs import Jobs
from scheduler.tick import cron_trigger, send_reminders, send_weekly_report

log = logging.getLogger("social.scheduler")


def _guarded(name: str, job: Callable[[], None]) -> Callable[[], None]:
    """Run a job; a failure is logged in one line and the service keeps going."""

    def run() -> None:
        try:
            job()
        except SocialError as exc:
            log.error("%s failed: %s", name, redact(str(exc)))
        except Exception as exc:  # noqa: BLE001 - a service must outlive one bad run
            if os.environ.get("SOCIAL_DEBUG"):
                log.exception("%s failed unexpectedly", name)
            else:
                text = redact(f"{type(exc).__name__}: {exc}")
                log.error("%s failed unexpectedly (%s); SOCIAL_DEBUG=1 logs details", name, text)

    return run


def build_scheduler(config: Config, db: Database, jobs: Jobs, *, scheduler: Any = None) -> Any:
    """A configured APScheduler (BlockingScheduler unless one is given) with every job.

    The reminder scan and the backup are the scheduler's own; the sync, the weekly
    report and the token statuses come from `jobs`.
    """
    from apscheduler.executors.pool import ThreadPoolExecutor
    from apscheduler.schedulers.blocking import BlockingScheduler
    from apscheduler.triggers.interval import IntervalTrigger

    zone = config.timezone
    if scheduler is None:
        # One worker: the jobs share one SQLite connection and must not overlap.
        scheduler = BlockingScheduler(
            timezone=zone,
            executors={"default": ThreadPoolExecutor(1)},
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 3600},
        )

    def reminders() -> None:
        outcome = send_reminders(db, config, echo=log.info, tokens=jobs.expiring_tokens)
        for line in outcome.lines:
            log.info(line)

    def sync() -> None:
        for line in jobs.sync(config, db):
            log.info(line)

    def weekly() -> None:
        line = send_weekly_report(db, config, jobs.weekly_report)
        if line:
            log.info(line)

    def nightly_backup() -> None:
        log.info(backup_now(config, db))

    sync_trigger = cron_trigger(str(config.get("scheduler", "sync_cron")), zone)
    weekly_trigger = cron_trigger(str(config.get("scheduler", "weekly_report_cron")), zone)
    scheduler.add_job(_guarded("reminders", reminders), IntervalTrigger(minutes=1), id="reminders")
    scheduler.add_job(_guarded("sync", sync), sync_trigger, id="sync")
    scheduler.add_job(_guarded("weekly report", weekly), weekly_trigger, id="weekly-report")
    backup_cron = str(config.get("backup", "nightly_cron")).strip()
    if backup_cron.lower() != "off":
        scheduler.add_job(
            _guarded("backup", nightly_backup), cron_trigger(backup_cron, zone), id="backup"
        )
    return scheduler


def backup_now(config: Config, db: Database, *, reason: str = "nightly") -> str:
    """Back the database up into [backup] dir and delete automatic backups past keep_days."""
    from db.backup import backup_into_folder, prune

    made = backup_into_folder(db, config.database_path, config.backup_dir, reason)
    removed = prune(
        config.backup_dir, config.database_path, keep_days=int(config.get("backup", "keep_days"))
    )
    gone = f"; deleted {len(removed)} older than {config.get('backup', 'keep_days')} days"
    return f"backup written to {made.path} ({made.size} bytes){gone if removed else ''}"


def run_service(config: Config, db: Database, jobs: Jobs) -> None:
    """Run until SIGTERM or SIGINT."""
    from apscheduler.events import EVENT_SCHEDULER_STARTED

    scheduler = build_scheduler(config, db, jobs)

    def stop(signum: int, _frame: Any) -> None:
        log.info("received %s; stopping after the running job", signal.Signals(signum).name)
        if not scheduler.running:
            raise SystemExit(0)
        scheduler.shutdown(wait=True)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for job in scheduler.get_jobs():
        log.info("job %s: %s", job.id, job.trigger)
    scheduler.add_listener(
        lambda _event: log.info(
            "scheduler running in %s; stop with Ctrl+C or SIGTERM", config.timezone
        ),
        EVENT_SCHEDULER_STARTED,
    )
    scheduler.start()
    log.info("scheduler stopped")
