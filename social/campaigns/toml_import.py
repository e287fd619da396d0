"""Campaigns kept as TOML files: parse, validate and save them all or none, errors by line."""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from core.errors import SocialError
from social.campaigns.model import (
    ALL,
    DEFAULT_CURRENCY,
    CampaignSpec,
    FieldError,
    Member,
    Target,
    Where,
)
from social.campaigns.parsing import (
    clean_name,
    parse_budget,
    parse_currency,
    parse_date_value,
    parse_hashtag,
    parse_kpi,
    parse_origin,
    parse_platform,
    parse_platform_id,
    parse_slot,
    parse_target,
    parse_target_value,
)
from social.campaigns.store import campaign_id, load_by_id, partner_name, write_spec
from social.examples import example_id

# --- TOML files -------------------------------------------------------------------------------

CAMPAIGN_KEYS = (
    "name",
    "start",
    "end",
    "platforms",
    "partner",
    "budget",
    "currency",
    "description",
    "hashtags",
    "posts",
    "slots",
    "ad_campaigns",
    "targets",
)
TARGET_KEYS = ("kpi", "origin", "platform", "value")


@dataclass
class ImportResult:
    """What an import did (or, with dry_run, would do) per campaign name."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def import_file(
    db: Database,
    path: Path,
    *,
    dry_run: bool = False,
    default_currency: str = DEFAULT_CURRENCY,
) -> ImportResult:
    """Add or update every campaign of a TOML file in one transaction (or none on any error)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SocialError(
            f"{path}: no such file; give the path of a campaigns .toml file"
        ) from None
    except UnicodeDecodeError:
        raise SocialError(f"{path}: not UTF-8 text; save the file as UTF-8") from None
    lines = TomlLines(path, text)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"line (\d+)", str(exc))
        line = found.group(1) if found else "1"
        raise SocialError(f"{path}:{line}: not valid TOML ({exc}); fix that line") from None
    specs = specs_from_toml(db, data, lines, default_currency=default_currency)
    result = ImportResult()
    try:
        with db.atomic():
            for index, spec in enumerate(specs):
                cid = campaign_id(db, spec.name)
                if cid is None:
                    result.added.append(spec.name)
                elif load_by_id(db, cid).same_as(spec):
                    result.unchanged.append(spec.name)
                    continue
                else:
                    result.updated.append(spec.name)
                try:
                    write_spec(db, spec, cid)
                except FieldError as exc:
                    raise SocialError(
                        lines.message(("campaign", index, *exc.where), exc.detail)
                    ) from None
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return result


class _DryRun(Exception):
    """Raised inside the transaction so a dry run rolls back everything it checked."""


def specs_from_toml(
    db: Database,
    data: dict[str, Any],
    lines: TomlLines,
    *,
    default_currency: str = DEFAULT_CURRENCY,
) -> list[CampaignSpec]:
    """Parse the [[campaign]] tables; errors name the file, key path and line."""
    for key in data:
        if key != "campaign":
            raise SocialError(
                lines.message((key,), f"unknown key '{key}'; campaigns go in [[campaign]] tables")
            )
    campaigns = data.get("campaign")
    if not isinstance(campaigns, list) or not campaigns:
        raise SocialError(
            lines.message(
                ("campaign",),
                "no campaigns; write each one as a [[campaign]] table with name, start and end",
            )
        )
    specs: list[CampaignSpec] = []
    names: dict[str, int] = {}
    for index, table in enumerate(campaigns):
        try:
            spec = _spec_from_table(db, table, default_currency)
        except FieldError as exc:
            raise SocialError(lines.message(("campaign", index, *exc.where), exc.detail)) from None
        first = names.setdefault(spec.name.casefold(), index)
        if first != index:
            raise SocialError(
                lines.message(
                    ("campaign", index, "name"),
                    f"'{spec.name}' is also campaign[{first}] in this file; names must be unique",
                )
            )
        specs.append(spec)
    return specs


