"""The partner report: a year of content made with or for a partner, for its ESG report."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlite_utils import Database

from core import formats, registry
from core.config import Config
from core.errors import SocialError
from core.timeutil import from_utc_iso, local_date, to_utc_iso
from social.reports import SCHEMA_VERSION, measures, queries, store
from social.reports.campaign import Campaign, context_for, find_campaign, resolve_members
from social.reports.i18n import platform_name, t
from social.reports.measures import Scope
from social.reports.window import Window

KIND = "partner"


def find_partner(db: Database, name: str) -> dict[str, Any]:
    """The partner of that name (any letter case), or an error naming the nearest one."""
    row = queries.partner_row(db, name)
    if row is None:
        known = queries.partner_names(db)
        close = difflib.get_close_matches(name, known, n=1)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        listing = "; see 'social partner list'" if known else "; add it with 'social partner add'"
        raise SocialError(f"unknown partner '{name}'{hint}{listing}")
    return row


def _campaigns(db: Database, partner_id: int, year_window: Window) -> list[Campaign]:
    names = queries.partner_campaigns(db, partner_id, year_window)
    return [resolve_members(db, find_campaign(db, n), year_window.zone) for n in names]


def build_partner(
    db: Database,
    config: Config,
    name: str,
    *,
    year: int | None = None,
    lang: str | None = None,
    now: datetime,
    save: bool = True,
) -> dict[str, Any]:
    """Compute a partner's yearly report."""
    from social.reports.render import clean

    lang = lang or config.language
    zone = config.timezone
    partner = find_partner(db, name)
    today = local_date(now, zone)
    year = year or today.year
    if year > today.year:
        raise SocialError(f"--year {year} has not started yet; pick {today.year} or earlier")
    year_window = Window(date(year, 1, 1), date(year, 12, 31), zone)
    as_of = min(today - timedelta(days=1), year_window.end)
    window = year_window.clipped(as_of)
    campaigns = _campaigns(db, partner["id"], year_window)

    via: dict[int, list[str]] = {}
    for pid in queries.partner_slot_posts(db, partner["id"]):
        via.setdefault(pid, []).append("calendar")
    for c in campaigns:
        for ids in c.post_ids.values():
            for pid in ids:
                via.setdefault(pid, []).append(f"campaign:{c.name}")
    posts = {
        pid: row
        for pid, row in queries.posts_by_id(db, via).items()
        if year_window.start_iso <= row["published_at"] < year_window.end_iso
    }
    views = measures.post_views(db, window, frozenset(posts))
    reach = {}
    for platform in {row["platform"] for row in posts.values()}:
        on_platform = [pid for pid, row in posts.items() if row["platform"] == platform]
        # A post's own lifetime reach, as collected up to today (labelled with its date).
        reach.update(
            queries.post_lifetime(db, on_platform, queries.names("reach", platform), today)
        )
    content = []
    for pid, row in sorted(posts.items(), key=lambda item: item[1]["published_at"]):
        r = reach.get(pid)
        v = views.get(pid)
        content.append(
            {
                "platform": row["platform"],
                "id": row["external_id"],
                "published_at": row["published_at"],
                "published_date": local_date(from_utc_iso(row["published_at"]), zone).isoformat(),
                "caption": row["caption"],
                "link": row["link"],
                "via": sorted(set(via[pid])),
                "views": v.total if v else None,
                "views_organic": v.organic if v else None,
                "views_paid": v.paid if v else None,
                "estimated": bool(v and v.first_seen),
                "metric": v.metric if v else None,
                "reach": measures.Reach(
                    r.value, "platform_lifetime", r.metric, 1, r.start, r.end
                ).to_json()
                if r
                else None,
            }
        )
    segments = _segments(db, posts, campaigns, window)
    paid = _paid(db, campaigns, window, today)
    by_platform = []
    for platform in registry.in_order({c["platform"] for c in content} | set(segments.by_platform)):
        mine = [c for c in content if c["platform"] == platform]
        split = segments.by_platform.get(platform) or {}
        by_platform.append(
            {
                "platform": platform,
                "posts": len(mine),
                "views": split.get("total"),
                "views_organic": split.get("organic"),
                "views_paid": split.get("paid"),
                "reach": _reach_sum([c["reach"] for c in mine], "sum_across_posts"),
            }
        )
    posts_views = measures.add(*(c["views"] for c in content))
    totals = {
        "posts": len(content),
        "views": segments.total["total"],
        "views_organic": segments.total["organic"],
        "views_paid": segments.total["paid"],
        # Sponsored views of the partner's campaigns that no listed post holds (dark posts).
        "views_other": _other(segments.total["total"], posts_views),
        "reach": _reach_sum([c["reach"] for c in content], "sum_across_posts"),
        "spend": paid["spend"],
        "impressions_paid": paid["impressions"],
        "reach_paid": paid["reach"],
        "estimated_posts": sum(1 for c in content if c["estimated"]),
        "briefs": 0,
    }
    briefs = queries.partner_briefs(db, partner["id"], year_window)
    totals["briefs"] = len(briefs)
    report: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "kind": KIND,
        "key": f"{partner['name']}:{year}",
        "lang": lang,
        "generated_at": to_utc_iso(now),
        "timezone": zone,
        "currency": str(config.get("reports", "currency")),
        "partner": {k: partner[k] for k in ("name", "tier", "region", "industry")},
        "year": year,
        "period": {"start": window.start.isoformat(), "end": window.end.isoformat()},
        "as_of": as_of.isoformat(),
        "content": content,
        "by_platform": by_platform,
        "totals": totals,
        "campaigns": paid["campaigns"],
        "briefs": briefs,
        "monthly": segments.monthly,
        "warnings": _warnings(content, paid, segments, lang, year),
    }
    report["summary"] = summary(report, lang)
    report = clean(report)
    if save:
        store.save(db, report)
    return report


