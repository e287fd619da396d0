"""The weekly report: per platform and in total, the week against the week before.

`build_weekly` returns the report as a JSON-ready dict (schema in README.md,
"### Reports"); `send_weekly` is what the scheduler calls on Monday mornings.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from core import formats, registry
from core.config import Config
from core.errors import ConfigError, SocialError
from core.timeutil import from_utc_iso, last_complete_week, local_date, parse_iso_week, to_utc_iso
from social.reports import SCHEMA_VERSION, measures, queries, reads, store
from social.reports.i18n import platform_name, t
from social.reports.window import Window

KIND = "weekly"

# Figures compared with the week before: name -> path in a platform's figures.
HEADLINE: dict[str, tuple[str, ...]] = {
    "followers_end": ("followers", "end"),
    "followers_change": ("followers", "change"),
    "posts_published": ("posts_published",),
    "views_total": ("views", "total"),
    "views_organic": ("views", "organic"),
    "views_paid": ("views", "paid"),
    "engagements_total": ("engagements", "total"),
    "engagement_rate_total": ("engagement_rate", "total"),
    "spend": ("paid", "spend"),
}


def resolve_week(text: str | None, today: date, zone: str) -> Window:
    """The week to report: '2025-W48', or the last complete ISO week before today."""
    if text:
        try:
            monday, sunday = parse_iso_week(text.strip())
        except ValueError as exc:
            raise SocialError(f"--week: {exc}") from None
        if monday > today:
            raise SocialError(
                f"--week: {text} has not started yet; pick a week that has ended, "
                f"e.g. {last_complete_week(today)[0].isocalendar()[0]}-W"
                f"{last_complete_week(today)[0].isocalendar()[1]:02d}"
            )
    else:
        monday, sunday = last_complete_week(today)
    return Window(monday, sunday, zone)


def platform_figures(
    db: Database, platform: str, window: Window, *, currency: str = "NOK"
) -> dict[str, Any]:
    """Every figure of one platform for one week."""
    published = queries.posts_published(db, window).get(platform, 0)
    views = measures.measure_views(db, platform, window)
    engagements = measures.measure_engagements(db, platform, window)
    reach = measures.account_reach(db, platform, window)
    paid = measures.paid_block(db, platform, window)
    follow = measures.followers(db, platform, window)
    followers_in_week = follow["as_of"] is not None and follow["as_of"] >= window.start.isoformat()
    has_data = bool(
        published
        or not views.empty
        or not engagements.empty
        or any(reach.values())
        or any(v is not None for v in paid.values())
        or followers_in_week
        or follow["change"] is not None
    )
    return {
        "platform": platform,
        "has_data": has_data,
        "followers": follow,
        "posts_published": published,
        "views": views.to_json(),
        "first_seen_posts": views.first_seen_posts,
        "reach": {o: (r.to_json() if r else None) for o, r in reach.items()},
        "engagements": engagements.to_json(),
        "engagement_rate": measures.rates(engagements, views),
        "paid": {**paid, "currency": currency},
    }


def _at(figures: dict[str, Any], path: tuple[str, ...]) -> Any:
    value: Any = figures
    for key in path:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def headline(figures: dict[str, Any]) -> dict[str, Any]:
    """The figures compared week on week, including reach when both weeks count it alike."""
    out = {name: _at(figures, path) for name, path in HEADLINE.items()}
    reach = figures.get("reach") or {}
    content = reach.get("total") or reach.get("organic")
    out["reach_content"] = content["value"] if content else None
    out["reach_content_method"] = content["method"] if content else None
    out["reach_paid"] = reach["paid"]["value"] if reach.get("paid") else None
    out["reach_paid_method"] = reach["paid"]["method"] if reach.get("paid") else None
    return out


def change(current: dict[str, Any], previous: dict[str, Any]) -> dict[str, Any]:
    """Current minus previous for each headline figure (None where either is missing).

    Reach is compared only when both weeks have it by the same method: the
    platform's own weekly number is not comparable with a sum of daily reach.
    """
    out: dict[str, Any] = {}
    for name, value in current.items():
        if name.endswith("_method"):
            continue
        before = previous.get(name)
        same_method = current.get(f"{name}_method") == previous.get(f"{name}_method")
        if value is None or before is None or not same_method:
            out[name] = None
        else:
            out[name] = value - before
    return out


def week_on_week(current: dict[str, Any], previous: dict[str, Any]) -> dict[str, Any]:
    """This week's and last week's headline figures and their difference."""
    return {"current": current, "previous": previous, "change": change(current, previous)}


def total_figures(platforms: list[dict[str, Any]], currency: str) -> dict[str, Any]:
    """Counts summed across platforms; reach only as a labelled sum."""

    def total_of(path: tuple[str, ...]) -> float | None:
        return measures.add(*(_at(p, path) for p in platforms))

    def all_have(path: tuple[str, ...]) -> bool:
        return all(_at(p, path) is not None for p in platforms if p.get("has_data", True))

    views = {o: total_of(("views", o)) for o in measures.ORIGINS}
    engagements = {o: total_of(("engagements", o)) for o in measures.ORIGINS}
    both = [
        p
        for p in platforms
        if _at(p, ("views", "total")) is not None and _at(p, ("engagements", "total")) is not None
    ]
    paid = {k: total_of(("paid", k)) for k in ("spend", "impressions", "clicks", "link_clicks")}
    paid["ctr"] = measures.ratio(paid["clicks"], paid["impressions"])
    cpm = measures.ratio(paid["spend"], paid["impressions"])
    paid["cpm"] = cpm * 1000 if cpm is not None else None
    paid["cpc"] = measures.ratio(paid["spend"], paid["clicks"])

    def reach_sum(pick: str) -> dict[str, Any] | None:
        parts = []
        for p in platforms:
            reach = p["reach"]
            r = (reach.get("total") or reach.get("organic")) if pick == "content" else reach["paid"]
            if r:
                parts.append(r)
        if not parts:
            return None
        upper = any(r["method"] == measures.UPPER_BOUND for r in parts)
        method = parts[0]["method"] if len(parts) == 1 else "sum_across_platforms"
        return {
            "value": sum(r["value"] for r in parts),
            # A sum holding a sum of daily reach is itself at most an upper bound: say so.
            "method": measures.UPPER_BOUND if upper else method,
            "exact": len(parts) == 1 and parts[0]["exact"],
            "includes_upper_bounds": upper,
            "platforms": len(parts),
        }

    return {
        # A total of followers only when every platform has the figure: a sum that silently
        # leaves one platform out would read as the whole audience.
        "followers": {
            "end": total_of(("followers", "end")) if all_have(("followers", "end")) else None,
            "change": (
                total_of(("followers", "change")) if all_have(("followers", "change")) else None
            ),
        },
        "posts_published": sum(p["posts_published"] for p in platforms),
        "views": {
            **views,
            "not_split": [
                p["platform"]
                for p in platforms
                if _at(p, ("views", "total")) is not None and _at(p, ("views", "organic")) is None
            ],
        },
        "engagements": engagements,
        "engagement_rate": {
            "total": measures.ratio(
                measures.add(*(_at(p, ("engagements", "total")) for p in both)),
                measures.add(*(_at(p, ("views", "total")) for p in both)),
            )
        },
        "paid": {**paid, "currency": currency},
        "reach_sum": {"content": reach_sum("content"), "paid": reach_sum("paid")},
    }


def adherence(db: Database, window: Window) -> dict[str, Any]:
    """Calendar slots planned in the week against those published, per person."""
    members = [
        {
            "member": name,
            "planned": planned,
            "published": published,
            "rate": measures.ratio(published, planned),
        }
        for name, planned, published in queries.adherence(db, window)
    ]
    planned, published = queries.adherence_totals(db, window)
    return {
        "members": members,
        "planned": planned,
        "published": published,
        "rate": measures.ratio(published, planned),
    }


def freshness(
    db: Database, config: Config, now: datetime, stale_hours: int
) -> list[dict[str, Any]]:
    """Last successful sync per platform and whether it is fresh."""
    state = queries.sync_state(db, registry.names())
    with_accounts = queries.platforms_with_accounts(db)
    out = []
    for platform in registry.names():
        in_use = platform in with_accounts or bool(config.get(platform, "enabled"))
        info = state.get(platform, {})
        last_ok = info.get("last_ok")
        age = (now - from_utc_iso(last_ok)).total_seconds() / 3600 if last_ok else None
        if last_ok is None:
            status = "missing" if in_use else "not_configured"
        else:
            status = "ok" if age is not None and age <= stale_hours else "stale"
        out.append(
            {
                "platform": platform,
                "in_use": in_use,
                "last_ok": last_ok,
                "age_hours": round(age, 1) if age is not None else None,
                "last_outcome": info.get("last_outcome"),
                "status": status,
            }
        )
    return out


def _warnings(
    report: dict[str, Any], window: Window, now: datetime, lang: str
) -> list[dict[str, Any]]:
    week_name = formats.week(window.start, lang)
    out: list[dict[str, Any]] = []

    def warn(code: str, platform: str | None = None, **fields: Any) -> None:
        name = platform_name(platform)
        message = t(lang, f"warn_{code}", platform=name, platform_id=platform or "", **fields)
        out.append({"code": code, "platform": platform, "message": message})

    if not report["week"]["complete"]:
        warn("week_incomplete", week=week_name)
    if not report["has_data"]:
        warn("no_data_week", week=week_name)
    fresh = {f["platform"]: f for f in report["freshness"]}
    for p in report["platforms"]:
        platform = p["platform"]
        f = fresh[platform]
        if not f["in_use"] and not p["has_data"]:
            continue
        if report["has_data"] and not p["has_data"]:
            warn("no_data_platform", platform)
        if f["status"] == "missing":
            warn("never_synced", platform)
        elif f["status"] == "stale":
            warn("stale", platform, when=formats.moment(_local(f["last_ok"], window), lang))
        if f["last_ok"] and f["last_ok"] < window.end_iso and window.end_utc <= now:
            warn("synced_before_end", platform)
        if f["last_outcome"] in ("failed", "partial"):
            warn("last_run_failed", platform, outcome=f["last_outcome"])
        days = p["views"]["days_covered"]
        elapsed = min(window.days, max(0, (local_date(now, window.zone) - window.start).days))
        if days is not None and days < elapsed:
            warn("partial_days", platform, days=days, total=elapsed)
        if p["first_seen_posts"]:
            warn("first_seen", platform, count=p["first_seen_posts"])
        as_of = p["followers"]["as_of"]
        if as_of and as_of < window.start.isoformat():
            warn("followers_stale", platform, date=formats.day(date.fromisoformat(as_of), lang))
        codes = {i["code"] for split in ("views", "engagements") for i in p[split]["issues"]}
        for code in sorted(codes):
            warn(code, platform)
    upper = any(
        (r or {}).get("method") == "sum_of_daily"
        for p in report["platforms"]
        for r in p["reach"].values()
    )
    if upper:
        warn("reach_upper_bound")
    return out


def _notes(report: dict[str, Any], lang: str) -> list[dict[str, Any]]:
    """How each platform's views were put together, where it needs saying (not warnings)."""
    out = []
    for p in report["platforms"]:
        for code in p["views"]["notes"]:
            message = t(lang, f"note_{code}", platform=platform_name(p["platform"]))
            out.append({"code": code, "platform": p["platform"], "message": message})
    return out


