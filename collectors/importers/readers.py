"""Read export files into plain tables.

Handles what the platforms' downloads really look like: UTF-8 with or without
a BOM, UTF-16 with a BOM, a `sep=,` or `sep=<TAB>` first line, `;` from a
spreadsheet re-save, XLSX (openpyxl) and old XLS (xlrd), title rows above the
headers, several titled sections in one CSV (Meta's daily files), rows with
fewer cells than the header (padded) and lines that were re-quoted whole.
Cells are parsed in `collectors.importers.cells`.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from core.errors import SocialError

Row = tuple[int, list[Any]]  # (row number in the file, cells)


class ImportFileError(SocialError):
    """An export file is unknown, unreadable or has a bad value; nothing was stored."""


@dataclass
class Table:
    """One sheet (or the whole CSV): headers and rows of cells with their file row numbers."""

    file: str
    sheet: str
    headers: list[str]
    rows: list[Row] = field(default_factory=list)
    title: str = ""  # text of the title rows above the headers (Meta names the metric there)
    ragged: list[tuple[int, int]] = field(default_factory=list)  # (row, cells) of short rows

    @property
    def where(self) -> str:
        return f"{self.file}, sheet '{self.sheet}'" if self.sheet else self.file

    @cached_property
    def _normed(self) -> list[str]:
        return [_norm(h) for h in self.headers]

    def column(self, *names: str) -> int | None:
        """The index of the first header matching one of `names` (case and spacing ignored)."""
        for name in names:
            wanted = _norm(name)
            if wanted in self._normed:
                return self._normed.index(wanted)
        return None

    def columns(self, *names: str) -> list[int]:
        """Every index whose header matches one of `names` (a header may appear twice)."""
        wanted = {_norm(n) for n in names}
        return [i for i, h in enumerate(self._normed) if h in wanted]


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
    return _read_csv(path.name, decode(path.name, data))


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


def _read_csv(name: str, text: str) -> list[Table]:
    """One table per titled section (Meta daily files hold one per platform)."""
    first = text.split("\n", 1)[0].rstrip("\r")
    delimiter, skip = ",", 0
    if first.lower().startswith("sep=") and len(first) == 5:
        delimiter, skip = first[4], 1
    elif first.count(";") > first.count(",") and first.count(";") > first.count("\t"):
        delimiter = ";"  # a spreadsheet in a ';' locale re-saved the file
    elif first.count("\t") > first.count(","):
        delimiter = "\t"
    body = text.split("\n", 1)[1] if skip else text
    rows = _csv_rows(name, body, delimiter)
    if rows and rows[0][1] and all(len(r) <= 1 for _, r in rows) and delimiter in rows[0][1][0]:
        # Every line was wrapped in quotes as one cell (a re-save, not a platform format):
        # the cells are the lines, so read them again.
        rows = _csv_rows(name, "\n".join(r[0] if r else "" for _, r in rows), delimiter)
    tables = [_table(name, "", section) for section in _sections(rows)]
    last = tables[-1] if tables else None
    short_last = last and last.ragged and last.rows and last.ragged[-1][0] == last.rows[-1][0]
    if last and short_last and not text.endswith(("\n", "\r")):
        # A short last row without a line end: the download stopped mid-row.
        number, cells = last.ragged[-1]
        raise ImportFileError(
            f"{name}: row {number} has {cells} of the {len(last.headers)} columns "
            f"({', '.join(repr(h) for h in last.headers)}); the file looks truncated, "
            "download the export again."
        )
    return tables


def _csv_rows(name: str, body: str, delimiter: str) -> list[Row]:
    """Rows numbered as a spreadsheet shows them: one per record, a multi-line cell included,
    the `sep=` line (which spreadsheets hide) not counted."""
    reader = csv.reader(io.StringIO(body), delimiter=delimiter, strict=True)
    rows: list[Row] = []
    try:
        for row in reader:
            rows.append((len(rows) + 1, row))
    except csv.Error as exc:
        if "unexpected end of data" in str(exc):
            raise ImportFileError(
                f"{name}: row {len(rows) + 1} ends inside a quoted cell; "
                "the file looks truncated, download the export again."
            ) from exc
        raise ImportFileError(f"{name}: row {len(rows) + 1} is not readable CSV ({exc}).") from exc
    return rows


def _sections(rows: list[Row]) -> list[list[Row]]:
    """Split rows at a blank row followed by a title row and a header row."""
    sections: list[list[Row]] = [[]]
    for i, (number, row) in enumerate(rows):
        if _is_blank_row(row) and len(sections[-1]) >= 2 and _starts_section(rows, i + 1):
            sections.append([])
            continue
        sections[-1].append((number, row))
    return [s for s in sections if s]


def _starts_section(rows: list[Row], start: int) -> bool:
    filled = [r for _, r in rows[start : start + 4] if not _is_blank_row(r)][:2]
    return len(filled) == 2 and _filled_cells(filled[0]) == 1 and _filled_cells(filled[1]) >= 2


def _filled_cells(row: list[Any]) -> int:
    return sum(1 for c in row if not _blank(c))


def _is_blank_row(row: list[Any]) -> bool:
    return _filled_cells(row) == 0


def _table(name: str, sheet: str, rows: list[Row]) -> Table:
    """Find the header row (skipping title rows) and keep the non-empty rows below it.

    Short rows are padded with empty cells; in a CSV (no sheet) they are also noted as
    ragged, while a short sheet row only means empty cells at its end.
    """
    filled = [(n, r) for n, r in rows if not _is_blank_row(r)]
    header_at = 0
    for i, (_, row) in enumerate(filled[:MAX_TITLE_ROWS]):
        if _filled_cells(row) >= 2:
            header_at = i
            break
    if not filled:
        return Table(name, sheet, [])
    headers = [str(c).strip() if c is not None else "" for c in filled[header_at][1]]
    while headers and not headers[-1]:
        headers.pop()  # a trailing delimiter is not a column
    title = " ".join(str(c).strip() for _, row in filled[:header_at] for c in row if not _blank(c))
    table = Table(name, sheet, headers, title=title)
    for number, row in filled[header_at + 1 :]:
        if len(row) < len(headers):
            # Meta leaves the last columns off some rows: the missing cells are empty.
            if not sheet:
                table.ragged.append((number, len(row)))
            row = row + [""] * (len(headers) - len(row))
        table.rows.append((number, row))
    return table


def _blank(cell: Any) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _read_xlsx(name: str, data: bytes) -> list[Table]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        tables = []
        for sheet in book.worksheets:
            rows: list[Row] = [
                (i, list(r)) for i, r in enumerate(sheet.iter_rows(values_only=True), start=1)
            ]
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
            rows: list[Row] = []
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
