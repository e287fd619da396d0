"""Load, validate and write `social.toml`.

The schema below (with each installed platform's own section, from the
registry) is the single source of truth: `social init` writes it out with its comments, and loading checks every key and value against it, naming
the line of a bad one and suggesting the nearest known key.
"""

from __future__ import annotations

import builtins
import difflib
import math
import os
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from core import registry
from core.errors import ConfigError

CONFIG_ENV = "SOCIAL_CONFIG"
DEFAULT_NAME = "social.toml"


# Bounds every value obeys unless its key says otherwise: no number or text a later step
# cannot use (a 20-digit integer overflows SQLite and timedelta; a megabyte of text is a typo).
MAX_TEXT = 2_000
MAX_ITEMS = 100
MAX_ID = 2**63 - 1  # an account id written as a number must fit SQLite's INTEGER


@dataclass(frozen=True)
class Key:
    """One configuration key: its type, default, allowed range and the comment `social init` writes.

    `low`/`high` bound a number (or each number in a list), both ends included;
    `check` returns what is wrong with a value (None when it is fine), checked after
    the type and range, so one line can name the key and the fix.
    """

    type: type | tuple[type, ...]
    default: Any
    help: str
    choices: tuple[str, ...] = ()  # for a list: the values its items may take
    item: builtins.type | tuple[builtins.type, ...] | None = None  # for a list: its items' type
    low: float | None = None
    high: float | None = None
    check: Callable[[Any], str | None] | None = None
    max_items: int = MAX_ITEMS


def _not_empty(value: Any) -> str | None:
    return "must not be empty" if isinstance(value, str) and not value.strip() else None


def check_url(value: Any) -> str | None:
    if value and not re.match(r"^https?://[^\s/?#]+[^\s]*$", str(value)):
        return "must be an http:// or https:// address (no spaces)"
    return None


def _https_url(value: Any) -> str | None:
    # Plain http only to this machine (a local relay or a test server): the URL is a secret.
    local = r"^http://(127\.0\.0\.1|localhost|\[::1\])(:\d+)?(/[^\s]*)?$"
    text = str(value)
    if value and not (re.match(r"^https://[^\s/?#]+[^\s]*$", text) or re.match(local, text)):
        return "must be an https:// address"
    return None


def _currency(value: Any) -> str | None:
    return None if re.fullmatch(r"[A-Z]{3}", str(value)) else "must be a currency code like NOK"


def _email_like(value: Any) -> str | None:
    text = str(value)
    if text and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", text):
        return f"{text!r} is not an e-mail address"
    return None


def _digest(value: Any) -> str | None:
    text = str(value).strip().lower()
    if text in ("", "off"):
        return None
    if re.fullmatch(r"(mon|tue|wed|thu|fri|sat|sun)[a-z]* ([01]?\d|2[0-3]):[0-5]\d", text):
        return None
    return "must be a weekday and a time like 'sun 18:00', or 'off'"


def _cron(value: Any) -> str | None:
    text = str(value)
    if len(text.split()) != 5:
        return "must be a crontab expression with 5 fields, e.g. '15 5 * * *'"
    try:
        from apscheduler.triggers.cron import CronTrigger

        CronTrigger.from_crontab(text, timezone="UTC")
    except ValueError as exc:
        return f"is not a valid crontab expression ({exc})"
    return None


def _cron_or_off(value: Any) -> str | None:
    return None if str(value).strip().lower() == "off" else _cron(value)


def _exam_periods(value: Any) -> str | None:
    for pair in value:
        ok = isinstance(pair, list) and len(pair) == 2 and all(_mm_dd(x) for x in pair)
        if not ok:
            return f'items must be pairs like ["05-01", "06-20"], got {pair!r}'
    return None


def _mm_dd(text: Any) -> bool:
    from datetime import date

    if not isinstance(text, str) or not re.fullmatch(r"\d{2}-\d{2}", text):
        return False
    try:
        date.fromisoformat(f"2024-{text}")  # a leap year: 02-29 is a real day
    except ValueError:
        return False
    return True


def _emails(value: Any) -> str | None:
    for item in value:
        problem = _email_like(item)
        if problem:
            return problem
    return None


def _themes(value: Any) -> str | None:
    for tag, theme in value.items():
        if not isinstance(theme, str) or not theme.strip() or len(theme) > 100:
            return f"{tag} = {theme!r}: each theme must be a short text"
    return None


