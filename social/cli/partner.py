"""`social partner`: partner companies, their size tier and yearly fee."""

from __future__ import annotations

import json
from typing import Any

import click

from social.cli.common import Workspace, emit_rows, format_option, pass_workspace

TIER_CHOICE = click.Choice(["small", "medium", "large"])


def _tier(tier: str | None, employees: int | None) -> str | None:
    from briefs.tiers import tier_for_employees
    from core.errors import SocialError

    if tier and employees is not None:
        derived = tier_for_employees(employees)
        if derived != tier:
            raise SocialError(
                f"--tier {tier} does not match --employees {employees} (that is {derived}); "
                "give only one of them"
            )
    return tier_for_employees(employees) if employees is not None else tier


def _field_options(command: Any) -> Any:
    for option in reversed(
        [
            click.option("--tier", type=TIER_CHOICE, help="Size tier in the partner programme."),
            click.option(
                "--employees",
                type=click.IntRange(min=0),
                help="Number of employees; sets the tier (<50 small, 50-500 medium, >500 large).",
            ),
            click.option("--contact-name", help="Contact person at the company."),
            click.option("--contact-email", help="Contact person's e-mail."),
            click.option("--region", help="Region (fylke), e.g. Vestland."),
            click.option("--industry", help="Industry, e.g. Energi."),
        ]
    ):
        command = option(command)
    return command


@click.group()
def partner() -> None:
    """Partner companies: size tier, yearly fee, contact, region, industry.

    Tiers follow the partner programme: under 50 employees free (small),
    50-500 NOK 25 000 a year (medium), over 500 NOK 50 000 a year (large).

    \b
    Example:
      social partner add "Lokal Elektro AS" --employees 12 --region Innlandet
      social partner list
    """


@partner.command("add")
@click.argument("name")
@_field_options
@pass_workspace
def add(
    ws: Workspace,
    name: str,
    tier: str | None,
    employees: int | None,
    contact_name: str | None,
    contact_email: str | None,
    region: str | None,
    industry: str | None,
) -> None:
    """Add a partner company (give --tier or --employees).

    \b
    Example:
      social partner add Equinor --employees 21000 --contact-name "Kari Nordmann" \\
        --contact-email kari@example.no --region Vestland --industry Energi
    """
    from briefs.partners import add_partner
    from briefs.tiers import fee_text
    from core.errors import SocialError

    chosen = _tier(tier, employees)
    if chosen is None:
        raise SocialError("give the size with --tier small|medium|large or --employees N")
    added = add_partner(
        ws.db,
        name,
        tier=chosen,
        contact_name=contact_name,
        contact_email=contact_email,
        region=region,
        industry=industry,
    )
    click.echo(f"Added partner {added.name} ({added.tier}, yearly fee {fee_text(added.tier)}).")


@partner.command("list")
@format_option("table", "json", "csv")
@pass_workspace
def list_(ws: Workspace, fmt: str) -> None:
    """List partner companies with their tier and yearly fee.

    \b
    Example:
      social partner list
      social partner list --format csv > partnere.csv
    """
    from briefs.partners import list_partners

    partners = list_partners(ws.db)
    if not partners and fmt == "table":
        click.echo("No partners yet; add one with 'social partner add NAME --tier small'.")
        return
    rows = [p.as_dict(ws.config.language) for p in partners]
    columns = ["name", "tier", "fee", "contact_name", "contact_email", "region", "industry"]
    if fmt != "table":
        columns = ["id", *columns[:2], "fee_nok", *columns[2:], "created_at"]
    emit_rows(rows, fmt, columns)


@partner.command("show")
@click.argument("name")
@format_option("text", "json")
@pass_workspace
def show(ws: Workspace, name: str, fmt: str) -> None:
    """Show a partner: details, briefs, campaigns and content made with it.

    \b
    Example:
      social partner show Equinor
      social partner show Equinor --format json
    """
    from briefs.partners import find_partner, partner_links
    from briefs.store import status_label
    from briefs.tiers import tier_label

    lang = ws.config.language
    found = find_partner(ws.db, name)
    assert found is not None
    links = partner_links(ws.db, found.id)
    if fmt == "json":
        click.echo(json.dumps({**found.as_dict(lang), **links}, ensure_ascii=False, indent=2))
        return
    d = found.as_dict(lang)
    lines = [
        found.name,
        f"  Tier:       {tier_label(found.tier, 'en')}",
        f"  Yearly fee: {d['fee']}",
        f"  Contact:    {found.contact_name or '-'}"
        + (f" <{found.contact_email}>" if found.contact_email else ""),
        f"  Region:     {found.region or '-'}",
        f"  Industry:   {found.industry or '-'}",
        f"  Content:    {links['content']['total']} calendar slots "
        f"({links['content']['published']} published, {links['content']['planned']} planned)",
        f"  Campaigns ({len(links['campaigns'])}):",
    ]
    lines += [
        f"    {c['name']} ({c['start_date']} – {c['end_date']})" for c in links["campaigns"]
    ] or ["    none"]
    lines.append(f"  Briefs ({len(links['briefs'])}):")
    lines += [
        f"    #{b['id']} {b['title'] or b['template']}: deadline {b['deadline']}, "
        f"{status_label(b['status'], 'en')}"
        for b in links["briefs"]
    ] or ["    none"]
    click.echo("\n".join(lines))


@partner.command("edit")
@click.argument("name")
@click.option("--rename", help="New name for the partner.")
@_field_options
@pass_workspace
def edit(
    ws: Workspace,
    name: str,
    rename: str | None,
    tier: str | None,
    employees: int | None,
    contact_name: str | None,
    contact_email: str | None,
    region: str | None,
    industry: str | None,
) -> None:
    """Change a partner's name, tier, contact, region or industry.

    \b
    Example:
      social partner edit "Lokal Elektro AS" --employees 60 --contact-name "Ola Hansen"
      social partner edit "Lokal Elektro" --rename "Lokal Elektro AS"
    """
    from briefs.partners import edit_partner
    from briefs.tiers import fee_text

    changed = edit_partner(
        ws.db,
        name,
        rename=rename,
        tier=_tier(tier, employees),
        contact_name=contact_name,
        contact_email=contact_email,
        region=region,
        industry=industry,
    )
    click.echo(
        f"Updated partner {changed.name} ({changed.tier}, yearly fee {fee_text(changed.tier)})."
    )
