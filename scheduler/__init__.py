"""Scheduler: team, content calendar, reminders, delivery channels, iCal feed and the service.

Layers: the scheduler imports `core` and `db`, never `social` or `collectors`; the
work it runs for the application (sync, weekly report, token statuses) is handed
to it as a `scheduler.jobs.Jobs` record.

Where the SQL is (one rule): only the module that keeps a planning table runs SQL,
and it may join the planning tables it depends on:
- calendar: calendar_slots, slot_owners, slot_appearances
- team: team_members; feeds: the members' feed tokens
- people: people_in_videos; consent: consents, takedown_tasks
- ledger: reminder_ledger; checklist: slot_checks
What planning reads of another area's tables (posts, accounts, campaigns, partners,
briefs) is in `db/planning.py`; the one exception is the names a slot or a takedown
row shows (its account, campaign, partner, post), joined into that row's query. Every
other module (calendar_views, calendar_csv, matching, reminders, ics, messages, tick,
service, jobs, channels) runs no SQL and asks the keepers.
"""
