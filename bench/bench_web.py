"""Time every web page on three years of history, and on a tenth of it.

The databases are the weekly-report benchmark's (bench_weekly_report.build: three
years of daily series, ads, 3,000 posts with snapshots, a slot a day), plus what
the pages show besides: a communications lead, a running campaign with KPI
targets, two partners with a brief, and a stored weekly report. Each page is
requested in-process through the ASGI app (Starlette's test client, signed in
as the lead; students' pages as a student) at a fixed moment, and its server
time is the median of several requests after a warm-up, in three situations:
between syncs, after new data once the app's background refresh has caught up,
and right after new data with the page recomputing in the request.

Targets: every page at most 200 ms on the full history, and at most 2x its time
on a tenth of it.

    python bench/bench_web.py [--runs 5] [--keep DIR]
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import time_machine  # noqa: E402

from bench.bench_weekly_report import END, NOW, build  # noqa: E402
from db import open_db  # noqa: E402

PAGES = [
    "/",
    "/calendar",
    "/calendar?view=week&week=2026-W47",
    "/calendar/slots/{slot}",
    "/posts",
    "/posts/{post}",
    "/insights",
    "/campaigns",
    "/campaigns/{campaign}",
    "/partners",
    "/partners/{partner}",
    "/briefs",
    "/briefs/{brief}",
    "/team",
    "/reports",
    "/reports/{report}",
]
STUDENT_PAGES = ["/me", "/calendar"]


def seed(path: Path) -> dict[str, int]:
    """What the pages need beyond the report benchmark's data, through the library."""
    from briefs.partners import add_partner
    from briefs.store import create_brief
    from core.config import Config
    from scheduler.team import add_member
    from social import campaigns as c
    from social.reports.weekly import build_weekly

    db = open_db(path)
    lead = add_member(db, "Kari Leder", role="communications", email="kari@example.no")
    partner = add_partner(db, "Equinor", tier="large")
    add_partner(db, "Lokal Elektro AS", tier="small")
    changes = c.Changes(
        start=(END - timedelta(days=30)).isoformat(),
        end=(END + timedelta(days=30)).isoformat(),
        hashtags=["realfag"],
        ad_campaigns=["tiktok:tiktok-camp-0", "facebook:facebook-camp-0"],
        partner="Equinor",
        targets=["views=400000", "clicks:paid=4000", "reach:paid:tiktok=150000"],
    )
    cid = c.save(db, c.new_spec(db, "Realfag", changes))
    brief, _ = create_brief(
        db, partner_ref="Equinor", template="tiktok_partner_nb", deadline=END + timedelta(days=10)
    )
    with time_machine.travel(NOW, tick=False):
        config = Config(
            path=None, values={"facebook": {"enabled": True}, "linkedin": {"enabled": True}}
        )
        build_weekly(db, config, now=NOW)
    ids = {
        "lead": lead.id,
        "campaign": cid,
        "partner": partner.id,
        "brief": brief.id,
        "slot": int(db.execute("SELECT MAX(id) FROM calendar_slots").fetchone()[0]),
        "post": int(db.execute("SELECT MAX(id) FROM posts").fetchone()[0]),
        "report": int(db.execute("SELECT MAX(id) FROM generated_reports").fetchone()[0]),
    }
    db.conn.close()
    return ids


def client_for(path: Path, name: str):  # type: ignore[no-untyped-def]
    from core.config import Config
    from social.web import create_app
    from tests.web_support import signed_in

    folder = path.parent / f"ws-{path.stem}"
    folder.mkdir(exist_ok=True)
    toml = folder / "social.toml"
    toml.write_text(
        f'[general]\ndatabase = "{path}"\n[facebook]\nenabled = true\n[linkedin]\nenabled = true\n',
        encoding="utf-8",
    )
    from core.config import load_config

    config: Config = load_config(toml)
    app = create_app(config, base_url="http://testserver")
    return signed_in(app, open_db(path, migrate=False), name)


SITUATIONS = ("kept", "refreshed", "in request")


