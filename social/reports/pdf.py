"""Print an HTML page to PDF with headless Chromium (what the reader's browser would print)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from core.errors import SocialError

CHROMIUM_ENV = "SOCIAL_CHROMIUM"
CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
# Without these, Chromium tries to reach Google's services on every start; on a closed network
# those attempts fail slowly and noisily.
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-pdf-header-footer",
)


class PdfError(SocialError):
    """A PDF could not be made."""


def find_chromium() -> str:
    """The Chromium (or Chrome) executable: $SOCIAL_CHROMIUM, else the first on PATH."""
    configured = os.environ.get(CHROMIUM_ENV)
    if configured:
        if shutil.which(configured):
            return configured
        raise PdfError(f"{CHROMIUM_ENV}={configured} is not an executable; fix or unset it")
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    raise PdfError(
        "PDF needs Chromium: install it (Debian: apt install chromium) or set "
        f"{CHROMIUM_ENV} to its path; or choose --format html"
    )


def html_to_pdf(html: str, *, timeout: float = 60) -> bytes:
    """The page printed to PDF (A4, backgrounds kept), as bytes."""
    executable = find_chromium()
    with tempfile.TemporaryDirectory(prefix="social-pdf-") as tmp:
        folder = Path(tmp)
        page = folder / "page.html"
        page.write_text(html, encoding="utf-8")
        out = folder / "page.pdf"
        command = [
            executable,
            *FLAGS,
            f"--user-data-dir={folder / 'profile'}",
            f"--print-to-pdf={out}",
            page.as_uri(),
        ]
        try:
            subprocess.run(command, capture_output=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            raise PdfError(f"Chromium did not finish the PDF within {timeout:g} s") from None
        except OSError as exc:
            raise PdfError(f"could not start Chromium ({exc.strerror})") from None
        if not out.exists() or out.stat().st_size == 0:
            raise PdfError("Chromium made no PDF; try --format html and print it from a browser")
        return out.read_bytes()
