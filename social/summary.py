"""A short per-platform summary of one week: what `social demo` prints at the end.

Every number comes from the reports' own definitions (`social.reports.measures`
through `social.reports.weekly.platform_figures`), so the summary, the weekly
report and the web app cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlite_utils import Database

from core import formats, registry
from social.reports import queries
from social.reports.i18n import t
from social.reports.window import Window


@dataclass
class PlatformWeek:
    """Headline figures of one platform for one ISO week (the weekly report's figures)."""

    platform: str
    posts: int
    views: float | None  # total: organic + sponsored, each view once
    views_organic: float | None
    views_paid: float | None
    views_concept: str  # the platform's headline concept: 'views' or 'impressions'
    followers: float | None
    paid_impressions: float | None
    paid_reach: dict[str, Any] | None  # a reach: value, method, exact
    spend: float | None


def week_summary(db: Database, monday: date, zone: str) -> list[PlatformWeek]:
    """Posts published, views, followers and paid figures per platform with data for a week."""
    from social.reports.weekly import platform_figures

    window = Window(monday, monday + timedelta(days=6), zone)
    out = []
    for platform in registry.in_order(queries.platforms_with_accounts(db)):
        figures = platform_figures(db, platform, window)
        views = figures["views"]
        out.append(
            PlatformWeek(
                platform,
                figures["posts_published"],
                views["total"],
                views["organic"],
                views["paid"],
                views["concept"],
                figures["followers"]["end"],
                figures["paid"]["impressions"],
                figures["reach"]["paid"],
                figures["paid"]["spend"],
            )
        )
    return out


def render_text(
    weeks: list[PlatformWeek], monday: date, lang: str = "nb", currency: str = "NOK"
) -> str:
    """The summary as a few lines of text in the report language."""
    nb = lang == "nb"
    head = (
        f"Siste hele uke ({formats.week(monday, lang)}, fra {formats.day(monday, lang)}):"
        if nb
        else f"Last complete week ({formats.week(monday, lang)}, from {formats.day(monday, lang)}):"
    )
    lines = [head]
    for w in weeks:
        parts = [f"{w.posts} {'nye innlegg' if nb else 'new posts'}"]
        if w.views is not None:
            word = {
                ("views", True): "visninger",
                ("views", False): "views",
                ("impressions", True): "visninger i feeden",
                ("impressions", False): "impressions",
            }[(w.views_concept, nb)]
            text = f"{formats.number(w.views, lang)} {word}"
            split = [
                f"{formats.number(value, lang)} {name}"
                for value, name in (
                    (w.views_organic, "organisk" if nb else "organic"),
                    (w.views_paid, "sponset" if nb else "sponsored"),
                )
                if value is not None
            ]
            if len(split) == 2:
                text += f" ({', '.join(split)})"
            parts.append(text)
        if w.followers is not None:
            parts.append(f"{formats.number(w.followers, lang)} {'følgere' if nb else 'followers'}")
        if w.paid_impressions is not None:
            parts.append(
                f"{formats.number(w.paid_impressions, lang)} "
                f"{'annonsevisninger' if nb else 'ad impressions'}"
            )
        if w.paid_reach is not None:
            reach = w.paid_reach
            label = t(lang, f"method_{reach['method']}")
            parts.append(
                f"{formats.number(reach['value'], lang)} "
                f"{'nådd med annonser' if nb else 'reached by ads'} ({label})"
            )
        if w.spend is not None:
            parts.append(
                f"{formats.number(w.spend, lang, 2)} {currency} {'brukt' if nb else 'spent'}"
            )
        lines.append(f"  {registry.display_name(w.platform):<9} " + ", ".join(parts))
    if len(lines) == 1:
        lines.append("  (ingen data ennå)" if nb else "  (no data yet)")
    return "\n".join(lines)
