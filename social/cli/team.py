"""`social team`: team members, and (`social team person`) consent records."""

from __future__ import annotations

from datetime import date
from typing import Any

import click

from core import registry
from social.cli.common import DATE, Workspace, emit_rows, format_option, pass_workspace

ROLE_CHOICES = ["student", "communications", "partner-contact"]
MEMBER_COLUMNS = ["name", "role", "email", "slack", "teams", "quiet", "language", "active", "slots"]
# Consent is given per channel: every installed platform, and the organisation's own web.
CHANNELS = [*registry.names(), "web"]
CHANNEL_CHOICES = [*CHANNELS, "all"]
PERSON_COLUMNS = ["name", "born", "under_18", *CHANNELS, "slots", "flags", "notes"]
PERSON_TABLE_COLUMNS = ["name", "under_18", *CHANNELS, "slots", "flags"]


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
    for line in deletion.lines(ws.config.base_dir):
        click.echo(line)
    if find_person(ws.db, member.name) is not None:
        click.echo(
            f"{member.name} also has a consent record; "
            f"'social privacy delete \"{member.name}\"' deletes it too."
        )


# --- consent records --------------------------------------------------------------------------


@team.group("person")
def person() -> None:
    """People who appear in videos and their consent, per channel.

    Consent follows Datatilsynet's guidance: per channel (each platform, and
    web), in writing, renewed every year ([consent] valid_months),
    withdrawable; under 15 ([consent] guardian_below_age) a guardian consents,
    from 15 a pupil normally consents to ordinary photos and video.

    \b
    Example:
      social team person add "Ola" --born 2010-03-01 --consent-date 2026-09-01 \\
          --guardian-consent --channel tiktok --channel web --form "Drive/Samtykke/ola.pdf"
      social team person consent "Ola" --channel all --consent-date 2027-08-20 --guardian-consent
      social team person withdraw "Ola" --channel tiktok
      social team person list --flagged
    """


def _consent_cell(p: Any, channel: str, rules: Any, fmt: str) -> Any:
    found = p.current(channel)
    if fmt == "json":
        return found.as_dict() if found else None
    if found is None:
        return ""
    if found.withdrawn_on:
        return f"withdrawn {found.withdrawn_on.isoformat()}"
    until = found.expires_on.isoformat() if found.expires_on else "no date"
    who = " (guardian)" if found.given_by == "guardian" else ""
    return f"until {until}{who}"


def _person_row(p: Any, slots: int, fmt: str, rules: Any) -> dict[str, Any]:
    if fmt == "json":
        row = p.as_dict(rules=rules)
        row["slots"] = slots
        return row
    from scheduler.consent import CHANNELS

    row = {
        "name": p.name,
        "born": p.birth_date.isoformat() if p.birth_date else "",
        "under_18": "yes" if p.is_minor(rules=rules) else "no",
        "slots": slots,
        "flags": "; ".join(p.flags(rules=rules)),
        "notes": p.notes,
    }
    for channel in CHANNELS:
        row[channel] = _consent_cell(p, channel, rules, fmt)
    return row


def _summary(p: Any, rules: Any) -> str:
    flags = p.flags(rules=rules)
    return f" Missing: {'; '.join(flags)}." if flags else " Consent complete on every channel."


def _channels(values: tuple[str, ...]) -> list[str]:
    from scheduler.consent import CHANNELS, check_channels

    return check_channels(values) if values else list(CHANNELS)


def _withdrawal_lines(withdrawal: Any) -> list[str]:
    lines = []
    if withdrawal.tasks:
        lines.append(
            f"{len(withdrawal.tasks)} published video(s) must come down; the communications "
            "team gets a reminder:"
        )
        for task in withdrawal.tasks:
            post = f", post {task.post}" if task.post else ""
            lines.append(
                f"  takedown #{task.id}: {task.channel} slot {task.slot_id} "
                f"'{task.slot_title}'{post}"
            )
        lines.append("Mark each done with 'social team person takedown-done ID'.")
    if withdrawal.planned_slots:
        lines.append(
            f"{withdrawal.planned_slots} planned slot(s) with {withdrawal.person} now lack "
            "consent; see 'social calendar list'."
        )
    if "web" in withdrawal.channels:
        lines.append("Check the web site by hand: the tool does not track web pages.")
    return lines


