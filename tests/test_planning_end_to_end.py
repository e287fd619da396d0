"""A new user's week, through the CLI only: plan for three students, get e-mailed, subscribe."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import httpx
import time_machine
from click.testing import CliRunner
from icalendar import Calendar

from social.cli import cli
from tests.delivery_support import Sink
from tests.reminders_support import oslo


def _ok(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(cli, list(args))
    assert result.exit_code == 0, f"social {' '.join(args)}: {result.output}"
    return result.output


def test_plan_a_week_get_reminded_by_email_subscribe_and_brief_a_partner(
    workspace_dir: Path, runner: CliRunner, smtp: tuple[Sink, int]
) -> None:
    sink, port = smtp
    config = workspace_dir / "social.toml"
    text = config.read_text(encoding="utf-8")
    text = text.replace('host = ""', 'host = "127.0.0.1"', 1).replace(
        "port = 587", f"port = {port}"
    )
    text = text.replace('security = "starttls"', 'security = "none"')
    config.write_text(text.replace('sender = ""', 'sender = "kalender@example.no"'), "utf-8")
    for name in ("Ingrid", "Sander", "Amina"):
        _ok(runner, "team", "add", name, "--email", f"{name.lower()}@example.no")
    _ok(runner, "team", "add", "Kari", "--role", "communications", "--email", "kari@example.no")
    for day, name in (("2026-12-07", "Ingrid"), ("2026-12-09", "Sander"), ("2026-12-11", "Amina")):
        _ok(
            runner,
            "calendar",
            "add",
            "--at",
            f"{day} 16:00",
            "--platform",
            "tiktok",
            "--title",
            f"Video av {name}",
            "--owner",
            name,
            "--tag",
            "tips",
        )
    listing = _ok(runner, "calendar", "list", "--week", "2026-W50")
    assert all(f"Video av {n}" in listing for n in ("Ingrid", "Sander", "Amina"))

    # Sunday evening: each student's digest and Ingrid's 24 h reminder; Monday: her 2 h one.
    with time_machine.travel(oslo("2026-12-06 18:01"), tick=False):
        _ok(runner, "tick")
    with time_machine.travel(oslo("2026-12-07 14:00"), tick=False):
        _ok(runner, "tick")
        _ok(runner, "tick")  # nothing twice
    mails = sorted((m["To"], m["Subject"]) for m in sink.messages())
    assert mails == [
        ("amina@example.no", "Din uke 50: 1 planlagt innlegg"),
        ("ingrid@example.no", "Din uke 50: 1 planlagt innlegg"),
        ("ingrid@example.no", "Påminnelse: «Video av Ingrid» om 2 timer"),
        ("ingrid@example.no", "Påminnelse: «Video av Ingrid» om 24 timer"),
        ("sander@example.no", "Din uke 50: 1 planlagt innlegg"),
    ]

    # Subscribe: each person's secret feed URL, served live from the database.
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "social",
            "calendar",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--url-host",
            "127.0.0.1",
        ],
        cwd=workspace_dir,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        urls: dict[str, str] = {}
        deadline = time.monotonic() + 30
        while len(urls) < 4 and time.monotonic() < deadline:
            found = re.match(r"(\w+): (http://\S+\.ics)", server.stdout.readline())
            if found:
                urls[found[1]] = found[2]
        feed = Calendar.from_ical(httpx.get(urls["Sander"], timeout=10).content)
        (event,) = feed.walk("VEVENT")
        assert str(event["SUMMARY"]) == "TikTok: Video av Sander"
        start = event.DTSTART
        assert start == oslo("2026-12-09 16:00") and len(event.walk("VALARM")) == 2
        assert httpx.get(urls["Sander"][:-8] + "xxxxxxxx.ics", timeout=10).status_code == 404
    finally:
        server.terminate()
        server.wait(timeout=10)

    # A Norwegian partner brief, and the lead reminded of its deadline.
    _ok(runner, "partner", "add", "Lokal Elektro AS", "--employees", "12")
    brief = _ok(
        runner,
        "brief",
        "new",
        "--partner",
        "Lokal Elektro AS",
        "--template",
        "tiktok_partner_nb",
        "--deadline",
        "2026-12-14",
    )
    assert "Annonse for Lokal Elektro AS" in brief and "markedsføringsloven § 3" in brief
    with time_machine.travel(oslo("2026-12-11 09:00"), tick=False):
        _ok(runner, "tick")
    assert ("kari@example.no", "Brief til Lokal Elektro AS: frist 14. des. 2026") in [
        (m["To"], m["Subject"]) for m in sink.messages()
    ]
