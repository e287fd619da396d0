"""Helpers for the partner and brief tests: run the CLI, seed campaigns, configure overrides."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner, Result
from sqlite_utils import Database

from db import open_db
from social.cli import cli


def run(runner: CliRunner, *args: str) -> Result:
    """Invoke `social ...` in the current workspace."""
    return runner.invoke(cli, list(args))


def one_line_error(result: Result) -> str:
    """The error of a failed command, checked to be one line and no traceback."""
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert len(lines) == 1, result.output
    return lines[0]


def db(workspace: Path) -> Database:
    return open_db(workspace / "social.db")


def add_campaign(
    workspace: Path, name: str, partner: str | None, hashtags: list[str], description: str = ""
) -> int:
    """A campaign (the campaign CLI is another module's) with hashtags, linked to a partner."""
    database = db(workspace)
    partner_id = None
    if partner:
        partner_id = database.execute(
            "SELECT id FROM partners WHERE name = ?", [partner]
        ).fetchone()[0]
    with database.atomic():
        cur = database.execute(
            "INSERT INTO campaigns (name, start_date, end_date, platforms, partner_id, description,"
            " created_at, updated_at) VALUES (?, '2030-09-01', '2030-11-30', ?, ?, ?,"
            " '2030-08-01T08:00:00Z', '2030-08-01T08:00:00Z')",
            [name, json.dumps(["tiktok"]), partner_id, description],
        )
        campaign_id = int(cur.lastrowid or 0)
        for tag in hashtags:
            database.execute(
                "INSERT INTO campaign_members (campaign_id, kind, value) VALUES (?, 'hashtag', ?)",
                [campaign_id, tag],
            )
    return campaign_id


def use_template_dir(workspace: Path, folder: str = "mine") -> Path:
    """Point [briefs] template_dir at a new folder in the workspace."""
    config = workspace / "social.toml"
    text = config.read_text(encoding="utf-8")
    assert 'template_dir = ""' in text
    config.write_text(text.replace('template_dir = ""', f'template_dir = "{folder}"'), "utf-8")
    path = workspace / folder
    path.mkdir(exist_ok=True)
    return path


def count(workspace: Path, table: str) -> int:
    return int(db(workspace).execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])
