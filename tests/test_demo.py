"""`social demo` runs the whole product against the sandbox, through real HTTP, idempotently."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from db import open_db
from social.cli import cli


def test_demo_syncs_every_platform_and_prints_last_week(tmp_path: Path, runner: CliRunner) -> None:
    target = tmp_path / "demo"
    result = runner.invoke(cli, ["demo", str(target), "--port", "0"])
    assert result.exit_code == 0, result.output
    for platform in ("tiktok", "linkedin", "facebook"):
        assert f"{platform}: " in result.output and "FAILED" not in result.output
    assert "Siste hele uke (uke" in result.output
    db = open_db(target / "social.db")
    platforms = {r[0] for r in db.execute("SELECT DISTINCT platform FROM posts")}
    assert platforms == {"tiktok", "linkedin", "facebook"}
    assert "sandbox-demo-token" not in (target / "social.toml").read_text()  # tokens: 0600 file
    assert (target / ".social-tokens.json").stat().st_mode & 0o077 == 0

    counts = {t: db[t].count for t in ("posts", "ad_entities", "accounts")}
    again = runner.invoke(cli, ["demo", str(target), "--port", "0"])
    assert again.exit_code == 0, again.output
    assert {t: db[t].count for t in counts} == counts

    posts = runner.invoke(cli, ["--config", str(target / "social.toml"), "posts", "--format", "json",
                                "--platform", "tiktok", "--limit", "5"])
    assert posts.exit_code == 0
    assert len(json.loads(posts.output)) == 5
