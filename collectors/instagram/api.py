"""Instagram API with Facebook Login: the requests social makes and how it reads the answers.

What was verified against Meta's documentation (December 2026) and where:

- Professional (business or creator) accounts only, reached through the
  Facebook Page they are connected to, on graph.facebook.com with a Facebook
  token (the Page token social already keeps for Facebook); permissions
  instagram_basic, instagram_manage_insights, pages_read_engagement.
  https://developers.facebook.com/docs/instagram-platform/insights
- The account id: `GET /{page-id}?fields=instagram_business_account` answers
  `{"instagram_business_account": {"id": "1784..."}, "id": "<page-id>"}`
  (a recorded answer: https://qiita.com/te-k/items/fc148e1f0943a04537c1).
- Account insights, `GET /{ig-user-id}/insights?metric=...&period=day`
  https://developers.facebook.com/docs/instagram-platform/api-reference/instagram-user/insights
  `impressions` was deprecated in v22.0 and for all versions on 21 April 2025;
  `views` replaces it and is only given with `metric_type=total_value` (one
  number for since..until, so social asks one day at a time). `reach` is also
  given as `metric_type=time_series` (one value per day, stamped with the end
  of the day at UTC-07:00/-08:00: Meta's Pacific day, `graph.pacific_day`).
  `follower_count` and `online_followers` are not available for accounts
  with fewer than 100 followers; `follower_count` (new followers per day)
  returns at most the last 30 days
  (https://developers.facebook.com/docs/instagram-api/reference/ig-user/insights).
  A metric without data comes back as an empty list, not 0. Data may be 48 h late.
  `profile_views` was listed as deprecated for v21.0 (January 2025) on the
  older reference page but is still requested by current clients (2026,
  brightbeanxyz/brightbean-studio#76): social asks for it, and drops it with a
  warning if Meta refuses it.
- Media listing: `GET /{ig-user-id}/media?fields=id,caption,media_type,
  media_product_type,permalink,timestamp`, newest first, cursor paging
  (`paging.cursors.after`, no `paging.next` on the last page).
- Media insights, `GET /{ig-media-id}/insights?metric=...` (lifetime values)
  https://developers.facebook.com/docs/instagram-platform/reference/instagram-media/insights
  `views` exists for FEED, STORY and REELS; deprecated in v22.0 and for all
  versions on 21 April 2025: `plays`, `clips_replays_count`,
  `ig_reels_aggregated_all_plays_count`, `impressions` (for media created
  after 1 July 2024); `video_views` is deprecated too. The counts are organic
  only (interactions on ads are not counted); data is kept for 2 years;
  media inside an album has no insights; story insights live 24 hours
  (stories are not collected: they are not in `/media`).
- How Meta refuses a metric (error code 100, seen in the wild):
  `(#100) Starting from version 22 and above, the impressions metric is no
  longer supported ...` (gitroomhq/postiz-app#622),
  `(#100) metric[0] must be one of the following values: reach, ...`
  (brightbeanxyz/brightbean-studio#76),
  `(#100) The Media Insights API does not support the views metric for this
  media product type.` (airbytehq/airbyte#62902),
  `(#100) The metric shares is not supported for this media type`
  (exileum/meta-mcp#174). `refused_metrics` reads all of these.

Not verified (no source found in the time available): the largest since..until
span of a time_series request (social asks 30 days at a time, the span Meta's
error messages have named for years), and whether `follower_count` answers an
account under 100 followers with an error or with no data (both are handled).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from collectors.errors import ApiError, UnexpectedPayload
from collectors.http import ApiClient
from collectors.meta.graph import next_page, number, pacific_day, pacific_midnight
from collectors.paging import CursorGuard

PLATFORM = "instagram"
MEDIA_FIELDS = "id,caption,media_type,media_product_type,permalink,timestamp"
ACCOUNT_FIELDS = "id,username,name,followers_count,media_count"
MEDIA_PER_PAGE = 50
SERIES_DAYS = 30  # days per time_series request
HISTORY_DAYS = 730  # insights are kept for two years
FOLLOWER_DAYS = 30  # follower_count gives the last 30 days only
TOTALS_DAYS = 30  # days of total_value metrics a first sync asks for (a request per day)
MIN_FOLLOWERS = 100  # follower_count is not given below this many followers
# Account metrics Meta gives per day (metric_type=time_series); the others only as total_value.
SERIES_METRICS = frozenset({"reach", "follower_count"})
INVALID_METRIC_CODE = 100
# Metrics Meta retired, and what replaced them (shown when a configured one is refused).
RETIRED = {
    "impressions": "views",
    "plays": "views",
    "video_views": "views",
    "clips_replays_count": "views",
    "ig_reels_aggregated_all_plays_count": "views",
    "email_contacts": "profile_links_taps",
    "phone_call_clicks": "profile_links_taps",
    "text_message_clicks": "profile_links_taps",
    "get_directions_clicks": "profile_links_taps",
    "website_clicks": "profile_links_taps",
}


def refused_metrics(error: ApiError, asked: list[str]) -> list[str]:
    """The metrics of `asked` that a code-100 refusal names; [] when it names none.

    A list of allowed values ("must be one of the following values: a, b")
    refuses every asked metric not in it; otherwise any asked metric named in
    the message ("the impressions metric", "The metric shares is not ...").
    """
    if error.code != INVALID_METRIC_CODE:
        return []
    message = str(error)
    allowed = re.search(r"must be one of the following values:\s*(.+)", message)
    if allowed:
        values = {v.strip(" .'\"") for v in allowed.group(1).split(",")}
        return [m for m in asked if m not in values]
    words = set(re.findall(r"[a-z0-9_]+", message))
    return [m for m in asked if m in words]


class InstagramApi:
    """The Graph requests of one Instagram professional account."""

    def __init__(self, client: ApiClient, prefix: str) -> None:
        self.client = client
        self.prefix = prefix

    def _get(self, path: str, endpoint: str, params: dict[str, str]) -> dict[str, Any]:
        body = self.client.request("GET", f"{self.prefix}/{path}", endpoint=endpoint, params=params)
        if not isinstance(body, dict):
            raise UnexpectedPayload(f"{PLATFORM}: {endpoint} answered without a JSON object")
        return body

    def account_id_of_page(self, page_id: str) -> str:
        """The Instagram professional account connected to a Facebook Page."""
        body = self._get(page_id, "page", {"fields": "instagram_business_account"})
        linked = body.get("instagram_business_account")
        if not isinstance(linked, dict) or not linked.get("id"):
            raise UnexpectedPayload(
                f"{PLATFORM}: the Facebook Page {page_id} has no Instagram professional account "
                "connected; connect it in the Page's settings (Linked accounts) or set "
                "ig_user_id in the [instagram] section of social.toml"
            )
        return str(linked["id"])

    def account(self, ig_user_id: str) -> dict[str, Any]:
        """The account's id, username, name and followers_count."""
        return self._get(ig_user_id, "ig_user", {"fields": ACCOUNT_FIELDS})

    def _insights(
        self, ig_user_id: str, metrics: list[str], first: date, last: date, metric_type: str
    ) -> list[dict[str, Any]]:
        """The metric entries of one account insights request over Pacific days first..last."""
        # until is the midnight after the last day: 23 or 25 hours later on DST days.
        window = {
            "since": pacific_midnight(first),
            "until": pacific_midnight(last + timedelta(days=1)),
        }
        query = {"metric": ",".join(metrics), "period": "day", "metric_type": metric_type}
        body = self._get(
            f"{ig_user_id}/insights",
            "ig_user/insights",
            query | {k: str(v) for k, v in window.items()},
        )
        return _entries(body)

    def series(
        self, ig_user_id: str, metrics: list[str], first: date, last: date
    ) -> dict[str, dict[date, float]]:
        """Daily values (metric_type=time_series) per metric over first..last (Pacific days)."""
        out: dict[str, dict[date, float]] = {}
        for entry in self._insights(ig_user_id, metrics, first, last, "time_series"):
            for item in entry.get("values") or []:
                value = number(item.get("value")) if isinstance(item, dict) else None
                if value is None or "end_time" not in item:
                    continue
                day = pacific_day(str(item["end_time"]))
                if first <= day <= last:
                    out.setdefault(str(entry["name"]), {})[day] = value
        return out

    def day_totals(self, ig_user_id: str, metrics: list[str], day: date) -> dict[str, float]:
        """One day's value per metric (metric_type=total_value over that Pacific day)."""
        out: dict[str, float] = {}
        for entry in self._insights(ig_user_id, metrics, day, day, "total_value"):
            total = entry.get("total_value")
            value = number(total.get("value")) if isinstance(total, dict) else None
            if value is not None:
                out[str(entry["name"])] = value
        return out

    def media(self, ig_user_id: str) -> Iterator[tuple[list[dict[str, Any]], bool]]:
        """Pages of media rows, newest first, each with True on the last page."""
        params = {"fields": MEDIA_FIELDS, "limit": str(MEDIA_PER_PAGE)}
        guard = CursorGuard(PLATFORM, "media")
        while True:
            body = self._get(f"{ig_user_id}/media", "ig_user/media", params)
            rows = [r for r in body.get("data") or [] if isinstance(r, dict) and r.get("id")]
            following = next_page(body)
            yield rows, following is None
            if following is None:
                return
            key, query = following
            guard.advance(key)
            params = {**params, **query}

    def media_insights(self, media_id: str, metrics: list[str]) -> dict[str, float]:
        """Lifetime value per metric of one media object (a metric without data is left out)."""
        body = self._get(f"{media_id}/insights", "ig_media/insights", {"metric": ",".join(metrics)})
        out: dict[str, float] = {}
        for entry in _entries(body):
            values = entry.get("values") or []
            total = entry.get("total_value")
            raw = total.get("value") if isinstance(total, dict) else None
            if raw is None and values and isinstance(values[-1], dict):
                raw = values[-1].get("value")
            value = number(raw)
            if value is not None:
                out[str(entry["name"])] = value
        return out


def _entries(body: dict[str, Any]) -> list[dict[str, Any]]:
    return [e for e in body.get("data") or [] if isinstance(e, dict) and e.get("name")]
