"""`social scheduler run|status|ledger` and `social tick`."""

from __future__ import annotations

from datetime import datetime

import click

from core.errors import SocialError
from scheduler.channels import CHANNELS
from social.cli.common import Workspace, emit_rows, format_option, pass_workspace


def _when(text: str | None) -> datetime | None:
    """--now as an ISO moment (naive means local time in the configured zone)."""
    from core.timeutil import check_range

    if text is None:
        return None
    try:
        if not text.isascii():
            raise ValueError(text)
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise SocialError(
            f"--now '{text[:40]}' is not an ISO date and time like 2026-12-01T16:00"
        ) from None
    try:
        check_range(moment.date(), text)
    except ValueError as exc:
        raise SocialError(f"--now {exc}") from None
    return moment


def _aware(moment: datetime | None, zone: str) -> datetime | None:
    from zoneinfo import ZoneInfo

    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=ZoneInfo(zone))


@click.command()
@click.option("--now", "now_text", help="Pretend it is this moment (ISO; local time if no zone).")
@click.option("--channel", type=click.Choice(CHANNELS), help="Send everything this way.")
@click.option("--dry-run", is_flag=True, help="Show what is due; send and record nothing.")
@click.option("--sync", "with_sync", is_flag=True, help="Sync the platforms first.")
@pass_workspace
def tick(
    ws: Workspace, now_text: str | None, channel: str | None, dry_run: bool, with_sync: bool
) -> None:
    """Run one pass of everything due: reminders, retries, the weekly report.

    Safe to run as often as you like (cron, a systemd timer): every reminder
    goes out once, even when two passes run at the same time.

    \b
    Example:
      social tick
      social tick --dry-run --now "2026-12-01 14:00"
      social tick --channel console
      */5 * * * *  cd ~/social && social tick --sync   # crontab
    """
    from scheduler.tick import run_tick
    from social.jobs import application_jobs

    now = _aware(_when(now_text), ws.config.timezone)
    outcome = run_tick(
        ws.db,
        ws.config,
        application_jobs(),
        now=now,
        channel=channel,
        dry_run=dry_run,
        sync=with_sync,
    )
    for line in outcome.lines:
        click.echo(line)
    click.echo(("Dry run: " if dry_run else "") + outcome.summary())
    if outcome.failed:
        raise SystemExit(1)


@click.group()
def scheduler() -> None:
    """The long-running scheduler service and its reminder ledger.

    \b
    Example:
      social scheduler run
      social scheduler status
      social scheduler ledger --status failed
    """


@scheduler.command("run")
@click.option("--verbose", is_flag=True, help="Also log APScheduler's own messages.")
@pass_workspace
def run(ws: Workspace, verbose: bool) -> None:
    """Run the service: reminders every minute, sync and weekly report on their crons.

    Settings: [scheduler] sync_cron and weekly_report_cron, [reminders] and
    [email]. Stops cleanly on Ctrl+C or SIGTERM.

    \b
    Example:
      social scheduler run
      systemctl --user start social-scheduler   # see README for the unit file
    """
    import logging

    from scheduler.service import run_service
    from social.jobs import application_jobs

    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    logging.getLogger("apscheduler").setLevel(logging.INFO if verbose else logging.WARNING)
    run_service(ws.config, ws.db, application_jobs())


@scheduler.command("status")
@format_option("table", "json")
@pass_workspace
def status(ws: Workspace, fmt: str) -> None:
    """Next runs of the service's jobs, reminders due now, and failed deliveries.

    \b
    Example:
      social scheduler status
    """
    import json

    from core.timeutil import utcnow
    from scheduler import ledger
    from scheduler.reminders import due_reminders
    from scheduler.tick import next_fire
    from social.jobs import expiring_tokens

    now = utcnow()
    from scheduler import channels

    due = []
    for r in due_reminders(ws.db, ws.config, now, tokens=expiring_tokens):
        channel = channels.choose(ws.config, r.recipient)
        key = ledger.Key(r.subject, r.rule, r.member_id, channel)
        if r.skip or ledger.status_of(ws.db, key) in ("sent", "skipped"):
            continue  # nothing left to do for these
        due.append(
            {"rule": r.rule, "subject": r.subject, "person": r.recipient.name, "channel": channel}
        )
    failed = ledger.rows(ws.db, status="failed")
    crons = {
        key: str(ws.config.get("scheduler", key)) for key in ("sync_cron", "weekly_report_cron")
    }
    upcoming = {k: next_fire(v, ws.config.timezone, now) for k, v in crons.items()}
    if fmt == "json":
        data = {
            "crons": crons,
            "next_run": {k: v.isoformat() if v else None for k, v in upcoming.items()},
            "due": due,
            "failed": failed,
        }
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    for setting, cron in crons.items():
        when = upcoming[setting]
        click.echo(
            f"{setting}: '{cron}', next {when:%Y-%m-%d %H:%M %Z}"
            if when
            else f"{setting}: '{cron}'"
        )
    click.echo(f"Due now, not yet sent: {len(due)} reminder(s); failed deliveries: {len(failed)}")
    for item in due:
        click.echo(
            f"  due {item['rule']} {item['subject']} -> {item['person']} ({item['channel']})"
        )
    for row in failed:
        click.echo(
            f"  failed {row['rule']} {row['subject']} -> {row['member']}: {row['last_error']}"
        )


@scheduler.command("ledger")
@click.option(
    "--status", "status_", type=click.Choice(["pending", "sending", "sent", "failed", "skipped"])
)
@click.option(
    "--limit",
    default=50,
    show_default=True,
    type=click.IntRange(1, 100_000),
    help="At most this many rows.",
)
@format_option("table", "json", "csv")
@pass_workspace
def ledger_(ws: Workspace, status_: str | None, limit: int, fmt: str) -> None:
    """Reminders sent, failed or skipped, newest first.

    \b
    Example:
      social scheduler ledger --status failed
    """
    from scheduler import ledger

    rows = ledger.rows(ws.db, status=status_, limit=limit)
    columns = ["subject", "rule", "member", "channel", "due_at", "status", "attempts", "last_error"]
    emit_rows(rows, fmt, None if fmt == "json" else columns)
