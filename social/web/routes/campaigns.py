"""Kampanjer: list, create and edit with KPI targets, pacing charts, and the campaign report in
the page, as PDF and by e-mail."""

from __future__ import annotations

from datetime import date
from typing import Any

from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from core import registry
from core.errors import SocialError
from core.timeutil import local_date, utcnow
from social.web import results
from social.web.core import Ctx, NotFound, page

# Where a campaign FieldError points (its `where[0]`) -> the form field it belongs beside.
FIELD_OF = {
    "name": "name",
    "rename": "name",
    "start": "start",
    "end": "end",
    "platforms": "platforms",
    "partner": "partner",
    "budget": "budget",
    "currency": "currency",
    "description": "description",
    "hashtags": "hashtags",
    "posts": "posts",
    "slots": "slots",
    "ad_campaigns": "ad_campaigns",
    "targets": "targets",
}
DOCUMENT_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'"
)


def _lines(text: str) -> list[str]:
    return [part.strip() for part in text.replace(",", "\n").splitlines() if part.strip()]


def _spec_values(spec: Any) -> dict[str, Any]:
    return {
        "name": spec.name,
        "start": spec.start.isoformat(),
        "end": spec.end.isoformat(),
        "platforms": list(spec.platforms),
        "partner": spec.partner or "",
        "budget": "" if spec.budget is None else f"{spec.budget:g}",
        "currency": spec.currency,
        "description": spec.description,
        "hashtags": ", ".join(m.value for m in spec.members_of("hashtag")),
        "posts": "\n".join(m.text() for m in spec.members_of("post")),
        "slots": "\n".join(m.value for m in spec.members_of("slot")),
        "ad_campaigns": "\n".join(m.text() for m in spec.members_of("ad_campaign")),
        "targets": "\n".join(t.text() for t in spec.targets),
    }


def _form(ctx: Ctx) -> dict[str, Any]:
    return {
        "name": ctx.field("name"),
        "start": ctx.field("start"),
        "end": ctx.field("end"),
        "platforms": ctx.fields("platforms"),
        "partner": ctx.field("partner"),
        "budget": ctx.field("budget"),
        "currency": ctx.field("currency"),
        "description": ctx.field("description"),
        "hashtags": ctx.field("hashtags"),
        "posts": ctx.field("posts"),
        "slots": ctx.field("slots"),
        "ad_campaigns": ctx.field("ad_campaigns"),
        "targets": ctx.field("targets"),
    }


def _changes(values: dict[str, Any], *, edit: bool) -> Any:
    from social.campaigns import Changes

    return Changes(
        start=values["start"] or None,
        end=values["end"] or None,
        platforms=values["platforms"],
        hashtags=_lines(values["hashtags"]),
        posts=_lines(values["posts"]),
        slots=_lines(values["slots"]),
        ad_campaigns=_lines(values["ad_campaigns"]),
        partner=values["partner"] or None,
        budget=values["budget"] or None,
        currency=values["currency"] or None,
        targets=[t for t in values["targets"].splitlines() if t.strip()],
        description=values["description"],
        rename=values["name"] if edit else None,
        replace_members=edit,
        replace_targets=edit,
        no_partner=edit and not values["partner"],
        no_budget=edit and not values["budget"],
    )


def _save(ctx: Ctx, values: dict[str, Any], cid: int | None) -> tuple[int | None, dict[str, str]]:
    """Build, validate and save in one transaction; a bad value comes back beside its field."""
    from social import campaigns as c
    from social.campaigns.store import load_by_id

    if not values["name"]:
        return None, {"name": ctx.t("Gi kampanjen et navn.")}
    try:
        if cid is None:
            spec = c.new_spec(
                ctx.db,
                values["name"],
                _changes(values, edit=False),
                default_currency=str(ctx.config.get("reports", "currency")),
            )
            return c.save(ctx.db, spec), {}
        spec = c.edited_spec(ctx.db, load_by_id(ctx.db, cid), _changes(values, edit=True))
        return c.save(ctx.db, spec, current_id=cid), {}
    except c.FieldError as exc:
        key = FIELD_OF.get(str(exc.where[0]), "name") if exc.where else "name"
        return None, {key: exc.detail}
    except SocialError as exc:
        return None, {"name": str(exc)}


def _options(ctx: Ctx) -> dict[str, Any]:
    from scheduler.calendar_views import partner_names
    from social.examples import example_id, example_scope

    return {
        "platforms": registry.names(),
        "partners": partner_names(ctx.db),
        "example_scope": example_scope(),
        "example_post": example_id("post"),
    }


@page("campaigns")
def campaigns(ctx: Ctx) -> Response:
    """Every campaign with its status."""
    from social.campaigns import list_campaigns
    from social.campaigns.store import campaign_id

    today = local_date(utcnow(), ctx.zone)
    items = [
        {**spec.to_json(today), "id": campaign_id(ctx.db, spec.name)}
        for spec in list_campaigns(ctx.db)
    ]
    return ctx.render(
        "campaigns.html",
        {"campaigns": items},
        title=ctx.t("Kampanjer"),
        json_data={"campaigns": items},
    )


