"""Keeping secrets out of every error text: the terminal, the logs, the ledger, the database.

A secret is any value of a `SOCIAL_*` environment variable that holds a token,
secret, password or webhook, any value registered with `remember()` (a webhook
URL read from social.toml), and anything shaped like a webhook or signed URL of
the services we post to (Slack `hooks.slack.com/...`, Teams/Power Automate
workflow URLs, `sig=`/`token=` query values, `Bearer` tokens), also when a
server echoes it back JSON- or percent-encoded.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from urllib.parse import quote, urlsplit

MASK = "[redacted]"
_SECRET_ENV = re.compile(r"^SOCIAL_\w*(TOKEN|SECRET|PASSWORD|WEBHOOK|KEY)\w*$")
_KNOWN: set[str] = set()

# Shapes of secrets that may appear even when the exact value is unknown (a body echoing a
# request URL cut short, a URL from another process).
_PATTERNS = (
    re.compile(r"https?:(?:\\?/){2}hooks\.slack\.com(?:\\?/)[^\s\"'<>]*", re.IGNORECASE),
    re.compile(
        r"https?:(?:\\?/){2}[^\s\"'<>/]*(?:webhook\.office\.com|logic\.azure\.com|"
        r"powerplatform\.com|powerautomate\.com)[^\s\"'<>]*",
        re.IGNORECASE,
    ),
    re.compile(
        r"(?<=[?&;])(?:sig|signature|token|access_token|refresh_token|client_secret|"
        r"code|key|password)=[^&\s\"'<>]+",
        re.IGNORECASE,
    ),
    re.compile(r"(?<=Bearer )[A-Za-z0-9._~+/=-]{8,}"),
)


def remember(value: str) -> str:
    """Register a secret read from somewhere other than the environment; returns it."""
    if value and len(value) >= 8:
        _KNOWN.add(value)
    return value


def _variants(secret: str) -> list[str]:
    """The secret as a server may echo it: as is, JSON-escaped, percent-encoded, its path."""
    out = {secret, secret.replace("/", "\\/"), quote(secret, safe="")}
    if "://" in secret:
        parts = urlsplit(secret)
        tail = parts.path + (f"?{parts.query}" if parts.query else "")
        if len(tail) >= 8:
            out |= {tail, tail.replace("/", "\\/"), quote(tail, safe="")}
    return sorted((v for v in out if len(v) >= 8), key=len, reverse=True)


def secrets(extra: Iterable[str] = ()) -> list[str]:
    """Every secret value known now: environment, remembered, and `extra`."""
    found = set(_KNOWN) | {v for v in extra if v}
    for name, value in os.environ.items():
        if _SECRET_ENV.match(name) and value:
            found.add(value)
    return [s for s in found if len(s) >= 8]


def redact(text: str, extra: Iterable[str] = ()) -> str:
    """The text with every secret (and secret-shaped URL or token) replaced by MASK."""
    if not text:
        return text
    for secret in secrets(extra):
        for variant in _variants(secret):
            text = text.replace(variant, MASK)
    for pattern in _PATTERNS:
        text = pattern.sub(MASK, text)
    return text
