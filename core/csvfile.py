"""The one CSV writer for every CSV the tool writes, safe to open in a spreadsheet.

A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` (and, in some,
a tab or carriage return) as a formula, so a caption like `=HYPERLINK(...)`
from a platform or a slot title typed by anyone becomes code on the
communications lead's machine. Following OWASP's advice on CSV injection, such
a text cell is written with a leading `'`, which spreadsheets show as a text
marker; quotes inside are doubled and the cell quoted by the csv module.

Numbers stay numbers: ints and floats, and text that is just a number
(`-12`, `3.5`), are written as they are.

The rule is reversible, so a file written here and read back with
`read_cell` gives the same text (`social calendar export` -> `import`): a
`'` is added only in front of a trigger character or of quotes followed by
one, and `read_cell` removes exactly that one.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_GUARDED = re.compile(r"^'*[=+\-@\t\r]")
_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d+)?|\.\d+)([eE][+-]?\d+)?$")


def safe_cell(value: Any) -> Any:
    """The value as written to a CSV cell: formula-like text gets a leading `'`."""
    if value is None or isinstance(value, bool | int | float):
        return value
    text = str(value)
    if _NUMBER.match(text):
        return text
    if _GUARDED.match(text):
        return "'" + text
    return text


def read_cell(text: str) -> str:
    """A cell's text as it was before `safe_cell` (removes the one `'` it added)."""
    if text.startswith("'") and _GUARDED.match(text[1:]) and not _NUMBER.match(text[1:]):
        return text[1:]
    return text


def rows_to_csv(
    rows: Iterable[Sequence[Any]],
    header: Sequence[str] | None = None,
    *,
    delimiter: str = ",",
) -> str:
    """CSV text of rows (and a header), every cell through safe_cell; RFC 4180 line ends.

    The csv module quotes a cell holding a character of the line terminator, so with
    CRLF every cell with a line break (CR or LF) is quoted and the file reads back whole.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", delimiter=delimiter)
    if header is not None:
        writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
    return buffer.getvalue()


def dicts_to_csv(
    rows: Iterable[Mapping[str, Any]],
    columns: Sequence[str],
) -> str:
    """CSV text of dicts in the given column order (missing keys are empty cells)."""
    return rows_to_csv(([row.get(c) for c in columns] for row in rows), list(columns))
