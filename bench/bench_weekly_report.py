"""Time the weekly JSON report on three years of history, and on a tenth of it.

Builds a database through the project's write path (db.writes.save_page, one
page per platform per day, as a daily sync would): three years of daily
account series for TikTok, LinkedIn and Facebook, daily ad stats for two ad
campaigns per platform with ISO-week reach, 3,000 posts (1,000 per platform)
whose lifetime counters are snapshotted daily for two weeks and weekly until
90 days (every tenth post boosted by an ad linked to it), follower levels, one
calendar slot a day and a sync run a day. A second database holds the last
tenth of that history (300 posts).

The weekly report for the last complete week is built and rendered as JSON
in-process (median of several runs after a warm-up), and once through the CLI
(`social report weekly --format json`, a fresh process). Targets: at most 2 s
on the full history and at most 2x the time on a tenth of it (cost bounded by
the window, not the history). Peak memory: tracemalloc peak of one report,
and the CLI process's own peak resident set size (VmHWM, not the benchmark's).

    python bench/bench_weekly_report.py [--days 1095] [--posts 3000] [--runs 5] [--keep DIR]
"""

from __future__ import annotations

import argparse
import math
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from core.config import Config
from core.domain import Account, AdEntity, MetricValue, Page, Post, Snapshot
from core.timeutil import to_utc_iso
from db import open_db, writes
from social.reports.render import render
from social.reports.weekly import build_weekly

END = date(2026, 11, 22)  # a Sunday: the report covers the week ending here
NOW = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)

CONTENT = {"tiktok": "business", "linkedin": "organization", "facebook": "page"}
DAILY = {
    "tiktok": [
        ("video_views", "organic"),
        ("unique_video_views", "organic"),
        ("likes", "organic"),
        ("comments", "organic"),
        ("shares", "organic"),
        ("profile_views", "organic"),
        ("daily_new_followers", "organic"),
        ("daily_total_followers", "organic"),
    ],
    "linkedin": [
        ("impressionCount", "organic"),
        ("uniqueImpressionsCount", "organic"),
        ("clickCount", "organic"),
        ("likeCount", "organic"),
        ("commentCount", "organic"),
        ("shareCount", "organic"),
        ("organicFollowerGain", "organic"),
        ("paidFollowerGain", "paid"),
        ("firstDegreeSize", "total"),
    ],
    "facebook": [
        ("page_media_view", "organic"),
        ("page_media_view", "paid"),
        ("page_total_media_view_unique", "total"),
        ("page_post_engagements", "organic"),
        ("page_daily_follows", "organic"),
        ("page_follows", "total"),
    ],
}
ADS = {
    "tiktok": ["spend", "impressions", "clicks", "reach", "video_play_actions"],
    "linkedin": ["costInLocalCurrency", "impressions", "clicks", "approximateMemberReach"],
    "facebook": ["spend", "impressions", "clicks", "reach", "link_click"],
}
COUNTERS = {
    "tiktok": (["view_count", "like_count", "comment_count", "share_count"], "total"),
    "linkedin": (["impressionCount", "likeCount", "commentCount", "shareCount"], "organic"),
    "facebook": (["post_media_view", "post_reactions", "post_comments", "post_shares"], "organic"),
}


def snapshot_ages() -> list[int]:
    """Days after publication when a post's counters are collected: daily, then weekly to 90."""
    return list(range(1, 15)) + list(range(21, 91, 7))


