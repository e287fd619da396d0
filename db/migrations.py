"""Schema migrations, applied in order on open (sqlite_utils.Migrations).

Add a migration by appending a new decorated function; never edit one that
has shipped. A database that has a migration this code does not know was
written by a newer version and is refused.

Conventions: timestamps are UTC ISO strings ('2026-01-05T08:00:00Z'); window
dates are ISO dates in the configured zone (or the ad account's zone for paid
data), window_end inclusive.
"""

from __future__ import annotations

from sqlite_utils import Database, Migrations

migrations = Migrations("social")


def _run(db: Database, statements: str) -> None:
    for statement in statements.split(";\n"):
        if statement.strip():
            db.execute(statement)


@migrations()
def m001_collection(db: Database) -> None:
    """Accounts, posts, metric values, snapshots, ad entities, bookmarks, sync runs."""
    _run(
        db,
        """
CREATE TABLE accounts (
    id INTEGER PRIMARY KEY,
    platform TEXT NOT NULL,
    kind TEXT NOT NULL,
    external_id TEXT NOT NULL,
    name TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    UNIQUE (platform, kind, external_id)
);
CREATE TABLE posts (
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    platform TEXT NOT NULL,
    external_id TEXT NOT NULL,
    published_at TEXT NOT NULL,
    caption TEXT NOT NULL DEFAULT '',
    link TEXT NOT NULL DEFAULT '',
    format TEXT NOT NULL DEFAULT '',
    duration_s REAL,
    tags TEXT NOT NULL DEFAULT '[]',
    is_ad INTEGER NOT NULL DEFAULT 0,
    source TEXT NOT NULL,
    first_seen_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (platform, external_id)
);
CREATE INDEX posts_published ON posts (platform, published_at);
CREATE TABLE ad_entities (
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    platform TEXT NOT NULL,
    level TEXT NOT NULL CHECK (level IN ('campaign', 'adgroup', 'ad')),
    external_id TEXT NOT NULL,
    name TEXT NOT NULL DEFAULT '',
    parent_id INTEGER REFERENCES ad_entities(id),
    status TEXT NOT NULL DEFAULT '',
    objective TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL,
    UNIQUE (platform, level, external_id)
);
CREATE TABLE metric_values (
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    platform TEXT NOT NULL,
    subject_type TEXT NOT NULL CHECK (subject_type IN ('account', 'post', 'ad')),
    subject_id INTEGER NOT NULL,
    metric TEXT NOT NULL,
    origin TEXT NOT NULL CHECK (origin IN ('organic', 'paid', 'total')),
    grain TEXT NOT NULL CHECK (grain IN ('day', 'week', 'month', 'lifetime', 'campaign', 'window')),
    window_start TEXT NOT NULL,
    window_end TEXT NOT NULL,
    value REAL NOT NULL,
    source TEXT NOT NULL,
    collected_at TEXT NOT NULL,
    UNIQUE (subject_type, subject_id, metric, origin, grain, window_start, window_end)
);
CREATE INDEX metric_values_window ON metric_values (platform, grain, window_start);
CREATE TABLE post_snapshots (
    id INTEGER PRIMARY KEY,
    post_id INTEGER NOT NULL REFERENCES posts(id),
    metric TEXT NOT NULL,
    origin TEXT NOT NULL DEFAULT 'total',
    captured_at TEXT NOT NULL,
    value REAL NOT NULL,
    source TEXT NOT NULL,
    UNIQUE (post_id, metric, origin, captured_at)
);
CREATE TABLE post_latest (
    post_id INTEGER NOT NULL REFERENCES posts(id),
    metric TEXT NOT NULL,
    origin TEXT NOT NULL DEFAULT 'total',
    captured_at TEXT NOT NULL,
    value REAL NOT NULL,
    PRIMARY KEY (post_id, metric, origin)
);
CREATE TABLE sync_bookmarks (
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    stream TEXT NOT NULL,
    value TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (account_id, stream)
);
CREATE TABLE sync_runs (
    id INTEGER PRIMARY KEY,
    platform TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    outcome TEXT NOT NULL DEFAULT 'running'
        CHECK (outcome IN ('running', 'ok', 'partial', 'failed')),
    new_posts INTEGER NOT NULL DEFAULT 0,
    updated_values INTEGER NOT NULL DEFAULT 0,
    requests INTEGER NOT NULL DEFAULT 0,
    error TEXT,
    warnings TEXT NOT NULL DEFAULT '[]'
);
CREATE TABLE retired_metrics (
    platform TEXT NOT NULL,
    metric TEXT NOT NULL,
    first_seen_at TEXT NOT NULL,
    message TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (platform, metric)
)
""",
    )


