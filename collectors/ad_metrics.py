"""Ad-statistics metrics that several platforms' ad APIs name and define alike.

One definition serves each platform that reports the metric under that name:
a platform's catalogue takes them with `common(PLATFORM, "cpm", ...)` where
the entry belongs in its own order.
"""

from __future__ import annotations

from typing import Any

from core.catalogue import MetricInfo

_COMMON: dict[str, dict[str, Any]] = {
    "impressions": {
        "concept": "impressions",
        "additive": True,
        "nb": "Visninger",
        "en": "Impressions",
        "meaning": "Ad impressions.",
    },
    "frequency": {
        "concept": "frequency",
        "additive": False,
        "nb": "Frekvens",
        "en": "Frequency",
        "meaning": "Impressions per person reached.",
        "unit": "ratio",
    },
    "ctr": {
        "concept": "ctr",
        "additive": False,
        "nb": "Klikkrate",
        "en": "CTR",
        "meaning": "Clicks per impression, percent.",
        "unit": "percent",
    },
    "cpm": {
        "concept": "cpm",
        "additive": False,
        "nb": "Kostnad per 1000 visninger",
        "en": "CPM",
        "meaning": "Spend per 1,000 impressions.",
        "unit": "currency",
    },
    "follows": {
        "concept": "follower_gain",
        "additive": True,
        "nb": "Nye følgere",
        "en": "Follows",
        "meaning": "Follows from ads.",
    },
}


def common(platform: str, *metrics: str) -> tuple[MetricInfo, ...]:
    """The shared entries of these metrics, for one platform, in the order given."""
    return tuple(MetricInfo(platform=platform, metric=m, **_COMMON[m]) for m in metrics)
