"""Briefs in the database: create, list, change status, and the context a template gets."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from briefs.partners import Partner, find_partner, get_partner
from briefs.render import RESERVED, get_template, render_brief
from briefs.tiers import fee_text, tier_label
from core import formats
from core.errors import SocialError
from core.timeutil import to_utc_iso, utcnow
from db.lookup import did_you_mean, find_id, normalise, row_number

STATUSES = ("draft", "sent", "content_received", "published")
STATUS_LABELS = {
    "draft": ("utkast", "draft"),
    "sent": ("sendt", "sent"),
    "content_received": ("innhold mottatt", "content received"),
    "published": ("publisert", "published"),
}
_VAR_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_HASHTAG_SPLIT = re.compile(r"[\s,]+")


@dataclass(frozen=True)
class Brief:
    """One brief as stored."""

    id: int
    partner_id: int
    partner: str
    template: str
    campaign_id: int | None
    campaign: str | None
    title: str
    deadline: str
    language: str
    status: str
    variables: dict[str, str]
    created_at: str
    updated_at: str

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def normalise_status(text: str) -> str:
    """'content-received' / 'content received' -> 'content_received', with a clear error."""
    value = re.sub(r"[\s-]+", "_", text.strip().lower())
    if value not in STATUSES:
        raise SocialError(
            f"unknown brief status {text!r}; use draft, sent, content-received or published"
        )
    return value


def status_label(status: str, lang: str = "nb") -> str:
    """A status as people say it ('innhold mottatt' / 'content received')."""
    nb, en = STATUS_LABELS[status]
    return nb if lang == "nb" else en


def parse_vars(pairs: tuple[str, ...] | list[str]) -> dict[str, str]:
    """--var key=value pairs as a dict; values are data, never template code."""
    out: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key = key.strip()
        if not sep or not _VAR_NAME.match(key):
            raise SocialError(
                f"--var {pair!r} is not key=value with a simple name; write it like --var role_model='Kari, lærling'"
            )
        if key in RESERVED:
            raise SocialError(
                f"--var {key} is set from the database and cannot be given; "
                f"reserved names: {', '.join(sorted(RESERVED))}"
            )
        out[key] = value
    return out


def find_campaign(db: Database, ref: str) -> dict[str, Any]:
    """A campaign by name (case-insensitive) or id, with its hashtags."""
    cols = "id, name, start_date, end_date, description, partner_id"
    ref = normalise(ref)
    found = find_id(db, "campaigns", ref)
    row_id = found[0] if found else row_number(ref)
    row = db.execute(f"SELECT {cols} FROM campaigns WHERE id = ?", [row_id]).fetchone()
    if row is None:
        names = [r[0] for r in db.execute("SELECT name FROM campaigns")]
        hint = did_you_mean(ref, names) or " (see 'social campaign list')"
        raise SocialError(f"no campaign named {ref!r}{hint}")
    campaign = dict(
        zip(("id", "name", "start_date", "end_date", "description", "partner_id"), row, strict=True)
    )
    campaign["hashtags"] = [
        "#" + str(r[0]).lstrip("#")
        for r in db.execute(
            "SELECT value FROM campaign_members WHERE campaign_id = ? AND kind = 'hashtag' "
            "ORDER BY value",
            [campaign["id"]],
        )
    ]
    return campaign


def _campaign_by_id(db: Database, campaign_id: int | None) -> dict[str, Any] | None:
    return None if campaign_id is None else find_campaign(db, str(campaign_id))


def _sender(db: Database) -> dict[str, Any] | None:
    """The communications lead who sends briefs (first active 'communications' team member)."""
    row = db.execute(
        "SELECT name, email FROM team_members WHERE role = 'communications' AND active = 1 "
        "ORDER BY id LIMIT 1"
    ).fetchone()
    return None if row is None else {"name": row[0], "email": row[1]}


def brief_context(
    db: Database,
    partner: Partner,
    campaign: dict[str, Any] | None,
    deadline: date,
    lang: str,
    variables: dict[str, str],
    title: str,
) -> dict[str, Any]:
    """Everything a brief template may use: database values plus the user's variables."""
    extra = [
        "#" + tag.lstrip("#")
        for tag in _HASHTAG_SPLIT.split(variables.get("extra_hashtags", ""))
        if tag.strip("#")
    ]
    hashtags = list(dict.fromkeys([*(campaign["hashtags"] if campaign else []), *extra]))
    context: dict[str, Any] = {
        **variables,
        "partner": {
            "name": partner.name,
            "contact_name": partner.contact_name or "",
            "contact_email": partner.contact_email or "",
            "region": partner.region,
            "industry": partner.industry,
            "tier": partner.tier,
            "tier_label": tier_label(partner.tier, lang),
            "fee": fee_text(partner.tier, lang),
        },
        "campaign": None,
        "deadline": _long_date(deadline, lang),
        "deadline_iso": deadline.isoformat(),
        "hashtags": hashtags,
        "language": lang,
        "sender": _sender(db),
        "title": title,
    }
    if campaign:
        start, end = (
            date.fromisoformat(campaign["start_date"]),
            date.fromisoformat(campaign["end_date"]),
        )
        context["campaign"] = {
            "name": campaign["name"],
            "start": formats.day(start, lang),
            "end": formats.day(end, lang),
            "period": f"{formats.day(start, lang)} – {formats.day(end, lang)}",
            "description": campaign["description"] or "",
            "hashtags": campaign["hashtags"],
        }
    return context