def _reach_sum(values: list[dict[str, Any] | None], method: str) -> dict[str, Any] | None:
    known = [v for v in values if v]
    if not known:
        return None
    if len(known) == 1:
        return dict(known[0])
    return {
        "value": sum(v["value"] for v in known),
        "method": method,
        "exact": False,
        "metric": "+".join(sorted({v["metric"] for v in known})),
        "parts": len(known),
    }


def _other(total: float | None, posts: float | None) -> float | None:
    if total is None:
        return None
    return max(0.0, total - (posts or 0.0))


def _campaign_span(c: Campaign, window: Window) -> Window | None:
    """The part of a campaign's period inside the report's window (None if it has none)."""
    span = Window(max(c.start, window.start), min(c.end, window.end), window.zone)
    return span if span.start <= span.end else None


def _paid(db: Database, campaigns: list[Campaign], window: Window, today: date) -> dict[str, Any]:
    """Each campaign's sponsored spend, views and reach inside the year, as its own report has
    them (the same scope and the same definitions, so the two reports agree)."""
    rows: list[dict[str, Any]] = []
    reach_parts: list[measures.Reach | None] = []
    for c in campaigns:
        span = _campaign_span(c, window)
        if span is None:
            continue
        ctx = context_for(db, c, span, today)
        spend = ctx.additive("spend", "paid", "all")
        impressions = ctx.additive("impressions", "paid", "all")
        views = ctx.additive("views", "paid", "all")
        reach = ctx.reach_value("paid", "all")
        reach_parts.append(reach)
        rows.append(
            {
                "name": c.name,
                "start": c.start.isoformat(),
                "end": c.end.isoformat(),
                "spend": spend,
                "views_paid": views,
                "impressions": impressions,
                "reach": reach.to_json() if reach else None,
            }
        )
    total_reach = measures.sum_reach(reach_parts, "sum_across_campaigns")
    return {
        "campaigns": rows,
        "spend": measures.add(*(r["spend"] for r in rows)),
        "views": measures.add(*(r["views_paid"] for r in rows)),
        "impressions": measures.add(*(r["impressions"] for r in rows)),
        "reach": total_reach.to_json() if total_reach else None,
    }


@dataclass
class Segments:
    """The partner's views measured over pieces of the year, added up per month and platform."""

    monthly: list[dict[str, Any]] = field(default_factory=list)
    by_platform: dict[str, dict[str, float | None]] = field(default_factory=dict)
    total: dict[str, float | None] = field(default_factory=dict)
    issues: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    estimated: bool = False  # a month's share of some post's views is a straight-line estimate