def build(path: Path, days: int, posts: int, seed: int = 7) -> dict[str, float]:
    """Fill a database through db.writes, one page per platform per day."""
    rng = random.Random(seed)
    db = open_db(path)
    start = END - timedelta(days=days - 1)
    accounts = {}
    for platform, kind in CONTENT.items():
        accounts[platform] = writes.upsert_account(db, Account(platform, kind, f"{platform}-main"))
        accounts[f"{platform}-ads"] = writes.upsert_account(
            db, Account(platform, "ads", f"{platform}-ads")
        )
    per_platform = posts // len(CONTENT)
    every = days / per_platform
    published: dict[str, list[tuple[str, datetime, float]]] = {p: [] for p in CONTENT}
    counters: dict[str, dict[str, float]] = {}
    started = time.perf_counter()
    snapshot_rows = value_rows = 0
    boosted: list[tuple[str, str, str]] = []
    for offset in range(days):
        day = start + timedelta(days=offset)
        for platform in CONTENT:
            page = Page()
            ads_page = Page()
            # New posts: evenly spread, heavy-tailed final views.
            while (
                len(published[platform]) < per_platform
                and len(published[platform]) * every <= offset
            ):
                n = len(published[platform])
                moment = datetime(day.year, day.month, day.day, 8 + n % 12, tzinfo=UTC)
                ext = f"{platform}-{n}"
                final = rng.lognormvariate(math.log(2000), 0.9)
                published[platform].append((ext, moment, final))
                page.posts.append(Post(platform, ext, moment, caption=f"Video {n} #realfag"))
            names, origin = COUNTERS[platform]
            ages = set(snapshot_ages())
            for ext, moment, final in published[platform]:
                age = (day - moment.date()).days
                if age in ages:
                    share = 1 - math.exp(-age / 4)
                    views = round(final * share)
                    values = {
                        names[0]: views,
                        names[1]: round(views * 0.06),
                        names[2]: round(views * 0.004),
                        names[3]: round(views * 0.002),
                    }
                    if counters.get(ext) != values:
                        counters[ext] = values
                        page.snapshots.append(
                            Snapshot(
                                ext,
                                datetime(day.year, day.month, day.day, 5, tzinfo=UTC),
                                dict(values),
                                origin,
                            )
                        )
                        snapshot_rows += 4
            for metric, metric_origin in DAILY[platform]:
                value = (
                    rng.randint(100, 5000)
                    if "Size" not in metric and metric[-7:] != "follows"
                    else 10000 + offset
                )
                page.values.append(
                    MetricValue(metric, float(value), day, day, "day", metric_origin)
                )
            value_rows += len(page.values)
            for c in range(2):
                cid = f"{platform}-camp-{c}"
                if offset == 0:
                    ads_page.ad_entities.append(
                        AdEntity(platform, "campaign", cid, f"Campaign {c}")
                    )
                if c == 0 and page.posts and len(published[platform]) % 10 == 1:
                    # Every tenth post is boosted: an ad under campaign 0 promotes it.
                    ads_page.ad_entities.append(
                        AdEntity(platform, "ad", f"ad-{page.posts[-1].external_id}", "", cid)
                    )
                    post_id = page.posts[-1].external_id
                    boosted.append((platform, f"ad-{post_id}", post_id))
                for metric in ADS[platform]:
                    ads_page.values.append(
                        MetricValue(
                            metric, float(rng.randint(10, 3000)), day, day, "day", "paid", "ad", cid
                        )
                    )
            if day.isoweekday() == 7:
                monday = day - timedelta(days=6)
                reach = ADS[platform][3]
                ads_page.values.append(
                    MetricValue(reach, float(rng.randint(2000, 9000)), monday, day, "week", "paid")
                )
            value_rows += len(ads_page.values)
            writes.save_page(db, accounts[platform], page, source="api")
            writes.save_page(db, accounts[f"{platform}-ads"], ads_page, source="api")
        _link_ads(db, boosted)
        boosted.clear()
        _calendar_and_sync(db, day, offset)
    db.conn.close()
    return {
        "seconds": time.perf_counter() - started,
        "snapshot_rows": snapshot_rows,
        "value_rows": value_rows,
    }


def _link_ads(db, boosted: list[tuple[str, str, str]]) -> None:  # type: ignore[no-untyped-def]
    """The ad-to-post link a collector stores (ad_entities.post_external_id, migration m006)."""
    for platform, ad, post in boosted:
        db.execute(
            """UPDATE ad_entities SET post_external_id = ?
               WHERE platform = ? AND level = 'ad' AND external_id = ?""",
            [post, platform, ad],
        )


def _calendar_and_sync(db, day: date, offset: int) -> None:  # type: ignore[no-untyped-def]
    """One planned slot a day (owned by one of six students) and one sync run per platform."""
    if offset == 0:
        for n in range(6):
            db.execute(
                "INSERT INTO team_members (name, created_at) VALUES (?, '2024-01-01T00:00:00Z')",
                [f"Student {n}"],
            )
    moment = to_utc_iso(datetime(day.year, day.month, day.day, 14, tzinfo=UTC))
    cur = db.execute(
        """INSERT INTO calendar_slots (uid, planned_at, platform, title, status, created_at, updated_at)
           VALUES (?, ?, 'tiktok', 'Video', ?, ?, ?)""",
        [f"slot-{offset}", moment, "published" if offset % 4 else "skipped", moment, moment],
    )
    db.execute(
        "INSERT INTO slot_owners (slot_id, member_id) VALUES (?, ?)",
        [cur.lastrowid, offset % 6 + 1],
    )
    for platform in CONTENT:
        run = writes.start_sync_run(db, platform)
        writes.finish_sync_run(
            db,
            run,
            outcome="ok",
            new_posts=0,
            updated_values=0,
            requests=1,
            finished_at=datetime(day.year, day.month, day.day, 6, tzinfo=UTC) + timedelta(days=1),
        )


