"""Kalender: month and week views, add and edit slots, move (drag and drop or keyboard), claim,
the publishing checklist, mark published and link the post, and the iCal feeds."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from core import registry
from core.errors import SocialError
from core.timeutil import local_date, utcnow
from scheduler import calendar as cal
from scheduler import calendar_views as views
from scheduler import checklist as checks
from social.web.core import Ctx, NotFound, json_dumps, page

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME = re.compile(r"^([01]?\d|2[0-3]):[0-5]\d$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_WEEK = re.compile(r"^(\d{4})-W(\d{1,2})$")
EDITABLE_STATUSES = ("idea", "planned", "in_production", "ready", "skipped")


# --- helpers ----------------------------------------------------------------------------------


def _filters(ctx: Ctx) -> views.Filters:
    platform = ctx.field("platform")
    return views.Filters(
        owner=ctx.field("owner") or None,
        tag=ctx.field("tag") or None,
        campaign=ctx.field("campaign") or None,
        platform=platform if platform in registry.names() else None,
    )


def _filter_query(filters: views.Filters) -> str:
    from urllib.parse import urlencode

    pairs = [(k, v) for k, v in vars(filters).items() if v]
    return urlencode(pairs)


def _slot(ctx: Ctx, slot_ref: Any) -> cal.Slot:
    try:
        return cal.get_slot(ctx.db, int(slot_ref))
    except (SocialError, ValueError):
        raise NotFound(ctx.t("Fant ikke kalenderposten.")) from None


def _can_edit(ctx: Ctx, slot: cal.Slot) -> bool:
    return ctx.allowed("slot.edit", owners=views.owner_ids(ctx.db, slot.id))


def _feed_url(ctx: Ctx) -> str | None:
    if ctx.actor is None or not ctx.actor.is_member:
        return None
    from scheduler.feeds import feed_url, token_for

    return feed_url(ctx.state.base_url + "/feeds", token_for(ctx.db, ctx.actor.id))


def _announce(message: str) -> dict[str, str]:
    return {"HX-Trigger": json_dumps({"announce": message})}


def _period(ctx: Ctx) -> dict[str, Any]:
    today = local_date(utcnow(), ctx.zone)
    view = "week" if ctx.field("view") == "week" else "month"
    if view == "week":
        found = _WEEK.match(ctx.field("week").upper())
        try:
            first = date.fromisocalendar(int(found[1]), int(found[2]), 1) if found else None
        except ValueError:
            first = None
        first = first or today - timedelta(days=today.weekday())
        prev, nxt = first - timedelta(days=7), first + timedelta(days=7)
        return {
            "view": view,
            "first": first,
            "label": ctx.t(
                "Uke {week}, {year}", week=first.isocalendar()[1], year=first.isocalendar()[0]
            ),
            "prev": f"{prev.isocalendar()[0]}-W{prev.isocalendar()[1]:02d}",
            "next": f"{nxt.isocalendar()[0]}-W{nxt.isocalendar()[1]:02d}",
            "today": today,
        }
    match = _MONTH.match(ctx.field("month"))
    year, month = (int(match[1]), int(match[2])) if match else (today.year, today.month)
    if not 1 <= month <= 12 or not 2000 <= year <= 2100:
        year, month = today.year, today.month
    first = date(year, month, 1)
    prev = (first - timedelta(days=1)).replace(day=1)
    nxt = (first + timedelta(days=32)).replace(day=1)
    from babel.dates import format_date

    from core.formats import locale_of

    return {
        "view": view,
        "first": first,
        "label": format_date(first, "LLLL y", locale=locale_of(ctx.lang)).capitalize(),
        "prev": prev.strftime("%Y-%m"),
        "next": nxt.strftime("%Y-%m"),
        "today": today,
    }


def _grid_data(ctx: Ctx) -> dict[str, Any]:
    filters = _filters(ctx)
    period = _period(ctx)
    if period["view"] == "week":
        weeks = [views.week_grid(ctx.db, ctx.zone, period["first"], filters)]
    else:
        weeks = views.month_grid(
            ctx.db, ctx.zone, period["first"].year, period["first"].month, filters
        )
    owners: dict[int, list[int]] = {}
    editable: set[int] = set()
    claimable: set[int] = set()
    for week in weeks:
        for day in week:
            for slot in day.slots:
                ids = views.owner_ids(ctx.db, slot.id)
                owners[slot.id] = ids
                if ctx.allowed("slot.edit", owners=ids):
                    editable.add(slot.id)
                if ctx.actor and ctx.actor.is_member and not ids:
                    claimable.add(slot.id)
    return {
        "weeks": weeks,
        "period": period,
        "filters": filters,
        "filter_query": _filter_query(filters),
        "editable": editable,
        "claimable": claimable,
    }


# --- pages ------------------------------------------------------------------------------------


@page("calendar")
def calendar_page(ctx: Ctx) -> Response:
    """The team's calendar as a month or week."""
    from scheduler.team import list_members

    data = _grid_data(ctx)
    data.update(
        {
            "members": [m.name for m in list_members(ctx.db) if m.role != "partner_contact"],
            "tags": views.tags_in_use(ctx.db),
            "campaigns": views.campaign_names(ctx.db),
            "platforms": registry.names(),
            "feed_url": _feed_url(ctx),
        }
    )
    json_data = {
        "view": data["period"]["view"],
        "first": data["period"]["first"].isoformat(),
        "days": [
            {"date": d.date.isoformat(), "slots": [s.as_dict(ctx.zone) for s in d.slots]}
            for week in data["weeks"]
            for d in week
            if d.in_range
        ],
        "feed_url": data["feed_url"],
    }
    return ctx.render("calendar.html", data, title=ctx.t("Kalender"), json_data=json_data)


