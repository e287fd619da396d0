"""HTML printed to PDF by headless Chromium: a real PDF with the page's text, and a clear error
when no browser is found."""

from __future__ import annotations

from pathlib import Path

import pytest

from social.reports.pdf import CHROMIUM_ENV, PdfError, html_to_pdf

CHROMIUM = Path("/usr/bin/chromium")


@pytest.mark.chromium
@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed")
def test_a_page_prints_to_a_pdf_holding_its_text() -> None:
    pdf = html_to_pdf('<html lang="nb"><body><h1>Ukerapport uke 48</h1></body></html>')
    assert pdf.startswith(b"%PDF-")
    assert b"%%EOF" in pdf[-1024:]


def test_a_missing_browser_is_one_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CHROMIUM_ENV, "/nonexistent/chromium")
    with pytest.raises(
        PdfError, match="SOCIAL_CHROMIUM=/nonexistent/chromium is not an executable"
    ):
        html_to_pdf("<p>x</p>")
