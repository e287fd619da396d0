"""`social campaign add|edit|list|show|remove|import`: campaigns and their KPI targets."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from core import registry
from core.errors import SocialError
from social.cli.common import Workspace, format_option, pass_workspace, print_table
from social.examples import example_id, example_ids, example_scope

if TYPE_CHECKING:
    from datetime import date

    from social.campaigns import CampaignSpec, FieldError

F = TypeVar("F", bound=Callable[..., Any])


TARGET_HELP = (
    f"KPI target KPI[:ORIGIN[:PLATFORM]]=VALUE, e.g. views=400000, {example_scope()}=150000, "
    "ctr:paid=1.2% (repeatable). KPIs: views, reach, impressions, clicks, link_clicks, ctr, "
    "engagement_rate, follower_gain, cost_per_click, cost_per_1000_reached, cost_per_result, "
    f"spend; ORIGIN organic|paid|total (default total); PLATFORM {'|'.join(registry.names())}"
    "|all (default all)."
)


OPTION_OF = {
    "name": "NAME",
    "rename": "--rename",
    "start": "--start",
    "end": "--end",
    "platforms": "--platform",
    "partner": "--partner",
    "budget": "--budget",
    "currency": "--currency",
    "hashtags": "--hashtag",
    "posts": "--post",
    "slots": "--slot",
    "ad_campaigns": "--ad-campaign",
    "targets": "--target",
    "remove_targets": "--remove-target",
    "remove_hashtag": "--remove-hashtag",
    "remove_post": "--remove-post",
    "remove_slot": "--remove-slot",
    "remove_ad_campaign": "--remove-ad-campaign",
}


def option_error(exc: FieldError) -> SocialError:
    """A FieldError as the CLI shows it: '--end: the end ... ; give ...'."""
    option = OPTION_OF.get(str(exc.where[0]), "") if exc.where else ""
    return SocialError(f"{option}: {exc.detail}" if option else exc.detail)


def run_cli(action: Callable[[], Any]) -> Any:
    """Run an action, turning a FieldError into the CLI's one-line message."""
    from social.campaigns import FieldError

    try:
        return action()
    except FieldError as exc:
        raise option_error(exc) from None


def campaign_options(func: F) -> F:
    """Options shared by add and edit (applied bottom-up, so listed here in reverse)."""
    options = [
        click.option("--description", help="Free text shown in the campaign report."),
        click.option(
            "--target",
            "targets",
            multiple=True,
            metavar="KPI[:ORIGIN[:PLATFORM]]=VALUE",
            help=TARGET_HELP,
        ),
        click.option(
            "--currency",
            help="Currency of the budget (ISO code; default from [reports] currency, NOK).",
        ),
        click.option("--budget", help="Budget, e.g. 60000."),
        click.option("--partner", help="Partner company by name (see 'social partner list')."),
        click.option(
            "--ad-campaign",
            "ad_campaigns",
            multiple=True,
            metavar="PLATFORM:ID",
            help=f"The platform's ad campaign id, e.g. {example_id('ad_campaign')} (repeatable).",
        ),
        click.option(
            "--slot",
            "slots",
            multiple=True,
            metavar="UID",
            help="Calendar slot uid (repeatable; see 'social calendar list').",
        ),
        click.option(
            "--post",
            "posts",
            multiple=True,
            metavar="PLATFORM:ID",
            help=f"Post by platform id, e.g. {' or '.join(example_ids('post')) or 'PLATFORM:ID'} (repeatable).",
        ),
        click.option(
            "--hashtag",
            "hashtags",
            multiple=True,
            metavar="TAG",
            help="Posts with this hashtag published in the period belong to the "
            "campaign (repeatable; with or without #).",
        ),
        click.option(
            "--platform",
            "platforms",
            multiple=True,
            metavar="PLATFORM",
            help=f"{', '.join(registry.names())} (repeatable; default: all).",
        ),
        click.option("--end", metavar="YYYY-MM-DD", help="Last day (local date, inclusive)."),
        click.option("--start", metavar="YYYY-MM-DD", help="First day (local date)."),
    ]
    for option in options:
        func = option(func)
    return func


@click.group()
def campaign() -> None:
    """Campaigns: period, platforms, posts, ad campaigns, budget and KPI targets.

    A campaign collects posts (by hashtag, post id or calendar slot) and the
    platforms' ad campaigns, and sets KPI targets the campaign report measures
    (`social report campaign NAME`). Keep campaigns in a TOML file and load
    them with `social campaign import`.

    \b
    Example:
      social campaign add "Realfag høst 2026" --start 2026-09-01 --end 2026-10-31 \\
          --platform tiktok --platform facebook --hashtag realfag \\
          --ad-campaign tiktok:1780000000000002 --partner Equinor \\
          --budget 60000 --currency NOK --target views=400000 \\
          --target reach:paid:tiktok=150000 --target ctr:paid=1.2%
      social campaign list
      social campaign show "Realfag høst 2026"
      social campaign import campaigns.toml --dry-run
    """


