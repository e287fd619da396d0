"""social.toml: written by init, validated on load with line numbers and suggestions."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from core.config import load_config, render_default_config
from core.errors import ConfigError
from social.cli import cli


def test_init_writes_a_config_that_loads_with_the_defaults(
    tmp_path: Path, runner: CliRunner
) -> None:
    result = runner.invoke(cli, ["init", "--dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    config = load_config(tmp_path / "social.toml")
    assert config.timezone == "Europe/Oslo"
    assert config.language == "nb"
    assert config.get("tiktok", "base_url") == "https://open.tiktokapis.com"


def test_init_refuses_to_overwrite_without_force(tmp_path: Path, runner: CliRunner) -> None:
    runner.invoke(cli, ["init", "--dir", str(tmp_path)])
    result = runner.invoke(cli, ["init", "--dir", str(tmp_path)])
    assert result.exit_code == 1
    assert "already exists; use --force" in result.output


def test_a_misspelt_key_is_reported_with_its_line_and_a_suggestion(tmp_path: Path) -> None:
    path = tmp_path / "social.toml"
    path.write_text('[general]\ntimezone = "Europe/Oslo"\n\n[sync]\nbackfil_days = 30\n')
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert str(err.value) == (
        f"{path}:5: unknown key 'backfil_days' in [sync]; did you mean 'backfill_days'?"
    )


def test_a_wrong_type_is_reported_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "social.toml"
    path.write_text('[sync]\nrefresh_days = "ninety"\n')
    with pytest.raises(
        ConfigError, match=r"social.toml:2: \[sync\] refresh_days must be a whole number"
    ):
        load_config(path)


def test_an_unknown_time_zone_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "social.toml"
    path.write_text('[general]\ntimezone = "Europe/Olso"\n')
    with pytest.raises(ConfigError, match="unknown time zone 'Europe/Olso'"):
        load_config(path)


def test_broken_toml_is_one_clear_line_from_the_cli(tmp_path: Path, runner: CliRunner) -> None:
    path = tmp_path / "social.toml"
    path.write_text("[sync\nbackfill_days = 3\n")
    result = runner.invoke(cli, ["--config", str(path), "status"])
    assert result.exit_code == 1
    assert "not valid TOML" in result.output
    assert "Traceback" not in result.output


def test_the_default_config_documents_every_key() -> None:
    text = render_default_config()
    assert text.count("\n# ") >= 30
    assert "SOCIAL_TIKTOK_ACCESS_TOKEN" in text


def test_list_items_are_checked_with_the_line(tmp_path: Path) -> None:
    path = tmp_path / "social.toml"
    path.write_text('[reminders]\nbefore_hours = [24, "2"]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"social.toml:2: \[reminders\] before_hours items must"):
        load_config(path)
    path.write_text('[reminders]\nchannels = ["email", "sms"]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"channels: 'sms' is not one of email, slack, teams"):
        load_config(path)
