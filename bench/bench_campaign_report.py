"""Time the campaign report and the weekly report on three years of history, and on a tenth.

The databases are the web benchmark's (bench_web: the weekly-report benchmark's
history plus a running 61-day campaign, "Realfag", with KPI targets and two ad
campaigns); an existing folder from `bench_web.py --keep DIR` is reused. Each
report is built in-process at the benchmark's fixed moment without storing it
(`save=False`), as the web app recomputes it after a sync; the figure is the
median of several builds after a warm-up.

Targets: the campaign report well under 100 ms on the full history, and
neither report more than 2x its time on a tenth of it.

    python bench/bench_campaign_report.py [--runs 9] [--keep DIR]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import time_machine  # noqa: E402

from bench.bench_weekly_report import NOW, build  # noqa: E402
from core.config import Config  # noqa: E402
from db import open_db  # noqa: E402

CAMPAIGN = "Realfag"
CAMPAIGN_TARGET = 0.100  # seconds, full history
RATIO_TARGET = 2.0


def median_seconds(fn: Callable[[], object], runs: int) -> float:
    """Median wall time of `runs` calls after one warm-up."""
    fn()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def time_reports(path: Path, runs: int) -> dict[str, float]:
    from social.reports.campaign import build_campaign
    from social.reports.weekly import build_weekly

    db = open_db(path, migrate=False)
    config = Config(
        path=None, values={"facebook": {"enabled": True}, "linkedin": {"enabled": True}}
    )
    with time_machine.travel(NOW, tick=True):
        out = {
            "campaign": median_seconds(
                lambda: build_campaign(db, config, CAMPAIGN, lang="nb", now=NOW, save=False), runs
            ),
            "weekly": median_seconds(
                lambda: build_weekly(db, config, lang="nb", now=NOW, save=False), runs
            ),
        }
    db.conn.close()
    return out


def run(args: argparse.Namespace, folder: Path) -> None:
    from bench.bench_web import seed

    results: dict[str, dict[str, float]] = {}
    for label, days, posts in (("full", 3 * 365, 3000), ("tenth", 3 * 365 // 10, 300)):
        path = folder / f"{label}.db"
        if not path.exists():
            build(path, days, posts)
            seed(path)
        results[label] = time_reports(path, args.runs)
    for report in ("campaign", "weekly"):
        full, tenth = results["full"][report], results["tenth"][report]
        print(
            f"{report:<9} full {full * 1000:5.0f} ms   tenth {tenth * 1000:5.0f} ms   "
            f"ratio {full / tenth:4.2f}x (target <= {RATIO_TARGET:.2f}x)"
        )
    print(
        f"campaign report on the full history: {results['full']['campaign'] * 1000:.0f} ms "
        f"(target < {CAMPAIGN_TARGET * 1000:.0f} ms)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--keep", type=Path, help="Keep (or reuse) the databases in this folder.")
    args = parser.parse_args()
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        run(args, args.keep)
    else:
        with tempfile.TemporaryDirectory(prefix="bench-campaign-") as tmp:
            run(args, Path(tmp))


if __name__ == "__main__":
    main()
