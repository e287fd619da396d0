"""A small planning set-up for the reminder tests: a team, slots and a mail config."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from core.config import Config, load_config
from scheduler.calendar import create_slot, resolve
from scheduler.people import add_person
from scheduler.team import add_member

OSLO = ZoneInfo("Europe/Oslo")


def oslo(text: str) -> datetime:
    """A local Oslo moment from 'YYYY-MM-DD HH:MM'."""
    return datetime.fromisoformat(text).replace(tzinfo=OSLO)


def write_config(
    folder: Path, smtp_port: int | None = None, extra: str = "", digest: str = "off"
) -> Config:
    """social.toml with e-mail to the local SMTP server (if given); the digest off by default."""
    mail = (
        f'[email]\nhost = "127.0.0.1"\nport = {smtp_port}\nsecurity = "none"\n'
        'sender = "kalender@example.no"\n\n'
        if smtp_port
        else ""
    )
    path = folder / "social.toml"
    path.write_text(f'{mail}[reminders]\ndigest = "{digest}"\n{extra}', encoding="utf-8")
    return load_config(path)


def team(db: Database) -> None:
    """Ingrid (e-mail, quiet 22-07), Sander (Slack), Amina (Teams, English), Kari (lead)."""
    add_member(db, "Ingrid", email="ingrid@example.no", quiet="22:00-07:00")
    add_member(db, "Sander", slack="U0123ABCDE")
    add_member(db, "Amina", teams="amina@uni.no", language="en")
    add_member(db, "Kari", role="communications", email="kari@example.no")


def slot(db: Database, at: str, owner: str, title: str = "Eksamenstips", **extra: object) -> int:
    """A TikTok slot at a local time, owned by one person."""
    fields = resolve(
        db,
        "Europe/Oslo",
        at=at,
        platform="tiktok",
        title=title,
        owners=[owner],
        **extra,  # type: ignore[arg-type]
    )
    return create_slot(db, fields)


def minor_without_consent(db: Database) -> str:
    add_person(db, "Elev (16 år)", under_18=True)
    return "Elev (16 år)"
