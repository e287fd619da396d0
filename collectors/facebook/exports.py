"""The kinds of Facebook export files `social import` reads (see collectors.importers)."""

from __future__ import annotations

from types import ModuleType

from collectors.meta import import_daily, import_instagram, import_posts, import_videos

# Meta Business Suite's readers. A download may be Instagram's: its reader is listed so such
# a file is recognised (and refused while no installed platform stores Instagram) rather than
# taken for a Facebook one.
KINDS: tuple[ModuleType, ...] = (import_videos, import_instagram, import_posts, import_daily)
