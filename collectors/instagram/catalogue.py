"""Instagram's metrics: what each stored metric means, in the API's own names.

Account metrics come per day (`/{ig-user-id}/insights`), media metrics as
lifetime values per post or reel (`/{ig-media-id}/insights`); Meta Business
Suite exports are stored under the same names, so an imported day and a
synced day are the same metric. `reach` and `accounts_engaged` count unique
accounts: they never add up across days or posts.
"""

from __future__ import annotations

from core.catalogue import MetricInfo

PLATFORM = "instagram"

METRICS: tuple[MetricInfo, ...] = (
    MetricInfo(
        platform=PLATFORM,
        metric="views",
        concept="views",
        additive=True,
        nb="Visninger",
        en="Views",
        meaning=(
            "Times posts, reels and stories were shown (per day for the account, lifetime "
            "per post); replaced impressions and plays in April 2025."
        ),
    ),
    MetricInfo(
        platform=PLATFORM,
        metric="reach",
        concept="reach",
        additive=False,
        nb="Kontoer nådd",
        en="Accounts reached",
        meaning="Unique accounts that saw the content at least once; never summed.",
    ),
    MetricInfo(
        platform=PLATFORM,
        metric="follower_count",
        concept="follower_gain",
        additive=True,
        nb="Nye følgere",
        en="New followers",
        meaning="Accounts that started following per day (Meta gives the last 30 days only).",
    ),
    MetricInfo(
        platform=PLATFORM,
        metric="followers_count",
        concept="followers",
        additive=False,
        nb="Følgere",
        en="Followers",
        meaning="Followers at the moment of collection (a level, not a flow).",
    ),
    MetricInfo(
        platform=PLATFORM,
        metric="profile_views",
        concept="profile_views",
        additive=True,
        nb="Profilbesøk",
        en="Profile visits",
        meaning="Times the profile was visited.",
    ),
    MetricInfo(
        platform=PLATFORM,
        metric="accounts_engaged",
        concept="engaged_accounts",
        additive=False,
        nb="Kontoer som engasjerte seg",
        en="Accounts engaged",
        meaning="Unique accounts that interacted with the content; never summed.",
    ),
    MetricInfo(
        platform=PLATFORM,
        metric="total_interactions",
        concept="engagements",
        additive=True,
        nb="Interaksjoner",
        en="Interactions",
        meaning="Likes, comments, saves, shares and replies, net of those taken back.",
    ),
    MetricInfo(
        platform=PLATFORM,
        metric="website_clicks",
        concept="link_clicks",
        additive=True,
        nb="Lenkeklikk",
        en="Link clicks",
        meaning="Taps on the profile's link (from exports; the API retired it in 2025).",
    ),
    MetricInfo(
        platform=PLATFORM,
        metric="likes",
        concept="likes",
        additive=True,
        nb="Likerklikk",
        en="Likes",
        meaning="Likes of a post or reel (organic).",
    ),
    MetricInfo(
        platform=PLATFORM,
        metric="comments",
        concept="comments",
        additive=True,
        nb="Kommentarer",
        en="Comments",
        meaning="Comments on a post or reel (organic).",
    ),
    MetricInfo(
        platform=PLATFORM,
        metric="shares",
        concept="shares",
        additive=True,
        nb="Delinger",
        en="Shares",
        meaning="Times a post or reel was shared.",
    ),
    MetricInfo(
        platform=PLATFORM,
        metric="saved",
        concept="saves",
        additive=True,
        nb="Lagringer",
        en="Saves",
        meaning="Times a post or reel was saved.",
    ),
    MetricInfo(
        platform=PLATFORM,
        metric="follows",
        concept="follower_gain",
        additive=True,
        nb="Nye følgere fra innlegget",
        en="Follows from the post",
        meaning="Accounts that started following from a post or reel (from exports).",
    ),
)
