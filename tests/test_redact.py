"""Secrets are replaced in every error text, also when a server echoes them encoded or cut."""

from __future__ import annotations

import json

import pytest

from core.redact import MASK, redact, remember

SLACK = "https://hooks.slack.com/services/T01ABCDEF/B02GHIJKL/AbCdEfGhIjKlMnOpQrStUvWx"
TEAMS = (
    "https://prod-12.westeurope.logic.azure.com:443/workflows/0a1b2c/triggers/manual/paths/"
    "invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=Zx9SecretSig0123"
)


@pytest.mark.parametrize(
    "text",
    [
        f"no_service: {SLACK}",
        f"bad request {json.dumps(SLACK)}",
        f"cut short: {SLACK[:60]}",
        f"Teams said 400 for {TEAMS}",
        "Authorization: Bearer EAABsbCS1iHgBAKZCZCtoken0123456789",
    ],
)
def test_webhook_urls_and_tokens_are_masked_even_when_unknown(text: str) -> None:
    out = redact(text)
    assert MASK in out
    for secret in ("AbCdEfGhIjKl", "B02GHIJKL", "Zx9SecretSig0123", "EAABsbCS1iHg"):
        assert secret not in out


def test_a_known_secret_is_masked_raw_json_escaped_and_percent_encoded(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url = "http://relay.example.no/hook/very-secret-path-123"
    monkeypatch.setenv("SOCIAL_TEAMS_WEBHOOK", url)
    text = (
        f"{url} | {json.dumps(url)} | http%3A%2F%2Frelay.example.no%2Fhook%2Fvery-secret-path-123"
    )
    assert "very-secret-path-123" not in redact(text)
    remember("s3cr3t-value-from-toml")
    assert redact("echo: s3cr3t-value-from-toml") == f"echo: {MASK}"


def test_ordinary_text_is_left_alone() -> None:
    text = "could not send e-mail through smtp.example.no:587 (timeout); check [email]"
    assert redact(text) == text
