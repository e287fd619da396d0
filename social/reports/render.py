"""Turn a report dict into HTML, Markdown, JSON or CSV.

HTML comes from Jinja2 templates with autoescaping on, so every caption,
name and link that came from a platform is escaped; Markdown escapes them
with backslashes and entities. Charts are inline SVG in files and cid: PNG
images in e-mail. No output refers to anything outside itself.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from core import formats
from social.reports.i18n import platform_name, t

TEMPLATE_PACKAGE = "social.reports"


def clean(value: Any) -> Any:
    """Plain JSON numbers: integral floats as ints, others rounded to 6 decimals."""
    if isinstance(value, dict):
        return {k: clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean(v) for v in value]
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return None
        if value.is_integer() and abs(value) < 2**53:
            return int(value)
        return round(value, 6)
    return value


@dataclass
class Rendered:
    """Rendered text and, for e-mail, the PNG images its HTML refers to by cid."""

    text: str
    images: dict[str, bytes] = field(default_factory=dict)


@cache
def _environment(kind: str) -> Any:
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(
        loader=PackageLoader(TEMPLATE_PACKAGE, "templates"),
        autoescape=kind == "html",
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = md_escape
    return env


# Backslash escapes (CommonMark) only where a character can start markup mid-line, plus the
# block markers a value could begin with: the Markdown stays readable as the e-mail's text.
_MD_INLINE = re.compile(r"([\\`*_\[\]|~<>&])")
_MD_LEADING = re.compile(r"^([#+=-])|^(\d+)([.)])")


def md_escape(value: Any) -> str:
    """Text safe inside Markdown (and the HTML a Markdown viewer may render): one line."""
    text = " ".join(("" if value is None else str(value)).split())
    text = _MD_INLINE.sub(r"\\\1", text)
    return _MD_LEADING.sub(lambda m: f"\\{m[1]}" if m[1] else f"{m[2]}\\{m[3]}", text)


def helpers(report: dict[str, Any]) -> dict[str, Any]:
    """Formatting functions templates use, bound to the report's language and zone."""
    lang = report["lang"]
    zone = ZoneInfo(report.get("timezone") or "Europe/Oslo")
    currency = report.get("currency") or "NOK"

    def num(value: float | None, decimals: int = 0) -> str:
        return formats.number(value, lang, decimals)

    def signed(value: float | None, decimals: int = 0) -> str:
        if value is None:
            return "–"
        text = formats.number(abs(value), lang, decimals)
        return ("+" if value > 0 else "−" if value < 0 else "±") + text

    def pct(value: float | None, decimals: int = 2) -> str:
        return formats.percent(value, lang, decimals)

    def money(value: float | None) -> str:
        return formats.money(value, currency, lang)

    def day(value: str | date | None) -> str:
        if value is None:
            return "–"
        return formats.day(date.fromisoformat(value) if isinstance(value, str) else value, lang)

    def week(value: str) -> str:
        return formats.week(date.fromisoformat(value), lang)

    def moment(value: str | None) -> str:
        if not value:
            return "–"
        return formats.moment(
            datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(zone), lang
        )

    def method(code: str | None) -> str:
        return t(lang, f"method_{code}") if code else ""

    def basis(code: str | None) -> str:
        """'post_snapshots:like_count+post_snapshots:share_count' -> one label, its metrics."""
        if not code:
            return ""
        grouped: dict[str, list[str]] = {}
        for part in code.split("+") if ":" in code else [code]:
            source, _, metric = part.partition(":")
            key = f"basis_{source}"
            label = t(lang, key) if key in _TEXT_KEYS else source
            grouped.setdefault(label, [])
            if metric:
                grouped[label].append(metric)
        return "; ".join(
            f"{label} ({', '.join(metrics)})" if metrics else label
            for label, metrics in grouped.items()
        )

    def period(start: str, end: str) -> str:
        return f"{day(start)} – {day(end)}"

    def safe_link(url: str | None) -> str:
        # Only web links: a platform could hand us a javascript: or data: URL.
        return url if url and url.lower().startswith(("https://", "http://")) else ""

    def tr(key: str, **fields: Any) -> str:
        return t(lang, key, **fields)

    def definition(key: str) -> str:
        from social.reports.definitions import text

        return text(key, lang)

    return {
        "t": tr,
        "num": num,
        "signed": signed,
        "pct": pct,
        "money": money,
        "day": day,
        "week": week,
        "moment": moment,
        "method": method,
        "basis": basis,
        "period": period,
        "pname": platform_name,
        "safe_link": safe_link,
        "definition": definition,
        "brief_statuses": {k for k in _TEXT_KEYS if k.startswith("brief_")},
        "figure_label": lambda path: figure_label(path, lang),
    }


def _text_keys() -> frozenset[str]:
    from social.reports.i18n import TEXTS

    return frozenset(TEXTS)


_TEXT_KEYS = _text_keys()

_FIGURE_PARTS = {
    "followers.end": "followers_end",
    "followers.change": "followers_change",
    "posts_published": "posts_published",
    "views.organic": "views_organic",
    "views.paid": "views_paid",
    "views.total": "views_total",
    "engagements.organic": "engagements",
    "engagements.paid": "engagements",
    "engagements.total": "engagements_total",
    "engagement_rate.organic": "engagement_rate",
    "engagement_rate.paid": "engagement_rate",
    "engagement_rate.total": "engagement_rate_total",
    "reach.organic.value": "reach",
    "reach.paid.value": "reach_paid",
    "reach.total.value": "reach",
    "reach_sum.content.value": "reach_content",
    "reach_sum.paid.value": "reach_paid",
    "paid.spend": "spend",
    "paid.impressions": "impressions",
    "paid.clicks": "clicks",
    "paid.link_clicks": "link_clicks",
    "paid.ctr": "ctr",
    "paid.cpm": "cpm",
    "paid.cpc": "cpc",
}


