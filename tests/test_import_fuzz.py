"""Property tests: no input file causes a traceback or a partial write."""

from __future__ import annotations

import csv
import io
import math
import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from import_support import (
    business_overview_csv,
    linkedin_xlsx,
    meta_daily_file,
    meta_days,
    meta_posts_2025_csv,
    meta_posts_csv,
    name_accounts,
    studio_content_csv,
    studio_overview_csv,
    tiktok_content_csv,
)

from collectors.importers import Context, ImportFileError, read_export
from core.config import render_default_config
from db import open_db
from social.cli import cli

PREFIXES = [
    b"",
    b"PK\x03\x04",  # XLSX (zip)
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",  # XLS (OLE)
    b"\xff\xfe",  # UTF-16 LE BOM
    b"\xef\xbb\xbf",  # UTF-8 BOM
    b"sep=,\r\n",
    b"Post ID,Page ID,Publish time,Views\r\n",
    b"Date,Video Views\r\n",
    b"Video link,Total views,Post time\r\n",
]
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _read(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.csv"
        path.write_bytes(data)
        context = Context(
            path.name, "Europe/Oslo", datetime(2025, 12, 1, tzinfo=UTC), date(2025, 12, 1)
        )
        try:
            read_export(path, context)
        except ImportFileError as exc:
            message = str(exc)
            assert message.startswith("export.csv") and "\n" not in message.strip()


@FAST
@given(prefix=st.sampled_from(PREFIXES), body=st.binary(max_size=400))
def test_random_bytes_raise_only_a_clear_import_error(prefix: bytes, body: bytes) -> None:
    _read(prefix + body)


@FAST
@given(
    text=st.text(alphabet=st.sampled_from(list('abc019,;"\r\n/:.-% Å\t')), max_size=300),
    header=st.sampled_from(PREFIXES[5:]),
)
def test_random_csv_text_raises_only_a_clear_import_error(text: str, header: bytes) -> None:
    _read(header + text.encode("utf-8"))


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory) -> list[bytes]:
    folder = tmp_path_factory.mktemp("samples")
    return [
        linkedin_xlsx(folder / "a.xlsx").read_bytes(),
        meta_posts_csv(folder / "b.csv", encoding="utf-16", sep_line=True).read_bytes(),
        tiktok_content_csv(folder / "c.csv").read_bytes(),
    ]


