"""Validating a whole campaign, and reading, saving and removing it (one transaction)."""

from __future__ import annotations

import difflib
import json
from datetime import date

from sqlite_utils import Database

from core import registry
from core.errors import SocialError
from core.timeutil import to_utc_iso, utcnow
from db.lookup import find_id
from social.campaigns.model import (
    ALL,
    DEFAULT_CURRENCY,
    PAID_ONLY,
    CampaignSpec,
    FieldError,
    Member,
    Target,
)

# --- validating a whole campaign --------------------------------------------------------------


def validate(db: Database, spec: CampaignSpec, *, current_id: int | None = None) -> None:
    """Check what single fields cannot: the period, platforms, partner, slots, duplicates."""
    if spec.end < spec.start:
        raise FieldError(
            ("end",),
            f"the end {spec.end} is before the start {spec.start}; "
            "give an end on or after the start",
        )
    clash = next(
        (
            (cid, name)
            for cid, name in db.execute("SELECT id, name FROM campaigns")
            if name.casefold() == spec.name.casefold() and cid != current_id
        ),
        None,
    )
    if clash:
        raise FieldError(
            ("name",),
            f"a campaign named '{clash[1]}' already exists; pick another name or change it "
            f"with 'social campaign edit \"{clash[1]}\"'",
        )
    if spec.partner is not None and partner_id(db, spec.partner) is None:
        raise FieldError(
            ("partner",),
            f"unknown partner '{spec.partner}'; see 'social partner list' or add it with "
            "'social partner add'",
        )
    allowed = set(spec.platforms or registry.names())
    wanted = ", ".join(spec.platforms)
    seen_members: dict[tuple[str, str, str], Member] = {}
    for m in spec.members:
        if m.platform and m.platform not in allowed:
            raise FieldError(
                m.where or (m.kind + "s",),
                f"{m.kind.replace('_', ' ')} {m.text()} is on {m.platform}, but the campaign "
                f"runs on {wanted}; add {m.platform} to its platforms or drop the {m.kind.replace('_', ' ')}",
            )
        if m.key in seen_members:
            raise FieldError(m.where or (m.kind + "s",), f"{m.text()} is given twice")
        seen_members[m.key] = m
        # Only slots given now are checked: a slot deleted later must not block every edit.
        if m.kind == "slot" and m.where and not _slot_exists(db, m.value):
            raise FieldError(
                m.where or ("slots",),
                f"no calendar slot '{m.value}'; see 'social calendar list' for slot uids",
            )
    seen_targets: set[tuple[str, str, str]] = set()
    for t in spec.targets:
        where = t.where or ("targets",)
        if t.platform != ALL and t.platform not in allowed:
            raise FieldError(
                (*where, "platform"),
                f"target {t.scope_text()} is for {t.platform}, but the campaign runs on "
                f"{wanted}; add {t.platform} to its platforms or change the target",
            )
        if t.kpi in PAID_ONLY and t.origin == "organic":
            raise FieldError(
                (*where, "origin"),
                f"{t.kpi} has no organic value (it comes from ad spend); use {t.kpi}:paid "
                f"or {t.kpi}:total",
            )
        if t.scope in seen_targets:
            raise FieldError(where, f"target {t.scope_text()} is given twice; keep one")
        seen_targets.add(t.scope)


def partner_id(db: Database, name: str) -> int | None:
    found = find_id(db, "partners", name)
    return found[0] if found else None


def partner_name(db: Database, name: str | None) -> str | None:
    """The partner's name as stored (the user may type another letter case)."""
    if name is None:
        return None
    found = find_id(db, "partners", name)
    return found[1] if found else name


def _slot_exists(db: Database, value: str) -> bool:
    row = db.execute(
        "SELECT 1 FROM calendar_slots WHERE uid = ? OR CAST(id AS TEXT) = ?", [value, value]
    ).fetchone()
    return row is not None


# --- reading and writing ----------------------------------------------------------------------


def campaign_id(db: Database, name: str) -> int | None:
    found = find_id(db, "campaigns", " ".join(name.split()))
    return found[0] if found else None


def unknown_campaign(db: Database, name: str) -> SocialError:
    known = [r[0] for r in db.execute("SELECT name FROM campaigns ORDER BY name")]
    close = difflib.get_close_matches(name, known, n=1)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    listing = "; see 'social campaign list'" if known else "; create it with 'social campaign add'"
    return SocialError(f"unknown campaign '{name}'{hint}{listing}")


def load_campaign(db: Database, name: str) -> tuple[int, CampaignSpec]:
    """The campaign of that name (any letter case) with its members and targets."""
    cid = campaign_id(db, name)
    if cid is None:
        raise unknown_campaign(db, name)
    return cid, load_by_id(db, cid)


