"""A report's time window: local dates in the configured zone and their UTC bounds."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cached_property
from zoneinfo import ZoneInfo

from core.timeutil import iso_week, to_utc_iso


@dataclass(frozen=True)
class Window:
    """Local dates start..end (both inclusive) in a zone; UTC bounds are [start_utc, end_utc)."""

    start: date
    end: date
    zone: str = "Europe/Oslo"

    @cached_property
    def start_utc(self) -> datetime:
        return _local_midnight(self.start, self.zone)

    @cached_property
    def end_utc(self) -> datetime:
        """Exclusive: local midnight after the last day (a DST day is 23 or 25 hours long)."""
        return _local_midnight(self.end + timedelta(days=1), self.zone)

    @property
    def start_iso(self) -> str:
        return to_utc_iso(self.start_utc)

    @property
    def end_iso(self) -> str:
        return to_utc_iso(self.end_utc)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def each_day(self) -> Iterator[Window]:
        """One window per local day."""
        day = self.start
        while day <= self.end:
            yield Window(day, day, self.zone)
            day += timedelta(days=1)

    @property
    def is_iso_week(self) -> bool:
        return self.start.isoweekday() == 1 and self.days == 7

    @property
    def iso(self) -> str:
        return iso_week(self.start)

    def shifted(self, days: int) -> Window:
        return Window(self.start + timedelta(days=days), self.end + timedelta(days=days), self.zone)

    def clipped(self, last: date) -> Window:
        """The window cut off after `last` (its end never before its start)."""
        return Window(self.start, max(self.start, min(self.end, last)), self.zone)

    def to_json(self) -> dict[str, str]:
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "start_utc": self.start_iso,
            "end_utc": self.end_iso,
        }


def _local_midnight(day: date, zone: str) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=ZoneInfo(zone)).astimezone(UTC)
