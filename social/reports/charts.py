"""Charts for reports, drawn with matplotlib (Agg, no pyplot state) as inline SVG or PNG.

matplotlib is imported inside the functions so `social --help` and the JSON
reports never pay for it. SVG keeps its text as text (searchable, prints
sharply) and carries no external references; PNG is for e-mail (cid: images),
since many mail programs do not show inline SVG.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from core import formats
from social.reports.i18n import platform_name, t

if TYPE_CHECKING:
    from matplotlib.figure import Figure

COLOURS = {
    "organic": "#1f5f8b",
    "paid": "#e07b39",
    "unsplit": "#7a8b99",
    "target": "#a3261b",
    "planned": "#c9d6df",
    "published": "#1f5f8b",
}


@dataclass
class Chart:
    """A drawn chart: its name (also the cid of its PNG), title, and one rendering."""

    name: str
    title: str
    svg: str = ""
    png: bytes = b""


def _new_figure(width: float = 7.5, height: float = 3.4) -> Figure:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), layout="constrained")
    return fig


def _style(ax: Any) -> None:
    ax.spines["top"].set_visible(False)
    ax.spines["right"].set_visible(False)
    ax.grid(axis="y", color="#e5e5e5", linewidth=0.8)
    ax.set_axisbelow(True)


def _number_axis(ax: Any, lang: str, axis: str = "y") -> None:
    from matplotlib.ticker import FuncFormatter

    formatter = FuncFormatter(lambda value, _pos: formats.compact(value, lang))
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(formatter)


def render(name: str, title: str, fig: Figure, mode: str) -> Chart:
    """Keep a drawn chart as SVG markup ('svg') or PNG bytes ('png')."""
    import matplotlib

    chart = Chart(name, title)
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": name}):
        buffer = io.BytesIO()
        if mode == "png":
            fig.savefig(buffer, format="png", dpi=144)
            chart.png = buffer.getvalue()
        else:
            fig.savefig(buffer, format="svg", metadata={"Date": None})
            chart.svg = _inline_svg(buffer.getvalue().decode("utf-8"), title)
    return chart


def _inline_svg(text: str, title: str) -> str:
    """SVG markup for inlining in HTML: no XML prolog or DOCTYPE, scalable, with a role."""
    start = text.index("<svg")
    svg = text[start:]
    svg = re.sub(r'<svg([^>]*?) width="[^"]+" height="[^"]+"', r"<svg\1", svg, count=1)
    from markupsafe import escape

    return svg.replace("<svg", f'<svg role="img" aria-label="{escape(title)}" class="chart"', 1)


# --- the charts -----------------------------------------------------------------------------


def weekly_views(report: dict[str, Any], lang: str) -> Figure | None:
    """Views per platform, the week before against this week, organic and sponsored stacked."""
    rows = []
    for p in report["platforms"]:
        for label, source in (
            (t(lang, "previous_week"), (p.get("week_on_week") or {}).get("previous") or {}),
            (t(lang, "this_week"), None),
        ):
            if source is None:
                organic, paid, total = (p["views"].get(k) for k in ("organic", "paid", "total"))
            else:
                organic = source.get("views_organic")
                paid = source.get("views_paid")
                total = source.get("views_total")
            rows.append((platform_name(p["platform"]), label, organic, paid, total))
    if not any(r[4] for r in rows):
        return None
    fig = _new_figure()
    ax: Any = fig.add_subplot()
    _style(ax)
    xs: list[float] = []
    labels = []
    for i, (platform, label, organic, paid, total) in enumerate(rows):
        x = i // 2 * 2.6 + i % 2 * 1.05
        xs.append(x)
        labels.append(f"{platform}\n{label}")
        if organic is not None:
            ax.bar(x, organic, color=COLOURS["organic"], width=0.95)
            ax.bar(x, paid or 0, bottom=organic, color=COLOURS["paid"], width=0.95)
        elif total is not None:
            ax.bar(x, total, color=COLOURS["unsplit"], width=0.95)
    ax.set_xticks(xs, labels, fontsize=8)
    _number_axis(ax, lang)
    from matplotlib.patches import Patch

    ax.legend(
        handles=[
            Patch(color=COLOURS["organic"], label=t(lang, "organic")),
            Patch(color=COLOURS["paid"], label=t(lang, "paid")),
            Patch(color=COLOURS["unsplit"], label=t(lang, "total")),
        ],
        frameon=False,
        fontsize=8,
        loc="upper right",
    )
    ax.set_title(t(lang, "views"), fontsize=10, loc="left")
    return fig


def adherence(report: dict[str, Any], lang: str) -> Figure | None:
    """Planned and published calendar slots per person."""
    members = report["adherence"]["members"]
    if not members:
        return None
    names = [m["member"] or t(lang, "no_owner") for m in members]
    fig = _new_figure(7.5, 0.5 + 0.45 * len(members))
    ax: Any = fig.add_subplot()
    _style(ax)
    ax.grid(axis="x", color="#e5e5e5", linewidth=0.8)
    ys = list(range(len(members)))
    ax.barh(ys, [m["planned"] for m in members], color=COLOURS["planned"], label=t(lang, "planned"))
    ax.barh(
        ys,
        [m["published"] for m in members],
        height=0.45,
        color=COLOURS["published"],
        label=t(lang, "published_slots"),
    )
    ax.set_yticks(ys, names, fontsize=8)
    ax.invert_yaxis()
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.legend(frameon=False, fontsize=8, loc="lower right")
    return fig


def cumulative(
    days: Sequence[date],
    values: Sequence[float | None],
    start: date,
    end: date,
    target: float,
    title: str,
    lang: str,
) -> Figure:
    """Cumulative actual per day against a straight target line from 0 to the target."""
    import matplotlib.dates as mdates

    fig = _new_figure(7.5, 3.0)
    ax: Any = fig.add_subplot()
    _style(ax)
    ax.plot(
        [start, end],
        [0, target],
        linestyle="--",
        color=COLOURS["target"],
        label=t(lang, "target_line"),
    )
    points = [(d, v) for d, v in zip(days, values, strict=True) if v is not None]
    if points:
        ax.plot(
            [d for d, _ in points],
            [v for _, v in points],
            color=COLOURS["organic"],
            linewidth=2,
            marker="o" if len(points) < 3 else None,
            label=t(lang, "cumulative"),
        )
    ax.set_xlim(start, end)
    ax.set_ylim(bottom=0)
    from matplotlib.ticker import FuncFormatter

    ax.xaxis.set_major_formatter(
        FuncFormatter(
            lambda value, _pos: formats.day(mdates.num2date(value).date(), lang).rsplit(" ", 1)[0]
        )
    )
    ax.xaxis.set_major_locator(mdates.AutoDateLocator(maxticks=8))
    _number_axis(ax, lang)
    ax.set_title(title, fontsize=10, loc="left")
    ax.legend(frameon=False, fontsize=8, loc="upper left")
    return fig


def monthly(months: Sequence[str], values: Sequence[float | None], title: str, lang: str) -> Figure:
    """Bars per month."""
    fig = _new_figure(7.5, 2.8)
    ax: Any = fig.add_subplot()
    _style(ax)
    # The year is in the title; a month's short name is enough under each bar.
    labels = [formats.day(date.fromisoformat(f"{m}-01"), lang).split(" ")[1] for m in months]
    ax.bar(range(len(months)), [v or 0 for v in values], color=COLOURS["organic"])
    ax.set_xticks(range(len(months)), labels, fontsize=8, rotation=0)
    _number_axis(ax, lang)
    ax.set_title(title, fontsize=10, loc="left")
    return fig
