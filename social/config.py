"""Load, validate and write `social.toml`.

The schema below is the single source of truth: `social init` writes it out
with its comments, and loading checks every key and value against it, naming
the line of a bad one and suggesting the nearest known key.
"""

from __future__ import annotations

import builtins
import difflib
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from social.errors import ConfigError

CONFIG_ENV = "SOCIAL_CONFIG"
DEFAULT_NAME = "social.toml"


@dataclass(frozen=True)
class Key:
    """One configuration key: its type, default and the comment `social init` writes."""

    type: type | tuple[type, ...]
    default: Any
    help: str
    choices: tuple[str, ...] = ()  # for a list: the values its items may take
    item: builtins.type | tuple[builtins.type, ...] | None = None  # for a list: its items' type


SCHEMA: dict[str, dict[str, Key]] = {
    "general": {
        "database": Key(str, "social.db", "SQLite file, relative to this file"),
        "timezone": Key(str, "Europe/Oslo", "Days and ISO weeks are computed in this zone"),
        "language": Key(str, "nb", "Language of reports and reminders", ("nb", "en")),
    },
    "sync": {
        "backfill_days": Key(int, 365, "How far back the first sync goes"),
        "refresh_days": Key(int, 90, "Refresh metrics of posts younger than this"),
        "ads_lookback_days": Key(
            int, 7, "Re-collect this many trailing days of ad stats (late data)"
        ),
        "organic_lookback_days": Key(
            int, 5, "Re-collect this many trailing days of daily organic stats"
        ),
        "timeout_seconds": Key((int, float), 30, "HTTP timeout per request"),
        "max_retries": Key(int, 5, "Retries of a retriable error (429, 5xx) before giving up"),
    },
    "tiktok": {
        "enabled": Key(bool, True, "Collect TikTok"),
        "base_url": Key(str, "https://open.tiktokapis.com", "Display API v2 (organic)"),
        "business_base_url": Key(
            str, "https://business-api.tiktok.com/open_api/v1.3", "Business and Marketing API"
        ),
        "client_key": Key(
            str, "", "App client key (the secret comes from SOCIAL_TIKTOK_CLIENT_SECRET)"
        ),
        "business_id": Key(str, "", "Business account id for per-video reach and daily metrics"),
        "advertiser_ids": Key(list, [], "Ad accounts for paid stats"),
        "business_client_id": Key(
            str,
            "",
            "Business app id for the business-account sign-in and its daily token refresh "
            "(the secret comes from SOCIAL_TIKTOK_BUSINESS_CLIENT_SECRET)",
        ),
    },
    "linkedin": {
        "enabled": Key(bool, False, "Collect LinkedIn"),
        "base_url": Key(str, "https://api.linkedin.com", "API host"),
        "version": Key(
            str, "202610", "LinkedIn-Version header (YYYYMM); versions retire after a year"
        ),
        "client_id": Key(
            str, "", "App client id (the secret comes from SOCIAL_LINKEDIN_CLIENT_SECRET)"
        ),
        "organization_id": Key(str, "", "Company page (numeric id of urn:li:organization)"),
        "ad_account_ids": Key(list, [], "Sponsored accounts for paid stats"),
        "ads_client_id": Key(
            str,
            "",
            "Client id of the second app, the one with the Advertising API (the secret comes "
            "from SOCIAL_LINKEDIN_ADS_CLIENT_SECRET); client_id is the page app's",
        ),
    },
    "facebook": {
        "enabled": Key(bool, False, "Collect Facebook"),
        "base_url": Key(str, "https://graph.facebook.com", "Graph API host"),
        "api_version": Key(str, "v25.0", "Graph API version"),
        "app_id": Key(str, "", "App id (the secret comes from SOCIAL_FACEBOOK_APP_SECRET)"),
        "page_id": Key(str, "", "Facebook Page id"),
        "ad_account_ids": Key(list, [], "Ad accounts (without the act_ prefix)"),
        "page_metrics": Key(
            list,
            [
                "page_media_view",
                "page_total_media_view_unique",
                "page_post_engagements",
                "page_daily_follows",
                "page_follows",
            ],
            "Daily Page insights metrics (a metric Meta retires is skipped with a warning)",
        ),
        "post_metrics": Key(
            list,
            ["post_media_view", "post_total_media_view_unique"],
            "Lifetime post insights metrics",
        ),
    },
    "email": {
        "host": Key(str, "", "SMTP server; empty disables e-mail"),
        "port": Key(int, 587, "SMTP port"),
        "security": Key(str, "starttls", "Connection security", ("starttls", "tls", "none")),
        "username": Key(str, "", "SMTP user (password from SOCIAL_SMTP_PASSWORD)"),
        "sender": Key(str, "", "From address"),
    },
    "reports": {
        "recipients": Key(list, [], "Who receives the weekly report by e-mail", item=str),
        "output_dir": Key(str, "reports", "Where generated reports are written"),
        "currency": Key(str, "NOK", "Currency of ad spend in reports (the ad accounts' currency)"),
        "stale_after_hours": Key(
            int, 48, "Warn in reports when a platform's last successful sync is older"
        ),
        "top_posts": Key(int, 5, "How many top posts the weekly report lists"),
        "attach_pdf": Key(bool, False, "Attach a PDF of the report to e-mails (needs Chromium)"),
    },
    "reminders": {
        "before_hours": Key(
            list, [24, 2], "Remind this many hours before a slot", item=(int, float)
        ),
        "overdue_hours": Key((int, float), 2, "Nudge if not published this long after a slot"),
        "digest": Key(str, "sun 18:00", "Weekly digest of each person's coming week"),
        "slack_webhook": Key(str, "", "Slack incoming webhook URL (or SOCIAL_SLACK_WEBHOOK)"),
        "teams_webhook": Key(str, "", "Teams incoming webhook URL (or SOCIAL_TEAMS_WEBHOOK)"),
        "channels": Key(
            list,
            ["email", "slack", "teams"],
            "Channels to try per person, in order (console when none reaches them)",
            ("email", "slack", "teams", "console"),
            item=str,
        ),
        "overdue_until_hours": Key(
            (int, float), 72, "Stop the overdue nudge this many hours after it was due"
        ),
        "brief_days_before": Key(
            list,
            [3, 0],
            "Remind the communications team this many days before a brief deadline",
            item=int,
        ),
        "max_attempts": Key(int, 5, "Give up on a delivery after this many failed attempts"),
    },
    "calendar": {
        "event_minutes": Key(int, 30, "Length of a calendar slot in the iCal feed (minutes)"),
        "match_window_hours": Key(
            (int, float), 36, "A published post matches a slot planned this close in time"
        ),
        "feed_base_url": Key(
            str, "", "Base URL phones subscribe to, e.g. http://192.168.1.20:8765/feeds"
        ),
    },
    "scheduler": {
        "sync_cron": Key(str, "15 5 * * *", "When the service syncs (cron, local time)"),
        "weekly_report_cron": Key(str, "0 7 * * mon", "When the weekly report is sent"),
    },
    "briefs": {
        "template_dir": Key(str, "", "Folder whose templates override the built-ins"),
    },
    "sandbox": {
        "autostart": Key(
            bool,
            False,
            "Serve the built-in sandbox during 'social sync' (the base_url lines point at it)",
        ),
        "seed": Key(int, 42, "Data seed of the sandbox started by autostart"),
    },
    "insights": {
        "exam_periods": Key(
            list,
            [["05-01", "06-20"], ["11-20", "12-20"]],
            'Exam seasons as ["MM-DD", "MM-DD"] pairs (local dates)',
        ),
        "hashtag_themes": Key(
            dict, {}, 'Extra hashtag (without #) to theme mappings, e.g. { matte = "T-matte" }'
        ),
        "age_days": Key(int, 7, "Compare posts by their views this many days after publishing"),
        "baseline_posts": Key(int, 30, "The running median uses this many earlier posts"),
        "min_group_posts": Key(int, 5, "Groups with fewer posts are listed but not ranked"),
    },
    "web": {
        "host": Key(str, "127.0.0.1", "Address 'social serve' listens on (127.0.0.1: this machine)"),
        "port": Key(int, 8000, "Port 'social serve' listens on"),
        "base_url": Key(
            str,
            "",
            "Address people open the app at, e.g. https://social.example.no (login links use it)",
        ),
        "session_hours": Key(int, 12, "A sign-in lasts at most this many hours"),
        "idle_minutes": Key(int, 120, "A sign-in ends after this many minutes without use"),
        "checklist": Key(
            list,
            ["captions", "consent", "ad_label", "branded_content"],
            "Publishing checklist: built-in items, or any text as your own item",
            item=str,
        ),
    },
}


