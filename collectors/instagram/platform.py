"""Instagram as a platform of social: the record the registry finds through its entry point.

Everything Instagram-specific lives in this package: the Graph requests
(api.py), the streams (collector.py), settings, catalogue, `social auth
instagram` (auth.py), the Meta Business Suite export readers (import_*.py),
the sandbox part and the demo data.
"""

from collectors.instagram.catalogue import METRICS
from collectors.instagram.settings import KEYS
from core.registry import Platform, Views

PLATFORM = Platform(
    name="instagram",
    display_name="Instagram",
    views=Views(concept="views"),
    config_keys=KEYS,
    metrics=METRICS,
    collector="collectors.instagram.collector:build",
    auth_command="collectors.instagram.cli:command",
    sandbox="collectors.instagram.sandbox:PART",
    importers="collectors.instagram.importers:KINDS",
    import_account_key="ig_user_id",
    order=40,
)
