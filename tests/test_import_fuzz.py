"""Property tests: no input file causes a traceback or a partial write."""

from __future__ import annotations

import tempfile
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from import_support import linkedin_xlsx, meta_posts_csv, tiktok_content_csv

from collectors.importers import Context, ImportFileError, read_export
from db import open_db
from social.cli import cli
from social.config import render_default_config

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
