"""Write 1,000,000 metric values through db.writes and compare with a raw sqlite3 upsert.

Both write the same rows into the same table shape of a fresh database file,
in pages of 10,000 rows per transaction (what a sync page looks like), and
the script prints rows/s of each and their ratio (target: >= 0.8).

    python bench/bench_write_path.py [--rows 1000000]
"""

from __future__ import annotations

import argparse
import sqlite3
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from core.domain import Account, MetricValue
from db import open_db, writes

PAGE = 10_000
METRICS = (
    "video_views",
    "likes",
    "comments",
    "shares",
    "profile_views",
    "unique_video_views",
    "daily_new_followers",
    "daily_total_followers",
    "reach",
    "impressions",
)


def make_values(n: int) -> list[MetricValue]:
    """n daily account values: 10 metrics x days going back as far as needed."""
    start = date(2000, 1, 1)
    out = []
    for i in range(n):
        day = start + timedelta(days=i // len(METRICS))
        out.append(
            MetricValue(METRICS[i % len(METRICS)], float(i % 5000), day, day, "day", "organic")
        )
    return out


def bench_project(path: Path, values: list[MetricValue]) -> float:
    db = open_db(path)
    account_id = writes.upsert_account(db, Account("tiktok", "business", "bench"))
    started = time.perf_counter()
    for i in range(0, len(values), PAGE):
        with db.atomic():
            writes.save_metric_values(db, account_id, values[i : i + PAGE], source="api")
    return time.perf_counter() - started


def bench_raw(path: Path, values: list[MetricValue]) -> float:
    open_db(path).conn.close()  # same schema, same indexes, same pragmas
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute(
        "INSERT INTO accounts (platform, kind, external_id, created_at) "
        "VALUES ('tiktok', 'business', 'bench', '2026-01-01T00:00:00Z')"
    )
    started = time.perf_counter()
    for i in range(0, len(values), PAGE):
        rows = [
            (
                1,
                "tiktok",
                "account",
                1,
                v.metric,
                v.origin,
                v.grain,
                v.window_start.isoformat(),
                v.window_end.isoformat(),
                v.value,
                "api",
                "2026-01-01T00:00:00Z",
            )
            for v in values[i : i + PAGE]
        ]
        conn.execute("BEGIN")
        conn.executemany(writes.UPSERT_METRIC_SQL, rows)
        conn.execute("COMMIT")
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    values = make_values(args.rows)
    with tempfile.TemporaryDirectory() as tmp:
        raw = bench_raw(Path(tmp) / "raw.db", values)
        project = bench_project(Path(tmp) / "project.db", values)
    print(f"rows: {args.rows:,}")
    print(f"raw sqlite3 executemany upsert: {args.rows / raw:,.0f} rows/s ({raw:.2f} s)")
    print(f"db.writes.save_metric_values:  {args.rows / project:,.0f} rows/s ({project:.2f} s)")
    print(f"ratio project/raw: {raw / project:.2f}x (target >= 0.80)")


if __name__ == "__main__":
    main()
