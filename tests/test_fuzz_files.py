"""Property-based tests over the files people edit: every key of social.toml and every cell of
a calendar spreadsheet. A value is used or refused with one line naming the file, line and
fix; nothing fails later with "internal error", and a refused sheet imports nothing."""

from __future__ import annotations

import csv
import io
import os
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from core.config import schema
from db import open_db
from db.seed import seed_demo
from scheduler.calendar_csv import COLUMNS
from social.cli import cli
from social.demo import demo_plans

EXAMPLES = int(os.environ.get("SOCIAL_FUZZ_EXAMPLES", "20"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

TOML_VALUES = st.sampled_from(
    [
        "inf", "-inf", "nan", "1e300", "-1", "0", "99999999999999999999", "1.5", "true",
        '""', '" "', '"x"', '"Europe/Oslo"', '"sun 18:00"', '"* * * * *"', '"99 * * * *"',
        "[]", "[inf]", "[1e300]", '["email", "sms"]', "[[1, 2]]", "[" * 50 + "]" * 50,
        '{ a = "b" }', '"' + "x" * 3000 + '"', '"https://hooks.slack.com/services/T/B/X"',
        '"ftp://x"', '"NOK"', '"2026-13-45"', "[24, 2]", '[["05-01", "06-20"]]',
    ]
)  # fmt: skip
KEYS = [(section, key) for section, keys in schema().items() for key in keys]
# Commands that read most settings: each must work or fail with one line.
READERS = [
    ["status"],
    ["calendar", "ics"],
    ["tick", "--dry-run", "--now", "2026-12-01T14:00"],
    ["scheduler", "status"],
    ["team", "person", "list"],
    ["insights", "--format", "json"],
    ["report", "weekly", "--week", "2026-W47", "--format", "json"],
]


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    db = open_db(tmp_path / "social.db")
    seed_demo(db, today=date(2026, 11, 23), zone="Europe/Oslo", plans=demo_plans())
    db.close()
    return tmp_path


@FUZZ
@given(
    assignments=st.lists(
        st.tuples(st.sampled_from(KEYS), TOML_VALUES),
        min_size=1,
        max_size=3,
        unique_by=lambda a: a[0],
    ),
    command=st.sampled_from(READERS),
)
def test_any_setting_is_used_or_refused_with_its_line(
    workspace: Path, assignments: list[tuple[tuple[str, str], str]], command: list[str]
) -> None:
    sections: dict[str, list[str]] = {}
    for (section, key), value in assignments:
        sections.setdefault(section, []).append(f"{key} = {value}")
    text = "".join(f"[{s}]\n" + "\n".join(lines) + "\n\n" for s, lines in sections.items())
    config = workspace / "social.toml"
    config.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["--config", str(config), *command])
    assert result.exit_code in (0, 1), result.output[-1500:]
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "internal error" not in result.output and "Traceback" not in result.output
    if result.exit_code == 1:
        errors = [line for line in result.output.splitlines() if line.startswith("Error:")]
        assert len(errors) == 1, result.output[-1500:]


CELLS = st.one_of(
    st.sampled_from(
        [
            "", "0", "1", "99999999999999999999", "²", "١٢", "abc", "2026-12-03 10:00",
            "0001-01-01 10:00", "9999-12-31 23:59", "2026-03-29 02:30", "tiktok", "linkedin",
            "twitter", "planned", "published", "ideas", "Ingrid", "Ingrid; Sander", "Nobody",
            "Elev (16 år)", "=1+1", "'=1+1", "+47 1", "@x", "line\nbreak", "x" * 400,
            "7350012345678901234", "tips; eksamen", "Equinor", "a;b", "\x1b[2J",
        ]
    ),
    st.text(max_size=15),
)  # fmt: skip


@FUZZ
@given(rows=st.lists(st.lists(CELLS, min_size=len(COLUMNS), max_size=len(COLUMNS)), max_size=4))
def test_any_calendar_sheet_imports_whole_or_not_at_all(
    workspace: Path, rows: list[list[str]]
) -> None:
    (workspace / "social.toml").write_text("", encoding="utf-8")
    sheet = io.StringIO()
    writer = csv.writer(sheet, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    path = workspace / "plan.csv"
    path.write_text(sheet.getvalue(), encoding="utf-8")
    db = open_db(workspace / "social.db")
    before = "\n".join(db.iterdump())
    db.close()
    result = CliRunner().invoke(
        cli, ["--config", str(workspace / "social.toml"), "calendar", "import", str(path)]
    )
    assert result.exit_code in (0, 1), result.output[-1500:]
    assert "internal error" not in result.output and "Traceback" not in result.output
    if result.exit_code == 1:
        assert "plan.csv line " in result.output
        db = open_db(workspace / "social.db")
        assert "\n".join(db.iterdump()) == before
        db.close()