_CONSENT_OPTIONS = [
    click.option(
        "--channel",
        "channels",
        multiple=True,
        type=click.Choice(CHANNEL_CHOICES),
        help="Channel the consent covers, repeatable [all].",
    ),
    click.option("--form", "reference", default="", help="Where the signed form is kept."),
]


def _consent_options(func: Any) -> Any:
    for option in reversed(_CONSENT_OPTIONS):
        func = option(func)
    return func


@person.command("add")
@click.argument("name")
@click.option("--born", type=DATE, help="Birth date (decides who must consent).")
@click.option(
    "--under-18", "under_18", is_flag=True, help="A minor (when the birth date is unknown)."
)
@click.option("--consent-date", type=DATE, help="Date the consent form was signed (YYYY-MM-DD).")
@click.option("--consent", is_flag=True, help="Consent is on record, date unknown (renew it).")
@click.option("--guardian-consent", is_flag=True, help="A guardian signed the consent.")
@_consent_options
@click.option("--notes", default="", help="Free text.")
@pass_workspace
def person_add(
    ws: Workspace,
    name: str,
    born: date | None,
    under_18: bool,
    consent_date: date | None,
    consent: bool,
    guardian_consent: bool,
    channels: tuple[str, ...],
    reference: str,
    notes: str,
) -> None:
    """Record a person who appears in videos, and their consent.

    With --consent-date (or --consent) the consent covers --channel (default:
    all four), is valid [consent] valid_months from signing, and is the
    person's own unless --guardian-consent.

    \b
    Example:
      social team person add "Ola" --born 2010-03-01 --consent-date 2026-09-01 --guardian-consent
      social team person add "Dr. Lund" --consent-date 2026-08-15 --channel linkedin
    """
    from scheduler.people import add_person

    p = add_person(
        ws.db,
        name,
        under_18=under_18,
        birth_date=born,
        consent_date=consent_date,
        consent=consent,
        guardian_consent=guardian_consent,
        channels=_channels(channels),
        reference=reference,
        notes=notes,
        rules=ws.rules,
    )
    click.echo(f"Recorded {p.name}.{_summary(p, ws.rules)}")


@person.command("consent")
@click.argument("name")
@click.option("--consent-date", required=True, type=DATE, help="Date the form was signed.")
@click.option("--guardian-consent", is_flag=True, help="A guardian signed it (under 15).")
@click.option("--oral", is_flag=True, help="Given orally, not in writing (flagged).")
@_consent_options
@pass_workspace
def person_consent(
    ws: Workspace,
    name: str,
    consent_date: date,
    guardian_consent: bool,
    oral: bool,
    channels: tuple[str, ...],
    reference: str,
) -> None:
    """Record or renew a person's written consent for channels.

    \b
    Example:
      social team person consent "Ola" --consent-date 2027-08-20 --guardian-consent --channel all
      social team person consent "Dr. Lund" --consent-date 2026-08-15 --channel linkedin \\
          --form "Drive/Samtykke/lund.pdf"
    """
    from scheduler.people import give_consent

    p = give_consent(
        ws.db,
        name,
        _channels(channels),
        signed_on=consent_date,
        guardian=guardian_consent,
        reference=reference,
        in_writing=not oral,
        rules=ws.rules,
    )
    click.echo(f"Recorded consent for {p.name}.{_summary(p, ws.rules)}")


@person.command("withdraw")
@click.argument("name")
@click.option(
    "--channel",
    "channels",
    multiple=True,
    type=click.Choice(CHANNEL_CHOICES),
    help="Channel withdrawn, repeatable [all].",
)
@click.option("--date", "on", type=DATE, help="When it was withdrawn [today].")
@pass_workspace
def person_withdraw(ws: Workspace, name: str, channels: tuple[str, ...], on: date | None) -> None:
    """Withdraw a person's consent; published videos with them become takedown tasks.

    \b
    Example:
      social team person withdraw "Ola" --channel tiktok
      social team person withdraw "Dr. Lund"
    """
    from scheduler.people import withdraw

    result = withdraw(ws.db, name, _channels(channels), on=on)
    if not result.channels:
        click.echo(f"{result.person} has no consent to withdraw on those channels.")
    else:
        click.echo(f"Withdrew the consent of {result.person} for {', '.join(result.channels)}.")
    for line in _withdrawal_lines(result):
        click.echo(line)


