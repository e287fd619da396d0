"""What reminders say, in Norwegian (default) or English.

Texts are plain (e-mail bodies, Slack and Teams messages); each ends with the
command that acts on it, so a student can fix things from the message alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from core import formats, registry
from scheduler.calendar import STATUS_LABELS, Slot

TEXT = {
    "nb": {
        "before_subject": "Påminnelse: «{title}» om {hours}",
        "before_body": "{platform}-innlegget «{title}» er planlagt {when}.",
        "overdue_subject": "Ikke publisert ennå: «{title}»",
        "overdue_body": (
            "{platform}-innlegget «{title}» var planlagt {when}, men er ikke publisert.\n"
            'Flytt det med: social calendar move {id} --to "ÅÅÅÅ-MM-DD TT:MM"\n'
            "eller dropp det med: social calendar edit {id} --status skipped"
        ),
        "digest_subject": "Din {week}: {count} {planned}",
        "planned_one": "planlagt innlegg",
        "planned_many": "planlagte innlegg",
        "digest_body": "Hei {name}! Dette har du i kalenderen i {week}:",
        "brief_subject": "Brief til {partner}: frist {deadline}",
        "brief_body": (
            "Briefen «{title}» til {partner} har frist {deadline} og står som «{status}».\n"
            "Når innholdet er kommet: social brief status {id} content-received"
        ),
        "status": "Status",
        "tags": "Tema",
        "notes": "Notater",
        "consent": "OBS, samtykke: {problems}. Ikke publiser før dette er på plass "
        "(social team person consent).",
        "hours": "{n} timer",
        "hour": "1 time",
        "footer": "Hilsen social · kalenderen: social calendar list",
        "token_subject": "Tilgangen til {platform} må fornyes",
        "token_body": (
            "Tilgangen til {platform} {when}. Forny den med: social auth {command}\n"
            "Uten ny tilgang stopper innhentingen av tall."
        ),
        "expired": "er utløpt",
        "expires": "utløper om {days}",
        "consent_subject": "Samtykket til {name} utløper {date}",
        "consent_body": (
            "Samtykket til {name} for {channels} utløper {date}. Be om et nytt, skriftlig "
            "samtykke (foresatte for barn under {age} år) og registrer det med:\n"
            'social team person consent "{name}" --channel all --consent-date ÅÅÅÅ-MM-DD'
        ),
        "takedown_subject": "Ta ned innhold: samtykke trukket for {channel}",
        "takedown_body": (
            "{name} har trukket samtykket for {channel}. Ta ned «{title}» ({where}) fra "
            "{channel}.\nNår det er gjort: social team person takedown-done {id}"
        ),
    },
    "en": {
        "before_subject": "Reminder: “{title}” in {hours}",
        "before_body": "The {platform} post “{title}” is planned for {when}.",
        "overdue_subject": "Not published yet: “{title}”",
        "overdue_body": (
            "The {platform} post “{title}” was planned for {when} but is not published.\n"
            'Move it with: social calendar move {id} --to "YYYY-MM-DD HH:MM"\n'
            "or drop it with: social calendar edit {id} --status skipped"
        ),
        "digest_subject": "Your {week}: {count} {planned}",
        "planned_one": "planned post",
        "planned_many": "planned posts",
        "digest_body": "Hi {name}! This is in the calendar for you in {week}:",
        "brief_subject": "Brief for {partner}: due {deadline}",
        "brief_body": (
            "The brief “{title}” for {partner} is due {deadline} and is “{status}”.\n"
            "When the content has arrived: social brief status {id} content-received"
        ),
        "status": "Status",
        "tags": "Themes",
        "notes": "Notes",
        "consent": "Consent: {problems}. Do not publish until this is in place "
        "(social team person consent).",
        "hours": "{n} hours",
        "hour": "1 hour",
        "footer": "From social · the calendar: social calendar list",
        "token_subject": "Renew the {platform} access",
        "token_body": (
            "The {platform} access {when}. Renew it with: social auth {command}\n"
            "Without it, collecting figures stops."
        ),
        "expired": "has expired",
        "expires": "expires in {days}",
        "consent_subject": "Consent of {name} expires {date}",
        "consent_body": (
            "The consent of {name} for {channels} expires {date}. Ask for a new written "
            "consent (a guardian's for children under {age}) and record it with:\n"
            'social team person consent "{name}" --channel all --consent-date YYYY-MM-DD'
        ),
        "takedown_subject": "Take content down: consent withdrawn for {channel}",
        "takedown_body": (
            "{name} has withdrawn their consent for {channel}. Take “{title}” ({where}) off "
            "{channel}.\nWhen done: social team person takedown-done {id}"
        ),
    },
}


@dataclass(frozen=True)
class Text:
    """A subject line and a plain-text body."""

    subject: str
    body: str


def _t(lang: str) -> dict[str, str]:
    return TEXT[lang if lang in TEXT else "nb"]


def hours_text(hours: float, lang: str) -> str:
    """'2 timer' / '1 hour' / '1,5 timer'."""
    t = _t(lang)
    if hours == 1:
        return t["hour"]
    return t["hours"].format(n=formats.number(hours, lang, 0 if hours == int(hours) else 1))


def _slot_details(slot: Slot, lang: str) -> list[str]:
    t = _t(lang)
    lines = [f"{t['status']}: {STATUS_LABELS[lang if lang in TEXT else 'nb'][slot.status]}"]
    if slot.tags:
        lines.append(f"{t['tags']}: {', '.join(slot.tags)}")
    if slot.notes:
        lines.append(f"{t['notes']}: {slot.notes}")
    problems = slot.consent_warnings(lang)
    if problems:
        lines.append(t["consent"].format(problems="; ".join(problems)))
    return lines


def _fields(slot: Slot, zone: str, lang: str) -> dict[str, object]:
    return {
        "title": slot.title,
        "platform": registry.display_name(slot.platform),
        "when": formats.moment(slot.local(zone), lang),
        "id": slot.id,
    }


def before(slot: Slot, hours: float, zone: str, lang: str) -> Text:
    """N hours before a slot."""
    t = _t(lang)
    fields = _fields(slot, zone, lang)
    body = [t["before_body"].format(**fields), *_slot_details(slot, lang), "", t["footer"]]
    return Text(
        t["before_subject"].format(hours=hours_text(hours, lang), **fields), "\n".join(body)
    )


def overdue(slot: Slot, zone: str, lang: str) -> Text:
    """A slot that has passed without a published post."""
    t = _t(lang)
    fields = _fields(slot, zone, lang)
    body = [t["overdue_body"].format(**fields), *_slot_details(slot, lang), "", t["footer"]]
    return Text(t["overdue_subject"].format(**fields), "\n".join(body))


def digest(name: str, monday: date, slots: Sequence[Slot], zone: str, lang: str) -> Text:
    """A person's coming week."""
    t = _t(lang)
    week = formats.week(monday, lang)
    lines = [t["digest_body"].format(name=name, week=week), ""]
    for slot in slots:
        fields = _fields(slot, zone, lang)
        flag = " ⚠" if slot.consent_warnings(lang) else ""
        lines.append(f"• {fields['when']}: {fields['platform']}, {slot.title}{flag}")
        lines.extend(f"    {detail}" for detail in _slot_details(slot, lang)[1:])
    lines += ["", t["footer"]]
    planned = t["planned_one"] if len(slots) == 1 else t["planned_many"]
    subject = t["digest_subject"].format(week=week, count=len(slots), planned=planned)
    return Text(subject, "\n".join(lines))


