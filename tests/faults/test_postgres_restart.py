"""PostgreSQL restarts in the middle of an intake (it holds Rasa's conversations, the Zalo
inbox/outbox and the cases): the conversation resumes where it was, and exactly one case exists
in the end, the one whose code the citizen was given."""

from __future__ import annotations

import secrets

import pytest

from tests.faults.conftest import CODE, case_codes_for_phone, postgres
from tests.faults.intake import follow, intake_steps


def _finish(citizen, reply: str) -> str:  # type: ignore[no-untyped-def]
    """The case code from the confirmation's answer; if the submit failed, 'Gửi lại' until it works."""
    for _ in range(5):
        found = CODE.search(reply)
        if found:
            return found.group(0)
        assert "Gửi lại" in reply or "chưa gửi được" in reply, reply
        reply = citizen.ask("gui lai", timeout=180)
    raise AssertionError(f"no case code after 5 retries: {reply}")


@pytest.mark.parametrize("moment", ["between_turns", "during_submit"])
def test_postgres_restart_during_intake_loses_and_duplicates_no_case(system, citizen, moment):
    description = f"hang xom lan dat nha toi {secrets.token_hex(3)}, xay tuong rao sang 2 met"
    phone = "0912 345 " + str(secrets.randbelow(900) + 100)
    steps = intake_steps(phone, description)
    if moment == "between_turns":
        follow(citizen, steps[:4])
        postgres("restart")
        follow(citizen, steps[4:], timeout=180)
        reply = citizen.ask("gui", timeout=180)
    else:
        follow(citizen, steps)
        citizen.say("gui")
        postgres("restart")  # while the worker, Rasa and the action server handle the submit
        reply = "\n".join(citizen.wait_replies(timeout=180))
    code = _finish(citizen, reply)

    assert case_codes_for_phone(system, phone) == [code]
    # and a second 'gửi lại' after success gives the same code, nothing new
    assert code in citizen.ask("gui lai", timeout=120)
    assert case_codes_for_phone(system, phone) == [code]
