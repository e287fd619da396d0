"""Time the scheduler's minute-by-minute reminder scan on years of calendar history.

The service scans for due reminders every minute, so a scan must stay cheap as
the calendar grows. Builds a calendar through the project's own functions:
six students and a communications lead, five slots every weekday (owners in
turn, a tenth of them filming someone without consent), and a ledger row for
every reminder the past would have sent. Times
`scheduler.tick.send_reminders` (console channel, output discarded) at a
moment when one reminder is due, on the full history and on a tenth of it;
the scan should cost the same (bounded by the window, not the history).

    python bench/bench_reminder_scan.py [--years 3] [--runs 20]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.config import load_config  # noqa: E402
from db import open_db  # noqa: E402
from scheduler.calendar import create_slot, resolve  # noqa: E402
from scheduler.people import add_person  # noqa: E402
from scheduler.team import add_member  # noqa: E402
from scheduler.tick import send_reminders  # noqa: E402

STUDENTS = ["Ingrid", "Sander", "Amina", "Jonas", "Mari", "Elias"]
OSLO = ZoneInfo("Europe/Oslo")
NOW = datetime(2026, 12, 1, 14, 30, tzinfo=OSLO).astimezone(UTC)  # one 2 h reminder due


def build(folder: Path, days: int) -> tuple[object, object, int]:
    (folder / "social.toml").write_text('[reminders]\ndigest = "off"\n', encoding="utf-8")
    config = load_config(folder / "social.toml")
    db = open_db(folder / "social.db")
    for name in STUDENTS:
        add_member(db, name, quiet="22:00-07:00")
    add_member(db, "Kari", role="communications")
    add_person(db, "Elev (16 år)", under_18=True)
    first = date(2026, 12, 1) - timedelta(days=days)
    count = 0
    with db.atomic():
        for offset in range(days + 1):
            day = first + timedelta(days=offset)
            last = day == date(2026, 12, 1)
            if day.weekday() >= 5 and not last:
                continue
            # The last day holds only the slot whose 2 h reminder is due at NOW.
            for hour in (16,) if last else (10, 12, 14, 16, 18):
                owner = STUDENTS[count % len(STUDENTS)]
                appears = ["Elev (16 år)"] if count % 10 == 0 else []
                fields = resolve(
                    db,
                    "Europe/Oslo",
                    at=f"{day.isoformat()} {hour}:00",
                    platform="tiktok",
                    title=f"Video {count}",
                    owners=[owner],
                    appears=appears,
                    status="planned" if last else "published",
                )
                create_slot(db, fields)
                count += 1
        # The ledger of everything the past sent: two reminders per slot.
        db.execute(
            """INSERT INTO reminder_ledger (subject, rule, member_id, channel, due_at, status,
                                            attempts, sent_at)
               SELECT 'slot:' || s.uid, r.rule, o.member_id, 'console', s.planned_at, 'sent', 1,
                      s.planned_at
               FROM calendar_slots s JOIN slot_owners o ON o.slot_id = s.id
               CROSS JOIN (SELECT 'before:24h' AS rule UNION ALL SELECT 'before:2h') r
               WHERE s.status = 'published'"""
        )
    return db, config, count


def scan_ms(db: object, config: object, runs: int) -> float:
    times = []
    for _ in range(runs):
        db.execute("DELETE FROM reminder_ledger WHERE due_at >= '2026-11-30'")  # type: ignore[attr-defined]
        started = time.perf_counter()
        outcome = send_reminders(db, config, now=NOW, echo=lambda _line: None)  # type: ignore[arg-type]
        times.append((time.perf_counter() - started) * 1000)
        assert outcome.sent == 1, outcome.lines
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=float, default=3)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    days = int(365 * args.years)
    results = {}
    for label, span in (("full", days), ("tenth", days // 10)):
        with tempfile.TemporaryDirectory() as folder:
            db, config, slots = build(Path(folder), span)
            ledger_rows = db.execute("SELECT COUNT(*) FROM reminder_ledger").fetchone()[0]  # type: ignore[attr-defined]
            scan_ms(db, config, 2)  # warm-up
            results[label] = scan_ms(db, config, args.runs)
            print(
                f"{label}: {slots} slots, {ledger_rows} ledger rows; "
                f"scan median {results[label]:.1f} ms"
            )
    print(
        f"full history / tenth of it: {results['full'] / results['tenth']:.2f}x; "
        f"a scan a minute costs {results['full'] * 1440 / 1000:.1f} s of CPU a day"
    )


if __name__ == "__main__":
    main()
