"""Sandbox parts come from the registry: a new platform joins the sandbox and the demo alone."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from datetime import date

import httpx
import pytest
from sqlite_utils import Database

from collectors.facebook import sandbox as facebook
from collectors.sandbox import Sandbox, host_table, sandbox_parts
from collectors.sandbox.graph import GRAPH, ok, token_guard
from collectors.sandbox.part import DemoPlan, Mount, SandboxPart
from collectors.sandbox.routes import Call, Host, routes
from core import registry
from core.errors import ConfigError
from db.seed import seed_demo
from social.demo import demo_config, sandbox_ids

TODAY = date(2026, 3, 2)
STORY_ACCOUNT = "5550001"


def _stories(call: Call) -> httpx.Response | None:
    if call.args["account"] != STORY_ACCOUNT:
        return None  # not ours: another part on the Graph host may know the id
    return ok({"data": [{"id": f"{STORY_ACCOUNT}_1"}]})


# A platform that talks to the Graph host, as a second Meta platform would.
STORIES = SandboxPart(
    platform="stories",
    mounts=(
        Mount(GRAPH, routes(("GET", "/{version}/{account}/stories", _stories), guard=token_guard)),
    ),
    accounts={"account_id": STORY_ACCOUNT},
    settings={"app_id": "sandbox-stories-app"},
    demo=DemoPlan(ad_campaigns=("990001",), targets=(("reach", "paid", 1000),)),
)


@pytest.fixture
def stories_platform() -> Iterator[None]:
    registry.register(
        registry.Platform(
            name="stories", display_name="Stories", sandbox="tests.test_sandbox_parts:STORIES"
        )
    )
    yield
    registry._extra.pop("stories")
    registry._installed.cache_clear()


def _get(sandbox: Sandbox, path: str) -> httpx.Response:
    headers = {"Authorization": "Bearer sandbox-x"}
    return sandbox.handle(httpx.Request("GET", f"http://sbx{path}", headers=headers))


def test_two_platforms_share_the_graph_host_and_each_answers_for_its_ids(
    stories_platform: None,
) -> None:
    sandbox = Sandbox(seed=7, today=TODAY)
    assert [p.platform for p in sandbox.parts][-1] == "stories"
    assert _get(sandbox, f"/facebook/v25.0/{STORY_ACCOUNT}/stories").json()["data"]
    page = _get(sandbox, f"/facebook/v25.0/{facebook.PAGE_ID}").json()
    assert page["id"] == facebook.PAGE_ID
    unknown = _get(sandbox, "/facebook/v25.0/123/stories")
    assert unknown.status_code == 400 and unknown.json()["error"]["error_subcode"] == 33
    old = _get(sandbox, f"/facebook/v19.0/{STORY_ACCOUNT}/stories")  # Graph-wide rules hold
    assert old.json()["error"]["code"] == 2635


def test_the_demo_config_ids_and_plan_include_a_registered_platform(
    stories_platform: None,
) -> None:
    text = demo_config("http://127.0.0.1:8765", sandbox_ids(), "en")
    section = tomllib.loads(text)["stories"]
    assert section == {
        "enabled": True,
        "base_url": "http://127.0.0.1:8765/facebook",
        "account_id": STORY_ACCOUNT,
        "app_id": "sandbox-stories-app",
    }
    assert sandbox_ids()["stories"] == {"account_id": STORY_ACCOUNT}


def test_every_installed_platform_has_a_part_with_its_hosts_in_the_demo_config() -> None:
    parsed = tomllib.loads(demo_config("http://127.0.0.1:9", sandbox_ids(), "nb"))
    for part in sandbox_parts():
        section = parsed[part.platform]
        for mount in part.mounts:
            assert section[mount.config_key].startswith(f"http://127.0.0.1:9/{mount.host.prefix}")
        assert {k: section[k] for k in part.accounts} == dict(part.accounts)


def test_parts_on_one_prefix_must_mount_the_same_host() -> None:
    other = Host(prefix=GRAPH.prefix, not_found=lambda call: httpx.Response(404))
    rival = SandboxPart(platform="rival", mounts=(Mount(other, ()),))
    with pytest.raises(ConfigError, match="already served by another host"):
        host_table((facebook.PART, rival))


def test_the_demo_campaign_groups_each_platforms_ad_campaigns_and_targets(
    fresh_db: Database,
) -> None:
    plans = {"stories": STORIES.demo, "other": DemoPlan(ad_campaigns=("770001", "770002"))}
    lines = seed_demo(fresh_db, today=TODAY, zone="Europe/Oslo", plans=plans)
    members = fresh_db.execute(
        "SELECT value, platform FROM campaign_members WHERE kind = 'ad_campaign' ORDER BY value"
    ).fetchall()
    assert members == [("770001", "other"), ("770002", "other"), ("990001", "stories")]
    reach = fresh_db.execute(
        "SELECT target FROM kpi_targets WHERE kpi = 'reach' AND platform = 'stories'"
    ).fetchone()
    assert reach == (1000,)
    # No platform plans its videos here: no calendar slots, no brief.
    assert fresh_db.execute("SELECT COUNT(*) FROM calendar_slots").fetchone()[0] == 0
    assert "0 calendar slots" in lines[0] and "0 briefs" in lines[0]
