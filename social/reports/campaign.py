"""The campaign report: KPI targets against actuals, pacing, organic and sponsored per platform."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlite_utils import Database

from core import formats, registry
from core.catalogue import CATALOGUE
from core.config import Config
from core.errors import SocialError
from core.timeutil import local_date, to_utc_iso
from social.reports import SCHEMA_VERSION, kpi, measures, queries, reads, store
from social.reports.i18n import platform_name, t
from social.reports.measures import Scope
from social.reports.window import Window

KIND = "campaign"
MAX_CHARTS = 4


@dataclass
class Campaign:
    """A campaign row with its members resolved to our post and ad-entity ids."""

    id: int
    name: str
    start: date
    end: date
    platforms: list[str]
    partner: str | None
    budget: float | None
    currency: str
    description: str
    post_ids: dict[str, set[int]] = field(default_factory=dict)
    ad_ids: dict[str, set[int]] = field(default_factory=dict)
    ad_campaigns: list[dict[str, Any]] = field(default_factory=list)
    missing_ads: list[tuple[str, str]] = field(default_factory=list)
    members: int = 0


def find_campaign(db: Database, name: str) -> Campaign:
    """The campaign of that name (any letter case), or an error naming the known ones."""
    row = queries.campaign_row(db, name)
    if row is None:
        known = queries.campaign_names(db)
        close = difflib.get_close_matches(name, known, n=1)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        listing = (
            "; see 'social campaign list'" if known else "; create it with 'social campaign add'"
        )
        raise SocialError(f"unknown campaign '{name}'{hint}{listing}")
    platforms = [p for p in queries.json_list(row[4]) if p in registry.names()] or list(
        registry.names()
    )
    return Campaign(
        int(row[0]),
        row[1],
        date.fromisoformat(row[2]),
        date.fromisoformat(row[3]),
        platforms,
        row[5],
        float(row[6]) if row[6] is not None else None,
        row[7] or "NOK",
        row[8] or "",
    )


def hashtag_pattern(tag: str) -> re.Pattern[str]:
    """#tag as a whole hashtag: '#rollemodell' does not match '#rollemodellene'."""
    return re.compile(r"#" + re.escape(tag.lstrip("#")) + r"(?![\w])", re.IGNORECASE)


def resolve_members(db: Database, campaign: Campaign, zone: str) -> Campaign:
    """Posts by hashtag (published in the flight), listed id or calendar slot; ad campaigns."""
    flight = Window(campaign.start, campaign.end, zone)
    posts: set[int] = set()
    ads: list[dict[str, Any]] = []
    for kind_, value, platform in queries.campaign_members(db, campaign.id):
        campaign.members += 1
        if kind_ == "hashtag":
            tag = value.lstrip("#")
            pattern = hashtag_pattern(tag)
            for pid, caption, tags in queries.posts_with_hashtag(db, tag, flight, platform):
                tag_list = [str(x).lstrip("#").lower() for x in queries.json_list(tags)]
                if pattern.search(caption or "") or tag.lower() in tag_list:
                    posts.add(pid)
        elif kind_ == "post":
            posts.update(queries.posts_by_external_id(db, value, platform))
        elif kind_ == "slot":
            posts.update(queries.posts_of_slot(db, value))
        elif kind_ == "ad_campaign":
            found = queries.ad_entities(db, platform, [value])
            if not found:
                campaign.missing_ads.append((platform, value))
            ads.extend(found)
    info = queries.posts_by_id(db, posts)
    for pid, row in info.items():
        if row["platform"] in campaign.platforms:
            campaign.post_ids.setdefault(row["platform"], set()).add(pid)
    for ad in ads:
        if ad["platform"] in campaign.platforms:
            campaign.ad_ids.setdefault(ad["platform"], set()).add(int(ad["id"]))
            campaign.ad_campaigns.append(ad)
    return campaign


def load_targets(db: Database, campaign_id: int) -> list[dict[str, Any]]:
    return [
        {"kpi": k, "origin": origin, "platform": platform, "target": target}
        for k, origin, platform, target in queries.kpi_targets(db, campaign_id)
        if k in kpi.KPIS
    ]


def context_for(
    db: Database, campaign: Campaign, window: Window, today: date | None = None
) -> kpi.KpiContext:
    """The campaign's posts and ad campaigns per platform, measured over a window."""
    scopes = {
        p: Scope(frozenset(campaign.post_ids.get(p, ())), frozenset(campaign.ad_ids.get(p, ())))
        for p in campaign.platforms
    }
    return kpi.KpiContext(db, window, campaign.platforms, scopes, campaign.platforms, today)


