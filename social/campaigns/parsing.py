"""Parsing the pieces people type: platforms, KPIs, origins, numbers, targets, members."""

from __future__ import annotations

import difflib
import re
from datetime import date, datetime
from typing import Any

from core import registry
from social.campaigns.model import (
    ALL,
    COUNT_KPIS,
    KPI_ALIASES,
    MAX_NAME,
    ORIGIN_ALIASES,
    ORIGINS,
    FieldError,
    Member,
    Target,
    Where,
)
from social.reports.kpi import KPIS, UNITS

# --- parsing the pieces users type ------------------------------------------------------------


def parse_platform(text: str, where: Where, *, allow_all: bool = False) -> str:
    value = str(text).strip().lower()
    if value in registry.names() or (allow_all and value == ALL):
        return value
    choices = list(registry.names()) + ([ALL] if allow_all else [])
    hint = difflib.get_close_matches(value, choices, n=1)
    suggestion = f"did you mean '{hint[0]}'? " if hint else ""
    raise FieldError(
        where, f"unknown platform '{text}'; {suggestion}use one of {', '.join(choices)}"
    )


def parse_kpi(text: str, where: Where) -> str:
    value = str(text).strip().lower().replace("-", "_").replace(" ", "_")
    value = KPI_ALIASES.get(value, value)
    if value in KPIS:
        return value
    hint = difflib.get_close_matches(value, list(KPIS) + list(KPI_ALIASES), n=1)
    suggestion = f"did you mean '{KPI_ALIASES.get(hint[0], hint[0])}'? " if hint else ""
    raise FieldError(where, f"unknown KPI '{text}'; {suggestion}use one of {', '.join(KPIS)}")


def parse_origin(text: str, where: Where) -> str:
    value = str(text).strip().lower()
    value = ORIGIN_ALIASES.get(value, value)
    if value in ORIGINS:
        return value
    raise FieldError(where, f"unknown origin '{text}'; use one of {', '.join(ORIGINS)}")


_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def parse_number(raw: str | float | int, where: Where, what: str) -> float:
    """A number as people type it: 400000, 400 000, 400_000, 1.2, 1,2 (a decimal comma)."""
    if isinstance(raw, bool):
        raise FieldError(where, f"{what} must be a number, not true/false")
    if isinstance(raw, int | float):
        return float(raw)
    text = str(raw).strip()
    for space in (" ", "\xa0", "\u202f", "_"):
        text = text.replace(space, "")
    if "," in text:
        if "." in text or text.count(",") > 1 or re.search(r",\d{3}$", text):
            raise FieldError(
                where,
                f"{what} '{raw}' is ambiguous; write it without thousands separators "
                "(400000) and with one decimal mark (1.2 or 1,2)",
            )
        text = text.replace(",", ".")
    if not _NUMBER.match(text):
        raise FieldError(where, f"{what} '{raw}' is not a number; write it like 400000 or 1.5")
    return float(text)


def parse_target_value(kpi: str, raw: str | float | int, where: Where) -> float:
    """A target value: rates (CTR, engagement rate) as percents ('1.2%', '1,2 %'), else numbers."""
    text = raw.strip() if isinstance(raw, str) else raw
    if UNITS.get(kpi) == "ratio":
        if not isinstance(text, str) or not text.endswith("%"):
            raise FieldError(
                where,
                f"{kpi} is a percentage; write the target with a percent sign, e.g. "
                f"{kpi}=1.2% (got {raw!r})",
            )
        value = parse_number(text[:-1], where, f"{kpi} target") / 100
        if not 0 < value <= 1:
            raise FieldError(where, f"{kpi} target {raw} must be above 0% and at most 100%")
        return value
    if isinstance(text, str) and text.endswith("%"):
        raise FieldError(
            where, f"{kpi} is not a percentage; write a plain number, e.g. {kpi}=400000"
        )
    value = parse_number(text, where, f"{kpi} target")
    if value <= 0:
        raise FieldError(where, f"{kpi} target must be above 0 (got {raw})")
    if kpi in COUNT_KPIS and value != int(value):
        raise FieldError(where, f"{kpi} target must be a whole number (got {raw})")
    return value


