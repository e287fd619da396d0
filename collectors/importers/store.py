"""Store a parsed export file through the write path, all or nothing.

The whole file goes in one transaction: the account, its posts, snapshots
(only changed counters) and metric values. A dry run does the same work and
rolls it back, so its counts of new and unchanged records are exact.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlite_utils import Database

from collectors.importers.base import Parsed, not_installed
from collectors.importers.readers import ImportFileError
from core.domain import Account
from core.timeutil import to_utc_iso
from db.writes import save_page, upsert_account


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
    label: str = ""
    period: tuple[date, date] | None = None
    as_of: datetime | None = None
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    findings: list[dict[str, object]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    not_stored: dict[str, str] = field(default_factory=dict)

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
        if self.period:
            counts += f", {self.period[0].isoformat()}..{self.period[1].isoformat()}"
        if self.warnings:
            counts += f"; {len(self.warnings)} warning(s) below"
        if self.dry_run:
            what = self.label or f"{self.kind} export"
            return (
                f"Dry run, nothing stored: {self.file} is a {what} for {who}; would store {counts}."
            )
        return f"Imported {self.file} ({self.kind}, {who}, source {self.source}): {counts}."

    def details(self) -> list[str]:
        """The lines printed under the summary: warnings, parts not stored, then notes."""
        lines = [f"Warning: {w}" for w in self.warnings]
        lines += [f"Skipped: {s}" for s in self.skipped]
        lines += [f"Note: {n}" for n in self.notes]
        lines += [f"Not stored: '{c}' ({why})" for c, why in self.not_stored.items()]
        return lines

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "what": self.label,
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
            "period": (
                {"from": self.period[0].isoformat(), "to": self.period[1].isoformat()}
                if self.period
                else None
            ),
            "totals_as_of": to_utc_iso(self.as_of) if self.as_of else None,
            "breakdown": self.breakdown,
            "warnings": self.warnings,
            "findings": self.findings,
            "skipped": self.skipped,
            "notes": self.notes,
            "not_stored": [{"column": c, "why": w} for c, w in self.not_stored.items()],
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
    missing = not_installed(parsed.platform)
    if missing:
        raise ImportFileError(f"{file}: {parsed.describe()}; {missing}, so nothing was stored.")
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
                label=parsed.label,
                period=parsed.period,
                as_of=parsed.as_of,
                notes=list(parsed.notes),
                warnings=[f.message for f in parsed.findings.of_level("warning")],
                findings=[f.to_json() for f in parsed.findings.items.values()],
                skipped=list(parsed.skipped),
                not_stored=dict(parsed.not_stored),
            )
            notes = [f.message for f in parsed.findings.of_level("note")]
            result.notes = notes + result.notes
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
    """Rows and sum per (record, metric, origin, grain) with their date range: what is stored.

    The sums let a user hold the import against the platform's own screen; a sum of
    unique counts (reach) is only a check figure, never a reach (see the catalogue).
    """
    rows: list[dict[str, Any]] = []
    if parsed.page.posts:
        days = sorted(p.published_at.date() for p in parsed.page.posts)
        rows.append(_row("posts", "", "", "", len(days), None, days[0], days[-1]))
    snaps: dict[tuple[str, str], list[float]] = {}
    for snap in parsed.page.snapshots:
        for metric, value in snap.values.items():
            snaps.setdefault((metric, snap.origin), []).append(value)
    for (metric, origin), found in sorted(snaps.items()):
        rows.append(_row("snapshot", metric, origin, "to date", len(found), sum(found), None, None))
    spans: dict[tuple[str, str, str, str], list[Any]] = {}
    for v in parsed.page.values:
        key = (v.subject_type, v.metric, v.origin, v.grain)
        span = spans.setdefault(key, [0, 0.0, v.window_start, v.window_end])
        span[0] += 1
        span[1] += v.value
        span[2] = min(span[2], v.window_start)
        span[3] = max(span[3], v.window_end)
    for (subject, metric, origin, grain), (n, total, first, last) in sorted(spans.items()):
        rows.append(_row(subject, metric, origin, grain, n, total, first, last))
    return rows


def _row(
    record: str,
    metric: str,
    origin: str,
    grain: str,
    n: int,
    total: float | None,
    first: Any,
    last: Any,
) -> dict[str, Any]:
    return {
        "record": record,
        "metric": metric,
        "origin": origin,
        "grain": grain,
        "rows": n,
        "sum": None if total is None else _number(total),
        "from": first.isoformat() if first else "",
        "to": last.isoformat() if last else "",
    }


def _number(value: float) -> float | int:
    """Whole sums as integers, others rounded to what an export shows."""
    rounded = round(value, 6)
    return int(rounded) if rounded.is_integer() else rounded
