"""Team, samtykke og personvern: members, login links and calendar links, consent records, and
deleting one person's details everywhere."""

from __future__ import annotations

from datetime import date
from typing import Any

from starlette.responses import Response
from starlette.routing import Route

from core.errors import SocialError
from db import web_sessions
from scheduler import team
from social.web.core import Ctx, NotFound, page
from social.web.routes.me import settings_errors

MEMBER_FIELDS = ("name", "role", "email", "slack", "teams", "quiet", "language")


def _member(ctx: Ctx, mid: Any) -> team.Member:
    for member in team.list_members(ctx.db, include_inactive=True):
        if member.id == int(mid):
            return member
    raise NotFound(ctx.t("Fant ikke personen."))


def _member_errors(ctx: Ctx, values: dict[str, str]) -> dict[str, str]:
    errors = settings_errors(ctx, values)
    try:
        team.clean_name(values["name"])
    except SocialError:
        errors["name"] = ctx.t("Skriv personens navn.")
    if values["role"] not in team.ROLES:
        errors["role"] = ctx.t("Velg en rolle.")
    return errors


@page("team")
def team_page(ctx: Ctx) -> Response:
    """Members and consent records, with forms to add either."""
    from scheduler.people import list_people

    values = {k: "" for k in MEMBER_FIELDS} | {"role": "student", "language": "nb", "active": "1"}
    errors: dict[str, str] = {}
    if ctx.form is not None:
        ctx.require("team.edit")
        values = {k: ctx.field(k) for k in MEMBER_FIELDS}
        errors = _member_errors(ctx, values)
        if not errors:
            try:
                added = team.add_member(
                    ctx.db,
                    values["name"],
                    role=values["role"],
                    email=values["email"] or None,
                    slack=values["slack"] or None,
                    teams=values["teams"] or None,
                    quiet=values["quiet"] or None,
                    language=values["language"],
                )
                return ctx.redirect(
                    f"/team/members/{added.id}", ctx.t("{name} er lagt til.", name=added.name)
                )
            except SocialError as exc:
                errors["name"] = str(exc)
    members = team.list_members(ctx.db, include_inactive=True)
    people = list_people(ctx.db)
    return ctx.render(
        "team.html",
        {
            "members": members,
            "people": people,
            "values": values,
            "errors": errors,
            "person_values": {"name": "", "consent_date": ""},
            "person_errors": {},
            "roles": team.ROLES,
        },
        title=ctx.t("Team, samtykke og personvern"),
        status=422 if errors else 200,
        json_data={
            "members": [m.as_dict() for m in members],
            "people": [p.as_dict() for p in people],
        },
    )


@page("team")
def member_page(ctx: Ctx) -> Response:
    """One member: edit, make a login link, their calendar link."""
    from scheduler.feeds import feed_url, token_for

    member = _member(ctx, ctx.request.path_params["mid"])
    values = {
        "name": member.name,
        "role": member.role,
        "email": member.email or "",
        "slack": member.slack_member or "",
        "teams": member.teams or "",
        "quiet": member.quiet,
        "language": member.language,
    }
    errors: dict[str, str] = {}
    login_link = None
    if ctx.form is not None:
        ctx.require("team.edit")
        if ctx.field("action") == "login-link":
            from social.web.auth import login_url

            try:
                token = web_sessions.create_login_token(ctx.db, member.id)
                login_link = login_url(ctx.state.base_url, token)
            except SocialError as exc:
                errors["name"] = str(exc)
        else:
            values = {k: ctx.field(k) for k in MEMBER_FIELDS}
            errors = _member_errors(ctx, values)
            active = ctx.field("active") == "1"
            if not errors:
                try:
                    team.edit_member(
                        ctx.db,
                        member.name,
                        rename=values["name"],
                        role=values["role"],
                        email=values["email"] or None,
                        slack=values["slack"] or None,
                        teams=values["teams"] or None,
                        quiet=values["quiet"] or None,
                        language=values["language"],
                        active=active,
                    )
                    if not active or values["role"] == "partner_contact":
                        web_sessions.end_sessions_of_member(ctx.db, member.id)
                    return ctx.redirect(
                        f"/team/members/{member.id}", ctx.t("Endringene er lagret.")
                    )
                except SocialError as exc:
                    errors["name"] = str(exc)
    feed = (
        feed_url(ctx.state.base_url + "/feeds", token_for(ctx.db, member.id))
        if member.active
        else None
    )
    return ctx.render(
        "member.html",
        {
            "member": member,
            "values": values,
            "errors": errors,
            "roles": team.ROLES,
            "login_link": login_link,
            "feed_url": feed,
            "references": team.member_references(ctx.db, member.id),
        },
        title=member.name,
        status=422 if errors else 200,
        json_data={"member": member.as_dict()},
    )


