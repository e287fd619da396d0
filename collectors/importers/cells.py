"""Parse the cells of an export file: numbers, dates, times and ids.

Every function names the file, row and column when a cell is wrong, so the
user can open the file and find it. What counts as wrong (the import policy):

- A number that cannot be a real count is refused: infinity, more than
  `MAX_DIGITS` digits (a 400-digit number would become infinity), digits other
  than 0-9 (Arabic-Indic and other scripts: platforms write 0-9, so such a cell
  was typed or converted by hand).
- `NaN` and `undefined` are how exports write "no value" (TikTok): they are
  read as no value, never as zero, and counted in the summary.
- A negative count is not stored and is counted as a warning
  (`parse_count`); net changes may be negative (`parse_number`).
- Dates are checked for a plausible range by the importers (`Context.plausible`).
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from collectors.importers.findings import Findings
from collectors.importers.readers import ImportFileError, Row, Table

MAX_DIGITS = 15  # more integer digits than any real count, and the limit of exact floats
NO_VALUE = frozenset({"nan", "undefined"})
BLANK = frozenset({"", "-", "--"})
NOT_FINITE = frozenset({"inf", "+inf", "-inf", "infinity", "+infinity", "-infinity"})
ASCII_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$", re.ASCII)
THOUSANDS_COMMA = re.compile(r"^-?\d{1,3}(?:,\d{3})+(?:\.\d+)?$", re.ASCII)
THOUSANDS_DOT = re.compile(r"^-?\d{1,3}(?:\.\d{3}){2,}(?:,\d+)?$|^-?\d{1,3}\.\d{3},\d+$", re.ASCII)


def cell(table: Table, row: Row, index: int) -> Any:
    """The raw cell (None past the end of a short row)."""
    values = row[1]
    return values[index] if index < len(values) else None


def where(table: Table, row: Row, index: int) -> str:
    """'row 5, column 'Views'' for messages."""
    return f"row {row[0]}, column '{table.headers[index]}'"


def fail(table: Table, row: Row, index: int, value: Any, expected: str) -> ImportFileError:
    shown = str(value)
    if len(shown) > 40:
        shown = f"{shown[:20]}…{shown[-8:]} ({len(shown)} characters)"
    return ImportFileError(
        f"{table.where}: {where(table, row, index)}: {shown!r} is not {expected}."
    )


def text_cell(table: Table, row: Row, index: int | None) -> str:
    if index is None:
        return ""
    value = cell(table, row, index)
    return "" if value is None else str(value).strip()


def id_text(table: Table, row: Row, index: int | None) -> str:
    """An id cell as text; spreadsheets turn long ids into floats, which is undone here."""
    if index is None:
        return ""
    value = cell(table, row, index)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return text_cell(table, row, index).lstrip("'")


# --- numbers ----------------------------------------------------------------------------------


def parse_number(
    table: Table,
    row: Row,
    index: int,
    *,
    percent: bool = False,
    findings: Findings | None = None,
) -> float | None:
    """A number, or None for an empty cell or a "no value" marker (counted in `findings`).

    Accepts thousands separators (`5,210`, `142 000`, `1.234.567`), a decimal comma
    (`3,5`, as a spreadsheet in a `;` locale writes it) and, with `percent`, `3.4%`
    (= 0.034; a bare number is then the ratio itself).
    """
    value = cell(table, row, index)
    if isinstance(value, bool):
        raise fail(table, row, index, value, "a number")
    if isinstance(value, int | float):
        return _checked(table, row, index, float(value), value)
    text = str(value if value is not None else "").strip()
    if text in BLANK:
        return None
    if text.casefold() in NO_VALUE:
        if findings is not None:
            findings.add("no_value", f"{where(table, row, index)}: {text!r}")
        return None
    if text.casefold() in NOT_FINITE:
        raise fail(table, row, index, text, "a finite number")
    if any(ch.isdigit() and not ch.isascii() for ch in text):
        raise fail(
            table,
            row,
            index,
            text,
            "a number written with the digits 0-9 (save the file with Western digits)",
        )
    is_pct = text.endswith("%")
    core = _plain(text.rstrip("%").strip())
    if core is None or (is_pct and not percent):
        expected = "a percentage (expected e.g. 3.4%)" if percent else "a number"
        raise fail(table, row, index, text, expected)
    digits = len(core.lstrip("-").split(".")[0].lstrip("0"))
    if digits > MAX_DIGITS:
        raise fail(
            table, row, index, text, f"a real count (it has {digits} digits; at most {MAX_DIGITS})"
        )
    number = _checked(table, row, index, float(core), text)
    return number / 100 if is_pct else number


def _plain(text: str) -> str | None:
    """The number with separators removed and a '.' decimal point, or None if it is not one."""
    core = text.replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    if THOUSANDS_COMMA.match(core):
        core = core.replace(",", "")
    elif THOUSANDS_DOT.match(core):
        core = core.replace(".", "").replace(",", ".")
    elif core.count(",") == 1 and "." not in core:
        core = core.replace(",", ".")  # a decimal comma
    return core if ASCII_NUMBER.match(core) else None


def _checked(table: Table, row: Row, index: int, number: float, shown: Any) -> float:
    if not math.isfinite(number):
        raise fail(table, row, index, shown, "a finite number")
    if abs(number) >= 10**MAX_DIGITS:
        raise fail(table, row, index, shown, f"a real count (more than {MAX_DIGITS} digits)")
    return number


def parse_count(table: Table, row: Row, index: int, findings: Findings) -> float | None:
    """A count (never negative): a negative one is left out and counted as a warning."""
    number = parse_number(table, row, index, findings=findings)
    if number is not None and number < 0:
        findings.add("negative", f"{where(table, row, index)}: {number:g}")
        return None
    return number


# --- dates ------------------------------------------------------------------------------------

US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$", re.ASCII)
ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$", re.ASCII)
SLASH_DATE = re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$", re.ASCII)
# "Nov 24, 2025", "November 24 2025", "24 November 2025"
NAMED_DATE = re.compile(
    r"^(?:(\d{1,2})\s+([A-Za-z]{3,9})\.?|([A-Za-z]{3,9})\.?\s+(\d{1,2})),?\s+(\d{4})$", re.ASCII
)
# TikTok Studio: "February 28", also "28 February", "Feb 28"
MONTH_DAY = re.compile(r"^(?:([A-Za-z]{3,9})\.?\s+(\d{1,2})|(\d{1,2})\.?\s+([A-Za-z]{3,9})\.?)$")
MONTHS = {
    name: i
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
DATE_FORMATS = "MM/DD/YYYY, YYYY-MM-DD or YYYY/MM/DD"


def _split(text: str) -> tuple[str, str]:
    """The date part and the rest ('2025-01-01T01:00:00' -> '2025-01-01', '01:00:00')."""
    parts = re.split(r"[ T]", text, maxsplit=1)
    return parts[0], parts[1].strip() if len(parts) > 1 else ""


def _date_text(text: str) -> date | None:
    """A date written with its year, or None."""
    head, _ = _split(text)
    try:
        if (m := NAMED_DATE.match(text)) and (month := MONTHS.get((m[2] or m[3]).casefold())):
            return date(int(m[5]), month, int(m[1] or m[4]))
        if m := US_DATE.match(head):
            return date(int(m[3]), int(m[1]), int(m[2]))
        if m := ISO_DATE.match(head):
            return date(int(m[1]), int(m[2]), int(m[3]))
        if m := SLASH_DATE.match(head):
            return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None
    return None


def parse_date(table: Table, row: Row, index: int) -> date:
    """A date cell: an Excel date, MM/DD/YYYY, YYYY-MM-DD or YYYY/MM/DD (time part ignored)."""
    value = cell(table, row, index)
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value or "").strip()
    day = _date_text(text)
    if day is None:
        expected = f"a date (expected {DATE_FORMATS})"
        if month_day(text) is not None:
            expected = f"a date with a year (expected {DATE_FORMATS})"
        raise fail(table, row, index, text, expected)
    return day


def month_day(text: str) -> tuple[int, int] | None:
    """(month, day) of a date written without a year ("February 28"), or None."""
    m = MONTH_DAY.match(text.strip())
    if not m:
        return None
    month = MONTHS.get((m[1] or m[4]).casefold())
    day = int(m[2] or m[3])
    if month is None or not 1 <= day <= (
        29 if month == 2 else 30 if month in (4, 6, 9, 11) else 31
    ):
        return None
    return month, day


def parse_month_day(table: Table, row: Row, index: int) -> tuple[int, int]:
    """A yearless TikTok Studio date ("February 28") as (month, day)."""
    text = text_cell(table, row, index)
    found = month_day(text)
    if found is None:
        raise fail(table, row, index, text, "a date (expected a month name and day, e.g. March 1)")
    return found


def is_yearless(table: Table, row: Row, index: int) -> bool:
    """Whether a date cell is written without a year ("July 16")."""
    value = cell(table, row, index)
    return isinstance(value, str) and month_day(value) is not None


def local_day(moment: datetime, zone: str) -> date:
    """The day of a moment in `zone`; the day as written when the zone shift leaves the calendar
    (year 1 or 9999), so the range check can refuse it instead of the conversion failing."""
    try:
        return moment.astimezone(ZoneInfo(zone)).date()
    except OverflowError:
        return moment.date()


TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?$", re.ASCII)


def parse_datetime(table: Table, row: Row, index: int, zone: str) -> datetime:
    """A date and time (MM/DD/YYYY HH:MM, ISO, YYYY/MM/DD HH:MM:SS or an Excel datetime).

    A time without a zone is taken in `zone`; a date without a time is midday there.
    """
    value = cell(table, row, index)
    tz = ZoneInfo(zone)
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=tz)
    text = str(value or "").strip()
    expected = "a date and time (expected MM/DD/YYYY HH:MM or YYYY/MM/DD HH:MM:SS)"
    day = parse_date(table, row, index)
    if NAMED_DATE.match(text):
        return datetime.combine(day, time(12, 0), tzinfo=tz)
    head, rest = _split(text)
    if ISO_DATE.match(head) and rest:
        try:
            parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError as exc:
            raise fail(table, row, index, text, expected) from exc
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=tz)
    clock = time(0, 0)
    if rest:
        m = TIME.match(rest)
        try:
            if not m:
                raise ValueError(rest)
            hour = int(m[1])
            if m[4]:
                hour = hour % 12 + (12 if m[4].lower() == "pm" else 0)
            clock = time(hour, int(m[2]), int(m[3] or 0))
        except ValueError as exc:
            raise fail(table, row, index, text, expected) from exc
    return datetime.combine(day, clock, tzinfo=tz)
