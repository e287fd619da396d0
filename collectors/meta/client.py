"""One Graph API client for every Meta platform (Facebook Pages, Marketing API, Instagram).

Facebook and Instagram talk to the same host with the same kind of token, so
they share the retries, the usage-header throttle and the error classification
of `collectors.meta.graph`. `platform` only changes whose name error messages
and errors carry: an Instagram sync says "instagram: ..." even though the
token it failed with is the Facebook Page token.
"""

from __future__ import annotations

import time
from typing import Any

import httpx

from collectors.auth import credential
from collectors.base import BuildContext
from collectors.errors import ApiError
from collectors.http import ApiClient, Classifier
from collectors.meta.graph import PLATFORM, UsageLimiter, classify_graph
from collectors.ratelimit import UsageThrottle


def relabel(classify: Classifier, platform: str) -> Classifier:
    """The same classification, with errors said to come from `platform`."""
    if platform == PLATFORM:
        return classify

    def classify_as(response: httpx.Response, body: Any) -> ApiError | None:
        error = classify(response, body)
        if error is not None:
            error.platform = platform
            text = str(error)
            if text.startswith(f"{PLATFORM}: "):
                error.args = (f"{platform}: {text.removeprefix(f'{PLATFORM}: ')}",)
        return error

    return classify_as


def graph_client(
    ctx: BuildContext,
    base_url: str,
    product: str,
    token: str,
    *,
    platform: str = PLATFORM,
) -> ApiClient:
    """An ApiClient for one Graph product ('pages', 'ads', 'instagram') with its own throttle.

    The token travels in the Authorization header; it and the app secret are
    redacted from every message.
    """
    config = ctx.config
    sleep = ctx.sleep or time.sleep
    throttle = UsageThrottle(sleep=sleep)
    return ApiClient(
        platform,
        base_url,
        classify=relabel(classify_graph(product, throttle), platform),
        headers={"Authorization": f"Bearer {token}"},
        timeout=float(config.get("sync", "timeout_seconds")),
        max_retries=int(config.get("sync", "max_retries")),
        limiter=UsageLimiter(throttle, sleep=sleep),
        transport=ctx.transport,
        sleep=sleep,
        secrets=[token, credential(PLATFORM, "app_secret") or ""],
    )
