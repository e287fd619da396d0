"""Time helpers: store UTC, compute days and ISO weeks in the configured zone."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

DEFAULT_ZONE = "Europe/Oslo"
# Dates people may type. Outside these, converting between zones overflows (year 1 or 9999)
# and nothing this tool plans or reports lies there.
EARLIEST = date(1900, 1, 1)
LATEST = date(2199, 12, 31)
RANGE_TEXT = f"between {EARLIEST.year} and {LATEST.year}"


def utcnow() -> datetime:
    """The current time as an aware UTC datetime."""
    return datetime.now(UTC)


def to_utc_iso(moment: datetime) -> str:
    """Format an aware datetime as the UTC ISO string stored in the database."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime: attach a time zone before storing")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def from_utc_iso(text: str) -> datetime:
    """Parse a stored UTC ISO string back into an aware datetime."""
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


def local_date(moment: datetime, zone: str = DEFAULT_ZONE) -> date:
    """The calendar date of an aware moment in the given zone."""
    return moment.astimezone(ZoneInfo(zone)).date()


def iso_week(day: date) -> str:
    """The ISO week of a date as '2025-W48'."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def parse_iso_week(text: str) -> tuple[date, date]:
    """Monday and Sunday of an ISO week written '2025-W48'."""
    try:
        year_s, week_s = text.upper().split("-W")
        if not (year_s.isascii() and week_s.isascii()):
            raise ValueError(text)
        monday = date.fromisocalendar(int(year_s), int(week_s), 1)
    except ValueError as exc:
        raise ValueError(f"'{text}' is not an ISO week; write it like 2025-W48") from exc
    if not EARLIEST <= monday <= LATEST - timedelta(days=7):
        raise ValueError(f"'{text}' is out of range; give a week {RANGE_TEXT}")
    return monday, monday + timedelta(days=6)


def week_bounds_utc(monday: date, zone: str = DEFAULT_ZONE) -> tuple[datetime, datetime]:
    """UTC start (inclusive) and end (exclusive) of the local week starting on monday."""
    tz = ZoneInfo(zone)
    start = datetime(monday.year, monday.month, monday.day, tzinfo=tz)
    nxt = monday + timedelta(days=7)
    end = datetime(nxt.year, nxt.month, nxt.day, tzinfo=tz)
    return start.astimezone(UTC), end.astimezone(UTC)


def last_complete_week(today: date) -> tuple[date, date]:
    """Monday and Sunday of the last ISO week that has fully ended before today."""
    monday = today - timedelta(days=today.weekday() + 7)
    return monday, monday + timedelta(days=6)


def parse_date(text: str) -> date:
    """Parse a user-typed YYYY-MM-DD date with a clear error."""
    try:
        if not text.isascii():
            raise ValueError(text)
        day = date.fromisoformat(text)
    except ValueError as exc:
        raise ValueError(
            f"'{text}' is not a date; write it as YYYY-MM-DD, e.g. 2025-11-24"
        ) from exc
    return check_range(day, text)


def check_range(day: date, text: str) -> date:
    """The date, or a ValueError naming the range when it lies outside EARLIEST..LATEST."""
    if not EARLIEST <= day <= LATEST:
        shown = text if len(text) <= 40 else text[:37] + "..."
        raise ValueError(f"'{shown}' is out of range; give a date {RANGE_TEXT}")
    return day
