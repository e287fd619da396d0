"""Calendar arithmetic the simulated platforms share."""

from __future__ import annotations

from datetime import date, timedelta


def months_before(day: date, months: int) -> date:
    """The same day `months` calendar months earlier (the month's last day where it is shorter)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    following = date(year + 1, 1, 1) if month == 11 else date(year, month + 2, 1)
    return date(year, month + 1, min(day.day, (following - timedelta(days=1)).day))
