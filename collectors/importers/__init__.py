"""Importers for the platforms' own export files.

`read_export(path, ctx, platform)` reads an export file of any installed
platform (each names its kinds in `Platform.importers`), detects its kind from
the columns and returns the records it holds (`Parsed`), without storing
anything. The whole file is parsed before anything is written, so a bad row
anywhere stores nothing. Every problem is an `ImportFileError` naming the file,
the row or column, and what was expected.

A kind may parse parts for a platform that is not installed (a Meta download
holds sections of two platforms): `parse_export` reads them in full, and
`read_export` refuses them with one line (`base.not_installed`).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from types import ModuleType

from collectors.importers.base import Context, Parsed, not_installed
from collectors.importers.readers import ImportFileError, Table, read_tables
from core import registry

__all__ = [
    "Context",
    "ImportFileError",
    "Parsed",
    "kinds",
    "parse_export",
    "read_export",
]


def kinds() -> tuple[ModuleType, ...]:
    """Every installed platform's export kinds, in detection order.

    Detection order matters where shapes overlap, across platforms too, so each
    kind has a PRIORITY (lower first); a kind two platforms share is tried once.
    """
    found: dict[str, ModuleType] = {}
    for record in registry.platforms():
        if record.importers:
            for kind in registry.load(record.importers):
                found.setdefault(kind.__name__, kind)
    return tuple(sorted(found.values(), key=lambda k: int(k.PRIORITY)))


def kinds_for(platform: str | None) -> list[ModuleType]:
    return [k for k in kinds() if platform is None or platform == k.PLATFORM]


def parse_export(path: Path, ctx: Context, platform: str | None = None) -> Parsed:
    """Read, detect and parse one export file, whatever platform it is for."""
    platform = platform or ctx.platform
    tables = read_tables(path)
    # The named platform's kinds first: a file two platforms share (Meta's 'Views') is its.
    kind = next((k for k in [*kinds_for(platform), *kinds()] if k.matches(tables)), None)
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

    The file's other parts (a platform that is not installed, the other platform's
    section of a two-platform download, another account) are listed in
    `Parsed.skipped`, each saying why, never stored as another platform.
    """
    parsed = parse_export(path, ctx, platform)
    missing = not_installed(parsed.platform)
    if missing:
        what = "; ".join(p.describe() for p in [parsed, *parsed.others])
        raise ImportFileError(f"{path.name}: {what}; {missing}, so nothing was stored.")
    for other in parsed.others:
        why = not_installed(other.platform) or (
            f"import the file again with --platform {other.platform}"
            if other.platform != parsed.platform
            else "import one account per file"
        )
        parsed.skipped.append(f"{other.describe()}: not stored, {why}")
    parsed.others = []
    return parsed
