"""The kinds of LinkedIn export files `social import` reads (see collectors.importers)."""

from __future__ import annotations

from types import ModuleType

from collectors.linkedin import import_page

KINDS: tuple[ModuleType, ...] = (import_page,)
