"""The whole-history results pages show, kept between requests (`KeptResults`).

The dashboard's weekly report, a campaign's report and the insight groups take
a few hundred milliseconds on three years of data; pages read them from here,
in the reader's language, and `warm_up` computes the ones the first pages ask
for when the app starts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from core.timeutil import local_date, utcnow
from social.web import i18n
from social.web.core import WebState

if TYPE_CHECKING:
    from social.insights.report import Insights


def weekly(state: WebState, lang: str) -> dict[str, Any]:
    """This week's report as `social report weekly` builds it (not saved)."""
    from social.reports.weekly import build_weekly

    return state.kept.get(
        ("weekly", lang),
        lambda db: build_weekly(db, state.config, lang=lang, now=utcnow(), save=False),
    )


def campaign(state: WebState, lang: str, name: str) -> dict[str, Any]:
    """A campaign's report as `social report campaign` builds it (not saved)."""
    from social.reports.campaign import build_campaign

    return state.kept.get(
        ("campaign", lang, name),
        lambda db: build_campaign(db, state.config, name, lang=lang, now=utcnow(), save=False),
    )


def insights(state: WebState, lang: str, by: str, platform: str | None) -> Insights:
    """Insight groups of every post (or one platform's) by a grouping."""
    from social.insights.report import build_insights

    return state.kept.get(
        ("insights", lang, by, platform),
        lambda db: build_insights(
            db, state.config, by=by, lang=lang, platform=platform, now=utcnow()
        ),
    )


def running_campaigns(state: WebState, lang: str) -> list[dict[str, Any]]:
    """The reports of the campaigns running today, as the dashboard shows them."""
    from social.campaigns import list_campaigns

    today = local_date(utcnow(), state.config.timezone)
    return [
        campaign(state, lang, spec.name)
        for spec in list_campaigns(state.db())
        if spec.status(today) == "running"
    ]


def warm_up(state: WebState) -> None:
    """Compute what the first pages ask for, in the app's language: the dashboard,
    Innsikt by theme and Min side (insights by owner)."""
    lang = state.config.language if state.config.language in i18n.LANGUAGES else "nb"
    weekly(state, lang)
    running_campaigns(state, lang)
    insights(state, lang, "theme", None)
    insights(state, lang, "owner", None)