@migrations()
def m002_planning(db: Database) -> None:
    """Team, consent, calendar, reminder ledger, partners, briefs."""
    _run(
        db,
        """
CREATE TABLE team_members (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL DEFAULT 'student'
        CHECK (role IN ('student', 'communications', 'partner_contact')),
    email TEXT,
    slack_member TEXT,
    teams TEXT,
    quiet_start TEXT,
    quiet_end TEXT,
    language TEXT NOT NULL DEFAULT 'nb',
    active INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL
);
CREATE TABLE people_in_videos (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    under_18 INTEGER NOT NULL DEFAULT 0,
    consent_on_record INTEGER NOT NULL DEFAULT 0,
    consent_date TEXT,
    guardian_consent INTEGER NOT NULL DEFAULT 0,
    notes TEXT NOT NULL DEFAULT ''
);
CREATE TABLE partners (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    tier TEXT NOT NULL DEFAULT 'small' CHECK (tier IN ('small', 'medium', 'large')),
    contact_name TEXT,
    contact_email TEXT,
    region TEXT NOT NULL DEFAULT '',
    industry TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
CREATE TABLE calendar_slots (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    planned_at TEXT NOT NULL,
    platform TEXT NOT NULL,
    account_id INTEGER REFERENCES accounts(id),
    title TEXT NOT NULL,
    notes TEXT NOT NULL DEFAULT '',
    tags TEXT NOT NULL DEFAULT '[]',
    campaign_id INTEGER,
    partner_id INTEGER REFERENCES partners(id),
    status TEXT NOT NULL DEFAULT 'planned'
        CHECK (status IN ('idea', 'planned', 'in_production', 'ready', 'published', 'skipped')),
    post_id INTEGER REFERENCES posts(id),
    link_manual INTEGER NOT NULL DEFAULT 0,
    sequence INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX calendar_planned ON calendar_slots (planned_at);
CREATE TABLE slot_owners (
    slot_id INTEGER NOT NULL REFERENCES calendar_slots(id) ON DELETE CASCADE,
    member_id INTEGER NOT NULL REFERENCES team_members(id) ON DELETE CASCADE,
    PRIMARY KEY (slot_id, member_id)
);
CREATE TABLE slot_appearances (
    slot_id INTEGER NOT NULL REFERENCES calendar_slots(id) ON DELETE CASCADE,
    person_id INTEGER NOT NULL REFERENCES people_in_videos(id) ON DELETE CASCADE,
    PRIMARY KEY (slot_id, person_id)
);
CREATE TABLE reminder_ledger (
    id INTEGER PRIMARY KEY,
    subject TEXT NOT NULL,
    rule TEXT NOT NULL,
    member_id INTEGER REFERENCES team_members(id) ON DELETE SET NULL,
    channel TEXT NOT NULL,
    due_at TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'skipped')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT,
    last_error TEXT,
    sent_at TEXT,
    claimed_by TEXT,
    UNIQUE (subject, rule, member_id, channel)
);
CREATE TABLE briefs (
    id INTEGER PRIMARY KEY,
    partner_id INTEGER NOT NULL REFERENCES partners(id),
    template TEXT NOT NULL,
    campaign_id INTEGER,
    title TEXT NOT NULL DEFAULT '',
    deadline TEXT NOT NULL,
    language TEXT NOT NULL DEFAULT 'nb',
    status TEXT NOT NULL DEFAULT 'draft'
        CHECK (status IN ('draft', 'sent', 'content_received', 'published')),
    variables TEXT NOT NULL DEFAULT '{}',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
)
""",
    )


