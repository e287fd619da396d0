"""The write paths: every record collectors and importers produce is stored here.

All writes are upserts keyed on natural keys, so re-running a sync or an
import never duplicates anything (rule 6). `save_page` stores one page of
records and its bookmarks in a single transaction.
"""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from sqlite_utils import Database

from core.domain import Account, AdEntity, Breakdown, MetricValue, Page, Post, Snapshot
from core.timeutil import to_utc_iso, utcnow

T = TypeVar("T")


@dataclass
class PageResult:
    """What one stored page changed."""

    new_posts: int = 0
    updated_values: int = 0

    def __iadd__(self, other: PageResult) -> PageResult:
        self.new_posts += other.new_posts
        self.updated_values += other.updated_values
        return self


def upsert_account(db: Database, account: Account) -> int:
    """Insert or update an account and return its id."""
    now = to_utc_iso(utcnow())
    db.execute(
        """INSERT INTO accounts (platform, kind, external_id, name, created_at)
           VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (platform, kind, external_id) DO UPDATE SET
             name = CASE WHEN excluded.name != '' THEN excluded.name ELSE accounts.name END""",
        [account.platform, account.kind, account.external_id, account.name, now],
    )
    row = db.execute(
        "SELECT id FROM accounts WHERE platform = ? AND kind = ? AND external_id = ?",
        [account.platform, account.kind, account.external_id],
    ).fetchone()
    return int(row[0])


def save_page(db: Database, account_id: int, page: Page, *, source: str) -> PageResult:
    """Store one page of records and its bookmarks in one transaction."""
    result = PageResult()
    with db.atomic():
        result.new_posts = save_posts(db, account_id, page.posts, source=source)
        save_ad_entities(db, account_id, page.ad_entities)
        platform = _account_platform(db, account_id)
        result.updated_values += save_snapshots(db, platform, page.snapshots, source=source)
        result.updated_values += save_metric_values(db, account_id, page.values, source=source)
        result.updated_values += save_breakdowns(db, platform, page.breakdowns, source=source)
        for stream, value in page.bookmarks.items():
            set_bookmark(db, account_id, stream, value)
        for metric, message in page.retired_metrics:
            record_retired_metric(db, platform, metric, message)
    return result


# An API record's fields win over an export file's; an import only fills what is empty.
API_KEEPS = "(posts.source NOT LIKE 'import%' AND excluded.source LIKE 'import%')"


def save_posts(db: Database, account_id: int, posts: Sequence[Post], *, source: str) -> int:
    """Upsert posts; return how many were new. An API record never loses to an import."""
    if not posts:
        return 0
    now = to_utc_iso(utcnow())
    keys = [(p.platform, p.external_id) for p in posts]
    existing = _existing_post_keys(db, keys)
    db.conn.executemany(
        f"""INSERT INTO posts (account_id, platform, external_id, published_at, caption, link,
                              format, duration_s, tags, is_ad, source, first_seen_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (platform, external_id) DO UPDATE SET
             caption = CASE WHEN excluded.caption = '' OR ({API_KEEPS} AND posts.caption != '')
                            THEN posts.caption ELSE excluded.caption END,
             link = CASE WHEN excluded.link = '' OR ({API_KEEPS} AND posts.link != '')
                         THEN posts.link ELSE excluded.link END,
             format = CASE WHEN excluded.format = '' OR ({API_KEEPS} AND posts.format != '')
                           THEN posts.format ELSE excluded.format END,
             duration_s = CASE WHEN {API_KEEPS} THEN COALESCE(posts.duration_s, excluded.duration_s)
                               ELSE COALESCE(excluded.duration_s, posts.duration_s) END,
             tags = CASE WHEN excluded.tags = '[]' OR ({API_KEEPS} AND posts.tags != '[]')
                         THEN posts.tags ELSE excluded.tags END,
             is_ad = MAX(posts.is_ad, excluded.is_ad),
             published_at = CASE WHEN posts.source LIKE 'import%' OR excluded.source NOT LIKE 'import%'
                                 THEN excluded.published_at ELSE posts.published_at END,
             source = CASE WHEN posts.source LIKE 'import%' THEN excluded.source ELSE posts.source END,
             updated_at = excluded.updated_at""",
        [
            (
                account_id,
                p.platform,
                p.external_id,
                to_utc_iso(p.published_at),
                p.caption,
                p.link,
                p.format,
                p.duration_s,
                json.dumps(list(p.tags), ensure_ascii=False),
                int(p.is_ad),
                source,
                now,
                now,
            )
            for p in posts
        ],
    )
    return sum(1 for key in keys if key not in existing)


