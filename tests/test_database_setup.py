"""Only `social init` (and `social demo`) create a database: a mistyped path is an error."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from social.cli import cli


def test_a_database_path_that_does_not_exist_is_refused_not_created(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert runner.invoke(cli, ["init"]).exit_code == 0
    config = tmp_path / "social.toml"
    config.write_text(config.read_text().replace('database = "social.db"', 'database = "sun"'))
    result = runner.invoke(cli, ["posts"])
    assert result.exit_code == 1
    assert result.output.strip() == (
        f"Error: the database {tmp_path / 'sun'} does not exist; check [general] database in "
        "social.toml, or run 'social init' to create a new one"
    )
    assert not (tmp_path / "sun").exists()


def test_a_folder_without_social_toml_gets_no_stray_database(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SOCIAL_CONFIG", raising=False)
    for args in (["posts"], ["status"], ["team", "list"], ["calendar", "list"]):
        result = runner.invoke(cli, args)
        assert result.exit_code == 1, result.output
        assert "no social.toml in" in result.output and "run 'social init'" in result.output
    assert list(tmp_path.iterdir()) == []


def test_init_creates_the_database_and_a_second_init_only_what_is_missing(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    first = runner.invoke(cli, ["init"])
    assert first.exit_code == 0 and "created the database" in first.output
    assert (tmp_path / "social.db").exists()
    assert runner.invoke(cli, ["posts"]).exit_code == 0
    (tmp_path / "social.db").unlink()
    again = runner.invoke(cli, ["init"])
    assert again.exit_code == 0
    assert "social.toml is already here; created the database" in again.output
    third = runner.invoke(cli, ["init"])
    assert third.exit_code == 1 and "already exists; use --force" in third.output
