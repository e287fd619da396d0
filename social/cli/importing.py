"""`social import`: read a platform's own export file into the database."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from core import registry
from social.cli.common import DATE, Workspace, emit_rows, format_option, pass_workspace


@click.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--platform",
    type=click.Choice(registry.names()),
    help="Only accept an export of this platform (default: detect from the columns); "
    "also says whose a Meta daily 'Views' file is.",
)
@click.option(
    "--account",
    "account_id",
    help="The platform account id the file belongs to (default: the file or social.toml).",
)
@click.option(
    "--period-end",
    type=DATE,
    help="The export's last day (YYYY-MM-DD): gives TikTok Studio's yearless dates their "
    "year and dates lifetime totals (default: the file name, else the file's own dates).",
)
@click.option("--dry-run", is_flag=True, help="Show what would be stored; write nothing.")
@format_option("table", "json")
@pass_workspace
def import_file(
    ws: Workspace,
    file: Path,
    platform: str | None,
    account_id: str | None,
    period_end: date | None,
    dry_run: bool,
    fmt: str,
) -> None:
    """Import a platform's own export file (CSV, XLSX or XLS).

    Reads the export files each installed platform names (for example a
    LinkedIn page export, a Meta Business Suite CSV in UTF-8 or UTF-16, a
    TikTok Studio export), detecting the kind from the columns. Values are
    stored with their windows and origin like API data (source
    'import:<kind>') and carry the export's own period, not the import day;
    posts use the API's ids, so a post that also came through the API is
    never counted twice. Re-importing a file changes nothing. A bad file
    stores nothing and names the row or column; doubtful values that cannot
    be right are left out and counted as warnings. A part of a file for a
    platform that is not installed is recognised and refused. --platform also
    says whose a file is when its columns cannot tell (a Meta daily 'Views'
    file: Meta gives both its platforms the same title).

    \b
    Example:
      social import linkedin_content.xlsx
      social import Jan-14-2025_Apr-14-2025_1396269028466733.csv --dry-run
      social import Overview.csv --period-end 2026-02-27 --account 7012345
      social import Views.csv --platform facebook --format json
    """
    from collectors.importers import Context, read_export
    from collectors.importers.base import EARLIEST_DAY
    from collectors.importers.store import store
    from core.timeutil import local_date, utcnow

    config = ws.config
    now = utcnow()
    today = local_date(now, config.timezone)
    if period_end is not None and not EARLIEST_DAY <= period_end <= today:
        raise click.BadParameter(
            f"{period_end.isoformat()} is {'in the future' if period_end > today else 'too early'}"
            f"; give the export's last day, between {EARLIEST_DAY.isoformat()} and "
            f"{today.isoformat()}.",
            param_hint="'--period-end'",
        )
    ids = {
        p.name: str(config.get(p.name, p.import_account_key) or "")
        for p in registry.platforms()
        if p.import_account_key
    }
    ctx = Context(
        file=file.name,
        zone=config.timezone,
        now=now,
        today=today,
        ids={p: v for p, v in ids.items() if v},
        period_end=period_end,
        platform=platform,
    )
    parsed = read_export(file, ctx, platform)  # the whole file, before anything is written
    if dry_run and not config.database_path.exists():
        from db import open_db

        db = open_db(":memory:")  # nothing stored yet: everything would be new
    else:
        db = ws.db
    result = store(db, parsed, file.name, account_id=account_id, dry_run=dry_run)
    if fmt == "json":
        import json

        click.echo(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
        return
    click.echo(result.line())
    for line in result.details():
        click.echo(f"  {line}")
    if dry_run:
        emit_rows(
            result.breakdown,
            "table",
            ["record", "metric", "origin", "grain", "rows", "sum", "from", "to"],
        )
