"""A daily TikTok sync of an account with 2,000 videos already stored: requests and memory.

Backfills a sandbox account of 2,000 videos, moves the sandbox one day on,
runs the daily sync and prints its request count next to what re-listing
everything would cost, plus the peak memory (RSS) of the whole process.

    python bench/bench_daily_sync.py [--videos 2000]
"""

from __future__ import annotations

import argparse
import math
import resource
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import httpx

from collectors.auth import TokenSet, TokenStore
from collectors.sandbox import Sandbox
from core.config import load_config
from db import open_db
from social.sync import run_sync


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--videos", type=int, default=2000)
    args = parser.parse_args()
    today = date(2026, 11, 23)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "social.toml").write_text(
            '[tiktok]\nenabled = true\nbase_url = "http://sandbox/tiktok-open"\n'
            "[sync]\nbackfill_days = 3100\n",
            encoding="utf-8",
        )
        config = load_config(folder / "social.toml")
        TokenStore(config.token_file).save("tiktok", TokenSet("sandbox-bench"))
        db = open_db(config.database_path)
        sandbox = Sandbox(seed=7, today=today)
        sandbox.video_count = args.videos  # type: ignore[attr-defined]
        first = run_sync(config, db, ["tiktok"], transport=httpx.MockTransport(sandbox.handle))[0]
        stored = db["posts"].count
        sandbox.today = today + timedelta(days=1)
        started = time.perf_counter()
        from datetime import UTC, datetime

        daily = run_sync(
            config,
            db,
            ["tiktok"],
            transport=httpx.MockTransport(sandbox.handle),
            now=datetime(2026, 11, 24, 5, tzinfo=UTC),
        )[0]
        seconds = time.perf_counter() - started
    relist = 1 + math.ceil(stored / 20)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"videos stored after backfill: {stored} ({first.requests} requests)")
    print(
        f"daily sync: {daily.requests} requests, {daily.new_posts} new posts, "
        f"{daily.updated_values} updated values, {seconds:.2f} s (target <= 15 requests)"
    )
    print(
        f"re-listing everything instead: {relist} requests ({relist / max(daily.requests, 1):.0f}x)"
    )
    print(f"peak memory (RSS, whole process incl. backfill): {peak_mb:.0f} MB (target < 200 MB)")


if __name__ == "__main__":
    main()
