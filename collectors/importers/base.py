"""What every export reader gets and gives back."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from collectors.importers.findings import Findings
from collectors.importers.periods import NamedPeriod, from_file_name
from collectors.importers.readers import ImportFileError, Row, Table
from core import registry
from core.domain import Page, Post

# No platform export holds a day before this; earlier dates are typing or conversion errors.
EARLIEST_DAY = date(2000, 1, 1)


def not_installed(platform: str) -> str | None:
    """Why a part for `platform` cannot be stored (it is not an installed platform), or None."""
    if platform in registry.names():
        return None
    return f"{platform} is not an installed platform of social"


@dataclass
class Context:
    """Where the import runs: the file's name, time zone, configured ids and the clock."""

    file: str
    zone: str
    now: datetime
    today: date
    ids: dict[str, str] = field(default_factory=dict)  # platform -> configured account id
    period_end: date | None = None  # --period-end: the export's last day
    platform: str | None = None  # --platform: also whose a file is when it cannot tell

    @property
    def latest_day(self) -> date:
        """The latest day a row may carry (tomorrow: platforms' days run in other zones)."""
        return self.today + timedelta(days=1)

    def named_period(self) -> NamedPeriod | None:
        """The period end from --period-end, else from the file name, else None."""
        if self.period_end is not None:
            return NamedPeriod(self.period_end, f"--period-end {self.period_end.isoformat()}")
        return from_file_name(self.file, self.today)

    def plausible(self, day: date) -> bool:
        return EARLIEST_DAY <= day <= self.latest_day

    def why_implausible(self, day: date) -> str:
        if day < EARLIEST_DAY:
            return f"{day.isoformat()} is before {EARLIEST_DAY.isoformat()}"
        return f"{day.isoformat()} is in the future (today is {self.today.isoformat()})"


@dataclass
class Parsed:
    """Everything one export file holds, ready for the write path (nothing stored yet)."""

    kind: str  # e.g. 'linkedin_page'; stored as source 'import:<kind>'
    platform: str
    account_kind: str  # the storage contract's account kind ('organization', 'page', ...)
    account_id: str  # '' when neither the file nor the config names the account
    config_key: str  # where a user sets the account id, e.g. "[linkedin] organization_id"
    page: Page = field(default_factory=Page)
    account_name: str = ""
    file_account: str = ""  # the account id the file itself names (Meta 'Page ID')
    parts: list[str] = field(default_factory=list)  # what was read, e.g. "sheet 'Metrics'"
    label: str = ""  # what the file is, e.g. "TikTok Studio Overview export"
    period: tuple[date, date] | None = None  # the days the file covers
    as_of: datetime | None = None  # when the file's lifetime counters were true
    notes: list[str] = field(default_factory=list)  # how the file was read (said in the summary)
    findings: Findings = field(default_factory=Findings)
    not_stored: dict[str, str] = field(default_factory=dict)  # column -> why not stored
    others: list[Parsed] = field(default_factory=list)  # parts for another platform or account
    skipped: list[str] = field(default_factory=list)  # parts of the file not stored, and why
    _seen: set[str] = field(default_factory=set, repr=False)

    @property
    def source(self) -> str:
        return f"import:{self.kind}"

    @property
    def is_empty(self) -> bool:
        return not self.page.posts and not self.page.values and not self.page.snapshots

    def describe(self) -> str:
        """One phrase saying what this part of the file is: 'a TikTok Studio Overview export
        (365 days, 2025-02-28..2026-02-27)'."""
        label = self.label or f"{registry.display_name(self.platform)} export"
        details = list(self.parts)
        if self.period:
            details.append(f"{self.period[0].isoformat()}..{self.period[1].isoformat()}")
        return f"a {label}" + (f" ({', '.join(details)})" if details else "")

    def add_post(self, post: Post) -> None:
        """Keep one record per post id (a file may list a post twice)."""
        if post.external_id not in self._seen:
            self._seen.add(post.external_id)
            self.page.posts.append(post)

    def cover(self, days: list[date]) -> None:
        """Widen the period to cover these days."""
        if not days:
            return
        low, high = min(days), max(days)
        if self.period:
            low, high = min(low, self.period[0]), max(high, self.period[1])
        self.period = (low, high)

    def skip_day(self, ctx: Context, table: Table, row: Row, index: int, day: date) -> bool:
        """True (and a warning counted) when a row's date cannot be right."""
        if ctx.plausible(day):
            return False
        self.findings.add(
            "out_of_range",
            f"row {row[0]}, column '{table.headers[index]}': {ctx.why_implausible(day)}",
        )
        return True

    def ignore_columns(self, table: Table, reasons: Mapping[str, str]) -> None:
        """Say which columns present in the table are deliberately not stored, and why."""
        for column, reason in reasons.items():
            index = table.column(column)
            if index is not None:
                self.not_stored[table.headers[index]] = reason


def plural(n: int, word: str) -> str:
    """'1 post', '2 posts'."""
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def need(table: Table, names: Mapping[str, tuple[str, ...]]) -> dict[str, int]:
    """Column indexes by key; raise naming every missing column."""
    found: dict[str, int] = {}
    missing = []
    for key, variants in names.items():
        index = table.column(*variants)
        if index is None:
            missing.append(" or ".join(repr(v) for v in variants))
        else:
            found[key] = index
    if missing:
        raise ImportFileError(
            f"{table.where}: missing column(s) {', '.join(missing)}; "
            f"found {', '.join(repr(h) for h in table.headers if h) or 'no headers'}; "
            "export the file again with all columns."
        )
    return found


def has_all(table: Table, names: Mapping[str, tuple[str, ...]]) -> bool:
    return all(table.column(*variants) is not None for variants in names.values())


def optional(table: Table, names: Mapping[tuple[str, ...], str]) -> list[tuple[int, str]]:
    """(column index, target name) for the optional columns a table has."""
    return [
        (i, target)
        for variants, target in names.items()
        if (i := table.column(*variants)) is not None
    ]
