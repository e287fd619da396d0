"""Store a parsed export file through the write path, all or nothing.

The whole file goes in one transaction: the account, its posts, snapshots
(only changed counters) and metric values. A dry run does the same work and
rolls it back, so its counts of new and unchanged records are exact.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from collectors.importers.base import Parsed
from collectors.importers.readers import ImportFileError
from db.writes import save_page, upsert_account
from social.domain import Account


@dataclass
class ImportResult:
    """What an import stored (or would store, in a dry run)."""

    file: str
    kind: str
    source: str
    account: Account
    posts: int
    new_posts: int
    values: int  # metric values plus snapshot counters in the file
    changed: int  # of those, new or changed in the database
    dry_run: bool
    parts: list[str] = field(default_factory=list)
    breakdown: list[dict[str, Any]] = field(default_factory=list)

    @property
    def unchanged(self) -> int:
        return self.values - self.changed

    def line(self) -> str:
        """One summary line for the terminal."""
        who = f"{self.account.platform} {self.account.kind} {self.account.external_id}"
        counts = (
            f"{self.posts} posts ({self.new_posts} new), {self.values} values "
            f"({self.changed} new or changed, {self.unchanged} unchanged)"
        )
        if self.dry_run:
            return (
                f"Dry run, nothing stored: {self.file} is a {self.kind} export for {who}; "
                f"would store {counts}."
            )
        return f"Imported {self.file} ({self.kind}, {who}, source {self.source}): {counts}."

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "kind": self.kind,
            "source": self.source,
            "platform": self.account.platform,
            "account_kind": self.account.kind,
            "account": self.account.external_id,
            "posts": self.posts,
            "new_posts": self.new_posts,
            "values": self.values,
            "changed": self.changed,
            "unchanged": self.unchanged,
            "dry_run": self.dry_run,
            "parts": self.parts,
            "breakdown": self.breakdown,
        }


class _Rollback(Exception):
    """Raised inside the transaction to undo a dry run."""


def store(
    db: Database,
    parsed: Parsed,
    file: str,
    *,
    account_id: str | None = None,
    dry_run: bool = False,
) -> ImportResult:
    """Store everything a file holds in one transaction (rolled back when dry_run)."""
    page = parsed.page
    result: ImportResult | None = None
    try:
        with db.atomic():
            account = _account(db, parsed, account_id, file)
            stored = save_page(db, upsert_account(db, account), page, source=parsed.source)
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
            )
            if dry_run:
                raise _Rollback
    except _Rollback:
        pass
    assert result is not None
    return result


def _account(db: Database, parsed: Parsed, override: str | None, file: str) -> Account:
    """The account the file belongs to: --account, the file or config, else the only stored one."""
    external = override or parsed.account_id
    if external:
        return Account(parsed.platform, parsed.account_kind, external, parsed.account_name)
    rows = db.execute(
        "SELECT kind, external_id, name FROM accounts WHERE platform = ? AND kind != 'ads'",
        [parsed.platform],
    ).fetchall()
    if len(rows) == 1:
        kind, external, name = rows[0]
        return Account(parsed.platform, str(kind), str(external), str(name or ""))
    raise ImportFileError(
        f"{file}: the {parsed.kind} export does not say which {parsed.platform} account it belongs "
        f"to; set {parsed.config_key} in social.toml or pass --account ID."
    )


def breakdown(parsed: Parsed) -> list[dict[str, Any]]:
    """Rows per (record, metric, origin, grain) with their date range: what would be stored."""
    rows: list[dict[str, Any]] = []
    if parsed.page.posts:
        days = sorted(p.published_at.date() for p in parsed.page.posts)
        rows.append(_row("posts", "", "", "", len(days), days[0], days[-1]))
    snaps: Counter[tuple[str, str]] = Counter()
    for snap in parsed.page.snapshots:
        for metric in snap.values:
            snaps[(metric, snap.origin)] += 1
    for (metric, origin), n in sorted(snaps.items()):
        rows.append(_row("snapshot", metric, origin, "to date", n, None, None))
    spans: dict[tuple[str, str, str, str], list[Any]] = {}
    for v in parsed.page.values:
        key = (v.subject_type, v.metric, v.origin, v.grain)
        span = spans.setdefault(key, [0, v.window_start, v.window_end])
        span[0] += 1
        span[1] = min(span[1], v.window_start)
        span[2] = max(span[2], v.window_end)
    for (subject, metric, origin, grain), (n, first, last) in sorted(spans.items()):
        rows.append(_row(subject, metric, origin, grain, n, first, last))
    return rows


def _row(
    record: str, metric: str, origin: str, grain: str, n: int, first: Any, last: Any
) -> dict[str, Any]:
    return {
        "record": record,
        "metric": metric,
        "origin": origin,
        "grain": grain,
        "rows": n,
        "from": first.isoformat() if first else "",
        "to": last.isoformat() if last else "",
    }