@campaign.command()
@click.argument("name")
@campaign_options
@pass_workspace
def add(ws: Workspace, name: str, **options: Any) -> None:
    """Add a campaign with its members and KPI targets.

    Everything is checked before anything is written: the dates, the KPI
    names, origins and platforms, that the partner exists and that calendar
    slots exist.

    \b
    Example:
      social campaign add "Realfag høst 2026" --start 2026-09-01 --end 2026-10-31 \\
          --platform tiktok --platform facebook --hashtag realfag \\
          --post tiktok:7301234567890123456 --ad-campaign tiktok:1780000000000002 \\
          --partner Equinor --budget 60000 --currency NOK \\
          --target views=400000 --target reach:paid:tiktok=150000 \\
          --target "ctr:paid=1,2 %" --target cost_per_result:paid=0.8
    """
    from social import campaigns as c

    changes = c.Changes(**options)
    currency = str(ws.config.get("reports", "currency") or c.DEFAULT_CURRENCY)

    def run() -> CampaignSpec:
        spec = c.new_spec(ws.db, name, changes, default_currency=currency)
        c.save(ws.db, spec)
        return spec

    spec = run_cli(run)
    click.echo(
        f"Added campaign '{spec.name}' ({spec.start} – {spec.end}, "
        f"{_count(len(spec.members), 'member')}, {_count(len(spec.targets), 'target')})."
    )


@campaign.command()
@click.argument("name")
@click.option("--rename", help="Give the campaign a new name.")
@campaign_options
@click.option(
    "--remove-target",
    "remove_targets",
    multiple=True,
    metavar="KPI[:ORIGIN[:PLATFORM]]",
    help="Drop a target (repeatable).",
)
@click.option("--remove-hashtag", multiple=True, metavar="TAG", help="Drop a hashtag.")
@click.option("--remove-post", multiple=True, metavar="PLATFORM:ID", help="Drop a post.")
@click.option("--remove-slot", multiple=True, metavar="UID", help="Drop a calendar slot.")
@click.option(
    "--remove-ad-campaign", multiple=True, metavar="PLATFORM:ID", help="Drop an ad campaign."
)
@click.option(
    "--replace-members",
    is_flag=True,
    help="The --hashtag/--post/--slot/--ad-campaign given replace all members.",
)
@click.option(
    "--replace-targets", is_flag=True, help="The --target options given replace all targets."
)
@click.option("--no-partner", is_flag=True, help="Remove the partner.")
@click.option("--no-budget", is_flag=True, help="Remove the budget.")
@pass_workspace
def edit(
    ws: Workspace,
    name: str,
    remove_hashtag: tuple[str, ...],
    remove_post: tuple[str, ...],
    remove_slot: tuple[str, ...],
    remove_ad_campaign: tuple[str, ...],
    **options: Any,
) -> None:
    """Change a campaign: dates, platforms, partner, budget, members and targets.

    Given values replace the old ones; --platform replaces the platform list.
    Members and targets are added (a --target for a KPI, origin and platform
    that already has one replaces its value) unless --replace-members or
    --replace-targets is given. Nothing is written if any value is wrong.

    \b
    Example:
      social campaign edit "Realfag høst 2026" --end 2026-11-15 --target views=500000
      social campaign edit "Realfag høst 2026" --remove-target ctr:paid --hashtag realfagsuka
      social campaign edit "Realfag høst 2026" --rename "Realfag 2026"
    """
    from social import campaigns as c

    removals = (
        [("hashtag", v) for v in remove_hashtag]
        + [("post", v) for v in remove_post]
        + [("slot", v) for v in remove_slot]
        + [("ad_campaign", v) for v in remove_ad_campaign]
    )
    changes = c.Changes(**options, remove_members=removals)
    if changes.empty():
        raise click.ClickException(
            f"nothing to change for '{name}'; give at least one option "
            "(see 'social campaign edit --help')"
        )
    if changes.no_partner and changes.partner is not None:
        raise click.ClickException("--partner and --no-partner contradict; give one of them")
    if changes.no_budget and changes.budget is not None:
        raise click.ClickException("--budget and --no-budget contradict; give one of them")

    def run() -> tuple[CampaignSpec, bool]:
        cid, old = c.load_campaign(ws.db, name)
        spec = c.edited_spec(ws.db, old, changes)
        if spec.same_as(old):
            return spec, False
        c.save(ws.db, spec, current_id=cid)
        return spec, True

    spec, changed = run_cli(run)
    if changed:
        click.echo(
            f"Updated campaign '{spec.name}' ({spec.start} – {spec.end}, "
            f"{_count(len(spec.members), 'member')}, {_count(len(spec.targets), 'target')})."
        )
    else:
        click.echo(f"Campaign '{spec.name}' already looks like that; nothing changed.")


