"""Insights as a terminal table or a self-contained HTML page."""

from __future__ import annotations

from jinja2 import Environment, select_autoescape

from social import formats
from social.insights.report import LABELS, Insights

HEAD = {
    "nb": (
        "Gruppe",
        "Innlegg",
        "Median",
        "Typisk",
        "95 % intervall",
        "Konklusjon",
        "Sett-tid",
        "Fullført",
    ),
    "en": (
        "Group",
        "Posts",
        "Median",
        "Typical",
        "95% interval",
        "Verdict",
        "Watch time",
        "Completed",
    ),
}
VERDICT = {
    "nb": {
        "better": "bedre enn vanlig",
        "worse": "svakere enn vanlig",
        "unclear": "uklart",
        "few": "for få innlegg",
    },
    "en": {
        "better": "better than usual",
        "worse": "worse than usual",
        "unclear": "unclear",
        "few": "too few posts",
    },
}


def _rows(result: Insights) -> list[list[str]]:
    lang = result.lang
    rows = []
    for g in result.groups:
        verdict = VERDICT[lang][g.verdict if g.ranked else "few"]
        interval = (
            f"{formats.number(g.ci_low, lang, 1)}–{formats.number(g.ci_high, lang, 1)}x"
            if g.ci_low is not None and g.ci_high is not None
            else ""
        )
        rows.append(
            [
                g.key,
                str(g.posts),
                f"{formats.number(g.median_ratio, lang, 1)}x",
                f"{formats.number(g.typical_ratio, lang, 1)}x" if g.typical_ratio else "",
                interval,
                verdict,
                f"{formats.number(g.median_watch_time_s, lang, 1)} s"
                if g.median_watch_time_s
                else "",
                formats.percent(g.median_completion_rate, lang, 0)
                if g.median_completion_rate
                else "",
            ]
        )
    return rows


def render_table(result: Insights) -> str:
    """A plain-text table and the summary paragraph."""
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{LABELS[result.by][0 if result.lang == 'nb' else 1].capitalize()}")
    for column in HEAD[result.lang]:
        table.add_column(column)
    for row in _rows(result):
        table.add_row(*row)
    console = Console(width=120, record=True)
    with console.capture() as capture:
        console.print(table)
    lines = [capture.get().rstrip(), "", result.summary]
    nb = result.lang == "nb"
    for title, posts in (
        (("Langt over vanlig nivå" if nb else "Far above the usual level"), result.top),
        (("Langt under vanlig nivå" if nb else "Far below the usual level"), result.bottom),
    ):
        if posts:
            lines += ["", title + ":"]
            lines += [
                f"  {formats.number(p.ratio, result.lang, 1)}x  {formats.day(p.published, result.lang)}"
                f"  [{', '.join(p.themes)}]  {p.caption[:60]}"
                for p in posts
            ]
    if result.approximated:
        lines.append(
            f"({result.approximated} innlegg ble først sett etter {result.age_days} dager; "
            "tallet deres er en øvre grense.)"
            if result.lang == "nb"
            else f"({result.approximated} posts were first seen after {result.age_days} days; "
            "their figure is an upper bound.)"
        )
    return "\n".join(lines)


_PAGE = """<!doctype html>
<html lang="{{ lang }}"><head><meta charset="utf-8"><title>{{ title }}</title>
<style>
body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;color:#1a1a1a}
table{border-collapse:collapse;width:100%}th,td{padding:.3rem .6rem;border-bottom:1px solid #ddd;text-align:left}
td.num{text-align:right}.better{color:#0a6b2d;font-weight:600}.worse{color:#a3261b;font-weight:600}
</style></head><body>
<h1>{{ title }}</h1><p>{{ summary }}</p>
<table><thead><tr>{% for h in head %}<th>{{ h }}</th>{% endfor %}</tr></thead><tbody>
{% for row, g in rows %}<tr class="{{ g.verdict if g.ranked else '' }}">{% for cell in row %}<td>{{ cell }}</td>{% endfor %}</tr>
{% endfor %}</tbody></table>
<h2>{{ top_title }}</h2><ul>{% for p in top %}<li>{{ "%.1f"|format(p.ratio) }}x · {{ p.themes|join(", ") }} · {{ p.caption }}</li>{% endfor %}</ul>
<h2>{{ bottom_title }}</h2><ul>{% for p in bottom %}<li>{{ "%.1f"|format(p.ratio) }}x · {{ p.themes|join(", ") }} · {{ p.caption }}</li>{% endfor %}</ul>
</body></html>"""


def render_html(result: Insights) -> str:
    """A self-contained HTML page; captions are escaped."""
    env = Environment(autoescape=select_autoescape(default=True))
    nb = result.lang == "nb"
    return env.from_string(_PAGE).render(
        lang=result.lang,
        title="Hva fungerer?" if nb else "What works?",
        summary=result.summary,
        head=HEAD[result.lang],
        rows=list(zip(_rows(result), result.groups, strict=True)),
        top_title="Over vanlig nivå" if nb else "Above the usual level",
        top=result.top,
    )