# The sections before the platforms' own.
_BEFORE: dict[str, dict[str, Key]] = {
    "general": {
        "database": Key(str, "social.db", "SQLite file, relative to this file", check=_not_empty),
        "timezone": Key(
            str, "Europe/Oslo", "Days and ISO weeks are computed in this zone", check=_not_empty
        ),
        "language": Key(str, "nb", "Language of reports and reminders", ("nb", "en")),
    },
    "sync": {
        "backfill_days": Key(int, 365, "How far back the first sync goes", low=1, high=3650),
        "refresh_days": Key(
            int, 90, "Refresh metrics of posts younger than this", low=0, high=3650
        ),
        "ads_lookback_days": Key(
            int, 7, "Re-collect this many trailing days of ad stats (late data)", low=0, high=90
        ),
        "organic_lookback_days": Key(
            int, 5, "Re-collect this many trailing days of daily organic stats", low=0, high=90
        ),
        "timeout_seconds": Key((int, float), 30, "HTTP timeout per request", low=1, high=600),
        "max_retries": Key(
            int, 5, "Retries of a retriable error (429, 5xx) before giving up", low=0, high=20
        ),
    },
}

# The sections after the platforms' own (which come from the registry, between these two).
_AFTER: dict[str, dict[str, Key]] = {
    "email": {
        "host": Key(str, "", "SMTP server; empty disables e-mail"),
        "port": Key(int, 587, "SMTP port", low=1, high=65535),
        "security": Key(str, "starttls", "Connection security", ("starttls", "tls", "none")),
        "username": Key(str, "", "SMTP user (password from SOCIAL_SMTP_PASSWORD)"),
        "sender": Key(str, "", "From address", check=_email_like),
    },
    "reports": {
        "recipients": Key(
            list, [], "Who receives the weekly report by e-mail", item=str, check=_emails
        ),
        "output_dir": Key(str, "reports", "Where generated reports are written", check=_not_empty),
        "currency": Key(
            str,
            "NOK",
            "Currency of ad spend in reports (the ad accounts' currency)",
            check=_currency,
        ),
        "stale_after_hours": Key(
            int,
            48,
            "Warn in reports when a platform's last successful sync is older",
            low=1,
            high=8760,
        ),
        "top_posts": Key(int, 5, "How many top posts the weekly report lists", low=1, high=100),
        "attach_pdf": Key(bool, False, "Attach a PDF of the report to e-mails (needs Chromium)"),
    },
    "reminders": {
        "before_hours": Key(
            list,
            [24, 2],
            "Remind this many hours before a slot",
            item=(int, float),
            low=0,
            high=720,
            max_items=10,
        ),
        "overdue_hours": Key(
            (int, float), 2, "Nudge if not published this long after a slot", low=0, high=720
        ),
        "digest": Key(
            str, "sun 18:00", "Weekly digest of each person's coming week", check=_digest
        ),
        "slack_webhook": Key(
            str, "", "Slack incoming webhook URL (or SOCIAL_SLACK_WEBHOOK)", check=_https_url
        ),
        "teams_webhook": Key(
            str, "", "Teams incoming webhook URL (or SOCIAL_TEAMS_WEBHOOK)", check=_https_url
        ),
        "channels": Key(
            list,
            ["email", "slack", "teams"],
            "Channels to try per person, in order (console when none reaches them)",
            ("email", "slack", "teams", "console"),
            item=str,
        ),
        "overdue_until_hours": Key(
            (int, float),
            72,
            "Stop the overdue nudge this many hours after it was due",
            low=0,
            high=8760,
        ),
        "brief_days_before": Key(
            list,
            [3, 0],
            "Remind the communications team this many days before a brief deadline",
            item=int,
            low=0,
            high=365,
            max_items=10,
        ),
        "max_attempts": Key(
            int, 5, "Give up on a delivery after this many failed attempts", low=1, high=100
        ),
    },
    "calendar": {
        "event_minutes": Key(
            int, 30, "Length of a calendar slot in the iCal feed (minutes)", low=1, high=1440
        ),
        "match_window_hours": Key(
            (int, float),
            36,
            "A published post matches a slot planned this close in time",
            low=0,
            high=720,
        ),
        "feed_base_url": Key(
            str,
            "",
            "Base URL phones subscribe to, e.g. http://192.168.1.20:8765/feeds",
            check=check_url,
        ),
    },
    "scheduler": {
        "sync_cron": Key(
            str, "15 5 * * *", "When the service syncs (cron, local time)", check=_cron
        ),
        "weekly_report_cron": Key(
            str, "0 7 * * mon", "When the weekly report is sent", check=_cron
        ),
    },
    "briefs": {
        "template_dir": Key(str, "", "Folder whose templates override the built-ins"),
    },
    "consent": {
        "guardian_below_age": Key(
            int,
            15,
            "Under this age a guardian must consent (Datatilsynet: 15; from 15 a pupil "
            "normally consents to ordinary photos and video)",
            low=13,
            high=18,
        ),
        "adult_age": Key(int, 18, "People under this age are minors", low=15, high=21),
        "valid_months": Key(
            int, 12, "A consent is valid this long from signing (renewed yearly)", low=1, high=60
        ),
        "remind_days_before": Key(
            list,
            [30, 7],
            "Remind the communications team this many days before a consent expires",
            item=int,
            low=0,
            high=365,
            max_items=10,
        ),
    },
    "backup": {
        "dir": Key(str, "backups", "Folder for backups, relative to this file", check=_not_empty),
        "nightly_cron": Key(
            str,
            "30 2 * * *",
            "When the scheduler service backs the database up (cron, local time; 'off' for never)",
            check=_cron_or_off,
        ),
        "keep_days": Key(
            int,
            14,
            "Delete automatic backups older than this (the newest one always stays)",
            low=1,
            high=3650,
        ),
    },
    "sandbox": {
        "autostart": Key(
            bool,
            False,
            "Serve the built-in sandbox during 'social sync' (the base_url lines point at it)",
        ),
        "seed": Key(
            int, 42, "Data seed of the sandbox started by autostart", low=0, high=2**31 - 1
        ),
    },
    "insights": {
        "exam_periods": Key(
            list,
            [["05-01", "06-20"], ["11-20", "12-20"]],
            'Exam seasons as ["MM-DD", "MM-DD"] pairs (local dates)',
            item=list,
            check=_exam_periods,
            max_items=12,
        ),
        "hashtag_themes": Key(
            dict,
            {},
            'Extra hashtag (without #) to theme mappings, e.g. { matte = "T-matte" }',
            check=_themes,
            max_items=1000,
        ),
        "age_days": Key(
            int,
            7,
            "Compare posts by their views this many days after publishing",
            low=1,
            high=365,
        ),
        "baseline_posts": Key(
            int, 30, "The running median uses this many earlier posts", low=1, high=1000
        ),
        "min_group_posts": Key(
            int, 5, "Groups with fewer posts are listed but not ranked", low=1, high=1000
        ),
    },
    "web": {
        "host": Key(
            str, "127.0.0.1", "Address 'social serve' listens on (127.0.0.1: this machine)"
        ),
        "port": Key(int, 8000, "Port 'social serve' listens on", low=1, high=65535),
        "base_url": Key(
            str,
            "",
            "Address people open the app at, e.g. https://social.example.no (login links use it)",
            check=check_url,
        ),
        "session_hours": Key(int, 12, "A sign-in lasts at most this many hours", low=1, high=720),
        "idle_minutes": Key(
            int, 120, "A sign-in ends after this many minutes without use", low=5, high=43200
        ),
        "checklist": Key(
            list,
            ["captions", "consent", "ad_label", "branded_content"],
            "Publishing checklist: built-in items, or any text as your own item",
            item=str,
            max_items=50,
        ),
    },
}