@dataclass
class Config:
    """A validated configuration; values not in the file take the schema default."""

    path: Path | None
    values: dict[str, dict[str, Any]] = field(default_factory=dict)

    def get(self, section: str, key: str) -> Any:
        """A value, or its default."""
        return self.values.get(section, {}).get(key, SCHEMA[section][key].default)

    def section(self, name: str) -> dict[str, Any]:
        """All keys of a section with defaults filled in."""
        return {k: self.get(name, k) for k in SCHEMA[name]}

    @property
    def base_dir(self) -> Path:
        return self.path.parent if self.path else Path.cwd()

    @property
    def database_path(self) -> Path:
        return self.base_dir / self.get("general", "database")

    @property
    def timezone(self) -> str:
        return str(self.get("general", "timezone"))

    @property
    def language(self) -> str:
        return str(self.get("general", "language"))

    @property
    def token_file(self) -> Path:
        return self.base_dir / ".social-tokens.json"


def find_config(explicit: str | os.PathLike[str] | None = None) -> Path | None:
    """The config file to use: --config, then $SOCIAL_CONFIG, then ./social.toml."""
    if explicit:
        return Path(explicit)
    if os.environ.get(CONFIG_ENV):
        return Path(os.environ[CONFIG_ENV])
    local = Path.cwd() / DEFAULT_NAME
    return local if local.exists() else None


