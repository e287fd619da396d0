"""A privacy deletion reaching the files the tool wrote (`db.files` records each one).

For each recorded file: text files (Markdown, CSV, JSON, HTML) get the person's
name, e-mail and ids replaced by "[deleted]" in every form they are written in
(as typed, HTML-, JSON-, Markdown- or iCal-escaped); iCalendar files are parsed
and rewritten property by property (lines there are folded at 75 bytes, so a
plain text search would miss a name cut in two); a deleted member's own feed
file, a file whose name holds the person's name and an HTML report whose chart
shows it (drawn as shapes, not text) are removed; backups get the same deletion
as the database. Files that cannot be read or written, and kinds that cannot be
checked (PDF, images), are reported, never silently passed over.
"""

from __future__ import annotations

import html
import json
import os
import re
import sqlite3
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from db.files import forget_written, written_files

PLACEHOLDER = "[deleted]"
_TEXT_SUFFIXES = {".md", ".markdown", ".txt", ".csv", ".json", ".html", ".htm", ".j2"}
_MD_PUNCT = re.compile(r"([\\`*_{}\[\]()#+\-.!|~:])")
_SVG = re.compile(r"<svg\b.*?</svg>", re.DOTALL | re.IGNORECASE)

Redactor = Callable[[str], tuple[str, int]]


@dataclass(frozen=True)
class FileOutcome:
    """What happened to one file: rewritten, removed, or unreachable (with why)."""

    path: Path
    action: str
    reason: str = ""


def variants(term: str) -> list[str]:
    """A term in every form a generated file may hold it."""
    forms = {
        term,
        html.escape(term),
        html.escape(term, quote=False),
        html.escape(term).replace("&#x27;", "&#39;"),
        json.dumps(term)[1:-1],
        json.dumps(term, ensure_ascii=False)[1:-1],
        _MD_PUNCT.sub(r"\\\1", term),
        term.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;"),
    }
    return sorted((f for f in forms if f), key=len, reverse=True)


def _write_atomically(path: Path, data: bytes) -> None:
    mode = path.stat().st_mode & 0o777
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _scrub_ics(data: bytes, redact: Redactor) -> bytes | None:
    """The calendar with every text property redacted, or None when nothing mentioned them."""
    from icalendar import Calendar
    from icalendar.prop import vCategory, vText

    try:
        calendar = Calendar.from_ical(data)
    except ValueError:
        return None
    changed = False
    for component in calendar.walk():
        for key in list(component.keys()):
            value = component[key]
            if isinstance(value, vCategory):
                new = [redact(str(c))[0] for c in value.cats]
                if new != [str(c) for c in value.cats]:
                    component[key] = vCategory(new)
                    changed = True
            elif isinstance(value, str):
                text, count = redact(str(value))
                if count:
                    component[key] = vText(text)
                    changed = True
    return bytes(calendar.to_ical()) if changed else None


def scrub_text(text: str, redact: Redactor, *, svg_terms: Sequence[str]) -> tuple[str, int, bool]:
    """(new text, replacements, a chart shows the person) for a text file."""
    chart = any(term in svg for svg in _SVG.findall(text) for term in svg_terms)
    new, count = redact(text)
    return new, count, chart


