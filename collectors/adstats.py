"""A row of ad statistics as stored values: what every platform's ads part does with a row."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import Any

from core.domain import MetricValue


def numbers(
    row: Mapping[str, Any], metrics: Iterable[str], number: Callable[[Any], float | None]
) -> dict[str, float]:
    """The metrics a row carries, read with the platform's own number reading; absent ones left out."""
    found = {metric: number(row.get(metric)) for metric in metrics}
    return {metric: value for metric, value in found.items() if value is not None}


def paid_values(
    found: Mapping[str, float],
    start: date,
    end: date,
    grain: str,
    subject: str,
    subject_id: str | None,
) -> list[MetricValue]:
    """One paid value a metric, all over the window start..end (inclusive) of one subject."""
    return [
        MetricValue(
            metric,
            value,
            start,
            end,
            grain,
            "paid",
            subject_type=subject,
            subject_external_id=subject_id,
        )
        for metric, value in found.items()
    ]
