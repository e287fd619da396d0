"""The `social` command: a thin click layer over the packages.

Subcommands are loaded lazily so `social --help` stays fast: heavy libraries
(pandas, matplotlib, httpx) are imported only by the commands that need them.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sqlite3
import sys
from typing import Any

import click

from core.errors import SocialError
from social import __version__

# name -> (module in social.cli, attribute, one-line help shown by `social --help`)
COMMANDS: dict[str, tuple[str, str, str]] = {
    "init": ("setup", "init", "Write a commented social.toml in this folder."),
    "demo": ("demo", "demo", "Run the whole product against the built-in sandbox."),
    "sync": ("sync", "sync", "Collect metrics from the platforms into the database."),
    "import": ("importing", "import_file", "Import a platform's own export file (CSV/XLSX)."),
    "posts": ("posts", "posts", "List posts with their latest metrics."),
    "status": ("status", "status", "Accounts, last syncs, token expiry and database size."),
    "auth": ("auth", "auth", "Connect to a platform and show token status."),
    "sandbox": ("sandbox", "sandbox", "Run the simulated platform APIs."),
    "campaign": ("campaign", "campaign", "Campaigns and their KPI targets."),
    "report": ("report", "report", "Weekly, campaign and partner reports."),
    "insights": ("insights", "insights", "What makes a post do better than usual."),
    "team": ("team", "team", "The people who plan, film and get reminders."),
    "calendar": ("calendar", "calendar", "The content calendar: plan, list, export, iCal."),
    "partner": ("partner", "partner", "Partner companies."),
    "brief": ("brief", "brief", "Partner briefs from templates."),
    "scheduler": ("scheduler", "scheduler", "The scheduler service and its reminder ledger."),
    "tick": ("scheduler", "tick", "Send the reminders and reports that are due (for cron)."),
    "privacy": ("privacy", "privacy", "List or delete the personal details we keep."),
    "serve": ("serve", "serve", "Run the web app for the team (127.0.0.1 by default)."),
    "login-link": ("serve", "login_link", "Print a one-time sign-in link for the web app."),
    "backup": ("backup", "backup", "Back the database up (safe while the service runs)."),
    "restore": ("backup", "restore", "Replace the database with a checked backup."),
}


class LazyGroup(click.Group):
    """A group whose subcommands are imported only when used."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(name for name in COMMANDS if _available(name))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS or not _available(cmd_name):
            return None
        module, attr, _ = COMMANDS[cmd_name]
        command = getattr(importlib.import_module(f"social.cli.{module}"), attr)
        assert isinstance(command, click.Command)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, COMMANDS[name][2]) for name in self.list_commands(ctx)]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except SocialError as exc:
            from core.redact import redact

            raise click.ClickException(redact(str(exc))) from None
        except sqlite3.OperationalError as exc:
            raise click.ClickException(f"database error: {exc}") from None
        except BrokenPipeError:
            # The reader went away (`social posts | head`): stop quietly, like other tools.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(1)
        except KeyboardInterrupt:
            click.echo("Interrupted; everything stored so far is kept.", err=True)
            sys.exit(130)
        except OSError as exc:
            # A file a command was told to read or write: name it and the fix, not the errno.
            raise click.ClickException(file_problem(exc)) from None
        except ValueError as exc:
            if "null byte" not in str(exc):
                raise click.ClickException(_internal(exc)) from None
            raise click.ClickException(
                "a file name contains a NUL character; give a plain file name"
            ) from None
        except Exception as exc:  # noqa: BLE001 - the last line of defence for users
            if os.environ.get("SOCIAL_DEBUG"):
                raise
            raise click.ClickException(_internal(exc)) from None


def _internal(exc: Exception) -> str:
    if os.environ.get("SOCIAL_DEBUG"):
        raise exc
    from core.redact import redact

    return redact(
        f"internal error ({type(exc).__name__}: {exc}); "
        "run again with SOCIAL_DEBUG=1 for details and report it"
    )


def file_problem(exc: OSError) -> str:
    """One line for a file that cannot be read or written: which, why, and what to do."""
    name = str(exc.filename) if exc.filename is not None else "a file"
    if len(name) > 80:
        name = name[:77] + "..."
    reason = exc.strerror or str(exc)
    return f"{name}: {reason.lower()}; check the path (the folder must exist) and its permissions"


def _available(name: str) -> bool:
    module = COMMANDS[name][0]
    return importlib.util.find_spec(f"social.cli.{module}") is not None


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False),
    envvar="SOCIAL_CONFIG",
    help="Config file (default ./social.toml).",
)
@click.version_option(__version__, prog_name="social")
@click.pass_context
def cli(ctx: click.Context, config_path: str | None) -> None:
    """Collect, plan and report social-media reach on every installed platform.

    \b
    Start with:
      social demo            # everything, against the built-in sandbox
      social init            # write social.toml for your own accounts
    """
    from social.cli.common import Workspace

    ctx.obj = Workspace(config_path)


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="social")
