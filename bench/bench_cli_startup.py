"""Time `social --help` against a bare interpreter start (`python -c pass`).

    python bench/bench_cli_startup.py [--runs 20]

Target: `social --help` in at most 0.3 s; heavy libraries (pandas, matplotlib,
httpx) must not be imported at start-up, which the script also checks.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

HEAVY = ("pandas", "matplotlib", "httpx", "jinja2", "icalendar", "apscheduler", "rich")


def timed(cmd: list[str], runs: int) -> float:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    bare = timed([sys.executable, "-c", "pass"], args.runs)
    helped = timed([sys.executable, "-m", "social", "--help"], args.runs)
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from social.cli import cli\n"
            "try:\n    cli(['--help'])\nexcept SystemExit:\n    pass\n"
            f"print('loaded:' + ','.join(m for m in {HEAVY!r} if m in sys.modules))",
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    loaded = probe.stdout.rsplit("loaded:", 1)[-1].strip()
    print(f"python -c pass: {bare * 1000:.0f} ms (median of {args.runs})")
    print(
        f"social --help:  {helped * 1000:.0f} ms (median of {args.runs}), "
        f"{helped / bare:.1f}x a bare interpreter (target <= 300 ms)"
    )
    print(f"heavy modules imported by --help: {loaded or 'none'}")


if __name__ == "__main__":
    main()
