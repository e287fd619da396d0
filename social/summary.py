"""A short per-platform summary of one week: what `social demo` prints at the end."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlite_utils import Database

from social import formats
from social.catalogue import metrics_for
from social.timeutil import to_utc_iso, week_bounds_utc


@dataclass
class PlatformWeek:
    """Headline figures of one platform for one ISO week."""

    platform: str
    posts: int
    views: float | None
    views_basis: str
    organic_impressions: float | None
    followers: float | None
    paid_impressions: float | None
    paid_reach: float | None
    spend: float | None


def week_summary(db: Database, monday: date, zone: str) -> list[PlatformWeek]:
    """Posts published, views gained, followers, and paid figures per platform for a week."""
    start, end = week_bounds_utc(monday, zone)
    start_s, end_s = to_utc_iso(start), to_utc_iso(end)
    sunday = date.fromordinal(monday.toordinal() + 6)
    out = []
    for (platform,) in db.execute("SELECT DISTINCT platform FROM accounts ORDER BY platform"):
        posts = db.execute(
            "SELECT COUNT(*) FROM posts WHERE platform = ? AND published_at >= ? AND published_at < ?",
            [platform, start_s, end_s],
        ).fetchone()[0]
        views, basis = _views(db, platform, monday, sunday, start_s, end_s)
        out.append(
            PlatformWeek(
                platform,
                posts,
                views,
                basis,
                _organic_daily(db, platform, "impressions", monday, sunday),
                _latest_level(db, platform, "followers", sunday),
                _sum_paid(db, platform, "impressions", monday, sunday),
                _week_paid_reach(db, platform, monday, sunday),
                _sum_paid(db, platform, "spend", monday, sunday),
            )
        )
    return out


def _names(concept: str, platform: str) -> list[str]:
    return [m.metric for m in metrics_for(concept, platform)]


def _marks(items: list[str]) -> str:
    return ",".join("?" * len(items))


def _views(
    db: Database, platform: str, monday: date, sunday: date, start: str, end: str
) -> tuple[float | None, str]:
    """Organic daily account views where the platform gives them, else snapshot differences."""
    names = _names("views", platform)
    daily = db.execute(
        f"""SELECT SUM(v.value) FROM metric_values v JOIN accounts a ON a.id = v.account_id
            WHERE v.platform = ? AND a.kind != 'ads' AND v.subject_type = 'account'
              AND v.grain = 'day' AND v.metric IN ({_marks(names)})
              AND v.window_start >= ? AND v.window_end <= ?""",
        [platform, *names, monday.isoformat(), sunday.isoformat()],
    ).fetchone()[0]
    if daily is not None:
        return float(daily), "daily account views"
    # Lifetime counters: views gained = value at week end - value at week start (rule 2);
    # the level at an instant is the last snapshot taken at or before it.
    gained = db.execute(
        f"""WITH counters AS (SELECT post_id, metric, origin FROM post_latest
                              WHERE metric IN ({_marks(names)}))
            SELECT SUM(COALESCE((SELECT value FROM post_snapshots s WHERE s.post_id = c.post_id
                                   AND s.metric = c.metric AND s.origin = c.origin
                                   AND s.captured_at <= ? ORDER BY captured_at DESC LIMIT 1), 0)
                     - COALESCE((SELECT value FROM post_snapshots s WHERE s.post_id = c.post_id
                                   AND s.metric = c.metric AND s.origin = c.origin
                                   AND s.captured_at <= ? ORDER BY captured_at DESC LIMIT 1), 0))
            FROM counters c JOIN posts p ON p.id = c.post_id WHERE p.platform = ?""",
        [*names, end, start, platform],
    ).fetchone()[0]
    return (float(gained), "growth of post view counters") if gained is not None else (None, "")


def _organic_daily(
    db: Database, platform: str, concept: str, monday: date, sunday: date
) -> float | None:
    """The sum of an additive organic daily account series over the week."""
    names = _names(concept, platform)
    row = db.execute(
        f"""SELECT SUM(value) FROM metric_values WHERE platform = ? AND origin = 'organic'
              AND subject_type = 'account' AND grain = 'day' AND metric IN ({_marks(names)})
              AND window_start >= ? AND window_end <= ?""",
        [platform, *names, monday.isoformat(), sunday.isoformat()],
    ).fetchone()
    return float(row[0]) if row and row[0] is not None else None


def _latest_level(db: Database, platform: str, concept: str, on_or_before: date) -> float | None:
    names = _names(concept, platform)
    row = db.execute(
        f"""SELECT value FROM metric_values WHERE platform = ? AND metric IN ({_marks(names)})
              AND grain = 'day' AND window_end <= ? ORDER BY window_end DESC LIMIT 1""",
        [platform, *names, on_or_before.isoformat()],
    ).fetchone()
    return float(row[0]) if row else None


def _sum_paid(
    db: Database, platform: str, concept: str, monday: date, sunday: date
) -> float | None:
    names = _names(concept, platform)
    row = db.execute(
        f"""SELECT SUM(value) FROM metric_values WHERE platform = ? AND origin = 'paid'
              AND subject_type = 'ad' AND grain = 'day' AND metric IN ({_marks(names)})
              AND window_start >= ? AND window_end <= ?""",
        [platform, *names, monday.isoformat(), sunday.isoformat()],
    ).fetchone()
    return float(row[0]) if row and row[0] is not None else None


def _week_paid_reach(db: Database, platform: str, monday: date, sunday: date) -> float | None:
    """The platform's own unique reach of all ads that week (never a sum of daily reach)."""
    names = _names("reach", platform)
    row = db.execute(
        f"""SELECT SUM(value) FROM metric_values WHERE platform = ? AND origin = 'paid'
              AND subject_type = 'account' AND grain = 'week' AND metric IN ({_marks(names)})
              AND window_start = ? AND window_end = ?""",
        [platform, *names, monday.isoformat(), sunday.isoformat()],
    ).fetchone()
    return float(row[0]) if row and row[0] is not None else None


