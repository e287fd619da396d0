"""Credentials: environment variables first, then a 0600 token file that `social auth` writes.

Secrets never live in social.toml or the database. Rotated refresh tokens are
written to the token file the moment the platform hands them out, so an
interrupted sync never loses the only valid refresh token.
"""

from __future__ import annotations

import json
import os
import stat
import tempfile
import threading
from collections.abc import Callable, Generator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from collectors.errors import AuthError, MissingCredentials
from core import registry
from core.errors import SocialError
from core.registry import TokenEntry

WARN_DAYS = 14


def env_name(platform: str, name: str) -> str:
    """The environment variable of a credential, e.g. SOCIAL_<PLATFORM>_ACCESS_TOKEN."""
    return f"SOCIAL_{platform.upper()}_{name.upper()}"


@dataclass
class TokenSet:
    """What a platform's token endpoint gave us."""

    access_token: str
    refresh_token: str | None = None
    expires_at: str | None = None  # UTC ISO
    refresh_expires_at: str | None = None
    scope: str = ""
    account_id: str = ""  # the account the token belongs to (an OAuth response's open_id)
    # For tokens refreshed from a refresh token given in the environment: a digest of that
    # refresh token, so the file's newer tokens are used until the environment changes.
    origin: str = ""

    @classmethod
    def from_response(cls, payload: dict[str, Any], *, now: datetime | None = None) -> TokenSet:
        """Build from an OAuth token response (expires_in / refresh_expires_in in seconds).

        Some platforms name the refresh token's lifetime `refresh_token_expires_in`.
        """
        now = now or datetime.now(UTC)
        refresh_seconds = (
            payload["refresh_expires_in"]
            if "refresh_expires_in" in payload
            else payload.get("refresh_token_expires_in")
        )

        def at(seconds: Any) -> str | None:
            if seconds in (None, ""):
                return None
            return (now + timedelta(seconds=int(seconds))).strftime("%Y-%m-%dT%H:%M:%SZ")

        return cls(
            access_token=str(payload["access_token"]),
            refresh_token=payload.get("refresh_token") or None,
            expires_at=at(payload.get("expires_in")),
            refresh_expires_at=at(refresh_seconds),
            scope=str(payload.get("scope", "")),
            account_id=str(payload.get("open_id", "")),
        )

    def expires_within(self, delta: timedelta, *, now: datetime | None = None) -> bool:
        if not self.expires_at:
            return False
        now = now or datetime.now(UTC)
        return datetime.fromisoformat(self.expires_at.replace("Z", "+00:00")) <= now + delta


