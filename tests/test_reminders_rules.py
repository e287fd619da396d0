"""Which reminders are due when: before, overdue, quiet hours, daylight saving, digest, briefs."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlite_utils import Database

from scheduler.people import add_person
from scheduler.reminders import due_reminders
from tests.reminders_support import minor_without_consent, oslo, slot, team, write_config


def _due(db: Database, config, at: str) -> list[tuple[str, str, str, bool]]:  # type: ignore[no-untyped-def]
    return sorted(
        (r.rule, r.subject.split(":")[0], r.recipient.name, r.skip)
        for r in due_reminders(db, config, oslo(at).astimezone(UTC))
    )


@pytest.fixture
def planned(fresh_db: Database, tmp_path: Path):  # type: ignore[no-untyped-def]
    team(fresh_db)
    config = write_config(tmp_path)
    return fresh_db, config


def test_the_24_and_2_hour_reminders_come_due_and_stop_when_the_slot_starts(planned) -> None:  # type: ignore[no-untyped-def]
    db, config = planned
    slot(db, "2026-12-01 16:00", "Sander")
    assert _due(db, config, "2026-11-30 15:59") == []
    assert _due(db, config, "2026-11-30 16:00") == [("before:24h", "slot", "Sander", False)]
    # At 14:00 both are due; only the nearer one is sent, the 24 h one is recorded as skipped.
    assert _due(db, config, "2026-12-01 14:00") == [
        ("before:24h", "slot", "Sander", True),
        ("before:2h", "slot", "Sander", False),
    ]
    assert _due(db, config, "2026-12-01 16:00") == []  # never late
    assert _due(db, config, "2026-12-01 18:00") == [("overdue", "slot", "Sander", False)]
    assert _due(db, config, "2026-12-04 18:01") == []  # overdue_until_hours (72) passed


def test_a_published_or_skipped_slot_gets_no_overdue_nudge(planned) -> None:  # type: ignore[no-untyped-def]
    db, config = planned
    sid = slot(db, "2026-12-01 16:00", "Sander")
    db.execute("UPDATE calendar_slots SET status = 'published' WHERE id = ?", [sid])
    assert _due(db, config, "2026-12-01 18:30") == []


def test_quiet_hours_move_a_reminder_to_the_morning_or_drop_it_when_the_slot_is_gone(
    planned,
) -> None:  # type: ignore[no-untyped-def]
    db, config = planned
    slot(db, "2026-12-02 00:30", "Ingrid")  # Ingrid is quiet 22:00-07:00
    reminders = due_reminders(db, config, oslo("2026-12-01 07:00").astimezone(UTC))
    assert [(r.rule, r.due_at) for r in reminders] == [
        ("before:24h", oslo("2026-12-01 07:00").astimezone(UTC))
    ]
    assert _due(db, config, "2026-12-01 06:59") == []
    # The 2 h reminder (22:30) would move to 07:00, after the slot: it is never due.
    assert [r[0] for r in _due(db, config, "2026-12-01 23:59")] == ["before:24h"]


@pytest.mark.parametrize(
    ("slot_at", "morning_utc"),
    [
        ("2026-03-29 08:00", datetime(2026, 3, 29, 5, 0, tzinfo=UTC)),  # clocks went forward
        ("2026-10-25 08:00", datetime(2026, 10, 25, 6, 0, tzinfo=UTC)),  # clocks went back
    ],
)
def test_quiet_hours_end_at_seven_local_time_across_daylight_saving(
    planned, slot_at, morning_utc
) -> None:  # type: ignore[no-untyped-def]
    db, config = planned
    slot(db, slot_at, "Ingrid")

    def two_hours(now: datetime) -> list[datetime]:
        return [r.due_at for r in due_reminders(db, config, now) if r.rule == "before:2h"]

    assert two_hours(morning_utc) == [morning_utc]  # 06:00 local is quiet: moved to 07:00
    assert two_hours(morning_utc - timedelta(minutes=1)) == []


def test_a_slot_with_a_minor_without_consent_says_so(planned) -> None:  # type: ignore[no-untyped-def]
    db, config = planned
    slot(db, "2026-12-01 16:00", "Sander", appears=[minor_without_consent(db)])
    due = due_reminders(db, config, oslo("2026-12-01 14:00").astimezone(UTC))
    (reminder,) = [r for r in due if not r.skip]
    assert reminder.text.subject == "Påminnelse: «Eksamenstips» om 2 timer"
    assert "Elev (16 år): mangler samtykke for TikTok" in reminder.text.body
    # A minor of unknown age who signed themselves: a guardian may be needed (under 15).
    add_person(db, "Elev B", under_18=True, consent_date=date(2026, 9, 1))
    slot(db, "2026-12-01 15:30", "Sander", title="Med B", appears=["Elev B"])
    due = due_reminders(db, config, oslo("2026-12-01 14:00").astimezone(UTC))
    (with_b,) = [r for r in due if not r.skip and "Med B" in r.text.subject]
    assert "Elev B: mindreårig med ukjent alder: foresatte må samtykke (TikTok)" in with_b.text.body


def test_each_person_gets_their_own_language(planned) -> None:  # type: ignore[no-untyped-def]
    db, config = planned
    slot(db, "2026-12-01 16:00", "Amina", title="Lab day")
    (reminder,) = due_reminders(db, config, oslo("2026-11-30 16:00").astimezone(UTC))
    assert reminder.text.subject == "Reminder: “Lab day” in 24 hours"
    assert "1 Dec 2026 16:00" in reminder.text.body


def test_the_sunday_digest_lists_each_persons_coming_week(
    fresh_db: Database, tmp_path: Path
) -> None:
    team(fresh_db)
    config = write_config(tmp_path, extra="before_hours = []\n", digest="sun 18:00")
    slot(fresh_db, "2026-11-30 16:00", "Sander", title="Mandag")
    slot(fresh_db, "2026-12-03 16:00", "Sander", title="Torsdag")
    slot(fresh_db, "2026-12-08 16:00", "Amina", title="Next week")  # the week after: not yet
    assert _due(fresh_db, config, "2026-11-29 17:59") == []
    (digest,) = due_reminders(fresh_db, config, oslo("2026-11-29 18:00").astimezone(UTC))
    assert digest.subject == "digest:2026-W49" and digest.recipient.name == "Sander"
    assert digest.text.subject == "Din uke 49: 2 planlagte innlegg"
    assert digest.text.body.index("Mandag") < digest.text.body.index("Torsdag")
    late = _due(fresh_db, config, "2026-11-30 18:00")  # a day late: not sent any more
    assert [r for r in late if r[0] == "digest"] == []


def test_a_brief_deadline_reminds_the_communications_lead(planned) -> None:  # type: ignore[no-untyped-def]
    db, config = planned
    db.execute(
        "INSERT INTO partners (name, tier, created_at) VALUES ('Equinor', 'large', '2026-01-01T00:00:00Z')"
    )
    db.execute(
        """INSERT INTO briefs (partner_id, template, title, deadline, created_at, updated_at)
           VALUES (1, 'tiktok_partner_nb', 'Ingeniørhverdag', ?, '', '')""",
        [date(2026, 12, 11).isoformat()],
    )
    assert _due(db, config, "2026-12-08 08:59") == []
    (due,) = due_reminders(db, config, oslo("2026-12-08 09:00").astimezone(UTC))
    assert (due.rule, due.recipient.name) == ("deadline:3d", "Kari")
    assert due.text.subject == "Brief til Equinor: frist 11. des. 2026"
    db.execute("UPDATE briefs SET status = 'content_received'")
    assert _due(db, config, "2026-12-11 09:00") == []
