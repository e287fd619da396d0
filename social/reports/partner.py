"""The partner report: a year of content made with or for a partner, for its ESG report."""

from __future__ import annotations

import difflib
from datetime import date, datetime, timedelta
from typing import Any

from sqlite_utils import Database

from social import formats
from social.config import Config
from social.errors import SocialError
from social.reports import SCHEMA_VERSION, measures, queries, store
from social.reports.campaign import Campaign, find_campaign, resolve_members
from social.reports.i18n import platform_name, t
from social.reports.measures import Scope
from social.reports.window import Window
from social.timeutil import from_utc_iso, local_date, to_utc_iso

KIND = "partner"


def find_partner(db: Database, name: str) -> dict[str, Any]:
    """The partner of that name (any letter case), or an error naming the nearest one."""
    row = db.execute(
        "SELECT id, name, tier, region, industry FROM partners WHERE name = ? COLLATE NOCASE",
        [name],
    ).fetchone()
    if row is None:
        known = [r[0] for r in db.execute("SELECT name FROM partners ORDER BY name")]
        close = difflib.get_close_matches(name, known, n=1)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        listing = "; see 'social partner list'" if known else "; add it with 'social partner add'"
        raise SocialError(f"unknown partner '{name}'{hint}{listing}")
    return dict(zip(("id", "name", "tier", "region", "industry"), row, strict=True))


def _campaigns(db: Database, partner_id: int, year_window: Window) -> list[Campaign]:
    names = [
        r[0]
        for r in db.execute(
            """SELECT name FROM campaigns WHERE partner_id = ? AND start_date <= ? AND end_date >= ?
               ORDER BY start_date""",
            [partner_id, year_window.end.isoformat(), year_window.start.isoformat()],
        )
    ]
    return [resolve_members(db, find_campaign(db, n), year_window.zone) for n in names]


def _slot_posts(db: Database, partner_id: int) -> set[int]:
    return {
        int(r[0])
        for r in db.execute(
            "SELECT post_id FROM calendar_slots WHERE partner_id = ? AND post_id IS NOT NULL",
            [partner_id],
        )
    }


def _views_to_date(
    db: Database, posts: dict[int, dict[str, Any]], moment: str
) -> dict[int, dict[str, Any]]:
    """Each post's views from publication to a moment (the platform's total, else organic+paid)."""
    out: dict[int, dict[str, Any]] = {}
    by_platform: dict[str, list[int]] = {}
    for pid, row in posts.items():
        by_platform.setdefault(row["platform"], []).append(pid)
    for platform, ids in by_platform.items():
        names = queries.names(measures.views_concept(platform), platform)
        values: dict[int, dict[str, dict[str, float]]] = {}
        for pid, metric, origin, value in queries.values_at(db, ids, names, moment):
            values.setdefault(pid, {}).setdefault(metric, {})[origin] = value
        for pid, by_metric in values.items():
            metric = next(m for m in names if m in by_metric)
            origins = by_metric[metric]
            total = origins["total"] if "total" in origins else sum(origins.values())
            out[pid] = {"views": total, "metric": metric, "organic": origins.get("organic")}
    return out


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
    for pid in _slot_posts(db, partner["id"]):
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
    views = _views_to_date(db, posts, window.end_iso)
    reach = {
        pid: queries.post_lifetime(
            db, [pid], queries.names("reach", row["platform"]), window.end
        ).get(pid)
        for pid, row in posts.items()
    }
    content = []
    for pid, row in sorted(posts.items(), key=lambda item: item[1]["published_at"]):
        r = reach.get(pid)
        content.append(
            {
                "platform": row["platform"],
                "id": row["external_id"],
                "published_at": row["published_at"],
                "published_date": local_date(from_utc_iso(row["published_at"]), zone).isoformat(),
                "caption": row["caption"],
                "link": row["link"],
                "via": sorted(set(via[pid])),
                "views": (views.get(pid) or {}).get("views"),
                "metric": (views.get(pid) or {}).get("metric"),
                "reach": {
                    "value": r.value,
                    "method": "platform_lifetime",
                    "exact": True,
                    "metric": r.metric,
                    "parts": 1,
                }
                if r
                else None,
            }
        )
    paid = _paid(db, campaigns, window)
    by_platform = []
    for platform in sorted({c["platform"] for c in content}):
        mine = [c for c in content if c["platform"] == platform]
        by_platform.append(
            {
                "platform": platform,
                "posts": len(mine),
                "views": measures.add(*(c["views"] for c in mine)),
                "reach": _reach_sum([c["reach"] for c in mine], "sum_across_posts"),
            }
        )
    totals = {
        "posts": len(content),
        "views": measures.add(*(c["views"] for c in content)),
        "reach": _reach_sum([c["reach"] for c in content], "sum_across_posts"),
        "spend": paid["spend"],
        "views_paid": paid["views"],
        "impressions_paid": paid["impressions"],
        "reach_paid": paid["reach"],
        "briefs": 0,
    }
    briefs = [
        {"title": r[0], "template": r[1], "deadline": r[2], "status": r[3]}
        for r in db.execute(
            """SELECT title, template, deadline, status FROM briefs
               WHERE partner_id = ? AND deadline >= ? AND deadline <= ? ORDER BY deadline""",
            [partner["id"], year_window.start.isoformat(), year_window.end.isoformat() + "T99"],
        )
    ]
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
        "monthly": _monthly(db, posts, campaigns, window),
        "warnings": []
        if content or paid["campaigns"]
        else [
            {
                "code": "no_partner_content",
                "platform": None,
                "message": t(lang, "warn_no_partner_content", year=year),
            }
        ],
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