def _existing_post_keys(db: Database, keys: Sequence[tuple[str, str]]) -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    for platform in {k[0] for k in keys}:
        ids = [k[1] for k in keys if k[0] == platform]
        for chunk in _chunks(ids, 500):
            marks = ",".join("?" * len(chunk))
            for row in db.execute(
                f"SELECT external_id FROM posts WHERE platform = ? AND external_id IN ({marks})",
                [platform, *chunk],
            ):
                found.add((platform, row[0]))
    return found


def post_ids(db: Database, platform: str, external_ids: Iterable[str]) -> dict[str, int]:
    """Map a platform's post ids to our ids (missing ones are left out)."""
    out: dict[str, int] = {}
    for chunk in _chunks(sorted(set(external_ids)), 500):
        marks = ",".join("?" * len(chunk))
        for ext, pid in db.execute(
            f"SELECT external_id, id FROM posts WHERE platform = ? AND external_id IN ({marks})",
            [platform, *chunk],
        ):
            out[ext] = pid
    return out


def save_ad_entities(db: Database, account_id: int, entities: Sequence[AdEntity]) -> None:
    """Upsert campaigns, ad groups and ads (parents first, so children can point at them).

    A flight (start/end dates) or a promoted-post link is written only where the
    record says it is known: a bare reference from a report row keeps what is stored.
    """
    if not entities:
        return
    now = to_utc_iso(utcnow())
    order = {"campaign": 0, "adgroup": 1, "ad": 2}
    for e in sorted(entities, key=lambda e: order[e.level]):
        parent_id = None
        if e.parent_external_id:
            # An ad sits in an ad group (an ad set on some platforms) or, where a platform
            # has no such level, directly in a campaign.
            levels = ("campaign",) if e.level == "adgroup" else ("adgroup", "campaign")
            for parent_level in levels:
                row = db.execute(
                    """SELECT id FROM ad_entities
                       WHERE platform = ? AND level = ? AND external_id = ?""",
                    [e.platform, parent_level, e.parent_external_id],
                ).fetchone()
                if row:
                    parent_id = row[0]
                    break
        db.execute(
            """INSERT INTO ad_entities (account_id, platform, level, external_id, name, parent_id,
                                        status, objective, updated_at, start_date, end_date,
                                        post_external_id)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT (platform, level, external_id) DO UPDATE SET
                 name = CASE WHEN excluded.name != '' THEN excluded.name ELSE ad_entities.name END,
                 parent_id = COALESCE(excluded.parent_id, ad_entities.parent_id),
                 status = CASE WHEN excluded.status != '' THEN excluded.status ELSE ad_entities.status END,
                 objective = CASE WHEN excluded.objective != '' THEN excluded.objective
                                  ELSE ad_entities.objective END,
                 start_date = CASE WHEN ? THEN excluded.start_date ELSE ad_entities.start_date END,
                 end_date = CASE WHEN ? THEN excluded.end_date ELSE ad_entities.end_date END,
                 post_external_id = CASE WHEN ? THEN excluded.post_external_id
                                         ELSE ad_entities.post_external_id END,
                 updated_at = excluded.updated_at""",
            [
                account_id,
                e.platform,
                e.level,
                e.external_id,
                e.name,
                parent_id,
                e.status,
                e.objective,
                now,
                e.start_date.isoformat() if e.flight_known and e.start_date else None,
                e.end_date.isoformat() if e.flight_known and e.end_date else None,
                e.post_external_id if e.post_known else None,
                int(e.flight_known),
                int(e.flight_known),
                int(e.post_known),
            ],
        )


def save_breakdowns(
    db: Database, platform: str, breakdowns: Sequence[Breakdown], *, source: str
) -> int:
    """Replace each post's split by a dimension with the latest one; return rows written.

    A split is replaced whole (a source that disappears from the platform's answer
    disappears here too); an unchanged split writes nothing.
    """
    if not breakdowns:
        return 0
    ids = post_ids(db, platform, (b.post_external_id for b in breakdowns))
    written = 0
    for b in breakdowns:
        pid = ids.get(b.post_external_id)
        if pid is None:
            raise ValueError(
                f"post {b.post_external_id} is not stored; save it before its breakdowns"
            )
        stored = dict(
            db.execute(
                "SELECT key, value FROM post_breakdowns WHERE post_id = ? AND dimension = ?",
                [pid, b.dimension],
            ).fetchall()
        )
        fresh = {str(k): float(v) for k, v in b.values.items()}
        if stored == fresh:
            continue
        db.execute(
            "DELETE FROM post_breakdowns WHERE post_id = ? AND dimension = ?", [pid, b.dimension]
        )
        at = to_utc_iso(b.captured_at)
        db.conn.executemany(
            """INSERT INTO post_breakdowns (post_id, dimension, key, value, captured_at, source)
               VALUES (?, ?, ?, ?, ?, ?)""",
            [(pid, b.dimension, key, value, at, source) for key, value in fresh.items()],
        )
        written += len(fresh)
    return written


