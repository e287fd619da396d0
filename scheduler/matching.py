"""Match published posts to the calendar slots they fulfil.

After each sync, a slot that has no post yet (and is neither skipped nor linked
by hand) gets the post of the same platform (and account, if the slot names
one) published closest to its planned time within a window, provided no other
slot already has that post. The slot is then marked published. Pairs are taken
closest first over all slots at once, so the result does not depend on the
order slots were added, and a second run changes nothing.
"""

from __future__ import annotations

from datetime import timedelta

from sqlite_utils import Database

from social.timeutil import from_utc_iso, to_utc_iso, utcnow


def match_published_posts(db: Database, *, window_hours: float = 36) -> int:
    """Link unlinked slots to their posts; return how many slots were matched."""
    window = timedelta(hours=window_hours)
    slots = db.execute(
        """SELECT id, planned_at, platform, account_id FROM calendar_slots
           WHERE post_id IS NULL AND link_manual = 0 AND status != 'skipped'
           ORDER BY planned_at, id"""
    ).fetchall()
    if not slots:
        return 0
    pairs: list[tuple[float, str, int, str, int]] = []
    for sid, planned, platform, account in slots:
        moment = from_utc_iso(planned)
        params: list[object] = [platform, to_utc_iso(moment - window), to_utc_iso(moment + window)]
        account_clause = ""
        if account is not None:
            account_clause = "AND p.account_id = ?"
            params.append(account)
        candidates = db.execute(
            f"""SELECT p.id, p.published_at FROM posts p
                WHERE p.platform = ? AND p.published_at BETWEEN ? AND ? {account_clause}
                  AND NOT EXISTS (SELECT 1 FROM calendar_slots s WHERE s.post_id = p.id)""",
            params,
        ).fetchall()
        for pid, published in candidates:
            distance = abs((from_utc_iso(published) - moment).total_seconds())
            pairs.append((distance, planned, sid, published, pid))
    pairs.sort()
    used_slots: set[int] = set()
    used_posts: set[int] = set()
    chosen: list[tuple[int, int]] = []
    for _, _, sid, _, pid in pairs:
        if sid in used_slots or pid in used_posts:
            continue
        used_slots.add(sid)
        used_posts.add(pid)
        chosen.append((sid, pid))
    if not chosen:
        return 0
    now = to_utc_iso(utcnow())
    with db.atomic():
        for sid, pid in chosen:
            db.execute(
                """UPDATE calendar_slots
                   SET post_id = ?, status = 'published', sequence = sequence + 1, updated_at = ?
                   WHERE id = ? AND post_id IS NULL AND link_manual = 0""",
                [pid, now, sid],
            )
    return len(chosen)
