"""The complete ISO weeks every ads part asks weekly reach for."""

from __future__ import annotations

from datetime import date

from collectors.dates import iso_weeks


def test_weeks_start_on_the_monday_of_the_first_day_and_stop_at_the_last_complete_one() -> None:
    weeks = list(iso_weeks(date(2026, 11, 4), date(2026, 11, 21)))  # a Wednesday to a Saturday
    assert weeks == [
        (date(2026, 11, 2), date(2026, 11, 8)),
        (date(2026, 11, 9), date(2026, 11, 15)),
    ]


def test_a_range_shorter_than_its_week_gives_no_week() -> None:
    assert list(iso_weeks(date(2026, 11, 16), date(2026, 11, 21))) == []
