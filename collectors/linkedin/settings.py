"""The [linkedin] section of social.toml: LinkedIn's keys, their defaults, ranges and help."""

from __future__ import annotations

import re
from typing import Any

from core.config import MAX_ID, Key, check_url


def _yyyymm(value: Any) -> str | None:
    text = str(value)
    if re.fullmatch(r"20\d{2}(0[1-9]|1[0-2])", text):
        return None
    return "must be a LinkedIn version YYYYMM such as 202610"


# In the order `social init` writes them.
KEYS: dict[str, Key] = {
    "enabled": Key(bool, False, "Collect LinkedIn"),
    "base_url": Key(str, "https://api.linkedin.com", "API host", check=check_url),
    "version": Key(
        str,
        "202610",
        "LinkedIn-Version header (YYYYMM); versions retire after a year",
        check=_yyyymm,
    ),
    "client_id": Key(
        str, "", "App client id (the secret comes from SOCIAL_LINKEDIN_CLIENT_SECRET)"
    ),
    "organization_id": Key(str, "", "Company page (numeric id of urn:li:organization)"),
    "ad_account_ids": Key(
        list, [], "Sponsored accounts for paid stats", item=(str, int), low=0, high=MAX_ID
    ),
    "ads_client_id": Key(
        str,
        "",
        "Client id of the second app, the one with the Advertising API (the secret comes "
        "from SOCIAL_LINKEDIN_ADS_CLIENT_SECRET); client_id is the page app's",
    ),
}