def _platform_table(ctx: kpi.KpiContext, campaign: Campaign) -> list[dict[str, Any]]:
    rows = []
    for platform in campaign.platforms:
        views = ctx.split(platform, "views")
        reach = ctx.reach(platform)
        spend = ctx.split(platform, "spend").paid
        impressions = ctx.split(platform, "impressions").paid
        clicks = ctx.split(platform, "clicks")
        paid_reach = reach["paid"]
        cpm = measures.ratio(spend, impressions)
        per_reached = measures.ratio(spend, paid_reach.value if paid_reach else None)
        engagements = ctx.split(platform, "engagements")
        rows.append(
            {
                "platform": platform,
                "organic": {
                    "posts": len(campaign.post_ids.get(platform, ())),
                    "views": views.organic,
                    "reach": reach["organic"].to_json() if reach["organic"] else None,
                    "engagements": engagements.organic,
                    "clicks": clicks.organic,
                },
                "paid": {
                    "ad_campaigns": len(campaign.ad_ids.get(platform, ())),
                    "views": views.paid,
                    "impressions": impressions,
                    "reach": paid_reach.to_json() if paid_reach else None,
                    "clicks": clicks.paid,
                    "link_clicks": ctx.split(platform, "link_clicks").paid,
                    "engagements": engagements.paid,
                    "follower_gain": ctx.split(platform, "follower_gain").paid,
                    "spend": spend,
                    "cpm": cpm * 1000 if cpm is not None else None,
                    "cpc": measures.ratio(spend, clicks.paid),
                    "cost_per_1000_reached": per_reached * 1000
                    if per_reached is not None
                    else None,
                },
                "total": {
                    "views": views.total,
                    "engagements": engagements.total,
                    "follower_gain": ctx.split(platform, "follower_gain").total,
                },
                "views_basis": views.basis,
                "notes": list(dict.fromkeys([*views.notes, *engagements.notes])),
                "issues": [
                    *views.issues,
                    *(i for i in engagements.issues if i not in views.issues),
                ],
            }
        )
    return rows


def _progress(
    db: Database,
    campaign: Campaign,
    window: Window,
    kpis: list[dict[str, Any]],
    lang: str,
) -> list[dict[str, Any]]:
    """Daily cumulative values of additive KPI targets (for the chart against the target line)."""
    chosen = [k for k in kpis if k["kpi"] in kpi.ADDITIVE][:MAX_CHARTS]
    if not chosen:
        return []
    series = [
        {
            "kpi": k["kpi"],
            "origin": k["origin"],
            "platform": k["platform"],
            "target": k["target"],
            "title": _kpi_title(k, lang),
            "dates": [],
            "daily": [],
            "cumulative": [],
        }
        for k in chosen
    ]
    # Each point is the figure from the start to that day, measured as one window, so the line
    # ends exactly at the KPI's actual; the day's value is the step from the day before.
    previous: list[float | None] = [None] * len(series)
    for day in window.each_day():
        ctx = context_for(db, campaign, Window(window.start, day.end, window.zone))
        for i, s in enumerate(series):
            value = ctx.value(s["kpi"], s["origin"], s["platform"]).value
            s["dates"].append(day.start.isoformat())
            s["cumulative"].append(value)
            s["daily"].append(None if value is None else value - (previous[i] or 0.0))
            if value is not None:
                previous[i] = value
    return series


def _kpi_title(k: dict[str, Any], lang: str) -> str:
    where = t(lang, "all_platforms") if k["platform"] == "all" else platform_name(k["platform"])
    return f"{t(lang, k['kpi'])} ({t(lang, 'origin_' + k['origin'])}, {where})"


