"""`social team`: team members, and (`social team person`) consent records."""

from __future__ import annotations

from datetime import date
from typing import Any

import click

from social.cli.common import DATE, Workspace, emit_rows, format_option, pass_workspace

ROLE_CHOICES = ["student", "communications", "partner-contact"]
MEMBER_COLUMNS = ["name", "role", "email", "slack", "teams", "quiet", "language", "active", "slots"]
PERSON_COLUMNS = ["name", "under_18", "consent", "guardian_consent", "slots", "flags", "notes"]
PERSON_TABLE_COLUMNS = ["name", "under_18", "consent", "guardian_consent", "slots", "flags"]


def _role(value: str | None) -> str | None:
    return None if value is None else value.replace("-", "_")


@click.group()
def team() -> None:
    """The people who plan, film and get reminders, and consent records.

    \b
    Example:
      social team add "Kari Nordmann" --email kari@example.no --quiet 22:00-07:00
      social team list
      social team person add "Ola (16)" --under-18
    """


@team.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(ROLE_CHOICES), default="student", show_default=True)
@click.option("--email", help="E-mail address for reminders.")
@click.option("--slack", help="Slack member id, e.g. U012ABCDEF (profile > Copy member ID).")
@click.option("--teams", help="Teams sign-in address (name@org.no); never a webhook URL.")
@click.option("--quiet", help="Quiet hours in local time, HH:MM-HH:MM, e.g. 22:00-07:00.")
@click.option("--lang", type=click.Choice(["nb", "en"]), help="Reminder language [config].")
@click.option("--inactive", is_flag=True, help="Add as inactive (no reminders).")
@pass_workspace
def add(
    ws: Workspace,
    name: str,
    role: str,
    email: str | None,
    slack: str | None,
    teams: str | None,
    quiet: str | None,
    lang: str | None,
    inactive: bool,
) -> None:
    """Add a team member with their contact channels and quiet hours.

    \b
    Example:
      social team add "Kari Nordmann" --email kari@example.no --slack U012ABCDEF
      social team add "Per" --role communications --teams per@org.no --lang en
    """
    from scheduler.team import add_member

    member = add_member(
        ws.db,
        name,
        role=_role(role) or "student",
        email=email,
        slack=slack,
        teams=teams,
        quiet=quiet,
        language=lang or ws.config.language,
        active=not inactive,
    )
    channels = ", ".join(member.channels()) or "no channel yet"
    click.echo(f"Added {member.name} ({member.role}; {channels}).")


@team.command("list")
@click.option("--all", "show_all", is_flag=True, help="Include inactive members.")
@format_option("table", "json", "csv")
@pass_workspace
def list_(ws: Workspace, show_all: bool, fmt: str) -> None:
    """List team members (active ones unless --all).

    \b
    Example:
      social team list
      social team list --all --format json
    """
    from scheduler.team import list_members, member_references

    rows = []
    for member in list_members(ws.db, include_inactive=show_all):
        row = member.as_dict()
        row["slots"] = member_references(ws.db, member.id)["slots_owned"]
        if fmt == "table":
            row["active"] = "yes" if member.active else "no"
        rows.append(row)
    if fmt == "table" and not rows:
        click.echo("No team members yet; add one with 'social team add NAME --email ...'.")
        return
    emit_rows(rows, fmt, MEMBER_COLUMNS)


@team.command("edit")
@click.argument("name")
@click.option("--rename", help="New name.")
@click.option("--role", type=click.Choice(ROLE_CHOICES))
@click.option("--email", help="E-mail address ('' removes it).")
@click.option("--slack", help="Slack member id ('' removes it).")
@click.option("--teams", help="Teams sign-in address ('' removes it).")
@click.option("--quiet", help="Quiet hours HH:MM-HH:MM ('none' removes them).")
@click.option("--lang", type=click.Choice(["nb", "en"]))
@click.option("--active/--inactive", default=None, help="Get reminders or not.")
@pass_workspace
def edit(
    ws: Workspace,
    name: str,
    rename: str | None,
    role: str | None,
    email: str | None,
    slack: str | None,
    teams: str | None,
    quiet: str | None,
    lang: str | None,
    active: bool | None,
) -> None:
    """Change a team member; only the options given change.

    \b
    Example:
      social team edit "Kari Nordmann" --slack U012ABCDEF --quiet 21:30-07:30
      social team edit Per --inactive
      social team edit Per --rename "Per Hansen" --email ""
    """
    from scheduler.team import UNSET, edit_member

    member = edit_member(
        ws.db,
        name,
        rename=rename,
        role=_role(role),
        email=UNSET if email is None else email,
        slack=UNSET if slack is None else slack,
        teams=UNSET if teams is None else teams,
        quiet=UNSET if quiet is None else quiet,
        language=lang,
        active=active,
    )
    state = "active" if member.active else "inactive"
    channels = ", ".join(member.channels()) or "no channel"
    quiet_text = f"; quiet {member.quiet}" if member.quiet else ""
    click.echo(f"Updated {member.name} ({member.role}, {state}; {channels}{quiet_text}).")


@team.command("remove")
@click.argument("name")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@pass_workspace
def remove(ws: Workspace, name: str, yes: bool) -> None:
    """Remove a team member and delete their personal details everywhere.

    Their slot ownerships go (the slots stay in the calendar), reminder
    history is kept without a name, and mentions of their name or contacts in
    free text are replaced by "[deleted]".

    \b
    Example:
      social team remove "Kari Nordmann"
      social team remove Per --yes
    """
    from scheduler.people import find_person
    from scheduler.team import get_member, member_references
    from social.privacy import forget_team_member

    member = get_member(ws.db, name)
    if not yes:
        refs = member_references(ws.db, member.id)
        click.confirm(
            f"Remove {member.name} ({member.role}): owns {refs['slots_owned']} slot(s), "
            f"{refs['reminders']} reminder row(s) kept without a name. Continue?",
            abort=True,
        )
    deletion = forget_team_member(ws.db, member.name)
    click.echo(deletion.summary())
    if find_person(ws.db, member.name) is not None:
        click.echo(
            f"{member.name} also has a consent record; "
            f"'social privacy delete \"{member.name}\"' deletes it too."
        )


