"""The period an export covers: from `--period-end`, the file name, or the file's own days.

Values carry the export's period, never the import day: daily rows their own
day, lifetime counters the moment the file was made (its period end).
TikTok Studio writes dates without a year ("February 28"); the year comes
from the period end, walking back from the last row (the most recent day) and
stepping a year back where the month jumps forward (a 365-day file crosses
New Year).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from collectors.importers.cells import MONTHS
from collectors.importers.readers import ImportFileError, Row, Table

# How far the last row of a yearless file may lie before the given period end: TikTok's
# numbers lag a day or two, and people give the download day as the end.
END_SLACK_DAYS = 7

MONTH_ABBR = "|".join(sorted({k.capitalize() for k in MONTHS if len(k) == 3}))
META_NAME = re.compile(
    rf"(?<![A-Za-z])({MONTH_ABBR})-(\d{{1,2}})-(\d{{4}})_({MONTH_ABBR})-(\d{{1,2}})-(\d{{4}})"
)
ISO_IN_NAME = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
EPOCH_MS_IN_NAME = re.compile(r"(?<!\d)(1\d{12})(?!\d)")  # LinkedIn: '<page>_content_<ms>.xlsx'


@dataclass(frozen=True)
class NamedPeriod:
    """A period end the user or the file name gave (not read from the rows)."""

    end: date
    basis: str  # said in the summary: "--period-end 2026-02-27", "the file name's period …"
    start: date | None = None
    moment: datetime | None = None  # the exact export time, when the name carries it


def from_file_name(name: str, today: date) -> NamedPeriod | None:
    """The period in a file name: Meta `Jan-14-2025_Apr-14-2025_…`, ISO dates, or epoch ms."""
    stem = name.rsplit(".", 1)[0]
    try:
        if m := META_NAME.search(stem):
            start = date(int(m[3]), MONTHS[m[1].casefold()], int(m[2]))
            end = date(int(m[6]), MONTHS[m[4].casefold()], int(m[5]))
            if start <= end <= today:
                return NamedPeriod(end, f"the file name's period {m[0]}", start)
        isos = [date(int(a), int(b), int(c)) for a, b, c in ISO_IN_NAME.findall(stem)]
        if isos and isos[-1] <= today:
            first = isos[0] if len(isos) > 1 and isos[0] <= isos[-1] else None
            return NamedPeriod(isos[-1], f"the file name's date {isos[-1].isoformat()}", first)
        if m := EPOCH_MS_IN_NAME.search(stem):
            moment = datetime.fromtimestamp(int(m[1]) / 1000, UTC)
            if moment.date() <= today:
                return NamedPeriod(
                    moment.date(), f"the export time in the file name, {m[1]} ms", moment=moment
                )
    except ValueError:
        return None  # not a real date (e.g. Feb-30): the name says nothing usable
    return None


def end_of_day(day: date, zone: str) -> datetime:
    """The last second of a local day: when a file ending that day saw its counters."""
    return datetime.combine(day, time(23, 59, 59), tzinfo=ZoneInfo(zone))


def most_recent(month: int, day: int, on_or_before: date) -> date | None:
    """The latest date with this month and day on or before a date (Feb 29 within 8 years)."""
    for year in range(on_or_before.year, on_or_before.year - 8, -1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate <= on_or_before:
            return candidate
    return None


def month_name(month: int, day: int) -> str:
    return f"{date(2000, month, day):%B} {day}"


def resolve_yearless(
    table: Table,
    rows: Sequence[Row],
    month_days: Sequence[tuple[int, int]],
    anchor: date,
    given: NamedPeriod | None,
) -> list[date]:
    """Give yearless rows (in file order, oldest first) their years, ending at `anchor`.

    The last row is the most recent such day on or before the anchor; earlier
    rows step a year back where the month jumps forward. With a given period
    end, the last row must lie within a week before it, else the end is wrong.
    """
    if not month_days:
        return []
    month, day = month_days[-1]
    last = most_recent(month, day, anchor)
    if last is None:
        raise ImportFileError(
            f"{table.where}: row {rows[-1][0]}: {month_name(month, day)} has no date on or "
            f"before {anchor.isoformat()}; pass --period-end with the export's last day."
        )
    if given is not None and (anchor - last).days > END_SLACK_DAYS:
        raise ImportFileError(
            f"{table.where}: the last row is {month_name(month, day)}, which is not within "
            f"{END_SLACK_DAYS} days before the period end {anchor.isoformat()} from "
            f"{given.basis}; pass --period-end with the export's last day."
        )
    year = last.year
    days = [last]
    for i in range(len(month_days) - 2, -1, -1):
        if month_days[i] == month_days[i + 1]:
            raise ImportFileError(
                f"{table.where}: row {rows[i + 1][0]}: {month_name(*month_days[i])} appears "
                "twice in a row; download the export again."
            )
        if month_days[i] > month_days[i + 1]:
            year -= 1  # walking back across New Year
        try:
            days.append(date(year, *month_days[i]))
        except ValueError as exc:
            raise ImportFileError(
                f"{table.where}: row {rows[i][0]}: {month_name(*month_days[i])} does not exist "
                f"in {year}, the year this row falls in when the file ends on "
                f"{last.isoformat()}; pass --period-end with the export's last day."
            ) from exc
    days.reverse()
    return days


def year_from_video_id(video_id: str, month: int, day: int) -> date | None:
    """A TikTok video's yearless post day, given a year by the upload time in its id.

    The id's top 32 bits are the upload time in Unix seconds (UTC); it agreed with
    every real sample (PLATFORMS.md). Used only when it matches the month and day
    to within a day (the day in the file is in the account's time zone).
    """
    try:
        uploaded = datetime.fromtimestamp(int(video_id) >> 32, UTC).date()
    except (ValueError, OverflowError, OSError):
        return None
    for year in (uploaded.year, uploaded.year - 1, uploaded.year + 1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if abs(candidate - uploaded) <= timedelta(days=1):
            return candidate
    return None