def _spec_from_table(db: Database, table: Any, default_currency: str) -> CampaignSpec:
    if not isinstance(table, dict):
        raise FieldError((), "each campaign must be a [[campaign]] table")
    for key in table:
        if key not in CAMPAIGN_KEYS:
            hint = difflib.get_close_matches(key, CAMPAIGN_KEYS, n=1)
            suggestion = (
                f"did you mean '{hint[0]}'?" if hint else f"known: {', '.join(CAMPAIGN_KEYS)}"
            )
            raise FieldError((key,), f"unknown key '{key}'; {suggestion}")
    for key in ("name", "start", "end"):
        if key not in table:
            raise FieldError((), f"missing '{key}'; every campaign needs name, start and end")
    name = _typed(table, "name", str)
    budget_raw = table.get("budget")
    currency = table.get("currency")
    budget: float | None = None
    if isinstance(budget_raw, dict):
        for key in budget_raw:
            if key not in ("amount", "currency"):
                raise FieldError(("budget", key), f"unknown key '{key}'; use amount and currency")
        if "amount" not in budget_raw:
            raise FieldError(
                ("budget",),
                'budget has no amount; write budget = { amount = 60000, currency = "NOK" }',
            )
        budget = parse_budget(budget_raw["amount"], ("budget", "amount"))
        if "currency" in budget_raw:
            if currency is not None:
                raise FieldError(
                    ("currency",), "the currency is given twice (here and in budget); keep one"
                )
            currency = budget_raw["currency"]
            currency_where: Where = ("budget", "currency")
        else:
            currency_where = ("currency",)
    else:
        if budget_raw is not None:
            budget = parse_budget(budget_raw, ("budget",))
        currency_where = ("currency",)
    if currency is not None and not isinstance(currency, str):
        raise FieldError(currency_where, 'the currency must be a string such as "NOK"')

    members: list[Member] = []
    for i, tag in enumerate(_string_list(table, "hashtags")):
        members.append(parse_hashtag(tag, ("hashtags", i)))
    for i, post in enumerate(_string_list(table, "posts")):
        members.append(parse_platform_id("post", post, ("posts", i)))
    for i, slot in enumerate(_string_list(table, "slots")):
        members.append(parse_slot(slot, ("slots", i)))
    ads = table.get("ad_campaigns", {})
    if not isinstance(ads, dict):
        example_platform, _, example = example_id("ad_campaign").partition(":")
        raise FieldError(
            ("ad_campaigns",),
            "ad_campaigns must be a table of platform = [ids], "
            f'e.g. {{ {example_platform} = ["{example}"] }}',
        )
    for platform_key, ids in ads.items():
        platform = parse_platform(platform_key, ("ad_campaigns", platform_key))
        if isinstance(ids, str | int):
            ids = [ids]
        if not isinstance(ids, list):
            raise FieldError(("ad_campaigns", platform_key), "must be a list of ad campaign ids")
        for i, ident in enumerate(ids):
            if not isinstance(ident, str | int) or isinstance(ident, bool):
                raise FieldError(
                    ("ad_campaigns", platform_key, i), "an ad campaign id must be a string"
                )
            members.append(
                parse_platform_id(
                    "ad_campaign", f"{platform}:{ident}", ("ad_campaigns", platform_key, i)
                )
            )

    targets_raw = table.get("targets", [])
    if not isinstance(targets_raw, list):
        raise FieldError(("targets",), "targets must be a list of { kpi, origin, platform, value }")
    targets = [_target_from_toml(item, ("targets", i)) for i, item in enumerate(targets_raw)]
    description = table.get("description", "")
    if not isinstance(description, str):
        raise FieldError(("description",), "description must be a string")
    partner = table.get("partner")
    if partner is not None and (not isinstance(partner, str) or not partner.strip()):
        raise FieldError(
            ("partner",), "partner must be a partner's name (see 'social partner list')"
        )
    return CampaignSpec(
        name=clean_name(name, ("name",)),
        start=parse_date_value(table["start"], ("start",), "start"),
        end=parse_date_value(table["end"], ("end",), "end"),
        platforms=[
            parse_platform(p, ("platforms", i))
            for i, p in enumerate(_string_list(table, "platforms"))
        ],
        partner=partner_name(db, partner.strip()) if partner else None,
        budget=budget,
        currency=parse_currency(currency or default_currency, currency_where),
        description=description.strip(),
        members=members,
        targets=targets,
    )


def _target_from_toml(item: Any, where: Where) -> Target:
    if isinstance(item, str):
        return parse_target(item, where)
    if not isinstance(item, dict):
        raise FieldError(where, 'a target is { kpi = "views", value = 400000 } or "views=400000"')
    for key in item:
        if key not in TARGET_KEYS:
            hint = difflib.get_close_matches(key, TARGET_KEYS, n=1)
            suggestion = (
                f"did you mean '{hint[0]}'?" if hint else f"known: {', '.join(TARGET_KEYS)}"
            )
            raise FieldError((*where, key), f"unknown key '{key}'; {suggestion}")
    for key in ("kpi", "value"):
        if key not in item:
            raise FieldError(
                where, f'the target has no {key}; write {{ kpi = "views", value = 400000 }}'
            )
    kpi = parse_kpi(item["kpi"], (*where, "kpi"))
    origin = parse_origin(item.get("origin", "total"), (*where, "origin"))
    platform = parse_platform(item.get("platform", ALL), (*where, "platform"), allow_all=True)
    value = parse_target_value(kpi, item["value"], (*where, "value"))
    return Target(kpi, origin, platform, value, where)


def _typed(table: dict[str, Any], key: str, kind: type) -> Any:
    value = table[key]
    if not isinstance(value, kind):
        raise FieldError((key,), f"{key} must be a {kind.__name__}, got {value!r}")
    return value