@campaign.command(name="list")
@format_option("table", "json", "csv")
@pass_workspace
def list_(ws: Workspace, fmt: str) -> None:
    """List campaigns: period, platforms, status today, number of targets, budget.

    Status is planned, running or ended by today's date in the configured
    time zone (default Europe/Oslo).

    \b
    Example:
      social campaign list
      social campaign list --format json
    """
    from social import campaigns as c
    from social.cli.common import emit_rows

    today = _today(ws)
    rows = []
    for spec in c.list_campaigns(ws.db):
        if fmt == "json":
            rows.append(
                {
                    "name": spec.name,
                    "start": spec.start.isoformat(),
                    "end": spec.end.isoformat(),
                    "platforms": spec.platforms or ["all"],
                    "status": spec.status(today),
                    "targets": len(spec.targets),
                    "budget": spec.budget,
                    "currency": spec.currency,
                    "partner": spec.partner,
                }
            )
        else:
            rows.append(
                {
                    "name": spec.name,
                    "period": f"{spec.start} – {spec.end}",
                    "start": spec.start.isoformat(),
                    "end": spec.end.isoformat(),
                    "platforms": ", ".join(spec.platforms) if spec.platforms else "all",
                    "status": spec.status(today),
                    "targets": len(spec.targets),
                    "budget": _budget(spec, fmt),
                    "currency": spec.currency,
                    "partner": spec.partner or "",
                }
            )
    if fmt == "table":
        _table(rows)
        return
    columns = ["name", "start", "end", "platforms", "status", "targets", "budget", "currency"]
    emit_rows(rows, fmt, [*columns, "partner"])


@campaign.command()
@click.argument("name")
@format_option("text", "json")
@pass_workspace
def show(ws: Workspace, name: str, fmt: str) -> None:
    """Show one campaign with its members and KPI targets.

    \b
    Example:
      social campaign show "Realfag høst 2026"
      social campaign show "Realfag høst 2026" --format json
    """
    import json

    from social import campaigns as c

    _, spec = c.load_campaign(ws.db, name)
    today = _today(ws)
    if fmt == "json":
        click.echo(json.dumps(spec.to_json(today), ensure_ascii=False, indent=2))
        return
    click.echo(describe(spec, today))


@campaign.command()
@click.argument("name")
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
@pass_workspace
def remove(ws: Workspace, name: str, yes: bool) -> None:
    """Delete a campaign with its members and targets.

    Calendar slots and briefs that point to it are kept and detached. Stored
    reports of the campaign are kept.

    \b
    Example:
      social campaign remove "Realfag høst 2026" --yes
    """
    from social import campaigns as c

    _, spec = c.load_campaign(ws.db, name)
    if not yes:
        click.confirm(
            f"Delete campaign '{spec.name}' with {_count(len(spec.members), 'member')} and "
            f"{_count(len(spec.targets), 'target')}?",
            abort=True,
        )
    removed, slots, briefs = c.remove(ws.db, spec.name)
    detached = ""
    if slots or briefs:
        detached = (
            f" Detached {_count(slots, 'calendar slot')} and {_count(briefs, 'brief')} "
            "(they are kept)."
        )
    click.echo(f"Removed campaign '{removed}'.{detached}")


