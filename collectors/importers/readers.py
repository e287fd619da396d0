"""Read export files into plain tables and parse their cells.

Handles what the platforms' downloads really look like: UTF-8 with or without
a BOM, UTF-16 with a BOM, a `sep=,` first line, XLSX (openpyxl) and old XLS
(xlrd), a title row above the headers, US dates (MM/DD/YYYY) next to ISO
dates, thousands separators and percentages.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from social.errors import SocialError


class ImportFileError(SocialError):
    """An export file is unknown, unreadable or has a bad value; nothing was stored."""


@dataclass
class Table:
    """One sheet (or the whole CSV): headers and rows of cells with their file row numbers."""

    file: str
    sheet: str
    headers: list[str]
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)
    title: str = ""  # text of the title rows above the headers (Meta names the metric there)

    @property
    def where(self) -> str:
        return f"{self.file}, sheet '{self.sheet}'" if self.sheet else self.file

    def column(self, *names: str) -> int | None:
        """The index of the first header matching one of `names` (case and spacing ignored)."""
        wanted = [_norm(n) for n in names]
        normed = [_norm(h) for h in self.headers]
        for name in wanted:
            if name in normed:
                return normed.index(name)
        return None


def _norm(text: str) -> str:
    return " ".join(str(text).replace("\ufeff", "").split()).casefold()


MAX_TITLE_ROWS = 3  # LinkedIn puts one title row above the headers


def read_tables(path: Path) -> list[Table]:
    """Read a CSV, XLSX or XLS file into tables (one per sheet)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFileError(f"{path.name}: cannot read the file ({exc.strerror}).") from exc
    if not data.strip():
        raise ImportFileError(f"{path.name}: the file is empty; download the export again.")
    if data[:4] == b"PK\x03\x04":
        return _read_xlsx(path.name, data)
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return _read_xls(path.name, data)
    return [_read_csv(path.name, decode(path.name, data))]