@migrations()
def m003_campaigns_reports(db: Database) -> None:
    """Campaigns, their members and KPI targets, and every generated report's figures."""
    _run(
        db,
        """
CREATE TABLE campaigns (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    start_date TEXT NOT NULL,
    end_date TEXT NOT NULL,
    platforms TEXT NOT NULL DEFAULT '[]',
    partner_id INTEGER REFERENCES partners(id),
    budget REAL,
    currency TEXT NOT NULL DEFAULT 'NOK',
    description TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE campaign_members (
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('hashtag', 'post', 'slot', 'ad_campaign')),
    value TEXT NOT NULL,
    platform TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (campaign_id, kind, value, platform)
);
CREATE TABLE kpi_targets (
    id INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    kpi TEXT NOT NULL,
    origin TEXT NOT NULL DEFAULT 'total' CHECK (origin IN ('organic', 'paid', 'total')),
    platform TEXT NOT NULL DEFAULT 'all',
    target REAL NOT NULL,
    UNIQUE (campaign_id, kpi, origin, platform)
);
CREATE TABLE generated_reports (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    lang TEXT NOT NULL,
    generated_at TEXT NOT NULL,
    figures TEXT NOT NULL
);
CREATE INDEX generated_reports_key ON generated_reports (kind, key, generated_at);
-- Reports find the posts whose counters changed inside a window by capture time, so their
-- cost follows the window, not the history.
CREATE INDEX post_snapshots_captured ON post_snapshots (captured_at)
""",
    )


@migrations()
def m005_calendar(db: Database) -> None:
    """Per-person iCal feed tokens, and the index calendar matching looks slots up by."""
    _run(
        db,
        """
ALTER TABLE team_members ADD COLUMN feed_token TEXT;
CREATE UNIQUE INDEX team_members_feed_token ON team_members (feed_token);
CREATE INDEX calendar_post ON calendar_slots (post_id)
""",
    )


@migrations()
def m006_ad_links_flights_breakdowns(db: Database) -> None:
    """Ads linked to the organic post they promote, ad flights, and per-post breakdowns.

    - `ad_entities.post_external_id`: on ad-level rows, the promoted post's
      `posts.external_id` on the same platform (TikTok video id, Facebook
      `<page id>_<post id>`, LinkedIn share/ugcPost URN); NULL for an ad with no
      organic post (a dark post, a non-Spark ad) or one not yet linked.
    - `ad_entities.start_date` / `end_date`: the entity's flight as ISO dates in the
      ad account's zone, as the platform schedules it (end NULL while open-ended).
    - `post_breakdowns`: the latest share of a post's views or viewers by one
      dimension (impression source, audience type, retention second), value a
      fraction 0..1, as the platform reports it at `captured_at`.
    """
    _run(
        db,
        """
ALTER TABLE ad_entities ADD COLUMN post_external_id TEXT;
ALTER TABLE ad_entities ADD COLUMN start_date TEXT;
ALTER TABLE ad_entities ADD COLUMN end_date TEXT;
CREATE INDEX ad_entities_post ON ad_entities (platform, post_external_id);
CREATE TABLE post_breakdowns (
    post_id INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    dimension TEXT NOT NULL,
    key TEXT NOT NULL,
    value REAL NOT NULL,
    captured_at TEXT NOT NULL,
    source TEXT NOT NULL,
    PRIMARY KEY (post_id, dimension, key)
)
""",
    )


