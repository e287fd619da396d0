"""`social auth instagram`: the Facebook Page token is checked, nothing new is stored."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import respx
from click.testing import CliRunner

from collectors.instagram.cli import command
from social.cli.common import Workspace
from tests.facebook_support import GRAPH, PAGE, PAGE_TOKEN, V, graph_error
from tests.instagram_support import IG_USER, ok, write_config


@pytest.fixture
def graph() -> Iterator[respx.MockRouter]:
    with respx.mock(base_url=GRAPH, assert_all_called=False) as router:
        router.get(f"{V}/{PAGE}", name="page").mock(
            return_value=ok({"instagram_business_account": {"id": IG_USER}, "id": PAGE})
        )
        router.get(f"{V}/{IG_USER}", name="user").mock(
            return_value=ok({"id": IG_USER, "username": "stemutdanning", "followers_count": 64})
        )
        yield router


def run(folder: Path) -> tuple[int, str]:
    result = CliRunner().invoke(command, [], obj=Workspace(str(folder / "social.toml")))
    return result.exit_code, result.output


def test_the_page_token_reaches_the_account_and_nothing_is_stored(
    graph: respx.MockRouter, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOCIAL_FACEBOOK_ACCESS_TOKEN", PAGE_TOKEN)
    write_config(tmp_path)
    code, output = run(tmp_path)
    assert code == 0, output
    assert "SOCIAL_FACEBOOK_ACCESS_TOKEN" in output and "@stemutdanning" in output
    assert f'ig_user_id = "{IG_USER}"' in output
    assert "64 followers" in output and "follower_count" in output
    assert graph.routes["page"].calls[0].request.headers["Authorization"] == f"Bearer {PAGE_TOKEN}"
    assert not (tmp_path / ".social-tokens.json").exists()


def test_without_a_page_token_it_points_to_social_auth_facebook(
    graph: respx.MockRouter, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOCIAL_FACEBOOK_ACCESS_TOKEN", raising=False)
    write_config(tmp_path)
    code, output = run(tmp_path)
    assert code == 1 and "social auth facebook --user-token" in output
    assert not graph.routes["page"].called


def test_a_token_without_instagram_permissions_names_them(
    graph: respx.MockRouter, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOCIAL_FACEBOOK_ACCESS_TOKEN", PAGE_TOKEN)
    graph.routes["user"].mock(
        return_value=graph_error(10, "(#10) Application does not have permission for this action")
    )
    write_config(tmp_path)
    code, output = run(tmp_path)
    assert code == 1 and output.count("\n") == 1
    assert output.startswith("Error: instagram: permission missing")
    assert "instagram_basic" in output and "instagram_manage_insights" in output
    assert PAGE_TOKEN not in output
