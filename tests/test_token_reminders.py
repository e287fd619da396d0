"""The communications lead is reminded before each token runs out, with its own renewal command."""

from __future__ import annotations

from datetime import UTC, timedelta
from pathlib import Path

import pytest

from collectors.auth import TokenSet, TokenStore
from scheduler.reminders import due_reminders
from social.jobs import expiring_tokens
from tests.reminders_support import oslo, team, write_config


@pytest.fixture(autouse=True)
def no_env(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    for name in list(os.environ):
        if name.startswith("SOCIAL_"):
            monkeypatch.delenv(name)


def test_each_linkedin_app_and_the_tiktok_business_chain_get_their_own_reminder(
    tmp_path: Path, fresh_db
) -> None:  # type: ignore[no-untyped-def]
    config = write_config(
        tmp_path,
        extra='[linkedin]\nad_account_ids = ["1"]\n[tiktok]\nbusiness_id = "77"\n',
    )
    team(fresh_db)
    now = oslo("2026-11-24 09:00")
    store = TokenStore(config.token_file)

    def iso(delta: timedelta) -> str:
        return (now + delta).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    soon, later = iso(timedelta(days=5)), iso(timedelta(days=50))
    store.save("linkedin", TokenSet("page", None, later))  # fine for now
    store.save("linkedin_ads", TokenSet("ads", None, soon))
    # A business token lives 24 hours, but with a refresh token only its expiry matters.
    store.save(
        "tiktok_business",
        TokenSet("biz", "refresh", iso(timedelta(hours=3)), later),
    )
    reminders = [
        r
        for r in due_reminders(fresh_db, config, now, tokens=expiring_tokens)
        if r.rule == "expiry"
    ]
    assert [r.subject.split(":")[1] for r in reminders] == ["linkedin_ads"]
    assert "social auth linkedin --part ads" in reminders[0].text.body
