"""Demo planning data: team, calendar, consent records, partners, a brief and a campaign.

Written by `social demo` after the sandbox sync so every part of the product
has something to show. Idempotent: rows are keyed by name/uid and replaced.
What concerns one platform (its ad campaigns, targets, whether its videos are
planned in the calendar, its brief template) comes from that platform's
`DemoPlan` (collectors.sandbox.part), passed in by the caller.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from core.registry import display_name
from core.timeutil import to_utc_iso, utcnow

STUDENTS = ["Ingrid", "Sander", "Amina", "Jonas", "Mari", "Elias"]
LEAD = "Kari (kommunikasjon)"
TAGS = [["tips", "eksamen"], ["studieliv"], ["T-matte"], ["rollemodell", "jobb"]]
TITLES = [
    "Eksamenstips i matte",
    "En dag på lab",
    "T-matte eller R-matte?",
    "Hva gjør en ingeniør?",
]


DEMO_BUDGET = 6000.0
# Targets over every platform; a platform's own targets come from its DemoPlan.
DEMO_TARGETS = (
    ("views", "total", "all", 320000),
    ("clicks", "paid", "all", 4500),
    ("spend", "paid", "all", 5500),
    ("ctr", "paid", "all", 0.01),
)


class PlatformPlan(Protocol):
    """What one platform adds to the demo plan (collectors.sandbox.part.DemoPlan)."""

    @property
    def ad_campaigns(self) -> tuple[str, ...]: ...
    @property
    def targets(self) -> tuple[tuple[str, str, float], ...]: ...
    @property
    def plans_videos(self) -> bool: ...
    @property
    def brief_template(self) -> str: ...


def seed_demo(
    db: Database, *, today: date, zone: str, plans: Mapping[str, PlatformPlan]
) -> list[str]:
    """Insert the demo's planning data; returns one line per kind for the demo's output.

    `plans` maps each platform to what it adds: the demo campaign groups every
    platform's ad campaigns, the calendar plans the videos of the first platform
    whose videos are planned, and the brief uses that platform's template.
    """
    tz = ZoneInfo(zone)
    now = to_utc_iso(utcnow())
    planned = next((name for name, plan in plans.items() if plan.plans_videos), None)
    with db.atomic():
        members = _team(db, now)
        partners = _partners(db, now)
        campaign = _campaign(db, today, partners["Equinor"], now, plans)
        slots = 0
        if planned is not None:
            slots = _calendar(db, today, tz, members, campaign, partners["Equinor"], now, planned)
            _brief(db, partners["Equinor"], campaign, today, now, planned, plans[planned])
    briefs = 0 if planned is None else 1
    return [
        f"Demo: {len(members)} team members, {slots} calendar slots, "
        f"{len(partners)} partners, {briefs} brief{'s' * (briefs != 1)}, 1 campaign"
    ]


def _upsert(db: Database, table: str, key: str, row: dict[str, object]) -> int:
    existing = db.execute(f"SELECT id FROM {table} WHERE {key} = ?", [row[key]]).fetchone()
    if existing:
        sets = ", ".join(f"{c} = ?" for c in row)
        db.execute(f"UPDATE {table} SET {sets} WHERE id = ?", [*row.values(), existing[0]])
        return int(existing[0])
    cols = ", ".join(row)
    cur = db.execute(
        f"INSERT INTO {table} ({cols}) VALUES ({', '.join('?' * len(row))})", list(row.values())
    )
    return int(cur.lastrowid or 0)


def _team(db: Database, now: str) -> dict[str, int]:
    out = {}
    for name in STUDENTS:
        out[name] = _upsert(
            db,
            "team_members",
            "name",
            {
                "name": name,
                "role": "student",
                "email": f"{name.lower()}@example.no",
                "quiet_start": "22:00",
                "quiet_end": "07:00",
                "language": "nb",
                "active": 1,
                "created_at": now,
            },
        )
    out[LEAD] = _upsert(
        db,
        "team_members",
        "name",
        {
            "name": LEAD,
            "role": "communications",
            "email": "kommunikasjon@example.no",
            "language": "nb",
            "active": 1,
            "created_at": now,
        },
    )
    return out


def _partners(db: Database, now: str) -> dict[str, int]:
    return {
        "Equinor": _upsert(
            db,
            "partners",
            "name",
            {
                "name": "Equinor",
                "tier": "large",
                "contact_name": "Partnerkontakt",
                "contact_email": "partner@example.no",
                "region": "Vestland",
                "industry": "Energi",
                "created_at": now,
            },
        ),
        "Lokal Elektro AS": _upsert(
            db,
            "partners",
            "name",
            {
                "name": "Lokal Elektro AS",
                "tier": "small",
                "contact_name": "Daglig leder",
                "contact_email": "post@example.no",
                "region": "Innlandet",
                "industry": "Elektro",
                "created_at": now,
            },
        ),
    }


def _campaign(
    db: Database, today: date, partner_id: int, now: str, plans: Mapping[str, PlatformPlan]
) -> int:
    cid = _upsert(
        db,
        "campaigns",
        "name",
        {
            "name": "Realfag høst 2026",
            "start_date": (today - timedelta(days=30)).isoformat(),
            "end_date": (today + timedelta(days=14)).isoformat(),
            "platforms": json.dumps([name for name, plan in plans.items() if plan.ad_campaigns]),
            "partner_id": partner_id,
            "budget": DEMO_BUDGET,
            "currency": "NOK",
            "description": "Høstkampanje for realfag, organisk og sponset",
            "created_at": now,
            "updated_at": now,
        },
    )
    db.execute("DELETE FROM campaign_members WHERE campaign_id = ?", [cid])
    db.execute("DELETE FROM kpi_targets WHERE campaign_id = ?", [cid])
    members = [("hashtag", "realfag", "")]
    members += [
        ("ad_campaign", ad, name) for name, plan in plans.items() for ad in plan.ad_campaigns
    ]
    for kind, value, platform in members:
        db.execute(
            "INSERT INTO campaign_members (campaign_id, kind, value, platform) VALUES (?, ?, ?, ?)",
            [cid, kind, value, platform],
        )
    # Targets sized to what the sandbox's ad campaigns deliver over the 45 days, so the report
    # reads like a real one: some on track, some behind, spend within its budget.
    targets = [*DEMO_TARGETS]
    targets += [
        (kpi, origin, name, t) for name, plan in plans.items() for kpi, origin, t in plan.targets
    ]
    for kpi, origin, platform, target in targets:
        db.execute(
            "INSERT INTO kpi_targets (campaign_id, kpi, origin, platform, target) VALUES (?, ?, ?, ?, ?)",
            [cid, kpi, origin, platform, target],
        )
    return cid


# What the students planned for each kind of video: a title and tags, as they would write them
# in the calendar before filming (keyed by a hashtag the published caption carries, most
# specific first). Calendar matching has to find each published video from this.
PLANS = (
    ("eksamen", "Eksamenstips i matte", ["eksamen", "tips"]),
    ("ærlig", "Ærlig om første året", ["ærlig historie"]),
    ("tmatte", "T-matte eller R-matte?", ["T-matte"]),
    ("rollemodell", "Hva gjør en ingeniør?", ["rollemodell", "jobb"]),
    ("tips", "Fysikktips", ["tips", "realfag"]),
    ("studieliv", "En dag på lab", ["studieliv"]),
    ("stem", "Bak kulissene på campus", ["stem"]),
)
PAST_WEEKS = 16
PLANNED_AT = time(16, 0)  # slots are planned at 16:00; videos go out between noon and ten


def _hours(earlier: str, later: str) -> float:
    def moment(text: str) -> datetime:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))

    return (moment(later) - moment(earlier)).total_seconds() / 3600


def _plan_for(caption: str) -> tuple[str, list[str]]:
    tags = {t.lower() for t in caption.replace("#", " #").split() if t.startswith("#")}
    for tag, title, slot_tags in PLANS:
        if f"#{tag}" in tags:
            return title, slot_tags
    return "Ny video", []


def _calendar(
    db: Database,
    today: date,
    tz: ZoneInfo,
    members: dict[str, int],
    campaign: int,
    partner: int,
    now: str,
    platform: str,
) -> int:
    """Slots for the platform's videos of the last weeks, planned as the students would plan
    them, one that was never posted, and four slots a week for two weeks ahead."""
    count = 0
    since = to_utc_iso(datetime.combine(today - timedelta(weeks=PAST_WEEKS), time(0), tz))
    videos = db.execute(
        """SELECT published_at, caption FROM posts WHERE platform = ? AND published_at >= ?
           ORDER BY published_at""",
        [platform, since],
    ).fetchall()
    previous = db.execute(
        "SELECT MAX(published_at) FROM posts WHERE platform = ? AND published_at < ?",
        [platform, since],
    ).fetchone()[0]
    # Start the plan after a quiet spell, so the first slot has no unplanned video next to it.
    while videos and previous and _hours(previous, videos[0][0]) < 48:
        previous = videos.pop(0)[0]
    unplanned = today - timedelta(days=1)
    for i, (published, caption) in enumerate(videos):
        if i % 8 == 7:
            # Now and then a video goes out without a slot.
            unplanned = datetime.fromisoformat(published.replace("Z", "+00:00")).astimezone(tz)
            unplanned = unplanned.date()
            continue
        title, tags = _plan_for(caption or "")
        day = datetime.fromisoformat(published.replace("Z", "+00:00")).astimezone(tz).date()
        if i % 3 == 1 and i and _plan_for(videos[i - 1][1] or "")[0] != title:
            # Posted a day late: the day before's video, on another topic, is nearer in time.
            day -= timedelta(days=1)
        _slot(
            db,
            f"demo-past-{i}@social",
            to_utc_iso(datetime.combine(day, PLANNED_AT, tz)),
            members[STUDENTS[i % 6]],
            title,
            tags,
            "ready",
            None,
            None,
            now,
            platform=platform,
        )
        count += 1
    # A video that was planned but never posted, on the day an unplanned video on another
    # topic went out: matching leaves it for a person, with that video as a weak suggestion.
    _slot(
        db,
        "demo-unposted@social",
        to_utc_iso(datetime.combine(unplanned, PLANNED_AT, tz)),
        members[STUDENTS[3]],
        "Intervju med en geolog",
        ["geologi", "jobb"],
        "ready",
        None,
        None,
        now,
        platform=platform,
    )
    count += 1
    monday = today - timedelta(days=today.weekday()) + timedelta(days=7)
    for week in range(2):
        for j, weekday in enumerate((0, 1, 3, 4)):
            day = monday + timedelta(days=7 * week + weekday)
            planned = to_utc_iso(datetime.combine(day, time(16, 0), tz))
            n = week * 4 + j
            _slot(
                db,
                f"demo-{n}@social",
                planned,
                members[STUDENTS[n % 6]],
                TITLES[n % 4],
                TAGS[n % 4],
                "planned",
                campaign if n % 3 == 0 else None,
                partner if n == 2 else None,
                now,
                platform=platform,
            )
            count += 1
    # One slot films a pupil under 18 whose consent is not on record yet: reminders call it out.
    person = _upsert(
        db,
        "people_in_videos",
        "name",
        {"name": "Elev (16 år)", "under_18": 1, "consent_on_record": 0},
    )
    slot = db.execute("SELECT id FROM calendar_slots WHERE uid = 'demo-1@social'").fetchone()[0]
    db.execute(
        "INSERT OR IGNORE INTO slot_appearances (slot_id, person_id) VALUES (?, ?)", [slot, person]
    )
    return count


def _slot(
    db: Database,
    uid: str,
    planned: str,
    member: int,
    title: str,
    tags: list[str],
    status: str,
    campaign: int | None,
    partner: int | None,
    now: str,
    *,
    platform: str,
) -> None:
    slot = _upsert(
        db,
        "calendar_slots",
        "uid",
        {
            "uid": uid,
            "planned_at": planned,
            "platform": platform,
            "title": title,
            "tags": json.dumps(tags, ensure_ascii=False),
            "status": status,
            "post_id": None,
            "campaign_id": campaign,
            "partner_id": partner,
            "created_at": now,
            "updated_at": now,
        },
    )
    db.execute(
        "INSERT OR IGNORE INTO slot_owners (slot_id, member_id) VALUES (?, ?)", [slot, member]
    )


def _brief(
    db: Database,
    partner: int,
    campaign: int,
    today: date,
    now: str,
    platform: str,
    plan: PlatformPlan,
) -> None:
    row = db.execute(
        "SELECT id FROM briefs WHERE partner_id = ? AND template = ?",
        [partner, plan.brief_template],
    ).fetchone()
    values = {
        "partner_id": partner,
        "template": plan.brief_template,
        "campaign_id": campaign,
        "title": f"Equinor: ingeniørhverdag på {display_name(platform)}",
        "deadline": (today + timedelta(days=10)).isoformat(),
        "language": "nb",
        "status": "draft",
        "created_at": now,
        "updated_at": now,
    }
    if row:
        sets = ", ".join(f"{c} = ?" for c in values)
        db.execute(f"UPDATE briefs SET {sets} WHERE id = ?", [*values.values(), row[0]])
    else:
        db.execute(
            f"INSERT INTO briefs ({', '.join(values)}) VALUES ({', '.join('?' * len(values))})",
            list(values.values()),
        )
