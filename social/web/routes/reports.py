"""Rapporter: every generated report with its frozen figures and its revisions."""

from __future__ import annotations

from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from social.reports import archive
from social.web.core import Ctx, NotFound, page

DOCUMENT_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'"
)
PAGE_SIZE = 50


@page("reports")
def reports(ctx: Ctx) -> Response:
    kind = ctx.field("kind") if ctx.field("kind") in archive.KINDS else None
    try:
        number = max(1, min(10_000, int(ctx.field("page") or 1)))
    except ValueError:
        number = 1
    items, more = archive.list_generations(
        ctx.db, kind=kind, limit=PAGE_SIZE, offset=(number - 1) * PAGE_SIZE
    )
    return ctx.render(
        "reports.html",
        {"items": items, "more": more, "page": number, "kind": kind or "", "kinds": archive.KINDS},
        title=ctx.t("Rapporter"),
        json_data={"reports": [g.as_dict() for g in items], "more": more},
    )


def _stored(ctx: Ctx) -> archive.StoredReport:
    found = archive.get_generation(ctx.db, int(ctx.request.path_params["rid"]))
    if found is None:
        raise NotFound(ctx.t("Fant ikke rapporten."))
    return found


@page("reports")
def report(ctx: Ctx) -> Response:
    from social.reports.render import figure_label

    found = _stored(ctx)
    history = archive.revision_history(ctx.db, found)
    return ctx.render(
        "report.html",
        {"report": found, "history": history, "label": lambda path: figure_label(path, ctx.lang)},
        title=ctx.t("{kind} {key}", kind=ctx.t(found.kind), key=found.key),
        json_data={
            "id": found.id,
            "kind": found.kind,
            "key": found.key,
            "generated_at": found.generated_at,
            "figures": found.figures,
            "revisions": history,
        },
    )


@page("reports")
def document(ctx: Ctx) -> Response:
    """The report exactly as it was generated, rendered from its stored figures."""
    from social.reports.render import render

    found = _stored(ctx)
    try:
        html = render(found.figures, "html").text
    except Exception:  # noqa: BLE001 - figures stored by an older version may not render
        html = (
            '<!doctype html><html lang="nb"><head><meta charset="utf-8"><title>Rapport</title>'
            "</head><body><p>Denne rapporten kan ikke vises med denne versjonen; tallene finnes "
            "som JSON.</p></body></html>"
        )
    return HTMLResponse(html, headers={"Content-Security-Policy": DOCUMENT_CSP})


ROUTES = [
    Route("/reports", reports, methods=["GET"]),
    Route("/reports/{rid:int}", report, methods=["GET"]),
    Route("/reports/{rid:int}/document.html", document, methods=["GET"]),
]
