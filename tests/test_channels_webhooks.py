"""Slack and Teams webhooks against a local HTTP server: which failures are retried, and when;
which channel each person gets; a claim left behind by a process that died."""

from __future__ import annotations

from datetime import UTC, timedelta
from pathlib import Path

import pytest
from sqlite_utils import Database

from scheduler import channels, ledger
from scheduler.channels import DeliveryError, Note, Recipient
from scheduler.channels.slack import SlackChannel
from scheduler.tick import send_reminders
from tests.delivery_support import Webhook, free_port
from tests.reminders_support import oslo, slot, team, write_config

NOW = oslo("2026-11-30 16:00").astimezone(UTC)  # Sander's 24 h reminder is due


def _slack(tmp_path: Path, db: Database, hook: Webhook, extra: str = ""):  # type: ignore[no-untyped-def]
    team(db)
    slot(db, "2026-12-01 16:00", "Sander")
    return write_config(tmp_path, extra=f'slack_webhook = "{hook.url}/hook"\n{extra}')


def test_a_server_error_is_retried_after_the_first_pause(
    tmp_path: Path, fresh_db: Database
) -> None:
    with Webhook() as hook:
        hook.statuses = [503]
        config = _slack(tmp_path, fresh_db, hook)
        first = send_reminders(fresh_db, config, now=NOW)
        too_soon = send_reminders(fresh_db, config, now=NOW + timedelta(seconds=59))
        retried = send_reminders(fresh_db, config, now=NOW + timedelta(minutes=1))
    assert (first.failed, too_soon.failed + too_soon.sent, retried.sent) == (1, 0, 1)
    assert "HTTP 503" in first.lines[0] and "will retry" in first.lines[0]
    assert len(hook.posts) == 2


def test_retry_after_from_the_receiver_is_honoured(tmp_path: Path, fresh_db: Database) -> None:
    with Webhook() as hook:
        hook.statuses, hook.retry_after = [429], "600"
        config = _slack(tmp_path, fresh_db, hook)
        first = send_reminders(fresh_db, config, now=NOW)
        at_backoff = send_reminders(fresh_db, config, now=NOW + timedelta(minutes=5))
        after_wait = send_reminders(fresh_db, config, now=NOW + timedelta(minutes=10))
    assert "retry after 600 s" in first.lines[0]
    assert (at_backoff.sent, after_wait.sent) == (0, 1)
    (row,) = ledger.rows(fresh_db)
    assert (row["status"], row["attempts"]) == ("sent", 2)


def test_a_webhook_that_is_gone_is_given_up_at_once(tmp_path: Path, fresh_db: Database) -> None:
    with Webhook() as hook:
        hook.statuses = [404]
        config = _slack(tmp_path, fresh_db, hook)
        first = send_reminders(fresh_db, config, now=NOW)
        later = send_reminders(fresh_db, config, now=NOW + timedelta(hours=3))
    assert first.failed == 1 and first.lines[0].endswith("; gave up")
    assert later.sent + later.failed == 0 and len(hook.posts) == 1
    (row,) = ledger.rows(fresh_db, status="failed")
    assert row["attempts"] == 1 and "HTTP 404" in row["last_error"]


def test_an_unreachable_webhook_fails_without_showing_its_url() -> None:
    url = f"http://127.0.0.1:{free_port()}/services/T000/B000/secret-token"
    channel = SlackChannel.__new__(SlackChannel)
    channel.url, channel.timeout = url, 2.0
    with pytest.raises(DeliveryError) as error:
        channel.send(Note(Recipient("Sander", slack_member="U1"), "s", "t"))
    assert "not reachable" in str(error.value) and "secret-token" not in str(error.value)
    assert error.value.permanent is False


def test_each_person_gets_the_first_configured_channel_that_reaches_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    both = Recipient("Ingrid", email="i@example.no", slack_member="U1")
    config = write_config(tmp_path, free_port())
    assert channels.choose(config, both) == "email"
    assert channels.choose(config, Recipient("Sander", slack_member="U1")) == "console"
    monkeypatch.setenv("SOCIAL_SLACK_WEBHOOK", "http://127.0.0.1:9/hook")  # env over the file
    assert channels.choose(config, Recipient("Sander", slack_member="U1")) == "slack"
    slack_first = write_config(tmp_path, free_port(), extra='channels = ["slack", "email"]\n')
    assert channels.choose(slack_first, both) == "slack"
    assert channels.choose(slack_first, Recipient("Nobody")) == "console"


def test_a_claim_left_by_a_process_that_died_is_taken_over_after_the_timeout(
    tmp_path: Path, fresh_db: Database
) -> None:
    key = ledger.Key("slot:x@2026-12-01T15:00:00Z", "before:24h", None, "console")
    assert ledger.claim(fresh_db, key, NOW, NOW, max_attempts=2) is not None  # then "dies"
    assert ledger.claim(fresh_db, key, NOW, NOW + timedelta(minutes=9), max_attempts=2) is None
    row_id = ledger.claim(
        fresh_db, key, NOW, NOW + ledger.CLAIM_TIMEOUT + timedelta(seconds=1), max_attempts=2
    )
    assert row_id is not None  # the second (last) attempt; this one dies too
    later = NOW + 3 * ledger.CLAIM_TIMEOUT
    assert ledger.claim(fresh_db, key, NOW, later, max_attempts=2) is None
    (row,) = ledger.rows(fresh_db)
    assert (row["status"], row["attempts"]) == ("failed", 2)
    assert "stopped" in row["last_error"]


@pytest.mark.parametrize(
    "body",
    [
        "invalid_token for {url}",
        '{{"error": "no_service", "url": "{url}"}}',
        "404 Not Found: POST {url} (check the webhook)",
    ],
)
def test_a_webhook_error_echoing_the_secret_url_never_stores_or_shows_it(
    tmp_path: Path, fresh_db: Database, monkeypatch: pytest.MonkeyPatch, body: str
) -> None:
    import json

    with Webhook() as hook:
        hook.statuses, hook.error_body = [404], body
        secret_path = "/services/T0SECRET/B0SECRET/xoxSecretPart123"
        monkeypatch.setenv("SOCIAL_SLACK_WEBHOOK", hook.url + secret_path)
        team(fresh_db)
        slot(fresh_db, "2026-12-01 16:00", "Sander")
        config = write_config(tmp_path, extra="")
        outcome = send_reminders(fresh_db, config, now=NOW)
    json_escaped = json.dumps(hook.url + secret_path)[1:-1]
    assert outcome.failed == 1 and "HTTP 404" in outcome.lines[0]
    (row,) = ledger.rows(fresh_db, status="failed")
    for shown in (outcome.lines[0], row["last_error"]):
        assert "xoxSecretPart123" not in shown and "T0SECRET" not in shown
        assert "[redacted]" in shown
    fresh_db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    stored = Path(fresh_db.conn.execute("PRAGMA database_list").fetchone()[2]).read_bytes()
    assert b"xoxSecretPart123" not in stored and json_escaped.encode() not in stored
