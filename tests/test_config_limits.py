"""Every setting has a range: a value a later step cannot use is one line naming the line and key.

Findings from outside testing (issue 14): a non-UTF-8 social.toml, deeply nested arrays, inf,
nan, 1e300 and 20-digit integers in hours and day counts, and `timezone = ""` ended in an
"internal error" instead of a line that says what to fix.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from core.config import load_config, render_default_config, schema
from core.errors import ConfigError
from social.cli import cli


def _one_line_error(runner: CliRunner, config: Path, *args: str) -> str:
    result = runner.invoke(cli, ["--config", str(config), *args])
    assert result.exit_code == 1, result.output
    assert "internal error" not in result.output and "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    return lines[0]


@pytest.mark.parametrize(
    ("toml", "expected"),
    [
        ("[reminders]\nbefore_hours = [24, inf]\n", "before_hours items must be a finite number"),
        ("[reminders]\nbefore_hours = [nan]\n", "before_hours items must be a finite number"),
        ("[reminders]\nbefore_hours = [1e300]\n", "before_hours items must be between 0 and 720"),
        (
            "[reminders]\nbefore_hours = [12345678901234567890]\n",
            "before_hours items must be between 0 and 720",
        ),
        ("[reminders]\noverdue_hours = inf\n", "overdue_hours must be a finite number"),
        ("[calendar]\nevent_minutes = 99999999999999999999\n", "event_minutes must be between"),
        ("[calendar]\nevent_minutes = 0\n", "event_minutes must be between 1 and 1440"),
        ("[calendar]\nmatch_window_hours = nan\n", "match_window_hours must be a finite number"),
        ("[calendar]\nmatch_window_hours = 1e300\n", "match_window_hours must be between 0 and"),
        ("[insights]\nage_days = 12345678901234567890\n", "age_days must be between 1 and 365"),
        ("[insights]\nage_days = -1\n", "age_days must be between 1 and 365"),
        ('[general]\ntimezone = ""\n', "[general] timezone must not be empty"),
        ('[general]\ndatabase = "  "\n', "[general] database must not be empty"),
        ("[sync]\ntimeout_seconds = inf\n", "timeout_seconds must be a finite number"),
        ("[email]\nport = 70000\n", "port must be between 1 and 65535"),
        ('[scheduler]\nsync_cron = "99 * * * *"\n', "sync_cron is not a valid crontab"),
        ('[reminders]\ndigest = "søndag kl 18"\n', "digest must be a weekday and a time"),
        ('[reports]\ncurrency = "kroner"\n', "currency must be a currency code like NOK"),
        ('[insights]\nexam_periods = [["02-30", "03-01"]]\n', "exam_periods items must be"),
        ('[tiktok]\nbase_url = "ftp://x"\n', "base_url must be an http:// or https://"),
        ("[tiktok]\nadvertiser_ids = [1e3]\n", "advertiser_ids items must be a string or"),
    ],
)
def test_a_value_out_of_range_is_one_line_with_the_line_and_the_default(
    tmp_path: Path, runner: CliRunner, toml: str, expected: str
) -> None:
    config = tmp_path / "social.toml"
    config.write_text("# my settings\n" + toml, encoding="utf-8")
    line = _one_line_error(runner, config, "status")
    assert line.startswith(f"Error: {config}:3: ") or line.startswith(f"Error: {config}:2: ")
    assert expected in line
    assert "delete the line to use the default" in line


def test_a_config_that_is_not_utf8_names_the_line_and_the_fix(
    tmp_path: Path, runner: CliRunner
) -> None:
    config = tmp_path / "social.toml"
    config.write_bytes('[general]\n# Bjørn\ntimezone = "Europe/Oslo"\n'.encode("latin-1"))
    line = _one_line_error(runner, config, "status")
    assert line == (
        f"Error: {config}:2: not UTF-8 text (byte 0xf8); save the file as UTF-8 in your editor "
        "(or run 'social init --force' for a fresh one)"
    )


def test_deeply_nested_arrays_are_refused_with_the_line(tmp_path: Path, runner: CliRunner) -> None:
    config = tmp_path / "social.toml"
    config.write_text("[insights]\n\nexam_periods = " + "[" * 5000 + "]" * 5000 + "\n")
    line = _one_line_error(runner, config, "status")
    assert line.startswith(f"Error: {config}:3: arrays nested too deeply")


def test_nested_lists_inside_a_list_of_pairs_are_refused(tmp_path: Path) -> None:
    config = tmp_path / "social.toml"
    config.write_text('[insights]\nexam_periods = [[["05-01"], "06-20"]]\n')
    with pytest.raises(ConfigError, match=r"social.toml:2: \[insights\] exam_periods items"):
        load_config(config)


def test_an_unreadable_config_is_one_clear_error(tmp_path: Path) -> None:
    folder = tmp_path / "social.toml"
    folder.mkdir()
    with pytest.raises(ConfigError, match="cannot read it"):
        load_config(folder)


def test_every_number_in_the_schema_has_a_range_and_its_default_obeys_it() -> None:
    for section, keys in schema().items():
        for name, key in keys.items():
            types = key.type if isinstance(key.type, tuple) else (key.type,)
            if int in types or float in types:
                assert key.low is not None and key.high is not None, f"[{section}] {name}"


def test_the_written_default_config_passes_its_own_checks(tmp_path: Path) -> None:
    config = tmp_path / "social.toml"
    config.write_text(render_default_config(), encoding="utf-8")
    assert load_config(config).get("calendar", "event_minutes") == 30
