"""Meta Business Suite video export (Facebook): recognised, and refused with the reason.

Its rows are video assets (`Video asset ID`, `Universal video ID`), not posts:
neither id is the post id the Graph API and the posts export use
('<page id>_<post id>'), so its numbers cannot be attached to the Page's
posts without counting a video twice. The posts export of the same period
carries the same views and reach per post.
"""

from __future__ import annotations

from collectors.importers.base import Context, Parsed, has_all, plural
from collectors.importers.readers import ImportFileError, Table

KIND = "meta_business_suite"
PLATFORM = "facebook"
# Detection order among every installed platform's export kinds (lower first).
PRIORITY = 20
VIDEO_KEYS = {"asset": ("Video asset ID",), "published": ("Publish time",)}
EXPECTED = "Meta Business Suite video export (Video asset ID, Universal video ID, ...)"


def matches(tables: list[Table]) -> bool:
    return any(has_all(t, VIDEO_KEYS) for t in tables)


def parse(tables: list[Table], ctx: Context) -> Parsed:
    videos = sum(len(t.rows) for t in tables if has_all(t, VIDEO_KEYS))
    raise ImportFileError(
        f"{ctx.file}: a Meta Business Suite video export ({plural(videos, 'video')}, one row per video "
        "asset); its video ids are not the posts' ids, so it is not imported: download the "
        "posts export (its first column is 'Post ID') for the same period instead."
    )