def render_text(
    weeks: list[PlatformWeek], monday: date, lang: str = "nb", currency: str = "NOK"
) -> str:
    """The summary as a few lines of text in the report language."""
    nb = lang == "nb"
    head = (
        f"Siste hele uke ({formats.week(monday, lang)}, fra {formats.day(monday, lang)}):"
        if nb
        else f"Last complete week ({formats.week(monday, lang)}, from {formats.day(monday, lang)}):"
    )
    lines = [head]
    for w in weeks:
        parts = [f"{w.posts} {'nye innlegg' if nb else 'new posts'}"]
        if w.views is not None:
            parts.append(f"{formats.number(w.views, lang)} {'visninger' if nb else 'views'}")
        elif w.organic_impressions is not None:
            parts.append(
                f"{formats.number(w.organic_impressions, lang)} "
                f"{'organiske visninger' if nb else 'organic impressions'}"
            )
        if w.followers is not None:
            parts.append(f"{formats.number(w.followers, lang)} {'følgere' if nb else 'followers'}")
        if w.paid_impressions is not None:
            parts.append(
                f"{formats.number(w.paid_impressions, lang)} "
                f"{'annonsevisninger' if nb else 'ad impressions'}"
            )
        if w.paid_reach is not None:
            parts.append(
                f"{formats.number(w.paid_reach, lang)} "
                f"{'nådd med annonser (unike, hele uken)' if nb else 'reached by ads (unique, whole week)'}"
            )
        if w.spend is not None:
            parts.append(
                f"{formats.number(w.spend, lang, 2)} {currency} {'brukt' if nb else 'spent'}"
            )
        lines.append(f"  {w.platform:<9} " + ", ".join(parts))
    if len(lines) == 1:
        lines.append("  (ingen data ennå)" if nb else "  (no data yet)")
    return "\n".join(lines)
