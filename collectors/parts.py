"""One failure rule for a platform whose collector has several parts.

A platform often talks to more than one API, each with its own token (organic
statistics, a business account, ads). `PartsCollector` runs the parts in turn:
a part that fails with a `CollectorError` (a refused token, a quota, an API
error) is stopped, and the other parts go on. When any part failed, the run
fails with one `PartsFailed` error whose message holds each failed part's own
line and says which parts failed and which were collected; what the parts
stored before failing is kept.

An answer a collector cannot read at all (a KeyError on a missing field) is not
a part failing but the platform's API changing: it still stops the platform.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from collectors.base import Batch, Part, Progress, SyncOptions, SyncState
from collectors.errors import CollectorError

# Called before a part runs (e.g. to check its token's remaining life); may raise.
BeforePart = Callable[[str, SyncOptions, Progress], None]


class PartsFailed(CollectorError):
    """Some parts of a platform failed; `failed` and `collected` name them."""

    def __init__(
        self, failures: Sequence[tuple[str, CollectorError]], collected: Sequence[str]
    ) -> None:
        self.failed = [name for name, _ in failures]
        self.collected = list(collected)
        self.errors = [error for _, error in failures]
        which = f"failed: {', '.join(self.failed)}"
        if self.collected:
            which += f"; collected: {', '.join(self.collected)}"
        super().__init__("; ".join(str(e) for e in self.errors) + f" ({which})")


class PartsCollector:
    """A platform's collector made of named parts, run in order under the rule above."""

    def __init__(
        self,
        platform: str,
        parts: Sequence[tuple[str, Part]],
        warnings: Sequence[str] = (),
        *,
        before: BeforePart | None = None,
    ) -> None:
        self.platform = platform
        self.parts = list(parts)
        self.warnings = list(warnings)
        self.before = before

    @property
    def requests(self) -> int:
        return sum(part.requests for _, part in self.parts)

    def collect(
        self, options: SyncOptions, state: SyncState, progress: Progress
    ) -> Iterator[Batch]:
        for warning in self.warnings:
            progress.warn(warning)
        failures: list[tuple[str, CollectorError]] = []
        collected: list[str] = []
        for name, part in self.parts:
            try:
                if self.before is not None:
                    self.before(name, options, progress)
                yield from part.collect(options, state, progress)
            except CollectorError as exc:
                failures.append((name, exc))
            else:
                collected.append(name)
        if failures:
            raise PartsFailed(failures, collected)

    def close(self) -> None:
        for _, part in self.parts:
            part.close()