@page("calendar")
def calendar_grid(ctx: Ctx) -> Response:
    """Only the grid (htmx refreshes it after a move)."""
    return ctx.render("_calendar_grid.html", _grid_data(ctx))


def _form_values(ctx: Ctx, slot: cal.Slot | None) -> dict[str, Any]:
    if ctx.form is None and slot is not None:
        local = slot.local(ctx.zone)
        return {
            "date": local.strftime("%Y-%m-%d"),
            "time": local.strftime("%H:%M"),
            "platform": slot.platform,
            "title": slot.title,
            "notes": slot.notes,
            "tags": ", ".join(slot.tags),
            "campaign": slot.campaign or "",
            "partner": slot.partner or "",
            "status": slot.status,
            "owners": list(slot.owners),
            "appears": [p.name for p in slot.appearances],
        }
    if ctx.form is None:
        day = ctx.field("date")
        return {
            "date": day if _DATE.match(day) else "",
            "time": "16:00",
            "platform": "tiktok",
            "title": "",
            "notes": "",
            "tags": "",
            "campaign": "",
            "partner": "",
            "status": "planned",
            "owners": [ctx.actor.name] if ctx.actor and ctx.actor.is_member else [],
            "appears": [],
        }
    return {
        "date": ctx.field("date"),
        "time": ctx.field("time"),
        "platform": ctx.field("platform"),
        "title": ctx.field("title"),
        "notes": ctx.field("notes"),
        "tags": ctx.field("tags"),
        "campaign": ctx.field("campaign"),
        "partner": ctx.field("partner"),
        "status": ctx.field("status"),
        "owners": ctx.fields("owners"),
        "appears": ctx.fields("appears"),
    }