_built: tuple[tuple[object, ...], dict[str, dict[str, Key]]] | None = None


def schema() -> dict[str, dict[str, Key]]:
    """Every section and key social.toml may hold: the core's and each installed platform's.

    A platform's section is its record's `config_keys` (core.registry), asked at call
    time so the core never imports a platform; rebuilt only when the registry changes.
    """
    global _built
    records = registry.platforms()
    if _built is None or _built[0] is not records:
        own = {p.name: dict(p.config_keys) for p in records if p.config_keys}
        _built = (records, {**_BEFORE, **own, **_AFTER})
    return _built[1]


@dataclass
class Config:
    """A validated configuration; values not in the file take the schema default."""

    path: Path | None
    values: dict[str, dict[str, Any]] = field(default_factory=dict)

    def get(self, section: str, key: str) -> Any:
        """A value, or its default."""
        return self.values.get(section, {}).get(key, schema()[section][key].default)

    def section(self, name: str) -> dict[str, Any]:
        """All keys of a section with defaults filled in."""
        return {k: self.get(name, k) for k in schema()[name]}

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
    def backup_dir(self) -> Path:
        return self.base_dir / str(self.get("backup", "dir"))

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
    text = _read(found)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(
            f"{found}: not valid TOML ({exc}); fix the line or run 'social init --force'"
        ) from exc
    except RecursionError:
        raise ConfigError(
            f"{found}:{_deepest_line(text)}: arrays nested too deeply; social.toml needs at "
            'most a list of pairs, e.g. exam_periods = [["05-01", "06-20"]]'
        ) from None
    return Config(path=found.resolve(), values=_validate(data, text, found))