def _local(text: str, window: Window) -> datetime:
    from zoneinfo import ZoneInfo

    return from_utc_iso(text).astimezone(ZoneInfo(window.zone))


def figures_tree(report: dict[str, Any]) -> dict[str, Any]:
    """Platforms keyed by name plus the total: what `revised` compares."""
    tree: dict[str, Any] = {p["platform"]: p for p in report["platforms"]}
    tree["total"] = report["total"]
    return tree


def build_weekly(
    db: Database,
    config: Config,
    *,
    week: str | None = None,
    lang: str | None = None,
    now: datetime,
    save: bool = True,
) -> dict[str, Any]:
    """Compute the weekly report for a week; store its figures unless save=False."""
    from social.reports.render import clean

    lang = lang or config.language
    zone = config.timezone
    currency = str(config.get("reports", "currency"))
    window = resolve_week(week, local_date(now, zone), zone)
    previous_window = window.shifted(-7)
    # Both weeks, every platform and the top posts read the same ad campaigns' trees: once.
    with reads.build(db):
        platforms = [platform_figures(db, p, window, currency=currency) for p in registry.names()]
        before = [
            platform_figures(db, p, previous_window, currency=currency) for p in registry.names()
        ]
        top_posts = measures.top_posts(db, window, int(config.get("reports", "top_posts")))
    for current, prev in zip(platforms, before, strict=True):
        current["week_on_week"] = week_on_week(headline(current), headline(prev))
    total = total_figures(platforms, currency)
    total_before = total_figures(before, currency)
    total["week_on_week"] = week_on_week(_total_headline(total), _total_headline(total_before))
    report: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "kind": KIND,
        "key": window.iso,
        "lang": lang,
        "generated_at": to_utc_iso(now),
        "timezone": zone,
        "currency": currency,
        "week": {"iso": window.iso, **window.to_json(), "complete": window.end_utc <= now},
        "previous_week": {"iso": previous_window.iso, **previous_window.to_json()},
        "has_data": any(p["has_data"] for p in platforms),
        "platforms": platforms,
        "total": total,
        "top_posts": top_posts,
        "adherence": adherence(db, window),
        "freshness": freshness(db, config, now, int(config.get("reports", "stale_after_hours"))),
    }
    report["what_worked"] = _what_worked(db, config, window, lang, now)
    report["revised"] = _revised(db, previous_window, before, total_before, now)
    report["warnings"] = _warnings(report, window, now, lang)
    report["notes"] = _notes(report, lang)
    report = clean(report)
    if save and report["has_data"]:
        store.save(db, report)
    return report