def _resolve(
    ctx: Ctx, values: dict[str, Any], *, assign: bool, current: cal.Slot | None
) -> tuple[cal.SlotFields | None, dict[str, str]]:
    """Check every field on its own (so each message sits beside its field), then together."""
    errors: dict[str, str] = {}
    if not _DATE.match(values["date"]):
        errors["date"] = ctx.t("Velg en dato.")
    if not _TIME.match(values["time"]):
        errors["time"] = ctx.t("Skriv klokkeslett som TT:MM, for eksempel 16:00.")
    if not values["title"]:
        errors["title"] = ctx.t("Gi posten en kort tittel.")
    if values["platform"] not in registry.names():
        errors["platform"] = ctx.t("Velg en plattform.")
    if values["status"] not in cal.STATUSES:
        errors["status"] = ctx.t("Velg en status.")
    elif values["status"] == "published" and (current is None or current.status != "published"):
        errors["status"] = ctx.t("Bruk «Marker som publisert» under sjekklisten for å publisere.")
    given: dict[str, Any] = {
        "notes": values["notes"],
        "tags": [t for t in values["tags"].split(",")],
        "campaign": values["campaign"],
        "partner": values["partner"],
        "appears": values["appears"],
    }
    if assign or current is None:
        given["owners"] = values["owners"]
    if "date" not in errors and "time" not in errors:
        given["at"] = f"{values['date']} {values['time']}"
    field_of = {"at": "date"}
    for key, value in given.items():
        try:
            cal.resolve(ctx.db, ctx.zone, **{key: value})
        except SocialError as exc:
            errors.setdefault(field_of.get(key, key), str(exc))
    if errors:
        return None, errors
    fields = cal.resolve(
        ctx.db,
        ctx.zone,
        platform=values["platform"],
        title=values["title"],
        status=values["status"],
        current_platform=current.platform if current else None,
        **given,
    )
    return fields, {}


def _form_context(ctx: Ctx) -> dict[str, Any]:
    from scheduler.team import list_members

    return {
        "platforms": registry.names(),
        "statuses": cal.STATUSES,
        "members": [m.name for m in list_members(ctx.db) if m.role != "partner_contact"],
        "people": views.person_names(ctx.db),
        "campaigns": views.campaign_names(ctx.db),
        "partners": views.partner_names(ctx.db),
        "can_assign": ctx.allowed("slot.assign"),
    }


@page("slot.create")
def new_slot(ctx: Ctx) -> Response:
    """Add a slot (students own the slots they add)."""
    values = _form_values(ctx, None)
    errors: dict[str, str] = {}
    if ctx.form is not None:
        assign = ctx.allowed("slot.assign")
        if not assign and ctx.actor is not None:
            values["owners"] = [ctx.actor.name]
        fields, errors = _resolve(ctx, values, assign=True, current=None)
        if fields is not None:
            sid = cal.create_slot(ctx.db, fields)
            return ctx.redirect(f"/calendar/slots/{sid}", ctx.t("Posten er lagt til."))
    return ctx.render(
        "slot_form.html",
        {**_form_context(ctx), "values": values, "errors": errors, "slot": None},
        title=ctx.t("Ny post i kalenderen"),
        status=422 if errors else 200,
    )


def _slot_page_data(ctx: Ctx, slot: cal.Slot) -> dict[str, Any]:
    items = checks.checklist(ctx.db, slot, ctx.state.checklist_items(), ctx.lang)
    window = float(ctx.config.get("calendar", "match_window_hours"))
    suggestions = [] if slot.post else views.suggest_posts(ctx.db, slot, window_hours=window)
    return {
        "slot": slot,
        "checklist": items,
        "missing": checks.missing(items),
        "suggestions": suggestions,
        "can_edit": _can_edit(ctx, slot),
        "can_claim": bool(ctx.actor and ctx.actor.is_member and not slot.owners),
        "consent": checks.consent_problems(slot, ctx.lang),
    }


@page("calendar")
def slot_page(ctx: Ctx) -> Response:
    """One slot: details, edit form, checklist, publishing and post link."""
    slot = _slot(ctx, ctx.request.path_params["slot_id"])
    data = _slot_page_data(ctx, slot)
    values = _form_values(ctx, slot)
    errors: dict[str, str] = {}
    if ctx.form is not None:
        if not data["can_edit"]:
            return _forbidden_edit(ctx)
        values = _form_values(ctx, None)
        fields, errors = _resolve(ctx, values, assign=ctx.allowed("slot.assign"), current=slot)
        if fields is not None:
            changed = cal.update_slot(ctx.db, slot.id, fields)
            return ctx.redirect(
                f"/calendar/slots/{slot.id}",
                ctx.t("Endringene er lagret.") if changed else ctx.t("Ingen endringer."),
            )
    json_data = {
        "slot": slot.as_dict(ctx.zone),
        "checklist": [i.as_dict() for i in data["checklist"]],
        "suggestions": [s.as_dict() for s in data["suggestions"]],
        "can_edit": data["can_edit"],
    }
    return ctx.render(
        "slot.html",
        {**data, **_form_context(ctx), "values": values, "errors": errors},
        title=slot.title,
        status=422 if errors else 200,
        json_data=json_data,
    )