def build_campaign(
    db: Database,
    config: Config,
    name: str,
    *,
    lang: str | None = None,
    now: datetime,
    save: bool = True,
) -> dict[str, Any]:
    """Compute the campaign report as of yesterday (the last complete day)."""
    from social.reports.render import clean

    lang = lang or config.language
    zone = config.timezone
    campaign = resolve_members(db, find_campaign(db, name), zone)
    today = local_date(now, zone)
    yesterday = today - timedelta(days=1)
    flight = Window(campaign.start, campaign.end, zone)
    duration = flight.days
    if yesterday < campaign.start:
        status, elapsed = "planned", 0
    elif yesterday >= campaign.end:
        status, elapsed = "ended", duration
    else:
        status, elapsed = "running", (yesterday - campaign.start).days + 1
    as_of = min(yesterday, campaign.end)
    window = flight.clipped(as_of)
    # Every window below starts on the flight's first day and ends by `as_of`: the build reads
    # the flight's daily rows once and measures each of those windows from them.
    with reads.build(db, span=window):
        targets = load_targets(db, campaign.id)
        ctx = context_for(db, campaign, window, today)
        if status == "planned":
            kpis = [
                {
                    **kpi.evaluate(ctx, [tg], elapsed=0, duration=duration, running=False)[0],
                    "actual": None,
                    "attainment": None,
                }
                for tg in targets
            ]
            platforms: list[dict[str, Any]] = []
            progress: list[dict[str, Any]] = []
            top: list[dict[str, Any]] = []
        else:
            kpis = kpi.evaluate(
                ctx, targets, elapsed=elapsed, duration=duration, running=status == "running"
            )
            platforms = _platform_table(ctx, campaign)
            progress = _progress(db, campaign, window, kpis, lang)
            all_posts = frozenset(p for ids in campaign.post_ids.values() for p in ids)
            top = measures.top_posts(db, window, 5, post_ids=all_posts) if all_posts else []
    for k in kpis:
        k["label"] = _kpi_title(k, lang)
    totals = _totals(platforms)
    report: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "kind": KIND,
        "key": campaign.name,
        "lang": lang,
        "generated_at": to_utc_iso(now),
        "timezone": zone,
        "currency": campaign.currency,
        "campaign": {
            "name": campaign.name,
            "start": campaign.start.isoformat(),
            "end": campaign.end.isoformat(),
            "platforms": campaign.platforms,
            "partner": campaign.partner,
            "budget": campaign.budget,
            "currency": campaign.currency,
            "description": campaign.description,
            "status": status,
            "as_of": as_of.isoformat() if status != "planned" else None,
            "elapsed_days": elapsed,
            "duration_days": duration,
            "posts": sum(len(v) for v in campaign.post_ids.values()),
            "ad_campaigns": _ad_campaigns(db, campaign, as_of if status != "planned" else None),
        },
        "kpis": kpis,
        "platforms": platforms,
        "totals": totals,
        "progress": progress,
        "top_content": [_content(p) for p in top],
        "warnings": [],
        "notes": _notes(platforms, lang),
    }
    report["warnings"] = _warnings(
        campaign, targets, platforms, lang, report["campaign"]["ad_campaigns"]
    )
    report["summary"] = summary(report, lang)
    report["definitions"] = definitions(report, lang)
    report = clean(report)
    if save:
        store.save(db, report)
    return report


def _content(post: dict[str, Any]) -> dict[str, Any]:
    return {
        "platform": post["platform"],
        "id": post["id"],
        "published_at": post["published_at"],
        "published_date": post["published_date"],
        "caption": post["caption"],
        "link": post["link"],
        "views": post["views_gained"],
        "metric": post["metric"],
    }


def _totals(platforms: list[dict[str, Any]]) -> dict[str, Any]:
    def total(origin: str, key: str) -> float | None:
        return measures.add(*(p[origin].get(key) for p in platforms))

    def reach_sum(origin: str) -> dict[str, Any] | None:
        parts = [p[origin]["reach"] for p in platforms if p[origin].get("reach")]
        if not parts:
            return None
        if len(parts) == 1:
            return dict(parts[0])
        return {
            "value": sum(r["value"] for r in parts),
            "method": "sum_across_platforms",
            "exact": False,
            "metric": "+".join(sorted({r["metric"] for r in parts})),
            "parts": len(parts),
        }

    spend = total("paid", "spend")
    impressions = total("paid", "impressions")
    clicks = total("paid", "clicks")
    paid_reach = reach_sum("paid")
    cpm = measures.ratio(spend, impressions)
    per_reached = measures.ratio(spend, paid_reach["value"] if paid_reach else None)
    return {
        "organic": {
            "posts": sum(p["organic"]["posts"] for p in platforms),
            "views": total("organic", "views"),
            "reach": reach_sum("organic"),
            "engagements": total("organic", "engagements"),
        },
        "paid": {
            "views": total("paid", "views"),
            "impressions": impressions,
            "reach": paid_reach,
            "clicks": clicks,
            "link_clicks": total("paid", "link_clicks"),
            "spend": spend,
            "cpm": cpm * 1000 if cpm is not None else None,
            "cpc": measures.ratio(spend, clicks),
            "cost_per_1000_reached": per_reached * 1000 if per_reached is not None else None,
        },
        "total": {"views": total("total", "views"), "engagements": total("total", "engagements")},
    }