def figure_label(path: str, lang: str) -> str:
    """'tiktok.views.total' -> 'TikTok: Visninger, totalt'."""
    platform, _, rest = path.partition(".")
    key = _FIGURE_PARTS.get(rest)
    label = t(lang, key) if key else rest
    origin = rest.split(".")[1] if rest.count(".") >= 1 else ""
    if key in ("engagements", "engagement_rate", "reach") and origin in (
        "organic",
        "paid",
        "total",
    ):
        label = f"{label} ({t(lang, 'origin_' + origin)})"
    who = t(lang, "total") if platform == "total" else platform_name(platform)
    return f"{who}: {label}"


# --- charts ---------------------------------------------------------------------------------


def charts_for(report: dict[str, Any], mode: str) -> list[Any]:
    """Draw the report's charts ('svg' for files, 'png' for e-mail)."""
    from social.reports import charts

    lang = report["lang"]
    figures: list[tuple[str, str, Any]] = []
    kind = report["kind"]
    if kind == "weekly":
        figures.append(("views", t(lang, "views"), charts.weekly_views(report, lang)))
        figures.append(("adherence", t(lang, "section_adherence"), charts.adherence(report, lang)))
    elif kind == "campaign":
        start = date.fromisoformat(report["campaign"]["start"])
        end = date.fromisoformat(report["campaign"]["end"])
        for i, series in enumerate(report.get("progress") or []):
            figure = charts.cumulative(
                [date.fromisoformat(d) for d in series["dates"]],
                series["cumulative"],
                start,
                end,
                series["target"],
                series["title"],
                lang,
            )
            figures.append((f"progress{i}", series["title"], figure))
    elif kind == "partner":
        months = report.get("monthly") or []
        if any(m["views"] for m in months):
            title = t(lang, "section_monthly")
            figure = charts.monthly(
                [m["month"] for m in months], [m["views"] for m in months], title, lang
            )
            figures.append(("monthly", title, figure))
    return [
        charts.render(name, title, figure, mode)
        for name, title, figure in figures
        if figure is not None
    ]


# --- formats --------------------------------------------------------------------------------


def render(report: dict[str, Any], fmt: str, *, email: bool = False) -> Rendered:
    """The report in one format; email=True gives HTML with cid: PNG charts."""
    if fmt == "json":
        return Rendered(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    if fmt == "csv":
        return Rendered(to_csv(report))
    from markupsafe import Markup

    context: dict[str, Any] = {"r": report, "lang": report["lang"], **helpers(report)}
    images: dict[str, bytes] = {}
    if fmt == "html":
        drawn = charts_for(report, "png" if email else "svg")
        figures = []
        for chart in drawn:
            if email:
                cid = f"{chart.name}.{report['kind']}@social.report"
                images[cid] = chart.png
                markup = Markup('<img src="cid:{}" alt="{}" width="720">').format(cid, chart.title)
            else:
                markup = Markup(chart.svg)
            figures.append({"name": chart.name, "title": chart.title, "markup": markup})
        context["charts"] = {f["name"]: f for f in figures}
    template = _environment(fmt).get_template(f"{report['kind']}.{fmt}.j2")
    return Rendered(template.render(**context), images)


CSV_COLUMNS = ("section", "platform", "item", "measure", "origin", "value", "method")


def to_csv(report: dict[str, Any]) -> str:
    """One row per figure (tidy), whatever the report kind."""
    from core.csvfile import dicts_to_csv  # the one CSV writer: formula cells guarded
    from social.reports import tables

    return dicts_to_csv(tables.csv_rows(report), CSV_COLUMNS)


def render_pdf(report: dict[str, Any]) -> bytes:
    """The report's HTML printed to PDF by headless Chromium (A4, charts as vector graphics)."""
    from social.reports.pdf import html_to_pdf

    return html_to_pdf(render(report, "html").text)


SUFFIXES = {"html": ".html", "md": ".md", "json": ".json", "csv": ".csv", "pdf": ".pdf"}


# Norwegian letters spelt out so "Realfag høst" becomes "realfag-host", not "realfag-h-st".
_ASCII = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "é": "e", "ü": "u", "ö": "o", "ä": "a"})


def default_filename(report: dict[str, Any], fmt: str) -> str:
    """The report's file name: kind, an ASCII slug of its key, language and suffix."""
    key = str(report["key"]).lower().translate(_ASCII)
    slug = re.sub(r"[^a-z0-9]+", "-", key).strip("-") or "report"
    return f"{report['kind']}-{slug}.{report['lang']}{SUFFIXES[fmt]}"


def write_default(config: Any, report: dict[str, Any], fmt: str) -> Path:
    """Write a report under [reports] output_dir (relative to social.toml) and return the path."""
    folder = Path(config.base_dir) / str(config.get("reports", "output_dir"))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / default_filename(report, fmt)
    if fmt == "pdf":
        path.write_bytes(render_pdf(report))
    else:
        path.write_text(render(report, fmt).text, encoding="utf-8")
    return path
