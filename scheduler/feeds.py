"""Per-person iCal feeds a phone can subscribe to.

Each team member gets an unguessable token (stored in team_members.feed_token);
their feed lives at `<base-url>/<token>.ics`, either as files written by
`social calendar feeds` (for any static web host) or served live from the
database by `social calendar serve`. Rotating a token makes the old URL stop
working.
"""

from __future__ import annotations

import re
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from core.errors import SocialError
from scheduler.calendar import member_id

# token_urlsafe(24) gives 32 characters from this alphabet.
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{32}$")
_FEED_PATH = re.compile(r"^/feeds/([A-Za-z0-9_-]{32})\.ics$")


@dataclass(frozen=True)
class Feed:
    """One person's feed: who, the token, and the URL (if a base URL is known)."""

    name: str
    token: str
    url: str


def new_token() -> str:
    """An unguessable feed token (192 random bits)."""
    return secrets.token_urlsafe(24)


def token_for(db: Database, member: int) -> str:
    """The member's feed token, created on first use."""
    row = db.execute("SELECT feed_token FROM team_members WHERE id = ?", [member]).fetchone()
    if row is None:
        raise SocialError(f"no team member with id {member}; see 'social team list'")
    if row[0]:
        return str(row[0])
    token = new_token()
    with db.atomic():
        db.execute("UPDATE team_members SET feed_token = ? WHERE id = ?", [token, member])
    return token


def rotate(db: Database, name: str) -> str:
    """Give a member a new token; their old feed URL stops working."""
    member = member_id(db, name)
    token = new_token()
    with db.atomic():
        db.execute("UPDATE team_members SET feed_token = ? WHERE id = ?", [token, member])
    return token


def member_by_token(db: Database, token: str) -> tuple[int, str] | None:
    """(id, name) of the active member whose feed token this is."""
    if not TOKEN_RE.match(token):
        return None
    row = db.execute(
        "SELECT id, name FROM team_members WHERE feed_token = ? AND active = 1", [token]
    ).fetchone()
    return (int(row[0]), str(row[1])) if row else None


def feed_url(base_url: str, token: str) -> str:
    """`<base>/<token>.ics`, or just the file name when no base URL is known."""
    base = base_url.rstrip("/")
    return f"{base}/{token}.ics" if base else f"{token}.ics"


def active_feeds(db: Database, base_url: str = "") -> list[Feed]:
    """A feed for every active team member, creating tokens as needed."""
    rows = db.execute("SELECT id, name FROM team_members WHERE active = 1 ORDER BY name").fetchall()
    feeds = []
    for mid, name in rows:
        token = token_for(db, int(mid))
        feeds.append(Feed(name=str(name), token=token, url=feed_url(base_url, token)))
    return feeds


def write_feeds(
    db: Database, out_dir: Path, render: Callable[[str], bytes], base_url: str = ""
) -> list[Feed]:
    """Write `<token>.ics` per active member into out_dir; remove feeds of old tokens.

    `render(name)` returns that person's calendar. Only files named like a feed
    token are ever removed, so other files in the folder are left alone.
    """
    from db.files import forget_written, record_written

    out_dir.mkdir(parents=True, exist_ok=True)
    feeds = active_feeds(db, base_url)
    current = {f"{f.token}.ics" for f in feeds}
    for feed in feeds:
        target = out_dir / f"{feed.token}.ics"
        partial = target.with_suffix(".ics.tmp")
        partial.write_bytes(render(feed.name))
        partial.replace(target)  # a phone never fetches a half-written file
        record_written(db, target, "feed")
    for old in out_dir.glob("*.ics"):
        if old.name not in current and TOKEN_RE.match(old.stem):
            old.unlink()
            forget_written(db, old)
    return feeds


def make_server(
    host: str,
    port: int,
    open_db: Callable[[], Database],
    render: Callable[[Database, str], bytes],
) -> ThreadingHTTPServer:
    """An HTTP server answering GET /feeds/<token>.ics from the database on each request."""

    class FeedHandler(BaseHTTPRequestHandler):
        server_version = "social-calendar"

        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            match = _FEED_PATH.match(self.path.split("?", 1)[0])
            db = open_db()
            try:
                found = member_by_token(db, match.group(1)) if match else None
                body = render(db, found[1]) if found else b""
            finally:
                db.conn.close()
            if found is None:
                self._send(404, b"not found\n", "text/plain; charset=utf-8")
                return
            self._send(200, body, "text/calendar; charset=utf-8")

        def _send(self, code: int, body: bytes, content_type: str) -> None:
            self.send_response(code)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-cache")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            # Request paths contain tokens: never log them.
            return

    server = ThreadingHTTPServer((host, port), FeedHandler)
    server.daemon_threads = True
    return server


def serve_in_thread(server: ThreadingHTTPServer) -> threading.Thread:
    """Run a server in a daemon thread (tests and the scheduler service use this)."""
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return thread
