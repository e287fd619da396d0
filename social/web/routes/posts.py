"""Innlegg og innsikt: posts with filters, one post's metric history and where its views came
from, and insight groups with their intervals."""

from __future__ import annotations

import re
from datetime import date
from typing import Any
from urllib.parse import urlencode

from starlette.responses import Response
from starlette.routing import Route

from core import registry
from core.catalogue import breakdown_label
from social.web import results
from social.web.core import Ctx, NotFound, page

PAGE_SIZE = 50
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
GROUPINGS = ("theme", "owner", "format", "length", "weekday", "hour", "season")


def _date(ctx: Ctx, name: str, errors: dict[str, str]) -> date | None:
    text = ctx.field(name)
    if not text:
        return None
    if _DATE.match(text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
    errors[name] = ctx.t("Skriv datoen som ÅÅÅÅ-MM-DD.")
    return None


@page("posts")
def posts(ctx: Ctx) -> Response:
    """Posts, newest first, with filters and paging."""
    from db.post_pages import list_posts

    errors: dict[str, str] = {}
    platform = ctx.field("platform")
    since, until = _date(ctx, "since", errors), _date(ctx, "until", errors)
    try:
        number = max(1, min(10_000, int(ctx.field("page") or 1)))
    except ValueError:
        number = 1
    rows, more = list_posts(
        ctx.db,
        zone=ctx.zone,
        platform=platform if platform in registry.names() else None,
        search=ctx.field("q")[:200] or None,
        since=since,
        until=until,
        limit=PAGE_SIZE,
        offset=(number - 1) * PAGE_SIZE,
    )
    query = {k: ctx.field(k) for k in ("platform", "q", "since", "until") if ctx.field(k)}
    data = {
        "posts": rows,
        "more": more,
        "page": number,
        "values": {**query},
        "errors": errors,
        "platforms": registry.names(),
        "filter_query": urlencode(query),
    }
    return ctx.render(
        "posts.html",
        data,
        title=ctx.t("Innlegg og innsikt"),
        json_data={"posts": [p.as_dict() for p in rows], "more": more, "page": number},
    )


@page("posts")
def post(ctx: Ctx) -> Response:
    """One post: its counters over time and where its views came from."""
    from db.post_pages import get_post, post_breakdowns, post_history
    from social.web.charts import Line, line_chart

    found = get_post(ctx.db, int(ctx.request.path_params["post_id"]), zone=ctx.zone)
    if found is None:
        raise NotFound(ctx.t("Fant ikke innlegget."))
    history = post_history(ctx.db, found.id)
    views = [s for s in history if s.concept == "views"]
    chart = line_chart(
        [Line(f"{ctx.t('Visninger')} ({s.origin})", s.points) for s in views],
        label=ctx.t("Visninger over tid for innlegget"),
        number=lambda v: ctx.num(v),
        day=lambda d: ctx.day(d),
    )
    breakdowns = post_breakdowns(ctx.db, found.id)
    sources = breakdowns.get("impression_source", [])
    # The platform's own labels for its sources (the registry's breakdown labels).
    labels = (
        {
            s["key"]: breakdown_label(found.platform, "impression_source", s["key"], ctx.lang)
            for s in sources
        }
        if found.platform in registry.names()
        else {}
    )
    data: dict[str, Any] = {
        "post": found,
        "history": history,
        "views": views,
        "chart": chart,
        "sources": sources,
        "source_labels": labels,
        "other_breakdowns": {k: v for k, v in breakdowns.items() if k != "impression_source"},
    }
    json_data = {
        "post": found.as_dict(),
        "history": [
            {
                "metric": s.metric,
                "origin": s.origin,
                "points": [[t.isoformat(), v] for t, v in s.points],
            }
            for s in history
        ],
        "breakdowns": breakdowns,
    }
    return ctx.render("post.html", data, title=ctx.t("Innlegg"), json_data=json_data)


@page("posts")
def insights(ctx: Ctx) -> Response:
    """Insight groups (theme, person, format...) with their 95 % intervals."""
    by = ctx.field("by") if ctx.field("by") in GROUPINGS else "theme"
    platform = ctx.field("platform")
    chosen = platform if platform in registry.names() else None
    result = results.insights(ctx.state, ctx.lang, by, chosen)
    data = {
        "result": result,
        "by": by,
        "groupings": GROUPINGS,
        "platforms": registry.names(),
        "platform": platform,
    }
    return ctx.render("insights.html", data, title=ctx.t("Innsikt"), json_data=result.to_json())


ROUTES = [
    Route("/posts", posts, methods=["GET"]),
    Route("/posts/{post_id:int}", post, methods=["GET"]),
    Route("/insights", insights, methods=["GET"]),
]