def decode(name: str, data: bytes) -> str:
    """Decode UTF-8 (with or without BOM) or UTF-16 with a BOM; anything else is refused."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        encoding = "utf-16"
    elif data[:3] == b"\xef\xbb\xbf":
        encoding = "utf-8-sig"
    else:
        encoding = "utf-8"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            f"{name}: byte {exc.start + 1} is not valid {encoding.upper()} text "
            "(expected a CSV saved as UTF-8 or UTF-16 with BOM, or an XLSX file)."
        ) from exc
    if "\x00" in text:
        raise ImportFileError(
            f"{name}: contains NUL characters; not a text export "
            "(expected a CSV saved as UTF-8 or UTF-16 with BOM, or an XLSX file)."
        )
    return text


def _read_csv(name: str, text: str) -> Table:
    lines = text.splitlines(keepends=True)
    delimiter = ","
    start = 0
    if lines and lines[0].strip().lower().startswith("sep=") and len(lines[0].strip()) == 5:
        delimiter = lines[0].strip()[4]
        start = 1
    elif lines and lines[0].count(";") > lines[0].count(",") and lines[0].count(";") > 0:
        delimiter = ";"
    try:
        reader = csv.reader(io.StringIO("".join(lines[start:])), delimiter=delimiter, strict=True)
        rows = [(start + reader.line_num, row) for row in reader]
    except csv.Error as exc:
        raise ImportFileError(f"{name}: not a readable CSV ({exc}).") from exc
    # reader.line_num is read after the row, which is its last line; good enough for one-line rows
    table = _table(name, "", rows)
    for number, row in table.rows:
        if len(row) < len(table.headers):
            # Exports write every column on every row: a short row is a cut-off download.
            raise ImportFileError(
                f"{name}: row {number} has {len(row)} of the {len(table.headers)} columns "
                f"({', '.join(repr(h) for h in table.headers)}); the file looks truncated, "
                "download the export again."
            )
    return table


def _table(name: str, sheet: str, rows: list[tuple[int, list[Any]]]) -> Table:
    """Find the header row (skipping title rows) and keep the non-empty rows below it."""
    filled = [(n, r) for n, r in rows if any(_blank(c) is False for c in r)]
    header_at = 0
    for i, (_, row) in enumerate(filled[:MAX_TITLE_ROWS]):
        if sum(1 for c in row if not _blank(c)) >= 2:
            header_at = i
            break
    if not filled:
        return Table(name, sheet, [])
    headers = [str(c).strip() if c is not None else "" for c in filled[header_at][1]]
    title = " ".join(str(c).strip() for _, row in filled[:header_at] for c in row if not _blank(c))
    return Table(name, sheet, headers, filled[header_at + 1 :], title)


def _blank(cell: Any) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _read_xlsx(name: str, data: bytes) -> list[Table]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        tables = []
        for sheet in book.worksheets:
            rows = [(i, list(r)) for i, r in enumerate(sheet.iter_rows(values_only=True), start=1)]
            tables.append(_table(name, sheet.title, rows))
        book.close()
    except Exception as exc:  # openpyxl/zipfile raise many error types for damaged archives
        raise ImportFileError(
            f"{name}: the XLSX file is damaged or truncated ({type(exc).__name__}); "
            "download the export again."
        ) from exc
    return tables


def _read_xls(name: str, data: bytes) -> list[Table]:
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data)
        tables = []
        for sheet in book.sheets():
            rows = []
            for i in range(sheet.nrows):
                cells: list[Any] = []
                for cell in sheet.row(i):
                    if cell.ctype == xlrd.XL_CELL_DATE:
                        cells.append(xlrd.xldate.xldate_as_datetime(cell.value, book.datemode))
                    else:
                        cells.append(cell.value)
                rows.append((i + 1, cells))
            tables.append(_table(name, sheet.name, rows))
    except Exception as exc:  # xlrd raises many private error types for damaged files
        raise ImportFileError(
            f"{name}: the XLS file is damaged or truncated ({type(exc).__name__}); "
            "download the export again."
        ) from exc
    return tables


# --- cell parsing -----------------------------------------------------------------------------


def _fail(table: Table, row: int, header: str, value: Any, expected: str) -> ImportFileError:
    return ImportFileError(
        f"{table.where}: row {row}, column '{header}': {str(value)!r} is not {expected}."
    )


def cell(table: Table, row: tuple[int, list[Any]], index: int) -> Any:
    values = row[1]
    return values[index] if index < len(values) else None


US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
# "Nov 24, 2025", "November 24 2025", "24 November 2025" (TikTok Studio writes month names)
NAMED_DATE = re.compile(
    r"^(?:(\d{1,2})\s+([A-Za-z]{3,9})\.?|([A-Za-z]{3,9})\.?\s+(\d{1,2})),?\s+(\d{4})$"
)
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


def parse_date(table: Table, row: tuple[int, list[Any]], index: int) -> date:
    """A date cell: an Excel date, MM/DD/YYYY or YYYY-MM-DD (time part ignored)."""
    value = cell(table, row, index)
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value or "").strip()
    head = re.split(r"[ T]", text, maxsplit=1)[0]
    try:
        if (m := NAMED_DATE.match(text)) and (month := MONTHS.get((m[2] or m[3]).casefold())):
            return date(int(m[5]), month, int(m[1] or m[4]))
        if m := US_DATE.match(head):
            return date(int(m[3]), int(m[1]), int(m[2]))
        if m := ISO_DATE.match(head):
            return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        pass
    raise _fail(
        table, row[0], table.headers[index], text, "a date (expected MM/DD/YYYY or YYYY-MM-DD)"
    )


TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?$")


def parse_datetime(table: Table, row: tuple[int, list[Any]], index: int, zone: str) -> datetime:
    """A local date and time (MM/DD/YYYY HH:MM, ISO, or an Excel datetime) made aware."""
    value = cell(table, row, index)
    tz = ZoneInfo(zone)
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=tz)
    text = str(value or "").strip()
    if ISO_DATE.match(text[:10]) and len(text) > 10:
        try:
            parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=tz)
        except ValueError as exc:
            raise _fail(
                table,
                row[0],
                table.headers[index],
                text,
                "a date and time (expected MM/DD/YYYY HH:MM)",
            ) from exc
    day = parse_date(table, row, index)
    if NAMED_DATE.match(text):
        return datetime.combine(day, time(12, 0), tzinfo=tz)  # a day without a time: midday
    rest = re.split(r"[ T]", text, maxsplit=1)[1].strip() if re.search(r"[ T]", text) else ""
    clock = time(0, 0)
    if rest:
        m = TIME.match(rest)
        hour = int(m[1]) if m else -1
        if m and m[4]:
            hour = hour % 12 + (12 if m[4].lower() == "pm" else 0)
        try:
            if not m:
                raise ValueError(rest)
            clock = time(hour, int(m[2]), int(m[3] or 0))
        except ValueError as exc:
            raise _fail(
                table,
                row[0],
                table.headers[index],
                text,
                "a date and time (expected MM/DD/YYYY HH:MM)",
            ) from exc
    return datetime.combine(day, clock, tzinfo=tz)


NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def parse_number(
    table: Table, row: tuple[int, list[Any]], index: int, *, percent: bool = False
) -> float | None:
    """A count or rate; thousands separators allowed; '' means not reported (None).

    With `percent`, "3.4%" becomes 0.034 and a bare number is taken as the ratio itself.
    """
    value = cell(table, row, index)
    if isinstance(value, bool):
        raise _fail(table, row[0], table.headers[index], value, "a number")
    if isinstance(value, int | float):
        return float(value)
    text = str(value or "").strip()
    if text in ("", "-", "--"):
        return None
    is_pct = text.endswith("%")
    core = text.rstrip("%").strip().replace(",", "").replace("\u00a0", "").replace(" ", "")
    if not NUMBER.match(core) or (is_pct and not percent):
        expected = "a percentage (expected e.g. 3.4%)" if percent else "a number"
        raise _fail(table, row[0], table.headers[index], text, expected)
    number = float(core)
    return number / 100 if is_pct else number


def text_cell(table: Table, row: tuple[int, list[Any]], index: int | None) -> str:
    if index is None:
        return ""
    value = cell(table, row, index)
    return "" if value is None else str(value).strip()