def _read(path: Path) -> str:
    """The config text; a file that is not UTF-8 (or not readable) is one clear error."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(
            f"{path}: cannot read it ({exc.strerror or exc}); check the path and its permissions"
        ) from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise ConfigError(
            f"{path}:{line}: not UTF-8 text (byte 0x{raw[exc.start]:02x}); save the file as "
            "UTF-8 in your editor (or run 'social init --force' for a fresh one)"
        ) from None


def _deepest_line(text: str) -> int:
    depth = best = 0
    line = best_line = 1
    for char in text:
        if char == "\n":
            line += 1
        elif char == "[":
            depth += 1
            if depth > best:
                best, best_line = depth, line
        elif char == "]":
            depth -= 1
    return best_line


def _validate(data: dict[str, Any], text: str, path: Path) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    known = schema()
    for section, table in data.items():
        if section not in known:
            raise ConfigError(_unknown(path, text, section, None, known))
        if not isinstance(table, dict):
            raise ConfigError(f"{path}:{_line(text, section)}: '{section}' must be a [section]")
        for key, value in table.items():
            spec = known[section].get(key)
            if spec is None:
                raise ConfigError(_unknown(path, text, key, section, known[section]))
            where = f"{path}:{_line(text, key, section)}: [{section}] {key}"
            problem = _problem(spec, value)
            if problem:
                sep = "" if problem.startswith(":") else " "
                raise ConfigError(f"{where}{sep}{problem}; {_fix(spec)}")
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


def _problem(spec: Key, value: Any) -> str | None:
    """What is wrong with a value for this key (type, range, items, format), or None."""
    if isinstance(value, bool) and spec.type is not bool and bool not in _types(spec):
        return f"must be {_type_name(spec)}, not true/false"
    if not isinstance(value, spec.type):
        return f"must be {_type_name(spec)}, got {_shown(value)}"
    if isinstance(value, str) and len(value) > MAX_TEXT:
        return f"is {len(value)} characters long; at most {MAX_TEXT} are allowed"
    if isinstance(value, list | dict) and len(value) > spec.max_items:
        return f"has {len(value)} items; at most {spec.max_items} are allowed"
    if isinstance(value, list):
        for element in value:
            problem = _item_problem(spec, element)
            if problem:
                return problem
    elif spec.choices and value not in spec.choices:
        return f"= {value!r} is not one of {', '.join(spec.choices)}"
    else:
        problem = _number_problem(spec, value)
        if problem:
            return problem
    if spec.check is not None and value != spec.default:  # the defaults are valid
        return spec.check(value)
    return None


def _item_problem(spec: Key, element: Any) -> str | None:
    if spec.item is not None and (isinstance(element, bool) or not isinstance(element, spec.item)):
        return f"items must be {_type_name(Key(spec.item, None, ''))}, got {_shown(element)}"
    if spec.choices and element not in spec.choices:
        return f": {element!r} is not one of {', '.join(spec.choices)}"
    if isinstance(element, str) and len(element) > MAX_TEXT:
        return f"items may be at most {MAX_TEXT} characters long"
    problem = _number_problem(spec, element)
    return f"items {problem}" if problem else None


def _number_problem(spec: Key, value: Any) -> str | None:
    """Numbers must be finite and inside the key's range (a 20-digit integer is refused too)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return f"must be a finite number, got {value}"
    low = spec.low if spec.low is not None else 0
    high = spec.high if spec.high is not None else MAX_ID
    if not low <= value <= high:
        return f"must be between {_num(low)} and {_num(high)}, got {_shown(value)}"
    return None


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _fix(spec: Key) -> str:
    return f"fix it, or delete the line to use the default ({_toml_value(spec.default)})"


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
    example = registry.names()[0] if registry.names() else "<platform>"
    lines = [
        "# social.toml: configuration for the 'social' tool.",
        "# Secrets never go here: tokens come from SOCIAL_<PLATFORM>_<NAME> environment",
        f"# variables (e.g. SOCIAL_{example.upper()}_ACCESS_TOKEN) or from 'social auth <platform>'.",
        "",
    ]
    for section, keys in schema().items():
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
