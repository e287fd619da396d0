"""Consent as Datatilsynet describes it: per channel, in writing, renewed yearly, withdrawable,
a guardian's under 15 (the limits in [consent]), reminders before it expires, and a takedown
task when it is withdrawn for published content.

Finding from outside testing (issue 14): the tool flagged under-18s without a guardian's
consent, but guardians consent for children under 15; consent was one flag for everything.
"""

from __future__ import annotations

import json
from datetime import UTC, date
from pathlib import Path

import pytest
import time_machine
from click.testing import CliRunner, Result
from sqlite_utils import Database

from core import registry
from db import open_db
from db.migrations import migrations
from scheduler.calendar import SlotFields, update_slot
from scheduler.consent import Rules, slot_issues
from scheduler.people import add_person, get_person, withdraw
from scheduler.reminders import due_reminders
from scheduler.tick import send_reminders
from social.cli import cli
from tests.reminders_support import oslo, slot, team, write_config


def run(runner: CliRunner, *args: str) -> Result:
    return runner.invoke(cli, list(args))


def one_line_error(result: Result) -> str:
    assert result.exit_code == 1, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in result.output, result.output
    return lines[0]


def test_under_15_a_guardian_must_consent_from_15_the_pupil_may(
    workspace_dir: Path, runner: CliRunner
) -> None:
    refused = run(
        runner, "team", "person", "add", "Nora", "--born", "2012-05-01",
        "--consent-date", "2026-09-01",
    )  # fmt: skip
    assert one_line_error(refused) == (
        "Error: Nora was 14 when signing: under 15 a guardian must consent; record it with "
        "--guardian-consent"
    )
    assert json.loads(run(runner, "team", "person", "list", "--format", "json").output) == []
    ok = run(
        runner, "team", "person", "add", "Nora", "--born", "2012-05-01",
        "--consent-date", "2026-09-01", "--guardian-consent",
    )  # fmt: skip
    assert ok.exit_code == 0 and "Consent complete on every channel" in ok.output
    pupil = run(
        runner, "team", "person", "add", "Jon", "--born", "2011-08-01",
        "--consent-date", "2026-09-01",
    )  # fmt: skip
    assert pupil.exit_code == 0 and "Consent complete" in pupil.output  # 15: his own consent


def test_the_age_limit_comes_from_the_config(workspace_dir: Path, runner: CliRunner) -> None:
    config = workspace_dir / "social.toml"
    config.write_text(
        config.read_text().replace("guardian_below_age = 15", "guardian_below_age = 16")
    )
    refused = run(
        runner, "team", "person", "add", "Jon", "--born", "2011-08-01",
        "--consent-date", "2026-09-01",
    )  # fmt: skip
    assert "Jon was 15 when signing: under 16 a guardian must consent" in one_line_error(refused)


def _tiktok_and_linkedin_slots(db: Database) -> tuple[int, int]:
    team(db)
    tiktok = slot(db, "2026-12-10 16:00", "Sander", title="TikTok", appears=["Eva"])
    linkedin = slot(db, "2026-12-11 16:00", "Sander", title="LinkedIn", appears=["Eva"])
    update_slot(db, linkedin, SlotFields(platform="linkedin"))
    return tiktok, linkedin


def test_consent_is_per_channel(fresh_db: Database) -> None:
    add_person(fresh_db, "Eva", consent_date=date(2026, 9, 1), channels=["tiktok", "web"])
    tiktok, linkedin = _tiktok_and_linkedin_slots(fresh_db)
    assert slot_issues(fresh_db, tiktok) == []
    (issue,) = slot_issues(fresh_db, linkedin)
    assert (issue.person, issue.code, issue.text("nb")) == (
        "Eva",
        "missing",
        "mangler samtykke for LinkedIn",
    )


