"""The action server is down in the middle of an intake: the bot apologises, keeps the message,
and once the action server is back the intake goes on from where it was and ends in one case."""

from __future__ import annotations

import secrets
import time

from tests.faults.conftest import CODE, case_codes_for_phone
from tests.faults.intake import follow, intake_steps


def test_action_server_down_the_bot_apologises_and_the_intake_completes_when_it_returns(system, citizen):
    description = f"bi no tien cong {secrets.token_hex(3)} thang, chu khong tra"
    phone = "0987 654 " + str(secrets.randbelow(900) + 100)
    steps = intake_steps(phone, description)
    follow(citizen, steps[:2])  # the phone number is asked now
    system.kill("actions")

    apology = citizen.ask(steps[2].says, timeout=60)  # the phone number, while the actions are down
    assert "Xin lỗi" in apology, apology
    time.sleep(5)
    assert len(citizen.texts()) == citizen.seen, "the bot answered while the action server was down"

    system.start("actions")
    resumed = "\n".join(citizen.wait_replies(timeout=180))  # the kept message is handled now
    assert steps[2].expect in resumed, resumed  # "tỉnh": the phone number was taken
    follow(citizen, steps[3:])
    code = CODE.search(citizen.ask("gui", timeout=120))
    assert code, citizen.texts()[-3:]
    assert case_codes_for_phone(system, phone) == [code.group(0)]
