"""Kept whole-history results: recomputed in the background after new data, never served stale."""

from __future__ import annotations

import sqlite3
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine
from starlette.testclient import TestClient

from db import open_db
from social.web import kept as kept_module
from social.web.kept import KeptResults
from tests.web_support import workspace


class Counter:
    """A computation that counts rows of a table, and notes which thread ran it."""

    def __init__(self) -> None:
        self.threads: list[str] = []

    def __call__(self, db: Any) -> int:
        self.threads.append(threading.current_thread().name)
        return int(db.execute("SELECT COUNT(*) FROM notes").fetchone()[0])


@pytest.fixture
def database(tmp_path: Path) -> Path:
    path = tmp_path / "kept.db"
    open_db(path).conn.close()
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE notes (n INTEGER)")
    return path


def _write(path: Path) -> None:
    """A commit from another connection, as `social sync` in another process makes."""
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT INTO notes VALUES (1)")


def _wait_until_fresh(kept: KeptResults) -> None:
    deadline = time.monotonic() + 10
    while kept.stale() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert kept.stale() == 0


def test_a_kept_result_is_computed_once_while_the_data_stays_the_same(database: Path) -> None:
    kept, count = KeptResults(database), Counter()
    assert kept.get(("notes",), count) == 0
    assert kept.get(("notes",), count) == 0
    assert len(count.threads) == 1


def test_a_commit_by_another_connection_is_seen_by_the_next_request(database: Path) -> None:
    kept, count = KeptResults(database), Counter()
    assert kept.get(("notes",), count) == 0
    _write(database)
    assert kept.get(("notes",), count) == 1


def test_after_new_data_the_refresher_recomputes_before_anyone_asks(
    database: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(kept_module, "POLL_SECONDS", 0.05)
    kept, count = KeptResults(database), Counter()
    kept.start()
    try:
        assert kept.get(("notes",), count) == 0
        _write(database)
        _wait_until_fresh(kept)
        assert kept.get(("notes",), count) == 1
    finally:
        kept.stop()
    assert count.threads == [threading.current_thread().name, "social-web-refresh"]


def test_a_new_hour_makes_a_kept_result_stale(database: Path) -> None:
    kept, count = KeptResults(database), Counter()
    with time_machine.travel(datetime(2026, 11, 23, 9, 59, tzinfo=UTC), tick=False) as clock:
        kept.get(("notes",), count)
        clock.shift(timedelta(minutes=2))
        assert kept.stale() == 1
        kept.get(("notes",), count)
    assert len(count.threads) == 2


def test_a_result_nobody_asked_for_in_an_hour_is_dropped_not_refreshed(
    database: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kept, count = KeptResults(database), Counter()
    kept.get(("notes",), count)
    _write(database)
    monkeypatch.setattr(kept_module, "IDLE_SECONDS", -1.0)
    assert kept.refresh() == 0
    assert kept.stale() == 0  # gone: the next request computes it
    assert len(count.threads) == 1


def test_the_app_computes_the_first_pages_at_start_and_refreshes_while_it_runs(
    tmp_path: Path,
) -> None:
    _, app, _ = workspace(tmp_path)
    kept = app.state.web.kept
    first_pages = [("weekly", "nb"), ("insights", "nb", "theme", None)]
    with TestClient(app):
        assert any(t.name == "social-web-refresh" for t in threading.enumerate())
        deadline = time.monotonic() + 30
        while not all(key in kept for key in first_pages) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert all(key in kept for key in first_pages)
    assert not any(t.name == "social-web-refresh" for t in threading.enumerate())


def test_a_result_that_no_longer_computes_is_dropped_for_a_request_to_report(
    database: Path,
) -> None:
    kept = KeptResults(database)
    broken = {"now": False}

    def compute(db: Any) -> int:
        if broken["now"]:
            raise ValueError("no campaign named 'Vår'")
        return 1

    kept.get(("campaign", "Vår"), compute)
    _write(database)
    broken["now"] = True
    assert kept.refresh() == 0
    assert kept.stale() == 0
    with pytest.raises(ValueError, match="Vår"):
        kept.get(("campaign", "Vår"), compute)