def _forbidden_edit(ctx: Ctx) -> Response:
    from social.web.core import error_page

    return error_page(
        ctx, 403, ctx.t("Bare de som eier posten (eller kommunikasjonsteamet) kan endre den.")
    )


def _fetch(ctx: Ctx) -> bool:
    return ctx.request.headers.get("x-requested-with") == "fetch"


@page("calendar")
def move_slot(ctx: Ctx) -> Response:
    """Move a slot to another day (same time) or to a date and time."""
    slot = _slot(ctx, ctx.request.path_params["slot_id"])
    if ctx.form is None:
        local = slot.local(ctx.zone)
        return ctx.render(
            "slot_move.html",
            {
                "slot": slot,
                "values": {"date": local.strftime("%Y-%m-%d"), "time": local.strftime("%H:%M")},
                "errors": {},
            },
            title=ctx.t("Flytt «{title}»", title=slot.title),
        )
    if not _can_edit(ctx, slot):
        return _forbidden_edit(ctx)
    day, clock = ctx.field("date"), ctx.field("time")
    errors: dict[str, str] = {}
    if not _DATE.match(day):
        errors["date"] = ctx.t("Velg en dato.")
    if clock and not _TIME.match(clock):
        errors["time"] = ctx.t("Skriv klokkeslett som TT:MM, for eksempel 16:00.")
    moved = None
    if not errors:
        try:
            if clock:
                cal.update_slot(ctx.db, slot.id, cal.resolve(ctx.db, ctx.zone, at=f"{day} {clock}"))
                moved = cal.get_slot(ctx.db, slot.id)
            else:
                moved = views.move_to_day(ctx.db, ctx.zone, slot.id, date.fromisoformat(day))
        except (SocialError, ValueError) as exc:
            errors["date"] = str(exc)
    if errors:
        if _fetch(ctx):
            return JSONResponse({"error": next(iter(errors.values()))}, status_code=422)
        return ctx.render(
            "slot_move.html",
            {"slot": slot, "values": {"date": day, "time": clock}, "errors": errors},
            title=ctx.t("Flytt «{title}»", title=slot.title),
            status=422,
        )
    assert moved is not None
    message = ctx.t(
        "«{title}» er flyttet til {when}.",
        title=moved.title,
        when=ctx.moment(moved.local(ctx.zone)),
    )
    if _fetch(ctx):
        return JSONResponse({"ok": True, "message": message, "slot": moved.as_dict(ctx.zone)})
    return ctx.redirect(f"/calendar/slots/{slot.id}", message)


@page("calendar")
def claim(ctx: Ctx) -> Response:
    """Take an unowned slot."""
    slot = _slot(ctx, ctx.request.path_params["slot_id"])
    if ctx.actor is None or not ctx.actor.is_member:
        return _forbidden_edit(ctx)
    ctx.require("slot.claim", owners=views.owner_ids(ctx.db, slot.id))
    try:
        views.claim_slot(ctx.db, slot.id, ctx.actor.id)
    except SocialError as exc:
        return ctx.redirect(f"/calendar/slots/{slot.id}", str(exc))
    return ctx.redirect(f"/calendar/slots/{slot.id}", ctx.t("Posten er din."))


@page("calendar")
def check_item(ctx: Ctx) -> Response:
    """Tick or untick a checklist item."""
    slot = _slot(ctx, ctx.request.path_params["slot_id"])
    if not _can_edit(ctx, slot):
        return _forbidden_edit(ctx)
    item, done = ctx.field("item"), ctx.field("done") == "1"
    checks.set_check(
        ctx.db,
        slot.id,
        item,
        done,
        items=ctx.state.checklist_items(),
        member_id=ctx.actor.id if ctx.actor and ctx.actor.is_member else None,
    )
    if ctx.is_htmx():
        data = _slot_page_data(ctx, cal.get_slot(ctx.db, slot.id))
        label = next((i.label for i in data["checklist"] if i.key == item), item)
        message = (
            ctx.t("Huket av: {label}", label=label)
            if done
            else ctx.t("Fjernet avhuking: {label}", label=label)
        )
        return ctx.render("_checklist.html", data, headers=_announce(message))
    return ctx.redirect(f"/calendar/slots/{slot.id}#checklist", ctx.t("Sjekklisten er oppdatert."))