@migrations()
def m011_sync_runs_interrupted_and_honest_windows(db: Database) -> None:
    """Interrupted sync runs, and windows that say what the stored numbers truly cover.

    - `sync_runs` is rebuilt so `outcome` may be 'interrupted' (a run stopped by
      Ctrl+C or SIGTERM, or left 'running' by a process that died), with the `pid`
      and `host` of the process that ran it; rows left 'running' are marked
      'interrupted' now.
    - LinkedIn page share statistics asked for without `timeIntervals` cover a
      rolling 12 months, not "since the first sync": those account rows become
      grain 'window' ending on the day they were collected.
    - TikTok campaign "lifetime" rows were dated from the first sync day instead of
      the campaign's flight: they are removed (with the bookmarks that dated them)
      and the next sync stores each campaign's whole flight.
    - TikTok business-account daily `video_views` count organic and paid views
      together: origin 'total', not 'organic'.
    """
    _run(
        db,
        """
CREATE TABLE sync_runs_new (
    id INTEGER PRIMARY KEY,
    platform TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    outcome TEXT NOT NULL DEFAULT 'running'
        CHECK (outcome IN ('running', 'ok', 'partial', 'failed', 'interrupted')),
    new_posts INTEGER NOT NULL DEFAULT 0,
    updated_values INTEGER NOT NULL DEFAULT 0,
    requests INTEGER NOT NULL DEFAULT 0,
    error TEXT,
    warnings TEXT NOT NULL DEFAULT '[]',
    pid INTEGER,
    host TEXT NOT NULL DEFAULT ''
);
INSERT INTO sync_runs_new (id, platform, started_at, finished_at, outcome, new_posts,
                           updated_values, requests, error, warnings)
    SELECT id, platform, started_at, finished_at,
           CASE WHEN outcome = 'running' THEN 'interrupted' ELSE outcome END,
           new_posts, updated_values, requests,
           CASE WHEN outcome = 'running'
                THEN 'interrupted: the sync ended without finishing (found by migration)'
                ELSE error END,
           warnings
    FROM sync_runs;
DROP TABLE sync_runs;
ALTER TABLE sync_runs_new RENAME TO sync_runs;
CREATE INDEX sync_runs_platform ON sync_runs (platform, started_at);
UPDATE metric_values SET grain = 'window', window_start = date(window_end, '-1 year')
    WHERE platform = 'linkedin' AND subject_type = 'account' AND grain = 'lifetime'
      AND source = 'api';
DELETE FROM metric_values
    WHERE platform = 'tiktok' AND subject_type = 'ad' AND grain = 'campaign' AND source = 'api';
DELETE FROM sync_bookmarks
    WHERE stream LIKE 'campaign\\_start:%' ESCAPE '\\'
       OR (stream = 'lifetime_start'
           AND account_id IN (SELECT id FROM accounts WHERE platform = 'linkedin'));
UPDATE OR REPLACE metric_values SET origin = 'total'
    WHERE platform = 'tiktok' AND metric = 'video_views' AND subject_type = 'account'
      AND origin = 'organic' AND grain = 'day'
""",
    )


@migrations()
def m013_ad_tree_index(db: Database) -> None:
    """Reports walk from an ad campaign down to its ads (and the posts they promote) by parent."""
    _run(db, "CREATE INDEX IF NOT EXISTS ad_entities_parent ON ad_entities (parent_id)")


@migrations()
def m014_a_written_files(db: Database) -> None:
    """Every file the tool writes (reports, briefs, calendars, feeds, CSV exports, backups).

    `path` is absolute. A privacy deletion rewrites or removes these files, so it
    must know where they are; nothing else reads this table.
    """
    _run(
        db,
        """
CREATE TABLE written_files (
    path TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    written_at TEXT NOT NULL
)
""",
    )


@migrations()
def m014_b_consent_per_channel(db: Database) -> None:
    """Consent per channel, in writing, with expiry and withdrawal; takedown tasks.

    - `people_in_videos.birth_date`: optional ISO date; decides who must have a
      guardian's consent (under [consent] guardian_below_age, Datatilsynet: 15).
    - `consents`: one row per consent given for one channel (tiktok, linkedin,
      facebook, web): who gave it (the person or a guardian), when the written form
      was signed, until when it is valid, where the form is kept, and when it was
      withdrawn. A renewal is a new row; the newest row of a channel counts.
    - `takedown_tasks`: content to take down after a withdrawal, for the
      communications lead.

    Existing records become one consent per channel signed on their consent date
    (valid a year from it), given by the guardian where one had consented; a record
    without a date keeps its consent with the date unknown, which asks for renewal.
    """
    _run(
        db,
        """
ALTER TABLE people_in_videos ADD COLUMN birth_date TEXT;
CREATE TABLE consents (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people_in_videos(id) ON DELETE CASCADE,
    channel TEXT NOT NULL CHECK (channel IN ('tiktok', 'linkedin', 'facebook', 'web')),
    given_by TEXT NOT NULL CHECK (given_by IN ('self', 'guardian')),
    signed_on TEXT,
    expires_on TEXT,
    in_writing INTEGER NOT NULL DEFAULT 1,
    reference TEXT NOT NULL DEFAULT '',
    withdrawn_on TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX consents_person ON consents (person_id, channel);
CREATE TABLE takedown_tasks (
    id INTEGER PRIMARY KEY,
    person_id INTEGER REFERENCES people_in_videos(id) ON DELETE SET NULL,
    slot_id INTEGER REFERENCES calendar_slots(id) ON DELETE SET NULL,
    post_id INTEGER REFERENCES posts(id) ON DELETE SET NULL,
    channel TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done')),
    created_at TEXT NOT NULL,
    done_at TEXT
);
INSERT INTO consents (person_id, channel, given_by, signed_on, expires_on, in_writing,
                      reference, created_at)
SELECT p.id, c.channel,
       CASE WHEN p.under_18 = 1 AND p.guardian_consent = 1 THEN 'guardian' ELSE 'self' END,
       p.consent_date,
       CASE WHEN p.consent_date IS NULL THEN NULL ELSE date(p.consent_date, '+1 year') END,
       1, 'from the earlier single consent record', strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
FROM people_in_videos p
CROSS JOIN (SELECT 'tiktok' AS channel UNION ALL SELECT 'linkedin' UNION ALL
            SELECT 'facebook' UNION ALL SELECT 'web') c
WHERE p.consent_on_record = 1
""",
    )


