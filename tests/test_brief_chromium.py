"""An HTML brief opened in headless Chromium: a partner name or variable carrying script does
not run; the page shows it as text."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.brief_support import run

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = [
    pytest.mark.chromium,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed"),
]
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def test_script_in_partner_data_does_not_run_in_a_browser(
    workspace_dir: Path, runner: CliRunner
) -> None:
    name = "<script>document.title='pwned'</script>"
    assert run(runner, "partner", "add", name, "--tier", "small").exit_code == 0
    result = run(
        runner,
        "brief",
        "new",
        "--partner",
        name,
        "--template",
        "tiktok_partner_nb",
        "--deadline",
        "2030-10-04",
        "--format",
        "html",
        "--out",
        "brief.html",
        "--var",
        "role_model=<img src=x onerror=\"document.body.setAttribute('data-pwned','1')\">",
    )
    assert result.exit_code == 0, result.output
    page = workspace_dir / "brief.html"
    dom = subprocess.run(
        [
            str(CHROMIUM),
            *FLAGS,
            f"--user-data-dir={workspace_dir / 'profile'}",
            "--dump-dom",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    assert "<h1>" in dom and "Annonse for" in dom
    assert "data-pwned" not in dom.split("<body", 1)[1].split(">", 1)[0]
    assert "<title>TikTok-brief for partnere: &lt;script&gt;" in dom
    assert "document.title='pwned'" in dom  # shown as text
    assert "<script" not in dom.lower()
