"""`social demo`: a workspace wired to the sandbox, synced, seeded and reported on."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import httpx
from sqlite_utils import Database

from collectors.auth import TokenStore
from collectors.sandbox import sandbox_parts
from collectors.sandbox.part import DemoPlan
from core.config import Config, load_config
from core.timeutil import last_complete_week, local_date, utcnow


def free_port(preferred: int) -> int:
    """The preferred port if it is free on 127.0.0.1, else any free one."""
    for candidate in (preferred, 0):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            try:
                sock.bind(("127.0.0.1", candidate))
            except OSError:
                continue
            return int(sock.getsockname()[1])
    raise OSError("no free port on 127.0.0.1")


def _toml_value(value: Any) -> str:
    """A social.toml value: strings, booleans, numbers and lists of those."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)  # a TOML basic string


def demo_config(base: str, ids: Mapping[str, Mapping[str, Any]], lang: str, seed: int = 42) -> str:
    """The demo's social.toml: every platform enabled and pointed at the sandbox server.

    `ids` holds each platform's account ids (`sandbox_ids()`); each platform's
    section comes from its sandbox part.
    """
    sections = []
    for part in sandbox_parts():
        values = {**part.config_section(base), **ids.get(part.platform, {})}
        lines = [f"{key} = {_toml_value(value)}" for key, value in values.items()]
        sections.append(f"[{part.platform}]\n" + "\n".join(lines) + "\n")
    platforms = "\n".join(sections)
    return f"""# social.toml written by 'social demo': every platform points at the local sandbox.
# 'social sync' here starts the sandbox by itself ([sandbox] autostart); or run
# 'social sandbox serve --port {base.rsplit(":", 1)[-1]}' in another terminal first.

[general]
database = "social.db"
timezone = "Europe/Oslo"
language = "{lang}"

{platforms}
[sandbox]
autostart = true
seed = {seed}
"""


def sandbox_ids() -> dict[str, dict[str, Any]]:
    """The account ids the sandbox answers for, per platform, under their social.toml keys."""
    return {part.platform: dict(part.accounts) for part in sandbox_parts()}


def demo_plans() -> dict[str, DemoPlan]:
    """What each platform adds to the demo's planning data (db.seed.seed_demo's `plans`)."""
    return {part.platform: part.demo for part in sandbox_parts()}


def write_sandbox_tokens(
    store: TokenStore,
    config: Config | None = None,
    *,
    transport: httpx.BaseTransport | None = None,
) -> None:
    """Sandbox tokens for every platform's apps, in the 0600 token file (never in social.toml).

    Each platform's part writes the kinds the real platform issues; with a config
    pointing at a running sandbox, a part may sign in through it for a token that
    later syncs refresh like a real one.
    """
    for part in sandbox_parts():
        part.tokens(store, config, transport)


def run_demo(
    directory: Path, *, seed: int, port: int, lang: str, echo: Callable[[str], None]
) -> None:
    """Create the workspace, serve the sandbox, sync, seed the planning data, write reports."""
    from collectors.sandbox import Sandbox
    from collectors.sandbox.server import running_server
    from db import open_db
    from social.summary import render_text, week_summary
    from social.sync import run_sync

    started = time.monotonic()
    directory.mkdir(parents=True, exist_ok=True)
    sandbox = Sandbox(seed=seed)
    with running_server(sandbox, port=free_port(port)) as base:
        (directory / "social.toml").write_text(
            demo_config(base, sandbox_ids(), lang, seed), encoding="utf-8"
        )
        config = load_config(directory / "social.toml")
        write_sandbox_tokens(TokenStore(config.token_file), config)
        db = open_db(config.database_path)
        echo(f"Workspace: {directory.resolve()}  (sandbox at {base})")
        for summary in run_sync(config, db):
            echo("  " + summary.line())
    _seed_planning(config, db, echo)
    today = local_date(utcnow(), config.timezone)
    monday, _ = last_complete_week(today)
    echo("")
    currency = str(config.get("reports", "currency"))
    echo(render_text(week_summary(db, monday, config.timezone), monday, lang, currency))
    _write_reports(config, db, lang, echo)
    _write_planning(config, db, directory, echo)
    echo(f"\nDone in {time.monotonic() - started:.1f} s. Try: cd {directory} && social posts")
    echo(
        "Then: social calendar list, social calendar ics, social brief list, "
        "social team person list, social insights, social report weekly"
    )
    _web_hint(config, db, directory, echo)


