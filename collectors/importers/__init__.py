"""Importers for the platforms' own export files.

`read_export(path, ctx, platform)` reads a LinkedIn page export (XLS/XLSX), a
Meta Business Suite CSV or a TikTok Studio export (CSV/XLSX), detects its kind
from the columns and returns the records it holds (`Parsed`), without storing
anything. The whole file is parsed before anything is written, so a bad row
anywhere stores nothing. Every problem is an `ImportFileError` naming the file,
the row or column, and the columns expected.
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from collectors.importers import linkedin_page, meta_business_suite, tiktok_studio
from collectors.importers.base import Context, Parsed
from collectors.importers.readers import ImportFileError, read_tables

KINDS: tuple[ModuleType, ...] = (linkedin_page, meta_business_suite, tiktok_studio)

__all__ = ["KINDS", "Context", "ImportFileError", "Parsed", "read_export"]


def kinds_for(platform: str | None) -> list[ModuleType]:
    return [k for k in KINDS if platform is None or platform == k.PLATFORM]


def read_export(path: Path, ctx: Context, platform: str | None = None) -> Parsed:
    """Read, detect and parse one export file; raise ImportFileError on any problem."""
    tables = read_tables(path)
    candidates = kinds_for(platform)
    for kind in candidates:
        if kind.matches(tables):
            parsed: Parsed = kind.parse(tables, ctx)
            if not parsed.page.posts and not parsed.page.values and not parsed.page.snapshots:
                raise ImportFileError(
                    f"{path.name}: a {kind.KIND} export without any data rows; "
                    "download it again with a date range that has data."
                )
            return parsed
    found = [h for t in tables for h in t.headers if h][:12]
    expected = "; or ".join(k.EXPECTED for k in candidates)
    raise ImportFileError(
        f"{path.name}: not a known export (columns found: "
        f"{', '.join(repr(h) for h in found) or 'none'}); expected a {expected}."
    )
