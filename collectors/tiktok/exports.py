"""The kinds of TikTok export files `social import` reads (see collectors.importers)."""

from __future__ import annotations

from types import ModuleType

from collectors.tiktok import import_business, import_studio

KINDS: tuple[ModuleType, ...] = (import_business, import_studio)
