"""What the system says it did for a Zalo user (its inbox/outbox tables) against what arrived."""

from __future__ import annotations

from collections import Counter

from tests.faults.conftest import query
from tests.harness.system import LocalSystem
from tests.harness.zalo import Citizen


def assert_each_message_answered_once(system: LocalSystem, citizen: Citizen, turns: int) -> None:
    """Every message the citizen sent was answered (inbox row done, with at least one reply), every
    reply was delivered, and nothing reached the citizen twice."""
    user = citizen.user_id
    inbox = query(system, "select id, status from zalo_inbox where user_id = :u order by id", u=user)
    assert len(inbox) == turns, inbox
    assert all(status == "done" for _, status in inbox), inbox
    outbox = query(system, "select inbox_id, status from zalo_outbox where user_id = :u", u=citizen.user_id)
    per_turn = Counter(inbox_id for inbox_id, _ in outbox)
    assert all(per_turn[inbox_id] >= 1 for inbox_id, _ in inbox), (inbox, outbox)
    assert all(status == "sent" for _, status in outbox), outbox
    delivered = citizen.texts()
    assert len(delivered) == len(outbox), (delivered, outbox)  # a re-sent row would arrive twice