def _what_worked(
    db: Database, config: Config, window: Window, lang: str, now: datetime
) -> dict[str, Any]:
    """Posts that turned [insights] age_days old this week and did best against their account."""
    from social.insights.report import week_highlights

    return week_highlights(
        db, config, start=window.start, end=window.end, lang=lang, now=min(now, window.end_utc)
    )


def _total_headline(total: dict[str, Any]) -> dict[str, Any]:
    content = (total["reach_sum"] or {}).get("content")
    paid = (total["reach_sum"] or {}).get("paid")
    return {
        "followers_end": total["followers"]["end"],
        "followers_change": total["followers"]["change"],
        "posts_published": total["posts_published"],
        "views_total": total["views"]["total"],
        "views_organic": total["views"]["organic"],
        "views_paid": total["views"]["paid"],
        "engagements_total": total["engagements"]["total"],
        "engagement_rate_total": total["engagement_rate"]["total"],
        "spend": total["paid"]["spend"],
        "reach_content": content["value"] if content else None,
        "reach_content_method": content["method"] if content else None,
        "reach_paid": paid["value"] if paid else None,
        "reach_paid_method": paid["method"] if paid else None,
    }


def _revised(
    db: Database,
    window: Window,
    platforms_now: list[dict[str, Any]],
    total_now: dict[str, Any],
    now: datetime,
) -> dict[str, Any] | None:
    """What changed in last week's figures since last week's report was generated."""
    from social.reports.render import clean

    stored = store.latest(db, KIND, window.iso, before=to_utc_iso(now + timedelta(seconds=1)))
    if stored is None:
        return None
    recomputed = clean({"platforms": platforms_now, "total": total_now})
    changes = store.revisions(
        store.flatten(figures_tree(stored.figures)), store.flatten(figures_tree(recomputed))
    )
    return {"week": window.iso, "reported_at": stored.generated_at, "changes": changes}


def send_weekly(
    config: Config, db: Database, *, week: str | None = None, lang: str | None = None
) -> Path:
    """Build the weekly report, write it as HTML under [reports] output_dir and e-mail it.

    Called by the scheduler service on Monday mornings. The e-mail has an HTML
    part with its charts as inline (cid:) PNG images and a plain-text
    alternative; recipients come from [reports] recipients.
    """
    from core.timeutil import utcnow
    from social.reports import render
    from social.reports.mail import send_report

    recipients = list(config.get("reports", "recipients"))
    if not recipients:
        raise ConfigError(
            "no one to send the weekly report to; set [reports] recipients in social.toml"
        )
    report = build_weekly(db, config, week=week, lang=lang, now=utcnow())
    if not report["has_data"]:
        raise SocialError(
            f"no data for {formats.week(date.fromisoformat(report['week']['start']), 'en')}; "
            "run 'social sync' first (nothing was sent)"
        )
    path = render.write_default(config, report, "html")
    send_report(config, report, recipients)
    return path
