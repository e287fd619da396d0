"""Calendar arithmetic the platforms' look-back limits are written in."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta


def months_before(day: date, months: int) -> date:
    """The same day `months` calendar months earlier (the month's last day if it is shorter)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return date(year, month, min(day.day, (following - timedelta(days=1)).day))


def iso_weeks(start: date, end: date) -> Iterator[tuple[date, date]]:
    """(Monday, Sunday) of each complete ISO week, from the week holding `start` to the last
    one that ends by `end`."""
    monday = start - timedelta(days=start.weekday())
    while monday + timedelta(days=6) <= end:
        yield monday, monday + timedelta(days=6)
        monday += timedelta(days=7)