def _long_date(value: date, lang: str) -> str:
    """'fredag 20. mars 2026' / 'Friday 20 March 2026'."""
    from babel.dates import format_date

    pattern = "EEEE d. MMMM y" if lang == "nb" else "EEEE d MMMM y"
    return format_date(value, format=pattern, locale=formats.locale_of(lang))


def default_title(template_title: str, partner: Partner) -> str:
    return f"{template_title}: {partner.name}"


def create_brief(
    db: Database,
    *,
    partner_ref: str,
    template: str,
    deadline: date,
    campaign_ref: str | None = None,
    title: str | None = None,
    variables: dict[str, str] | None = None,
    fmt: str = "md",
    override: Path | None = None,
) -> tuple[Brief, str]:
    """Render a new brief and record it as a draft; the text is rendered before anything is stored."""
    partner = find_partner(db, partner_ref)
    assert partner is not None
    info = get_template(template, override)
    campaign = find_campaign(db, campaign_ref) if campaign_ref else None
    variables = dict(variables or {})
    title = " ".join((title or default_title(info.title, partner)).split())
    context = brief_context(db, partner, campaign, deadline, info.language, variables, title)
    text = render_brief(info.name, context, fmt=fmt, override=override)
    now = to_utc_iso(utcnow())
    row = {
        "partner_id": partner.id,
        "template": info.name,
        "campaign_id": campaign["id"] if campaign else None,
        "title": title,
        "deadline": deadline.isoformat(),
        "language": info.language,
        "status": "draft",
        "variables": json.dumps(variables, ensure_ascii=False, sort_keys=True),
        "created_at": now,
        "updated_at": now,
    }
    with db.atomic():
        cur = db.execute(
            f"INSERT INTO briefs ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
            list(row.values()),
        )
    return get_brief(db, int(cur.lastrowid or 0)), text


def render_stored(
    db: Database, brief: Brief, *, fmt: str = "md", override: Path | None = None
) -> str:
    """Render a stored brief again from its template, partner, campaign and variables."""
    partner = get_partner(db, brief.partner_id)
    campaign = _campaign_by_id(db, brief.campaign_id)
    context = brief_context(
        db,
        partner,
        campaign,
        date.fromisoformat(brief.deadline),
        brief.language,
        brief.variables,
        brief.title,
    )
    return render_brief(brief.template, context, fmt=fmt, override=override)


_SELECT = """SELECT b.id, b.partner_id, p.name, b.template, b.campaign_id, c.name, b.title,
    b.deadline, b.language, b.status, b.variables, b.created_at, b.updated_at
FROM briefs b JOIN partners p ON p.id = b.partner_id LEFT JOIN campaigns c ON c.id = b.campaign_id"""


def _brief(row: Any) -> Brief:
    try:
        variables = json.loads(row[10] or "{}")
    except json.JSONDecodeError:
        variables = {}
    return Brief(
        id=row[0],
        partner_id=row[1],
        partner=row[2],
        template=row[3],
        campaign_id=row[4],
        campaign=row[5],
        title=row[6],
        deadline=row[7],
        language=row[8],
        status=row[9],
        variables={str(k): str(v) for k, v in variables.items()},
        created_at=row[11],
        updated_at=row[12],
    )


def get_brief(db: Database, brief_id: int) -> Brief:
    """A brief by id."""
    row = db.execute(f"{_SELECT} WHERE b.id = ?", [brief_id]).fetchone()
    if row is None:
        raise SocialError(f"no brief with id {brief_id}; see 'social brief list'")
    return _brief(row)


def list_briefs(
    db: Database, *, status: str | None = None, partner: Partner | None = None
) -> list[Brief]:
    """Briefs by deadline, optionally of one status or partner."""
    where: list[str] = []
    params: list[Any] = []
    if status:
        where.append("b.status = ?")
        params.append(status)
    if partner:
        where.append("b.partner_id = ?")
        params.append(partner.id)
    sql = (
        _SELECT + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY b.deadline, b.id"
    )
    return [_brief(r) for r in db.execute(sql, params)]


def set_status(db: Database, brief_id: int, status: str) -> Brief:
    """Move a brief to another status (reminders read it, so it must stay current)."""
    status = normalise_status(status)
    get_brief(db, brief_id)
    with db.atomic():
        db.execute(
            "UPDATE briefs SET status = ?, updated_at = ? WHERE id = ?",
            [status, to_utc_iso(utcnow()), brief_id],
        )
    return get_brief(db, brief_id)
