"""The state a sandbox run keeps: seed, 'today', clock, and each platform's own mutable data."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

T = TypeVar("T")


class SandboxState:
    """What the simulated platforms read and remember between requests.

    The world is a pure function of (seed, today). The state also counts the
    requests by path and holds the faults injected for the next requests
    (`collectors.sandbox.Sandbox.inject`). What a platform must remember
    (issued sign-in codes, rotated refresh tokens, async report runs, a call
    counter) lives in `store(name, factory)`, one object per name, created on
    first use. Handlers change those objects under `lock`.
    """

    def __init__(
        self,
        seed: int = 42,
        today: date | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.seed = seed
        self.today = today or date.today()
        self.clock = clock  # expiry of the tokens the sandbox issues
        self.lock = threading.RLock()
        self.requests: Counter[str] = Counter()
        self.faults: list[tuple[str, str]] = []  # (path fragment, fault), oldest first
        self._stores: dict[str, Any] = {}

    def store(self, name: str, factory: Callable[[], T]) -> T:
        """The mutable data kept under `name` (one platform, or one host two share)."""
        with self.lock:
            if name not in self._stores:
                self._stores[name] = factory()
            found: T = self._stores[name]
            return found
