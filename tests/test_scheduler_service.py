"""The scheduler service: its jobs, calendar changes without a restart, a clean SIGTERM stop."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import time_machine
from apscheduler.schedulers.background import BackgroundScheduler
from sqlite_utils import Database

from db import open_db
from scheduler.service import build_scheduler
from social.jobs import application_jobs
from tests.delivery_support import Sink
from tests.reminders_support import oslo, slot, team, write_config


def test_the_service_has_its_jobs_on_the_configured_crons(
    tmp_path: Path, fresh_db: Database
) -> None:
    config = write_config(tmp_path, extra="", digest="off")
    scheduler = build_scheduler(
        config, fresh_db, application_jobs(), scheduler=BackgroundScheduler(timezone="Europe/Oslo")
    )
    jobs = {job.id: str(job.trigger) for job in scheduler.get_jobs()}
    assert jobs["reminders"] == "interval[0:01:00]"
    assert "hour='5', minute='15'" in jobs["sync"]
    assert "day_of_week='mon', hour='7', minute='0'" in jobs["weekly-report"]


def test_a_slot_added_while_the_service_runs_is_reminded_without_a_restart(
    tmp_path: Path, fresh_db: Database, smtp: tuple[Sink, int]
) -> None:
    sink, port = smtp
    config = write_config(tmp_path, port)
    team(fresh_db)
    scheduler = build_scheduler(
        config, fresh_db, application_jobs(), scheduler=BackgroundScheduler(timezone="Europe/Oslo")
    )
    scan = scheduler.get_job("reminders").func
    with time_machine.travel(oslo("2026-11-30 16:05"), tick=False):
        scan()
        assert sink.messages() == []
        slot(fresh_db, "2026-12-01 16:00", "Kari")  # planned after the service started
        scan()
        scan()
    assert [m["To"] for m in sink.messages()] == ["kari@example.no"]


def test_scheduler_run_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    write_config(tmp_path)
    open_db(tmp_path / "social.db").close()  # as 'social init' makes it
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "social",
            "--config",
            str(tmp_path / "social.toml"),
            "scheduler",
            "run",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None
    started = time.monotonic()
    lines = []
    while time.monotonic() - started < 30:
        line = process.stderr.readline()
        lines.append(line)
        if "scheduler running" in line:
            break
    process.send_signal(signal.SIGTERM)
    _, rest = process.communicate(timeout=30)
    log = "".join(lines) + rest
    assert process.returncode == 0, log
    assert "job reminders" in log and "received SIGTERM" in log and "scheduler stopped" in log
    assert "Traceback" not in log
