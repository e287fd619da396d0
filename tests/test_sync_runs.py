"""Sync runs end as what they were: ok, failed, or interrupted (never 'running' forever).

Also: a platform whose answer we cannot read stops alone, with one line naming
it, the endpoint and the field, while the other platforms sync.
"""

from __future__ import annotations

import http.server
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from collectors.auth import TokenSet, TokenStore
from collectors.sandbox import Sandbox
from core import registry
from core.config import load_config
from db import open_db, writes
from db.migrations import migrations
from social.cli import cli
from social.demo import demo_config, sandbox_ids
from social.sync import run_sync

NOW = datetime(2026, 11, 24, 6, 0, tzinfo=UTC)
ROOT = Path(__file__).resolve().parents[1]


def _workspace(folder: Path, base: str = "http://sandbox.test") -> Path:
    text = demo_config(base, sandbox_ids(), "en").replace("autostart = true", "autostart = false")
    (folder / "social.toml").write_text(text + "\n[sync]\nbackfill_days = 7\n", encoding="utf-8")
    open_db(folder / "social.db").close()  # as `social demo` makes it
    store = TokenStore(folder / ".social-tokens.json")
    for entry, token in (
        ("tiktok", "sandbox-display"),
        ("tiktok_business", "sandbox-business"),
        ("tiktok_ads_token", "sandbox-ads-x"),
        ("linkedin", "sandbox-li-page-x"),
        ("linkedin_ads", "sandbox-li-ads-x"),
        ("facebook", "sandbox-page"),
        ("facebook_ads", "sandbox-user"),
    ):
        store.save(entry, TokenSet(token))
    return folder / "social.toml"


@pytest.fixture(autouse=True)
def no_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("SOCIAL_"):
            monkeypatch.delenv(name)


def test_a_missing_field_stops_only_that_platform_and_the_others_sync(
    tmp_path: Path, runner: CliRunner
) -> None:
    config = load_config(_workspace(tmp_path))
    sandbox = Sandbox(seed=3, today=NOW.date())

    def broken_facebook(request: httpx.Request) -> httpx.Response:
        response = sandbox.handle(request)
        if request.url.path.endswith("/published_posts"):
            body = response.json()
            for post in body.get("data", []):
                post.pop("created_time", None)  # a field Meta always sends
            return httpx.Response(200, json=body)
        return response

    db = open_db(config.database_path)
    summaries = run_sync(
        config,
        db,
        now=NOW,
        transport=httpx.MockTransport(broken_facebook),
        sleep=lambda s: None,
    )
    outcomes = {s.platform: s.outcome for s in summaries}
    assert outcomes == {**{p: "ok" for p in registry.names()}, "facebook": "failed"}
    error = next(s.error for s in summaries if s.platform == "facebook") or ""
    assert error.startswith(
        "facebook: unexpected answer from published_posts: field 'created_time' is missing"
    )
    assert "\n" not in error and "internal error" not in error
    # Page insights came before the posts and are kept.
    assert db.execute(
        "SELECT COUNT(*) FROM metric_values WHERE platform = 'facebook' AND grain = 'day'"
    ).fetchone()[0]


def test_ctrl_c_marks_the_run_interrupted(tmp_path: Path) -> None:
    config = load_config(_workspace(tmp_path))
    db = open_db(config.database_path)

    def stop(request: httpx.Request) -> httpx.Response:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_sync(config, db, ["linkedin"], now=NOW, transport=httpx.MockTransport(stop))
    run = db.execute("SELECT outcome, finished_at, error FROM sync_runs").fetchone()
    assert run[0] == "interrupted" and run[1] is not None
    assert "the next sync finishes the job" in run[2]


