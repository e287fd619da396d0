"""What an import noticed while reading a file: counted, with the first case shown.

Two levels: a *warning* means something in the file was doubtful and was not
stored (a negative count, a row dated in the future); a *note* says how the
file was read (cells read as "no value", rows padded, where a year came
from). Both reach the import summary as one line per kind, so a user can hold
the result against the platform's own screen.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Level = Literal["warning", "note"]

# kind -> (level, sentence with {n} and {first})
KINDS: dict[str, tuple[Level, str]] = {
    "negative": (
        "warning",
        "{n} negative count(s) not stored, as a count cannot be below 0 (first: {first})",
    ),
    "out_of_range": (
        "warning",
        "{n} row(s) not stored because their date cannot be right (first: {first})",
    ),
    "error_row": (
        "warning",
        "{n} row(s) without a post were skipped, as Meta could not compute them (first: {first})",
    ),
    "duplicate_column": ("warning", "{n} cell(s) differ between duplicate columns ({first})"),
    "negative_flow": (
        "note",
        "{n} negative daily value(s) stored as the platform reports them: removals (unlikes, "
        "deleted comments) outnumbered new ones that day (first: {first})",
    ),
    "no_value": ("note", "{n} cell(s) read as no value, not zero (first: {first})"),
    "ragged": (
        "note",
        "{n} row(s) had fewer cells than the header; the missing cells were read as empty "
        "(first: {first})",
    ),
}


@dataclass
class Finding:
    """One kind of finding: how often, and the first case."""

    kind: str
    count: int
    first: str

    @property
    def level(self) -> Level:
        return KINDS[self.kind][0]

    @property
    def message(self) -> str:
        return KINDS[self.kind][1].format(n=self.count, first=self.first)

    def to_json(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "level": self.level,
            "count": self.count,
            "message": self.message,
        }


@dataclass
class Findings:
    """Findings of one file, in the order first seen."""

    items: dict[str, Finding] = field(default_factory=dict)

    def add(self, kind: str, first: str, n: int = 1) -> None:
        """Count `n` cases of `kind`; keep the description of the first one."""
        if kind not in KINDS:
            raise KeyError(f"unknown finding kind {kind!r}")
        found = self.items.get(kind)
        if found is None:
            self.items[kind] = Finding(kind, n, first)
        else:
            found.count += n

    def count(self, kind: str) -> int:
        found = self.items.get(kind)
        return found.count if found else 0

    def of_level(self, level: Level) -> list[Finding]:
        return [f for f in self.items.values() if f.level == level]
