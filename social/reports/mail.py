"""E-mail a report: HTML with its charts as inline cid: PNG images, and a plain-text alternative.

Delivery goes through `scheduler.channels.email.send_email`, so reports and
reminders share one SMTP set-up ([email] settings, SOCIAL_SMTP_PASSWORD).
"""

from __future__ import annotations

from datetime import date
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

from core import formats
from core.config import Config
from core.errors import ConfigError
from social.reports.i18n import t


def subject(report: dict[str, Any]) -> str:
    """The e-mail subject line in the report's language."""
    lang = report["lang"]
    if report["kind"] == "weekly":
        monday = date.fromisoformat(report["week"]["start"])
        sunday = date.fromisoformat(report["week"]["end"])
        return (
            f"{t(lang, 'weekly_title', week=formats.week(monday, lang))}: "
            f"{formats.day(monday, lang)} – {formats.day(sunday, lang)}"
        )
    if report["kind"] == "campaign":
        return t(lang, "campaign_title", name=report["campaign"]["name"])
    return t(lang, "partner_title", name=report["partner"]["name"], year=report["year"])


def build_message(
    report: dict[str, Any], *, sender: str, recipients: list[str], pdf: bytes | None = None
) -> EmailMessage:
    """multipart/alternative: text/plain (the Markdown report), then multipart/related HTML+PNGs;
    with a PDF, the whole is multipart/mixed with the PDF attached."""
    from social.reports.render import default_filename, render

    html = render(report, "html", email=True)
    text = render(report, "md").text
    message = EmailMessage()
    message["Subject"] = subject(report)
    message["From"] = sender
    message["To"] = ", ".join(recipients)
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="social.report")
    message.set_content(text)
    message.add_alternative(html.text, subtype="html")
    html_part = message.get_payload()[1]  # type: ignore[index]
    assert isinstance(html_part, EmailMessage)
    for cid, png in html.images.items():
        html_part.add_related(
            png, "image", "png", cid=f"<{cid}>", filename=f"{cid.split('@')[0]}.png"
        )
    if pdf is not None:
        message.add_attachment(
            pdf, maintype="application", subtype="pdf", filename=default_filename(report, "pdf")
        )
    return message


def check_sendable(config: Config, recipients: list[str]) -> str:
    """The sender address, or the one-line error that says what to set before anything is made."""
    if not recipients:
        raise ConfigError("no recipients; set [reports] recipients in social.toml")
    sender = str(config.get("email", "sender")) or str(config.get("email", "username"))
    if not config.get("email", "host"):
        raise ConfigError("e-mail is off; set [email] host (and sender) in social.toml")
    if not sender:
        raise ConfigError("no sender address; set [email] sender in social.toml")
    return sender


def send_report(
    config: Config,
    report: dict[str, Any],
    recipients: list[str],
    *,
    attach_pdf: bool | None = None,
) -> None:
    """E-mail a report to the recipients, with the PDF attached if asked ([reports] attach_pdf)."""
    sender = check_sendable(config, recipients)
    if attach_pdf is None:
        attach_pdf = bool(config.get("reports", "attach_pdf"))
    pdf = None
    if attach_pdf:
        from social.reports.render import render_pdf

        pdf = render_pdf(report)
    deliver(config, build_message(report, sender=sender, recipients=recipients, pdf=pdf))


def deliver(config: Config, message: EmailMessage) -> None:
    """Send through the same SMTP set-up reminders use."""
    from scheduler.channels.email import send_email

    send_email(config, message=message)