def time_pages(
    path: Path, ids: dict[str, int], runs: int
) -> tuple[dict[str, tuple[float, ...]], list[float]]:
    """Median server time in seconds of each page in each of SITUATIONS, and how long each
    background refresh took.

    "kept": between syncs. "refreshed": the first request after another connection
    committed a write (as a sync or an import does) once the app's background refresh
    (`KeptResults`, started with the app) has caught up. "in request": the first
    request right after the write, with no background refresh: the page recomputes.
    """
    out: dict[str, tuple[float, ...]] = {}
    refreshes: list[float] = []
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("CREATE TABLE IF NOT EXISTS bench_touch (n INTEGER)")
    with time_machine.travel(NOW, tick=True):
        for who, pages in (("Kari Leder", PAGES), ("Student 0", STUDENT_PAGES)):
            client = client_for(path, who)
            kept = client.app.state.web.kept  # type: ignore[attr-defined]
            for template in pages:
                url = template.format(**ids)
                label = f"{template} ({'lead' if who == 'Kari Leder' else 'student'})"
                response = client.get(url)  # warm-up: imports, caches
                assert response.status_code == 200, (url, response.status_code)
                timed: dict[str, list[float]] = {s: [] for s in SITUATIONS}
                for _ in range(runs):
                    for situation in SITUATIONS:
                        if situation != "kept":
                            writer.execute("INSERT INTO bench_touch VALUES (1)")
                        if situation == "refreshed":
                            started = time.perf_counter()
                            if kept.refresh():  # what the app's refresh thread does
                                refreshes.append(time.perf_counter() - started)
                        started = time.perf_counter()
                        response = client.get(url)
                        timed[situation].append(time.perf_counter() - started)
                        assert response.status_code == 200
                out[label] = tuple(statistics.median(timed[s]) for s in SITUATIONS)
    writer.close()
    return out, refreshes


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--days", type=int, default=3 * 365)
    parser.add_argument("--posts", type=int, default=3000)
    parser.add_argument("--keep", type=Path, help="Keep the databases in this folder.")
    args = parser.parse_args()
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        run(args, args.keep)
    else:
        with tempfile.TemporaryDirectory(prefix="bench-web-") as tmp:
            run(args, Path(tmp))


def run(args: argparse.Namespace, folder: Path) -> None:
    results: dict[str, dict[str, tuple[float, ...]]] = {}
    refreshes: dict[str, list[float]] = {}
    for label, days, posts in (
        ("full", args.days, args.posts),
        ("tenth", args.days // 10, args.posts // 10),
    ):
        path = folder / f"{label}.db"
        fresh = not path.exists()
        if fresh:
            built = build(path, days, posts)
            print(f"{label}: built {days} days, {posts} posts in {built['seconds']:.1f} s")
            ids = seed(path)
            (folder / f"{label}.ids").write_text(repr(ids), encoding="utf-8")
        ids = eval((folder / f"{label}.ids").read_text(encoding="utf-8"))  # noqa: S307 - our own file
        results[label], refreshes[label] = time_pages(path, ids, args.runs)
    worst = {s: (0.0, 0.0) for s in SITUATIONS}
    print(f"{'':<44}" + "".join(f"{s:^28}" for s in SITUATIONS))
    print(f"{'page':<44}" + f"{'full':>9} {'tenth':>8} {'ratio':>8} " * len(SITUATIONS))
    for page, full in results["full"].items():
        tenth = results["tenth"][page]
        cells = []
        for i, situation in enumerate(SITUATIONS):
            ratio = full[i] / tenth[i] if tenth[i] else 0.0
            slowest, largest = worst[situation]
            worst[situation] = (max(slowest, full[i]), max(largest, ratio))
            cells.append(f"{full[i] * 1000:>6.0f} ms {tenth[i] * 1000:>5.0f} ms {ratio:>6.2f}x ")
        print(f"{page:<44}" + " ".join(cells))
    for situation, (slowest, ratio) in worst.items():
        print(
            f"{situation}: slowest page on the full history {slowest * 1000:.0f} ms "
            f"(target <= 200 ms); largest full/tenth ratio {ratio:.2f}x (target <= 2.00x)"
        )
    for label, times in refreshes.items():
        print(
            f"background refresh of every kept result after new data ({label}): median "
            f"{statistics.median(times) * 1000:.0f} ms, longest {max(times) * 1000:.0f} ms"
        )


if __name__ == "__main__":
    main()
