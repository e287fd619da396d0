"""Preview a brief before it is recorded: the same template, context and sandbox as
`create_brief`, rendered to an HTML fragment for a page (nothing is stored)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlite_utils import Database

from briefs.partners import find_partner
from briefs.render import get_template, render_brief
from briefs.store import brief_context, default_title, find_campaign


def preview_markdown(
    db: Database,
    *,
    partner_ref: str,
    template: str,
    deadline: date,
    campaign_ref: str | None = None,
    title: str | None = None,
    variables: dict[str, str] | None = None,
    override: Path | None = None,
) -> str:
    """The brief's Markdown exactly as `create_brief` would render it."""
    partner = find_partner(db, partner_ref)
    assert partner is not None
    info = get_template(template, override)
    campaign = find_campaign(db, campaign_ref) if campaign_ref else None
    title = " ".join((title or default_title(info.title, partner)).split())
    context = brief_context(
        db, partner, campaign, deadline, info.language, dict(variables or {}), title
    )
    return render_brief(info.name, context, fmt="md", override=override)


def markdown_fragment(markdown: str) -> str:
    """Markdown as an HTML fragment; raw HTML in it is shown as text, never run."""
    from markdown_it import MarkdownIt

    return str(MarkdownIt("commonmark", {"html": False}).enable("table").render(markdown))
