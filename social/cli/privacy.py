"""`social privacy`: list and delete the personal details we keep."""

from __future__ import annotations

import json
from typing import Any

import click

from social.cli.common import Workspace, emit_rows, format_option, pass_workspace

KIND_LABELS = {
    "team_member": "team member",
    "person_in_video": "person in videos",
    "partner_contact": "partner contact",
}


@click.group()
def privacy() -> None:
    """List or delete the personal details we keep.

    Only aggregate metrics are stored about audiences. The personal details
    kept are team members' names and contacts, consent records of people in
    videos and partner companies' contact persons.

    \b
    Example:
      social privacy list
      social privacy delete "Kari Nordmann"
    """


def _details_text(row: dict[str, Any]) -> str:
    details = row["details"]
    if row["kind"] == "person_in_video":
        consent = details["consent_date"] or ("yes" if details["consent_on_record"] else "no")
        parts = [f"consent {consent}"]
        if details["under_18"]:
            guardian = "yes" if details["guardian_consent"] else "no"
            parts.insert(0, "under 18")
            parts.append(f"guardian consent {guardian}")
        if details.get("birth_date"):
            parts.insert(0, f"born {details['birth_date']}")
        channels = sorted({c["channel"] for c in details.get("consents", [])})
        if channels:
            parts.append(f"{len(details['consents'])} consent form(s): {', '.join(channels)}")
        if details["notes"]:
            parts.append(f"notes: {details['notes']}")
        return "; ".join(parts)
    if row["kind"] == "partner_contact":
        return f"e-mail {details['email']}" if details["email"] else ""
    labels = (("email", "e-mail"), ("slack", "Slack"), ("teams", "Teams"))
    return "; ".join(f"{label} {details[key]}" for key, label in labels if details[key])


def _references_text(row: dict[str, Any]) -> str:
    refs = row["references"]
    parts = []
    if row["kind"] == "team_member":
        parts.append(f"owns {refs['slots_owned']} slot(s), {refs['reminders']} reminder row(s)")
    elif row["kind"] == "person_in_video":
        parts.append(f"appears in {refs['slots_appearing']} slot(s)")
    else:
        parts.append(f"partner {refs['partner']} ({refs['briefs']} brief(s))")
    if refs["mentions"]:
        where = ", ".join(f"{k} x{v}" for k, v in sorted(refs["mentions"].items()))
        parts.append(f"mentioned in {where}")
    return "; ".join(parts)


@privacy.command("list")
@click.argument("name", required=False)
@format_option("table", "json")
@pass_workspace
def list_(ws: Workspace, name: str | None, fmt: str) -> None:
    """List every personal detail kept (or one person's) and where it is referenced.

    \b
    Example:
      social privacy list
      social privacy list "Kari Nordmann" --format json
    """
    from social.privacy import personal_details

    rows = personal_details(ws.db, name)
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        click.echo("No personal details are stored.")
        return
    table = [
        {
            "kind": KIND_LABELS[row["kind"]],
            "name": row["name"] or "(no name)",
            "details": _details_text(row),
            "referenced": _references_text(row),
        }
        for row in rows
    ]
    emit_rows(table, "table", ["kind", "name", "details", "referenced"])
    click.echo(f"{len(rows)} record(s). Delete one person's with 'social privacy delete NAME'.")


@privacy.command("delete")
@click.argument("name")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.option(
    "--wait",
    "wait_seconds",
    type=click.FloatRange(0, 600),
    default=5.0,
    show_default=True,
    help="Seconds to wait for other programs reading the database to finish.",
)
@pass_workspace
def delete(ws: Workspace, name: str, yes: bool, wait_seconds: float) -> None:
    """Delete one person's personal details everywhere, in one transaction.

    NAME is a name or an e-mail address. Removes their team-member row (slot
    ownerships go, slots stay, reminder history is kept without a name),
    their consent record and slot appearances, blanks them as a partner
    contact (the partner stays), and replaces mentions of their name, e-mail,
    Slack id or Teams address in free text with "[deleted]".

    Then the files the tool wrote (reports, briefs, calendar.ics and feeds, CSV
    exports, backups) are rewritten or removed, and any it cannot reach are
    listed; last, the database file is checked for leftovers of the deleted
    details (after waiting --wait seconds for other programs reading it).

    \b
    Example:
      social privacy delete "Kari Nordmann"
      social privacy delete kari@example.no --yes
    """
    from social.privacy import find_subject, forget, mentions

    subject = find_subject(ws.db, name)
    if not yes:
        what = [f"team member {m.name}" for m in subject.members]
        what += [f"consent record of {p.name}" for p in subject.people]
        what += [f"contact at partner {c.partner}" for c in subject.contacts]
        count = sum(mentions(ws.db, subject).values())
        if count:
            what.append(f"{count} mention(s) in free text")
        click.confirm(f"Delete {', '.join(what)}? This cannot be undone.", abort=True)
    for line in forget(ws.db, name, wait_seconds=wait_seconds).lines(ws.config.base_dir):
        click.echo(line)


@privacy.command("checkpoint")
@click.option(
    "--wait",
    "wait_seconds",
    type=click.FloatRange(0, 600),
    default=30.0,
    show_default=True,
    help="Seconds to wait for other programs reading the database to finish.",
)
@pass_workspace
def checkpoint(ws: Workspace, wait_seconds: float) -> None:
    """Write the WAL into the database file and empty it (after a deletion could not).

    \b
    Example:
      social privacy checkpoint
    """
    from core.errors import SocialError
    from db.scrub import flush_wal

    if not flush_wal(ws.db, wait_seconds=wait_seconds):
        raise SocialError(
            "another program is still reading the database; stop the scheduler service, "
            "'calendar serve' and the web app, then run this again"
        )
    ws.db.execute("VACUUM")  # no free pages left over with old content
    flush_wal(ws.db, wait_seconds=wait_seconds)
    click.echo("Database file checkpointed: the write-ahead log is empty and the file compacted.")
