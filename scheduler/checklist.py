"""The publishing checklist of a calendar slot: what a Norwegian public body needs before posting.

Built-in items: captions in the video (teksting), consent on record for everyone
in it (checked from the consent records, never ticked by hand), and for partner
content the advertising label (markedsføringsloven § 3) and, on a platform that
has one (`Platform.partner_setting`), its own partner-content setting. The list
comes from `[web] checklist`; any other text
there is a custom item ticked by hand. Ticks are stored per slot in
`slot_checks` with who ticked them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final

from sqlite_utils import Database

from core import registry
from core.errors import SocialError
from core.timeutil import to_utc_iso, utcnow
from db import planning
from scheduler.calendar import Slot

CAPTIONS: Final = "captions"
CONSENT: Final = "consent"
AD_LABEL: Final = "ad_label"
BRANDED: Final = "branded_content"
DEFAULT_ITEMS: Final = (CAPTIONS, CONSENT, AD_LABEL, BRANDED)
MAX_CUSTOM: Final = 120

LABELS: Final = {
    "nb": {
        CAPTIONS: "Videoen har teksting (undertekster)",
        CONSENT: "Alle i videoen har samtykke registrert",
        AD_LABEL: "Innholdet er merket som reklame (markedsføringsloven § 3)",
        BRANDED: "Plattformens innstilling for partnerinnhold er slått på",
    },
    "en": {
        CAPTIONS: "The video has captions (subtitles)",
        CONSENT: "Everyone in the video has consent on record",
        AD_LABEL: "The content is labelled as advertising (Marketing Control Act § 3)",
        BRANDED: "The platform's setting for partner content is switched on",
    },
}
HELP: Final = {
    "nb": {
        CAPTIONS: "Offentlige organer skal tekste video (universell utforming).",
        CONSENT: "Sjekkes mot samtykkeregisteret; registrer samtykke under Team.",
        AD_LABEL: "Gjelder innhold laget med eller for en partner.",
        BRANDED: "Gjelder partnerinnhold der plattformen har en slik innstilling.",
    },
    "en": {
        CAPTIONS: "Public bodies must caption video (universal design).",
        CONSENT: "Checked against the consent records; record consent under Team.",
        AD_LABEL: "Applies to content made with or for a partner.",
        BRANDED: "Applies to partner content where the platform has such a setting.",
    },
}


@dataclass
class CheckItem:
    """One checklist item for one slot."""

    key: str
    label: str
    help: str
    automatic: bool
    done: bool
    details: list[str] = field(default_factory=list)
    checked_by: str | None = None
    checked_at: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "automatic": self.automatic,
            "done": self.done,
            "details": self.details,
            "checked_by": self.checked_by,
            "checked_at": self.checked_at,
        }


def configured_items(value: Sequence[Any] | None) -> list[str]:
    """The checklist's item keys from `[web] checklist` (built-in keys or custom texts)."""
    items: list[str] = []
    for raw in value if value is not None else DEFAULT_ITEMS:
        text = " ".join(str(raw).split())[:MAX_CUSTOM]
        if text and text not in items:
            items.append(text)
    return items


def is_partner_content(db: Database, slot: Slot) -> bool:
    """Made with or for a partner: the slot names one, or its campaign has one."""
    if slot.partner:
        return True
    if not slot.campaign:
        return False
    return planning.campaign_has_partner(db, slot.campaign)


def consent_problems(slot: Slot, lang: str) -> list[str]:
    """'Name: what is missing' for each person in the video whose consent is not complete."""
    return slot.consent_warnings(lang)


def partner_setting(platform: str, lang: str) -> tuple[str, str] | None:
    """(label, help) of the platform's own setting for partner content, or None."""
    if platform not in registry.names():
        return None
    setting = registry.platform(platform).partner_setting
    return setting.get(lang) or setting.get("en")


def _applies(key: str, slot: Slot, partner: bool) -> bool:
    if key == AD_LABEL:
        return partner
    if key == BRANDED:
        return partner and partner_setting(slot.platform, "en") is not None
    if key == CONSENT:
        return bool(slot.appearances)
    return True


def checklist(db: Database, slot: Slot, items: Sequence[str], lang: str) -> list[CheckItem]:
    """The items that apply to this slot, each with whether it is done."""
    partner = is_partner_content(db, slot)
    ticks = {
        item: (who, at)
        for item, who, at in db.execute(
            "SELECT c.item, m.name, c.checked_at FROM slot_checks c "
            "LEFT JOIN team_members m ON m.id = c.checked_by WHERE c.slot_id = ?",
            [slot.id],
        )
    }
    labels, helps = LABELS.get(lang, LABELS["en"]), HELP.get(lang, HELP["en"])
    out: list[CheckItem] = []
    for key in items:
        if not _applies(key, slot, partner):
            continue
        if key == CONSENT:
            problems = consent_problems(slot, lang)
            out.append(CheckItem(key, labels[key], helps[key], True, not problems, problems))
            continue
        who, at = ticks.get(key, (None, None))
        label, help_ = labels.get(key, key), helps.get(key, "")
        if key == BRANDED:
            label, help_ = partner_setting(slot.platform, lang) or (label, help_)
        out.append(
            CheckItem(
                key,
                label,
                help_,
                False,
                key in ticks,
                checked_by=who,
                checked_at=at,
            )
        )
    return out


def missing(items: Sequence[CheckItem]) -> list[CheckItem]:
    """The items not done yet."""
    return [item for item in items if not item.done]


def set_check(
    db: Database,
    slot_id: int,
    item: str,
    done: bool,
    *,
    items: Sequence[str],
    member_id: int | None,
    now: datetime | None = None,
) -> None:
    """Tick or untick a hand-checked item of a slot."""
    if item == CONSENT:
        raise SocialError(
            "consent is checked against the consent records; record it under Team instead"
        )
    if item not in items:
        raise SocialError(f"'{item}' is not on the publishing checklist ([web] checklist)")
    with db.atomic():
        if db.execute("SELECT 1 FROM calendar_slots WHERE id = ?", [slot_id]).fetchone() is None:
            raise SocialError(f"no calendar slot '{slot_id}'; see 'social calendar list'")
        if done:
            db.execute(
                "INSERT OR REPLACE INTO slot_checks (slot_id, item, checked_by, checked_at) "
                "VALUES (?, ?, ?, ?)",
                [slot_id, item, member_id, to_utc_iso(now or utcnow())],
            )
        else:
            db.execute("DELETE FROM slot_checks WHERE slot_id = ? AND item = ?", [slot_id, item])
