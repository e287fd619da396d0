"""Per-person feed URLs: files with unguessable names, rotation, and a live feed server."""

from __future__ import annotations

import urllib.error
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner
from icalendar import Calendar
from sqlite_utils import Database

from db import open_db
from scheduler.feeds import TOKEN_RE, make_server, serve_in_thread, token_for
from scheduler.ics import render_feed
from tests.calendar_support import add_member, invoke, workspace_db


@pytest.fixture
def db(workspace_dir: Path, runner: CliRunner) -> Database:
    db = workspace_db(workspace_dir)
    add_member(db, "Kari Nordmann")
    add_member(db, "Ola Hansen")
    add_member(db, "Sluttet", active=False)
    for at, owner in (("2026-12-01 16:00", "Kari Nordmann"), ("2026-12-02 16:00", "Ola Hansen")):
        result = invoke(
            runner, "calendar", "add", "--at", at, "--platform", "tiktok", "--title",
            f"Slot for {owner}", "--owner", owner,
        )  # fmt: skip
        assert result.exit_code == 0, result.output
    return db


def _summaries(data: bytes) -> list[str]:
    return [str(e.get("SUMMARY")) for e in Calendar.from_ical(data).walk("VEVENT")]


def test_feeds_writes_one_secret_file_per_active_member(
    runner: CliRunner, db: Database, workspace_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    out = workspace_dir / "feeds"
    result = invoke(
        runner, "calendar", "feeds", "--out", str(out), "--base-url", "https://x.no/feeds/"
    )
    assert result.exit_code == 0, result.output
    files = sorted(out.glob("*.ics"))
    assert len(files) == 2 and all(TOKEN_RE.match(f.stem) for f in files)
    kari = token_for(db, 1)
    assert f"https://x.no/feeds/{kari}.ics" in result.stdout
    assert _summaries((out / f"{kari}.ics").read_bytes()) == ["TikTok: Slot for Kari Nordmann"]
    # Rotating gives a new URL and removes the old file; other files stay.
    (out / "index.html").write_text("keep", encoding="utf-8")
    rotated = invoke(runner, "calendar", "feeds", "--out", str(out), "--rotate", "Kari Nordmann")
    assert rotated.exit_code == 0, rotated.output
    new = token_for(db, 1)
    assert new != kari and not (out / f"{kari}.ics").exists() and (out / f"{new}.ics").exists()
    assert (out / "index.html").exists()
    assert token_for(db, 2) in rotated.stdout  # Ola's URL is unchanged


def test_server_renders_live_feeds_and_404s_unknown_tokens(
    runner: CliRunner, db: Database, workspace_dir: Path
) -> None:
    path = workspace_dir / "social.db"
    server = make_server(
        "127.0.0.1",
        0,
        lambda: open_db(path),
        lambda conn, name: render_feed(conn, zone="Europe/Oslo", owner=name),
    )
    serve_in_thread(server)
    base = f"http://127.0.0.1:{server.server_address[1]}/feeds"
    try:
        token = token_for(db, 2)
        with urllib.request.urlopen(f"{base}/{token}.ics", timeout=5) as response:
            assert response.headers["Content-Type"].startswith("text/calendar")
            assert _summaries(response.read()) == ["TikTok: Slot for Ola Hansen"]
        # Fresh from the database on every request.
        invoke(runner, "calendar", "edit", "2", "--title", "Endret")
        with urllib.request.urlopen(f"{base}/{token}.ics", timeout=5) as response:
            assert _summaries(response.read()) == ["TikTok: Endret"]
        for bad in ("/" + "A" * 32 + ".ics", "/../social.db", "/" + token):
            with pytest.raises(urllib.error.HTTPError) as caught:
                urllib.request.urlopen(base + bad, timeout=5)
            assert caught.value.code == 404
        inactive = token_for(db, 3)
        with pytest.raises(urllib.error.HTTPError) as caught:
            urllib.request.urlopen(f"{base}/{inactive}.ics", timeout=5)
        assert caught.value.code == 404
    finally:
        server.shutdown()
        server.server_close()


def test_serve_listens_on_this_machine_only_unless_told(workspace_dir: Path) -> None:
    import os
    import subprocess
    import sys

    from click.testing import CliRunner

    from social.cli import cli

    assert CliRunner().invoke(cli, ["team", "add", "Kari"]).exit_code == 0
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    server = subprocess.Popen(
        [sys.executable, "-m", "social", "calendar", "serve", "--port", "0"],
        cwd=workspace_dir,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        lines = [server.stdout.readline(), server.stdout.readline()]
    finally:
        server.terminate()
        _, err = server.communicate(timeout=30)
    assert lines[0].startswith("Kari: http://127.0.0.1:")
    assert lines[1].startswith("Serving calendar feeds on 127.0.0.1:")
    assert "Warning" not in err


def test_serving_on_all_addresses_warns_about_plain_http(
    workspace_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    import scheduler.feeds
    from social.cli import cli

    class Stopped:
        server_address = ("0.0.0.0", 8765)

        def serve_forever(self) -> None:
            return None

        def server_close(self) -> None:
            return None

    seen: list[str] = []
    monkeypatch.setattr(
        scheduler.feeds, "make_server", lambda host, *a: seen.append(host) or Stopped()
    )
    result = CliRunner().invoke(cli, ["calendar", "serve", "--host", "0.0.0.0"])
    assert result.exit_code == 0, result.output
    assert seen == ["0.0.0.0"]
    assert "Warning: serving on 0.0.0.0 over plain HTTP" in result.output
