"""Building a campaign spec from the CLI's options: a new one (add) or a changed one (edit)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields, replace

from sqlite_utils import Database

from core import registry
from social.campaigns.model import DEFAULT_CURRENCY, CampaignSpec, FieldError, Member, Where
from social.campaigns.parsing import (
    clean_name,
    parse_budget,
    parse_currency,
    parse_date_value,
    parse_hashtag,
    parse_platform,
    parse_platform_id,
    parse_scope,
    parse_slot,
    parse_target,
)
from social.campaigns.store import partner_name

# --- building a spec from options (add and edit) ----------------------------------------------


@dataclass
class Changes:
    """What `add`/`edit` were given; None or empty means 'not given'."""

    start: str | None = None
    end: str | None = None
    platforms: Sequence[str] = ()
    hashtags: Sequence[str] = ()
    posts: Sequence[str] = ()
    slots: Sequence[str] = ()
    ad_campaigns: Sequence[str] = ()
    partner: str | None = None
    budget: str | None = None
    currency: str | None = None
    targets: Sequence[str] = ()
    description: str | None = None
    # edit only
    rename: str | None = None
    remove_targets: Sequence[str] = ()
    remove_members: Sequence[tuple[str, str]] = ()  # (kind, text)
    replace_members: bool = False
    replace_targets: bool = False
    no_partner: bool = False
    no_budget: bool = False

    def empty(self) -> bool:
        """True when no option was given (an empty --description "" still counts)."""
        return all(
            value is None
            or value is False
            or (not isinstance(value, str | bool) and hasattr(value, "__len__") and not value)
            for value in (getattr(self, f.name) for f in fields(self))
        )


def _members_from(changes: Changes) -> list[Member]:
    out: list[Member] = []
    out += [parse_hashtag(h, ("hashtags", i)) for i, h in enumerate(changes.hashtags)]
    out += [parse_platform_id("post", p, ("posts", i)) for i, p in enumerate(changes.posts)]
    out += [parse_slot(s, ("slots", i)) for i, s in enumerate(changes.slots)]
    out += [
        parse_platform_id("ad_campaign", a, ("ad_campaigns", i))
        for i, a in enumerate(changes.ad_campaigns)
    ]
    return out


def _platforms_from(values: Iterable[str], where: Where) -> list[str]:
    chosen = {parse_platform(p, where) for p in values}
    return [p for p in registry.names() if p in chosen]


def new_spec(
    db: Database, name: str, changes: Changes, *, default_currency: str = DEFAULT_CURRENCY
) -> CampaignSpec:
    """The campaign `add` describes (parsed, not yet validated against the database)."""
    if changes.start is None or changes.end is None:
        raise FieldError(("start",), "a campaign needs --start and --end (YYYY-MM-DD)")
    return CampaignSpec(
        name=clean_name(name, ("name",)),
        start=parse_date_value(changes.start, ("start",), "the start"),
        end=parse_date_value(changes.end, ("end",), "the end"),
        platforms=_platforms_from(changes.platforms, ("platforms",)),
        partner=partner_name(db, changes.partner.strip()) if changes.partner else None,
        budget=parse_budget(changes.budget, ("budget",)) if changes.budget is not None else None,
        currency=parse_currency(changes.currency or default_currency, ("currency",)),
        description=(changes.description or "").strip(),
        members=_members_from(changes),
        targets=[parse_target(t, ("targets", i)) for i, t in enumerate(changes.targets)],
    )


def edited_spec(db: Database, old: CampaignSpec, changes: Changes) -> CampaignSpec:
    """The campaign after `edit`: scalars replaced, members and targets added or removed."""
    spec = replace(old, members=list(old.members), targets=list(old.targets))
    if changes.rename is not None:
        spec.name = clean_name(changes.rename, ("rename",))
    if changes.start is not None:
        spec.start = parse_date_value(changes.start, ("start",), "the start")
    if changes.end is not None:
        spec.end = parse_date_value(changes.end, ("end",), "the end")
    if changes.platforms:
        spec.platforms = _platforms_from(changes.platforms, ("platforms",))
    if changes.no_partner:
        spec.partner = None
    elif changes.partner is not None:
        spec.partner = partner_name(db, changes.partner.strip())
    if changes.no_budget:
        spec.budget = None
    elif changes.budget is not None:
        spec.budget = parse_budget(changes.budget, ("budget",))
    if changes.currency is not None:
        spec.currency = parse_currency(changes.currency, ("currency",))
    if changes.description is not None:
        spec.description = changes.description.strip()

    for i, (kind, text) in enumerate(changes.remove_members):
        where: Where = ("remove_" + kind, i)
        gone = _parse_member(kind, text, where)
        kept = [m for m in spec.members if m.key != gone.key]
        if len(kept) == len(spec.members):
            raise FieldError(
                where, f"{gone.text()} is not a {kind.replace('_', ' ')} of '{old.name}'"
            )
        spec.members = kept
    for i, text in enumerate(changes.remove_targets):
        where = ("remove_targets", i)
        scope = parse_scope(text, where)
        kept_targets = [t for t in spec.targets if t.scope != scope]
        if len(kept_targets) == len(spec.targets):
            have = ", ".join(t.scope_text() for t in spec.targets) or "none"
            raise FieldError(
                where, f"'{old.name}' has no target {':'.join(scope)} (its targets: {have})"
            )
        spec.targets = kept_targets

    added = _members_from(changes)
    if changes.replace_members:
        spec.members = added
    else:
        have_keys = {m.key for m in spec.members}
        spec.members += [m for m in added if m.key not in have_keys]
    new_targets = [parse_target(t, ("targets", i)) for i, t in enumerate(changes.targets)]
    if changes.replace_targets:
        spec.targets = new_targets
    else:
        given = {t.scope for t in new_targets}
        if len(given) < len(new_targets):
            seen: set[tuple[str, str, str]] = set()
            for t in new_targets:
                if t.scope in seen:
                    raise FieldError(t.where, f"target {t.scope_text()} is given twice; keep one")
                seen.add(t.scope)
        # A target for a scope that already has one replaces it, in place.
        by_scope = {t.scope: t for t in new_targets}
        spec.targets = [by_scope.pop(t.scope, t) for t in spec.targets] + list(by_scope.values())
    return spec


def _parse_member(kind: str, text: str, where: Where) -> Member:
    if kind == "hashtag":
        return parse_hashtag(text, where)
    if kind == "slot":
        return parse_slot(text, where)
    return parse_platform_id(kind, text, where)
