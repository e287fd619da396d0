"""Scheduler: team, content calendar, reminders, delivery channels, iCal feed and the service."""
