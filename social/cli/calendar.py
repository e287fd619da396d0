"""`social calendar`: plan slots, list them, spreadsheet round trips and iCal feeds."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from core import registry
from social.cli.common import (
    HOURS,
    Workspace,
    emit_rows,
    format_option,
    pass_workspace,
    refuse_own_files,
)

if TYPE_CHECKING:
    from scheduler.calendar import Slot

STATUS_CHOICES = ["idea", "planned", "in-production", "ready", "published", "skipped"]
LIST_COLUMNS = ["id", "when", "platform", "title", "owners", "tags", "status", "consent", "post"]
CLEARABLE = ["tags", "owners", "appears", "campaign", "partner", "notes", "account"]


def _status(value: str | None) -> str | None:
    return None if value is None else value.replace("-", "_")


def _warn_consent(slot: Slot) -> None:
    for warning in slot.consent_warnings():
        click.echo(
            f"Warning: {warning} (slot {slot.id}); record it with 'social team person consent'",
            err=True,
        )


def _when(slot: Slot, ws: Workspace) -> str:
    from core import formats

    return formats.moment(slot.local(ws.config.timezone), ws.config.language)


@click.group()
def calendar() -> None:
    """The content calendar: plan slots, list them, spreadsheets and iCal feeds.

    Times are typed and shown in local time (general.timezone, Europe/Oslo by
    default). A slot is referred to by its number (the id in 'list') or its uid.

    \b
    Example:
      social calendar add --at "2026-12-01 16:00" --platform tiktok \\
          --title "Eksamenstips" --owner "Kari Nordmann" --tag eksamen
      social calendar list --week 2026-W49
      social calendar ics --owner "Kari Nordmann" --out kari.ics
    """


def _slot_options(func: Any) -> Any:
    options = [
        click.option("--platform", type=click.Choice(registry.names()), help="Platform."),
        click.option("--account", help="Account (external id or name) if there are several."),
        click.option("--title", help="Short title of the video or post."),
        click.option("--notes", help="Free-text notes (script, location, props)."),
        click.option("--tag", "tags", multiple=True, help="Theme/tag, repeatable (tips, eksamen)."),
        click.option("--campaign", help="Campaign name (see 'social campaign list')."),
        click.option("--partner", help="Partner name (see 'social partner list')."),
        click.option("--status", type=click.Choice(STATUS_CHOICES), help="Status."),
        click.option("--owner", "owners", multiple=True, help="Team member, repeatable."),
        click.option(
            "--appears", multiple=True, help="Person in the video (consent record), repeatable."
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


@calendar.command("add")
@click.option("--at", "at", required=True, help="Local time 'YYYY-MM-DD HH:MM' (or ISO).")
@_slot_options
@pass_workspace
def add(ws: Workspace, at: str, **options: Any) -> None:
    """Plan a new slot.

    Owners must be team members ('social team add') and people in the video
    must have a consent record ('social team person add').

    \b
    Example:
      social calendar add --at "2026-12-01 16:00" --platform tiktok \\
          --title "3 tips før eksamen" --owner "Kari Nordmann" --owner Ola \\
          --tag tips --tag eksamen --appears "Elev (16 år)"
    """
    from core.errors import SocialError
    from scheduler.calendar import create_slot, get_slot, resolve

    if options["platform"] is None or options["title"] is None:
        missing = "--platform" if options["platform"] is None else "--title"
        raise SocialError(f"a new slot needs {missing}; add it to the command")
    fields = resolve(
        ws.db,
        ws.config.timezone,
        at=at,
        platform=options["platform"],
        account=options["account"],
        title=options["title"],
        notes=options["notes"],
        tags=list(options["tags"]),
        campaign=options["campaign"],
        partner=options["partner"],
        status=_status(options["status"]) or "planned",
        owners=list(options["owners"]),
        appears=list(options["appears"]),
    )
    slot = get_slot(ws.db, create_slot(ws.db, fields), rules=ws.rules, zone=ws.config.timezone)
    click.echo(f"Added slot {slot.id} ({slot.uid}): {_when(slot, ws)} {slot.platform} {slot.title}")
    _warn_consent(slot)


@calendar.command("edit")
@click.argument("slot")
@click.option("--at", "at", help="New local time 'YYYY-MM-DD HH:MM' (same as 'move').")
@_slot_options
@click.option(
    "--clear",
    "clear",
    multiple=True,
    type=click.Choice(CLEARABLE),
    help="Empty this field, repeatable.",
)
@click.option("--unlink", is_flag=True, help="Forget the linked post (matching may link again).")
@pass_workspace
def edit(
    ws: Workspace, slot: str, at: str | None, clear: tuple[str, ...], unlink: bool, **options: Any
) -> None:
    """Change a slot; options not given stay as they are.

    --tag, --owner and --appears replace the whole list; --clear empties a field.

    \b
    Example:
      social calendar edit 12 --title "Nytt navn" --status ready
      social calendar edit 12 --owner Kari --owner Ola --clear appears
    """
    from scheduler.calendar import get_slot, resolve, slot_id, unlink_post, update_slot

    sid = slot_id(ws.db, slot)
    current = get_slot(ws.db, sid)
    lists = {"tags": "tags", "owners": "owners", "appears": "appears"}
    values: dict[str, Any] = {key: (list(options[key]) if options[key] else None) for key in lists}
    for name in ("platform", "account", "title", "notes", "campaign", "partner"):
        values[name] = options[name]
    for name in clear:
        values[name] = [] if name in lists else ""
    fields = resolve(
        ws.db,
        ws.config.timezone,
        at=at,
        status=_status(options["status"]),
        current_platform=current.platform,
        **values,
    )
    changed = update_slot(ws.db, sid, fields)
    if unlink:
        unlink_post(ws.db, sid)
        changed = True
    updated = get_slot(ws.db, sid, rules=ws.rules, zone=ws.config.timezone)
    click.echo(
        f"{'Updated' if changed else 'No change to'} slot {sid}: {_when(updated, ws)} "
        f"{updated.title} (sequence {updated.sequence})"
    )
    _warn_consent(updated)


@calendar.command("move")
@click.argument("slot")
@click.option("--to", "to", required=True, help="New local time 'YYYY-MM-DD HH:MM' (or ISO).")
@pass_workspace
def move(ws: Workspace, slot: str, to: str) -> None:
    """Move a slot to another time (subscribed phones pick the change up).

    \b
    Example:
      social calendar move 12 --to "2026-12-02 18:30"
    """
    from scheduler.calendar import get_slot, resolve, slot_id, update_slot

    sid = slot_id(ws.db, slot)
    update_slot(ws.db, sid, resolve(ws.db, ws.config.timezone, at=to))
    moved = get_slot(ws.db, sid)
    click.echo(f"Moved slot {sid} to {_when(moved, ws)} (sequence {moved.sequence})")


@calendar.command("done")
@click.argument("slot")
@click.option("--post", help="The platform's id of the published post (links it by hand).")
@pass_workspace
def done(ws: Workspace, slot: str, post: str | None) -> None:
    """Mark a slot published, optionally with its post.

    \b
    Example:
      social calendar done 12
      social calendar done 12 --post 7350012345678901234
    """
    from scheduler.calendar import mark_done

    updated = mark_done(ws.db, slot, post=post)
    linked = f", post {updated.post}" if updated.post else ""
    click.echo(f"Slot {updated.id} marked published{linked}")


@calendar.command("link")
@click.argument("slot")
@click.argument("post")
@pass_workspace
def link(ws: Workspace, slot: str, post: str) -> None:
    """Link a slot to its published post by hand (automatic matching never overrides it).

    POST is the platform's own id: the TikTok video id, the Facebook
    '<pageid>_<postid>' or the LinkedIn URN.

    \b
    Example:
      social calendar link 12 7350012345678901234
      social calendar link 14 urn:li:share:7012345678901234567
    """
    from scheduler.calendar import link_post

    updated = link_post(ws.db, slot, post)
    click.echo(f"Slot {updated.id} linked to {updated.platform} post {updated.post} (published)")


@calendar.command("remove")
@click.argument("slot")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@pass_workspace
def remove(ws: Workspace, slot: str, yes: bool) -> None:
    """Delete a slot (it disappears from subscribed calendars).

    \b
    Example:
      social calendar remove 12 --yes
    """
    from scheduler.calendar import get_slot, remove_slot

    found = get_slot(ws.db, slot)
    if not yes:
        click.confirm(f"Delete slot {found.id} '{found.title}'?", abort=True)
    remove_slot(ws.db, found.id)
    click.echo(f"Deleted slot {found.id} ({found.title})")


@calendar.command("list")
@click.option("--week", help="ISO week, e.g. 2026-W49 (local time).")
@click.option("--owner", help="Only slots of this team member.")
@click.option("--status", type=click.Choice(STATUS_CHOICES), help="Only slots with this status.")
@format_option("table", "json", "csv")
@pass_workspace
def list_(ws: Workspace, week: str | None, owner: str | None, status: str | None, fmt: str) -> None:
    """List slots in planned order, with a consent warning column.

    \b
    Example:
      social calendar list --week 2026-W49
      social calendar list --owner "Kari Nordmann" --status planned --format json
    """
    from scheduler.calendar import list_slots, week_range

    zone = ws.config.timezone
    start, end = week_range(week, zone) if week else (None, None)
    slots = list_slots(
        ws.db, start=start, end=end, owner=owner, status=_status(status), rules=ws.rules, zone=zone
    )
    if fmt == "json":
        click.echo(json.dumps([s.as_dict(zone) for s in slots], ensure_ascii=False, indent=2))
        return
    rows = [
        {
            "id": s.id,
            "uid": s.uid,
            "when": _when(s, ws) if fmt == "table" else s.local(zone).strftime("%Y-%m-%d %H:%M"),
            "platform": s.platform,
            "title": s.title,
            "owners": ", ".join(s.owners),
            "tags": ", ".join(s.tags),
            "status": s.status.replace("_", "-"),
            "consent": "; ".join(s.consent_warnings()),
            "post": s.post or "",
        }
        for s in slots
    ]
    if fmt == "table":
        from rich.markup import escape

        rows = [{k: escape(v) if isinstance(v, str) else v for k, v in r.items()} for r in rows]
        if not rows:
            click.echo("No calendar slots match; add one with 'social calendar add'.")
            return
    emit_rows(rows, fmt, LIST_COLUMNS if fmt == "table" else ["uid", *LIST_COLUMNS])


@calendar.command("export")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@pass_workspace
def export(ws: Workspace, file: Path) -> None:
    """Write every slot to a CSV file to plan in a spreadsheet (local times, UTF-8).

    Import the edited file again with 'social calendar import'; rows are
    matched by uid, so nothing is duplicated.

    \b
    Example:
      social calendar export plan.csv
    """
    from scheduler.calendar_csv import export_csv

    refuse_own_files(ws, file, "FILE")
    count = export_csv(ws.db, file, ws.config.timezone)
    click.echo(f"Wrote {count} slots to {file}")


@calendar.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@pass_workspace
def import_(ws: Workspace, file: Path) -> None:
    """Create or update slots from a CSV file (as 'export' writes it).

    Every row is checked first; if any is bad, each problem is shown with its
    line number and nothing is written. A row without uid is a new slot.

    \b
    Example:
      social calendar import plan.csv
    """
    from scheduler.calendar_csv import import_csv

    result = import_csv(ws.db, file, ws.config.timezone)
    click.echo(
        f"Imported {file}: {result.created} new, {result.updated} updated, "
        f"{result.unchanged} unchanged"
    )


def _render(ws: Workspace, db: Any, owner: str | None, lang: str | None = None) -> bytes:
    from scheduler.ics import render_configured_feed

    return render_configured_feed(ws.config, db, owner=owner, lang=lang)


@calendar.command("ics")
@click.option("--owner", help="Only this team member's slots.")
@click.option(
    "--out", type=click.Path(dir_okay=False, path_type=Path), help="File (default stdout)."
)
@click.option("--lang", type=click.Choice(["nb", "en"]), help="Language [config].")
@pass_workspace
def ics(ws: Workspace, owner: str | None, out: Path | None, lang: str | None) -> None:
    """The calendar as an iCalendar (.ics) file for phones and calendar apps.

    Events keep their UID across exports and carry SEQUENCE, so a calendar
    that imports or subscribes updates moved slots instead of duplicating them.

    \b
    Example:
      social calendar ics --owner "Kari Nordmann" --out kari.ics
    """
    from scheduler.calendar import member_id

    refuse_own_files(ws, out, "--out")
    if owner:
        member_id(ws.db, owner)
    data = _render(ws, ws.db, owner, lang)
    if out is None:
        click.echo(data.decode("utf-8"), nl=False)
        return
    from db.files import record_written

    out.write_bytes(data)
    record_written(ws.db, out, "calendar")
    click.echo(f"Wrote {out}", err=True)


@calendar.command("feeds")
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the <token>.ics files (e.g. a web server's folder).",
)
@click.option("--base-url", help="URL the folder is served at [calendar.feed_base_url].")
@click.option(
    "--rotate",
    "rotate_names",
    multiple=True,
    help="Give this person a new secret URL (the old one stops working), repeatable.",
)
@pass_workspace
def feeds(
    ws: Workspace, out_dir: Path, base_url: str | None, rotate_names: tuple[str, ...]
) -> None:
    """Write one subscribable feed per active team member and print their URLs.

    Each person's file is named by an unguessable token; send each person
    their own URL and subscribe to it on the phone (iPhone: Settings >
    Calendar > Accounts > Add Subscribed Calendar; Google: From URL).

    \b
    Example:
      social calendar feeds --out /var/www/feeds --base-url https://example.no/feeds
      social calendar feeds --out /var/www/feeds --rotate "Kari Nordmann"
    """
    from scheduler.feeds import rotate, write_feeds

    out_dir.mkdir(parents=True, exist_ok=True)  # a folder that cannot be made changes nothing
    for name in rotate_names:
        rotate(ws.db, name)
    base = base_url if base_url is not None else str(ws.config.get("calendar", "feed_base_url"))
    written = write_feeds(ws.db, out_dir, lambda name: _render(ws, ws.db, name), base)
    rows = [{"name": f.name, "url": f.url} for f in written]
    if not rows:
        click.echo("No active team members; add them with 'social team add'.")
        return
    emit_rows(rows, "table", ["name", "url"])
    if not base:
        click.echo("Give --base-url (or calendar.feed_base_url) to print full URLs.", err=True)


@calendar.command("serve")
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; 0.0.0.0 makes the feeds reachable from the network over "
    "plain HTTP (put HTTPS in front of it).",
)
@click.option(
    "--port", default=8765, show_default=True, type=click.IntRange(0, 65535), help="Port."
)
@click.option("--url-host", help="Host name phones use in the printed URLs [this machine].")
@pass_workspace
def serve(ws: Workspace, host: str, port: int, url_host: str | None) -> None:
    """Serve each person's live feed at /feeds/<token>.ics, fresh from the database.

    Listens on this machine only (127.0.0.1) unless --host says otherwise. The
    feeds travel as plain HTTP: to reach phones, put a web server with HTTPS in
    front of it (or use 'social calendar feeds' with any HTTPS web host).
    Unknown tokens get 404. Stop with Ctrl+C.

    \b
    Example:
      social calendar serve --port 8765
      social calendar serve --host 0.0.0.0 --url-host kalender.example.no
    """
    import ipaddress
    import socket

    from db import open_db
    from scheduler.feeds import active_feeds, make_server

    path = ws.config.database_path
    ws.db  # noqa: B018 - check the database before listening
    try:
        server = make_server(
            host, port, lambda: open_db(path, create=False), lambda db, name: _render(ws, db, name)
        )
    except (OSError, OverflowError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise click.ClickException(
            f"cannot listen on {host}:{port} ({reason}); pick another --port or --host"
        ) from None
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = host == "localhost"
    if not loopback:
        click.echo(
            f"Warning: serving on {host} over plain HTTP; anyone on the network who sees a feed "
            "URL can read that calendar. Put HTTPS in front of it outside a trusted network.",
            err=True,
        )
    shown = url_host or (socket.gethostname() if host in ("0.0.0.0", "", "::") else host)
    base = f"http://{shown}:{server.server_address[1]}/feeds"
    for feed in active_feeds(ws.db, base):
        click.echo(f"{feed.name}: {feed.url}")
    click.echo(f"Serving calendar feeds on {host}:{server.server_address[1]} (Ctrl+C stops)")
    try:
        server.serve_forever()
    finally:
        server.server_close()


@calendar.command("match")
@click.option("--window-hours", type=HOURS, help="Match window [calendar.match_window_hours].")
@click.option("--dry-run", is_flag=True, help="Show what would be linked; link nothing.")
@format_option("table", "json")
@pass_workspace
def match(ws: Workspace, window_hours: float | None, dry_run: bool, fmt: str) -> None:
    """Link published posts to their slots now (this also runs after every sync).

    A post is linked when its hashtags and caption fit the slot's tags and
    title, it went out near the planned time (and from the account the slot's
    owners usually post from), and no other post or slot comes close. Unsure
    slots are listed with suggestions for a person to link by hand; a manual
    link always wins.

    \b
    Example:
      social calendar match --window-hours 48
      social calendar match --dry-run
      social calendar link 7 7311042000000000123    # accept a suggestion
    """
    from scheduler.matching import match_slots

    hours = (
        window_hours
        if window_hours is not None
        else ws.config.get("calendar", "match_window_hours")
    )
    result = match_slots(ws.db, window_hours=float(hours), dry_run=dry_run)
    if fmt == "json":
        click.echo(
            json.dumps({"dry_run": dry_run, **result.to_json()}, ensure_ascii=False, indent=2)
        )
        return
    verb = "Would match" if dry_run else "Matched"
    click.echo(f"{verb} {len(result.linked)} slot(s) to published posts")
    for m in result.linked:
        assert m.linked is not None
        click.echo(f"  {_slot_line(ws, m)} -> {_candidate_line(ws, m.linked)}")
    if result.unsure:
        click.echo(
            f"{len(result.unsure)} slot(s) unsure; link the right post with "
            "'social calendar link SLOT POST':"
        )
        for m in result.unsure:
            click.echo(f"  {_slot_line(ws, m)}")
            for c in m.suggestions:
                click.echo(f"      {_candidate_line(ws, c)}")


def _slot_line(ws: Workspace, m: Any) -> str:
    from core import formats
    from core.timeutil import from_utc_iso

    when = formats.moment(from_utc_iso(m.planned_at).astimezone(_zone(ws)), ws.config.language)
    return f"slot {m.slot_id} “{m.title}” ({when})"


def _candidate_line(ws: Workspace, c: Any) -> str:
    from core import formats
    from core.timeutil import from_utc_iso

    when = formats.moment(from_utc_iso(c.published_at).astimezone(_zone(ws)), ws.config.language)
    caption = " ".join(c.caption.split())
    caption = caption if len(caption) <= 50 else caption[:49] + "…"
    why = ", ".join(c.reasons) or "nothing in common"
    return f"post {c.external_id} “{caption}” ({when}; {round(c.confidence * 100)} % sure: {why})"


def _zone(ws: Workspace) -> Any:
    from zoneinfo import ZoneInfo

    return ZoneInfo(ws.config.timezone)
