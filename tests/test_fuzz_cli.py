"""Property-based tests over every command's inputs: whatever a person types, the answer is a
result or one clear error, never "internal error" or a traceback, and a command that fails
leaves the database exactly as it was.

Each command of the `social` tree gets random argument values drawn from what outside
testing found dangerous (dates in years 1 and 9999, 20-digit and Arabic-Indic numbers,
inf/nan, formula and Slack/Markdown control text, NUL, 200 000-character values, paths that
are folders or too long) mixed with valid names and ids from a seeded workspace. Commands
that start servers, open a browser or call the platforms are left out (their inputs are
checked by their own tests), and so is `social import` (its fuzz tests are
tests/test_import_fuzz.py).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from core.config import render_default_config
from db import open_db
from db.seed import seed_demo
from social.cli import cli
from social.demo import demo_plans

SKIP = {
    "demo",  # starts the sandbox and syncs over HTTP (tests/test_demo.py)
    "sync",  # calls the platforms
    "sandbox serve",
    "scheduler run",
    "calendar serve",
    "serve",  # the web app runs until stopped (tests/test_web_*.py)
    "auth tiktok",
    "auth linkedin",
    "auth facebook",
    "import",  # owned by the import tests (tests/test_import_fuzz.py)
}
# Options that reach the network or a mail server.
SKIP_OPTIONS = {("tick", "with_sync"), ("report weekly", "send"), ("report campaign", "send")}
SKIP_OPTIONS |= {("report partner", "send")}

HOSTILE = [
    "",
    " ",
    "0",
    "-1",
    "99999999999999999999",
    "1" * 400,
    "1e300",
    "inf",
    "nan",
    "١٢",
    "²",
    "0001-01-01",
    "9999-12-31",
    "0001-01-01 00:30",
    "9999-12-31 23:59",
    "2026-02-30",
    "9999-W52",
    "0001-W01",
    "2026-W53",
    '=HYPERLINK("https://evil")',
    "<!channel> & <https://evil|klikk her>",
    "[klikk](https://evil) **x**",
    "{{ 7*7 }}",
    "a\x00b",
    "line\nbreak",
    "\x1b[2J",
    "x" * 200_000,
    "🙂" * 50,
    "../../etc/passwd",
    "kari@example.no",
    "U012ABCDEF",
    "22:00-07:00",
    "25:00-99:99",
    "views=1e400",
    "ctr:paid=1.2%",
    "tiktok:7301234567890123456",
    "all",
]
NAMES = ["Ingrid", "Sander", "Kari (kommunikasjon)", "Equinor", "Elev (16 år)", "1", "2", "3"]


def _commands() -> Iterator[tuple[str, click.Command]]:
    ctx = click.Context(cli)

    def walk(command: click.Command, path: list[str]) -> Iterator[tuple[str, click.Command]]:
        if isinstance(command, click.Group):
            for name in command.list_commands(ctx):
                sub = command.get_command(ctx, name)
                assert sub is not None
                yield from walk(sub, [*path, name])
        else:
            yield " ".join(path), command

    for name, command in walk(cli, []):
        if name not in SKIP:
            yield name, command


COMMANDS = dict(_commands())


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace with the demo's team, consent records, partners, calendar and a brief."""
    folder = tmp_path_factory.mktemp("fuzz-template")
    (folder / "social.toml").write_text(render_default_config(), encoding="utf-8")
    db = open_db(folder / "social.db")
    seed_demo(db, today=date(2026, 11, 23), zone="Europe/Oslo", plans=demo_plans())
    db.close()
    (folder / "plan.csv").write_text("id,uid,planned_at,platform,title\n1,,x,tiktok,t\n")
    (folder / "folder").mkdir()
    return folder


@pytest.fixture
def workspace(template: Path, tmp_path: Path) -> Iterator[Path]:
    target = tmp_path / "ws"
    shutil.copytree(template, target)
    previous = os.getcwd()
    os.chdir(target)
    try:
        yield target
    finally:
        os.chdir(previous)


def _paths() -> st.SearchStrategy[str]:
    return st.sampled_from(
        ["out.csv", "plan.csv", "folder", "missing/out.md", "a\x00b", "x" * 300, "", "social.db"]
    )


def _value(param: click.Parameter) -> st.SearchStrategy[Any]:
    kind = param.type
    if isinstance(kind, click.Choice):
        return st.sampled_from(list(kind.choices))
    if isinstance(kind, click.Path):
        return _paths()
    text = st.one_of(st.sampled_from(HOSTILE), st.sampled_from(NAMES), st.text(max_size=20)).filter(
        lambda v: not v.startswith("-")
    )
    if isinstance(kind, click.types.IntParamType | click.types.FloatParamType):
        return st.one_of(st.integers(-(10**20), 10**20).map(str), text)
    return text


@st.composite
def _arguments(draw: st.DrawFn, name: str, command: click.Command) -> list[str]:
    positional: list[str] = []
    for param in command.params:
        if isinstance(param, click.Argument) and (param.required or draw(st.booleans())):
            positional.append(draw(_value(param)))
    options = [
        p
        for p in command.params
        if isinstance(p, click.Option) and p.name != "help" and (name, p.name) not in SKIP_OPTIONS
    ]
    chosen = draw(st.lists(st.sampled_from(options), max_size=3, unique_by=id)) if options else []
    args: list[str] = []
    for option in chosen:
        if option.is_flag:
            args.append(draw(st.sampled_from(option.opts + option.secondary_opts)))
        else:
            args += [option.opts[0], draw(_value(option))]
    # '--' before the arguments: a value like '-1' is an argument, not an option.
    return [*args, "--", *positional] if positional else args


def _dump(folder: Path) -> str:
    """The database as SQL; the register of written files is left out (`report weekly` writes
    the report and then says the week has no data, by design)."""
    db = open_db(folder / "social.db", create=False)
    try:
        return "\n".join(line for line in db.iterdump() if '"written_files"' not in line)
    finally:
        db.close()


@pytest.mark.parametrize("name", sorted(COMMANDS))
@settings(
    # Twenty per command keeps CI fast; SOCIAL_FUZZ_EXAMPLES=200 for a deeper run by hand.
    max_examples=int(os.environ.get("SOCIAL_FUZZ_EXAMPLES", "20")),
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_any_input_gives_a_result_or_one_clear_error(
    workspace: Path, name: str, data: st.DataObject
) -> None:
    args = data.draw(_arguments(name, COMMANDS[name]), label="args")
    before = _dump(workspace)
    result = CliRunner().invoke(cli, [*name.split(), *args], input="n\n")
    shown = result.output[-2000:]
    assert result.exit_code in (0, 1, 2), shown
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert "internal error" not in result.output, shown
    assert "Traceback" not in result.output, shown
    if result.exit_code != 0:
        assert _dump(workspace) == before, f"a failed command changed the database: {shown}"
