"""Finding a row by the name a person typed: exact first, then ignoring case and spacing.

Names are Norwegian ("Ørsted", "Åse"), so case is folded in Python: SQLite's
NOCASE only folds ASCII letters.
"""

from __future__ import annotations

import difflib

from sqlite_utils import Database


def normalise(name: str) -> str:
    """The name with runs of whitespace made single and the ends trimmed."""
    return " ".join(str(name).split())


def find_id(db: Database, table: str, name: str) -> tuple[int, str] | None:
    """(id, stored name) of the row of `table` with this name, or None."""
    cleaned = normalise(name)
    row = db.execute(
        f"SELECT id, name FROM {table} WHERE name = ? ORDER BY id", [cleaned]
    ).fetchone()
    if row is not None:
        return int(row[0]), str(row[1])
    folded = cleaned.casefold()
    for row_id, stored in db.execute(f"SELECT id, name FROM {table} ORDER BY id"):
        if normalise(stored).casefold() == folded:
            return int(row_id), str(stored)
    return None


def row_number(text: str) -> int | None:
    """A row id typed as a number ('12'), or None: other digits ('²', '١٢') and ids too
    large for SQLite's INTEGER are not row numbers."""
    value = str(text).strip()
    if value.isascii() and value.isdigit() and len(value) <= 18:
        return int(value)
    return None


def did_you_mean(name: str, candidates: list[str]) -> str:
    """ " (did you mean 'A' or 'B'?)" for close matches (ignoring case), else ''."""
    folded = {c.casefold(): c for c in candidates}
    query = " ".join(name.split()).casefold()
    # A first name alone ("Kari") should find "Kari Nordmann": whole-word matches come first.
    words = [c for c in folded if query and query in c.replace("@", " ").replace(".", " ").split()]
    close = list(dict.fromkeys(words + difflib.get_close_matches(query, list(folded), cutoff=0.6)))
    close = close[:3]
    if not close:
        return ""
    quoted = [f"'{folded[c]}'" for c in close]
    listed = quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]
    return f" (did you mean {listed}?)"