def _consent_date(ctx: Ctx, text: str, errors: dict[str, str]) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        errors["consent_date"] = ctx.t("Skriv datoen som ÅÅÅÅ-MM-DD.")
        return None


@page("team.edit")
def person_new(ctx: Ctx) -> Response:
    """Record a person who appears in videos, with their consent."""
    from scheduler.people import add_person

    errors: dict[str, str] = {}
    name = ctx.field("name")
    consent_day = _consent_date(ctx, ctx.field("consent_date"), errors)
    if not name:
        errors["name"] = ctx.t("Skriv personens navn.")
    if not errors:
        try:
            add_person(
                ctx.db,
                name,
                under_18=ctx.field("under_18") == "1",
                consent_date=consent_day,
                guardian_consent=ctx.field("guardian_consent") == "1",
                notes=ctx.field("notes"),
            )
            return ctx.redirect(
                "/team#people", ctx.t("Samtykket for {name} er registrert.", name=name)
            )
        except SocialError as exc:
            errors["consent_date" if "date" in str(exc) else "name"] = str(exc)
    return ctx.redirect(
        "/team#people", ctx.t("Ikke lagret: {error}", error="; ".join(errors.values()))
    )


@page("team.edit")
def person_edit(ctx: Ctx) -> Response:
    """Change a consent record (consent given, withdrawn, guardian's consent)."""
    from scheduler.people import edit_person

    name = ctx.field("person")
    errors: dict[str, str] = {}
    consent_day = _consent_date(ctx, ctx.field("consent_date"), errors)
    if not errors:
        try:
            consent = ctx.field("consent")
            edit_person(
                ctx.db,
                name,
                consent_date=consent_day if consent != "0" else None,
                consent=None if consent == "" else consent == "1",
                guardian_consent=ctx.field("guardian_consent") == "1",
                under_18=ctx.field("under_18") == "1",
            )
            return ctx.redirect(
                "/team#people", ctx.t("Samtykket for {name} er oppdatert.", name=name)
            )
        except SocialError as exc:
            errors["name"] = str(exc)
    return ctx.redirect(
        "/team#people", ctx.t("Ikke lagret: {error}", error="; ".join(errors.values()))
    )


@page("team.edit")
def privacy(ctx: Ctx) -> Response:
    """Show everything kept about one person; delete it everywhere after confirmation."""
    from social.privacy import forget, personal_details

    name = ctx.field("name")
    if ctx.form is not None and ctx.field("confirm") == "1":
        try:
            result = forget(ctx.db, name)
        except SocialError as exc:
            return ctx.redirect("/team", str(exc))
        return ctx.redirect("/team", result.summary())
    try:
        details = personal_details(ctx.db, name) if name else []
    except SocialError as exc:
        return ctx.redirect("/team", str(exc))
    return ctx.render(
        "privacy.html",
        {"name": name, "details": details},
        title=ctx.t("Slett personopplysninger"),
        json_data={"name": name, "details": details},
    )


ROUTES = [
    Route("/team", team_page, methods=["GET", "POST"]),
    Route("/team/members/{mid:int}", member_page, methods=["GET", "POST"]),
    Route("/team/people", person_new, methods=["POST"]),
    Route("/team/people/edit", person_edit, methods=["POST"]),
    Route("/team/privacy", privacy, methods=["GET", "POST"]),
]