def _segments(
    db: Database, posts: dict[int, dict[str, Any]], campaigns: list[Campaign], window: Window
) -> Segments:
    """Views of the partner's posts and campaigns, month by month, in the month they happened.

    The year is cut at every month and campaign boundary; each piece is measured with
    the posts and the ad campaigns running in it, so a campaign's sponsored views count
    only inside its own period and every view lands in its own month.
    """
    by_platform: dict[str, set[int]] = {}
    for pid, row in posts.items():
        by_platform.setdefault(row["platform"], set()).add(pid)
    cuts = {window.start, window.end + timedelta(days=1)}
    month = date(window.start.year, window.start.month, 1)
    while month <= window.end:
        month = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
        cuts.add(month)
    for c in campaigns:
        cuts.update({c.start, c.end + timedelta(days=1)})
    edges = sorted(d for d in cuts if window.start <= d <= window.end + timedelta(days=1))
    out = Segments()
    months: dict[str, dict[str, float | None]] = {}
    platforms = sorted(set(by_platform) | {p for c in campaigns for p in c.ad_ids})
    for first, after in zip(edges, edges[1:], strict=False):
        piece = Window(first, after - timedelta(days=1), window.zone)
        key = first.strftime("%Y-%m")
        month_row = months.setdefault(key, {"total": None, "organic": None, "paid": None})
        for platform in platforms:
            ads = frozenset(
                a
                for c in campaigns
                if c.start <= piece.start and piece.end <= c.end
                for a in c.ad_ids.get(platform, ())
            )
            scope = Scope(frozenset(by_platform.get(platform, ())), ads)
            split = measures.measure_views(db, platform, piece, scope)
            row = out.by_platform.setdefault(
                platform, {"total": None, "organic": None, "paid": None}
            )
            for origin in ("total", "organic", "paid"):
                row[origin] = measures.add(row[origin], split.get(origin))
                month_row[origin] = measures.add(month_row[origin], split.get(origin))
            for issue in split.issues:
                out.issues.append((platform, issue))
            out.estimated = out.estimated or split.first_seen_posts > 0
    out.monthly = [
        {
            "month": key,
            "views": row["total"],
            "views_organic": row["organic"],
            "views_paid": row["paid"],
        }
        for key, row in sorted(months.items())
    ]
    out.total = {
        origin: measures.add(*(r[origin] for r in out.by_platform.values()))
        for origin in ("total", "organic", "paid")
    }
    return out


def _warnings(
    content: list[dict[str, Any]],
    paid: dict[str, Any],
    segments: Segments,
    lang: str,
    year: int,
) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    if not content and not paid["campaigns"]:
        out.append(
            {
                "code": "no_partner_content",
                "platform": None,
                "message": t(lang, "warn_no_partner_content", year=year),
            }
        )
    estimated = sum(1 for c in content if c["estimated"])
    if segments.estimated and not estimated:  # else the warning below says it already
        out.append(
            {
                "code": "monthly_estimated",
                "platform": None,
                "message": t(lang, "warn_monthly_estimated"),
            }
        )
    if estimated:
        out.append(
            {
                "code": "first_seen",
                "platform": None,
                "message": t(lang, "warn_partner_first_seen", count=estimated),
            }
        )
    seen: set[tuple[str, str]] = set()
    for platform, issue in segments.issues:
        if (platform, issue["code"]) in seen:
            continue
        seen.add((platform, issue["code"]))
        out.append(
            {
                "code": issue["code"],
                "platform": platform,
                "message": t(lang, f"warn_{issue['code']}", platform=platform_name(platform)),
            }
        )
    return out


def summary(report: dict[str, Any], lang: str) -> str:
    """A short paragraph a company can paste into its sustainability (ESG) report."""
    nb = lang == "nb"
    p = report["partner"]["name"]
    year = report["year"]
    totals = report["totals"]
    as_of = formats.day(date.fromisoformat(report["as_of"]), lang)
    per_platform = ", ".join(
        f"{platform_name(b['platform'])} {b['posts']}" for b in report["by_platform"]
    )
    if not totals["posts"] and not report["campaigns"]:
        return t(lang, "warn_no_partner_content", year=year)
    sentences = [
        f"I {year} laget vi {totals['posts']} innlegg med eller for {p}"
        + (f" ({per_platform})." if per_platform else ".")
        if nb
        else f"In {year} we made {totals['posts']} posts with or for {p}"
        + (f" ({per_platform})." if per_platform else ".")
    ]
    if totals["views"] is not None:
        views = formats.number(totals["views"], lang)
        paid_part = ""
        if totals["views_paid"]:
            share = formats.number(totals["views_paid"], lang)
            paid_part = f", {share} av dem sponset" if nb else f", {share} of them sponsored"
        sentences.append(
            f"Innholdet er vist {views} ganger{paid_part} (per {as_of})."
            if nb
            else f"The content was viewed {views} times{paid_part} (as of {as_of})."
        )
    reach = totals["reach"]
    if reach:
        label = "" if reach["exact"] else f" ({t(lang, 'method_' + reach['method'])})"
        if reach["parts"] < totals["posts"]:
            label += f" ({t(lang, 'reach_coverage', n=reach['parts'], total=totals['posts'])})"
        sentences.append(
            f"Rekkevidde: {formats.number(reach['value'], lang)}{label}."
            if nb
            else f"Reach: {formats.number(reach['value'], lang)}{label}."
        )
    if totals["spend"] is not None:
        money = formats.money(totals["spend"], report["currency"], lang)
        sentences.append(
            f"Til annonsering ble det brukt {money}."
            if nb
            else f"{money} was spent on advertising."
        )
    if totals["briefs"]:
        sentences.append(
            f"{totals['briefs']} brief(er) for innhold ble laget."
            if nb
            else f"{totals['briefs']} content brief(s) were written."
        )
    return " ".join(sentences)