def parse_scope(text: str, where: Where) -> tuple[str, str, str]:
    """KPI[:ORIGIN[:PLATFORM]] with defaults total and all."""
    parts = [p.strip() for p in text.split(":")]
    if not parts[0] or len(parts) > 3:
        raise FieldError(
            where,
            f"'{text}' is not KPI[:ORIGIN[:PLATFORM]]; write it like views, "
            "reach:paid:tiktok or ctr:paid",
        )
    kpi = parse_kpi(parts[0], where)
    origin = parse_origin(parts[1], where) if len(parts) > 1 and parts[1] else "total"
    platform = parse_platform(parts[2], where, allow_all=True) if len(parts) > 2 else ALL
    return kpi, origin, platform


def parse_target(text: str, where: Where) -> Target:
    """KPI[:ORIGIN[:PLATFORM]]=VALUE, e.g. views=400000, reach:paid:tiktok=150000, ctr:paid=1.2%."""
    if "=" not in text:
        raise FieldError(
            where,
            f"'{text}' has no value; write KPI[:ORIGIN[:PLATFORM]]=VALUE, e.g. views=400000",
        )
    key, raw = text.split("=", 1)
    try:
        kpi, origin, platform = parse_scope(key, where)
        value = parse_target_value(kpi, raw, where)
    except FieldError as exc:
        raise FieldError(where, f"'{text}': {exc.detail}") from None
    return Target(kpi, origin, platform, value, where)


def parse_hashtag(text: str, where: Where) -> Member:
    tag = str(text).strip().lstrip("#")
    if not tag or not re.fullmatch(r"\w+", tag):
        raise FieldError(
            where,
            f"'{text}' is not a hashtag; give one word of letters, digits or _, e.g. realfag",
        )
    return Member("hashtag", tag.lower(), "", where)


def parse_platform_id(kind: str, text: str, where: Where) -> Member:
    """PLATFORM:ID for posts and ad campaigns (a bare LinkedIn URN is a LinkedIn post)."""
    raw = str(text).strip()
    example = "tiktok:7301234567890123456" if kind == "post" else "tiktok:1780000000000002"
    if kind == "post" and raw.startswith("urn:li:"):
        platform, ident = "linkedin", raw
    elif ":" in raw:
        prefix, ident = raw.split(":", 1)
        try:
            platform = parse_platform(prefix, where)
        except FieldError as exc:
            raise FieldError(
                where, f"'{text}': {exc.detail}; write PLATFORM:ID, e.g. {example}"
            ) from None
        ident = ident.strip()
    else:
        raise FieldError(where, f"'{text}' names no platform; write PLATFORM:ID, e.g. {example}")
    if not ident or re.search(r"\s", ident):
        raise FieldError(where, f"'{text}' has no usable id; write PLATFORM:ID, e.g. {example}")
    return Member(kind, ident, platform, where)


def parse_slot(text: str, where: Where) -> Member:
    value = str(text).strip()
    if not value:
        raise FieldError(
            where, "empty calendar slot; give the slot's uid (see 'social calendar list')"
        )
    return Member("slot", value, "", where)


def parse_date_value(raw: Any, where: Where, what: str) -> date:
    if isinstance(raw, datetime):
        raise FieldError(where, f"{what} must be a date (YYYY-MM-DD), not a date and time")
    if isinstance(raw, date):
        return raw
    try:
        return date.fromisoformat(str(raw).strip())
    except ValueError:
        raise FieldError(
            where, f"'{raw}' is not a date; write {what} as YYYY-MM-DD, e.g. 2026-09-01"
        ) from None


def parse_currency(text: str, where: Where) -> str:
    from babel.numbers import is_currency

    code = str(text).strip().upper()
    if not re.fullmatch(r"[A-Z]{3}", code) or not is_currency(code):
        raise FieldError(
            where, f"unknown currency '{text}'; use a three-letter ISO code such as NOK, EUR, USD"
        )
    return code


def parse_budget(raw: str | float | int, where: Where) -> float:
    value = parse_number(raw, where, "budget")
    if value < 0:
        raise FieldError(where, f"budget must not be negative (got {raw})")
    return value


def clean_name(text: str, where: Where) -> str:
    name = " ".join(str(text).split())
    if not name:
        raise FieldError(where, "the campaign name is empty; give a name like 'Realfag høst 2026'")
    if len(name) > MAX_NAME:
        raise FieldError(where, f"the campaign name is longer than {MAX_NAME} characters")
    return name
