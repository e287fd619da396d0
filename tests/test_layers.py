"""The layers hold: lower packages import nothing above them, and SQL lives where the rules say."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# The modules of scheduler/ that keep planning tables (see scheduler/__init__.py).
KEEPERS = {"calendar", "team", "feeds", "people", "consent", "ledger", "checklist"}


def _runs_sql(path: Path) -> bool:
    return ".execute(" in path.read_text(encoding="utf-8")


def test_no_lower_layer_imports_the_application_or_the_collectors() -> None:
    found = []
    for package in ("core", "scheduler", "briefs", "db"):
        for path in sorted((ROOT / package).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                names = []
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    names = [node.module]
                found += [
                    f"{path.relative_to(ROOT)}: {name}"
                    for name in names
                    if name.split(".")[0] in ("social", "collectors")
                ]
    assert found == []


def test_only_the_keepers_of_planning_tables_run_sql() -> None:
    running = sorted(
        str(path.relative_to(ROOT))
        for path in (ROOT / "scheduler").rglob("*.py")
        if path.stem not in KEEPERS and _runs_sql(path)
    )
    assert running == []


def test_reports_run_sql_only_in_their_read_module_and_their_store() -> None:
    running = sorted(p.name for p in (ROOT / "social" / "reports").glob("*.py") if _runs_sql(p))
    assert running == ["queries.py", "store.py"]


def test_collectors_and_the_status_command_run_no_sql() -> None:
    paths = [*(ROOT / "collectors").rglob("*.py"), ROOT / "social" / "cli" / "status.py"]
    assert sorted(str(p.relative_to(ROOT)) for p in paths if _runs_sql(p)) == []