# --- consent records --------------------------------------------------------------------------


@team.group("person")
def person() -> None:
    """People who appear in videos and their consent records.

    \b
    Example:
      social team person add "Ola (16)" --under-18 --consent-date 2026-09-01
      social team person list --flagged
    """


def _person_row(p: Any, slots: int, fmt: str) -> dict[str, Any]:
    row = p.as_dict()
    row["slots"] = slots
    if fmt == "json":
        return row
    consent = p.consent_date or ("yes" if p.consent_on_record else "no")
    row.update(
        under_18="yes" if p.under_18 else "no",
        consent=consent,
        guardian_consent="yes" if p.guardian_consent else ("no" if p.under_18 else ""),
        flags="; ".join(p.flags()),
    )
    return row


@person.command("add")
@click.argument("name")
@click.option("--under-18", "under_18", is_flag=True, help="The person is under 18.")
@click.option("--consent-date", type=DATE, help="Date the consent form was signed (YYYY-MM-DD).")
@click.option("--consent", is_flag=True, help="Consent is on record, date unknown.")
@click.option("--guardian-consent", is_flag=True, help="A guardian has consented (under 18s).")
@click.option("--notes", default="", help="Free text, e.g. where the form is kept.")
@pass_workspace
def person_add(
    ws: Workspace,
    name: str,
    under_18: bool,
    consent_date: date | None,
    consent: bool,
    guardian_consent: bool,
    notes: str,
) -> None:
    """Record a person who appears in videos and their consent.

    \b
    Example:
      social team person add "Ola (16)" --under-18 --consent-date 2026-09-01 --guardian-consent
      social team person add "Dr. Lund" --consent-date 2026-08-15 --notes "form in Drive"
    """
    from scheduler.people import add_person

    p = add_person(
        ws.db,
        name,
        under_18=under_18,
        consent_date=consent_date,
        consent=consent,
        guardian_consent=guardian_consent,
        notes=notes,
    )
    flags = p.flags()
    note = f" Missing: {'; '.join(flags)}." if flags else " Consent complete."
    click.echo(f"Recorded {p.name}.{note}")


@person.command("list")
@click.option("--flagged", is_flag=True, help="Only people with consent missing.")
@format_option("table", "json", "csv")
@pass_workspace
def person_list(ws: Workspace, flagged: bool, fmt: str) -> None:
    """List consent records, flagging missing consent and under-18s without a guardian's.

    \b
    Example:
      social team person list
      social team person list --flagged --format json
    """
    from scheduler.people import list_people, person_slots

    people = list_people(ws.db, flagged_only=flagged)
    rows = [_person_row(p, person_slots(ws.db, p.id), fmt) for p in people]
    if fmt == "table" and not rows:
        click.echo("No consent records" + (" with anything missing." if flagged else " yet."))
        return
    if fmt == "table":
        emit_rows(rows, fmt, PERSON_TABLE_COLUMNS)
    else:
        emit_rows(rows, fmt, PERSON_COLUMNS)


@person.command("edit")
@click.argument("name")
@click.option("--rename", help="New name.")
@click.option("--under-18/--adult", "under_18", default=None, help="Under 18 or not.")
@click.option("--consent-date", type=DATE, help="Date the consent form was signed.")
@click.option(
    "--consent/--no-consent", default=None, help="Consent on record; --no-consent withdraws it."
)
@click.option("--guardian-consent/--no-guardian-consent", default=None)
@click.option("--notes", help="Replace the notes ('' clears them).")
@pass_workspace
def person_edit(
    ws: Workspace,
    name: str,
    rename: str | None,
    under_18: bool | None,
    consent_date: date | None,
    consent: bool | None,
    guardian_consent: bool | None,
    notes: str | None,
) -> None:
    """Change a consent record; only the options given change.

    \b
    Example:
      social team person edit "Ola (16)" --guardian-consent --consent-date 2026-09-02
      social team person edit "Dr. Lund" --no-consent
    """
    from scheduler.people import edit_person
    from scheduler.team import UNSET

    p = edit_person(
        ws.db,
        name,
        rename=rename,
        under_18=under_18,
        consent_date=consent_date,
        consent=consent,
        guardian_consent=guardian_consent,
        notes=UNSET if notes is None else notes,
    )
    flags = p.flags()
    note = f" Missing: {'; '.join(flags)}." if flags else " Consent complete."
    click.echo(f"Updated {p.name}.{note}")


@person.command("remove")
@click.argument("name")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@pass_workspace
def person_remove(ws: Workspace, name: str, yes: bool) -> None:
    """Delete a consent record and the person's appearances in calendar slots.

    The slots stay; mentions of the name in free text are replaced by "[deleted]".

    \b
    Example:
      social team person remove "Ola (16)" --yes
    """
    from scheduler.people import get_person, person_slots
    from social.privacy import forget_person

    p = get_person(ws.db, name)
    if not yes:
        click.confirm(
            f"Delete the consent record of {p.name} (appears in {person_slots(ws.db, p.id)} "
            "slot(s); the slots stay). Continue?",
            abort=True,
        )
    click.echo(forget_person(ws.db, p.name).summary())