def _string_list(table: dict[str, Any], key: str) -> list[str]:
    value = table.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise FieldError((key,), f'{key} must be a list of strings, e.g. {key} = ["..."]')
    out = []
    for i, item in enumerate(value):
        if isinstance(item, bool) or not isinstance(item, str | int):
            raise FieldError((key, i), f"must be a string, got {item!r}")
        out.append(str(item))
    return out


class TomlLines:
    """Finds the line of a key path such as campaign[1].targets[2] in the TOML text.

    tomllib gives no positions for values, so this scans the text: the n-th
    [[campaign]] header, then the key inside that block (as `key =` or as a
    [campaign.key] / [[campaign.key]] header), then the n-th element of an
    inline array. Best effort: falls back to the nearest enclosing line.
    """

    HEADER = re.compile(r"^[ \t]*\[\[\s*campaign\s*\]\]\s*(#.*)?$", re.MULTILINE)

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.text = text
        starts = [m.start() for m in self.HEADER.finditer(text)]
        self.blocks = [
            (start, starts[i + 1] if i + 1 < len(starts) else len(text))
            for i, start in enumerate(starts)
        ]

    def message(self, where: Where, detail: str) -> str:
        return f"{self.path}:{self.line(where)}: {_path_text(where)}: {detail}"

    def line(self, where: Where) -> int:
        return self.text.count("\n", 0, self.offset(where)) + 1

    def offset(self, where: Where) -> int:
        if not where:
            return 0
        if where[0] != "campaign":
            found = self._key(str(where[0]), 0, len(self.text))
            return found if found is not None else 0
        if len(where) < 2 or not isinstance(where[1], int) or where[1] >= len(self.blocks):
            return self.blocks[0][0] if self.blocks else 0
        start, end = self.blocks[where[1]]
        position = start
        rest = list(where[2:])
        while rest:
            step = rest.pop(0)
            if isinstance(step, int):
                position = self._element(position, end, step)
                end = self._item_end(position, end)
                continue
            header = self._subtable(str(step), position, end)
            if header is not None and rest and isinstance(rest[0], int):
                # [[campaign.targets]]: the n-th such header is the n-th element.
                nth = self._subtables(str(step), position, end)
                index = int(rest.pop(0))
                if index < len(nth):
                    position = nth[index]
                    end = self._item_end(position, end)
                continue
            if header is not None:
                position = header
                end = self._item_end(position, end)
                continue
            found = self._key(str(step), position, end)
            if found is None:
                break
            position = found
        return position

    def _item_end(self, position: int, end: int) -> int:
        """Where the item at position ends: its line (inline), or the next [header]."""
        if self.text.startswith("[", position):
            following = re.compile(r"(?m)^[ \t]*\[").search(self.text, position + 1, end)
            return following.start() if following else end
        newline = self.text.find("\n", position, end)
        return newline if newline >= 0 else end

    def _key(self, key: str, start: int, end: int) -> int | None:
        pattern = re.compile(r'(?m)(^|[{,]\s*)["\']?' + re.escape(key) + r'["\']?\s*=')
        match = pattern.search(self.text, start, end)
        if match is None:
            return None
        return match.start() + len(match.group(1))

    def _subtables(self, key: str, start: int, end: int) -> list[int]:
        pattern = re.compile(r"(?m)^[ \t]*\[\[?\s*campaign\s*\.\s*" + re.escape(key) + r"\s*\]\]?")
        return [m.start() for m in pattern.finditer(self.text, start, end)]

    def _subtable(self, key: str, start: int, end: int) -> int | None:
        found = self._subtables(key, start, end)
        return found[0] if found else None

    def _element(self, position: int, end: int, index: int) -> int:
        """Offset of the index-th element of the array that follows `key =` at position."""
        text = self.text
        i = text.find("=", position, end)
        if i < 0:
            return position
        i = text.find("[", i, end)
        if i < 0:
            return position
        depth, count, quote = 0, 0, ""
        element_start: int | None = None
        while i < end:
            ch = text[i]
            if quote:
                if ch == "\\" and quote == '"':
                    i += 2
                    continue
                if ch == quote:
                    quote = ""
            elif ch == "#":
                nl = text.find("\n", i, end)
                i = end if nl < 0 else nl
                continue
            elif ch in "\"'":
                quote = ch
                if depth == 1 and element_start is None:
                    element_start = i
            elif ch in "[{":
                depth += 1
                if depth == 2 and element_start is None:
                    element_start = i
            elif ch in "]}":
                depth -= 1
                if depth == 0:
                    break
            elif ch == "," and depth == 1:
                if count == index and element_start is not None:
                    return element_start
                count += 1
                element_start = None
            elif depth == 1 and not ch.isspace() and element_start is None:
                element_start = i
            i += 1
        if count == index and element_start is not None:
            return element_start
        return position


def _path_text(where: Where) -> str:
    out = ""
    for step in where:
        if isinstance(step, int):
            out += f"[{step}]"
        else:
            out += ("." if out else "") + step
    return out or "file"
