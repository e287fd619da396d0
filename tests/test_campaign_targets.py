"""Target syntax, number parsing and TOML line finding, without the CLI."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core import registry
from social.campaigns import (
    ALL,
    ORIGINS,
    PAID_ONLY,
    FieldError,
    TomlLines,
    parse_number,
    parse_target,
)
from social.reports.kpi import KPIS, UNITS


@given(
    kpi=st.sampled_from(KPIS),
    origin=st.sampled_from(ORIGINS),
    platform=st.sampled_from((*registry.names(), ALL)),
    hundredths=st.integers(min_value=1, max_value=10_000_000),
)
def test_a_target_written_back_parses_to_the_same_target(
    kpi: str, origin: str, platform: str, hundredths: int
) -> None:
    if UNITS.get(kpi) == "ratio":
        text = f"{kpi}:{origin}:{platform}={hundredths % 10_000 / 100 or 1}%"
    elif UNITS.get(kpi) == "currency":
        text = f"{kpi}:{origin}:{platform}={hundredths / 100}"
    else:
        text = f"{kpi}:{origin}:{platform}={hundredths}"
    target = parse_target(text, ("targets", 0))
    assert target.scope == (kpi, origin, platform)
    again = parse_target(target.text(), ("targets", 0))
    assert again.scope == target.scope
    assert again.value == pytest.approx(target.value)
    assert kpi not in PAID_ONLY or target.unit == "currency"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("400000", 400000),
        ("400 000", 400000),
        ("400\xa0000", 400000),
        ("400_000", 400000),
        ("1,5", 1.5),
        ("1.5", 1.5),
        ("12,50", 12.5),
    ],
)
def test_numbers_as_people_type_them(text: str, value: float) -> None:
    assert parse_number(text, ("budget",), "budget") == value


@pytest.mark.parametrize("text", ["400,000", "1.000,5", "1,2,3", "1e5", "ti", ""])
def test_ambiguous_or_odd_numbers_are_refused(text: str) -> None:
    with pytest.raises(FieldError):
        parse_number(text, ("budget",), "budget")


def test_defaults_are_total_and_all_and_aliases_map_to_report_names() -> None:
    t = parse_target("followers_gained=500", ("targets", 0))
    assert (t.kpi, t.origin, t.platform, t.value) == ("follower_gain", "total", "all", 500)
    t = parse_target("CTR:Sponsored:TikTok=0,8 %", ("targets", 0))
    assert (t.kpi, t.origin, t.platform) == ("ctr", "paid", "tiktok")
    assert t.value == pytest.approx(0.008)


TEXT = """\
[[campaign]]
name = "A"  # a comment, with a comma
hashtags = [
  "one",   # first, with a comma in the comment
  "two, three",
  'four',
]

[[campaign]]
name = "B"
targets = [{ kpi = "views", value = 1 }, { kpi = "reach", platform = "tiktok", value = 2 }]
"""


@pytest.mark.parametrize(
    ("where", "line"),
    [
        (("campaign", 0, "name"), 2),
        (("campaign", 0, "hashtags", 0), 4),
        (("campaign", 0, "hashtags", 2), 6),
        (("campaign", 1), 9),
        (("campaign", 1, "name"), 10),
        (("campaign", 1, "targets", 1, "platform"), 11),
        (("campaign", 1, "targets", 0, "platform"), 11),  # not in item 0: stays on its line
    ],
)
def test_toml_lines_find_keys_and_array_elements(where: tuple, line: int) -> None:
    assert TomlLines(Path("c.toml"), TEXT).line(where) == line
