"""Insights as a terminal table or a self-contained HTML page."""

from __future__ import annotations

from jinja2 import Environment, select_autoescape

from core import formats
from social.insights.analysis import theme_label
from social.insights.data import PostPerformance
from social.insights.report import LABELS, Insights
from social.insights.wording import interval, source_sentence

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
# Short verdicts for the table; the summary says what each rests on.
VERDICT = {
    "nb": {
        "better": "bedre enn vanlig",
        "worse": "svakere enn vanlig",
        "unclear": "ingen tydelig forskjell",
        "few": "for få innlegg",
    },
    "en": {
        "better": "better than usual",
        "worse": "worse than usual",
        "unclear": "no clear difference",
        "few": "too few posts",
    },
}


def _rows(result: Insights) -> list[list[str]]:
    lang = result.lang
    rows = []
    for g in result.groups:
        verdict = VERDICT[lang][g.verdict if g.ranked else "few"]
        rows.append(
            [
                g.key,
                str(g.posts),
                f"{formats.number(g.median_ratio, lang, 1)}x",
                f"{formats.number(g.typical_ratio, lang, 1)}x" if g.typical_ratio else "",
                interval(g, lang),
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


def post_line(p: PostPerformance, lang: str) -> str:
    """One outlier: how far from usual, when, its themes, its caption, where its views came from."""
    themes = ", ".join(theme_label(t, lang) for t in p.themes)
    line = (
        f"{formats.number(p.ratio, lang, 1)}x  {formats.day(p.published, lang)}"
        f"  ({themes})  {p.caption[:60]}"
    )
    source = source_sentence(p.platform, p.sources, lang)
    return f"{line}  [{source}]" if source else line


def render_table(result: Insights) -> str:
    """A plain-text table and the summary paragraph (data age first, when it matters)."""
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
    lines = []
    summary = result.summary
    if result.data_age:
        lines += [result.data_age, ""]
        summary = summary.removeprefix(result.data_age).lstrip()
    lines += [capture.get().rstrip(), "", summary]
    nb = result.lang == "nb"
    for title, posts in (
        (("Langt over vanlig nivå" if nb else "Far above the usual level"), result.top),
        (("Langt under vanlig nivå" if nb else "Far below the usual level"), result.bottom),
    ):
        if posts:
            lines += ["", title + ":"]
            lines += [f"  {post_line(p, result.lang)}" for p in posts]
    return "\n".join(lines)


_PAGE = """<!doctype html>
<html lang="{{ lang }}"><head><meta charset="utf-8"><title>{{ title }}</title>
<style>
body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;color:#1a1a1a}
table{border-collapse:collapse;width:100%}th,td{padding:.3rem .6rem;border-bottom:1px solid #ddd;text-align:left}
td.num{text-align:right}.better{color:#0a6b2d;font-weight:600}.worse{color:#a3261b;font-weight:600}
.age{background:#fff6e5;border-left:4px solid #8a5300;padding:.6rem 1rem;font-weight:600}
</style></head><body>
<h1>{{ title }}</h1>
{% if data_age %}<p class="age">{{ data_age }}</p>{% endif %}
<p>{{ summary }}</p>
<table><thead><tr>{% for h in head %}<th>{{ h }}</th>{% endfor %}</tr></thead><tbody>
{% for row, g in rows %}<tr class="{{ g.verdict if g.ranked else '' }}">{% for cell in row %}<td>{{ cell }}</td>{% endfor %}</tr>
{% endfor %}</tbody></table>
<h2>{{ top_title }}</h2><ul>{% for line in top %}<li>{{ line }}</li>{% endfor %}</ul>
<h2>{{ bottom_title }}</h2><ul>{% for line in bottom %}<li>{{ line }}</li>{% endfor %}</ul>
</body></html>"""


def render_html(result: Insights) -> str:
    """A self-contained HTML page; captions are escaped."""
    env = Environment(autoescape=select_autoescape(default=True))
    nb = result.lang == "nb"
    summary = result.summary.removeprefix(result.data_age).lstrip()
    return env.from_string(_PAGE).render(
        lang=result.lang,
        title="Hva fungerer?" if nb else "What works?",
        data_age=result.data_age,
        summary=summary,
        head=HEAD[result.lang],
        rows=list(zip(_rows(result), result.groups, strict=True)),
        top_title="Over vanlig nivå" if nb else "Above the usual level",
        top=[post_line(p, result.lang) for p in result.top],
        bottom_title="Under vanlig nivå" if nb else "Below the usual level",
        bottom=[post_line(p, result.lang) for p in result.bottom],
    )