class TokenStore:
    """A JSON token file, mode 0600, replaced atomically on every write."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    def _read(self) -> dict[str, Any]:
        if not self.path.exists():
            return {}
        mode = stat.S_IMODE(self.path.stat().st_mode)
        if mode & 0o077:
            raise SocialError(
                f"token file {self.path} can be read by others (mode {mode:o}); "
                f"run: chmod 600 {self.path}"
            )
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise SocialError(
                f"token file {self.path} is damaged ({exc.__class__.__name__}); "
                "delete it and run 'social auth <platform>' again"
            ) from None
        return data if isinstance(data, dict) else {}

    def get(self, platform: str) -> TokenSet | None:
        """The stored tokens of a platform, if any."""
        entry = self._read().get(platform)
        if not entry:
            return None
        return TokenSet(**{k: v for k, v in entry.items() if k in TokenSet.__dataclass_fields__})

    def save(self, platform: str, tokens: TokenSet) -> None:
        """Store a platform's tokens at once (atomic replace, 0600)."""
        with self._lock:
            data = self._read()
            data[platform] = asdict(tokens)
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".tokens-", suffix=".tmp")
            try:
                os.fchmod(fd, 0o600)
                with os.fdopen(fd, "w", encoding="utf-8") as fh:
                    json.dump(data, fh, indent=2)
                    fh.flush()
                    os.fsync(fh.fileno())
                os.replace(tmp, self.path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise

    def entries(self) -> list[str]:
        """The names of the stored entries (platforms and named tokens)."""
        return sorted(self._read())

    def delete(self, platform: str) -> bool:
        """Forget a platform's tokens; True if there were any."""
        data = self._read()
        if platform not in data:
            return False
        tokens = data.pop(platform)
        del tokens
        self.path.write_text(json.dumps(data, indent=2), encoding="utf-8")
        return True


def credential(platform: str, name: str) -> str | None:
    """A credential from the environment (SOCIAL_<PLATFORM>_<NAME>)."""
    value = os.environ.get(env_name(platform, name), "").strip()
    return value or None


def secret(platform: str, name: str, store: TokenStore) -> str | None:
    """A named credential from the environment, else from the token file entry '<platform>_<name>'."""
    value = credential(platform, name)
    if value:
        return value
    tokens = store.get(f"{platform}_{name}")
    return tokens.access_token if tokens else None


def access_token(
    platform: str,
    store: TokenStore,
    *,
    name: str = "access_token",
    entry: str | None = None,
    renew: str | None = None,
) -> tuple[str, str]:
    """The access token to use and where it came from ('env' or 'file').

    `entry` is the token file entry when it is not the platform itself (e.g.
    '<platform>_ads'); `renew` the command that signs in (default `social auth <platform>`).
    """
    value = credential(platform, name)
    if value:
        return value, "env"
    tokens = store.get(entry or platform)
    if tokens and tokens.access_token:
        return tokens.access_token, "file"
    raise MissingCredentials(
        f"{platform}: no access token; set {env_name(platform, name)} or run "
        f"'{renew or f'social auth {platform}'}'"
    )


Refresher = Callable[[str], TokenSet]


class RefreshingAuth(httpx.Auth):
    """Adds the access token to each request and refreshes it once on expiry or a 401.

    The token comes from the environment (never refreshed: we don't own it) or
    from the token file, whose refresh token is used and the rotated one saved
    immediately.
    """

    def __init__(
        self,
        platform: str,
        store: TokenStore,
        *,
        refresher: Refresher | None = None,
        header: str = "Authorization",
        scheme: str = "Bearer",
        token_name: str = "access_token",
        entry: str | None = None,
        renew: str | None = None,
    ) -> None:
        self.platform = platform
        self.store = store
        self.refresher = refresher
        self.header = header
        self.scheme = scheme
        self.token_name = token_name
        self.entry = entry or platform
        self.renew = renew or f"social auth {platform}"
        self.token, self.source = access_token(
            platform, store, name=token_name, entry=self.entry, renew=self.renew
        )
        self.refreshed = 0

    def _apply(self, request: httpx.Request) -> None:
        request.headers[self.header] = f"{self.scheme} {self.token}".strip()

    def _can_refresh(self) -> bool:
        tokens = self.store.get(self.entry) if self.source == "file" else None
        return bool(self.refresher and tokens and tokens.refresh_token)

    def refresh(self) -> None:
        """Exchange the stored refresh token for new tokens and save them at once."""
        tokens = self.store.get(self.entry)
        if not (self.refresher and tokens and tokens.refresh_token):
            raise AuthError(
                f"{self.platform}: the access token expired and there is no refresh token; "
                f"run '{self.renew}'",
                platform=self.platform,
            )
        new = self.refresher(tokens.refresh_token)
        if not new.refresh_token:
            new.refresh_token = tokens.refresh_token
            new.refresh_expires_at = new.refresh_expires_at or tokens.refresh_expires_at
        new.account_id = new.account_id or tokens.account_id
        self.store.save(self.entry, new)
        self.token = new.access_token
        self.refreshed += 1

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if self._can_refresh():
            tokens = self.store.get(self.entry)
            if tokens and tokens.expires_within(timedelta(minutes=5)):
                self.refresh()
        self._apply(request)
        response = yield request
        if response.status_code == 401 and self._can_refresh():
            self.refresh()
            self._apply(request)
            yield request


@dataclass
class TokenStatus:
    """What `social auth status` shows for one platform."""

    platform: str
    source: str  # env | file | none
    expires_at: str | None
    refresh_expires_at: str | None
    days_left: float | None
    warning: str = ""


def token_status(
    platform: str,
    store: TokenStore,
    *,
    now: datetime | None = None,
    token_name: str = "access_token",
    entry: str | None = None,
) -> TokenStatus:
    """Where a platform's token comes from and when it (or its refresh token) expires.

    `entry` names the token-file entry when it is not the platform itself (for
    example '<platform>_ads', a second token for a platform's ads API).
    """
    now = now or datetime.now(UTC)
    label = entry or platform
    if credential(platform, token_name):
        expiry = credential(platform, "expires_at")
        return _status(label, "env", expiry, None, now, renew=platform)
    tokens = store.get(label)
    if tokens is None:
        return TokenStatus(
            label, "none", None, None, None, f"not connected; run 'social auth {platform}'"
        )
    return _status(
        label,
        "file",
        tokens.expires_at,
        tokens.refresh_expires_at,
        now,
        has_refresh=bool(tokens.refresh_token),
        renew=platform,
    )


def _status(
    platform: str,
    source: str,
    expires_at: str | None,
    refresh_expires_at: str | None,
    now: datetime,
    *,
    has_refresh: bool = False,
    renew: str,
) -> TokenStatus:
    # With a refresh token, what matters is when the refresh token itself runs out.
    deciding = refresh_expires_at if has_refresh and refresh_expires_at else expires_at
    days_left = None
    warning = ""
    if deciding:
        end = datetime.fromisoformat(deciding.replace("Z", "+00:00"))
        days_left = (end - now).total_seconds() / 86400
        command = renew if renew.startswith("social ") else f"social auth {renew}"
        if days_left <= 0:
            warning = f"expired; run '{command}'"
        elif days_left <= WARN_DAYS:
            warning = f"expires in {days_left:.0f} days; run '{command}' before then"
    return TokenStatus(platform, source, expires_at, refresh_expires_at, days_left, warning)


def digest(secret_value: str) -> str:
    """A short, non-reversible fingerprint of a secret (never the secret itself)."""
    import hashlib

    return hashlib.sha256(secret_value.encode("utf-8")).hexdigest()[:16]


def token_entries() -> tuple[TokenEntry, ...]:
    """Every token the installed platforms' collectors use, in the order `social auth status` lists them."""
    return tuple(entry for record in registry.platforms() for entry in record.tokens)


def entry_status(
    entry: TokenEntry, store: TokenStore, *, now: datetime | None = None
) -> TokenStatus:
    """Where one token comes from and when it (or its refresh token) expires."""
    now = now or datetime.now(UTC)
    env_refresh = credential(entry.platform, entry.env_refresh) if entry.env_refresh else None
    if credential(entry.platform, entry.token_name) or env_refresh:
        stored = store.get(entry.label)
        if stored is not None and env_refresh and stored.origin == digest(env_refresh):
            # Refreshed from the environment's refresh token: the file holds the live chain.
            return _status(
                entry.label,
                "env",
                stored.expires_at,
                stored.refresh_expires_at,
                now,
                has_refresh=bool(stored.refresh_token),
                renew=entry.renew,
            )
        expiry = (
            credential(entry.platform, "expires_at") if entry.token_name == "access_token" else None
        )
        return _status(entry.label, "env", expiry, None, now, renew=entry.renew)
    tokens = store.get(entry.label)
    if tokens is None:
        return TokenStatus(
            entry.label, "none", None, None, None, f"not connected; run '{entry.renew}'"
        )
    return _status(
        entry.label,
        "file",
        tokens.expires_at,
        tokens.refresh_expires_at,
        now,
        has_refresh=bool(tokens.refresh_token),
        renew=entry.renew,
    )


def token_statuses(
    config: Any, store: TokenStore, *, now: datetime | None = None
) -> list[TokenStatus]:
    """The status of every token `social auth status` shows.

    A token whose entry names the config key that needs it (`needed_when`) is listed
    only when that key is set or the token is stored; the others always.
    """
    out = []
    for entry in token_entries():
        status = entry_status(entry, store, now=now)
        if entry.needed_when and status.source == "none":
            value = config.get(entry.platform, entry.needed_when)
            if not (str(value).strip() if isinstance(value, str) else value):
                continue
        out.append(status)
    return out
