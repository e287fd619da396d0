"""Declared sandbox routes: matching, shared hosts, platform-shaped errors, explicit state."""

from __future__ import annotations

from datetime import date

import httpx
import pytest

from collectors.facebook import sandbox as facebook
from collectors.sandbox.routes import Call, Host, Refusal, Route, answer, routes
from collectors.sandbox.state import SandboxState

TODAY = date(2026, 3, 2)


def _call(method: str, path: str) -> Call:
    request = httpx.Request(method, f"http://sbx/demo{path}")
    return Call(request, SandboxState(seed=1, today=TODAY), path)


def _host(**hooks: object) -> Host:
    return Host(
        prefix="demo",
        not_found=lambda call: httpx.Response(404, json={"missing": call.path}),
        not_allowed=lambda call: httpx.Response(405, json={"method": call.method}),
        **hooks,  # type: ignore[arg-type]
    )


def test_a_pattern_names_its_segments_and_matches_the_whole_path() -> None:
    route = Route("GET", "/{version}/act_{account}/insights", lambda call: None)
    assert route.match("/v25.0/act_42/insights") == {"version": "v25.0", "account": "42"}
    assert route.match("/v25.0/act_42/insights/extra") is None
    assert route.match("/v25.0/act_4/2/insights") is None  # a parameter is one segment


def test_the_first_route_that_answers_wins_and_none_passes_to_the_next_table() -> None:
    mine = routes(("GET", "/{id}", lambda call: None if call.args["id"] != "1" else _ok("one")))
    theirs = routes(("GET", "/{id}", lambda call: _ok(f"other {call.args['id']}")))
    assert answer(_host(), [mine, theirs], _call("GET", "/1")).json() == "one"
    assert answer(_host(), [mine, theirs], _call("GET", "/2")).json() == "other 2"


def test_an_unknown_path_and_a_wrong_method_answer_in_the_hosts_shape() -> None:
    table = routes(("GET", "/items", lambda call: _ok("items")))
    assert answer(_host(), [table], _call("GET", "/nothing")).json() == {"missing": "/nothing"}
    assert answer(_host(), [table], _call("DELETE", "/items")).json() == {"method": "DELETE"}


def test_a_guard_refuses_before_the_handler_and_a_refusal_becomes_the_answer() -> None:
    class Denied(Refusal):
        pass

    def guard(call: Call) -> httpx.Response | None:
        raise Denied(httpx.Response(403, json={"denied": True}))

    seen: list[str] = []

    def handler(call: Call) -> httpx.Response:
        seen.append("ran")
        return _ok("")

    table = routes(("GET", "/secret", handler), guard=guard)
    stamped = _host(after=lambda call, response: _stamp(response))
    response = answer(stamped, [table], _call("GET", "/secret"))
    assert response.status_code == 403 and seen == []
    assert response.headers["X-Stamp"] == "yes"  # the host's after hook sees errors too


def test_two_states_never_share_what_a_platform_remembers() -> None:
    """Report runs live in the state they were started on (no module-level memory)."""
    one, other = SandboxState(seed=7, today=TODAY), SandboxState(seed=7, today=TODAY)
    started = facebook.PART.handle(
        httpx.Request(
            "POST",
            f"http://sbx/facebook/v25.0/act_{facebook.AD_ACCOUNT_ID}/insights",
            headers={"Authorization": "Bearer sandbox-x"},
            data={"level": "campaign", "time_increment": "1"},
        ),
        one,
    )
    run = started.json()["report_run_id"]
    poll = httpx.Request(
        "GET", f"http://sbx/facebook/v25.0/{run}", headers={"Authorization": "Bearer sandbox-x"}
    )
    assert facebook.PART.handle(poll, one).json()["async_status"] == "Job Running"
    unknown = facebook.PART.handle(poll, other)
    assert unknown.status_code == 400 and unknown.json()["error"]["error_subcode"] == 33


@pytest.mark.parametrize("path", ["/facebook/v25.0/me/accounts", "/v25.0/me/accounts"])
def test_a_part_answers_alone_with_or_without_its_prefix(path: str) -> None:
    request = httpx.Request(
        "GET", f"http://sbx{path}", headers={"Authorization": "Bearer sandbox-x"}
    )
    response = facebook.PART.handle(request, SandboxState(seed=7, today=TODAY))
    assert response.json()["data"][0]["id"] == facebook.PAGE_ID
    assert "X-App-Usage" in response.headers


def _ok(body: object) -> httpx.Response:
    return httpx.Response(200, json=body)


def _stamp(response: httpx.Response) -> httpx.Response:
    response.headers["X-Stamp"] = "yes"
    return response
