"""Partner companies: add, find, list, edit and what is linked to them."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

from sqlite_utils import Database

from briefs.tiers import TIERS, fee_text, yearly_fee
from core.errors import SocialError
from core.timeutil import to_utc_iso, utcnow
from db.lookup import did_you_mean, find_id, normalise, row_number

FIELDS = ("tier", "contact_name", "contact_email", "region", "industry")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class Partner:
    """One partner company as stored."""

    id: int
    name: str
    tier: str
    contact_name: str | None
    contact_email: str | None
    region: str
    industry: str
    created_at: str

    @property
    def fee_nok(self) -> int:
        return yearly_fee(self.tier)

    def as_dict(self, lang: str = "nb") -> dict[str, Any]:
        """The stored fields plus the yearly fee (number and text)."""
        return {**asdict(self), "fee_nok": self.fee_nok, "fee": fee_text(self.tier, lang)}


def _row(row: Any) -> Partner:
    return Partner(
        id=row[0],
        name=row[1],
        tier=row[2],
        contact_name=row[3],
        contact_email=row[4],
        region=row[5],
        industry=row[6],
        created_at=row[7],
    )


_COLUMNS = "id, name, tier, contact_name, contact_email, region, industry, created_at"


def _clean_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise SocialError("the partner name is empty; give the company's name")
    return cleaned


def _check(values: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in values.items():
        if value is None:
            continue
        if key == "tier" and value not in TIERS:
            raise SocialError(f"unknown tier {value!r}; use one of {', '.join(TIERS)}")
        if key == "contact_email" and value and not _EMAIL.match(value):
            raise SocialError(f"{value!r} is not an e-mail address; write it like name@company.no")
        out[key] = value.strip() if isinstance(value, str) else value
    return out


def add_partner(db: Database, name: str, *, tier: str, **fields: Any) -> Partner:
    """Add a partner company; its name must be new."""
    name = _clean_name(name)
    values = _check({"tier": tier, **{k: fields.get(k) for k in FIELDS if k != "tier"}})
    existing = find_partner(db, name, required=False)
    if existing is not None:
        raise SocialError(
            f"a partner named {existing.name!r} already exists; "
            f"change it with 'social partner edit \"{existing.name}\"'"
        )
    row = {
        "name": name,
        "region": "",
        "industry": "",
        **values,
        "created_at": to_utc_iso(utcnow()),
    }
    with db.atomic():
        cur = db.execute(
            f"INSERT INTO partners ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
            list(row.values()),
        )
    return get_partner(db, int(cur.lastrowid or 0))


def get_partner(db: Database, partner_id: int) -> Partner:
    """A partner by id."""
    row = db.execute(f"SELECT {_COLUMNS} FROM partners WHERE id = ?", [partner_id]).fetchone()
    if row is None:
        raise SocialError(f"no partner with id {partner_id}; see 'social partner list'")
    return _row(row)


def find_partner(db: Database, ref: str, *, required: bool = True) -> Partner | None:
    """A partner by name (case-insensitive) or id; a clear error (with a suggestion) if none."""
    ref = normalise(ref)
    found = find_id(db, "partners", ref)
    row_id = found[0] if found else row_number(ref)
    row = db.execute(f"SELECT {_COLUMNS} FROM partners WHERE id = ?", [row_id]).fetchone()
    if row is not None:
        return _row(row)
    if not required:
        return None
    names = [r[0] for r in db.execute("SELECT name FROM partners")]
    hint = (
        did_you_mean(ref, names)
        or " (see 'social partner list' or add it with 'social partner add')"
    )
    raise SocialError(f"no partner named {ref!r}{hint}")


def list_partners(db: Database) -> list[Partner]:
    """All partners by name."""
    return [
        _row(r) for r in db.execute(f"SELECT {_COLUMNS} FROM partners ORDER BY name COLLATE NOCASE")
    ]


def edit_partner(db: Database, ref: str, *, rename: str | None = None, **fields: Any) -> Partner:
    """Change a partner's name or fields; unchanged fields keep their value."""
    partner = find_partner(db, ref)
    assert partner is not None
    values = _check({k: fields.get(k) for k in FIELDS})
    if rename is not None:
        new_name = _clean_name(rename)
        clash = find_partner(db, new_name, required=False)
        if clash is not None and clash.id != partner.id:
            raise SocialError(f"a partner named {clash.name!r} already exists; pick another name")
        values["name"] = new_name
    if not values:
        raise SocialError(
            "nothing to change; give --rename, --tier, --employees, --contact-name, "
            "--contact-email, --region or --industry"
        )
    sets = ", ".join(f"{k} = ?" for k in values)
    with db.atomic():
        db.execute(f"UPDATE partners SET {sets} WHERE id = ?", [*values.values(), partner.id])
    return get_partner(db, partner.id)


def partner_links(db: Database, partner_id: int) -> dict[str, Any]:
    """Briefs, campaigns and calendar content linked to a partner."""
    briefs = [
        dict(zip(("id", "title", "template", "deadline", "status"), r, strict=True))
        for r in db.execute(
            "SELECT id, title, template, deadline, status FROM briefs "
            "WHERE partner_id = ? ORDER BY deadline, id",
            [partner_id],
        )
    ]
    campaigns = [
        dict(zip(("id", "name", "start_date", "end_date"), r, strict=True))
        for r in db.execute(
            "SELECT id, name, start_date, end_date FROM campaigns "
            "WHERE partner_id = ? ORDER BY start_date, id",
            [partner_id],
        )
    ]
    counts = dict(
        db.execute(
            "SELECT status, COUNT(*) FROM calendar_slots WHERE partner_id = ? GROUP BY status",
            [partner_id],
        ).fetchall()
    )
    return {
        "briefs": briefs,
        "campaigns": campaigns,
        "content": {
            "planned": sum(v for k, v in counts.items() if k not in ("published", "skipped")),
            "published": counts.get("published", 0),
            "total": sum(counts.values()),
        },
    }
