"""What every export reader gets and gives back."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from collectors.importers.readers import ImportFileError, Table
from social.domain import Page, Post


@dataclass
class Context:
    """Where the import runs: the file's name, time zone, configured ids and the clock."""

    file: str
    zone: str
    now: datetime
    today: date
    ids: dict[str, str] = field(default_factory=dict)  # platform -> configured account id


@dataclass
class Parsed:
    """Everything one export file holds, ready for the write path (nothing stored yet)."""

    kind: str  # e.g. 'linkedin_page'; stored as source 'import:<kind>'
    platform: str
    account_kind: str  # the storage contract's account kind ('organization', 'page', ...)
    account_id: str  # '' when neither the file nor the config names the account
    config_key: str  # where a user sets the account id, e.g. "[linkedin] organization_id"
    page: Page = field(default_factory=Page)
    account_name: str = ""
    parts: list[str] = field(default_factory=list)  # what was read, e.g. "sheet 'Metrics'"
    _seen: set[str] = field(default_factory=set, repr=False)

    @property
    def source(self) -> str:
        return f"import:{self.kind}"

    def add_post(self, post: Post) -> None:
        """Keep one record per post id (a file may list a post twice)."""
        if post.external_id not in self._seen:
            self._seen.add(post.external_id)
            self.page.posts.append(post)


def need(table: Table, names: Mapping[str, tuple[str, ...]]) -> dict[str, int]:
    """Column indexes by key; raise naming every missing column."""
    found: dict[str, int] = {}
    missing = []
    for key, variants in names.items():
        index = table.column(*variants)
        if index is None:
            missing.append(" or ".join(repr(v) for v in variants))
        else:
            found[key] = index
    if missing:
        raise ImportFileError(
            f"{table.where}: missing column(s) {', '.join(missing)}; "
            f"found {', '.join(repr(h) for h in table.headers if h) or 'no headers'}; "
            "export the file again with all columns."
        )
    return found


def has_all(table: Table, names: Mapping[str, tuple[str, ...]]) -> bool:
    return all(table.column(*variants) is not None for variants in names.values())


def optional(table: Table, names: Mapping[tuple[str, ...], str]) -> list[tuple[int, str]]:
    """(column index, target name) for the optional columns a table has."""
    return [
        (i, target)
        for variants, target in names.items()
        if (i := table.column(*variants)) is not None
    ]