def _ad_ids(db: Database, account_id: int, external_ids: set[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for chunk in _chunks(sorted(external_ids), 500):
        marks = ",".join("?" * len(chunk))
        for ext, aid in db.execute(
            f"""SELECT external_id, id FROM ad_entities
                WHERE account_id = ? AND external_id IN ({marks})""",
            [account_id, *chunk],
        ):
            out[ext] = aid
    return out


UPSERT_METRIC_SQL = """
INSERT INTO metric_values (account_id, platform, subject_type, subject_id, metric, origin, grain,
                           window_start, window_end, value, source, collected_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (subject_type, subject_id, metric, origin, grain, window_start, window_end)
DO UPDATE SET value = excluded.value, source = excluded.source, collected_at = excluded.collected_at
WHERE metric_values.value != excluded.value
"""


def save_metric_values(
    db: Database, account_id: int, values: Sequence[MetricValue], *, source: str
) -> int:
    """Upsert metric values with their windows; return how many rows were new or changed."""
    if not values:
        return 0
    platform = _account_platform(db, account_id)
    post_map: dict[str, int] = {}
    ad_map: dict[str, int] = {}
    post_keys = {v.subject_external_id for v in values if v.subject_type == "post"}
    ad_keys = {v.subject_external_id for v in values if v.subject_type == "ad"}
    if post_keys:
        post_map = post_ids(db, platform, (k for k in post_keys if k))
    if ad_keys:
        ad_map = _ad_ids(db, account_id, {k for k in ad_keys if k})
    now = to_utc_iso(utcnow())
    rows = []
    for v in values:
        if v.subject_type == "account":
            subject_id = account_id
        elif v.subject_type == "post":
            subject_id = post_map.get(v.subject_external_id or "")  # type: ignore[assignment]
        else:
            subject_id = ad_map.get(v.subject_external_id or "")  # type: ignore[assignment]
        if subject_id is None:
            raise ValueError(
                f"{v.subject_type} {v.subject_external_id} is not stored; save it before its metrics"
            )
        rows.append(
            (
                account_id,
                platform,
                v.subject_type,
                subject_id,
                v.metric,
                v.origin,
                v.grain,
                v.window_start.isoformat(),
                v.window_end.isoformat(),
                float(v.value),
                source,
                now,
            )
        )
    before = db.conn.total_changes
    db.conn.executemany(UPSERT_METRIC_SQL, rows)
    return db.conn.total_changes - before


def save_snapshots(
    db: Database, platform: str, snapshots: Sequence[Snapshot], *, source: str
) -> int:
    """Write a snapshot row only where a post's value changed since its latest one (rule 2)."""
    if not snapshots:
        return 0
    ids = post_ids(db, platform, (s.post_external_id for s in snapshots))
    latest: dict[tuple[int, str, str], float] = {}
    for chunk in _chunks(sorted(set(ids.values())), 500):
        marks = ",".join("?" * len(chunk))
        for pid, metric, origin, value in db.execute(
            f"SELECT post_id, metric, origin, value FROM post_latest WHERE post_id IN ({marks})",
            chunk,
        ):
            latest[(pid, metric, origin)] = value
    changed = []
    for snap in snapshots:
        pid = ids.get(snap.post_external_id)
        if pid is None:
            raise ValueError(
                f"post {snap.post_external_id} is not stored; save it before its snapshots"
            )
        at = to_utc_iso(snap.captured_at)
        for metric, value in snap.values.items():
            if latest.get((pid, metric, snap.origin)) != float(value):
                changed.append((pid, metric, snap.origin, at, float(value)))
    db.conn.executemany(
        """INSERT INTO post_snapshots (post_id, metric, origin, captured_at, value, source)
           VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (post_id, metric, origin, captured_at) DO UPDATE SET value = excluded.value""",
        [(*row, source) for row in changed],
    )
    db.conn.executemany(
        """INSERT INTO post_latest (post_id, metric, origin, captured_at, value)
           VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (post_id, metric, origin) DO UPDATE SET
             captured_at = excluded.captured_at, value = excluded.value
           WHERE excluded.captured_at >= post_latest.captured_at""",
        changed,
    )
    return len(changed)


def set_bookmark(db: Database, account_id: int, stream: str, value: str) -> None:
    """Remember how far a stream has been collected."""
    db.execute(
        """INSERT INTO sync_bookmarks (account_id, stream, value, updated_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (account_id, stream) DO UPDATE SET value = excluded.value,
             updated_at = excluded.updated_at""",
        [account_id, stream, value, to_utc_iso(utcnow())],
    )


def record_retired_metric(db: Database, platform: str, metric: str, message: str) -> bool:
    """Remember that a platform refused a metric; return True the first time."""
    cur = db.execute(
        """INSERT INTO retired_metrics (platform, metric, first_seen_at, message) VALUES (?, ?, ?, ?)
           ON CONFLICT (platform, metric) DO NOTHING""",
        [platform, metric, to_utc_iso(utcnow()), message],
    )
    return cur.rowcount == 1


def start_sync_run(db: Database, platform: str, *, kind: str = "sync") -> int:
    """Open a run log row (a 'sync' or an 'import', with this process's id and host); its id."""
    cur = db.execute(
        "INSERT INTO sync_runs (platform, kind, started_at, pid, host) VALUES (?, ?, ?, ?, ?)",
        [platform, kind, to_utc_iso(utcnow()), os.getpid(), socket.gethostname()],
    )
    return int(cur.lastrowid or 0)


def finish_sync_run(
    db: Database,
    run_id: int,
    *,
    outcome: str,
    new_posts: int,
    updated_values: int,
    requests: int,
    error: str | None = None,
    warnings: Sequence[str] = (),
    finished_at: datetime | None = None,
) -> None:
    """Close a sync-run log row with its outcome (ok, failed, interrupted...) and counts."""
    db.execute(
        """UPDATE sync_runs SET finished_at = ?, outcome = ?, new_posts = ?, updated_values = ?,
             requests = ?, error = ?, warnings = ? WHERE id = ?""",
        [
            to_utc_iso(finished_at or utcnow()),
            outcome,
            new_posts,
            updated_values,
            requests,
            error,
            json.dumps(list(warnings), ensure_ascii=False),
            run_id,
        ],
    )


# A 'running' row whose process cannot be checked (another host) is taken as dead after this.
FOREIGN_RUN_HOURS = 12


def mark_dead_runs(
    db: Database,
    *,
    alive: Callable[[int], bool] | None = None,
    now: datetime | None = None,
) -> int:
    """Mark 'running' rows whose process is gone as 'interrupted'; return how many.

    A row of this host is dead when its pid no longer runs (a killed sync never
    reaches its own bookkeeping); a row of another host, or one without a pid,
    when it started more than FOREIGN_RUN_HOURS ago.
    """
    alive = alive or pid_alive
    now = now or utcnow()
    host = socket.gethostname()
    dead = []
    for run_id, pid, run_host, started in db.execute(
        "SELECT id, pid, host, started_at FROM sync_runs WHERE outcome = 'running'"
    ).fetchall():
        if pid == os.getpid() and run_host == host:
            continue  # this process: still running
        if pid and run_host == host:
            gone = not alive(int(pid))
        else:
            age = now - datetime.fromisoformat(str(started).replace("Z", "+00:00"))
            gone = age.total_seconds() > FOREIGN_RUN_HOURS * 3600
        if gone:
            dead.append(run_id)
    for run_id in dead:
        db.execute(
            """UPDATE sync_runs SET outcome = 'interrupted', finished_at = ?,
                 error = 'interrupted: the process running this sync ended without finishing'
               WHERE id = ? AND outcome = 'running'""",
            [to_utc_iso(now), run_id],
        )
    return len(dead)


def pid_alive(pid: int) -> bool:
    """Whether a process with this id runs on this machine."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process with that id: it runs
    return True


def _account_platform(db: Database, account_id: int) -> str:
    return str(db.execute("SELECT platform FROM accounts WHERE id = ?", [account_id]).fetchone()[0])


def _chunks(items: Sequence[T], size: int) -> Iterable[list[T]]:
    for i in range(0, len(items), size):
        yield list(items[i : i + size])
