"""Every command is documented with an example, and `social --help` stays light."""

from __future__ import annotations

import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

from social.cli import COMMANDS, cli


def _all_commands() -> list[tuple[str, ...]]:
    ctx = click.Context(cli)
    paths: list[tuple[str, ...]] = []
    for name in cli.list_commands(ctx):
        command = cli.get_command(ctx, name)
        paths.append((name,))
        if isinstance(command, click.Group):
            paths.extend((name, sub) for sub in command.list_commands(ctx))
    return paths


@pytest.mark.parametrize("path", _all_commands(), ids=" ".join)
def test_every_command_has_help_with_an_example(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(cli, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Example" in result.output, f"social {' '.join(path)} --help shows no example"


def test_the_command_table_lists_only_modules_that_define_the_command() -> None:
    ctx = click.Context(cli)
    for name in cli.list_commands(ctx):
        assert cli.get_command(ctx, name) is not None, name
    assert set(cli.list_commands(ctx)) <= set(COMMANDS)


def test_help_imports_no_heavy_library() -> None:
    code = (
        "import sys\nfrom social.cli import cli\n"
        "try:\n    cli(['--help'])\nexcept SystemExit:\n    pass\n"
        "print('loaded:' + ','.join(m for m in ('pandas', 'matplotlib', 'httpx', 'jinja2', "
        "'apscheduler') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.rsplit("loaded:", 1)[-1].strip() == ""


def test_python_dash_m_social_runs_the_same_cli() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "social", "--version"], capture_output=True, text=True, check=True
    )
    assert out.stdout.startswith("social, version")
