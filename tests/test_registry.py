"""A platform registered through the registry alone reaches every core part that lists platforms."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType

import pytest

from collectors.auth import TokenStore, token_entries, token_statuses
from collectors.base import BuildContext, build_collector
from collectors.importers import kinds
from collectors.importers.readers import Table
from core import registry
from core.catalogue import CATALOGUE, MetricInfo, metrics_for
from core.config import Key, load_config, render_default_config, schema
from core.errors import ConfigError
from core.registry import Platform, TokenEntry

NAME = "mastodon"


def _matches(tables: list[Table]) -> bool:
    return False


# An export kind of the plugin, tried between the installed kinds by its priority.
KIND = ModuleType("mastodon_export")
KIND.PLATFORM = NAME  # type: ignore[attr-defined]
KIND.PRIORITY = 45  # type: ignore[attr-defined]
KIND.EXPECTED = "Mastodon account export"  # type: ignore[attr-defined]
KIND.matches = _matches  # type: ignore[attr-defined]
KINDS = (KIND,)


def build(ctx: BuildContext) -> str:
    return f"collector for {ctx.config.get(NAME, 'instance')}"


PLUGIN = Platform(
    name=NAME,
    display_name="Mastodon",
    config_keys={
        "enabled": Key(bool, False, "Collect Mastodon"),
        "instance": Key(str, "https://mastodon.social", "The server the account lives on"),
        "account_id": Key(str, "", "The account's numeric id"),
    },
    metrics=(
        MetricInfo(
            platform=NAME,
            metric="reblogs_count",
            concept="shares",
            additive=True,
            nb="Delinger",
            en="Boosts",
            meaning="Times a post was boosted.",
        ),
    ),
    tokens=(
        TokenEntry(NAME, NAME, "access_token", "social auth mastodon"),
        TokenEntry(
            "mastodon_admin", NAME, "admin_token", "social auth mastodon", needed_when="account_id"
        ),
    ),
    collector=f"{__name__}:build",
    importers=f"{__name__}:KINDS",
    import_account_key="account_id",
    order=90,
)


@pytest.fixture(autouse=True)
def plugin() -> Iterator[Platform]:
    with registry.registered(PLUGIN) as record:
        yield record


def test_it_is_listed_after_the_installed_platforms_by_its_order() -> None:
    assert registry.names()[-1] == NAME
    assert registry.display_name(NAME) == "Mastodon"
    assert registry.platform(NAME) is PLUGIN


def test_its_section_is_written_validated_and_read(tmp_path: Path) -> None:
    assert list(schema()[NAME]) == ["enabled", "instance", "account_id"]
    assert "[mastodon]\n# Collect Mastodon\nenabled = false\n" in render_default_config()
    path = tmp_path / "social.toml"
    path.write_text('[mastodon]\nenabled = true\ninstance = "https://x.example"\n')
    config = load_config(path)
    assert config.get(NAME, "enabled") is True and config.get(NAME, "account_id") == ""
    path.write_text("[mastodon]\ninstanse = 1\n")
    with pytest.raises(ConfigError, match="did you mean 'instance'"):
        load_config(path)


def test_its_metrics_are_in_the_catalogue() -> None:
    assert CATALOGUE[(NAME, "reblogs_count")].label("en") == "Boosts"
    assert [m.metric for m in metrics_for("shares", NAME)] == ["reblogs_count"]


def test_its_tokens_are_listed_the_optional_one_only_when_its_key_is_set(tmp_path: Path) -> None:
    store = TokenStore(tmp_path / "tokens.json")
    now = datetime(2026, 11, 16, tzinfo=UTC)
    assert [e.label for e in token_entries()][-2:] == [NAME, "mastodon_admin"]
    path = tmp_path / "social.toml"
    path.write_text("[mastodon]\nenabled = true\n")
    labels = [s.platform for s in token_statuses(load_config(path), store, now=now)]
    assert NAME in labels and "mastodon_admin" not in labels
    path.write_text('[mastodon]\naccount_id = "109"\n')
    labels = [s.platform for s in token_statuses(load_config(path), store, now=now)]
    assert "mastodon_admin" in labels


def test_its_collector_and_export_kinds_come_from_its_record(tmp_path: Path) -> None:
    ctx = BuildContext(load_config(None), TokenStore(tmp_path / "tokens.json"))
    collector: object = build_collector(NAME, ctx)
    assert collector == "collector for https://mastodon.social"
    order = [k.PRIORITY for k in kinds()]
    assert KIND in kinds() and order == sorted(order)


def test_leaving_the_block_removes_it_again() -> None:
    with registry.registered(Platform(name="bluesky", display_name="Bluesky")):
        assert "bluesky" in registry.names()
    assert "bluesky" not in registry.names() and NAME in registry.names()
