"""The content calendar as a spreadsheet (CSV): export, edit, import.

Export writes one row per slot with times in local time; import creates or
updates slots by uid (stable across round trips). Every row is checked before
anything is written: if any row is bad, each problem is reported as
"FILE line N: problem; fix" and the database is left as it was.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from core.csvfile import dicts_to_csv, read_cell
from core.errors import SocialError
from core.timeutil import from_utc_iso
from db.lookup import row_number
from scheduler.calendar import (
    SEPARATOR,
    UNSET,
    Slot,
    SlotFields,
    create_slot,
    find_slot,
    linked_post,
    list_slots,
    post_id,
    resolve,
    slots_with_post,
    update_slot,
)

COLUMNS = (
    "id",
    "uid",
    "planned_at",
    "platform",
    "account",
    "title",
    "owners",
    "tags",
    "status",
    "campaign",
    "partner",
    "appears",
    "notes",
    "post",
)
REQUIRED = ("planned_at", "platform", "title")
JOIN = f"{SEPARATOR} "


def local_text(utc_iso: str, zone: str) -> str:
    """The local time a person types ('2026-12-01 16:00'), exact enough to read back.

    Seconds are written only when there are any, and the second 02:30 of an
    autumn night (clocks go back) carries its offset, so import gets the same moment.
    """
    moment = from_utc_iso(utc_iso)
    local = moment.astimezone(ZoneInfo(zone))
    text = local.strftime("%Y-%m-%d %H:%M:%S" if local.second else "%Y-%m-%d %H:%M")
    naive_back = local.replace(tzinfo=None, fold=0).replace(tzinfo=ZoneInfo(zone)).astimezone(UTC)
    if naive_back != moment:
        return local.isoformat(timespec="seconds")
    return text


def slot_row(slot: Slot, zone: str) -> dict[str, Any]:
    """One CSV row of a slot."""
    return {
        "id": slot.id,
        "uid": slot.uid,
        "planned_at": local_text(slot.planned_at, zone),
        "platform": slot.platform,
        "account": slot.account or "",
        "title": slot.title,
        "owners": JOIN.join(slot.owners),
        "tags": JOIN.join(slot.tags),
        "status": slot.status,
        "campaign": slot.campaign or "",
        "partner": slot.partner or "",
        "appears": JOIN.join(p.name for p in slot.appearances),
        "notes": slot.notes,
        "post": slot.post or "",
    }


def export_text(slots: Sequence[Slot], zone: str) -> str:
    """The CSV text of these slots (header included)."""
    return dicts_to_csv((slot_row(s, zone) for s in slots), COLUMNS)


def export_csv(db: Database, path: Path, zone: str) -> int:
    """Write every slot to path (UTF-8 with BOM so spreadsheets read æøå); return the count."""
    from db.files import record_written

    slots = list_slots(db)
    path.write_text(export_text(slots, zone), encoding="utf-8-sig", newline="")
    record_written(db, path, "csv")
    return len(slots)


@dataclass
class ImportResult:
    """What an import did."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class _Planned:
    line: int
    slot: int | None
    uid: str | None
    fields: SlotFields
    post_external: str | None


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(SEPARATOR) if part.strip()]


def _reader(text: str) -> csv.DictReader[str]:
    first = text.split("\n", 1)[0]
    # Spreadsheets set to Norwegian save CSV with ';' between cells.
    delimiter = ";" if first.count(";") > first.count(",") else ","
    return csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)


def _plan_row(
    db: Database, row: dict[str, str], zone: str, seen: dict[str, int], line: int
) -> _Planned:
    cell = {k: read_cell((row.get(k) or "").strip()) for k in COLUMNS if k in row}
    uid = cell.get("uid") or None
    existing: tuple[int, str] | None = None
    if uid:
        if uid in seen:
            raise SocialError(
                f"uid '{uid}' is also on line {seen[uid]}; keep one row per slot "
                "(clear the uid of a copied row to make a new slot)"
            )
        existing = find_slot(db, uid=uid)
    elif cell.get("id"):
        number = row_number(cell["id"])
        if number is None:
            shown = cell["id"] if len(cell["id"]) <= 20 else cell["id"][:17] + "..."
            raise SocialError(
                f"id '{shown}' is not a slot number (digits 0-9, at most 18); leave it empty "
                "for a new slot"
            )
        existing = find_slot(db, number=number)
    for required in REQUIRED:
        if required in cell and not cell[required]:
            raise SocialError(f"{required} is empty; fill it in")
    status = cell.get("status") or None
    fields = resolve(
        db,
        zone,
        at=cell.get("planned_at"),
        platform=cell.get("platform"),
        account=cell.get("account"),
        title=cell.get("title"),
        notes=read_cell((row.get("notes") or "").strip()) if "notes" in row else None,
        tags=_split(cell["tags"]) if "tags" in cell else None,
        campaign=cell.get("campaign"),
        partner=cell.get("partner"),
        status=status,
        owners=_split(cell["owners"]) if "owners" in cell else None,
        appears=_split(cell["appears"]) if "appears" in cell else None,
        current_platform=existing[1] if existing else None,
    )
    platform = fields.platform if fields.platform is not UNSET else (existing or (0, ""))[1]
    post = cell.get("post") or None
    if post:
        fields.post_id = post_id(db, platform, post)
    return _Planned(line, existing[0] if existing else None, uid, fields, post)


