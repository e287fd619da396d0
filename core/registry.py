"""The platform registry: every platform social knows, found through one hook.

A platform is a package that exposes a `Platform` record and registers it under
the `social.platforms` entry point group (in its `pyproject.toml`), so a
platform can also live in a package of its own. Core code never names a
platform: it iterates `platforms()` or looks one up with `platform(name)`.

The record's heavier parts (collector factory, auth commands, importers,
sandbox, demo data) are given as callables or "module:attribute" strings that
are loaded only when used, so listing the platforms stays cheap.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from importlib.metadata import entry_points
from typing import TYPE_CHECKING, Any

from core.errors import ConfigError

if TYPE_CHECKING:
    from core.catalogue import MetricInfo
    from core.config import Key

GROUP = "social.platforms"


@dataclass(frozen=True)
class Views:
    """How "views" are defined on a platform, for the reports.

    `concept` is what the headline "views" counts there (LinkedIn: impressions);
    `ad_metrics` the metrics its ad statistics carry; `paid_fallback` maps a
    concept to the ad metrics that stand in for it when the ads do not report it
    (Facebook ads count impressions, not views).
    """

    concept: str = "views"
    ad_metrics: frozenset[str] = frozenset()
    paid_fallback: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class TokenEntry:
    """One token a platform's collectors use: where `social auth status` and reminders look.

    `needed_when` names a key of the platform's config section: the token is listed
    only when that key is set (or the token is stored); empty: always listed.
    `env_refresh` names a refresh-token credential (SOCIAL_<PLATFORM>_<NAME>) that
    stands for the token in the environment (the sync refreshes from it).
    """

    label: str  # shown to users, and the token file entry
    platform: str
    token_name: str  # SOCIAL_<PLATFORM>_<TOKEN_NAME>
    renew: str  # the command that renews it
    needed_when: str = ""
    env_refresh: str = ""


@dataclass(frozen=True)
class Platform:
    """One platform: its names, settings, metrics and the parts that talk to it.

    The data parts (config keys, metrics, labels, tokens) are plain values; the
    code parts are "module:attribute" strings, loaded by `load` when used.
    """

    name: str  # the id stored in the database and used in social.toml: "tiktok"
    display_name: str  # how the platform spells itself: "TikTok"
    views: Views = field(default_factory=Views)
    # The keys of the platform's social.toml section, in the order `social init` writes them.
    config_keys: Mapping[str, Key] = field(default_factory=dict)
    # The metric catalogue entries of this platform (API and export-only metrics alike).
    metrics: tuple[MetricInfo, ...] = ()
    # Labels (nb, en) of the keys of its post breakdowns: (dimension, key) -> labels.
    breakdown_labels: Mapping[tuple[str, str], tuple[str, str]] = field(default_factory=dict)
    # The tokens its collectors use, in the order `social auth status` lists them.
    tokens: tuple[TokenEntry, ...] = ()
    # "module:attribute" of the collector factory: (BuildContext) -> Collector | None.
    collector: str = ""
    # "module:attribute" of a click command (or group) mounted as `social auth <name>`.
    auth_command: str = ""
    # "module:attribute" of a tuple of export-file kinds (importer modules). Each module has
    # PLATFORM, PRIORITY (detection order across all platforms, lower first), EXPECTED,
    # matches(tables) and parse(tables, ctx).
    importers: str = ""
    # The config key (of its section) naming the account an export file belongs to.
    import_account_key: str = ""
    # "module:attribute" of the sandbox part (declared routes, ids, tokens, demo config).
    sandbox: str = ""
    # Sort position in lists and reports (lower first).
    order: int = 100


def load(target: str) -> Any:
    """The object a "module:attribute" string names."""
    module_name, _, attr = target.partition(":")
    obj: Any = importlib.import_module(module_name)
    for part in attr.split(".") if attr else ():
        obj = getattr(obj, part)
    return obj


_extra: dict[str, Platform] = {}


def register(record: Platform) -> None:
    """Add a platform at run time (tests, or a host application); entry points need no call."""
    _extra[record.name] = record
    _installed.cache_clear()


@contextmanager
def registered(record: Platform) -> Iterator[Platform]:
    """A platform added for the duration of a with block, then removed again (tests)."""
    register(record)
    try:
        yield record
    finally:
        _extra.pop(record.name, None)
        _installed.cache_clear()


@cache
def _installed() -> tuple[Platform, ...]:
    found: dict[str, Platform] = {}
    for ep in entry_points(group=GROUP):
        record = ep.load()
        if callable(record) and not isinstance(record, Platform):
            record = record()
        if not isinstance(record, Platform):
            raise ConfigError(
                f"the entry point {ep.name} = {ep.value} in group {GROUP} is not a Platform "
                "record; reinstall the package that provides it"
            )
        found[record.name] = record
    found.update(_extra)
    return tuple(sorted(found.values(), key=lambda p: (p.order, p.name)))


def platforms() -> tuple[Platform, ...]:
    """Every installed platform, in display order."""
    return _installed()


def names() -> tuple[str, ...]:
    """The ids of every installed platform, in display order."""
    return tuple(p.name for p in _installed())


def platform(name: str) -> Platform:
    """The platform called `name`; a ConfigError naming the known ones otherwise."""
    for record in _installed():
        if record.name == name:
            return record
    known = ", ".join(names()) or "none"
    raise ConfigError(f"unknown platform {name!r}; installed platforms: {known}")


def display_name(name: str) -> str:
    """How a platform spells itself, or the id itself for one that is not installed."""
    for record in _installed():
        if record.name == name:
            return record.display_name
    return name