def _web_hint(config: Config, db: Database, directory: Path, echo: Callable[[str], None]) -> None:
    """How to open the web app, with a one-time login link for the communications lead."""
    from db import web_sessions
    from db.seed import LEAD
    from scheduler.team import get_member
    from social.web.auth import default_base_url, login_url

    token = web_sessions.create_login_token(db, get_member(db, LEAD).id)
    echo("")
    echo("Web app: run")
    echo(f"  cd {directory} && social serve")
    echo(f"and open this one-time link within 15 minutes (signs you in as {LEAD}):")
    echo(f"  {login_url(default_base_url(config), token)}")
    echo('A new link any time: social login-link "Kari (kommunikasjon)"')


def _seed_planning(config: Config, db: Database, echo: Callable[[str], None]) -> None:
    """Team, calendar, consent, partners, a brief and a campaign for the other commands to show."""
    from db.seed import seed_demo
    from scheduler.matching import match_published_posts

    today = local_date(utcnow(), config.timezone)
    for line in seed_demo(db, today=today, zone=config.timezone, plans=demo_plans()):
        echo(line)
    window = float(config.get("calendar", "match_window_hours"))
    matched = match_published_posts(db, window_hours=window)
    echo(
        f"Kalender: {matched} planlagte videoer koblet til publiserte innlegg"
        if config.language == "nb"
        else f"Calendar: {matched} planned videos matched to published posts"
    )


def _write_reports(config: Config, db: Database, lang: str, echo: Callable[[str], None]) -> None:
    """Write the weekly report (and campaign and partner reports where those exist) as HTML."""
    from db.files import record_written
    from social.reports.render import write_default
    from social.reports.weekly import build_weekly

    paths = [write_default(config, build_weekly(db, config, lang=lang, now=utcnow()), "html")]
    paths += _extra_reports(config, db, lang)
    for path in paths:
        record_written(db, path, "report")
    echo("")
    echo("Rapporter:" if lang == "nb" else "Reports:")
    for path in paths:
        echo(f"  {path}")


def _write_planning(
    config: Config, db: Database, directory: Path, echo: Callable[[str], None]
) -> None:
    """The team's iCal feed and the seeded partner brief, as files a new user can open."""
    from briefs.render import template_dir
    from briefs.store import list_briefs, render_stored
    from db.files import record_written
    from scheduler.ics import render_configured_feed

    feed = directory / "calendar.ics"
    feed.write_bytes(render_configured_feed(config, db))
    record_written(db, feed, "calendar")
    echo(f"  {feed.resolve()}")
    for brief in list_briefs(db)[:1]:
        path = directory / "briefs" / f"brief-{brief.id}.{brief.language}.md"
        path.parent.mkdir(exist_ok=True)
        text = render_stored(db, brief, override=template_dir(config))
        path.write_text(text, encoding="utf-8")
        record_written(db, path, "brief")
        echo(f"  {path.resolve()}")


def _extra_reports(config: Config, db: Database, lang: str) -> list[Path]:
    """The seeded campaign's summary and the seeded partner's yearly report."""
    from social.reports.campaign import build_campaign
    from social.reports.partner import build_partner
    from social.reports.render import write_default

    paths = []
    for (name,) in db.execute("SELECT name FROM campaigns ORDER BY start_date DESC LIMIT 1"):
        paths.append(
            write_default(config, build_campaign(db, config, name, lang=lang, now=utcnow()), "html")
        )
    for (name,) in db.execute("SELECT name FROM partners ORDER BY id LIMIT 1"):
        paths.append(
            write_default(config, build_partner(db, config, name, lang=lang, now=utcnow()), "html")
        )
    return paths