def scrub_file(
    path: Path,
    kind: str,
    redact: Redactor,
    *,
    terms: Sequence[str],
    feed_tokens: set[str],
) -> FileOutcome | None:
    """Rewrite or remove one file if it holds the person; None when it does not."""
    if not path.exists():
        return FileOutcome(path, "gone")
    squeezed = re.sub(r"\W+", "", path.name.casefold())
    named = any(len(t) >= 3 and re.sub(r"\W+", "", t.casefold()) in squeezed for t in terms)
    if (kind == "feed" and path.stem in feed_tokens) or named:
        try:
            path.unlink()
        except OSError as exc:
            return FileOutcome(path, "unreachable", exc.strerror or str(exc))
        why = "the person's own feed" if kind == "feed" else "its name holds the person's name"
        return FileOutcome(path, "removed", why)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return FileOutcome(path, "unreachable", exc.strerror or str(exc))
    suffix = path.suffix.lower()
    try:
        if suffix == ".ics":
            new = _scrub_ics(data, redact)
            if new is None:
                return None
            _write_atomically(path, new)
            return FileOutcome(path, "rewritten")
        if suffix not in _TEXT_SUFFIXES:
            return FileOutcome(
                path,
                "unreachable",
                f"a {suffix.lstrip('.').upper() or 'binary'} file cannot be checked for names; "
                "delete it or make it again",
            )
        try:
            text = data.decode("utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8")
        except UnicodeDecodeError:
            return FileOutcome(path, "unreachable", "not UTF-8 text; check it by hand")
        svg_terms = [v for t in terms for v in variants(t)]
        new_text, count, chart = scrub_text(text, redact, svg_terms=svg_terms)
        if chart:
            path.unlink()
            return FileOutcome(path, "removed", "a chart in it shows the person")
        if not count:
            return None
        bom = "\ufeff" if data.startswith(b"\xef\xbb\xbf") else ""
        _write_atomically(path, (bom + new_text).encode("utf-8"))
        return FileOutcome(path, "rewritten")
    except OSError as exc:
        return FileOutcome(path, "unreachable", exc.strerror or str(exc))


def scrub_backup(path: Path, delete: Callable[[Database], bool]) -> FileOutcome | None:
    """Apply the deletion to a backup file; None when it held nothing of the person."""
    from db.connection import known_migrations

    if not path.exists():
        return FileOutcome(path, "gone")
    try:
        conn = sqlite3.connect(str(path), isolation_level=None)
    except sqlite3.Error as exc:
        return FileOutcome(path, "unreachable", str(exc))
    try:
        applied = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM _sqlite_migrations WHERE migration_set = 'social'"
            )
        ]
        if applied != known_migrations():
            return FileOutcome(
                path,
                "unreachable",
                "a backup with an older schema; restore it and delete the person again, "
                "or delete the backup",
            )
        conn.execute("PRAGMA secure_delete = ON")
        conn.execute("PRAGMA foreign_keys = ON")
        from db.connection import SocialDatabase

        if not delete(SocialDatabase(conn)):
            return None
        conn.execute("VACUUM")
        return FileOutcome(path, "rewritten")
    except sqlite3.Error as exc:
        return FileOutcome(path, "unreachable", str(exc))
    finally:
        conn.close()


def scrub_written_files(
    db: Database,
    redact: Redactor,
    *,
    terms: Sequence[str],
    feed_tokens: set[str],
    delete_in_backup: Callable[[Database], bool],
) -> list[FileOutcome]:
    """Every recorded file that held the person (rewritten or removed) or could not be checked."""
    outcomes = []
    for written in written_files(db):
        if written.kind == "backup":
            outcome = scrub_backup(written.path, delete_in_backup)
        else:
            outcome = scrub_file(
                written.path, written.kind, redact, terms=terms, feed_tokens=feed_tokens
            )
        if outcome is None:
            continue
        if outcome.action in ("removed", "gone"):
            forget_written(db, written.path)
        if outcome.action != "gone":
            outcomes.append(outcome)
    return outcomes


def summary(outcomes: Sequence[FileOutcome], base: Path | None = None) -> str:
    """One line about the files: rewritten, removed, and those that could not be reached."""

    def shown(path: Path) -> str:
        if base is not None:
            try:
                return str(path.relative_to(base))
            except ValueError:
                pass
        return str(path)

    rewritten = [o for o in outcomes if o.action == "rewritten"]
    removed = [o for o in outcomes if o.action == "removed"]
    unreachable = [o for o in outcomes if o.action == "unreachable"]
    if not outcomes:
        return "Files: none of the files the tool wrote mentions them."
    parts = []
    if rewritten:
        parts.append(f"rewrote {len(rewritten)} ({', '.join(shown(o.path) for o in rewritten)})")
    if removed:
        listed = ", ".join(f"{shown(o.path)}: {o.reason}" for o in removed)
        parts.append(f"removed {len(removed)} ({listed})")
    if unreachable:
        listed = "; ".join(f"{shown(o.path)}: {o.reason}" for o in unreachable)
        parts.append(f"COULD NOT REACH {len(unreachable)} ({listed})")
    return "Files: " + "; ".join(parts) + "."