def _ad_campaigns(db: Database, campaign: Campaign, as_of: date | None) -> list[dict[str, Any]]:
    """The member ad campaigns with their flights and their own whole-flight reach."""
    out = []
    for a in campaign.ad_campaigns:
        row: dict[str, Any] = {
            "platform": a["platform"],
            "id": a["external_id"],
            "name": a["name"],
            "objective": a["objective"],
            "start": a.get("start"),
            "end": a.get("end"),
            "reach": None,
            "reach_clipped": False,
        }
        if as_of is not None:
            (found,) = measures.flight_reach(db, a["platform"], [int(a["id"])], as_of)
            row["reach"] = found.reach.to_json() if found.reach else None
            row["reach_clipped"] = found.clipped
        out.append(row)
    return out


def _notes(platforms: list[dict[str, Any]], lang: str) -> list[dict[str, Any]]:
    """How the views were put together, where it needs saying (not warnings)."""
    out = []
    for p in platforms:
        for code in p.get("notes") or []:
            out.append(
                {
                    "code": code,
                    "platform": p["platform"],
                    "message": t(lang, f"note_{code}", platform=platform_name(p["platform"])),
                }
            )
    return out


def _warnings(
    campaign: Campaign,
    targets: list[dict[str, Any]],
    platforms: list[dict[str, Any]],
    lang: str,
    ad_campaigns: list[dict[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    out = []
    ad_campaigns = ad_campaigns or []
    if campaign.members == 0:
        out.append(
            {
                "code": "no_campaign_members",
                "platform": None,
                "message": t(lang, "warn_no_campaign_members"),
            }
        )
    if not targets:
        out.append({"code": "no_targets", "platform": None, "message": t(lang, "warn_no_targets")})
    for platform, ext in campaign.missing_ads:
        out.append(
            {
                "code": "missing_ad_campaign",
                "platform": platform or None,
                "message": t(
                    lang,
                    "warn_missing_ad_campaign",
                    id=ext,
                    platform=platform_name(platform) or "?",
                ),
            }
        )
    for p in platforms:
        seen: set[str] = set()
        for issue in p.get("issues") or []:
            if issue["code"] in seen:
                continue
            seen.add(issue["code"])
            out.append(
                {
                    "code": issue["code"],
                    "platform": p["platform"],
                    "message": t(
                        lang, f"warn_{issue['code']}", platform=platform_name(p["platform"])
                    ),
                }
            )
    for a in ad_campaigns:
        reach = a.get("reach") or {}
        if a.get("reach_clipped"):
            out.append(
                {
                    "code": "reach_window_clipped",
                    "platform": a["platform"],
                    "message": t(
                        lang,
                        "warn_reach_window_clipped",
                        platform=platform_name(a["platform"]),
                        name=a["name"] or a["id"],
                        start=formats.day(date.fromisoformat(reach["start"]), lang),
                        flight=formats.day(date.fromisoformat(a["start"]), lang),
                    ),
                }
            )
    if any(
        (p[o].get("reach") or {}).get("method") == "sum_of_daily"
        for p in platforms
        for o in ("organic", "paid")
    ):
        out.append(
            {
                "code": "reach_upper_bound",
                "platform": None,
                "message": t(lang, "warn_reach_upper_bound"),
            }
        )
    return out


# --- words ----------------------------------------------------------------------------------


def _fmt(value: float | None, unit: str, lang: str, currency: str) -> str:
    if unit == "ratio":
        return formats.percent(value, lang)
    if unit == "currency":
        return formats.money(value, currency, lang)
    return formats.number(value, lang)


def summary(report: dict[str, Any], lang: str) -> str:
    """A few sentences in the report's language, claiming only what the figures say."""
    c = report["campaign"]
    nb = lang == "nb"
    start, end = (
        formats.day(date.fromisoformat(c["start"]), lang),
        formats.day(date.fromisoformat(c["end"]), lang),
    )
    name = f"«{c['name']}»" if nb else f"“{c['name']}”"
    if c["status"] == "planned":
        return (
            f"Kampanjen {name} starter {start} og varer til {end}."
            if nb
            else f"The campaign {name} starts on {start} and runs until {end}."
        )
    as_of = formats.day(date.fromisoformat(c["as_of"]), lang)
    if c["status"] == "running":
        sentences = [
            f"Kampanjen {name} går fra {start} til {end} og har gått {c['elapsed_days']} av "
            f"{c['duration_days']} dager (tall per {as_of})."
            if nb
            else f"The campaign {name} runs from {start} to {end} and is {c['elapsed_days']} of "
            f"{c['duration_days']} days in (figures as of {as_of})."
        ]
    else:
        sentences = [
            f"Kampanjen {name} gikk fra {start} til {end}."
            if nb
            else f"The campaign {name} ran from {start} to {end}."
        ]
    currency = report["currency"]
    for k in report["kpis"][:6]:
        actual = _fmt(k["actual"], k["unit"], lang, currency)
        target = _fmt(k["target"], k["unit"], lang, currency)
        share = formats.percent(k["attainment"], lang, 0)
        label = k["label"]
        if k["actual"] is None:
            sentences.append(
                f"{label}: ingen data ennå (mål {target})."
                if nb
                else f"{label}: no data yet (target {target})."
            )
            continue
        if k.get("method") and not k.get("exact", True):
            # A summed reach says what it is in the sentence too (rule 1), and so does its share.
            actual += f" ({t(lang, 'method_' + k['method'])})"
            share = ("opptil " if nb else "up to ") + share
        text = (
            f"{label}: {actual} mot målet {target} ({share} oppnådd)"
            if nb
            else f"{label}: {actual} against the target of {target} ({share} attained)"
        )
        pace = k.get("pacing")
        if pace and k["kpi"] in kpi.ADDITIVE | {"reach"}:
            projected = _fmt(pace["projection"], k["unit"], lang, currency)
            if pace["approximate"]:
                projected = ("omkring " if nb else "about ") + projected
            verdict = t(lang, pace["status"])
            text += (
                f"; i dagens tempo ender den på {projected}, {verdict}"
                if nb
                else f"; at the current rate it will end at {projected}, {verdict}"
            )
        elif pace:
            text += f"; {t(lang, pace['status'])}"
        sentences.append(text + ".")
    spend = report["totals"]["paid"]["spend"] if report["platforms"] else None
    if spend is not None and c["budget"]:
        sentences.append(
            f"Brukt {formats.money(spend, currency, lang)} av budsjettet på "
            f"{formats.money(c['budget'], currency, lang)}."
            if nb
            else f"Spent {formats.money(spend, currency, lang)} of the "
            f"{formats.money(c['budget'], currency, lang)} budget."
        )
    return " ".join(sentences)


DEFINITION_KEYS = (
    "views",
    "reach",
    "impressions",
    "clicks",
    "link_clicks",
    "ctr",
    "engagement_rate",
    "follower_gain",
    "spend",
    "cpm",
    "cost_per_click",
    "cost_per_1000_reached",
    "cost_per_result",
)
_CONCEPT_OF = {
    "views": None,  # per platform: its Views.concept
    "reach": "reach",
    "impressions": "impressions",
    "clicks": "clicks",
    "link_clicks": "link_clicks",
    "follower_gain": "follower_gain",
    "spend": "spend",
    "engagement_rate": "likes",
}


def definitions(report: dict[str, Any], lang: str) -> list[dict[str, Any]]:
    """What each number is, in general and on each of the campaign's platforms."""
    from social.reports.definitions import text

    out = []
    for key in DEFINITION_KEYS:
        entry: dict[str, Any] = {"kpi": key, "text": text(key, lang), "platforms": []}
        concept_key = _CONCEPT_OF.get(key, "")
        if concept_key is not None or key == "views":
            for platform in report["campaign"]["platforms"]:
                concept = measures.views_concept(platform) if key == "views" else concept_key
                if not concept:
                    continue
                names = queries.names(concept, platform)
                if key == "views":  # the sponsored side's own metric (Views.paid_fallback)
                    names += [m for m in measures.paid_metrics(concept, platform) if m not in names]
                metrics = [CATALOGUE[(platform, m)] for m in names]
                if metrics:
                    entry["platforms"].append(
                        {
                            "platform": platform,
                            "metrics": [
                                {
                                    "metric": m.metric,
                                    "label": m.label(lang),
                                    "meaning": m.meaning,
                                    "additive": m.additive,
                                }
                                for m in metrics
                            ],
                        }
                    )
        out.append(entry)
    return out
