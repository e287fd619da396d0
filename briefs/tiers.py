"""Partner-programme size tiers and their yearly fees."""

from __future__ import annotations

from dataclasses import dataclass

from core import formats
from core.errors import SocialError


@dataclass(frozen=True)
class Tier:
    """One size tier of the partner programme."""

    name: str
    min_employees: int
    max_employees: int | None
    fee_nok: int
    label_nb: str
    label_en: str


# The partner programme: under 50 employees free, 50-500 NOK 25 000 a year, over 500 NOK 50 000.
TIERS: dict[str, Tier] = {
    "small": Tier("small", 0, 49, 0, "liten (under 50 ansatte)", "small (under 50 employees)"),
    "medium": Tier(
        "medium", 50, 500, 25_000, "mellomstor (50–500 ansatte)", "medium (50–500 employees)"
    ),
    "large": Tier(
        "large", 501, None, 50_000, "stor (over 500 ansatte)", "large (over 500 employees)"
    ),
}


def tier_for_employees(employees: int) -> str:
    """The tier of a company with this many employees."""
    if employees < 0:
        raise SocialError(f"--employees {employees} is negative; give the number of employees")
    for tier in TIERS.values():
        if employees >= tier.min_employees and (
            tier.max_employees is None or employees <= tier.max_employees
        ):
            return tier.name
    raise AssertionError("the tiers cover every non-negative number")  # pragma: no cover


def yearly_fee(tier: str) -> int:
    """The yearly fee in NOK of a tier."""
    return TIERS[tier].fee_nok


def fee_text(tier: str, lang: str = "nb") -> str:
    """The yearly fee as people write it: '25 000 kr' / 'gratis' (nb), 'NOK 25,000' / 'free' (en)."""
    fee = yearly_fee(tier)
    if fee == 0:
        return "gratis" if lang == "nb" else "free"
    # A plain space rather than Babel's no-break space keeps tables and CSV easy to read and grep.
    amount = formats.number(fee, lang).replace("\xa0", " ").replace("\u202f", " ")
    return f"{amount} kr" if lang == "nb" else f"NOK {amount}"


def tier_label(tier: str, lang: str = "nb") -> str:
    """A tier's name with its employee range."""
    t = TIERS[tier]
    return t.label_nb if lang == "nb" else t.label_en
