"""Who may do what in the web app: every permission is decided here and nowhere else.

Roles: the communications team (`role = communications` in `social team`) sees and
changes everything; a student sees the team's calendar, adds slots, changes the
slots they own, claims unowned ones and sees their own page; a partner link sees
only that partner's briefs and reports. Partner contacts and inactive members
cannot sign in at all (see db.web_sessions).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Final

COMMUNICATIONS: Final = "communications"
STUDENT: Final = "student"
PARTNER: Final = "partner"

# Pages and actions only the communications team has.
LEAD_ONLY: Final = frozenset(
    {
        "overview",
        "posts",
        "campaigns",
        "campaigns.edit",
        "partners",
        "partners.edit",
        "briefs",
        "briefs.edit",
        "team",
        "team.edit",
        "reports",
        "slot.assign",
    }
)
# Pages every signed-in team member has.
MEMBER: Final = frozenset({"calendar", "slot.create", "me"})


@dataclass(frozen=True)
class Actor:
    """Who a request is from: a team member, or a partner through its read-only link."""

    kind: str  # "member" | "partner"
    id: int  # team member id or partner id
    name: str
    role: str  # communications | student | partner
    language: str
    csrf: str

    @property
    def is_lead(self) -> bool:
        return self.role == COMMUNICATIONS

    @property
    def is_member(self) -> bool:
        return self.kind == "member"


def allowed(
    actor: Actor | None,
    action: str,
    *,
    owners: Collection[int] | None = None,
    partner_id: int | None = None,
) -> bool:
    """Whether the actor may do `action` (on a slot with these owners, or on this partner)."""
    if actor is None:
        return False
    if actor.kind == "partner":
        return action == "partner.home" or (action == "partner.view" and partner_id == actor.id)
    if actor.role == COMMUNICATIONS:
        return True
    if actor.role != STUDENT:
        return False
    if action in MEMBER:
        return True
    if action == "slot.edit":
        return owners is not None and actor.id in owners
    if action == "slot.claim":
        return owners is not None and not owners
    return False


def home(actor: Actor) -> str:
    """Where a signed-in actor lands."""
    if actor.kind == "partner":
        return "/partner"
    return "/" if actor.is_lead else "/calendar"
