"""Shared pieces of the CLI: the workspace (config + database) and output options."""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from core.config import Config, load_config
from core.timeutil import parse_date

if TYPE_CHECKING:
    from sqlite_utils import Database

    from scheduler.consent import Rules

F = TypeVar("F", bound=Callable[..., Any])


@dataclass
class Workspace:
    """The config and database a command works on, opened on first use."""

    config_path: str | None

    @cached_property
    def config(self) -> Config:
        return load_config(self.config_path)

    @cached_property
    def rules(self) -> Rules:
        """The consent rules ([consent] age limits and validity)."""
        from scheduler.consent import Rules

        return Rules.from_config(self.config)

    @cached_property
    def db(self) -> Database:
        from core.errors import DatabaseError
        from db import open_db

        config = self.config
        path = config.database_path
        if config.path is None and not path.exists():
            # No social.toml here: never leave a stray empty social.db behind.
            raise DatabaseError(
                f"no social.toml in {path.parent} (and no {path.name}); run 'social init' to "
                "set up this folder, or give --config FILE"
            )
        return open_db(path, create=False, backup_dir=config.backup_dir)


pass_workspace = click.make_pass_decorator(Workspace)


def refuse_own_files(ws: Workspace, path: str | Path | None, option: str) -> None:
    """Stop an output file from overwriting the database, its journal, social.toml or tokens."""
    from core.errors import SocialError

    if path is None:
        return
    config = ws.config
    database = config.database_path
    own = {database, database.with_name(database.name + "-wal")}
    own |= {database.with_name(database.name + "-shm"), config.token_file}
    if config.path is not None:
        own.add(config.path)
    try:
        target = Path(path).resolve()
    except (OSError, ValueError):
        return  # an unusable name fails with its own clear error when it is opened
    if target in {p.resolve() for p in own}:
        raise SocialError(
            f"{option} {path} is one of this workspace's own files (database, config or "
            "tokens); write to another file"
        )


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


def sign_in_options(port: int, redirect: str) -> Callable[[F], F]:
    """The options every platform's browser sign-in shares (`social auth <platform>`).

    `port` is the default localhost port of the redirect; `redirect` the address
    to register in the platform's app, with PORT where the port goes.
    """
    options = (
        click.option("--token", help="Paste an access token instead of signing in."),
        click.option("--code", help="An authorization code you already have (skips the browser)."),
        click.option(
            "--port",
            type=int,
            default=port,
            show_default=True,
            help=f"Localhost port for the redirect (register {redirect}).",
        ),
        click.option(
            "--no-browser", is_flag=True, help="Print the sign-in URL instead of opening it."
        ),
    )

    def decorate(command: F) -> F:
        for option in reversed(options):
            command = option(command)
        return command

    return decorate


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
# A row id (brief, slot): a positive number that fits SQLite's INTEGER.
ROW_ID = click.IntRange(1, 2**63 - 1)


class HoursParam(click.ParamType):
    """A finite number of hours in a range (click's FloatRange lets inf and nan through)."""

    name = "hours"

    def __init__(self, low: float = 0, high: float = 720) -> None:
        self.low, self.high = low, high

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, float | int) and not isinstance(value, bool):
            number = float(value)
        else:
            try:
                number = float(str(value).strip().replace(",", "."))
            except ValueError:
                self.fail(f"'{str(value)[:40]}' is not a number of hours, e.g. 36", param, ctx)
        if not (math.isfinite(number) and self.low <= number <= self.high):
            self.fail(
                f"{str(value)[:40]} is not between {self.low:g} and {self.high:g} hours",
                param,
                ctx,
            )
        return number


HOURS = HoursParam()


def emit_rows(
    rows: Sequence[dict[str, Any]], fmt: str, columns: Sequence[str] | None = None
) -> None:
    """Print rows as a table (rich), JSON or CSV."""
    columns = list(columns or (rows[0].keys() if rows else []))
    if fmt == "json":
        click.echo(json.dumps(list(rows), ensure_ascii=False, indent=2, default=str))
    elif fmt == "csv":
        from core.csvfile import dicts_to_csv

        click.echo(dicts_to_csv(rows, columns), nl=False)
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
