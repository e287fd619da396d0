"""Shared fixtures: a fresh database file, a workspace folder, the CLI runner."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlite_utils import Database

from collectors.instagram.platform import PLATFORM as INSTAGRAM
from core import registry
from core.config import render_default_config
from db import open_db

# The suite runs with every platform of this tree installed. A checkout installed before
# Instagram's entry point was added lacks it: register it the way the entry point does.
if INSTAGRAM.name not in registry.names():
    registry.register(INSTAGRAM)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "social.db"


@pytest.fixture
def fresh_db(db_path: Path) -> Database:
    """A migrated, empty database in a real file."""
    return open_db(db_path)


@pytest.fixture
def workspace_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder with a default social.toml and its database (as `social init` makes them),
    made the working directory."""
    (tmp_path / "social.toml").write_text(render_default_config(), encoding="utf-8")
    open_db(tmp_path / "social.db").close()
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SOCIAL_CONFIG", raising=False)
    return tmp_path


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


# A real SMTP server (aiosmtpd) for the e-mail tests.
pytest_plugins = ["tests.delivery_support"]
