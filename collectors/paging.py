"""Paginators that refuse a cursor they have already seen (a paging loop is an error)."""

from __future__ import annotations

from collections.abc import Hashable
from typing import TypeVar

from collectors.errors import PagingLoopError

T = TypeVar("T", bound=Hashable)


class CursorGuard:
    """Track cursors of one listing; `advance` raises if the API hands one back twice."""

    def __init__(self, platform: str, what: str) -> None:
        self.platform = platform
        self.what = what
        self._seen: set[Hashable] = set()
        self.pages = 0

    def advance(self, cursor: T) -> T:
        """Accept the next cursor, or raise PagingLoopError if it was seen before."""
        if cursor in self._seen:
            raise PagingLoopError(
                f"{self.platform}: {self.what} returned cursor {cursor!r} twice after "
                f"{self.pages} pages (a paging loop); pages stored so far are kept, "
                "run the sync again later"
            )
        self._seen.add(cursor)
        self.pages += 1
        return cursor
