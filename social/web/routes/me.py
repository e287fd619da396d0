"""Min side: my slots, my videos against the account's typical level, my reminder settings."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from core.errors import SocialError
from core.timeutil import utcnow
from social.web import results
from social.web.core import Ctx, page


def my_videos(ctx: Ctx, name: str) -> dict[str, Any]:
    """My posts compared with the running median of the account (insights by owner)."""
    result = results.insights(ctx.state, ctx.lang, "owner", None)
    mine = [p for p in result.compared if name in p.owners]
    group = next((g for g in result.groups if g.key == name), None)
    return {"age_days": result.age_days, "posts": list(reversed(mine))[:30], "group": group}


_VALIDATORS = {"email": "validate_email", "slack": "validate_slack", "teams": "validate_teams"}


def settings_errors(ctx: Ctx, values: dict[str, str]) -> dict[str, str]:
    """Check each reminder setting on its own, so each message sits beside its field."""
    from scheduler import team

    errors: dict[str, str] = {}
    for key, name in _VALIDATORS.items():
        if values[key]:
            try:
                getattr(team, name)(values[key])
            except SocialError as exc:
                errors[key] = str(exc)
    try:
        team.parse_quiet(values["quiet"])
    except SocialError:
        errors["quiet"] = ctx.t(
            "Skriv stille timer som TT:MM-TT:MM, for eksempel 22:00-07:00, eller la feltet stå tomt."
        )
    if values["language"] not in ("nb", "en"):
        errors["language"] = ctx.t("Velg norsk eller engelsk.")
    return errors


@page("me")
def me(ctx: Ctx) -> Response:
    """The signed-in member's own page."""
    if ctx.actor is None or not ctx.actor.is_member:
        return RedirectResponse("/", status_code=303)
    from scheduler.calendar import list_slots
    from scheduler.team import edit_member, get_member

    member = get_member(ctx.db, ctx.actor.name)
    values = {
        "email": member.email or "",
        "slack": member.slack_member or "",
        "teams": member.teams or "",
        "quiet": member.quiet,
        "language": member.language,
    }
    errors: dict[str, str] = {}
    if ctx.form is not None:
        values = {key: ctx.field(key) for key in values}
        errors = settings_errors(ctx, values)
        if not errors:
            edit_member(
                ctx.db,
                member.name,
                email=values["email"] or None,
                slack=values["slack"] or None,
                teams=values["teams"] or None,
                quiet=values["quiet"] or None,
                language=values["language"],
            )
            return ctx.redirect("/me", ctx.t("Innstillingene er lagret."))
    now = utcnow()
    slots = list_slots(ctx.db, start=now - timedelta(days=30), owner=member.name)
    videos = my_videos(ctx, member.name)
    channels = [ctx.t(str(c)) for c in ctx.config.get("reminders", "channels")]
    data: dict[str, Any] = {
        "member": member,
        "upcoming": [s for s in slots if s.planned_at >= now.strftime("%Y-%m-%dT%H:%M:%SZ")],
        "recent": [s for s in slots if s.planned_at < now.strftime("%Y-%m-%dT%H:%M:%SZ")],
        "videos": videos,
        "values": values,
        "errors": errors,
        "channels": channels,
    }
    json_data = {
        "member": member.as_dict(),
        "upcoming": [s.as_dict(ctx.zone) for s in data["upcoming"]],
        "recent": [s.as_dict(ctx.zone) for s in data["recent"]],
        "videos": {
            "age_days": videos["age_days"],
            "posts": [
                {
                    "id": p.external_id,
                    "platform": p.platform,
                    "views_at_age": p.views,
                    "baseline": p.baseline,
                    "ratio": p.ratio,
                }
                for p in videos["posts"]
            ],
        },
    }
    return ctx.render(
        "me.html", data, title=ctx.t("Min side"), status=422 if errors else 200, json_data=json_data
    )


ROUTES = [Route("/me", me, methods=["GET", "POST"])]