def _paid(db: Database, campaigns: list[Campaign], window: Window) -> dict[str, Any]:
    """Sponsored spend, views and reach of the partner's campaigns inside the year."""
    rows: list[dict[str, Any]] = []
    reach_parts: list[measures.Reach | None] = []
    for c in campaigns:
        span = Window(max(c.start, window.start), min(c.end, window.end), window.zone)
        if span.end < span.start:
            continue
        spend = views = impressions = None
        campaign_reach: list[measures.Reach | None] = []
        for platform, ids in c.ad_ids.items():
            entity_ids = frozenset(ids)
            block = measures.paid_block(db, platform, span, entity_ids)
            spend = measures.add(spend, block["spend"])
            impressions = measures.add(impressions, block["impressions"])
            paid_views = measures.measure_views(
                db, platform, span, Scope(frozenset(), entity_ids)
            ).paid
            views = measures.add(views, paid_views)
            campaign_reach.append(measures.campaigns_reach(db, platform, entity_ids, span))
        reach = measures.sum_reach(campaign_reach, "sum_across_platforms")
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


def _monthly(
    db: Database, posts: dict[int, dict[str, Any]], campaigns: list[Campaign], window: Window
) -> list[dict[str, Any]]:
    """Views gained per month by the partner's posts, plus sponsored views of its campaigns."""
    by_platform: dict[str, set[int]] = {}
    for pid, row in posts.items():
        by_platform.setdefault(row["platform"], set()).add(pid)
    ads: dict[str, set[int]] = {}
    for c in campaigns:
        for platform, ids in c.ad_ids.items():
            ads.setdefault(platform, set()).update(ids)
    out = []
    month = window.start
    while month <= window.end:
        nxt = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
        span = Window(month, min(window.end, nxt - timedelta(days=1)), window.zone)
        total = None
        for platform in sorted(set(by_platform) | set(ads)):
            scope = Scope(
                frozenset(by_platform.get(platform, ())), frozenset(ads.get(platform, ()))
            )
            total = measures.add(total, measures.measure_views(db, platform, span, scope).total)
        out.append({"month": month.strftime("%Y-%m"), "views": total})
        month = nxt
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
        sentences.append(
            f"De er vist {formats.number(totals['views'], lang)} ganger (per {as_of})."
            if nb
            else f"They were viewed {formats.number(totals['views'], lang)} times (as of {as_of})."
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
        paid_views = formats.number(totals["views_paid"], lang)
        sentences.append(
            f"Sponset innhold: {money} brukt, {paid_views} sponsede visninger."
            if nb
            else f"Sponsored content: {money} spent, {paid_views} sponsored views."
        )
    if totals["briefs"]:
        sentences.append(
            f"{totals['briefs']} brief(er) for innhold ble laget."
            if nb
            else f"{totals['briefs']} content brief(s) were written."
        )
    return " ".join(sentences)
