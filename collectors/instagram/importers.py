"""The Meta Business Suite export kinds Instagram reads (the registry's `importers`)."""

from collectors.instagram import import_daily, import_posts

KINDS = (import_posts, import_daily)