def import_csv(db: Database, path: Path, zone: str, *, label: str | None = None) -> ImportResult:
    """Create or update slots from a CSV file; all rows are checked before any is written."""
    name = label or path.name
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise SocialError(
            f"{name}: not UTF-8 text; save the spreadsheet as 'CSV UTF-8' and import again"
        ) from None
    except OSError as exc:
        raise SocialError(f"{name}: cannot read it ({exc.strerror}); check the path") from None
    reader = _reader(text)
    header = [h.strip() for h in (reader.fieldnames or [])]
    reader.fieldnames = header
    unknown = [h for h in header if h not in COLUMNS]
    missing = [h for h in REQUIRED if h not in header]
    if unknown or missing:
        problem = (
            f"unknown column(s) {', '.join(unknown)}"
            if unknown
            else f"missing column(s) {', '.join(missing)}"
        )
        raise SocialError(
            f"{name} line 1: {problem}; use the header of 'social calendar export' "
            f"({','.join(COLUMNS)})"
        )
    errors: list[str] = []
    planned: list[_Planned] = []
    seen: dict[str, int] = {}
    posts: dict[Any, int] = {}
    line = reader.line_num + 1
    for row in _rows(reader, name, errors):
        start, line = line, reader.line_num + 1
        if None in row:
            errors.append(
                f"{name} line {start}: more cells than columns; put text with commas in quotes"
            )
            continue
        if not any((v or "").strip() for v in row.values()):
            continue
        try:
            plan = _plan_row(db, row, zone, seen, start)
        except SocialError as exc:
            errors.append(f"{name} line {start}: {exc}")
            continue
        if plan.uid:
            seen[plan.uid] = start
        pid = plan.fields.post_id
        if pid is not UNSET:
            if pid in posts:
                errors.append(
                    f"{name} line {start}: post '{plan.post_external}' is also on line "
                    f"{posts[pid]}; a post belongs to one slot"
                )
                continue
            posts[pid] = start
        planned.append(plan)
    touched = {p.slot for p in planned if p.slot is not None}
    for plan in planned:
        pid = plan.fields.post_id
        if pid is UNSET:
            continue
        holder = next(iter(slots_with_post(db, pid)), None)
        if holder is not None and holder != plan.slot and holder not in touched:
            errors.append(
                f"{name} line {plan.line}: post '{plan.post_external}' is linked to slot "
                f"{holder}, which is not in the file; unlink it there first with "
                f"'social calendar edit {holder} --unlink'"
            )
    if errors:
        raise SocialError(
            "\n".join([*errors, f"nothing was imported; fix the rows above in {name}"])
        )
    return _write(db, planned)


def _rows(reader: csv.DictReader[str], name: str, errors: list[str]) -> Iterator[dict[str, Any]]:
    """The reader's rows; a row the csv module cannot read (a cell over its size limit, a NUL
    character) is an error naming its line, and reading stops there."""
    while True:
        line = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            problem = str(exc)
            if "field larger than field limit" in problem:
                problem = (
                    f"a cell is longer than {csv.field_size_limit():,} characters "
                    "(the most a cell may hold); shorten it"
                ).replace(",", " ")
            elif "NUL" in problem:
                problem = "the line contains a NUL character; save the sheet as 'CSV UTF-8' again"
            errors.append(f"{name} line {line}: {problem}")
            return
        yield row


def _write(db: Database, planned: list[_Planned]) -> ImportResult:
    result = ImportResult()
    with db.atomic():
        # A post the sheet gives to another slot leaves its old slot first: one slot per post.
        for plan in planned:
            pid = plan.fields.post_id
            if pid is UNSET:
                continue
            for holder in slots_with_post(db, pid, other_than=plan.slot):
                update_slot(db, holder, SlotFields(post_id=None, link_manual=0))
        for plan in planned:
            fields = plan.fields
            if plan.slot is not None:
                current = linked_post(db, plan.slot)
                if fields.post_id is not UNSET and fields.post_id != current:
                    fields.link_manual = 1
                elif fields.post_id is not UNSET:
                    fields.post_id = UNSET
                if update_slot(db, plan.slot, fields):
                    result.updated += 1
                else:
                    result.unchanged += 1
            else:
                if fields.post_id is not UNSET:
                    fields.link_manual = 1
                create_slot(db, fields, uid=plan.uid)
                result.created += 1
    return result
