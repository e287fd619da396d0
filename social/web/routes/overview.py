"""Oversikt: the week per platform against the week before (the weekly report's own figures),
running campaigns with KPI pacing, data freshness, tokens, failed reminders, the coming week."""

from __future__ import annotations

from typing import Any

from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from core import registry
from social.web import results
from social.web.core import Ctx, page

ROWS = (
    "views_total",
    "views_organic",
    "views_paid",
    "reach_content",
    "reach_paid",
    "engagements_total",
    "engagement_rate_total",
    "followers_end",
    "followers_change",
    "posts_published",
    "spend",
)


def token_label(ctx: Ctx, entry: str) -> str:
    """How a token is named on the dashboard: its platform, and which of its tokens it is.

    Token entries are named for their platform ("<platform>") or a part of it
    ("<platform>_ads", "<platform>_business"); ads tokens read "<Platform> (annonser)".
    """
    for p in registry.platforms():
        if entry == p.name:
            return p.display_name
        if entry.startswith(p.name + "_"):
            part = entry[len(p.name) + 1 :]
            if part.startswith("ads"):
                return ctx.t("{platform} (annonser)", platform=p.display_name)
            return f"{p.display_name} ({part.replace('_', ' ')})"
    return entry


def dashboard_data(ctx: Ctx) -> dict[str, Any]:
    """Everything the dashboard shows, computed by the same library code as the CLI."""
    from collectors.auth import TokenStore, token_statuses
    from core.timeutil import utcnow
    from scheduler import ledger
    from scheduler.calendar_views import upcoming

    now = utcnow()
    weekly = results.weekly(ctx.state, ctx.lang)
    campaigns = results.running_campaigns(ctx.state, ctx.lang)
    store = TokenStore(ctx.config.token_file)
    tokens = [
        {**vars(status), "label": token_label(ctx, status.platform)}
        for status in token_statuses(ctx.config, store, now=now)
    ]
    from social.campaigns.store import campaign_id

    return {
        "campaign_ids": {
            c["campaign"]["name"]: campaign_id(ctx.db, c["campaign"]["name"]) for c in campaigns
        },
        "weekly": weekly,
        "campaigns": campaigns,
        "tokens": tokens,
        "failed_reminders": ledger.rows(ctx.db, status="failed", limit=20),
        "upcoming": upcoming(ctx.db, now),
    }


@page("calendar")
def overview(ctx: Ctx) -> Response:
    """The lead's dashboard (students go to the calendar)."""
    if not ctx.allowed("overview"):
        return RedirectResponse("/calendar", status_code=303)
    from social.reports.i18n import t as report_t

    data = dashboard_data(ctx)
    json_data = {
        **data,
        "upcoming": [s.as_dict(ctx.zone) for s in data["upcoming"]],
    }
    return ctx.render(
        "overview.html",
        {**data, "rows": ROWS, "rt": lambda key, **kw: report_t(ctx.lang, key, **kw)},
        title=ctx.t("Oversikt"),
        json_data=json_data,
    )


ROUTES = [Route("/", overview, methods=["GET"])]
