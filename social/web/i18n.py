"""The web app's words: Norwegian bokmål is written in the templates and code, and this
table gives each text in English. A test checks that every text has its English."""

from __future__ import annotations

from typing import Any, Final

LANGUAGES: Final = ("nb", "en")
LANGUAGE_NAMES: Final = {"nb": "Norsk (bokmål)", "en": "English"}


def translate(lang: str, text: str, **fields: Any) -> str:
    """The text in the language (Norwegian as written, English from the table)."""
    out = EN.get(text, text) if lang == "en" else text
    return out.format(**fields) if fields else out


EN: Final[dict[str, str]] = {
}