@campaign.command(name="import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the file and say what would change.")
@pass_workspace
def import_(ws: Workspace, file: Path, dry_run: bool) -> None:
    """Add or update the campaigns of a TOML file (all of them or, on any error, none).

    Each [[campaign]] table is one campaign, matched to a stored one by name:
    importing the same file again changes nothing, and a changed file updates
    the campaigns in place (members and targets become the file's). Errors
    name the file, the line and the key, e.g. campaigns.toml:9:
    campaign[0].targets[1].kpi.

    \b
    Example:
      social campaign import campaigns.toml --dry-run
      social campaign import campaigns.toml

    \b
    campaigns.toml:
      [[campaign]]
      name = "Realfag høst 2026"
      start = 2026-09-01
      end = 2026-10-31
      platforms = ["tiktok", "facebook"]
      partner = "Equinor"
      budget = { amount = 60000, currency = "NOK" }
      hashtags = ["realfag"]
      posts = ["tiktok:7301234567890123456"]
      slots = []
      ad_campaigns = { tiktok = ["1780000000000002"] }
      targets = [
        { kpi = "views", origin = "total", platform = "all", value = 400000 },
        { kpi = "ctr", origin = "paid", value = "1.2%" },
      ]
    """
    from social import campaigns as c

    currency = str(ws.config.get("reports", "currency") or c.DEFAULT_CURRENCY)
    result = c.import_file(ws.db, file, dry_run=dry_run, default_currency=currency)
    verb = (
        {"added": "Would add", "updated": "Would update"}
        if dry_run
        else {
            "added": "Added",
            "updated": "Updated",
        }
    )
    for name in result.added:
        click.echo(f"{verb['added']} '{name}'")
    for name in result.updated:
        click.echo(f"{verb['updated']} '{name}'")
    for name in result.unchanged:
        click.echo(f"Unchanged '{name}'")
    total = len(result.added) + len(result.updated) + len(result.unchanged)
    tail = " (dry run: nothing written)" if dry_run else ""
    click.echo(
        f"{file}: {_count(total, 'campaign')}, {len(result.added)} new, "
        f"{len(result.updated)} updated, {len(result.unchanged)} unchanged{tail}."
    )


def _table(rows: list[dict[str, Any]]) -> None:
    """The human listing: dates, status and budget never wrap; long names do."""
    if not rows:
        click.echo("No campaigns yet; add one with 'social campaign add' (see --help).")
        return
    from rich.table import Table

    table = Table(show_header=True, header_style="bold")
    table.add_column("name", overflow="fold", min_width=10)
    table.add_column("period", no_wrap=True)
    table.add_column("platforms")
    table.add_column("status", no_wrap=True)
    table.add_column("targets", justify="right", no_wrap=True)
    table.add_column("budget", justify="right", no_wrap=True)
    table.add_column("partner")
    for row in rows:
        table.add_row(
            row["name"],
            row["period"],
            row["platforms"],
            row["status"],
            str(row["targets"]),
            row["budget"],
            row["partner"],
        )
    print_table(table)


# --- text -------------------------------------------------------------------------------------


def describe(spec: CampaignSpec, today: date) -> str:
    """The campaign as plain English text for the terminal."""
    from core import formats
    from social.reports.i18n import platform_name, t

    lines = [
        f"Campaign:    {spec.name}",
        f"Period:      {spec.start} – {spec.end} ({_count(spec.days, 'day')}, "
        f"{spec.status(today)})",
        "Platforms:   "
        + (", ".join(platform_name(p) for p in spec.platforms) if spec.platforms else "all"),
        f"Partner:     {spec.partner or '–'}",
        "Budget:      "
        + (formats.money(spec.budget, spec.currency, "en") if spec.budget is not None else "–"),
    ]
    if spec.description:
        lines.append(f"Description: {spec.description}")
    lines.append("")
    labels = {"hashtag": "hashtag", "post": "post", "slot": "slot", "ad_campaign": "ad campaign"}
    if spec.members:
        lines.append("Members:")
        for m in spec.members:
            lines.append(f"  {labels[m.kind]:<12} {m.text()}")
    else:
        lines.append("Members:     none (add --hashtag, --post, --slot or --ad-campaign)")
    lines.append("")
    if spec.targets:
        lines.append("KPI targets:")
        rows = []
        for target in spec.targets:
            where = "all platforms" if target.platform == "all" else platform_name(target.platform)
            label = f"{t('en', target.kpi)} ({t('en', 'origin_' + target.origin)}, {where})"
            if target.unit == "ratio":
                value = formats.percent(target.value, "en")
            elif target.unit == "currency":
                value = formats.money(target.value, spec.currency, "en")
            else:
                value = formats.number(target.value, "en")
            rows.append((label, value, target.text()))
        width = max(len(r[0]) for r in rows)
        value_width = max(len(r[1]) for r in rows)
        for label, value, text in rows:
            lines.append(f"  {label:<{width}}  {value:>{value_width}}   [{text}]")
    else:
        lines.append("KPI targets: none (add --target views=400000)")
    return "\n".join(lines)


def _budget(spec: CampaignSpec, fmt: str) -> str:
    if spec.budget is None:
        return ""
    if fmt == "csv":
        return f"{spec.budget:g}"
    from core import formats

    return f"{formats.number(spec.budget, 'en')} {spec.currency}"


def _today(ws: Workspace) -> date:
    from core.timeutil import local_date, utcnow

    return local_date(utcnow(), ws.config.timezone)


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"