@page("calendar")
def publish(ctx: Ctx) -> Response:
    """Mark published (optionally linking the post); refused while the checklist has gaps
    unless the person confirms they publish anyway."""
    slot = _slot(ctx, ctx.request.path_params["slot_id"])
    if not _can_edit(ctx, slot):
        return _forbidden_edit(ctx)
    post = ctx.field("post") or ctx.field("post_id")
    data = _slot_page_data(ctx, slot)
    errors: dict[str, str] = {}
    if data["missing"] and ctx.field("confirm") != "1":
        errors["confirm"] = ctx.t(
            "Sjekklisten er ikke ferdig: {items}. Hak av for å publisere likevel.",
            items="; ".join(i.label for i in data["missing"]),
        )
    if not errors:
        try:
            cal.mark_done(ctx.db, slot.id, post=post or None)
        except SocialError as exc:
            errors["post"] = str(exc)
    if errors:
        return ctx.render(
            "slot.html",
            {**data, **_form_context(ctx), "values": _form_values(ctx, slot), "errors": errors},
            title=slot.title,
            status=422,
        )
    return ctx.redirect(f"/calendar/slots/{slot.id}", ctx.t("Posten er markert som publisert."))


@page("calendar")
def unlink(ctx: Ctx) -> Response:
    slot = _slot(ctx, ctx.request.path_params["slot_id"])
    if not _can_edit(ctx, slot):
        return _forbidden_edit(ctx)
    cal.unlink_post(ctx.db, slot.id)
    return ctx.redirect(f"/calendar/slots/{slot.id}", ctx.t("Koblingen til innlegget er fjernet."))


@page("calendar")
def delete(ctx: Ctx) -> Response:
    slot = _slot(ctx, ctx.request.path_params["slot_id"])
    if not _can_edit(ctx, slot):
        return _forbidden_edit(ctx)
    if ctx.field("confirm") != "1":
        return ctx.redirect(
            f"/calendar/slots/{slot.id}", ctx.t("Hak av for å bekrefte slettingen.")
        )
    cal.remove_slot(ctx.db, slot.id)
    return ctx.redirect("/calendar", ctx.t("«{title}» er slettet.", title=slot.title))


@page(None)
def feed(ctx: Ctx) -> Response:
    """A person's live iCal feed (the token in the URL is the key; unknown tokens get 404)."""
    from scheduler.feeds import member_by_token
    from scheduler.ics import render_configured_feed

    token = ctx.request.path_params["token"]
    found = member_by_token(ctx.db, token)
    if found is None:
        return Response("not found\n", status_code=404, media_type="text/plain")
    body = render_configured_feed(ctx.config, ctx.db, owner=found[1])
    return Response(
        body, media_type="text/calendar; charset=utf-8", headers={"Cache-Control": "no-cache"}
    )


ROUTES = [
    Route("/calendar", calendar_page, methods=["GET"]),
    Route("/calendar/grid", calendar_grid, methods=["GET"]),
    Route("/calendar/new", new_slot, methods=["GET", "POST"]),
    Route("/calendar/slots/{slot_id:int}", slot_page, methods=["GET", "POST"]),
    Route("/calendar/slots/{slot_id:int}/move", move_slot, methods=["GET", "POST"]),
    Route("/calendar/slots/{slot_id:int}/claim", claim, methods=["POST"]),
    Route("/calendar/slots/{slot_id:int}/check", check_item, methods=["POST"]),
    Route("/calendar/slots/{slot_id:int}/publish", publish, methods=["POST"]),
    Route("/calendar/slots/{slot_id:int}/unlink", unlink, methods=["POST"]),
    Route("/calendar/slots/{slot_id:int}/delete", delete, methods=["POST"]),
    Route("/feeds/{token}.ics", feed, methods=["GET"]),
]
