"""The kinds of Facebook export files `social import` reads (see collectors.importers)."""

from __future__ import annotations

from types import ModuleType

from collectors.meta import import_daily, import_posts, import_videos

# Meta Business Suite's readers; Instagram's own kinds are listed by collectors.instagram.
KINDS: tuple[ModuleType, ...] = (import_videos, import_posts, import_daily)
