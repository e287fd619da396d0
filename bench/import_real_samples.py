"""Import every real export sample with `social import --dry-run --format json`: one line each.

Usage (from the repository root):

    python bench/import_real_samples.py [SAMPLES_DIR]

Runs the real command (`python -m social`) in a fresh folder with a default
social.toml whose account ids are "100001" (most exports do not name their
account), once per file in ../shared/real-samples (or SAMPLES_DIR). Each line says
IMPORTED or REFUSED, the seconds it took, and either the summary's rows and
sum per stored metric or the one-line refusal. A refusal that asks for
`--platform NAME` is run again with each platform it names, a line each.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core import registry  # noqa: E402

DEFAULT_SAMPLES = ROOT.parent / "shared" / "real-samples"


def run(folder: Path, sample: Path, *extra: str) -> tuple[str, float]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("SOCIAL_CONFIG", None)
    started = time.perf_counter()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "social",
            "import",
            str(sample),
            "--dry-run",
            "--format",
            "json",
            *extra,
        ],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        return f"REFUSED  {sample.name}  {done.stderr.strip().removeprefix('Error: ')}", seconds
    summary = json.loads(done.stdout)
    sums = "; ".join(
        f"{e['metric']}[{e['origin']},{e['grain']}]={e['rows']}/{e['sum']}"
        for e in summary["breakdown"]
        if e["record"] != "posts"
    )
    period = summary["period"] or {}
    head = (
        f"IMPORTED {sample.name}{' ' + ' '.join(extra) if extra else ''}  "
        f"{summary['what']}: {summary['posts']} posts, {summary['values']} values"
        f"{', ' + period['from'] + '..' + period['to'] if period else ''}"
    )
    tail = [f"{len(summary['warnings'])} warning(s)"] if summary["warnings"] else []
    tail += [f"skipped: {s}" for s in summary["skipped"]]
    return f"{head}  | {sums}" + (f"  | {' | '.join(tail)}" if tail else ""), seconds


def main() -> None:
    samples = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SAMPLES
    files = sorted(p for p in samples.iterdir() if p.is_file() and p.name != "SOURCES.md")
    total = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        subprocess.run(
            [sys.executable, "-m", "social", "init", "--dir", str(folder)],
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            capture_output=True,
            check=True,
        )
        # Most exports do not name their account: give each platform one (a file that
        # names its own, like Meta's Page ID, keeps it).
        config = folder / "social.toml"
        text = config.read_text(encoding="utf-8")
        for key in {p.import_account_key for p in registry.platforms()} - {""}:
            text = text.replace(f'{key} = ""', f'{key} = "100001"', 1)
        config.write_text(text, encoding="utf-8")
        imported = told = refused = 0
        for sample in files:
            line, seconds = run(folder, sample)
            total += seconds
            print(f"{seconds:5.2f}s {line}")
            imported += line.startswith("IMPORTED")
            refused += line.startswith("REFUSED")
            if not line.startswith("REFUSED"):
                continue
            for platform in re.findall(r"--platform (\w+)", line):
                again, seconds = run(folder, sample, "--platform", platform)
                total += seconds
                print(f"{seconds:5.2f}s {again}")
                told += again.startswith("IMPORTED")
    print(
        f"{len(files)} files: {imported} imported, {refused} refused "
        f"({told} import when told which platform they are for); {total:.1f} s in all"
    )


if __name__ == "__main__":
    main()
