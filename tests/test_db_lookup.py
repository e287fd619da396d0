"""Names typed by people find their rows: case and spacing ignored, Norwegian letters included."""

from __future__ import annotations

from sqlite_utils import Database

from db.lookup import did_you_mean, find_id


def _partner(db: Database, name: str) -> int:
    cur = db.execute(
        "INSERT INTO partners (name, tier, created_at) VALUES (?, 'small', '2026-01-01T00:00:00Z')",
        [name],
    )
    return int(cur.lastrowid or 0)


def test_names_match_ignoring_norwegian_case_and_extra_spaces(fresh_db: Database) -> None:
    orsted = _partner(fresh_db, "Ørsted Åsane AS")
    assert find_id(fresh_db, "partners", "ørsted   åsane as") == (orsted, "Ørsted Åsane AS")
    assert find_id(fresh_db, "partners", "Ørsted") is None


def test_a_first_name_or_a_typo_is_suggested() -> None:
    names = ["Kari Nordmann", "Ingrid", "Equinor"]
    assert did_you_mean("Kari", names) == " (did you mean 'Kari Nordmann'?)"
    assert did_you_mean("Equinr", names) == " (did you mean 'Equinor'?)"
    assert did_you_mean("Zyx", names) == ""
