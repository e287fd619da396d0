"""Reports as tidy rows (one figure per row) for CSV."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

Row = dict[str, Any]


def csv_rows(report: dict[str, Any]) -> Iterator[Row]:
    """Rows with section, platform, item, measure, origin, value, method."""
    kind = report["kind"]
    if kind == "weekly":
        yield from _weekly(report)
    elif kind == "campaign":
        yield from _campaign(report)
    elif kind == "partner":
        yield from _partner(report)
    for w in report.get("warnings") or []:
        yield {
            "section": "warning",
            "platform": w.get("platform") or "",
            "item": w["code"],
            "value": w["message"],
        }


def _split(
    section: str, platform: str, measure: str, split: dict[str, Any] | None
) -> Iterator[Row]:
    split = split or {}
    for origin in ("organic", "paid", "total"):
        if origin in split:
            yield {
                "section": section,
                "platform": platform,
                "measure": measure,
                "origin": origin,
                "value": split.get(origin),
                "method": (split.get("basis") or {}).get(origin, ""),
            }


def _reach(section: str, platform: str, reach: dict[str, Any] | None) -> Iterator[Row]:
    for origin, r in (reach or {}).items():
        if isinstance(r, dict):
            yield {
                "section": section,
                "platform": platform,
                "measure": "reach",
                "origin": origin,
                "value": r["value"],
                "method": r["method"],
            }


def _platform_rows(section: str, platform: str, p: dict[str, Any]) -> Iterator[Row]:
    followers = p.get("followers") or {}
    yield {
        "section": section,
        "platform": platform,
        "measure": "followers_end",
        "value": followers.get("end"),
        "method": followers.get("metric") or "",
    }
    yield {
        "section": section,
        "platform": platform,
        "measure": "followers_change",
        "value": followers.get("change"),
        "method": followers.get("change_basis") or "",
    }
    yield {
        "section": section,
        "platform": platform,
        "measure": "posts_published",
        "value": p.get("posts_published"),
    }
    yield from _split(section, platform, "views", p.get("views"))
    if "reach" in p:
        yield from _reach(section, platform, p["reach"])
    if "reach_sum" in p:
        yield from _reach(section, platform, p["reach_sum"])
    yield from _split(section, platform, "engagements", p.get("engagements"))
    for origin, value in (p.get("engagement_rate") or {}).items():
        yield {
            "section": section,
            "platform": platform,
            "measure": "engagement_rate",
            "origin": origin,
            "value": value,
        }
    for measure, value in (p.get("paid") or {}).items():
        if measure != "currency":
            yield {
                "section": section,
                "platform": platform,
                "measure": measure,
                "origin": "paid",
                "value": value,
                "method": (p.get("paid") or {}).get("currency", "")
                if measure in ("spend", "cpm", "cpc")
                else "",
            }
    wow = p.get("week_on_week") or {}
    for measure, value in (wow.get("current") or {}).items():
        if not measure.endswith("_method"):
            yield {
                "section": "week_on_week",
                "platform": platform,
                "measure": measure,
                "value": value,
                "method": f"previous={(wow.get('previous') or {}).get(measure)}",
            }


def _weekly(report: dict[str, Any]) -> Iterator[Row]:
    for p in report["platforms"]:
        yield from _platform_rows("platform", p["platform"], p)
    yield from _platform_rows("total", "all", report["total"])
    for post in report["top_posts"]:
        for measure in ("views_gained", "views_to_date", "published_at", "link", "caption"):
            yield {
                "section": "top_posts",
                "platform": post["platform"],
                "item": post["id"],
                "measure": measure,
                "value": post[measure],
                "method": post["metric"] if measure.startswith("views") else "",
            }
    adherence = report["adherence"]
    for m in adherence["members"]:
        for measure in ("planned", "published", "rate"):
            yield {
                "section": "adherence",
                "item": m["member"] or "",
                "measure": measure,
                "value": m[measure],
            }
    for f in report["freshness"]:
        yield {
            "section": "freshness",
            "platform": f["platform"],
            "measure": "last_ok",
            "value": f["last_ok"],
            "method": f["status"],
        }
    revised = report.get("revised") or {}
    for c in revised.get("changes") or []:
        for measure in ("reported", "now"):
            yield {
                "section": "revised",
                "platform": c["platform"],
                "item": c["figure"],
                "measure": measure,
                "value": c[measure],
            }


def _campaign(report: dict[str, Any]) -> Iterator[Row]:
    for k in report["kpis"]:
        base = {
            "section": "kpi",
            "platform": k["platform"],
            "item": k["kpi"],
            "origin": k["origin"],
        }
        for measure in ("target", "actual", "attainment"):
            yield {**base, "measure": measure, "value": k[measure], "method": k.get("method") or ""}
        pacing = k.get("pacing") or {}
        for measure in ("expected_to_date", "projection", "on_track"):
            if measure in pacing:
                yield {**base, "measure": measure, "value": pacing[measure]}
    for p in report["platforms"]:
        for origin in ("organic", "paid", "total"):
            for measure, value in (p.get(origin) or {}).items():
                if isinstance(value, dict):
                    yield {
                        "section": "platform",
                        "platform": p["platform"],
                        "measure": measure,
                        "origin": origin,
                        "value": value.get("value"),
                        "method": value.get("method", ""),
                    }
                elif not isinstance(value, list):
                    yield {
                        "section": "platform",
                        "platform": p["platform"],
                        "measure": measure,
                        "origin": origin,
                        "value": value,
                    }
    for series in report.get("progress") or []:
        for day, value in zip(series["dates"], series["cumulative"], strict=True):
            yield {
                "section": "daily_cumulative",
                "platform": series["platform"],
                "item": day,
                "measure": series["kpi"],
                "origin": series["origin"],
                "value": value,
            }
    for post in report.get("top_content") or []:
        for measure in ("views", "published_at", "link", "caption"):
            yield {
                "section": "top_content",
                "platform": post["platform"],
                "item": post["id"],
                "measure": measure,
                "value": post[measure],
            }


def _partner(report: dict[str, Any]) -> Iterator[Row]:
    for post in report["content"]:
        for measure in ("views", "published_at", "link", "caption"):
            yield {
                "section": "content",
                "platform": post["platform"],
                "item": post["id"],
                "measure": measure,
                "value": post[measure],
            }
        if post.get("reach"):
            yield {
                "section": "content",
                "platform": post["platform"],
                "item": post["id"],
                "measure": "reach",
                "value": post["reach"]["value"],
                "method": post["reach"]["method"],
            }
    totals = report["totals"]
    for measure, value in totals.items():
        if isinstance(value, dict):
            if "value" in value:
                yield {
                    "section": "totals",
                    "measure": measure,
                    "value": value["value"],
                    "method": value.get("method", ""),
                }
        elif not isinstance(value, list):
            yield {"section": "totals", "measure": measure, "value": value}
    for c in report["campaigns"]:
        for measure in ("spend", "views_paid", "impressions"):
            yield {
                "section": "campaigns",
                "item": c["name"],
                "measure": measure,
                "value": c.get(measure),
            }
    for b in report["briefs"]:
        yield {
            "section": "briefs",
            "item": b["title"],
            "measure": "status",
            "value": b["status"],
            "method": b["deadline"],
        }
    for m in report.get("monthly") or []:
        yield {"section": "monthly", "item": m["month"], "measure": "views", "value": m["views"]}