def load_config(path: str | os.PathLike[str] | None = None, *, required: bool = False) -> Config:
    """Load and validate the configuration, or the defaults when there is no file."""
    found = find_config(path)
    if found is None:
        if required:
            raise ConfigError("no social.toml here; run 'social init' to write one")
        return Config(path=None)
    if not found.exists():
        raise ConfigError(f"config file {found} does not exist; run 'social init' to write one")
    text = found.read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(
            f"{found}: not valid TOML ({exc}); fix the line or run 'social init --force'"
        ) from exc
    return Config(path=found.resolve(), values=_validate(data, text, found))


def _validate(data: dict[str, Any], text: str, path: Path) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for section, table in data.items():
        if section not in SCHEMA:
            raise ConfigError(_unknown(path, text, section, None, SCHEMA))
        if not isinstance(table, dict):
            raise ConfigError(f"{path}:{_line(text, section)}: '{section}' must be a [section]")
        for key, value in table.items():
            spec = SCHEMA[section].get(key)
            if spec is None:
                raise ConfigError(_unknown(path, text, key, section, SCHEMA[section]))
            where = f"{path}:{_line(text, key, section)}"
            if isinstance(value, bool) and spec.type is not bool and bool not in _types(spec):
                raise ConfigError(
                    f"{where}: [{section}] {key} must be {_type_name(spec)}, not true/false"
                )
            if not isinstance(value, spec.type):
                raise ConfigError(
                    f"{where}: [{section}] {key} must be {_type_name(spec)}, got {value!r}"
                )
            if isinstance(value, list) and spec.item is not None:
                for element in value:
                    if isinstance(element, bool) or not isinstance(element, spec.item):
                        raise ConfigError(
                            f"{where}: [{section}] {key} items must be "
                            f"{_type_name(Key(spec.item, None, ''))}, got {element!r}"
                        )
                    if spec.choices and element not in spec.choices:
                        raise ConfigError(
                            f"{where}: [{section}] {key}: {element!r} is not one of "
                            f"{', '.join(spec.choices)}"
                        )
            elif spec.choices and value not in spec.choices:
                raise ConfigError(
                    f"{where}: [{section}] {key} = {value!r} is not one of {', '.join(spec.choices)}"
                )
            if isinstance(value, int) and not isinstance(value, bool) and value < 0:
                raise ConfigError(f"{where}: [{section}] {key} must not be negative")
            out.setdefault(section, {})[key] = value
    zone = out.get("general", {}).get("timezone")
    if zone:
        try:
            ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ConfigError(
                f"{path}:{_line(text, 'timezone', 'general')}: unknown time zone {zone!r}; "
                "use a name like Europe/Oslo"
            ) from exc
    return out


def _types(spec: Key) -> tuple[type, ...]:
    return spec.type if isinstance(spec.type, tuple) else (spec.type,)


def _type_name(spec: Key) -> str:
    names = {
        str: "a string",
        int: "a whole number",
        float: "a number",
        bool: "true or false",
        list: "a list",
        dict: "a table",
    }
    if set(_types(spec)) == {int, float}:
        return "a number"
    return " or ".join(names.get(t, t.__name__) for t in _types(spec))


def _unknown(path: Path, text: str, name: str, section: str | None, known: dict[str, Any]) -> str:
    what = f"key '{name}' in [{section}]" if section else f"section [{name}]"
    hint = difflib.get_close_matches(name, list(known), n=1)
    suggestion = f"; did you mean '{hint[0]}'?" if hint else f"; known: {', '.join(known)}"
    return f"{path}:{_line(text, name, section)}: unknown {what}{suggestion}"


def _line(text: str, name: str, section: str | None = None) -> int:
    """Best-effort line number of a key (or section header) in the TOML text."""
    current = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if line.startswith("[") and line.endswith("]"):
            current = line.strip("[]").strip()
            if section is None and current == name:
                return number
            continue
        key = line.split("=", 1)[0].strip().strip('"')
        if "=" in line and key == name and (section is None or current == section):
            return number
    return 1


def render_default_config() -> str:
    """The commented `social.toml` that `social init` writes."""
    lines = [
        "# social.toml: configuration for the 'social' tool.",
        "# Secrets never go here: tokens come from SOCIAL_<PLATFORM>_<NAME> environment",
        "# variables (e.g. SOCIAL_TIKTOK_ACCESS_TOKEN) or from 'social auth <platform>'.",
        "",
    ]
    for section, keys in SCHEMA.items():
        lines.append(f"[{section}]")
        for key, spec in keys.items():
            choices = f" ({' | '.join(spec.choices)})" if spec.choices else ""
            lines.append(f"# {spec.help}{choices}")
            lines.append(f"{key} = {_toml_value(spec.default)}")
        lines.append("")
    return "\n".join(lines)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_toml_value(v)}" for k, v in value.items()) + " }"
    return str(value)


def write_config(path: Path, text: str, *, force: bool = False) -> None:
    """Write a config file, refusing to overwrite one unless forced."""
    if path.exists() and not force:
        raise ConfigError(f"{path} already exists; use --force to overwrite it")
    path.write_text(text, encoding="utf-8")
