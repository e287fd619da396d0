"""The scheduler runs the jobs it is given (sync, weekly report, token statuses), never its own."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from apscheduler.schedulers.background import BackgroundScheduler
from sqlite_utils import Database

from core.config import Config
from scheduler.jobs import ExpiringToken, Jobs
from scheduler.reminders import due_reminders
from scheduler.service import build_scheduler
from scheduler.tick import run_tick
from tests.reminders_support import oslo, team, write_config

ROOT = Path(__file__).resolve().parents[1]
MONDAY_MORNING = oslo("2026-11-30 08:00").astimezone(UTC)  # the weekly cron said 07:00


@dataclass
class FakeJobs:
    """Jobs that only record that they ran."""

    folder: Path
    calls: list[str] = field(default_factory=list)
    tokens: list[ExpiringToken] = field(default_factory=list)

    def jobs(self) -> Jobs:
        return Jobs(sync=self.sync, weekly_report=self.report, expiring_tokens=self.expiring)

    def sync(self, config: Config, db: Database) -> list[str]:
        self.calls.append("sync")
        return ["fake: synced"]

    def report(self, config: Config, db: Database, week: str) -> Path:
        self.calls.append(f"report {week}")
        path = self.folder / f"{week}.html"
        path.write_text("report", encoding="utf-8")
        return path

    def expiring(self, config: Config, now: datetime) -> list[ExpiringToken]:
        self.calls.append("tokens")
        return self.tokens


def _config(folder: Path) -> Config:
    return write_config(folder, 2525, extra='[reports]\nrecipients = ["leder@example.no"]\n')


def test_a_tick_runs_the_injected_sync_weekly_report_and_token_check(
    tmp_path: Path, fresh_db: Database
) -> None:
    fake = FakeJobs(tmp_path)
    outcome = run_tick(fresh_db, _config(tmp_path), fake.jobs(), now=MONDAY_MORNING, sync=True)
    assert fake.calls == ["sync", "tokens", "report 2026-W48"]
    assert outcome.lines[0] == "fake: synced"
    assert outcome.lines[-1].startswith("sent weekly report 2026-W48 to 1 recipient(s)")


def test_a_dry_run_tick_runs_no_sync_and_no_report(tmp_path: Path, fresh_db: Database) -> None:
    fake = FakeJobs(tmp_path)
    run_tick(fresh_db, _config(tmp_path), fake.jobs(), now=MONDAY_MORNING, sync=True, dry_run=True)
    assert fake.calls == ["tokens"]  # reading what is due is all a dry run does


def test_the_service_runs_the_injected_jobs_on_their_crons(
    tmp_path: Path, fresh_db: Database
) -> None:
    fake = FakeJobs(tmp_path)
    scheduler = build_scheduler(
        _config(tmp_path), fresh_db, fake.jobs(), scheduler=BackgroundScheduler(timezone="UTC")
    )
    scheduler.get_job("sync").func()
    scheduler.get_job("reminders").func()
    assert fake.calls == ["sync", "tokens"]


def test_a_token_reminder_says_what_the_injected_token_check_found(
    tmp_path: Path, fresh_db: Database
) -> None:
    team(fresh_db)
    fake = FakeJobs(tmp_path, tokens=[ExpiringToken("demo_ads", "demo", "renew-demo --ads", 4.0)])
    now = oslo("2026-11-24 09:00")
    (reminder,) = due_reminders(
        fresh_db, write_config(tmp_path), now, tokens=fake.jobs().expiring_tokens
    )
    assert reminder.rule == "expiry" and reminder.subject == "token:demo_ads:2026-11-24"
    assert reminder.recipient.name == "Kari"  # the communications lead
    assert "renew-demo --ads" in reminder.text.body


def test_the_scheduler_runs_a_tick_without_loading_the_application(tmp_path: Path) -> None:
    _config(tmp_path)  # social.toml in the folder
    # The platform records the registry loads for the config (core's plugins) come first;
    # everything the scheduler loads on top of them must be neither social nor collectors.
    script = f"""
import datetime
import sys
from pathlib import Path
from core.config import load_config
from db import open_db
folder = Path({str(tmp_path)!r})
config = load_config(folder / "social.toml")
def above_core():
    return {{m for m in sys.modules if m.split(".")[0] in ("social", "collectors")}}
before = above_core()
assert not any(m.split(".")[0] == "social" for m in before), before
from scheduler.jobs import Jobs
from scheduler.service import build_scheduler
from scheduler.tick import run_tick
calls = []
def report(config, db, week):
    calls.append(week)
    path = folder / "report.html"
    path.write_text("report")
    return path
jobs = Jobs(
    sync=lambda config, db: calls.append("sync") or [],
    weekly_report=report,
    expiring_tokens=lambda config, now: calls.append("tokens") or [],
)
now = {MONDAY_MORNING!r}
run_tick(open_db(folder / "social.db"), config, jobs, now=now, sync=True)
assert calls == ["sync", "tokens", "2026-W48"], calls
print(" ".join(sorted(above_core() - before)))
"""
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""
