"""Instagram's credentials: the Facebook Page token, and the check `social auth instagram` runs.

The Instagram API with Facebook Login needs no token of its own: the Page
token `social auth facebook` stores (or SOCIAL_FACEBOOK_ACCESS_TOKEN) reads
the professional account connected to that Page, provided the user who made
it granted instagram_basic and instagram_manage_insights. So this command
stores nothing: it finds the account, reads its profile once, and says what
to set or grant when something is missing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collectors.auth import TokenStore
    from core.config import Config

FACEBOOK_AUTH = "social auth facebook --user-token <token>"


@dataclass(frozen=True)
class Connection:
    """The Instagram account a Page token reaches."""

    ig_user_id: str
    username: str
    followers: int | None
    token_source: str  # 'env' or 'file'


def check(config: Config, tokens: TokenStore) -> Connection:
    """Find the account with the Facebook Page token and read its profile (two requests)."""
    from collectors.auth import access_token
    from collectors.base import BuildContext
    from collectors.errors import MissingCredentials
    from collectors.instagram.api import PLATFORM, InstagramApi
    from collectors.instagram.settings import Settings
    from collectors.meta.client import graph_client
    from collectors.meta.graph import PLATFORM as FACEBOOK
    from collectors.meta.graph import graph_prefix

    settings = Settings.from_config(config)
    if not settings.ig_user_id and not settings.page_id:
        raise MissingCredentials(
            f"{PLATFORM}: set page_id in the [facebook] section of social.toml (the Page the "
            f"Instagram account is connected to) and run '{FACEBOOK_AUTH}'"
        )
    token, source = access_token(FACEBOOK, tokens, renew=FACEBOOK_AUTH)
    ctx = BuildContext(config, tokens)
    client = graph_client(ctx, settings.base_url, "instagram", token, platform=PLATFORM)
    with client:
        api = InstagramApi(client, graph_prefix(settings.api_version))
        ig_user_id = settings.ig_user_id or api.account_id_of_page(settings.page_id)
        profile = api.account(ig_user_id)
    followers = profile.get("followers_count")
    return Connection(
        ig_user_id,
        str(profile.get("username") or ""),
        int(followers) if isinstance(followers, int | float) else None,
        source,
    )