def test_consent_expires_after_a_year_and_a_renewal_counts(fresh_db: Database) -> None:
    add_person(fresh_db, "Eva", consent_date=date(2025, 11, 1))
    tiktok, _ = _tiktok_and_linkedin_slots(fresh_db)
    (issue,) = slot_issues(fresh_db, tiktok, today=date(2026, 12, 1))
    assert issue.text("en") == "TikTok consent expired 2026-11-01"
    person = get_person(fresh_db, "Eva")
    assert person.issues("tiktok", date(2026, 10, 31)) == []
    assert person.issues("tiktok", date(2026, 11, 2))[0].code == "expired"
    from scheduler.people import give_consent

    give_consent(fresh_db, person.name, ["tiktok"], signed_on=date(2026, 11, 20))
    assert slot_issues(fresh_db, tiktok, today=date(2026, 12, 1)) == []
    # [consent] valid_months decides the expiry when a consent is recorded.
    renewed = give_consent(
        fresh_db, person.name, ["web"], signed_on=date(2026, 11, 20), rules=Rules(valid_months=1)
    )
    web = renewed.current("web")
    assert web is not None and str(web.expires_on) == "2026-12-20"


def test_oral_consent_is_flagged_as_not_in_writing(workspace_dir: Path, runner: CliRunner) -> None:
    assert run(runner, "team", "person", "add", "Per").exit_code == 0
    result = run(
        runner, "team", "person", "consent", "Per", "--consent-date", "2026-09-01",
        "--channel", "tiktok", "--oral",
    )  # fmt: skip
    assert "TikTok consent not in writing" in result.output


def test_reminders_go_to_the_lead_before_a_consent_expires(
    fresh_db: Database, tmp_path: Path
) -> None:
    team(fresh_db)
    add_person(fresh_db, "Eva", consent_date=date(2025, 12, 20), channels=["tiktok", "web"])
    config = write_config(tmp_path)
    month = due_reminders(fresh_db, config, oslo("2026-11-20 09:30").astimezone(UTC))
    (early,) = [r for r in month if r.subject.startswith("consent:")]
    assert (early.rule, early.recipient.name) == ("consent:30d", "Kari")
    assert early.text.subject == "Samtykket til Eva utløper 20. des. 2026"
    assert "TikTok, web" in early.text.body and "social team person consent" in early.text.body
    week = due_reminders(fresh_db, config, oslo("2026-12-13 10:00").astimezone(UTC))
    rules = sorted((r.rule, r.skip) for r in week if r.subject.startswith("consent:"))
    assert rules == [("consent:30d", True), ("consent:7d", False)]  # only the nearest is sent
    after = due_reminders(fresh_db, config, oslo("2026-12-21 10:00").astimezone(UTC))
    assert not [r for r in after if r.subject.startswith("consent:")]


# The task is stamped with the clock; the reminder run below is at noon the same day.
@time_machine.travel("2026-12-01T10:00:00Z", tick=False)
def test_withdrawing_consent_for_published_content_creates_a_takedown_task(
    workspace_dir: Path, runner: CliRunner, tmp_path: Path
) -> None:
    db = open_db(workspace_dir / "social.db")
    add_person(db, "Eva", consent_date=date(2026, 9, 1))
    tiktok, linkedin = _tiktok_and_linkedin_slots(db)
    update_slot(db, tiktok, SlotFields(status="published"))
    result = run(runner, "team", "person", "withdraw", "Eva", "--channel", "tiktok")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Withdrew the consent of Eva for tiktok."
    assert lines[2] == f"  takedown #1: tiktok slot {tiktok} 'TikTok'"
    listed = json.loads(run(runner, "team", "person", "takedowns", "--format", "json").output)
    assert [(t["person"], t["channel"], t["status"]) for t in listed] == [("Eva", "tiktok", "open")]
    assert slot_issues(db, linkedin) == []  # LinkedIn consent stays
    # The lead gets a reminder, once.
    config = write_config(tmp_path, extra="")
    printed: list[str] = []
    outcome = send_reminders(
        db, config, now=oslo("2026-12-01 12:00").astimezone(UTC), channel="console",
        echo=printed.append,
    )  # fmt: skip
    sent = [line for line in outcome.lines if "takedown" in line]
    assert sent == ["sent takedown takedown:1 -> Kari (console)"]
    (message,) = [p for p in printed if "Ta ned innhold" in p]
    assert "Kari: Ta ned innhold: samtykke trukket for TikTok" in message
    assert "Eva har trukket samtykket for TikTok" in message
    assert "social team person takedown-done 1" in message
    again = send_reminders(db, config, now=oslo("2026-12-01 12:05").astimezone(UTC))
    assert not [line for line in again.lines if "takedown" in line]
    done = run(runner, "team", "person", "takedown-done", "1")
    assert done.exit_code == 0 and "is done" in done.output
    assert "No takedown tasks open." in run(runner, "team", "person", "takedowns").output


