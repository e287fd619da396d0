"""Helpers for the campaign tests: a workspace database with a partner and a calendar slot."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from db import open_db
from social.cli import cli

NOW = "2026-01-05T08:00:00Z"


def seed_planning(folder: Path) -> None:
    """A partner (Equinor) and a calendar slot (uid slot-1) for members to refer to."""
    db = open_db(folder / "social.db")
    try:
        db.execute(
            "INSERT INTO partners (name, tier, created_at) VALUES ('Equinor', 'large', ?)", [NOW]
        )
        db.execute(
            """INSERT INTO calendar_slots (uid, planned_at, platform, title, created_at, updated_at)
               VALUES ('slot-1', '2026-09-03T16:00:00Z', 'tiktok', 'Realfag-video', ?, ?)""",
            [NOW, NOW],
        )
    finally:
        db.conn.close()


def tables(folder: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the campaign tables (and the campaign links of slots), to compare."""
    db = open_db(folder / "social.db")
    try:
        return {
            name: [tuple(r) for r in db.execute(f"SELECT * FROM {name} ORDER BY 1, 2, 3")]
            for name in ("campaigns", "campaign_members", "kpi_targets")
        } | {
            "slot_links": [
                tuple(r) for r in db.execute("SELECT uid, campaign_id FROM calendar_slots")
            ]
        }
    finally:
        db.conn.close()


def run(runner: CliRunner, *args: str, input: str | None = None) -> Result:
    return runner.invoke(cli, ["campaign", *args], input=input)


ADD_REALFAG = (
    "add",
    "Realfag høst 2026",
    "--start",
    "2026-09-01",
    "--end",
    "2026-10-31",
    "--platform",
    "tiktok",
    "--platform",
    "facebook",
    "--hashtag",
    "#Realfag",
    "--post",
    "tiktok:7301234567890123456",
    "--slot",
    "slot-1",
    "--ad-campaign",
    "tiktok:1780000000000002",
    "--ad-campaign",
    "facebook:120210000000000202",
    "--partner",
    "equinor",
    "--budget",
    "60 000",
    "--currency",
    "nok",
    "--target",
    "views=400000",
    "--target",
    "reach:paid:tiktok=150000",
    "--target",
    "ctr:paid=1,2 %",
    "--target",
    "cost_per_result:paid=0.8",
    "--description",
    "Høstkampanje for realfag",
)
