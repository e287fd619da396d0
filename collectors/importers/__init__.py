"""Importers for the platforms' own export files.

`read_export(path, ctx, platform)` reads a LinkedIn page export (XLS/XLSX), a
Meta Business Suite CSV (posts, daily metrics) or a TikTok Studio / TikTok
business-account export (CSV/XLSX), detects its kind from the columns and
returns the records it holds (`Parsed`), without storing anything. The whole
file is parsed before anything is written, so a bad row anywhere stores
nothing. Every problem is an `ImportFileError` naming the file, the row or
column, and what was expected.

A part for a platform that is not installed is parsed by `parse_export` but
refused by `read_export` (`STORABLE_PLATFORMS`); a second part of a file (the
Instagram section next to a Facebook one, another account) is listed as not
stored, saying how to import it.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from types import ModuleType

from collectors.importers.base import NOT_A_PLATFORM_YET, STORABLE_PLATFORMS, Context, Parsed
from collectors.importers.readers import ImportFileError, Table, read_tables
from collectors.instagram import import_daily as instagram_daily
from collectors.instagram import import_posts as instagram_posts
from collectors.linkedin import import_page as linkedin_page
from collectors.meta import import_daily as meta_daily
from collectors.meta import import_posts as meta_posts
from collectors.meta import import_videos as meta_videos
from collectors.tiktok import import_business as tiktok_business
from collectors.tiktok import import_studio as tiktok_studio
from core import registry

# Detection order matters where shapes overlap: the business-account overview also has
# `Date` and `Video views` (TikTok Studio's Overview), and Instagram posts also `Post ID`.
KINDS: tuple[ModuleType, ...] = (
    linkedin_page,
    meta_videos,
    instagram_posts,
    meta_posts,
    meta_daily,
    instagram_daily,
    tiktok_business,
    tiktok_studio,
)

__all__ = [
    "KINDS",
    "STORABLE_PLATFORMS",
    "Context",
    "ImportFileError",
    "Parsed",
    "parse_export",
    "read_export",
]


def kinds_for(platform: str | None) -> list[ModuleType]:
    return [k for k in KINDS if platform is None or platform == k.PLATFORM]


def parse_export(path: Path, ctx: Context, platform: str | None = None) -> Parsed:
    """Read, detect and parse one export file, whatever platform it is for."""
    platform = platform or ctx.platform
    tables = read_tables(path)
    # The named platform's kinds first: a file two platforms share (Meta's 'Views') is its.
    kind = next((k for k in [*kinds_for(platform), *KINDS] if k.matches(tables)), None)
    expected = "; or ".join(dict.fromkeys(k.EXPECTED for k in kinds_for(platform)))
    if kind is None:
        found = [h for t in tables for h in t.headers if h][:12]
        raise ImportFileError(
            f"{path.name}: not a known export (columns found: "
            f"{', '.join(repr(h) for h in found) or 'none'}); expected a {expected}."
        )
    if platform is not None and platform != kind.PLATFORM:
        raise ImportFileError(
            f"{path.name}: this is a {kind.EXPECTED.split(' (')[0]}, not a "
            f"{registry.display_name(platform)} export (--platform {platform}); "
            f"expected a {expected}."
        )
    parsed: Parsed = kind.parse(tables, replace(ctx, platform=platform))
    _note_ragged(parsed, tables)
    parts = [parsed, *parsed.others]
    if all(p.is_empty for p in parts):
        warnings = [f.message for p in parts for f in p.findings.of_level("warning")]
        if warnings:
            raise ImportFileError(f"{path.name}: nothing to store: {'; '.join(warnings)}.")
        raise ImportFileError(
            f"{path.name}: {parsed.describe()} without any data rows; "
            "download it again with a date range that has data."
        )
    return parsed


def _note_ragged(parsed: Parsed, tables: list[Table]) -> None:
    for table in tables:
        if table.ragged:
            number, cells = table.ragged[0]
            parsed.findings.add(
                "ragged", f"row {number} has {cells} of {len(table.headers)}", len(table.ragged)
            )


def read_export(path: Path, ctx: Context, platform: str | None = None) -> Parsed:
    """Parse one export file and keep what social can store; refuse a file with nothing of it.

    The file's other parts (a platform not installed, the other platform's section of a
    Meta download, another account) are listed in `Parsed.skipped`, each saying why.
    """
    parsed = parse_export(path, ctx, platform)
    if parsed.platform not in STORABLE_PLATFORMS:
        what = "; ".join(p.describe() for p in [parsed, *parsed.others])
        raise ImportFileError(f"{path.name}: {what}; {NOT_A_PLATFORM_YET}, so nothing was stored.")
    for other in parsed.others:
        if other.platform not in STORABLE_PLATFORMS:
            why = NOT_A_PLATFORM_YET
        elif other.platform != parsed.platform:
            why = f"import the file again with --platform {other.platform}"
        else:
            why = "import one account per file"
        parsed.skipped.append(f"{other.describe()}: not stored, {why}")
    parsed.others = []
    return parsed