def test_a_run_left_running_by_a_dead_process_is_marked_interrupted_by_the_next_run(
    tmp_path: Path,
) -> None:
    config = load_config(_workspace(tmp_path))
    db = open_db(config.database_path)
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    host = socket.gethostname()
    old = (datetime.now(UTC) - timedelta(hours=30)).strftime("%Y-%m-%dT%H:%M:%SZ")
    recent = (datetime.now(UTC) - timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M:%SZ")
    for platform, started, pid, run_host in (
        ("tiktok", recent, dead.pid, host),  # killed on this machine: its pid is gone
        ("linkedin", old, 1, "elsewhere"),  # another machine, a day ago
        ("facebook", recent, 1, "elsewhere"),  # another machine, maybe still running
        ("linkedin", recent, os.getpid(), host),  # this very process
    ):
        db.execute(
            "INSERT INTO sync_runs (platform, started_at, pid, host) VALUES (?, ?, ?, ?)",
            [platform, started, pid, run_host],
        )
    sandbox = Sandbox(seed=3, today=NOW.date())
    run_sync(config, db, ["linkedin"], now=NOW, transport=httpx.MockTransport(sandbox.handle))
    rows = db.execute("SELECT platform, host, outcome FROM sync_runs ORDER BY id").fetchall()
    assert rows[:4] == [
        ("tiktok", host, "interrupted"),
        ("linkedin", "elsewhere", "interrupted"),
        ("facebook", "elsewhere", "running"),
        ("linkedin", host, "running"),
    ]
    assert rows[4][2] == "ok"
    # Half a day later the other machine's run is taken as dead too; this process's never is.
    later = datetime.now(UTC) + timedelta(hours=13)
    assert writes.mark_dead_runs(db, now=later, alive=lambda pid: False) == 1
    status = CliRunner().invoke(cli, ["--config", str(config.path), "status", "--format", "json"])
    assert status.exit_code == 0


class _SlowHandler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        time.sleep(30)

    do_POST = do_GET  # noqa: N815

    def log_message(self, *args: object) -> None:
        pass


def test_sigterm_stops_social_sync_and_marks_the_run_interrupted(tmp_path: Path) -> None:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _SlowHandler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    config = _workspace(tmp_path, base)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-m", "social", "--config", str(config), "sync", "linkedin"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    db_path = tmp_path / "social.db"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:  # until the run is logged (the schema may be half made)
        try:
            with sqlite3.connect(db_path, timeout=5) as conn:
                if conn.execute("SELECT COUNT(*) FROM sync_runs").fetchone()[0]:
                    break
        except sqlite3.Error:
            pass
        time.sleep(0.1)
    time.sleep(0.3)  # the sync now waits for the slow server
    process.send_signal(signal.SIGTERM)
    out, err = process.communicate(timeout=30)
    server.shutdown()
    assert process.returncode == 143, err
    assert "Stopped (SIGTERM); everything stored so far is kept" in err
    assert "Traceback" not in err
    outcome = open_db(db_path).execute("SELECT outcome FROM sync_runs").fetchone()[0]
    assert outcome == "interrupted"


def test_the_migration_marks_old_running_rows_and_relabels_wrong_windows(tmp_path: Path) -> None:
    from sqlite_utils import Database

    db = Database(tmp_path / "old.db")
    migrations.apply(db, stop_before="m011_sync_runs_interrupted_and_honest_windows")
    db.execute(
        "INSERT INTO accounts (id, platform, kind, external_id, created_at) VALUES "
        "(1, 'linkedin', 'organization', '1', 'x'), (2, 'tiktok', 'ads', '7', 'x'), "
        "(3, 'tiktok', 'business', '9', 'x')"
    )
    db.execute(
        "INSERT INTO ad_entities (id, account_id, platform, level, external_id, updated_at) "
        "VALUES (1, 2, 'tiktok', 'campaign', '178', 'x')"
    )
    rows = [
        (
            1,
            "linkedin",
            "account",
            1,
            "impressionCount",
            "organic",
            "lifetime",
            "2026-01-05",
            "2026-11-20",
            250000,
        ),
        (2, "tiktok", "ad", 1, "reach", "paid", "campaign", "2026-10-01", "2026-11-19", 9000),
        (
            3,
            "tiktok",
            "account",
            3,
            "video_views",
            "organic",
            "day",
            "2026-11-19",
            "2026-11-19",
            3120,
        ),
    ]
    for row in rows:
        db.execute(
            "INSERT INTO metric_values (account_id, platform, subject_type, subject_id, metric, "
            "origin, grain, window_start, window_end, value, source, collected_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'api', 'x')",
            list(row),
        )
    db.execute(
        "INSERT INTO sync_bookmarks VALUES (2, 'campaign_start:178', '2026-10-01', 'x'), "
        "(2, 'ads_daily', '2026-11-19', 'x')"
    )
    db.execute("INSERT INTO sync_runs (platform, started_at) VALUES ('tiktok', '2026-11-20')")
    migrations.apply(db)
    assert db.execute("SELECT outcome, error FROM sync_runs").fetchone() == (
        "interrupted",
        "interrupted: the sync ended without finishing (found by migration)",
    )
    assert db.execute(
        "SELECT grain, window_start, window_end FROM metric_values WHERE platform = 'linkedin'"
    ).fetchone() == ("window", "2025-11-20", "2026-11-20")
    assert (
        db.execute("SELECT COUNT(*) FROM metric_values WHERE grain = 'campaign'").fetchone()[0] == 0
    )
    assert [s for (s,) in db.execute("SELECT stream FROM sync_bookmarks")] == ["ads_daily"]
    assert (
        db.execute("SELECT origin FROM metric_values WHERE metric = 'video_views'").fetchone()[0]
        == "total"
    )
    db.execute(
        "INSERT INTO sync_runs (platform, started_at, outcome) VALUES ('x', 'y', 'interrupted')"
    )


def test_social_sync_in_the_demo_folder_starts_the_sandbox_by_itself(
    tmp_path: Path, runner: CliRunner
) -> None:
    target = tmp_path / "demo"
    assert runner.invoke(cli, ["demo", str(target), "--port", "0"]).exit_code == 0
    # The demo's own server is gone now; the workspace's config asks for autostart.
    result = runner.invoke(cli, ["--config", str(target / "social.toml"), "sync"])
    assert result.exit_code == 0, result.output
    for platform in ("tiktok", "linkedin", "facebook"):
        assert f"{platform}: " in result.output
    assert "FAILED" not in result.output and "skipped" not in result.output


def test_autostart_names_a_port_another_program_holds(tmp_path: Path, runner: CliRunner) -> None:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), http.server.BaseHTTPRequestHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    config = _workspace(tmp_path, f"http://127.0.0.1:{port}")
    config.write_text(
        config.read_text().replace("autostart = false", "autostart = true"), encoding="utf-8"
    )
    result = runner.invoke(cli, ["--config", str(config), "sync"])
    server.shutdown()
    assert result.exit_code == 1
    assert f"another program listens on 127.0.0.1:{port}" in result.output
    assert "Traceback" not in result.output


def test_interrupted_runs_show_in_status(tmp_path: Path, runner: CliRunner) -> None:
    config = load_config(_workspace(tmp_path))
    db = open_db(config.database_path)
    run = writes.start_sync_run(db, "tiktok")
    writes.finish_sync_run(
        db,
        run,
        outcome="interrupted",
        new_posts=3,
        updated_values=9,
        requests=4,
        error="interrupted (KeyboardInterrupt); the next sync finishes the job",
    )
    result = runner.invoke(cli, ["--config", str(config.path), "status"])
    assert result.exit_code == 0, result.output
    line = next(x for x in result.output.splitlines() if x.strip().startswith("tiktok "))
    assert "interrupted" in line and "the next sync finishes the job" in line
    assert date.today().year >= 2026
