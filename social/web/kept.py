"""Whole-history results (reports, insights) kept between requests and refreshed after new data.

The dashboard, campaign pages, Innsikt and Min side show results computed over the
whole history: a few hundred milliseconds each on three years of data. They are
kept, and are only computed again when the stored data or the hour changed. A
background thread (started with the app) watches the database and recomputes the
results pages asked for recently as soon as another connection commits (a sync, an
import, a CLI command, a form), so the next request finds them ready; at start it
computes the ones the first pages ask for. A request never gets a result older
than the data: if the refresh has not finished it waits for it, or computes the
result itself.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar

from sqlite_utils import Database

from core.redact import redact
from core.timeutil import utcnow

log = logging.getLogger("social.web")

T = TypeVar("T")
Key = tuple[Hashable, ...]
POLL_SECONDS = 1.0  # how soon after a commit the refresh starts
IDLE_SECONDS = 3600.0  # a result no page asked for in this long is dropped, not refreshed


@dataclass(frozen=True)
class _Kept:
    stamp: tuple[int, str]  # (data generation, UTC hour) it was computed for
    value: Any
    compute: Callable[[Database], Any]
    used: float  # time.monotonic() of the last request for it


class KeptResults:
    """Results keyed by name and parameters, valid for one data generation and one hour.

    The data generation moves when `PRAGMA data_version` of a watching connection
    changes, which it does with every commit of any other connection. It is read
    before a result is computed, so a commit during the computation makes the result
    stale at once: a result can be computed twice, never kept too long.
    """

    def __init__(self, db_path: Path) -> None:
        self._db_path = db_path
        self._kept: dict[Key, _Kept] = {}
        self._watch_lock = threading.Lock()
        self._watch_db: Database | None = None
        self._data_version = -1
        self._generation = 0
        # One connection computes, one result at a time: two cores, and the
        # computations are CPU-bound Python.
        self._compute_lock = threading.Lock()
        self._compute_db: Database | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def get(self, key: Key, compute: Callable[[Database], T]) -> T:
        """The kept result for `key` if it is current, else computed now (and kept)."""
        stamp = self._stamp()
        kept = self._kept.get(key)
        if kept is None or kept.stamp != stamp:
            with self._compute_lock:
                kept = self._kept.get(key)  # the refresher may have computed it meanwhile
                stamp = self._stamp()
                if kept is None or kept.stamp != stamp:
                    kept = _Kept(stamp, compute(self._connection()), compute, 0.0)
        self._kept[key] = replace(kept, compute=compute, used=time.monotonic())
        result: T = kept.value
        return result

    def refresh(self) -> int:
        """Recompute the stale results asked for recently, latest first; how many were."""
        done = 0
        recent = sorted(self._kept.items(), key=lambda item: item[1].used, reverse=True)
        for key, kept in recent:
            if time.monotonic() - kept.used > IDLE_SECONDS:
                self._kept.pop(key, None)
                continue
            with self._compute_lock:
                stamp = self._stamp()
                current = self._kept.get(key)
                if current is None or current.stamp == stamp:
                    continue
                try:
                    value = current.compute(self._connection())
                except Exception as exc:  # e.g. the campaign was deleted: a request will say so
                    log.warning("dropped a kept result that failed: %s", redact(str(exc)))
                    self._kept.pop(key, None)
                    continue
                self._kept[key] = replace(current, stamp=stamp, value=value)
                done += 1
        return done

    def __contains__(self, key: Key) -> bool:
        return key in self._kept

    def stale(self) -> int:
        """How many kept results are older than the data or the hour."""
        stamp = self._stamp()
        return sum(1 for kept in list(self._kept.values()) if kept.stamp != stamp)

    def start(self, warm_up: Callable[[], None] | None = None) -> None:
        """Refresh in the background from now on (the app's startup), after computing what
        `warm_up` asks for (with `get`) before any request does."""
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(
            target=self._run, args=(warm_up,), name="social-web-refresh", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        """Stop the background refresh and close the connections (the app's shutdown)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        for lock, attr in ((self._compute_lock, "_compute_db"), (self._watch_lock, "_watch_db")):
            with lock:
                db = getattr(self, attr)
                if db is not None:
                    db.conn.close()
                    setattr(self, attr, None)

    def _run(self, warm_up: Callable[[], None] | None) -> None:
        if warm_up is not None:
            try:
                warm_up()
            except Exception as exc:  # the page that needs it computes it and shows the error
                log.warning("computing results at start-up failed: %s", redact(str(exc)))
        while not self._stop.wait(POLL_SECONDS):
            self.refresh()

    def _stamp(self) -> tuple[int, str]:
        with self._watch_lock:
            if self._watch_db is None:
                self._watch_db = self._open()
            version = int(self._watch_db.execute("PRAGMA data_version").fetchone()[0])
            if version != self._data_version:
                self._data_version = version
                self._generation += 1
            return self._generation, utcnow().strftime("%Y-%m-%dT%H")

    def _connection(self) -> Database:
        if self._compute_db is None:
            self._compute_db = self._open()
        return self._compute_db

    def _open(self) -> Database:
        from db import open_db

        return open_db(self._db_path, migrate=False)
