"""The [instagram] section of social.toml, and what Instagram reads from [facebook].

Decision: Instagram takes the Graph host, version and Page from [facebook].
The Instagram API with Facebook Login is the Facebook Graph API (same host,
same version scheme, same Page token), so [instagram] base_url and api_version
are empty by default and then mean "as in [facebook]": one place to move the
Graph version for both, and no sync running two versions with one token. Set
them only to point Instagram elsewhere (a sandbox, a proxy). The account is
found from [facebook] page_id (`GET /{page-id}?fields=instagram_business_account`)
unless ig_user_id names it, which saves that request.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from collectors.meta.settings import graph_version
from core.config import Config, Key, check_url

ACCOUNT_METRICS = ["reach", "follower_count", "views", "profile_views", "accounts_engaged"]
MEDIA_METRICS = ["views", "reach", "saved", "shares", "total_interactions", "likes", "comments"]
SECTION = "instagram"
GRAPH_SECTION = "facebook"  # base_url, api_version and page_id come from here


def _version(value: Any) -> str | None:
    return graph_version(value) if str(value).strip() else None


def _ig_user_id(value: Any) -> str | None:
    text = str(value).strip()
    return (
        None
        if not text or re.fullmatch(r"\d{5,20}", text)
        else "must be the account's id, 5 to 20 digits"
    )


KEYS: dict[str, Key] = {
    "enabled": Key(bool, False, "Collect Instagram (uses the [facebook] Page and its token)"),
    "ig_user_id": Key(
        str,
        "",
        "Instagram professional account id; empty: the one connected to [facebook] page_id",
        check=_ig_user_id,
    ),
    "base_url": Key(str, "", "Graph API host; empty: [facebook] base_url", check=check_url),
    "api_version": Key(str, "", "Graph API version; empty: [facebook] api_version", check=_version),
    "account_metrics": Key(
        list,
        ACCOUNT_METRICS,
        "Daily account insights (a metric Meta refuses is skipped with a warning)",
        item=str,
    ),
    "media_metrics": Key(list, MEDIA_METRICS, "Lifetime insights of each post and reel", item=str),
}


@dataclass(frozen=True)
class Settings:
    """What the Instagram collector needs from the config."""

    base_url: str
    api_version: str
    page_id: str
    ig_user_id: str
    account_metrics: tuple[str, ...]
    media_metrics: tuple[str, ...]

    @classmethod
    def from_config(cls, config: Config) -> Settings:
        def listed(key: str, default: list[str]) -> tuple[str, ...]:
            values = config.get(SECTION, key) or default
            return tuple(dict.fromkeys(str(v).strip() for v in values if str(v).strip()))

        def own(key: str) -> str:
            return str(config.get(SECTION, key)).strip()

        return cls(
            base_url=own("base_url") or str(config.get(GRAPH_SECTION, "base_url")),
            api_version=own("api_version") or str(config.get(GRAPH_SECTION, "api_version")),
            page_id=str(config.get(GRAPH_SECTION, "page_id")).strip(),
            ig_user_id=str(config.get(SECTION, "ig_user_id")).strip(),
            account_metrics=listed("account_metrics", ACCOUNT_METRICS),
            media_metrics=listed("media_metrics", MEDIA_METRICS),
        )