@person.command("list")
@click.option("--flagged", is_flag=True, help="Only people with consent missing.")
@click.option(
    "--expiring",
    type=click.IntRange(0, 3650),
    help="Only people whose consent expires within this many days.",
)
@format_option("table", "json", "csv")
@pass_workspace
def person_list(ws: Workspace, flagged: bool, expiring: int | None, fmt: str) -> None:
    """List people with their consent per channel and what is missing.

    \b
    Example:
      social team person list
      social team person list --flagged --format json
      social team person list --expiring 30
    """
    from scheduler.consent import expiring as soon
    from scheduler.people import list_people, person_slots

    people = list_people(ws.db, flagged_only=flagged, rules=ws.rules)
    if expiring is not None:
        ids = {person.id for person, _ in soon(ws.db, within_days=expiring)}
        people = [p for p in people if p.id in ids]
    rows = [_person_row(p, person_slots(ws.db, p.id), fmt, ws.rules) for p in people]
    if fmt == "table" and not rows:
        click.echo("No consent records" + (" with anything missing." if flagged else " yet."))
        return
    emit_rows(rows, fmt, PERSON_TABLE_COLUMNS if fmt == "table" else PERSON_COLUMNS)


@person.command("edit")
@click.argument("name")
@click.option("--rename", help="New name.")
@click.option("--born", type=DATE, help="Birth date.")
@click.option("--under-18/--adult", "under_18", default=None, help="A minor or not.")
@click.option("--consent-date", type=DATE, help="Record consent signed on this date.")
@click.option(
    "--consent/--no-consent", default=None, help="Consent on record; --no-consent withdraws it."
)
@click.option(
    "--guardian-consent/--no-guardian-consent",
    default=None,
    help="Who gave the consent: a guardian or the person.",
)
@_consent_options
@click.option("--notes", help="Replace the notes ('' clears them).")
@pass_workspace
def person_edit(
    ws: Workspace,
    name: str,
    rename: str | None,
    born: date | None,
    under_18: bool | None,
    consent_date: date | None,
    consent: bool | None,
    guardian_consent: bool | None,
    channels: tuple[str, ...],
    reference: str,
    notes: str | None,
) -> None:
    """Change a consent record; only the options given change.

    \b
    Example:
      social team person edit "Ola" --born 2010-03-01
      social team person edit "Ola" --guardian-consent --consent-date 2026-09-02
      social team person edit "Dr. Lund" --no-consent      # withdraws every channel
    """
    from scheduler.people import edit_person
    from scheduler.team import UNSET

    p, withdrawal = edit_person(
        ws.db,
        name,
        rename=rename,
        under_18=under_18,
        birth_date=born,
        consent_date=consent_date,
        consent=consent,
        guardian_consent=guardian_consent,
        channels=_channels(channels),
        reference=reference,
        notes=UNSET if notes is None else notes,
        rules=ws.rules,
    )
    click.echo(f"Updated {p.name}.{_summary(p, ws.rules)}")
    if withdrawal is not None:
        for line in _withdrawal_lines(withdrawal):
            click.echo(line)


@person.command("takedowns")
@click.option("--all", "show_all", is_flag=True, help="Also the ones done.")
@format_option("table", "json", "csv")
@pass_workspace
def person_takedowns(ws: Workspace, show_all: bool, fmt: str) -> None:
    """Published content to take down because consent was withdrawn.

    \b
    Example:
      social team person takedowns
    """
    from scheduler.people import takedowns

    tasks = takedowns(ws.db, status=None if show_all else "open")
    if fmt == "table" and not tasks:
        click.echo("No takedown tasks" + ("." if show_all else " open."))
        return
    rows = [t.as_dict() for t in tasks]
    emit_rows(rows, fmt, ["id", "person", "channel", "slot_id", "slot_title", "post", "status"])


@person.command("takedown-done")
@click.argument("task_id", type=click.IntRange(1, 2**63 - 1))
@pass_workspace
def person_takedown_done(ws: Workspace, task_id: int) -> None:
    """Mark a takedown task done (the content is off the platform).

    \b
    Example:
      social team person takedown-done 3
    """
    from scheduler.people import complete_takedown

    task = complete_takedown(ws.db, task_id)
    click.echo(f"Takedown #{task.id} ({task.channel}, slot {task.slot_id}) is done.")


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
    for line in forget_person(ws.db, p.name).lines(ws.config.base_dir):
        click.echo(line)
