"""Small inline SVG line charts for pages (no script, no styles: safe under the app's CSP).

Each chart carries role="img" with a label saying what it shows; pages put the
same numbers in a table next to it for screen readers and copying.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from markupsafe import Markup, escape

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 16, 36
COLOURS = ("#0b5394", "#b45309", "#047857", "#6d28d9")


@dataclass
class Line:
    """One series: a label and (moment, value) points in time order."""

    label: str
    points: Sequence[tuple[datetime, float]]
    dashed: bool = False


def _ticks(top: float, count: int = 4) -> list[float]:
    if top <= 0:
        return [0.0]
    raw = top / count
    magnitude = 10 ** (len(str(int(raw))) - 1) if raw >= 1 else 1
    step = max(magnitude, round(raw / magnitude) * magnitude)
    return [step * i for i in range(int(top // step) + 2)]


def line_chart(
    lines: Sequence[Line],
    *,
    label: str,
    number: Callable[[float], str],
    day: Callable[[datetime], str],
) -> Markup:
    """An SVG line chart of the series, with y ticks formatted by `number`, x by `day`."""
    points = [p for line in lines for p in line.points]
    if not points:
        return Markup("")
    xs = [p[0].timestamp() for p in points]
    x0, x1 = min(xs), max(xs)
    if x1 == x0:
        x1 = x0 + 86400
    ticks = _ticks(max(p[1] for p in points) or 1)
    top = ticks[-1] or 1
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def sx(t: datetime) -> float:
        return LEFT + (t.timestamp() - x0) / (x1 - x0) * plot_w

    def sy(v: float) -> float:
        return TOP + plot_h - v / top * plot_h

    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{escape(label)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(label)}</title>",
    ]
    for tick in ticks:
        y = sy(tick)
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#d0d7de"/>'
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" '
            f'fill="#1b1f24">{escape(number(tick))}</text>'
        )
    first, last = min(points)[0], max(points)[0]
    for moment, anchor in ((first, "start"), (last, "end")):
        parts.append(
            f'<text x="{sx(moment):.1f}" y="{HEIGHT - 10}" text-anchor="{anchor}" font-size="11" '
            f'fill="#1b1f24">{escape(day(moment))}</text>'
        )
    for i, line in enumerate(lines):
        colour = COLOURS[i % len(COLOURS)]
        path = " ".join(f"{sx(t):.1f},{sy(v):.1f}" for t, v in line.points)
        dash = ' stroke-dasharray="6 4"' if line.dashed else ""
        parts.append(
            f'<polyline fill="none" stroke="{colour}" stroke-width="2.5"{dash} points="{path}"/>'
        )
        parts.append(
            f'<text x="{WIDTH - RIGHT}" y="{TOP + 14 * (i + 1)}" text-anchor="end" font-size="12" '
            f'fill="{colour}">{escape(line.label)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))
