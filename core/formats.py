"""Numbers, dates and weeks as Norwegians (or English readers) write them."""

from __future__ import annotations

from datetime import date, datetime

from babel.dates import format_date as _babel_date
from babel.dates import format_datetime as _babel_datetime
from babel.numbers import format_decimal, format_percent

LOCALES = {"nb": "nb_NO", "en": "en_GB"}


def locale_of(lang: str) -> str:
    """Babel locale of a report language ('nb' or 'en')."""
    if lang not in LOCALES:
        raise ValueError(f"unknown language {lang!r}; use nb or en")
    return LOCALES[lang]


def number(value: float | int | None, lang: str = "nb", decimals: int = 0) -> str:
    """142 000 (nb) / 142,000 (en); a dash for a missing value."""
    if value is None:
        return "–"
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=locale_of(lang))


def compact(value: float | int | None, lang: str = "nb") -> str:
    """3,5 mill. (nb) / 3.5m (en) for big numbers; plain numbers below 100 000."""
    if value is None:
        return "–"
    if abs(value) >= 1_000_000:
        text = number(value / 1_000_000, lang, 1)
        return f"{text} mill." if lang == "nb" else f"{text}m"
    return number(value, lang)


def percent(ratio: float | None, lang: str = "nb", decimals: int = 2) -> str:
    """1,09 % (nb) / 1.09% (en) from a ratio (0.0109)."""
    if ratio is None:
        return "–"
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "") + " %"
    text = format_percent(ratio, format=pattern, locale=locale_of(lang))
    # Norwegian puts a (non-breaking) space before %, English none.
    return text if lang == "nb" else text.replace(" ", "").replace("\xa0", "")


def day(value: date | datetime, lang: str = "nb") -> str:
    """24. nov. 2025 (nb) / 24 Nov 2025 (en)."""
    return _babel_date(
        value, format="d. MMM y" if lang == "nb" else "d MMM y", locale=locale_of(lang)
    )


def moment(value: datetime, lang: str = "nb") -> str:
    """24. nov. 2025 kl. 14:30 (nb) / 24 Nov 2025 14:30 (en), in the value's own zone."""
    if lang == "nb":
        return _babel_datetime(
            value, format="d. MMM y 'kl.' HH:mm", locale="nb_NO", tzinfo=value.tzinfo
        )
    return _babel_datetime(value, format="d MMM y HH:mm", locale="en_GB", tzinfo=value.tzinfo)


def week(value: date, lang: str = "nb") -> str:
    """uke 48 (nb) / week 48 (en), with the ISO year when it differs from the date's year."""
    year, number_, _ = value.isocalendar()
    word = "uke" if lang == "nb" else "week"
    return f"{word} {number_}" if year == value.year else f"{word} {number_} {year}"


def money(value: float | None, currency: str = "NOK", lang: str = "nb") -> str:
    """kr 1 234,50 style amounts, always with two decimals and the currency code."""
    if value is None:
        return "–"
    return f"{number(value, lang, 2)} {currency}"
