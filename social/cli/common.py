"""Shared pieces of the CLI: the workspace (config + database) and output options."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any, TypeVar

import click

from social.config import Config, load_config
from social.timeutil import parse_date

if TYPE_CHECKING:
    from sqlite_utils import Database

F = TypeVar("F", bound=Callable[..., Any])


@dataclass
class Workspace:
    """The config and database a command works on, opened on first use."""

    config_path: str | None

    @cached_property
    def config(self) -> Config:
        return load_config(self.config_path)

    @cached_property
    def db(self) -> Database:
        from db import open_db

        return open_db(self.config.database_path)


pass_workspace = click.make_pass_decorator(Workspace)


def format_option(*choices: str, default: str | None = None) -> Callable[[F], F]:
    """The --format option shared by listing and report commands."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(choices),
        default=default or choices[0],
        show_default=True,
        help="Output format.",
    )


class DateParam(click.ParamType):
    """A YYYY-MM-DD date option with a clear error."""

    name = "date"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if value is None or not isinstance(value, str):
            return value
        try:
            return parse_date(value)
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


DATE = DateParam()


def emit_rows(
    rows: Sequence[dict[str, Any]], fmt: str, columns: Sequence[str] | None = None
) -> None:
    """Print rows as a table (rich), JSON or CSV."""
    columns = list(columns or (rows[0].keys() if rows else []))
    if fmt == "json":
        click.echo(json.dumps(list(rows), ensure_ascii=False, indent=2, default=str))
    elif fmt == "csv":
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
        click.echo(buf.getvalue(), nl=False)
    else:
        from rich.table import Table
        from rich.text import Text

        table = Table(show_header=True, header_style="bold")
        for col in columns:
            table.add_column(col)
        for row in rows:
            # Text cells, not markup: data such as "[deleted]" or a caption's "[1/3]" shows as is.
            table.add_row(*(Text("" if row.get(c) is None else str(row.get(c))) for c in columns))
        print_table(table)


def print_table(table: Any) -> None:
    """Print a rich table; piped or redirected output gets its natural width, unwrapped."""
    from rich.console import Console

    console = Console()
    if not console.is_terminal:
        natural = console.measure(table, options=console.options.update_width(1000)).maximum
        console = Console(width=max(80, natural))
    console.print(table)
