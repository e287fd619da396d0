"""Partnere og briefer: partners, briefs from templates with a preview and their lifecycle, the
partner's yearly report, and the secret read-only link that shows a partner only its own."""

from __future__ import annotations

import contextlib
import re
from datetime import date
from typing import Any

from markupsafe import Markup
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from briefs import partners as store
from briefs.tiers import TIERS, tier_for_employees
from core.errors import SocialError
from core.timeutil import local_date, utcnow
from db import web_sessions
from social.web.core import Ctx, NotFound, json_dumps, page

DOCUMENT_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'"
)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
FIELDS = ("name", "tier", "employees", "contact_name", "contact_email", "region", "industry")


def _partner(ctx: Ctx, pid: Any) -> store.Partner:
    try:
        return store.get_partner(ctx.db, int(pid))
    except (SocialError, ValueError):
        raise NotFound(ctx.t("Fant ikke partneren.")) from None


def _partner_values(ctx: Ctx) -> dict[str, str]:
    return {key: ctx.field(key) for key in FIELDS}


def _partner_fields(ctx: Ctx, values: dict[str, str]) -> tuple[dict[str, Any], dict[str, str]]:
    errors: dict[str, str] = {}
    tier = values["tier"] or None
    if values["employees"]:
        try:
            tier = tier_for_employees(int(values["employees"]))
        except (ValueError, SocialError):
            errors["employees"] = ctx.t("Skriv antall ansatte som et helt tall.")
    if tier is not None and tier not in TIERS:
        errors["tier"] = ctx.t("Velg en størrelse.")
    if not values["name"]:
        errors["name"] = ctx.t("Skriv firmaets navn.")
    email = values["contact_email"]
    if email and not re.match(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", email):
        errors["contact_email"] = ctx.t("Skriv e-postadressen som navn@firma.no.")
    fields = {
        "tier": tier,
        "contact_name": values["contact_name"],
        "contact_email": values["contact_email"],
        "region": values["region"],
        "industry": values["industry"],
    }
    return fields, errors


@page("partners")
def partners(ctx: Ctx) -> Response:
    """Every partner, and a form to add one."""
    values = {key: "" for key in FIELDS}
    values["tier"] = "small"
    errors: dict[str, str] = {}
    if ctx.form is not None:
        ctx.require("partners.edit")
        values = _partner_values(ctx)
        fields, errors = _partner_fields(ctx, values)
        if not errors:
            try:
                tier = fields.pop("tier") or "small"
                added = store.add_partner(ctx.db, values["name"], tier=tier, **fields)
                return ctx.redirect(
                    f"/partners/{added.id}", ctx.t("{name} er lagt til.", name=added.name)
                )
            except SocialError as exc:
                errors["name"] = str(exc)
    items = store.list_partners(ctx.db)
    return ctx.render(
        "partners.html",
        {"partners": items, "values": values, "errors": errors, "tiers": TIERS},
        title=ctx.t("Partnere og briefer"),
        status=422 if errors else 200,
        json_data={"partners": [p.as_dict(ctx.lang) for p in items]},
    )


@page("partners")
def partner(ctx: Ctx) -> Response:
    """One partner: details, the read-only link, briefs, campaigns and the yearly report."""
    found = _partner(ctx, ctx.request.path_params["pid"])
    values = {
        "name": found.name,
        "tier": found.tier,
        "employees": "",
        "contact_name": found.contact_name or "",
        "contact_email": found.contact_email or "",
        "region": found.region,
        "industry": found.industry,
    }
    errors: dict[str, str] = {}
    if ctx.form is not None:
        ctx.require("partners.edit")
        values = _partner_values(ctx)
        fields, errors = _partner_fields(ctx, values)
        if not errors:
            try:
                store.edit_partner(ctx.db, str(found.id), rename=values["name"], **fields)
                return ctx.redirect(f"/partners/{found.id}", ctx.t("Endringene er lagret."))
            except SocialError as exc:
                errors["name"] = str(exc)
    links = store.partner_links(ctx.db, found.id)
    year = local_date(utcnow(), ctx.zone).year
    data = {
        "partner": found,
        "values": values,
        "errors": errors,
        "tiers": TIERS,
        "links": links,
        "link_created": web_sessions.partner_link_created(ctx.db, found.id),
        "new_link": None,
        "year": year,
        "years": list(range(year, year - 4, -1)),
    }
    return ctx.render(
        "partner.html",
        data,
        title=found.name,
        status=422 if errors else 200,
        json_data={"partner": found.as_dict(ctx.lang), **links},
    )


@page("partners.edit")
def partner_link(ctx: Ctx) -> Response:
    """Make (or replace) the partner's secret read-only link and show it once."""
    found = _partner(ctx, ctx.request.path_params["pid"])
    if ctx.field("action") == "revoke":
        web_sessions.revoke_partner_link(ctx.db, found.id)
        return ctx.redirect(f"/partners/{found.id}", ctx.t("Lenken virker ikke lenger."))
    from social.web.auth import partner_url

    token = web_sessions.create_partner_link(ctx.db, found.id)
    year = local_date(utcnow(), ctx.zone).year
    data = {
        "partner": found,
        "values": {},
        "errors": {},
        "tiers": TIERS,
        "links": store.partner_links(ctx.db, found.id),
        "link_created": web_sessions.partner_link_created(ctx.db, found.id),
        "new_link": partner_url(ctx.state.base_url, token),
        "year": year,
        "years": list(range(year, year - 4, -1)),
    }
    return ctx.render("partner.html", data, title=found.name)


def _year(ctx: Ctx) -> int:
    today = local_date(utcnow(), ctx.zone)
    try:
        year = int(ctx.field("year") or today.year)
    except ValueError:
        year = today.year
    return year if 2000 <= year <= today.year + 1 else today.year


def _partner_report(ctx: Ctx, partner_id: int) -> Response:
    from social.reports.partner import build_partner
    from social.reports.render import render

    found = _partner(ctx, partner_id)
    report = build_partner(
        ctx.db, ctx.config, found.name, year=_year(ctx), lang=ctx.lang, now=utcnow(), save=False
    )
    if ctx.wants_json():
        from starlette.responses import JSONResponse

        return JSONResponse(report)
    return HTMLResponse(
        render(report, "html").text, headers={"Content-Security-Policy": DOCUMENT_CSP}
    )


@page("partners")
def partner_report(ctx: Ctx) -> Response:
    """The partner's yearly report as a self-contained page."""
    return _partner_report(ctx, int(ctx.request.path_params["pid"]))


# --- briefs -----------------------------------------------------------------------------------


def _brief(ctx: Ctx, bid: Any) -> Any:
    from briefs.store import get_brief

    try:
        return get_brief(ctx.db, int(bid))
    except (SocialError, ValueError):
        raise NotFound(ctx.t("Fant ikke briefen.")) from None


def _override(ctx: Ctx) -> Any:
    from briefs.render import template_dir

    return template_dir(ctx.config)


@page("briefs")
def briefs(ctx: Ctx) -> Response:
    """Every brief by deadline, with its status."""
    from briefs.store import STATUSES, list_briefs, normalise_status

    status = ctx.field("status")
    chosen = normalise_status(status) if status in STATUSES else None
    items = list_briefs(ctx.db, status=chosen)
    return ctx.render(
        "briefs.html",
        {"briefs": items, "statuses": STATUSES, "status": chosen or ""},
        title=ctx.t("Briefer"),
        json_data={"briefs": [b.as_dict() for b in items]},
    )


def _brief_values(ctx: Ctx) -> dict[str, str]:
    return {
        k: ctx.field(k)
        for k in ("partner", "template", "campaign", "deadline", "title", "variables")
    }


def _brief_args(ctx: Ctx, values: dict[str, str]) -> tuple[dict[str, Any], dict[str, str]]:
    from briefs.store import parse_vars

    errors: dict[str, str] = {}
    if not values["partner"]:
        errors["partner"] = ctx.t("Velg en partner.")
    if not values["template"]:
        errors["template"] = ctx.t("Velg en mal.")
    deadline = None
    if _DATE.match(values["deadline"]):
        with contextlib.suppress(ValueError):
            deadline = date.fromisoformat(values["deadline"])
    if deadline is None:
        errors["deadline"] = ctx.t("Velg en frist.")
    variables: dict[str, str] = {}
    try:
        variables = parse_vars([line for line in values["variables"].splitlines() if line.strip()])
    except SocialError as exc:
        errors["variables"] = str(exc)
    args = {
        "partner_ref": values["partner"],
        "template": values["template"],
        "deadline": deadline,
        "campaign_ref": values["campaign"] or None,
        "title": values["title"] or None,
        "variables": variables,
        "override": _override(ctx),
    }
    return args, errors


def _brief_form(
    ctx: Ctx, values: dict[str, str], errors: dict[str, str], preview: str = ""
) -> Response:
    from briefs.render import list_templates
    from scheduler.calendar_views import campaign_names, partner_names

    templates = list_templates(_override(ctx))
    return ctx.render(
        "brief_form.html",
        {
            "values": values,
            "errors": errors,
            "partners": partner_names(ctx.db),
            "campaigns": campaign_names(ctx.db),
            "template_options": [(t.name, f"{t.title} ({t.name})") for t in templates],
            "variable_names": ", ".join(sorted({name for t in templates for name in t.variables})),
            "preview": Markup(preview),
        },
        title=ctx.t("Ny brief"),
        status=422 if errors else 200,
    )


@page("briefs.edit")
def new_brief(ctx: Ctx) -> Response:
    """Write a brief from a template: preview it, then record it as a draft."""
    from briefs.preview import markdown_fragment, preview_markdown
    from briefs.store import create_brief

    values = _brief_values(ctx)
    if ctx.form is None:
        values["partner"] = ctx.field("partner")
        return _brief_form(ctx, values, {})
    args, errors = _brief_args(ctx, values)
    if errors:
        return _brief_form(ctx, values, errors)
    try:
        if ctx.field("action") == "preview":
            html = markdown_fragment(preview_markdown(ctx.db, **args))
            if ctx.is_htmx():
                return ctx.render(
                    "_brief_preview.html",
                    {"preview": Markup(html)},
                    headers={
                        "HX-Trigger": json_dumps(
                            {"announce": ctx.t("Forhåndsvisningen er oppdatert.")}
                        )
                    },
                )
            return _brief_form(ctx, values, {}, html)
        brief, _ = create_brief(ctx.db, fmt="md", **args)
    except SocialError as exc:
        return _brief_form(ctx, values, {"variables": str(exc)})
    return ctx.redirect(f"/briefs/{brief.id}", ctx.t("Briefen er lagret som utkast."))


@page("briefs")
def brief(ctx: Ctx) -> Response:
    """One brief: the document, and its status through its lifecycle."""
    from briefs.store import STATUSES, set_status, status_label

    found = _brief(ctx, ctx.request.path_params["bid"])
    if ctx.form is not None:
        ctx.require("briefs.edit")
        try:
            found = set_status(ctx.db, found.id, ctx.field("status"))
        except SocialError as exc:
            return ctx.redirect(f"/briefs/{found.id}", str(exc))
        return ctx.redirect(
            f"/briefs/{found.id}",
            ctx.t("Status: {status}.", status=status_label(found.status, ctx.lang)),
        )
    return ctx.render(
        "brief.html",
        {"brief": found, "statuses": STATUSES, "label": lambda s: status_label(s, ctx.lang)},
        title=found.title,
        json_data=found.as_dict(),
    )


def _brief_document(ctx: Ctx, found: Any) -> Response:
    from briefs.store import render_stored

    html = render_stored(ctx.db, found, fmt="html", override=_override(ctx))
    return HTMLResponse(html, headers={"Content-Security-Policy": DOCUMENT_CSP})


@page("briefs")
def brief_document(ctx: Ctx) -> Response:
    return _brief_document(ctx, _brief(ctx, ctx.request.path_params["bid"]))


# --- what a partner sees through its link -----------------------------------------------------


@page("partner.home")
def partner_home(ctx: Ctx) -> Response:
    """A partner's own page: its briefs and yearly reports, nothing else."""
    from briefs.store import list_briefs, status_label

    if ctx.actor is None or ctx.actor.kind != "partner":
        return RedirectResponse("/partners", status_code=303)
    found = _partner(ctx, ctx.actor.id)
    items = list_briefs(ctx.db, partner=found)
    year = local_date(utcnow(), ctx.zone).year
    return ctx.render(
        "partner_home.html",
        {
            "partner": found,
            "briefs": items,
            "label": lambda s: status_label(s, ctx.lang),
            "years": list(range(year, year - 4, -1)),
        },
        title=found.name,
        json_data={"partner": found.name, "briefs": [b.as_dict() for b in items]},
    )


@page("partner.home")
def partner_brief(ctx: Ctx) -> Response:
    found = _brief(ctx, ctx.request.path_params["bid"])
    ctx.require("partner.view", partner_id=found.partner_id)
    return _brief_document(ctx, found)


@page("partner.home")
def partner_own_report(ctx: Ctx) -> Response:
    if ctx.actor is None or ctx.actor.kind != "partner":
        raise NotFound(ctx.t("Fant ikke siden."))
    return _partner_report(ctx, ctx.actor.id)


ROUTES = [
    Route("/partners", partners, methods=["GET", "POST"]),
    Route("/partners/{pid:int}", partner, methods=["GET", "POST"]),
    Route("/partners/{pid:int}/link", partner_link, methods=["POST"]),
    Route("/partners/{pid:int}/report.html", partner_report, methods=["GET"]),
    Route("/briefs", briefs, methods=["GET"]),
    Route("/briefs/new", new_brief, methods=["GET", "POST"]),
    Route("/briefs/{bid:int}", brief, methods=["GET", "POST"]),
    Route("/briefs/{bid:int}/document.html", brief_document, methods=["GET"]),
    Route("/partner", partner_home, methods=["GET"]),
    Route("/partner/briefs/{bid:int}", partner_brief, methods=["GET"]),
    Route("/partner/report.html", partner_own_report, methods=["GET"]),
]