@page("campaigns.edit")
def new_campaign(ctx: Ctx) -> Response:
    values: dict[str, Any] = {
        "platforms": [],
        "currency": str(ctx.config.get("reports", "currency")),
    }
    errors: dict[str, str] = {}
    if ctx.form is not None:
        values = _form(ctx)
        cid, errors = _save(ctx, values, None)
        if cid is not None:
            return ctx.redirect(f"/campaigns/{cid}", ctx.t("Kampanjen er lagret."))
    return ctx.render(
        "campaign_form.html",
        {**_options(ctx), "values": values, "errors": errors, "cid": None},
        title=ctx.t("Ny kampanje"),
        status=422 if errors else 200,
    )


def _load(ctx: Ctx) -> tuple[int, Any]:
    from social.campaigns.store import load_by_id

    cid = int(ctx.request.path_params["cid"])
    try:
        return cid, load_by_id(ctx.db, cid)
    except (TypeError, SocialError):
        raise NotFound(ctx.t("Fant ikke kampanjen.")) from None


@page("campaigns.edit")
def edit_campaign(ctx: Ctx) -> Response:
    cid, spec = _load(ctx)
    values = _spec_values(spec)
    errors: dict[str, str] = {}
    if ctx.form is not None:
        values = _form(ctx)
        saved, errors = _save(ctx, values, cid)
        if saved is not None:
            return ctx.redirect(f"/campaigns/{cid}", ctx.t("Kampanjen er lagret."))
    return ctx.render(
        "campaign_form.html",
        {**_options(ctx), "values": values, "errors": errors, "cid": cid},
        title=ctx.t("Endre {name}", name=spec.name),
        status=422 if errors else 200,
    )


@page("campaigns")
def campaign(ctx: Ctx) -> Response:
    """One campaign: KPIs with pacing, cumulative charts against the target line, the report."""
    from social.reports.i18n import t as report_t
    from social.web.charts import Line, line_chart

    cid, spec = _load(ctx)
    report = results.campaign(ctx.state, ctx.lang, spec.name)
    charts = []
    for series in report.get("progress") or []:
        days = [date.fromisoformat(d) for d in series["dates"]]
        from datetime import datetime, time

        points = [
            (datetime.combine(d, time(12)), float(v))
            for d, v in zip(days, series["cumulative"], strict=False)
            if v is not None
        ]
        lines = [Line(ctx.t("Hittil"), points)]
        if points and series.get("target"):
            end = datetime.combine(date.fromisoformat(report["campaign"]["end"]), time(12))
            start = datetime.combine(date.fromisoformat(report["campaign"]["start"]), time(12))
            lines.append(
                Line(ctx.t("Mållinje"), [(start, 0.0), (end, float(series["target"]))], dashed=True)
            )
        charts.append(
            {
                "title": series["title"],
                "svg": line_chart(
                    lines,
                    label=series["title"],
                    number=lambda v: ctx.num(v),
                    day=lambda d: ctx.day(d),
                ),
            }
        )
    recipients = ", ".join(str(r) for r in ctx.config.get("reports", "recipients"))
    data = {
        "c": report,
        "cid": cid,
        "charts": charts,
        "rt": lambda key, **kw: report_t(ctx.lang, key, **kw),
        "recipients": recipients,
        "email_on": bool(ctx.config.get("email", "host")),
        "errors": {},
    }
    return ctx.render("campaign.html", data, title=spec.name, json_data=report)


@page("campaigns")
def campaign_document(ctx: Ctx) -> Response:
    """The campaign report as its own self-contained HTML page (shown in a frame)."""
    from social.reports.render import render

    _, spec = _load(ctx)
    html = render(results.campaign(ctx.state, ctx.lang, spec.name), "html").text
    return HTMLResponse(html, headers={"Content-Security-Policy": DOCUMENT_CSP})


@page("campaigns")
def campaign_pdf(ctx: Ctx) -> Response:
    """The campaign report printed to PDF by headless Chromium."""
    from social.reports.pdf import html_to_pdf
    from social.reports.render import default_filename, render

    _, spec = _load(ctx)
    report = results.campaign(ctx.state, ctx.lang, spec.name)
    pdf = html_to_pdf(render(report, "html").text)
    name = default_filename(report, "html").replace(".html", ".pdf")
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@page("campaigns")
def campaign_send(ctx: Ctx) -> Response:
    """E-mail the campaign report to the given addresses (default: [reports] recipients)."""
    from scheduler.team import validate_email
    from social.reports.mail import send_report

    cid, spec = _load(ctx)
    addresses = _lines(ctx.field("recipients"))
    try:
        if not addresses:
            raise SocialError(ctx.t("Skriv minst én e-postadresse."))
        recipients = [validate_email(a) for a in addresses]
        send_report(ctx.config, results.campaign(ctx.state, ctx.lang, spec.name), recipients)
    except SocialError as exc:
        return ctx.redirect(f"/campaigns/{cid}#send", ctx.t("Ikke sendt: {error}", error=str(exc)))
    return ctx.redirect(
        f"/campaigns/{cid}", ctx.t("Rapporten er sendt til {n} mottaker(e).", n=len(recipients))
    )


ROUTES = [
    Route("/campaigns", campaigns, methods=["GET"]),
    Route("/campaigns/new", new_campaign, methods=["GET", "POST"]),
    Route("/campaigns/{cid:int}", campaign, methods=["GET"]),
    Route("/campaigns/{cid:int}/edit", edit_campaign, methods=["GET", "POST"]),
    Route("/campaigns/{cid:int}/report.html", campaign_document, methods=["GET"]),
    Route("/campaigns/{cid:int}/report.pdf", campaign_pdf, methods=["GET"]),
    Route("/campaigns/{cid:int}/send", campaign_send, methods=["POST"]),
]