def time_report(path: Path, runs: int) -> dict[str, float]:
    """Median seconds of building + rendering the weekly JSON, and tracemalloc's peak."""
    db = open_db(path)
    config = Config(
        path=None, values={"facebook": {"enabled": True}, "linkedin": {"enabled": True}}
    )
    render(build_weekly(db, config, now=NOW, save=False), "json")  # warm-up (imports, caches)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        text = render(build_weekly(db, config, now=NOW), "json").text
        times.append(time.perf_counter() - started)
    tracemalloc.start()
    render(build_weekly(db, config, now=NOW, save=False), "json")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    db.conn.close()
    assert '"has_data": true' in text
    return {"median": statistics.median(times), "best": min(times), "peak_mb": peak / 2**20}


def time_cli(path: Path) -> dict[str, float]:
    """Wall time and max RSS of `social report weekly --format json` in a fresh process."""
    folder = path.parent / f"ws-{path.stem}"
    folder.mkdir(exist_ok=True)
    (folder / "social.toml").write_text(f'[general]\ndatabase = "{path}"\n', encoding="utf-8")
    # The child's own peak: VmHWM belongs to the process's address space, which exec replaces.
    # (getrusage's ru_maxrss is not: a forked child starts with its parent's peak, so it showed
    # this benchmark's own, much larger, peak instead of the report command's.)
    code = (
        "import sys, time_machine\n"
        "from social.cli import cli\n"
        f"with time_machine.travel({NOW.isoformat()!r}, tick=False):\n"
        "    try:\n        cli(['report', 'weekly', '--format', 'json'])\n"
        "    except SystemExit:\n        pass\n"
        "peak = [l for l in open('/proc/self/status') if l.startswith('VmHWM:')][0]\n"
        "print(peak.split()[1], 'pandas' in sys.modules, file=sys.stderr)\n"
    )
    started = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=folder,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "SOCIAL_CONFIG": str(folder / "social.toml")},
    )
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    peak_kb, pandas = out.stderr.strip().splitlines()[-1].split()
    return {
        "seconds": seconds,
        "cpu": cpu,
        "max_rss_mb": int(peak_kb) / 1024,
        "pandas": pandas == "True",
    }


def time_sqlite_utils_import(runs: int = 7) -> tuple[float, float]:
    """CPU seconds of `import sqlite_utils` in a fresh interpreter, with pandas importable and
    with it blocked (what an install without pandas, now the default, pays)."""

    def cpu(code: str) -> float:
        samples = []
        for _ in range(runs):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            subprocess.run([sys.executable, "-c", code], check=True)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            samples.append((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))
        return statistics.median(samples)

    with_pandas = cpu("import sqlite_utils")
    without = cpu("import sys; sys.modules['pandas'] = None; import sqlite_utils")
    return with_pandas, without


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--days", type=int, default=3 * 365)
    parser.add_argument("--posts", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="Keep the databases in this folder.")
    args = parser.parse_args()
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        run(args, args.keep)
    else:
        with tempfile.TemporaryDirectory(prefix="bench-weekly-") as tmp:
            run(args, Path(tmp))


def run(args: argparse.Namespace, folder: Path) -> None:
    results = {}
    for label, days, posts in (
        ("full", args.days, args.posts),
        ("tenth", args.days // 10, args.posts // 10),
    ):
        path = folder / f"{label}.db"
        if not path.exists():
            built = build(path, days, posts)
            print(
                f"{label}: built {days} days, {posts} posts in {built['seconds']:.1f} s "
                f"({built['snapshot_rows']:,} snapshot values, {built['value_rows']:,} metric "
                f"values, {path.stat().st_size / 2**20:.0f} MB)"
            )
        report = time_report(path, args.runs)
        cli_run = time_cli(path)
        results[label] = report
        print(
            f"{label}: weekly JSON report median {report['median'] * 1000:.0f} ms "
            f"(best {report['best'] * 1000:.0f} ms, tracemalloc peak {report['peak_mb']:.1f} MB); "
            f"CLI process {cli_run['seconds']:.2f} s ({cli_run['cpu']:.2f} s CPU), its own peak RSS "
            f"{cli_run['max_rss_mb']:.0f} MB"
            + (" (pandas installed here, so sqlite-utils imported it)" if cli_run["pandas"] else "")
        )
    ratio = results["full"]["median"] / results["tenth"]["median"]
    print(
        f"full history / tenth of it: {ratio:.2f}x (target <= 2.00x); "
        f"full median {results['full']['median']:.3f} s (target <= 2 s)"
    )
    with_pandas, without = time_sqlite_utils_import()
    print(
        f"import sqlite_utils: {with_pandas:.2f} s CPU where pandas is installed, "
        f"{without:.2f} s without it (pandas is no longer a dependency)"
    )
    print(
        f"this process: max RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
    )


if __name__ == "__main__":
    main()
