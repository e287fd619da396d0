"""Campaigns: validate and save a campaign with its members and KPI targets; load TOML files.

A campaign is a name, a flight (start..end, local dates), the platforms it runs
on, what belongs to it (members: hashtags, post ids, calendar slots, the
platforms' ad campaign ids), an optional partner and budget, and KPI targets.
The vocabulary (KPI names, origins, platforms, member kinds) is the one the
campaign report (`social.reports.campaign`, `social.reports.kpi`) reads, so
every target saved here is one the report can evaluate.

Every write validates the whole campaign first and then saves it in one
transaction, so a bad value leaves the database as it was.
"""

from social.campaigns.editing import Changes, edited_spec, new_spec
from social.campaigns.model import (
    ALL,
    DEFAULT_CURRENCY,
    ORIGINS,
    PAID_ONLY,
    CampaignSpec,
    FieldError,
    Member,
    Target,
)
from social.campaigns.parsing import parse_number, parse_target
from social.campaigns.store import list_campaigns, load_campaign, remove, save
from social.campaigns.toml_import import ImportResult, TomlLines, import_file

__all__ = [
    "ALL",
    "DEFAULT_CURRENCY",
    "ORIGINS",
    "PAID_ONLY",
    "CampaignSpec",
    "Changes",
    "FieldError",
    "ImportResult",
    "Member",
    "Target",
    "TomlLines",
    "edited_spec",
    "import_file",
    "list_campaigns",
    "load_campaign",
    "new_spec",
    "parse_number",
    "parse_target",
    "remove",
    "save",
]
