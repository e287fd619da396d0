"""Jinja2 templates of the web app: autoescaped, with the request's language and formatters."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from babel.dates import format_date
from markupsafe import Markup

from core import formats, registry
from social.web import i18n

if TYPE_CHECKING:
    from jinja2 import Environment

    from social.web.core import Ctx

# (path, label, permission) of the main navigation, in order.
NAV = (
    ("/", "Oversikt", "overview"),
    ("/calendar", "Kalender", "calendar"),
    ("/me", "Min side", "me"),
    ("/posts", "Innlegg og innsikt", "posts"),
    ("/campaigns", "Kampanjer", "campaigns"),
    ("/partners", "Partnere og briefer", "partners"),
    ("/team", "Team og personvern", "team"),
    ("/reports", "Rapporter", "reports"),
)


@cache
def environment() -> Environment:
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    env = Environment(
        loader=PackageLoader("social.web", "templates"),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["platform_name"] = lambda p: registry.display_name(p or "")
    env.filters["platform_name"] = env.globals["platform_name"]
    return env


def nav_items(ctx: Ctx) -> list[dict[str, Any]]:
    path = ctx.request.url.path
    items = []
    for href, label, action in NAV:
        if not ctx.allowed(action):
            continue
        current = path == href if href == "/" else path == href or path.startswith(href + "/")
        items.append({"href": href, "label": ctx.t(label), "current": current})
    return items


def render_template(ctx: Ctx, name: str, data: dict[str, Any]) -> str:
    """Render a page template with the request's context."""
    from scheduler.calendar import STATUS_LABELS

    labels = STATUS_LABELS.get(ctx.lang, STATUS_LABELS["en"])
    currency = str(ctx.config.get("reports", "currency"))
    template = environment().get_template(name)
    return template.render(
        ctx=ctx,
        actor=ctx.actor,
        lang=ctx.lang,
        csrf=ctx.csrf,
        flash=ctx.flash,
        nav=nav_items(ctx) if ctx.actor else [],
        _=ctx.t,
        num=ctx.num,
        pct=ctx.pct,
        day=ctx.day,
        moment=ctx.moment,
        csrf_field=Markup('<input type="hidden" name="csrf_token" value="{}">').format(ctx.csrf),
        path=ctx.request.url.path,
        query=str(ctx.request.url.query),
        other_lang="en" if ctx.lang == "nb" else "nb",
        languages=i18n.LANGUAGE_NAMES,
        status_label=lambda status: labels.get(status, status),
        money2=lambda v: formats.money(v, currency, ctx.lang),
        pp=lambda v: (
            formats.number(v * 100, ctx.lang, 2) + (" %-poeng" if ctx.lang == "nb" else " pp")
        ),
        currency=currency,
        zone=ctx.zone,
        weekday=lambda d: format_date(
            d,
            "EEEE d. MMM" if ctx.lang == "nb" else "EEEE d MMM",
            locale=formats.locale_of(ctx.lang),
        ),
        pairs=lambda items: [(str(i), str(i)) for i in items],
        platform_options=[(p, registry.display_name(p)) for p in registry.names()],
        status_options=lambda current: [
            (key, label)
            for key, label in labels.items()
            if key != "published" or current == "published"
        ],
        **data,
    )
