"""The metric catalogue: what every stored platform metric means.

For each (platform, metric) it says which common concept it measures, whether
values add up across days/posts/ads (rule 1), and its Norwegian and English
labels. Reports use `concept` to line platforms up and `additive` to refuse
summing unique counts without saying so.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MetricInfo:
    """One platform metric."""

    platform: str
    metric: str
    concept: str
    additive: bool
    nb: str
    en: str
    meaning: str
    unit: str = "count"  # count | currency | ratio | percent | seconds

    def label(self, lang: str) -> str:
        """The label in the report language."""
        return self.nb if lang == "nb" else self.en


def _m(
    platform: str,
    metric: str,
    concept: str,
    additive: bool,
    nb: str,
    en: str,
    meaning: str,
    unit: str = "count",
) -> MetricInfo:
    return MetricInfo(platform, metric, concept, additive, nb, en, meaning, unit)


_ENTRIES: list[MetricInfo] = [
    # TikTok Display API v2 (lifetime-to-date per video, organic + any paid views)
    _m(
        "tiktok",
        "view_count",
        "views",
        True,
        "Visninger",
        "Views",
        "Lifetime video views to date (Display API); daily views come from snapshot differences.",
    ),
    _m("tiktok", "like_count", "likes", True, "Likerklikk", "Likes", "Lifetime likes to date."),
    _m(
        "tiktok",
        "comment_count",
        "comments",
        True,
        "Kommentarer",
        "Comments",
        "Lifetime comments to date.",
    ),
    _m("tiktok", "share_count", "shares", True, "Delinger", "Shares", "Lifetime shares to date."),
    _m(
        "tiktok",
        "follower_count",
        "followers",
        False,
        "Følgere",
        "Followers",
        "Followers at the moment of collection (a level, not a flow).",
    ),
    _m(
        "tiktok",
        "likes_count",
        "account_likes",
        False,
        "Likerklikk totalt",
        "Total likes",
        "All likes the account has received, at collection time.",
    ),
    _m("tiktok", "video_count", "videos", False, "Videoer", "Videos", "Videos on the account."),
    # TikTok business account (organic)
    _m("tiktok", "video_views", "views", True, "Visninger", "Views", "Video views in the window."),
    _m(
        "tiktok",
        "unique_video_views",
        "reach",
        False,
        "Unike seere",
        "Unique viewers",
        "People who watched at least one video in the window; not additive across days.",
    ),
    _m(
        "tiktok",
        "reach",
        "reach",
        False,
        "Rekkevidde",
        "Reach",
        "Unique accounts reached (per video or per campaign window); never summed.",
    ),
    _m(
        "tiktok",
        "profile_views",
        "profile_views",
        True,
        "Profilbesøk",
        "Profile views",
        "Visits to the profile in the window.",
    ),
    _m("tiktok", "likes", "likes", True, "Likerklikk", "Likes", "Likes in the window."),
    _m(
        "tiktok", "comments", "comments", True, "Kommentarer", "Comments", "Comments in the window."
    ),
    _m("tiktok", "shares", "shares", True, "Delinger", "Shares", "Shares in the window."),
    _m(
        "tiktok",
        "daily_new_followers",
        "follower_gain",
        True,
        "Nye følgere",
        "New followers",
        "Followers gained that day.",
    ),
    _m(
        "tiktok",
        "daily_total_followers",
        "follower_net_change",
        True,
        "Netto endring i følgere",
        "Net follower change",
        "Followers gained minus followers lost that day (TikTok's 'daily net growth'); "
        "a change, not a level: the level is followers_count.",
    ),
    _m(
        "tiktok",
        "followers_count",
        "followers",
        False,
        "Følgere",
        "Followers",
        "Followers at the end of the day (business account, /business/get/ per day): a level.",
    ),
    _m(
        "tiktok",
        "daily_lost_followers",
        "follower_loss",
        True,
        "Tapte følgere",
        "Followers lost",
        "Followers lost that day.",
    ),
    _m(
        "tiktok",
        "average_time_watched",
        "avg_watch_time",
        False,
        "Snitt sett-tid",
        "Average watch time",
        "Average seconds watched per view.",
        "seconds",
    ),
    _m(
        "tiktok",
        "full_video_watched_rate",
        "completion_rate",
        False,
        "Fullføringsrate",
        "Completion rate",
        "Share of views that watched to the end.",
        "ratio",
    ),
    _m(
        "tiktok",
        "total_time_watched",
        "watch_time_total",
        True,
        "Total sett-tid",
        "Total watch time",
        "Seconds all viewers spent watching the video, lifetime to date (business account).",
        "seconds",
    ),
    # TikTok business video breakdowns (table post_breakdowns; value = fraction of views)
    _m(
        "tiktok",
        "impression_source",
        "impression_source",
        False,
        "Hvor visningene kom fra",
        "Where the views came from",
        "Share of a video's views by where they came from (For You, Search, Follow, "
        "Personal Profile, Hashtag, Sound, Direct Message); API field impression_sources.",
        "ratio",
    ),
    _m(
        "tiktok",
        "audience_type",
        "audience_type",
        False,
        "Seertyper",
        "Viewer types",
        "Share of viewers who were new or returning (NEW_VIEWER, RETURN_VIEWER) and, as a "
        "separate split, followers or not (FOLLOWER_PERCENT, NON_FOLLOWER_PERCENT); "
        "API field audience_types.",
        "ratio",
    ),
    _m(
        "tiktok",
        "retention",
        "retention",
        False,
        "Seere som fortsatt ser",
        "Viewers still watching",
        "Share of viewers still watching at each second of the video (key = the second); "
        "API field video_view_retention.",
        "ratio",
    ),
    # TikTok Marketing API (paid)
    _m(
        "tiktok",
        "spend",
        "spend",
        True,
        "Kostnad",
        "Spend",
        "Ad spend in the account currency.",
        "currency",
    ),
    _m(
        "tiktok",
        "impressions",
        "impressions",
        True,
        "Visninger av annonser",
        "Impressions",
        "Times an ad was shown.",
    ),
    _m("tiktok", "clicks", "clicks", True, "Klikk", "Clicks", "Clicks on the ad (destination)."),
    _m(
        "tiktok",
        "frequency",
        "frequency",
        False,
        "Frekvens",
        "Frequency",
        "Impressions per person reached.",
        "ratio",
    ),
    _m(
        "tiktok",
        "ctr",
        "ctr",
        False,
        "Klikkrate",
        "CTR",
        "Clicks per impression, percent.",
        "percent",
    ),
    _m("tiktok", "cpc", "cpc", False, "Kostnad per klikk", "CPC", "Spend per click.", "currency"),
    _m(
        "tiktok",
        "cpm",
        "cpm",
        False,
        "Kostnad per 1000 visninger",
        "CPM",
        "Spend per 1,000 impressions.",
        "currency",
    ),
    _m(
        "tiktok",
        "video_play_actions",
        "views",
        True,
        "Videoavspillinger",
        "Video plays",
        "Paid video plays.",
    ),
    _m(
        "tiktok",
        "video_watched_2s",
        "views_2s",
        True,
        "Sett i 2 s",
        "2-second views",
        "Paid plays watched at least 2 seconds.",
    ),
    _m(
        "tiktok",
        "video_watched_6s",
        "views_6s",
        True,
        "Sett i 6 s",
        "6-second views",
        "Paid plays watched at least 6 seconds.",
    ),
    _m(
        "tiktok",
        "profile_visits",
        "profile_views",
        True,
        "Profilbesøk",
        "Profile visits",
        "Profile visits from ads.",
    ),
    _m("tiktok", "follows", "follower_gain", True, "Nye følgere", "Follows", "Follows from ads."),
    # LinkedIn organic (Community Management API)
    _m(
        "linkedin",
        "impressionCount",
        "impressions",
        True,
        "Visninger",
        "Impressions",
        "Times posts were shown (organic).",
    ),
    _m(
        "linkedin",
        "uniqueImpressionsCount",
        "reach",
        False,
        "Unike visninger",
        "Unique impressions",
        "Members who saw the posts; not additive across days or posts.",
    ),
    _m(
        "linkedin",
        "clickCount",
        "clicks",
        True,
        "Klikk",
        "Clicks",
        "Clicks on content, name or logo.",
    ),
    _m("linkedin", "likeCount", "likes", True, "Reaksjoner", "Reactions", "Reactions."),
    _m("linkedin", "commentCount", "comments", True, "Kommentarer", "Comments", "Comments."),
    _m("linkedin", "shareCount", "shares", True, "Delinger", "Reposts", "Reposts."),
    _m(
        "linkedin",
        "engagement",
        "engagement_rate",
        False,
        "Engasjementsrate",
        "Engagement rate",
        "(clicks + reactions + comments + reposts) / impressions.",
        "ratio",
    ),
    _m(
        "linkedin",
        "organicFollowerGain",
        "follower_gain",
        True,
        "Nye følgere (organisk)",
        "Follower gain (organic)",
        "Organic new followers.",
    ),
    _m(
        "linkedin",
        "paidFollowerGain",
        "follower_gain",
        True,
        "Nye følgere (betalt)",
        "Follower gain (paid)",
        "New followers from sponsored content.",
    ),
    _m(
        "linkedin",
        "firstDegreeSize",
        "followers",
        False,
        "Følgere",
        "Followers",
        "Followers of the page at collection time.",
    ),
    # LinkedIn Marketing API (paid)
    _m(
        "linkedin",
        "impressions",
        "impressions",
        True,
        "Visninger",
        "Impressions",
        "Ad impressions.",
    ),
    _m("linkedin", "clicks", "clicks", True, "Klikk", "Clicks", "Ad clicks."),
    _m(
        "linkedin",
        "costInLocalCurrency",
        "spend",
        True,
        "Kostnad",
        "Spend",
        "Spend in the account currency.",
        "currency",
    ),
    _m("linkedin", "videoViews", "views", True, "Videovisninger", "Video views", "Video views."),
    _m("linkedin", "likes", "likes", True, "Reaksjoner", "Reactions", "Reactions on ads."),
    _m("linkedin", "comments", "comments", True, "Kommentarer", "Comments", "Comments on ads."),
    _m("linkedin", "shares", "shares", True, "Delinger", "Reposts", "Reposts of ads."),
    _m("linkedin", "follows", "follower_gain", True, "Nye følgere", "Follows", "Follows from ads."),
    _m(
        "linkedin",
        "landingPageClicks",
        "link_clicks",
        True,
        "Klikk til nettsiden",
        "Landing-page clicks",
        "Clicks to the landing page.",
    ),
    _m(
        "linkedin",
        "approximateMemberReach",
        "reach",
        False,
        "Rekkevidde (ca.)",
        "Approximate member reach",
        "Estimated unique members reached in the window (max 92 days).",
    ),
    _m(
        "linkedin",
        "costInUsd",
        "spend_usd",
        True,
        "Kostnad (USD)",
        "Spend (USD)",
        "Spend converted to US dollars by LinkedIn.",
        "currency",
    ),
    _m(
        "linkedin",
        "videoStarts",
        "video_starts",
        True,
        "Videostarter",
        "Video starts",
        "Sponsored videos that started playing.",
    ),
    _m(
        "linkedin",
        "videoFirstQuartileCompletions",
        "views_25pct",
        True,
        "Sett 25 %",
        "Watched 25 %",
        "Sponsored video plays that reached a quarter of the video.",
    ),
    _m(
        "linkedin",
        "videoMidpointCompletions",
        "views_50pct",
        True,
        "Sett 50 %",
        "Watched 50 %",
        "Sponsored video plays that reached the middle of the video.",
    ),
    _m(
        "linkedin",
        "videoThirdQuartileCompletions",
        "views_75pct",
        True,
        "Sett 75 %",
        "Watched 75 %",
        "Sponsored video plays that reached three quarters of the video.",
    ),
    _m(
        "linkedin",
        "videoCompletions",
        "completions",
        True,
        "Sett til slutt",
        "Completions",
        "Sponsored video plays watched to the end.",
    ),
    _m(
        "linkedin",
        "companyPageClicks",
        "profile_views",
        True,
        "Klikk til bedriftssiden",
        "Company page clicks",
        "Clicks from ads to the organisation's LinkedIn page.",
    ),
    _m(
        "linkedin",
        "totalEngagements",
        "engagements",
        True,
        "Engasjement",
        "Engagements",
        "All clicks, reactions, comments, shares and follows on ads.",
    ),
    _m(
        "linkedin",
        "otherEngagements",
        "other_engagements",
        True,
        "Annet engasjement",
        "Other engagements",
        "Engagements on ads not counted as clicks, reactions, comments, shares or follows.",
    ),
    _m(
        "linkedin",
        "oneClickLeads",
        "leads",
        True,
        "Leads (skjema)",
        "Leads",
        "Lead-gen form submissions.",
    ),
    _m(
        "linkedin",
        "externalWebsiteConversions",
        "conversions",
        True,
        "Konverteringer",
        "Conversions",
        "Conversions on the website tracked by the Insight Tag.",
    ),
    _m(
        "linkedin",
        "viralImpressions",
        "viral_impressions",
        True,
        "Visninger via deling",
        "Viral impressions",
        "Impressions of members' reshares of the ads (organic spread of paid content).",
    ),
    # Facebook Page insights (organic; views split by is_from_ads)
    _m(
        "facebook",
        "page_media_view",
        "views",
        True,
        "Visninger",
        "Views",
        "Times the Page's content was viewed (replaces page_impressions).",
    ),
    _m(
        "facebook",
        "page_total_media_view_unique",
        "reach",
        False,
        "Seere",
        "Viewers",
        "Unique people who viewed the Page's content; no organic/paid split; not additive.",
    ),
    _m(
        "facebook",
        "page_post_engagements",
        "engagements",
        True,
        "Engasjement",
        "Engagements",
        "Reactions, comments, shares and clicks on posts.",
    ),
    _m(
        "facebook",
        "page_daily_follows",
        "follower_gain",
        True,
        "Nye følgere",
        "New follows",
        "New follows that day.",
    ),
    _m(
        "facebook",
        "page_follows",
        "followers",
        False,
        "Følgere",
        "Followers",
        "Followers of the Page.",
    ),
    _m("facebook", "post_media_view", "views", True, "Visninger", "Views", "Views of a post."),
    _m(
        "facebook",
        "post_total_media_view_unique",
        "reach",
        False,
        "Seere",
        "Viewers",
        "Unique viewers of a post; not additive.",
    ),
    _m(
        "facebook",
        "post_reactions",
        "likes",
        True,
        "Reaksjoner",
        "Reactions",
        "Reactions on a post.",
    ),
    _m(
        "facebook",
        "post_comments",
        "comments",
        True,
        "Kommentarer",
        "Comments",
        "Comments on a post.",
    ),
    _m("facebook", "post_shares", "shares", True, "Delinger", "Shares", "Shares of a post."),
    _m("facebook", "post_clicks", "clicks", True, "Klikk", "Clicks", "Clicks on a post."),
    # Facebook Marketing API (paid)
    _m(
        "facebook",
        "impressions",
        "impressions",
        True,
        "Visninger",
        "Impressions",
        "Ad impressions.",
    ),
    _m(
        "facebook",
        "reach",
        "reach",
        False,
        "Rekkevidde",
        "Reach",
        "Unique people reached in the window; not additive across days or campaigns.",
    ),
    _m(
        "facebook",
        "frequency",
        "frequency",
        False,
        "Frekvens",
        "Frequency",
        "Impressions per person reached.",
        "ratio",
    ),
    _m("facebook", "clicks", "clicks", True, "Klikk", "Clicks", "All clicks."),
    _m(
        "facebook",
        "link_click",
        "link_clicks",
        True,
        "Lenkeklikk",
        "Link clicks",
        "Clicks to the website (action link_click).",
    ),
    _m(
        "facebook",
        "spend",
        "spend",
        True,
        "Kostnad",
        "Spend",
        "Spend in the account currency.",
        "currency",
    ),
    _m(
        "facebook",
        "cpm",
        "cpm",
        False,
        "Kostnad per 1000 visninger",
        "CPM",
        "Spend per 1,000 impressions.",
        "currency",
    ),
    _m(
        "facebook",
        "ctr",
        "ctr",
        False,
        "Klikkrate",
        "CTR",
        "Clicks per impression, percent.",
        "percent",
    ),
]

CATALOGUE: dict[tuple[str, str], MetricInfo] = {(e.platform, e.metric): e for e in _ENTRIES}

# Names of the common concepts, for labels that span platforms.
CONCEPTS: dict[str, tuple[str, str]] = {
    "views": ("Visninger", "Views"),
    "reach": ("Rekkevidde", "Reach"),
    "impressions": ("Visninger av annonser", "Impressions"),
    "clicks": ("Klikk", "Clicks"),
    "link_clicks": ("Klikk til nettsiden", "Link clicks"),
    "likes": ("Likerklikk/reaksjoner", "Likes/reactions"),
    "comments": ("Kommentarer", "Comments"),
    "shares": ("Delinger", "Shares"),
    "engagements": ("Engasjement", "Engagements"),
    "engagement_rate": ("Engasjementsrate", "Engagement rate"),
    "followers": ("Følgere", "Followers"),
    "follower_gain": ("Nye følgere", "Followers gained"),
    "spend": ("Kostnad", "Spend"),
    "profile_views": ("Profilbesøk", "Profile views"),
    "follower_net_change": ("Netto endring i følgere", "Net follower change"),
    "follower_loss": ("Tapte følgere", "Followers lost"),
    "watch_time_total": ("Total sett-tid", "Total watch time"),
    "impression_source": ("Hvor visningene kom fra", "Where the views came from"),
    "audience_type": ("Seertyper", "Viewer types"),
    "retention": ("Seere som fortsatt ser", "Viewers still watching"),
}

# Labels of the keys TikTok uses in a video's breakdowns (post_breakdowns.dimension, key).
BREAKDOWN_KEYS: dict[tuple[str, str], tuple[str, str]] = {
    ("impression_source", "For You"): ("For deg", "For You"),
    ("impression_source", "Follow"): ("Følger-feeden", "Following"),
    ("impression_source", "Search"): ("Søk", "Search"),
    ("impression_source", "Personal Profile"): ("Profilen", "Profile"),
    ("impression_source", "Hashtag"): ("Emneknagger", "Hashtags"),
    ("impression_source", "Sound"): ("Lyd", "Sound"),
    ("impression_source", "Direct Message"): ("Direktemeldinger", "Direct messages"),
    ("audience_type", "NEW_VIEWER"): ("Nye seere", "New viewers"),
    ("audience_type", "RETURN_VIEWER"): ("Tilbakevendende seere", "Returning viewers"),
    ("audience_type", "FOLLOWER_PERCENT"): ("Følgere", "Followers"),
    ("audience_type", "NON_FOLLOWER_PERCENT"): ("Ikke-følgere", "Non-followers"),
}

ADDITIVE_CONCEPTS = frozenset(
    {
        "views",
        "impressions",
        "clicks",
        "link_clicks",
        "likes",
        "comments",
        "shares",
        "engagements",
        "follower_gain",
        "spend",
        "profile_views",
        "views_2s",
        "views_6s",
        "spend_usd",
        "video_starts",
        "views_25pct",
        "views_50pct",
        "views_75pct",
        "completions",
        "other_engagements",
        "leads",
        "conversions",
        "viral_impressions",
        "follower_net_change",
        "follower_loss",
        "watch_time_total",
    }
)


def info(platform: str, metric: str) -> MetricInfo:
    """Catalogue entry of a platform metric; KeyError names an unknown one."""
    try:
        return CATALOGUE[(platform, metric)]
    except KeyError:
        raise KeyError(f"metric {metric!r} of {platform} is not in the catalogue") from None


def is_additive(platform: str, metric: str) -> bool:
    """Whether values of this metric may be summed across windows, posts or ads."""
    return info(platform, metric).additive


def metrics_for(concept: str, platform: str | None = None) -> list[MetricInfo]:
    """All platform metrics that measure a concept (optionally for one platform)."""
    return [
        e for e in _ENTRIES if e.concept == concept and (platform is None or e.platform == platform)
    ]


def concept_label(concept: str, lang: str) -> str:
    """Label of a cross-platform concept in the report language."""
    nb, en = CONCEPTS.get(concept, (concept, concept))
    return nb if lang == "nb" else en


def breakdown_label(dimension: str, key: str, lang: str) -> str:
    """Label of one key of a post breakdown (e.g. 'Search' -> 'Søk'); unknown keys as they are."""
    labels = BREAKDOWN_KEYS.get((dimension, key))
    if labels is None:
        return key
    return labels[0] if lang == "nb" else labels[1]
