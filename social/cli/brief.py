"""`social brief`: partner briefs rendered from Jinja2 templates, and their status."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import click

from social.cli.common import (
    DATE,
    ROW_ID,
    Workspace,
    emit_rows,
    format_option,
    pass_workspace,
    refuse_own_files,
)


def _override(ws: Workspace) -> Path | None:
    from briefs.render import template_dir

    return template_dir(ws.config)


def _write(ws: Workspace, text: str, out: str | None) -> None:
    if out is None:
        click.echo(text, nl=not text.endswith("\n"))
        return
    from db.files import record_written  # a privacy deletion must reach this file

    Path(out).write_text(text, encoding="utf-8")
    record_written(ws.db, out, "brief")
    click.echo(f"Wrote {out}", err=True)


def _check_out(out: str | None) -> None:
    from core.errors import SocialError

    if out is not None and not Path(out).resolve().parent.is_dir():
        raise SocialError(
            f"--out {out}: the folder {Path(out).parent} does not exist; create it first"
        )


def _warn_unused(ws: Workspace, template: str, variables: dict[str, str]) -> None:
    """Warn about --var names the template never reads (most often a misspelling)."""
    import difflib

    from briefs.render import get_template, template_variables

    info = get_template(template, _override(ws))
    known = template_variables(info.name, _override(ws)) | set(info.variables)
    for name in sorted(set(variables) - known - {"extra_hashtags"}):
        close = difflib.get_close_matches(name, sorted(known), n=1)
        hint = f" (did you mean {close[0]}?)" if close else ""
        click.echo(f"Warning: template {info.name} does not use --var {name}{hint}.", err=True)


@click.group()
def brief() -> None:
    """Partner briefs from templates: write, list, follow up.

    Built-in templates (TikTok partner brief in Norwegian and English, LinkedIn
    partner post, partner spotlight 'Bak partner-logoen') can be overridden by
    files in [briefs] template_dir. A brief's deadline and status feed the
    communications lead's reminders.

    \b
    Example:
      social brief templates
      social brief new --partner Equinor --template tiktok_partner_nb --deadline 2026-03-20
      social brief list --status draft
    """


@brief.command("templates")
@format_option("text", "json")
@pass_workspace
def templates(ws: Workspace, fmt: str) -> None:
    """List the brief templates (built-in and from [briefs] template_dir).

    \b
    Example:
      social brief templates
      social brief templates --format json
    """
    from briefs.render import list_templates

    found = list_templates(_override(ws))
    if fmt == "json":
        click.echo(json.dumps([t.as_dict() for t in found], ensure_ascii=False, indent=2))
        return
    for t in found:
        origin = "" if t.origin == "built-in" else f"  [from {t.origin}]"
        click.echo(f"{t.name}  ({t.language}, {t.platform or 'any platform'}){origin}")
        click.echo(f"    {t.title}: {t.description}" if t.description else f"    {t.title}")
        if t.variables:
            click.echo(f"    --var: {', '.join(t.variables)}")


@brief.command("new")
@click.option("--partner", "partner_ref", required=True, help="Partner name (or id).")
@click.option("--template", required=True, help="Template name; see 'social brief templates'.")
@click.option("--campaign", "campaign_ref", help="Campaign name (or id) the brief belongs to.")
@click.option("--deadline", type=DATE, required=True, help="Delivery deadline, YYYY-MM-DD.")
@click.option("--title", help="Title (default: the template's title and the partner's name).")
@click.option(
    "--var",
    "pairs",
    multiple=True,
    metavar="KEY=VALUE",
    help="A template variable, e.g. --var role_model='Kari, lærling'. Repeatable.",
)
@format_option("md", "html")
@click.option("--out", type=click.Path(dir_okay=False), help="Write to this file (default stdout).")
@pass_workspace
def new(
    ws: Workspace,
    partner_ref: str,
    template: str,
    campaign_ref: str | None,
    deadline: date,
    title: str | None,
    pairs: tuple[str, ...],
    fmt: str,
    out: str | None,
) -> None:
    """Write a brief for a partner and record it as a draft.

    The deadline is stored so the communications lead gets reminders until
    the partner's content is received.

    \b
    Example:
      social brief new --partner Equinor --template tiktok_partner_nb \\
        --campaign "Realfag høst 2026" --deadline 2026-03-20 \\
        --var role_model="Kari, lærling i automasjon" --format html --out brief.html
    """
    from briefs.store import create_brief, parse_vars
    from core.timeutil import local_date, utcnow

    _check_out(out)
    refuse_own_files(ws, out, "--out")
    variables = parse_vars(pairs)
    _warn_unused(ws, template, variables)
    created, text = create_brief(
        ws.db,
        partner_ref=partner_ref,
        template=template,
        deadline=deadline,
        campaign_ref=campaign_ref,
        title=title,
        variables=variables,
        fmt=fmt,
        override=_override(ws),
    )
    if deadline < local_date(utcnow(), ws.config.timezone):
        click.echo(f"Warning: the deadline {deadline.isoformat()} has already passed.", err=True)
    _write(ws, text, out)
    click.echo(f"Brief #{created.id} recorded as draft (deadline {created.deadline}).", err=True)


@brief.command("list")
@click.option("--status", help="Only this status: draft, sent, content-received, published.")
@click.option("--partner", "partner_ref", help="Only this partner's briefs.")
@format_option("table", "json", "csv")
@pass_workspace
def list_(ws: Workspace, status: str | None, partner_ref: str | None, fmt: str) -> None:
    """List briefs with deadline and status.

    \b
    Example:
      social brief list
      social brief list --status sent --format json
    """
    from briefs.partners import find_partner
    from briefs.store import list_briefs, normalise_status, status_label

    partner = find_partner(ws.db, partner_ref) if partner_ref else None
    found = list_briefs(ws.db, status=normalise_status(status) if status else None, partner=partner)
    if not found and fmt == "table":
        click.echo("No briefs; write one with 'social brief new'.")
        return
    rows = []
    for b in found:
        row = b.as_dict()
        if fmt == "table":
            row["status"] = status_label(b.status, "en")
        rows.append(row)
    columns = ["id", "partner", "title", "campaign", "deadline", "status"]
    if fmt != "table":
        columns[3:3] = ["template"]
        columns += ["language", "variables", "created_at", "updated_at"]
        if fmt == "csv":
            for row in rows:
                row["variables"] = json.dumps(row["variables"], ensure_ascii=False)
    emit_rows(rows, fmt, columns)


@brief.command("status")
@click.argument("brief_id", type=ROW_ID)
@click.argument("status")
@pass_workspace
def status(ws: Workspace, brief_id: int, status: str) -> None:
    """Set a brief's status: draft, sent, content-received or published.

    \b
    Example:
      social brief status 3 sent
      social brief status 3 content-received
    """
    from briefs.store import set_status, status_label

    changed = set_status(ws.db, brief_id, status)
    click.echo(
        f"Brief #{changed.id} ({changed.partner}) is now {status_label(changed.status, 'en')}."
    )


@brief.command("show")
@click.argument("brief_id", type=ROW_ID)
@format_option("md", "html")
@click.option("--out", type=click.Path(dir_okay=False), help="Write to this file (default stdout).")
@pass_workspace
def show(ws: Workspace, brief_id: int, fmt: str, out: str | None) -> None:
    """Render a stored brief again (Markdown or HTML).

    \b
    Example:
      social brief show 3
      social brief show 3 --format html --out brief.html
    """
    from briefs.store import get_brief, render_stored

    _check_out(out)
    refuse_own_files(ws, out, "--out")
    found = get_brief(ws.db, brief_id)
    _write(ws, render_stored(ws.db, found, fmt=fmt, override=_override(ws)), out)
