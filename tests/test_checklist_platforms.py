"""The checklist asks for a platform's own partner-content setting only where the platform has one."""

from __future__ import annotations

from sqlite_utils import Database

from core import registry
from core.registry import Platform
from scheduler.calendar import Slot
from scheduler.checklist import AD_LABEL, BRANDED, checklist

ITEMS = [AD_LABEL, BRANDED]


def _partner_slot(platform: str) -> Slot:
    return Slot(
        1, "uid", "2026-12-01T10:00:00Z", platform, None, "Video", "", [], None, "Partner AS",
        "planned", None, False, 0, "x", "x",
    )  # fmt: skip


def test_a_platform_with_a_partner_setting_gets_it_on_the_checklist_in_its_words(
    fresh_db: Database,
) -> None:
    setting = {"nb": ("Innstillingen «Partner» er på", "Se innstillinger."), "en": ("On", "See.")}
    with registry.registered(Platform("demoplatform", "Demo", partner_setting=setting)):
        items = checklist(fresh_db, _partner_slot("demoplatform"), ITEMS, "nb")
    assert [(i.key, i.label, i.help) for i in items] == [
        (AD_LABEL, items[0].label, items[0].help),
        (BRANDED, "Innstillingen «Partner» er på", "Se innstillinger."),
    ]


def test_a_platform_without_one_gets_only_the_advertising_label(fresh_db: Database) -> None:
    with registry.registered(Platform("plainplatform", "Plain")):
        items = checklist(fresh_db, _partner_slot("plainplatform"), ITEMS, "en")
    assert [i.key for i in items] == [AD_LABEL]
