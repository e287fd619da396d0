"""`social report weekly|campaign|partner`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from social.cli.common import Workspace, pass_workspace

F = TypeVar("F", bound=Callable[..., Any])
FORMATS = ("html", "md", "json", "csv", "pdf")


def report_options(func: F) -> F:
    """--lang, --format, --out, --send and --attach-pdf, shared by every report."""
    func = click.option(
        "--attach-pdf/--no-attach-pdf",
        default=None,
        help="With --send: attach the report as a PDF (default: [reports] attach_pdf).",
    )(func)
    func = click.option(
        "--send",
        is_flag=True,
        help="Also e-mail the report (HTML with a text alternative) to [reports] recipients.",
    )(func)
    func = click.option(
        "--out",
        type=click.Path(dir_okay=False, writable=True),
        help="Write to this file instead of stdout (its suffix picks the format: .pdf is a PDF).",
    )(func)
    func = click.option(
        "--format",
        "fmt",
        type=click.Choice(FORMATS),
        help="Output format (default: from --out's suffix, else md). pdf needs --out.",
    )(func)
    func = click.option(
        "--lang", type=click.Choice(["nb", "en"]), help="Report language (default from config: nb)."
    )(func)
    return func


@click.group()
def report() -> None:
    """Weekly, campaign and partner reports (HTML, Markdown, JSON, CSV).

    Every report's figures are stored, so the next weekly report shows what
    changed since ("revised"). The JSON schema is documented in README.md.

    \b
    Example:
      social report weekly --out uke.html
      social report weekly --week 2025-W48 --format json
      social report campaign "Rollemodell 2025" --lang en --out rollemodell.html
      social report partner Equinor --year 2025 --format md
    """


def _format(fmt: str | None, out: str | None) -> str:
    if fmt:
        return fmt
    if out:
        suffix = Path(out).suffix.lower().lstrip(".")
        if suffix in ("htm", "html"):
            return "html"
        if suffix in ("md", "markdown", "txt"):
            return "md"
        if suffix == "pdf":
            return "pdf"
        if suffix in FORMATS:
            return suffix
    return "md"


def _check(
    ws: Workspace, fmt: str | None, out: str | None, send: bool, attach_pdf: bool | None = None
) -> str:
    """Every way the output can fail before anything is computed, printed or written."""
    from social.cli.common import refuse_own_files

    refuse_own_files(ws, out, "--out")
    fmt = _format(fmt, out)
    if fmt == "pdf" and not out:
        raise click.ClickException(
            "a PDF is a file; give it a name with --out, e.g. --out report.pdf"
        )
    pdf_mail = send and (
        attach_pdf if attach_pdf is not None else bool(ws.config.get("reports", "attach_pdf"))
    )
    if fmt == "pdf" or pdf_mail:
        from social.reports.pdf import find_chromium

        find_chromium()
    if out and not Path(out).parent.exists():
        raise click.ClickException(
            f"folder {Path(out).parent} does not exist; create it or choose another --out"
        )
    if send:
        from social.reports.mail import check_sendable

        check_sendable(ws.config, list(ws.config.get("reports", "recipients")))
    return fmt


def _emit(
    ws: Workspace,
    result: dict[str, Any],
    fmt: str,
    out: str | None,
    send: bool,
    attach_pdf: bool | None = None,
) -> None:
    from social.reports import mail
    from social.reports.render import render, render_pdf

    if out:
        path = Path(out)
        if fmt == "pdf":
            path.write_bytes(render_pdf(result))
        else:
            path.write_text(render(result, fmt).text, encoding="utf-8")
        from db.files import record_written  # a privacy deletion must reach this file

        record_written(ws.db, path, "report")
        click.echo(f"Wrote {path}", err=True)
    else:
        text = render(result, fmt).text
        click.echo(text, nl=not text.endswith("\n"))
    if send:
        recipients = list(ws.config.get("reports", "recipients"))
        mail.send_report(ws.config, result, recipients, attach_pdf=attach_pdf)
        click.echo(f"Sent to {len(recipients)} recipient(s)", err=True)


@report.command()
@click.option(
    "--week", metavar="YYYY-Www", help="ISO week, e.g. 2025-W48 (default: last complete week)."
)
@report_options
@pass_workspace
def weekly(
    ws: Workspace,
    week: str | None,
    lang: str | None,
    fmt: str | None,
    out: str | None,
    send: bool,
    attach_pdf: bool | None,
) -> None:
    """The week per platform and in total, against the week before.

    Followers, posts, views, reach (the platform's own weekly number, or a
    labelled sum), engagements, organic against sponsored, top posts,
    calendar adherence, data freshness, and figures of the week before that
    changed since they were reported. Weeks are ISO weeks in the configured
    time zone (Europe/Oslo by default).

    \b
    Example:
      social report weekly
      social report weekly --week 2025-W48 --lang en --out week48.html
      social report weekly --format json > week.json
      social report weekly --out uke48.pdf
      social report weekly --send --attach-pdf
    """
    from datetime import date

    from core import formats
    from core.errors import SocialError
    from core.timeutil import utcnow
    from social.reports.weekly import build_weekly

    chosen = _check(ws, fmt, out, send, attach_pdf)
    result = build_weekly(ws.db, ws.config, week=week, lang=lang, now=utcnow())
    empty = not result["has_data"]
    _emit(ws, result, chosen, out, send and not empty, attach_pdf)
    if empty:
        monday = date.fromisoformat(result["week"]["start"])
        raise SocialError(
            f"no data for {formats.week(monday, 'en')} ({result['week']['iso']}); "
            "run 'social sync' first" + (" (nothing was sent)" if send else "")
        )


@report.command()
@click.argument("name")
@report_options
@pass_workspace
def campaign(
    ws: Workspace,
    name: str,
    lang: str | None,
    fmt: str | None,
    out: str | None,
    send: bool,
    attach_pdf: bool | None,
) -> None:
    """A campaign against its KPI targets, with pacing while it runs.

    Per KPI: target, actual, attainment and (while running) whether it is on
    track and where it will end at the current rate; organic and sponsored per
    platform; spend, CPM, CPC and cost per 1,000 reached; a daily cumulative
    chart against the target line; top content; a short summary; definitions.

    \b
    Example:
      social report campaign "Rollemodell 2025"
      social report campaign "Rollemodell 2025" --lang en --out rollemodell.html --send
      social report campaign "Rollemodell 2025" --out rollemodell.pdf
    """
    from core.timeutil import utcnow
    from social.reports.campaign import build_campaign

    chosen = _check(ws, fmt, out, send, attach_pdf)
    result = build_campaign(ws.db, ws.config, name, lang=lang, now=utcnow())
    _emit(ws, result, chosen, out, send, attach_pdf)


@report.command()
@click.argument("name")
@click.option(
    "--year",
    type=click.IntRange(2000, 2100),
    help="Calendar year (default: this year).",
)
@report_options
@pass_workspace
def partner(
    ws: Workspace,
    name: str,
    year: int | None,
    lang: str | None,
    fmt: str | None,
    out: str | None,
    send: bool,
    attach_pdf: bool | None,
) -> None:
    """A partner's year: content made with or for it, its views and reach, spend, briefs.

    Written so a company can put it in its sustainability (ESG) report.

    \b
    Example:
      social report partner Equinor --year 2025 --out equinor-2025.pdf
      social report partner Equinor --format csv > equinor.csv
    """
    from core.timeutil import utcnow
    from social.reports.partner import build_partner

    chosen = _check(ws, fmt, out, send, attach_pdf)
    result = build_partner(ws.db, ws.config, name, year=year, lang=lang, now=utcnow())
    _emit(ws, result, chosen, out, send, attach_pdf)
