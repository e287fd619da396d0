"""Per-endpoint sliding-window rate limiting at the platforms' documented limits."""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable


class SlidingWindowLimiter:
    """Allow at most `limit` calls per `period` seconds for each endpoint key."""

    def __init__(
        self,
        limit: int,
        period: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if limit < 1 or period <= 0:
            raise ValueError("limit must be >= 1 and period > 0")
        self.limit = limit
        self.period = period
        self._clock = clock
        self._sleep = sleep
        self._calls: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()
        self.waited = 0.0

    def acquire(self, endpoint: str) -> None:
        """Block until a call to endpoint is allowed, then record it."""
        while True:
            with self._lock:
                now = self._clock()
                calls = self._calls[endpoint]
                while calls and calls[0] <= now - self.period:
                    calls.popleft()
                if len(calls) < self.limit:
                    calls.append(now)
                    return
                wait = calls[0] + self.period - now
            self.waited += wait
            self._sleep(wait)


class UsageThrottle:
    """Slow down as a platform's reported usage (percent of quota) rises.

    Meta reports usage in X-App-Usage / X-Business-Use-Case-Usage headers; the
    collector feeds the highest percentage here and `pause()` waits longer the
    closer usage gets to 100 %, so the platform never has to block us.
    """

    def __init__(
        self, *, start_at: float = 75.0, sleep: Callable[[float], None] = time.sleep
    ) -> None:
        self.start_at = start_at
        self.usage = 0.0
        self.regain_seconds = 0.0
        self._sleep = sleep
        self.waited = 0.0

    def update(self, usage_percent: float, regain_seconds: float = 0.0) -> None:
        self.usage = usage_percent
        self.regain_seconds = regain_seconds

    def pause(self) -> None:
        """Wait before the next call in proportion to how close usage is to the limit."""
        if self.usage < self.start_at:
            return
        if self.usage >= 100:
            wait = max(self.regain_seconds, 60.0)
        else:
            # 75 % -> 1 s, 95 % -> ~20 s: grows steeply near the limit.
            wait = min(60.0, (self.usage - self.start_at + 1) ** 2 / 20)
        self.waited += wait
        self._sleep(wait)
