"""Imports go through the sync's orchestrator: logged in sync_runs as 'import', all or nothing."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from import_support import FB_PAGE, LINKEDIN_ORG, linkedin_xlsx, meta_posts_csv
from sqlite_utils import Database

from collectors.importers import Context, read_export
from core.domain import Account
from db import open_db, queries, writes
from social import ingest
from social.cli import cli

NOW = datetime(2026, 1, 10, 9, 0, tzinfo=UTC)


def _parse(path: Path):  # type: ignore[no-untyped-def]
    return read_export(path, Context(path.name, "Europe/Oslo", NOW, NOW.date()))


def _everything(db: Database) -> dict[str, list[tuple[object, ...]]]:
    tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    return {t: sorted(db.execute(f"SELECT * FROM [{t}]").fetchall(), key=repr) for t in tables}


def _runs(db: Database) -> list[tuple[object, ...]]:
    return db.execute(
        "SELECT platform, kind, outcome, new_posts, updated_values, requests, error FROM sync_runs"
    ).fetchall()


def test_an_import_is_recorded_in_sync_runs_as_an_import(
    fresh_db: Database, tmp_path: Path
) -> None:
    result = ingest.import_file(
        fresh_db,
        _parse(linkedin_xlsx(tmp_path / "content.xlsx")),
        "content.xlsx",
        account_id=LINKEDIN_ORG,
    )
    ((platform, kind, outcome, new_posts, changed, requests, error),) = _runs(fresh_db)
    assert (platform, kind, outcome, requests, error) == ("linkedin", "import", "ok", 0, None)
    assert (new_posts, changed) == (result.new_posts, result.changed) == (2, result.values)


def test_social_import_logs_its_run_next_to_the_syncs(
    runner: CliRunner, workspace_dir: Path
) -> None:
    path = linkedin_xlsx(workspace_dir / "content.xlsx")
    done = runner.invoke(cli, ["import", str(path), "--account", LINKEDIN_ORG])
    assert done.exit_code == 0, done.output
    db = open_db(workspace_dir / "social.db")
    assert [r[:3] for r in _runs(db)] == [("linkedin", "import", "ok")]
    # An import is not a sync: `social status` still says the platform was never synced.
    assert queries.latest_runs(db) == []
    status = json.loads(runner.invoke(cli, ["status", "--format", "json"]).output)
    assert status["syncs"] == []


def test_a_failed_import_leaves_the_database_as_it_was(
    fresh_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _parse(linkedin_xlsx(tmp_path / "content.xlsx"))
    ingest.import_file(fresh_db, first, "content.xlsx", account_id=LINKEDIN_ORG)
    before = _everything(fresh_db)

    def broken(*args: object, **kwargs: object) -> int:
        raise OSError("disk full")  # after the account and the posts are written

    monkeypatch.setattr(writes, "save_metric_values", broken)
    second = _parse(meta_posts_csv(tmp_path / "posts.csv"))
    assert second.page.posts
    with pytest.raises(OSError, match="disk full"):
        ingest.import_file(fresh_db, second, "posts.csv", account_id=FB_PAGE)
    assert _everything(fresh_db) == before


def test_a_dry_run_import_stores_and_logs_nothing(fresh_db: Database, tmp_path: Path) -> None:
    before = _everything(fresh_db)
    result = ingest.import_file(
        fresh_db,
        _parse(linkedin_xlsx(tmp_path / "content.xlsx")),
        "content.xlsx",
        account_id=LINKEDIN_ORG,
        dry_run=True,
    )
    assert result.dry_run and result.new_posts == 2
    assert _everything(fresh_db) == before


def test_a_sync_run_keeps_what_earlier_pages_stored_and_says_how_far_it_got(
    fresh_db: Database, tmp_path: Path
) -> None:
    page = _parse(linkedin_xlsx(tmp_path / "content.xlsx")).page  # one page, as an API's
    run = ingest.start_sync(fresh_db, "linkedin")
    run.store(Account("linkedin", "organization", LINKEDIN_ORG, "Eksempel AS"), page)
    run.finish("failed", requests=3, error="the second page failed")
    ((platform, kind, outcome, new_posts, _, requests, error),) = _runs(fresh_db)
    assert (platform, kind, outcome, new_posts, requests) == ("linkedin", "sync", "failed", 2, 3)
    assert error == "the second page failed"
    assert fresh_db.execute("SELECT COUNT(*), MIN(source) FROM posts").fetchone() == (2, "api")