def _dump(db_path: Path) -> list[object]:
    db = open_db(db_path)
    tables = ("accounts", "posts", "post_snapshots", "post_latest", "metric_values")
    return [sorted(db.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in tables]


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_damaged_real_files_store_everything_or_nothing(
    samples: list[bytes], data: st.DataObject, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = data.draw(st.sampled_from(samples))
    cut = data.draw(st.integers(0, len(original)))
    damaged = bytearray(original[:cut])
    for _ in range(data.draw(st.integers(0, 3))):
        if damaged:
            damaged[data.draw(st.integers(0, len(damaged) - 1))] = data.draw(st.integers(0, 255))
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        (work / "social.toml").write_text(render_default_config(), encoding="utf-8")
        open_db(work / "social.db").close()  # as `social init` makes it
        monkeypatch.chdir(work)
        monkeypatch.delenv("SOCIAL_CONFIG", raising=False)
        db_path = work / "social.db"
        before = _dump(db_path)
        (work / "export.bin").write_bytes(bytes(damaged))
        result = CliRunner().invoke(cli, ["import", "export.bin", "--account", "1"])
        assert result.exit_code in (0, 1), result.output
        assert "internal error" not in result.output and "Traceback" not in result.output
        if result.exit_code == 1:
            assert result.output.startswith("Error: ") and "export.bin" in result.output
            assert _dump(db_path) == before
        else:
            assert "Imported export.bin" in result.output


# --- issue 14: any cell value, in every real shape --------------------------------------------

ARABIC = "٠١٢٣٤٥٦٧٨٩"


def _nasty_dates() -> st.SearchStrategy[str]:
    years = st.integers(1, 9999)
    months = st.integers(1, 12)
    days = st.integers(1, 31)
    return st.one_of(
        st.builds(lambda y, m, d: f"{m:02d}/{d:02d}/{y:04d} 10:00", years, months, days),
        st.builds(lambda y, m, d: f"{y:04d}-{m:02d}-{d:02d}T00:00:00", years, months, days),
        st.builds(lambda y, m, d: f"{y:04d}/{m:02d}/{d:02d}", years, months, days),
        st.builds(lambda y, m, d: f"{y:04d}-{m:02d}-{d:02d}T23:30:00+05:00", years, months, days),
        st.sampled_from(["February 29", "March 1", "December 31", "Smarch 40", "0", ""]),
    )


NASTY = st.one_of(
    st.integers(-(10**30), 10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(["nan", "NAN", "inf", "-inf", "undefined", "1" * 400, "1e300", "-0", "5,210"]),
    st.text(alphabet=st.sampled_from(list("0123456789" + ARABIC + ".,- %")), max_size=12),
    _nasty_dates(),
    st.text(max_size=20),
)


def _shapes(folder: Path) -> list[tuple[Path, int]]:
    """(file, number of data rows) of each shape, written by import_support."""
    return [
        (meta_posts_2025_csv(folder), 3),
        (studio_overview_csv(folder / "Overview.csv"), 7),
        (business_overview_csv(folder / "overview.csv"), 3),
        (
            meta_daily_file(
                folder / "Reach.csv", [("Facebook reach", meta_days(date(2025, 1, 1), [1, 2]))]
            ),
            2,
        ),
        (studio_content_csv(folder / "Content.csv"), 2),
    ]


def _replace_cell(path: Path, row: int, column: int, value: str) -> None:
    """Put `value` into one data cell, keeping the file's encoding and delimiter."""
    raw = path.read_bytes()
    encoding = "utf-16" if raw[:2] == b"\xff\xfe" else "utf-8-sig"
    text = raw.decode(encoding)
    sep_line = text.startswith("sep=")
    lines = text.splitlines()
    body = lines[1:] if sep_line else lines
    grid = list(csv.reader(io.StringIO("\n".join(body))))
    data = [i for i, cells in enumerate(grid) if len(cells) >= 2][1:]  # after the header
    target = grid[data[row % len(data)]]
    target[column % len(target)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(grid)
    path.write_bytes((("sep=,\n" if sep_line else "") + out.getvalue()).encode(encoding))


def _stored_values_are_plausible(db_path: Path, today: date) -> None:
    db = open_db(db_path)
    latest = (today + timedelta(days=1)).isoformat()
    for value, start, end in db.execute(
        "SELECT value, window_start, window_end FROM metric_values"
    ):
        assert math.isfinite(value)
        assert "2000-01-01" <= start <= end <= latest
    for metric, value in db.execute("SELECT metric, value FROM post_snapshots"):
        assert math.isfinite(value) and value >= 0, (metric, value)
    for (published,) in db.execute("SELECT published_at FROM posts"):
        assert "2000-01-01" <= published[:10] <= latest


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(shape=st.integers(0, 4), row=st.integers(0, 10), column=st.integers(0, 40), value=NASTY)
def test_any_cell_value_gives_a_clear_refusal_or_a_plausible_import(
    monkeypatch: pytest.MonkeyPatch, shape: int, row: int, column: int, value: str
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        (work / "social.toml").write_text(render_default_config(), encoding="utf-8")
        open_db(work / "social.db").close()  # as `social init` makes it
        monkeypatch.chdir(work)
        monkeypatch.delenv("SOCIAL_CONFIG", raising=False)
        name_accounts(work)
        db_path = work / "social.db"
        seed = tiktok_content_csv(work / "seed.csv")
        assert CliRunner().invoke(cli, ["import", str(seed)]).exit_code == 0
        before = _dump(db_path)
        (work / "shapes").mkdir()
        path, _ = _shapes(work / "shapes")[shape]
        _replace_cell(path, row, column, value)
        result = CliRunner().invoke(cli, ["import", str(path)])
        event(f"exit {result.exit_code}")
        assert result.exit_code in (0, 1), result.output
        assert "internal error" not in result.output and "Traceback" not in result.output
        if result.exit_code == 1:
            message = result.output.strip()
            assert message.startswith(f"Error: {path.name}") and "\n" not in message
            assert _dump(db_path) == before
        else:
            _stored_values_are_plausible(db_path, date.today())
