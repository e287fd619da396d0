"""The one way records go into the database, for API syncs and export imports alike.

A `Run` is one platform's sync or one file's import. It opens its row in
`sync_runs` (kind 'sync' or 'import'), stores each page of records for its
account through `db.writes` (a page with its bookmarks and retired metrics in
one transaction), adds up what changed, and closes the row with the outcome,
the request count and the warnings.

A sync keeps what earlier pages stored when a later one fails, and its row
says how far it got. An import runs in one transaction with its row: a file
that fails leaves the database as it was, and a dry run is rolled back whole,
so its counts of new and unchanged records are exact.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlite_utils import Database

from collectors.importers.base import Parsed, not_installed
from collectors.importers.readers import ImportFileError
from collectors.importers.result import ImportResult, breakdown
from core.domain import Account, Page
from db import queries, writes


class Run:
    """One sync or import of one platform: where its pages are stored and its row is kept."""

    def __init__(self, db: Database, platform: str, *, kind: str, source: str) -> None:
        self.db = db
        self.platform = platform
        self.source = source  # 'api', or the import's 'import:<kind>'
        self.result = writes.PageResult()
        self._account_ids: dict[Account, int] = {}
        self.id = writes.start_sync_run(db, platform, kind=kind)

    def store(self, account: Account, page: Page) -> writes.PageResult:
        """Store one page of an account's records (and its bookmarks) in one transaction."""
        with self.db.atomic():
            if account not in self._account_ids:
                self._account_ids[account] = writes.upsert_account(self.db, account)
            stored = writes.save_page(self.db, self._account_ids[account], page, source=self.source)
        self.result += stored
        return stored

    def finish(
        self,
        outcome: str,
        *,
        requests: int = 0,
        error: str | None = None,
        warnings: Sequence[str] = (),
    ) -> None:
        """Close the run's row: ok, failed or interrupted, with what it stored."""
        writes.finish_sync_run(
            self.db,
            self.id,
            outcome=outcome,
            new_posts=self.result.new_posts,
            updated_values=self.result.updated_values,
            requests=requests,
            error=error,
            warnings=warnings,
        )


def start_sync(db: Database, platform: str) -> Run:
    """Open a platform's API sync (records stored with source 'api')."""
    return Run(db, platform, kind="sync", source="api")


def close_dead_runs(db: Database) -> int:
    """Mark runs whose process died as 'interrupted' (see db.writes.mark_dead_runs)."""
    return writes.mark_dead_runs(db)


class _Rollback(Exception):
    """Raised inside the transaction to undo a dry run."""


def import_file(
    db: Database,
    parsed: Parsed,
    file: str,
    *,
    account_id: str | None = None,
    dry_run: bool = False,
) -> ImportResult:
    """Store everything a parsed export holds, and its run row, in one transaction.

    `account_id` (--account) names the account when the file does not; a dry run
    is rolled back.
    """
    missing = not_installed(parsed.platform)
    if missing:
        raise ImportFileError(f"{file}: {parsed.describe()}; {missing}, so nothing was stored.")
    page = parsed.page
    warnings = [f.message for f in parsed.findings.of_level("warning")]
    result: ImportResult | None = None
    try:
        with db.atomic():
            account = _account(db, parsed, account_id, file)
            run = Run(db, parsed.platform, kind="import", source=parsed.source)
            stored = run.store(account, page)
            run.finish("ok", warnings=warnings)
            result = ImportResult(
                file=file,
                kind=parsed.kind,
                source=parsed.source,
                account=account,
                posts=len(page.posts),
                new_posts=stored.new_posts,
                values=len(page.values) + sum(len(s.values) for s in page.snapshots),
                changed=stored.updated_values,
                dry_run=dry_run,
                parts=list(parsed.parts),
                breakdown=breakdown(parsed),
                label=parsed.label,
                period=parsed.period,
                as_of=parsed.as_of,
                notes=[f.message for f in parsed.findings.of_level("note")] + list(parsed.notes),
                warnings=warnings,
                findings=[f.to_json() for f in parsed.findings.items.values()],
                skipped=list(parsed.skipped),
                not_stored=dict(parsed.not_stored),
            )
            if dry_run:
                raise _Rollback
    except _Rollback:
        pass
    assert result is not None
    return result


def _account(db: Database, parsed: Parsed, override: str | None, file: str) -> Account:
    """The account the file belongs to: --account, the file or config, else the only stored one."""
    if override and parsed.file_account and override != parsed.file_account:
        raise ImportFileError(
            f"{file}: the file belongs to {parsed.platform} {parsed.account_kind} "
            f"{parsed.file_account}, but --account says {override}; leave --account out "
            "or import that account's own export."
        )
    external = override or parsed.account_id
    if external:
        return Account(parsed.platform, parsed.account_kind, external, parsed.account_name)
    stored = queries.organic_accounts(db, parsed.platform)
    if len(stored) == 1:
        return stored[0]
    raise ImportFileError(
        f"{file}: the {parsed.kind} export does not say which {parsed.platform} account it belongs "
        f"to; set {parsed.config_key} in social.toml or pass --account ID."
    )
