"""Daily tables (one row per day, one column per metric) into account metric values.

Shared by every kind with a `Date` column: LinkedIn 'Metrics', Meta daily
sections, TikTok Studio Overview / Viewers / FollowerHistory and the TikTok
business overview. Each value is stored for its own day (grain 'day').
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from collectors.importers.base import Context, Parsed
from collectors.importers.cells import (
    is_yearless,
    parse_count,
    parse_date,
    parse_month_day,
    parse_number,
)
from collectors.importers.periods import month_name, resolve_yearless
from collectors.importers.readers import ImportFileError, Row, Table
from core.domain import MetricValue

# count: never negative (views, reach, clicks, a level); a negative one is left out.
# flow: a day's net likes / comments / shares: negative when removals outnumber new ones,
#   which real LinkedIn and TikTok exports show; stored as reported, and noted.
# net: a net change (followers gained - lost); rate: a ratio.
Kind = Literal["count", "flow", "net", "rate"]


@dataclass(frozen=True)
class Column:
    """A metric column: its header variants, the metric and origin it is stored under."""

    names: tuple[str, ...]
    metric: str
    origin: str
    kind: Kind = "count"


def present(table: Table, columns: Sequence[Column]) -> list[tuple[int, Column]]:
    return [(i, c) for c in columns if (i := table.column(*c.names)) is not None]


def row_days(parsed: Parsed, ctx: Context, table: Table, date_col: int) -> list[date]:
    """Each row's day; yearless dates ("February 28") get their year from the period end."""
    if not table.rows or not all(is_yearless(table, r, date_col) for r in table.rows):
        return [parse_date(table, r, date_col) for r in table.rows]
    month_days = [parse_month_day(table, r, date_col) for r in table.rows]
    named = ctx.named_period()
    anchor = named.end if named else ctx.today
    days = resolve_yearless(table, table.rows, month_days, anchor, named)
    basis = (
        f"from {named.basis}"
        if named
        else "the most recent such date not in the future; pass --period-end YYYY-MM-DD "
        "if the export ended earlier"
    )
    parsed.notes.append(
        f"The dates have no year: the last row, {month_name(*month_days[-1])}, "
        f"is {days[-1].isoformat()}, {basis}."
    )
    return days


def read_daily(
    parsed: Parsed,
    ctx: Context,
    table: Table,
    date_col: int,
    columns: Sequence[Column],
) -> list[date]:
    """Store each present column's value per day; return the days read (rows kept)."""
    found = present(table, columns)
    kept: list[date] = []
    seen: set[date] = set()
    for row, day in zip(table.rows, row_days(parsed, ctx, table, date_col), strict=True):
        if parsed.skip_day(ctx, table, row, date_col, day):
            continue
        if day in seen:
            raise ImportFileError(
                f"{table.where}: row {row[0]}: the day {day.isoformat()} appears twice; "
                "download the export again."
            )
        seen.add(day)
        kept.append(day)
        for index, column in found:
            value = _value(parsed, table, row, index, column.kind)
            if value is not None:
                parsed.page.values.append(
                    MetricValue(column.metric, value, day, day, "day", column.origin)
                )
    parsed.cover(kept)
    return kept


def _value(parsed: Parsed, table: Table, row: Row, index: int, kind: Kind) -> float | None:
    if kind == "count":
        return parse_count(table, row, index, parsed.findings)
    value = parse_number(table, row, index, percent=kind == "rate", findings=parsed.findings)
    if kind == "flow" and value is not None and value < 0:
        parsed.findings.add("negative_flow", f"row {row[0]}, column '{table.headers[index]}'")
    return value