@migrations()
def m015_web(db: Database) -> None:
    """The web app: sessions, one-time login links, partners' read-only links, slot checklists.

    Only SHA-256 hashes of session ids, login tokens and partner link tokens are stored,
    so the database never holds a secret that opens the app. Everything tied to a team
    member or partner goes with them (ON DELETE CASCADE), so deleting a person ends their
    sessions.
    """
    _run(
        db,
        """
CREATE TABLE web_sessions (
    id_hash TEXT PRIMARY KEY,
    member_id INTEGER REFERENCES team_members(id) ON DELETE CASCADE,
    partner_id INTEGER REFERENCES partners(id) ON DELETE CASCADE,
    csrf TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    CHECK ((member_id IS NULL) != (partner_id IS NULL))
);
CREATE INDEX web_sessions_member ON web_sessions (member_id);
CREATE TABLE web_login_tokens (
    token_hash TEXT PRIMARY KEY,
    member_id INTEGER NOT NULL REFERENCES team_members(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT
);
CREATE TABLE partner_links (
    partner_id INTEGER PRIMARY KEY REFERENCES partners(id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);
CREATE TABLE slot_checks (
    slot_id INTEGER NOT NULL REFERENCES calendar_slots(id) ON DELETE CASCADE,
    item TEXT NOT NULL,
    checked_by INTEGER REFERENCES team_members(id) ON DELETE SET NULL,
    checked_at TEXT NOT NULL,
    PRIMARY KEY (slot_id, item)
)
""",
    )


@migrations()
def m016_sync_runs_kind(db: Database) -> None:
    """`sync_runs.kind`: 'sync' for a platform's API sync, 'import' for an export file's import.

    Both go through one orchestrator (social.ingest) and are logged alike; what
    says when a platform was last synced reads only the 'sync' rows.
    """
    _run(
        db,
        """
ALTER TABLE sync_runs ADD COLUMN kind TEXT NOT NULL DEFAULT 'sync'
    CHECK (kind IN ('sync', 'import'))
""",
    )


@migrations()
def m017_consent_channels_from_the_platforms(db: Database) -> None:
    """`consents.channel` is any installed platform or 'web' (scheduler.consent.CHANNELS).

    The channel list was fixed in a CHECK constraint, so a platform added through the
    registry could not get consent; SQLite cannot drop a CHECK, so the table is rebuilt
    with the same rows and index.
    """
    _run(
        db,
        """
CREATE TABLE consents_new (
    id INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people_in_videos(id) ON DELETE CASCADE,
    channel TEXT NOT NULL CHECK (channel != ''),
    given_by TEXT NOT NULL CHECK (given_by IN ('self', 'guardian')),
    signed_on TEXT,
    expires_on TEXT,
    in_writing INTEGER NOT NULL DEFAULT 1,
    reference TEXT NOT NULL DEFAULT '',
    withdrawn_on TEXT,
    created_at TEXT NOT NULL
);
INSERT INTO consents_new SELECT id, person_id, channel, given_by, signed_on, expires_on,
    in_writing, reference, withdrawn_on, created_at FROM consents;
DROP TABLE consents;
ALTER TABLE consents_new RENAME TO consents;
CREATE INDEX consents_person ON consents (person_id, channel)
""",
    )