def brief_deadline(
    brief_id: int, title: str, partner: str, deadline: date, status: str, lang: str
) -> Text:
    """A partner brief's deadline is near."""
    from briefs.store import status_label

    t = _t(lang)
    fields = {
        "id": brief_id,
        "title": title,
        "partner": partner,
        "deadline": formats.day(deadline, lang),
        "status": status_label(status, lang),
    }
    return Text(t["brief_subject"].format(**fields), t["brief_body"].format(**fields))


def consent_expiry(
    name: str, channels: Sequence[str], expires: date, guardian_age: int, lang: str
) -> Text:
    """A person's consent runs out soon: ask for a new one."""
    from scheduler.consent import CHANNEL_NAMES

    t = _t(lang)
    fields = {
        "name": name,
        "channels": ", ".join(CHANNEL_NAMES[c] for c in channels),
        "date": formats.day(expires, lang),
        "age": guardian_age,
    }
    return Text(t["consent_subject"].format(**fields), t["consent_body"].format(**fields))


def takedown(
    task_id: int, name: str | None, channel: str, title: str | None, post: str | None, lang: str
) -> Text:
    """Consent was withdrawn for published content: take it down."""
    from scheduler.consent import CHANNEL_NAMES

    t = _t(lang)
    where = f"post {post}" if post else ("innlegget" if lang == "nb" else "the post")
    fields = {
        "id": task_id,
        "name": name or ("En person" if lang == "nb" else "Someone"),
        "channel": CHANNEL_NAMES.get(channel, channel),
        "title": title or "?",
        "where": where,
    }
    return Text(t["takedown_subject"].format(**fields), t["takedown_body"].format(**fields))


def token_expiry(platform: str, days_left: float, lang: str) -> Text:
    """A platform token runs out soon, with the command that renews it."""
    t = _t(lang)
    name = registry.display_name(platform)
    days = max(1, round(days_left))
    span = f"{days} {'dag' if days == 1 else 'dager'}" if lang == "nb" else f"{days} day(s)"
    when = t["expired"] if days_left <= 0 else t["expires"].format(days=span)
    return Text(
        t["token_subject"].format(platform=name),
        t["token_body"].format(platform=name, when=when, command=platform),
    )
