"""One pass of everything due: reminders (with retries), the weekly report, optionally a sync.

`social tick` runs this from cron or a systemd timer; the service runs the same
pieces on its own schedule. The ledger makes every delivery happen once, so
running a pass twice (or in two processes) sends nothing twice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlite_utils import Database

from core.config import Config
from core.errors import ConfigError, SocialError
from core.redact import redact
from core.timeutil import iso_week, last_complete_week, local_date, utcnow
from scheduler import channels, ledger
from scheduler.channels import Channel, Note
from scheduler.jobs import ExpiringTokens, Jobs, WeeklyReport
from scheduler.reminders import due_reminders

WEEKLY_LATE = timedelta(days=3)  # a weekly report more than this late is not sent any more


@dataclass
class Outcome:
    """What a pass did, one line per delivery."""

    lines: list[str] = field(default_factory=list)
    sent: int = 0
    failed: int = 0
    skipped: int = 0

    def summary(self) -> str:
        return f"{self.sent} sent, {self.failed} failed, {self.skipped} skipped (superseded)"


def send_reminders(
    db: Database,
    config: Config,
    *,
    now: datetime | None = None,
    channel: str | None = None,
    dry_run: bool = False,
    echo: Callable[[str], None] | None = None,
    tokens: ExpiringTokens | None = None,
) -> Outcome:
    """Deliver every due reminder once, through the person's channel (or `channel`).

    `tokens` is the application's `Jobs.expiring_tokens`; without it no token reminders.
    """
    now = now or utcnow()
    attempts = int(config.get("reminders", "max_attempts"))
    if channel is not None and channel not in channels.available(config):
        # Said before anything is claimed: a forced channel that cannot work records nothing.
        raise ConfigError(
            f"--channel {channel}: {channel} is not set up; "
            + (
                "set [email] host and sender in social.toml"
                if channel == "email"
                else f"set SOCIAL_{channel.upper()}_WEBHOOK or [reminders] {channel}_webhook"
            )
        )
    outcome = Outcome()
    built: dict[str, Channel] = {}
    for reminder in due_reminders(db, config, now, tokens=tokens):
        name = channel or channels.choose(config, reminder.recipient)
        key = ledger.Key(reminder.subject, reminder.rule, reminder.member_id, name)
        label = f"{reminder.rule} {reminder.subject} -> {reminder.recipient.name} ({name})"
        if dry_run:
            verb = "would skip (a nearer one is due)" if reminder.skip else "would send"
            outcome.lines.append(f"{verb} {label}: {reminder.text.subject}")
            continue
        if reminder.skip:
            outcome.skipped += ledger.skip(db, key, reminder.due_at)
            continue
        row_id = ledger.claim(db, key, reminder.due_at, now, max_attempts=attempts)
        if row_id is None:
            continue
        try:
            if name not in built:
                built[name] = channels.build(config, name, echo=echo)
            built[name].send(Note(reminder.recipient, reminder.text.subject, reminder.text.body))
        except SocialError as exc:  # DeliveryError, or a setting that is missing
            again = ledger.failed(
                db,
                row_id,
                str(exc),
                now,
                max_attempts=attempts,
                retry_after=getattr(exc, "retry_after", None),
                permanent=getattr(exc, "permanent", False),
            )
            outcome.failed += 1
            outcome.lines.append(
                f"failed {label}: {redact(str(exc))}" + ("; will retry" if again else "; gave up")
            )
            continue
        ledger.sent(db, row_id, now)
        outcome.sent += 1
        outcome.lines.append(f"sent {label}")
    return outcome


def cron_trigger(cron: str, zone: str) -> Any:
    """An APScheduler CronTrigger for a crontab expression in local time."""
    from apscheduler.triggers.cron import CronTrigger

    try:
        return CronTrigger.from_crontab(cron, timezone=zone)
    except ValueError as exc:
        raise SocialError(f"bad cron expression '{cron}' ({exc}); use e.g. '0 7 * * mon'") from None


def next_fire(cron: str, zone: str, now: datetime) -> datetime | None:
    """The next moment after `now` matching a crontab expression."""
    moment: datetime | None = cron_trigger(cron, zone).get_next_fire_time(None, now)
    return moment


def last_fire(cron: str, zone: str, now: datetime) -> datetime | None:
    """The latest moment at or before `now` matching a crontab expression (local time)."""
    trigger = cron_trigger(cron, zone)
    moment = trigger.get_next_fire_time(None, now - timedelta(days=8))
    latest = None
    while moment is not None and moment <= now:
        latest = moment
        moment = trigger.get_next_fire_time(moment, moment + timedelta(seconds=1))
    return latest


def send_weekly_report(
    db: Database, config: Config, report: WeeklyReport, *, now: datetime | None = None
) -> str | None:
    """E-mail last week's report once through `report`, when due and recipients are set."""
    recipients = [str(r) for r in config.get("reports", "recipients")]
    if not recipients or not config.get("email", "host"):
        return None
    now = now or utcnow()
    fired = last_fire(str(config.get("scheduler", "weekly_report_cron")), config.timezone, now)
    if fired is None or now - fired > WEEKLY_LATE:
        return None
    monday, _ = last_complete_week(local_date(fired, config.timezone))
    week = iso_week(monday)
    key = ledger.Key(f"weekly:{week}", "report", None, "email")
    attempts = int(config.get("reminders", "max_attempts"))
    row_id = ledger.claim(db, key, fired, now, max_attempts=attempts)
    if row_id is None:
        return None
    try:
        path = report(config, db, week)
    except SocialError as exc:
        ledger.failed(db, row_id, str(exc), now, max_attempts=attempts)
        return f"failed weekly report {week}: {exc}"
    ledger.sent(db, row_id, now)
    from db.files import record_written

    record_written(db, path, "report")
    return f"sent weekly report {week} to {len(recipients)} recipient(s); saved as {path}"


def run_tick(
    db: Database,
    config: Config,
    jobs: Jobs,
    *,
    now: datetime | None = None,
    channel: str | None = None,
    dry_run: bool = False,
    sync: bool = False,
    echo: Callable[[str], None] | None = None,
) -> Outcome:
    """Everything due now: a sync if asked, reminders, and the weekly report (the `jobs`)."""
    outcome = Outcome()
    if sync and not dry_run:
        outcome.lines += jobs.sync(config, db)
    reminders = send_reminders(
        db,
        config,
        now=now,
        channel=channel,
        dry_run=dry_run,
        echo=echo,
        tokens=jobs.expiring_tokens,
    )
    outcome.lines += reminders.lines
    outcome.sent, outcome.failed, outcome.skipped = (
        reminders.sent,
        reminders.failed,
        reminders.skipped,
    )
    if not dry_run:
        line = send_weekly_report(db, config, jobs.weekly_report, now=now)
        if line:
            outcome.lines.append(line)
    return outcome