def test_withdrawing_before_publication_flags_the_planned_slot(fresh_db: Database) -> None:
    add_person(fresh_db, "Eva", consent_date=date(2026, 9, 1))
    tiktok, _ = _tiktok_and_linkedin_slots(fresh_db)
    result = withdraw(fresh_db, "Eva", ["tiktok"])
    assert result.tasks == [] and result.planned_slots == 1
    (issue,) = slot_issues(fresh_db, tiktok)
    assert issue.code == "withdrawn"


def test_existing_consent_records_are_migrated_per_channel(tmp_path: Path) -> None:
    db_file = tmp_path / "social.db"
    old = open_db(db_file, migrate=False)
    migrations.apply(old, stop_before="m014_a_written_files")
    rows = [
        ("Eva (15)", 1, 1, "2026-09-01", 1),  # under 18, guardian consented
        ("Dr. Lund", 0, 1, None, 0),  # consent on record, date unknown
        ("Ola (16)", 1, 0, None, 0),  # no consent
    ]
    for name, under, consent, day, guardian in rows:
        old.execute(
            "INSERT INTO people_in_videos (name, under_18, consent_on_record, consent_date, "
            "guardian_consent) VALUES (?, ?, ?, ?, ?)",
            [name, under, consent, day, guardian],
        )
    old.close()
    db = open_db(db_file, backup_dir=tmp_path / "kept")
    eva, lund, ola = (get_person(db, n) for n, *_ in rows)
    tiktok = eva.current("tiktok")
    assert tiktok is not None
    assert (tiktok.given_by, str(tiktok.signed_on), str(tiktok.expires_on)) == (
        "guardian",
        "2026-09-01",
        "2027-09-01",
    )
    migrated = {"tiktok", "linkedin", "facebook", "web"}  # the channels m014_b knew
    assert {c.channel for c in eva.consents} == migrated
    # A platform installed since has no consent on record until one is given for it.
    newer = [registry.display_name(p) for p in registry.names() if p not in migrated]
    assert eva.flags(day=date(2026, 12, 1)) == [f"no {name} consent" for name in newer]
    assert lund.flags()[0] == "TikTok consent has no date (renew it)"
    assert ola.flags() == ["no consent on record"]


def test_the_web_check_for_a_slot_is_one_call(fresh_db: Database) -> None:
    team(fresh_db)
    add_person(fresh_db, "Ung", under_18=True, consent_date=date(2026, 9, 1))
    sid = slot(fresh_db, "2026-12-10 16:00", "Sander", appears=["Ung"])
    (issue,) = slot_issues(fresh_db, sid)
    assert issue.code == "age_unknown"
    assert issue.text("nb") == (
        "mindreårig med ukjent alder: foresatte må samtykke (TikTok) eller oppgi fødselsdato"
    )
    from scheduler.people import edit_person

    edit_person(fresh_db, "Ung", birth_date=date(2010, 1, 1))  # 16 when signing
    assert slot_issues(fresh_db, sid) == []


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["team", "person", "consent", "Per", "--consent-date", "2030-01-01"], "in the future"),
        (["team", "person", "add", "Q", "--born", "2030-01-01"], "is in the future"),
        (["team", "person", "withdraw", "Nobody"], "no consent record for 'Nobody'"),
        (["team", "person", "takedown-done", "99"], "no takedown task 99"),
    ],
)
def test_bad_consent_input_is_one_line(
    workspace_dir: Path, runner: CliRunner, args: list[str], expected: str
) -> None:
    assert run(runner, "team", "person", "add", "Per").exit_code == 0
    assert expected in one_line_error(run(runner, *args))