def load_by_id(db: Database, cid: int) -> CampaignSpec:
    row = db.execute(
        """SELECT c.name, c.start_date, c.end_date, c.platforms, p.name, c.budget, c.currency,
                  c.description
           FROM campaigns c LEFT JOIN partners p ON p.id = c.partner_id WHERE c.id = ?""",
        [cid],
    ).fetchone()
    try:
        stored = json.loads(row[3] or "[]")
    except json.JSONDecodeError:
        stored = []
    platforms = [p for p in registry.names() if p in stored]
    members = [
        Member(kind, value, platform or "")
        for kind, value, platform in db.execute(
            "SELECT kind, value, platform FROM campaign_members WHERE campaign_id = ? "
            "ORDER BY rowid",
            [cid],
        )
    ]
    targets = [
        Target(kpi, origin, platform, float(value))
        for kpi, origin, platform, value in db.execute(
            "SELECT kpi, origin, platform, target FROM kpi_targets WHERE campaign_id = ? "
            "ORDER BY id",
            [cid],
        )
    ]
    return CampaignSpec(
        name=row[0],
        start=date.fromisoformat(row[1]),
        end=date.fromisoformat(row[2]),
        platforms=platforms,
        partner=row[4],
        budget=float(row[5]) if row[5] is not None else None,
        currency=row[6] or DEFAULT_CURRENCY,
        description=row[7] or "",
        members=members,
        targets=targets,
    )


def list_campaigns(db: Database) -> list[CampaignSpec]:
    """Every campaign, newest start first."""
    ids = [int(r[0]) for r in db.execute("SELECT id FROM campaigns ORDER BY start_date DESC, name")]
    return [load_by_id(db, cid) for cid in ids]


def save(db: Database, spec: CampaignSpec, *, current_id: int | None = None) -> int:
    """Validate and write one campaign (insert, or replace the campaign with current_id)."""
    with db.atomic():
        return write_spec(db, spec, current_id)


def write_spec(db: Database, spec: CampaignSpec, current_id: int | None) -> int:
    validate(db, spec, current_id=current_id)
    now = to_utc_iso(utcnow())
    values = {
        "name": spec.name,
        "start_date": spec.start.isoformat(),
        "end_date": spec.end.isoformat(),
        "platforms": json.dumps([p for p in registry.names() if p in spec.platforms]),
        "partner_id": partner_id(db, spec.partner) if spec.partner else None,
        "budget": spec.budget,
        "currency": spec.currency,
        "description": spec.description,
        "updated_at": now,
    }
    if current_id is None:
        cursor = db.execute(
            f"INSERT INTO campaigns ({', '.join(values)}, created_at) "
            f"VALUES ({', '.join('?' * len(values))}, ?)",
            [*values.values(), now],
        )
        cid = int(cursor.lastrowid or 0)
    else:
        cid = current_id
        db.execute(
            f"UPDATE campaigns SET {', '.join(f'{k} = ?' for k in values)} WHERE id = ?",
            [*values.values(), cid],
        )
    db.execute("DELETE FROM campaign_members WHERE campaign_id = ?", [cid])
    db.execute("DELETE FROM kpi_targets WHERE campaign_id = ?", [cid])
    for m in spec.members:
        db.execute(
            "INSERT INTO campaign_members (campaign_id, kind, value, platform) VALUES (?, ?, ?, ?)",
            [cid, m.kind, m.value, m.platform],
        )
    for t in spec.targets:
        db.execute(
            "INSERT INTO kpi_targets (campaign_id, kpi, origin, platform, target) "
            "VALUES (?, ?, ?, ?, ?)",
            [cid, t.kpi, t.origin, t.platform, t.value],
        )
    return cid


def remove(db: Database, name: str) -> tuple[str, int, int]:
    """Delete a campaign with its members and targets; detach calendar slots and briefs.

    Returns (name, detached slots, detached briefs). Slots and briefs keep
    existing; they only stop pointing at an id a later campaign could reuse.
    """
    cid, spec = load_campaign(db, name)
    with db.atomic():
        slots = db.execute(
            "UPDATE calendar_slots SET campaign_id = NULL WHERE campaign_id = ?", [cid]
        ).rowcount
        briefs = db.execute(
            "UPDATE briefs SET campaign_id = NULL WHERE campaign_id = ?", [cid]
        ).rowcount
        db.execute("DELETE FROM campaigns WHERE id = ?", [cid])
    return spec.name, int(slots or 0), int(briefs or 0)
