"""Match published posts to the calendar slots they fulfil, by content and time.

A slot that has no post yet (and is neither skipped nor linked by hand) is
compared with every post of its platform (and account, if the slot names one)
published within a window of its planned time. Each pair gets a confidence
from what the slot says and what the post says:

- content: the slot's tags against the post's hashtags (directly or through the
  theme mapping insights use: #eksamenstips is the theme "eksamen"), and the
  words of the slot's title against the words of the caption;
- time: how close to the planned time the post went out, relative to the window;
- the owner's account: the account the slot's owners usually publish from (the
  posts earlier slots of theirs were linked to), where they have one.

A pair is linked only when it is confident (CONFIDENT or more) and clearly
ahead of the slot's and the post's next-best alternatives (MARGIN); pairs are
taken most confident first over all slots at once, so the result does not
depend on the order slots were added, and a second run changes nothing. Every
other slot with candidates is left for a person, with its best candidates as
suggestions. A manual link always wins: such slots are never touched and their
posts are never offered to another slot.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import timedelta
from typing import Any

from sqlite_utils import Database

from core.hashtags import DEFAULT_HASHTAG_THEMES, hashtags
from core.timeutil import from_utc_iso, to_utc_iso, utcnow
from db import planning
from scheduler.calendar import link_matched_posts, unlinked_slots

CONFIDENT = 0.6  # link automatically from this confidence on ...
MARGIN = 0.1  # ... when no alternative comes this close
SUGGEST = 0.2  # show candidates from this confidence on
SUGGESTIONS = 3

# Words that say nothing about a video's topic (Norwegian and English).
STOPWORDS = frozenset(
    [
        "og",
        "eller",
        "i",
        "på",
        "med",
        "for",
        "til",
        "en",
        "et",
        "ei",
        "som",
        "det",
        "den",
        "de",
        "er",
        "av",
        "om",
        "fra",
        "har",
        "hva",
        "hvor",
        "hvordan",
        "hvorfor",
        "når",
        "kan",
        "vi",
        "du",
        "jeg",
        "seg",
        "sin",
        "sitt",
        "sine",
        "ikke",
        "men",
        "så",
        "også",
        "etter",
        "før",
        "under",
        "over",
        "mot",
        "bare",
        "mer",
        "mest",
        "litt",
        "dag",
        "uke",
        "del",
        "nytt",
        "ny",
        "nye",
        "vår",
        "våre",
        "din",
        "ditt",
        "dine",
        "the",
        "and",
        "or",
        "with",
        "for",
        "from",
        "you",
        "your",
        "this",
        "that",
        "what",
        "how",
        "why",
        "when",
        "our",
        "are",
        "was",
        "new",
        "part",
        "day",
        "week",
        "video",
    ]
)
_WORD = re.compile(r"[\wæøåÆØÅ]+")


def _compact(text: str) -> str:
    """'T-matte' and '#tmatte' both become 'tmatte'."""
    return "".join(_WORD.findall(text.lower())).lstrip("#")


def _words(text: str) -> set[str]:
    """The words of a text that can say something about its topic."""
    return {
        w
        for w in (m.lower() for m in _WORD.findall(text or ""))
        if len(w) >= 3 and not w.isdigit() and w not in STOPWORDS
    }


def _same_word(a: str, b: str) -> bool:
    """Equal, or one inflects the other ('eksamen' / 'eksamenstips', 'tips' / 'tipsene')."""
    if a == b:
        return True
    short, long_ = sorted((a, b), key=len)
    return len(short) >= 4 and long_.startswith(short)


@dataclass
class Candidate:
    """A post a slot may have been published as, and how sure the match is."""

    post_id: int
    external_id: str
    published_at: str
    caption: str
    confidence: float
    time: float  # 0..1, 1 = exactly on time
    content: float | None  # 0..1, None when the slot says nothing about its content
    account: float  # 1 the owners' usual account, 0 another one, 0.5 unknown or all the same
    reasons: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "confidence": round(self.confidence, 3)}


@dataclass
class SlotMatch:
    """One slot with the post it was linked to, or the suggestions for a person."""

    slot_id: int
    uid: str
    title: str
    planned_at: str
    platform: str
    linked: Candidate | None = None
    suggestions: list[Candidate] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "slot": self.slot_id,
            "uid": self.uid,
            "title": self.title,
            "planned_at": self.planned_at,
            "platform": self.platform,
            "linked": self.linked.to_json() if self.linked else None,
            "suggestions": [c.to_json() for c in self.suggestions],
        }


@dataclass
class MatchResult:
    """What a matching run linked and what it left for a person."""

    linked: list[SlotMatch] = field(default_factory=list)
    unsure: list[SlotMatch] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "linked": [m.to_json() for m in self.linked],
            "unsure": [m.to_json() for m in self.unsure],
        }


@dataclass
class _Slot:
    id: int
    uid: str
    title: str
    planned_at: str
    platform: str
    account: int | None
    tags: list[str]
    owners: list[int]


def _open_slots(db: Database) -> list[_Slot]:
    out = []
    for sid, uid, title, planned, platform, account, tags, owners in unlinked_slots(db):
        try:
            tag_list = [str(t) for t in json.loads(tags or "[]")]
        except ValueError:
            tag_list = []
        out.append(
            _Slot(
                int(sid),
                uid,
                title or "",
                planned,
                platform,
                account,
                tag_list,
                [int(o) for o in json.loads(owners or "[]")],
            )
        )
    return out


def _usual_accounts(db: Database) -> dict[int, int]:
    """member -> the account most of the posts their slots were linked to came from."""
    counts: dict[int, Counter[int]] = {}
    for member, account, n in planning.owners_post_accounts(db):
        counts.setdefault(member, Counter())[account] = n
    out = {}
    for member, counter in counts.items():
        account, n = counter.most_common(1)[0]
        if n * 2 > sum(counter.values()):  # a clear habit, not a coin toss
            out[member] = account
    return out


def _content(slot: _Slot, caption: str, themes: dict[str, str]) -> tuple[float | None, list[str]]:
    """How well the post's text fits the slot's tags and title (None: the slot says nothing)."""
    post_words = _words(caption)
    post_tags = {_compact(h) for h in hashtags(caption)}
    post_themes = {_compact(themes.get(h, h)) for h in hashtags(caption)}
    tags = [_compact(t) for t in slot.tags if _compact(t)]
    title = _words(slot.title)
    reasons = []
    tag_score = title_score = None
    if tags:
        hits = [
            t
            for t in tags
            if t in post_tags
            or t in post_themes
            or any(_same_word(t, w) for w in post_words | post_tags)
        ]
        tag_score = len(hits) / len(tags)
        if hits:
            reasons.append("tags")
    if title:
        hits = [w for w in title if any(_same_word(w, p) for p in post_words | post_tags)]
        title_score = len(hits) / len(title)
        if hits:
            reasons.append("title")
    if tag_score is None and title_score is None:
        return None, reasons
    if tag_score is None:
        return title_score, reasons
    if title_score is None:
        return tag_score, reasons
    return 0.6 * tag_score + 0.4 * title_score, reasons


def confidence(content: float | None, time: float, account: float) -> float:
    """How sure a match is, 0..1.

    With something to compare, the content weighs most: a post on the slot's topic
    a day late beats one on another topic on the hour. Without it (a slot with no
    title words or tags), any post within the window is a fair match, the nearest best.
    """
    adjust = 0.15 * (account - 0.5)
    if content is None:
        return min(1.0, 0.6 + 0.3 * time + adjust)
    return max(0.0, min(1.0, 0.25 + 0.5 * content + 0.25 * time + adjust))


def find_matches(db: Database, *, window_hours: float = 36) -> list[tuple[_Slot, list[Candidate]]]:
    """Every open slot with its candidate posts, most confident first (nothing is written)."""
    window = timedelta(hours=window_hours)
    slots = _open_slots(db)
    if not slots:
        return []
    usual = _usual_accounts(db)
    out = []
    for slot in slots:
        moment = from_utc_iso(slot.planned_at)
        rows = planning.unlinked_posts(
            db,
            slot.platform,
            to_utc_iso(moment - window),
            to_utc_iso(moment + window),
            account_id=slot.account,
        )
        candidates = []
        # The owners' usual account tells posts apart only where they come from several.
        habits = {usual[o] for o in slot.owners if o in usual}
        if len({row[4] for row in rows}) < 2:
            habits = set()
        for pid, ext, published, caption, account in rows:
            distance = abs((from_utc_iso(published) - moment).total_seconds())
            time_score = max(0.0, 1 - distance / max(window.total_seconds(), 1))
            content, reasons = _content(slot, caption or "", DEFAULT_HASHTAG_THEMES)
            account_score = (1.0 if account in habits else 0.0) if habits else 0.5
            if time_score >= 0.5:
                reasons.append("time")
            if account_score == 1.0:
                reasons.append("owner's account")
            candidates.append(
                Candidate(
                    int(pid),
                    ext,
                    published,
                    caption or "",
                    confidence(content, time_score, account_score),
                    time_score,
                    content,
                    account_score,
                    reasons,
                )
            )
        candidates.sort(key=lambda c: (-c.confidence, c.published_at, c.post_id))
        out.append((slot, candidates))
    return out


def match_slots(db: Database, *, window_hours: float = 36, dry_run: bool = False) -> MatchResult:
    """Link the confident matches (unless dry_run) and return them with the unsure ones."""
    found = find_matches(db, window_hours=window_hours)
    pairs = sorted(
        ((c.confidence, slot.planned_at, slot.id, c.post_id) for slot, cs in found for c in cs),
        key=lambda p: (-p[0], p[1], p[2], p[3]),
    )
    by_slot = {slot.id: (slot, cs) for slot, cs in found}
    wanted: dict[int, list[tuple[float, int]]] = {}  # post -> (confidence, slot)
    for conf, _, sid, pid in pairs:
        wanted.setdefault(pid, []).append((conf, sid))
    done: set[int] = set()
    used: set[int] = set()
    contested: set[int] = set()
    chosen: dict[int, Candidate] = {}

    def best_other(sid: int, pid: int) -> float:
        """A slot's best confidence among the posts still free, this one left out."""
        return max(
            (c.confidence for c in by_slot[sid][1] if c.post_id != pid and c.post_id not in used),
            default=0.0,
        )

    # Passes repeat until nothing changes: a post taken by one slot can make another slot's
    # choice clear.
    changed = True
    while changed:
        changed = False
        for conf, _, sid, pid in pairs:
            if sid in done or pid in used or pid in contested:
                continue
            # A rival is another open slot that wants this post about as much and has nothing
            # nearly as good to fall back on; one with a better post of its own does not compete.
            rivals = [
                c
                for c, other in wanted[pid]
                if other != sid
                and other not in done
                and c > conf - MARGIN
                and best_other(other, pid) < c - MARGIN
            ]
            if conf >= CONFIDENT and conf - best_other(sid, pid) >= MARGIN and not rivals:
                chosen[sid] = next(c for c in by_slot[sid][1] if c.post_id == pid)
                done.add(sid)
                used.add(pid)
                changed = True
            elif rivals:
                contested.add(pid)  # two slots want this post about equally: a person decides
    result = MatchResult()
    for slot, candidates in found:
        match = SlotMatch(slot.id, slot.uid, slot.title, slot.planned_at, slot.platform)
        if slot.id in chosen:
            match.linked = chosen[slot.id]
            result.linked.append(match)
        else:
            match.suggestions = [
                c for c in candidates if c.confidence >= SUGGEST and c.post_id not in used
            ][:SUGGESTIONS]
            if match.suggestions:
                result.unsure.append(match)
    if not dry_run and chosen:
        link_matched_posts(db, {sid: c.post_id for sid, c in chosen.items()}, now=utcnow())
    return result


def match_published_posts(db: Database, *, window_hours: float = 36) -> int:
    """Link the slots whose post is clearly identified; return how many were linked."""
    return len(match_slots(db, window_hours=window_hours).linked)
