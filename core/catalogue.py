"""The metric catalogue: what every stored platform metric means.

For each (platform, metric) it says which common concept it measures, whether
values add up across days/posts/ads (rule 1), and its Norwegian and English
labels. Reports use `concept` to line platforms up and `additive` to refuse
summing unique counts without saying so.

Each platform declares its own entries (`Platform.metrics`, in its package's
catalogue.py); this module holds the record and the lookups, which iterate the
registry at call time.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from core import registry


@dataclass(frozen=True)
class MetricInfo:
    """One platform metric."""

    platform: str
    metric: str
    concept: str
    additive: bool
    nb: str
    en: str
    meaning: str
    unit: str = "count"  # count | currency | ratio | percent | seconds

    def label(self, lang: str) -> str:
        """The label in the report language."""
        return self.nb if lang == "nb" else self.en


@dataclass(frozen=True)
class _Index:
    records: tuple[object, ...]
    table: dict[tuple[str, str], MetricInfo]  # (platform, metric) -> entry
    by_concept: dict[tuple[str, str | None], list[MetricInfo]]  # (concept, platform|None)


_built: _Index | None = None


def _index() -> _Index:
    """The entries of every installed platform, in display order, and by concept.

    Rebuilt only when the registry changes (a platform registered at run time).
    """
    global _built
    records = registry.platforms()
    if _built is None or _built.records is not records:
        table = {(m.platform, m.metric): m for p in records for m in p.metrics}
        by_concept: dict[tuple[str, str | None], list[MetricInfo]] = {}
        for entry in table.values():
            by_concept.setdefault((entry.concept, None), []).append(entry)
            by_concept.setdefault((entry.concept, entry.platform), []).append(entry)
        _built = _Index(records, table, by_concept)
    return _built


def _table() -> dict[tuple[str, str], MetricInfo]:
    return _index().table


class _Catalogue(Mapping[tuple[str, str], MetricInfo]):
    """A read-only view of the installed platforms' entries, keyed (platform, metric)."""

    def __getitem__(self, key: tuple[str, str]) -> MetricInfo:
        return _table()[key]

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(_table())

    def __len__(self) -> int:
        return len(_table())


CATALOGUE: Mapping[tuple[str, str], MetricInfo] = _Catalogue()


def info(platform: str, metric: str) -> MetricInfo:
    """Catalogue entry of a platform metric; KeyError names an unknown one."""
    try:
        return CATALOGUE[(platform, metric)]
    except KeyError:
        raise KeyError(f"metric {metric!r} of {platform} is not in the catalogue") from None


def metrics_for(concept: str, platform: str | None = None) -> list[MetricInfo]:
    """All platform metrics that measure a concept (optionally for one platform)."""
    return list(_index().by_concept.get((concept, platform), ()))


def breakdown_label(platform: str, dimension: str, key: str, lang: str) -> str:
    """Label of one key of a post breakdown (e.g. 'Search' -> 'Søk'); unknown keys as they are."""
    labels = registry.platform(platform).breakdown_labels.get((dimension, key))
    if labels is None:
        return key
    return labels[0] if lang == "nb" else labels[1]
