"""`social calendar export/import`: a lossless spreadsheet round trip; bad rows by line."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlite_utils import Database

from scheduler.calendar import list_slots
from tests.calendar_support import (
    NOW,
    add_account,
    add_member,
    add_person,
    add_post,
    invoke,
    workspace_db,
)

NOTES = 'Manus: «Hei, alle!»\nLinje 2, med komma; og "sitat"\n\nÆØÅ æøå'


@pytest.fixture
def db(workspace_dir: Path) -> Database:
    db = workspace_db(workspace_dir)
    add_member(db, "Kari Nordmann")
    add_member(db, "Ørjan Æsøy")
    add_person(db, "Elev (16 år)", under_18=True, consent=False)
    db.execute("INSERT INTO partners (name, created_at) VALUES ('Equinor', ?)", [NOW])
    db.execute(
        "INSERT INTO campaigns (name, start_date, end_date, created_at, updated_at) "
        "VALUES ('Eksamen høst', '2026-11-20', '2026-12-20', ?, ?)",
        [NOW, NOW],
    )
    return db


def _snapshot(db: Database) -> list[dict[str, object]]:
    return [s.as_dict("Europe/Oslo") for s in list_slots(db)]


def _plan(runner: CliRunner, db: Database) -> None:
    account = add_account(db)
    add_post(db, account, "tiktok", "7350000000000000009", "2026-11-02T15:00:00Z")
    for args in (
        ["--at", "2026-12-01 16:00", "--title", "3 tips, før eksamen", "--owner", "Kari Nordmann",
         "--owner", "Ørjan Æsøy", "--tag", "tips", "--tag", "T-matte", "--campaign",
         "Eksamen høst", "--partner", "Equinor", "--appears", "Elev (16 år)", "--notes", NOTES,
         "--account", "open-1"],
        ["--at", "2026-10-25 02:30", "--title", "Før klokka stilles", "--status", "idea"],
        ["--at", "2026-10-25T01:30:00Z", "--title", "Andre gang 02:30"],
        ["--at", "2026-11-02 16:00:30", "--title", "Med sekunder", "--status", "ready"],
    ):  # fmt: skip
        result = invoke(runner, "calendar", "add", "--platform", "tiktok", *args)
        assert result.exit_code == 0, result.output
    assert invoke(runner, "calendar", "link", "4", "7350000000000000009").exit_code == 0


def test_export_then_import_loses_nothing(
    runner: CliRunner, db: Database, workspace_dir: Path
) -> None:
    _plan(runner, db)
    before = _snapshot(db)
    path = workspace_dir / "plan.csv"
    assert invoke(runner, "calendar", "export", str(path)).exit_code == 0
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # spreadsheets then read æøå right
    result = invoke(runner, "calendar", "import", str(path))
    assert result.exit_code == 0, result.output
    assert "0 new, 0 updated, 4 unchanged" in result.stdout
    assert _snapshot(db) == before
    # Into an empty calendar (a second database) the same file recreates the same slots.
    db.execute("DELETE FROM calendar_slots")
    assert invoke(runner, "calendar", "import", str(path)).exit_code == 0
    after = _snapshot(db)
    keep = ("uid", "planned_at", "platform", "account", "title", "owners", "tags", "status",
            "campaign", "partner", "appears", "notes", "post")  # fmt: skip
    assert [{k: s[k] for k in keep} for s in after] == [{k: s[k] for k in keep} for s in before]
    full = next(s for s in after if s["title"] == "3 tips, før eksamen")
    assert full["notes"] == NOTES and full["tags"] == ["tips", "T-matte"]
    assert full["owners"] == ["Kari Nordmann", "Ørjan Æsøy"] and full["account"] == "open-1"


def test_import_updates_by_uid_and_creates_rows_without_uid(
    runner: CliRunner, db: Database, workspace_dir: Path
) -> None:
    _plan(runner, db)
    path = workspace_dir / "plan.csv"
    invoke(runner, "calendar", "export", str(path))
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    target = next(r for r in rows if r["title"] == "Før klokka stilles")
    old_sequence = next(s for s in _snapshot(db) if s["uid"] == target["uid"])["sequence"]
    target["planned_at"] = "2026-10-26 09:00"
    target["status"] = "planned"
    rows.append({**rows[0], "id": "", "uid": "", "title": "Ny fra regneark", "post": ""})
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    result = invoke(runner, "calendar", "import", str(path))
    assert result.exit_code == 0, result.output
    assert "1 new, 1 updated, 3 unchanged" in result.stdout
    moved = next(s for s in _snapshot(db) if s["uid"] == target["uid"])
    assert moved["local"] == "2026-10-26 09:00" and moved["status"] == "planned"
    assert moved["sequence"] == int(str(old_sequence)) + 1
    assert len(_snapshot(db)) == 5


def test_bad_rows_are_reported_by_line_and_nothing_is_written(
    runner: CliRunner, db: Database, workspace_dir: Path
) -> None:
    path = workspace_dir / "bad.csv"
    path.write_text(
        "uid,planned_at,platform,title,owners,status,notes\n"
        'a@x,2026-12-01 16:00,tiktok,Fin rad,Kari Nordmann,planned,"to\nlinjer"\n'
        "b@x,1. desember,tiktok,Feil dato,,planned,\n"
        "c@x,2026-12-02 16:00,myspace,Feil plattform,,planned,\n"
        "d@x,2026-12-03 16:00,tiktok,Ukjent eier,Nobody,planned,\n"
        "e@x,2026-12-04 16:00,tiktok,Feil status,,done,\n"
        "a@x,2026-12-05 16:00,tiktok,Dobbel,,planned,\n"
        "f@x,2026-12-06 16:00,tiktok,,,planned,\n",
        encoding="utf-8",
    )
    result = invoke(runner, "calendar", "import", str(path))
    assert result.exit_code == 1
    out = result.output
    # The first row spans lines 2-3, so the next rows start on line 4.
    assert "bad.csv line 4: '1. desember' is not a date and time" in out
    assert "bad.csv line 5: unknown platform 'myspace'; use one of" in out
    assert "bad.csv line 6: no team member named 'Nobody'; add them with 'social team add" in out
    assert "bad.csv line 7: unknown status 'done'" in out
    assert "bad.csv line 8: uid 'a@x' is also on line 2" in out
    assert "bad.csv line 9: title is empty" in out
    assert "line 2:" not in out and "nothing was imported" in out
    assert db.execute("SELECT COUNT(*) FROM calendar_slots").fetchone()[0] == 0


def test_bad_header_and_semicolon_files(
    runner: CliRunner, db: Database, workspace_dir: Path
) -> None:
    bad = workspace_dir / "bad.csv"
    bad.write_text("when,platform,title\n2026-12-01 16:00,tiktok,x\n", encoding="utf-8")
    result = invoke(runner, "calendar", "import", str(bad))
    assert result.exit_code == 1 and "bad.csv line 1: unknown column(s) when" in result.output
    # Norwegian spreadsheets save CSV with semicolons.
    semi = workspace_dir / "semi.csv"
    semi.write_text(
        "planned_at;platform;title;tags\n2026-12-01 16:00;tiktok;Hei, verden;tips\n",
        encoding="utf-8",
    )
    result = invoke(runner, "calendar", "import", str(semi))
    assert result.exit_code == 0, result.output
    slot = list_slots(db)[0]
    assert slot.title == "Hei, verden" and slot.tags == ["tips"]


def test_import_moves_a_post_between_slots_in_the_sheet(
    runner: CliRunner, db: Database, workspace_dir: Path
) -> None:
    _plan(runner, db)
    path = workspace_dir / "plan.csv"
    invoke(runner, "calendar", "export", str(path))
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    holder = next(r for r in rows if r["post"])
    other = next(r for r in rows if not r["post"])
    other["post"], holder["post"] = holder["post"], ""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")
    assert invoke(runner, "calendar", "import", str(path)).exit_code == 0
    linked = {s["uid"]: s["post"] for s in _snapshot(db)}
    assert linked[other["uid"]] == "7350000000000000009"
    assert linked[holder["uid"]] is None
    manual = db.execute(
        "SELECT link_manual FROM calendar_slots WHERE uid = ?", [other["uid"]]
    ).fetchone()[0]
    assert manual == 1
