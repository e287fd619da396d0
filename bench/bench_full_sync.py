"""A first (backfill) and a second (daily) sync of every installed platform against the sandbox.

Runs in-process (httpx.MockTransport) so the figures measure the collectors
and the write path, not the loopback network. Prints requests, rows and time
per platform, and the peak memory of the process.

    python bench/bench_full_sync.py
"""

from __future__ import annotations

import resource
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx

from collectors.auth import TokenStore
from collectors.sandbox import Sandbox
from core.config import load_config
from db import open_db
from social.demo import demo_config, sandbox_ids, write_sandbox_tokens
from social.sync import run_sync


def main() -> None:
    today = date(2026, 11, 23)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "social.toml").write_text(demo_config("http://sandbox", sandbox_ids(), "nb"))
        config = load_config(folder / "social.toml")
        sandbox = Sandbox(seed=42, today=today)
        # Every app's token as the demo signs in: the business token through the sandbox.
        write_sandbox_tokens(
            TokenStore(config.token_file), config, transport=httpx.MockTransport(sandbox.handle)
        )
        db = open_db(config.database_path)
        for label, day in (("backfill", today), ("daily", today + timedelta(days=1))):
            sandbox.today = day
            now = datetime(day.year, day.month, day.day, 5, tzinfo=UTC)
            started = time.perf_counter()
            summaries = run_sync(
                config,
                db,
                transport=httpx.MockTransport(sandbox.handle),
                now=now,
                sleep=lambda s: None,
            )
            total = time.perf_counter() - started
            for s in summaries:
                print(
                    f"{label:<8} {s.platform:<9} {s.outcome:<6} {s.requests:>4} requests "
                    f"{s.new_posts:>4} new posts {s.updated_values:>6} values {s.seconds:6.2f} s"
                )
            print(
                f"{label:<8} all platforms: {sum(s.requests for s in summaries)} requests, {total:.2f} s"
            )
        size = sum(p.stat().st_size for p in folder.glob("social.db*")) / 1_048_576
    print(
        f"database size: {size:.1f} MB; peak memory (RSS): "
        f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
    )


if __name__ == "__main__":
    main()
