""""Tôi không lưu thông tin nào của bạn" is true in the running production profile: once an intake is
over (sent, consent refused, "thôi"), Rasa's conversation store on PostgreSQL (the `events` table
of the tracker database) holds neither the name nor the phone the citizen typed, nor the
description; the case that was sent keeps its data (the case store is separate), and a second
request in the same conversation still works.

Runs with the fault tests (`make faults`) on their production system (tests/faults/conftest.py).
"""

from __future__ import annotations

import re
import secrets

import httpx
import sqlalchemy

from knowledge.case_code import CODE_PATTERN
from tests.faults.conftest import wait_for
from tests.faults.intake import Step, follow, intake_steps
from tests.harness.system import LocalSystem

GIVEN = ("Quach", "Luu", "Ong", "Thach", "Kieu", "Mac")
MIDDLE = ("Thi", "Van", "Ngoc", "Duc", "Kim")
LAST = ("Xuyen", "Khue", "Thoa", "Loan", "Uyen", "Tuyet")


def distinctive_name() -> str:
    pick = secrets.choice
    return f"{pick(GIVEN)} {pick(MIDDLE)} {pick(LAST)} {pick(LAST)}"


def tracker_events(system: LocalSystem, sender_id: str) -> list[str]:
    engine = sqlalchemy.create_engine(f"postgresql+psycopg2://postgres@127.0.0.1:5432/{system.tracker_db}")
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                sqlalchemy.text("select data from events where sender_id = :s order by id"), {"s": sender_id})
            return [row[0] for row in rows]
    finally:
        engine.dispose()


def holds(events: list[str], *typed: str) -> list[str]:
    """Which of *typed* the stored events still contain (a phone in any spacing or escaping)."""
    text = "\n".join(events)
    joined = re.sub(r"(?<=\d)[\s.\-]+(?=\d)", "", text)
    found = []
    for value in typed:
        digits = re.sub(r"\D", "", value)
        if len(digits) >= 8:
            if digits[-9:] in joined:
                found.append(value)
        elif value.lower() in text.lower():
            found.append(value)
    return found


def _steps(name: str, phone: str, description: str) -> list[Step]:
    steps = intake_steps(phone, description)
    assert steps[1].says == "nguyen van binh"
    steps[1] = Step(name.lower(), steps[1].expect)
    return steps


def test_a_sent_request_then_a_cancelled_one_leave_no_name_or_phone_in_the_tracker(system, citizen):
    sender = f"zalo:{citizen.user_id}"
    name = distinctive_name()
    phone = "09" + "".join(secrets.choice("0123456789") for _ in range(8))
    description = f"cong ty no luong toi ba thang {secrets.token_hex(3)}, toi can giup doi lai"
    steps = _steps(name, f"{phone[:4]} {phone[4:7]} {phone[7:]}", description)
    follow(citizen, steps)
    # the summary shows the citizen their own full phone; all of it is stored until the end
    assert phone in re.sub(r"\s", "", "\n".join(citizen.texts()[-3:]))
    assert holds(tracker_events(system, sender), name, phone, description) == [name, phone, description]

    reply = citizen.ask("gui", timeout=120)
    code = CODE_PATTERN.search(reply)
    assert code, reply
    assert holds(tracker_events(system, sender), name, phone, description) == []
    # the case keeps what was sent
    detail = httpx.get(f"{system.api_url}/api/v1/cases/{code.group(0)}",
                       headers={"Authorization": f"Bearer {system.admin_token}"}, timeout=30)
    assert detail.status_code == 200, detail.text
    assert detail.json()["full_name"] == name and detail.json()["phone"].endswith(phone[-4:])

    # a second request in the same conversation works, and "thôi" forgets it too
    second = distinctive_name()
    while second == name:
        second = distinctive_name()
    follow(citizen, [steps[0], Step(second.lower(), steps[1].expect)])
    assert holds(tracker_events(system, sender), second) == [second]
    reply = citizen.ask("thoi", timeout=120)
    assert "không lưu" in reply, reply
    assert holds(tracker_events(system, sender), name, second, phone, description) == []


def test_a_refused_consent_leaves_no_name_or_phone_in_the_tracker(system, citizen):
    sender = f"zalo:{citizen.user_id}"
    name = distinctive_name()
    phone = "03" + "".join(secrets.choice("0123456789") for _ in range(8))
    description = f"nguoi ta lua toi mat hai muoi trieu {secrets.token_hex(3)}"
    steps = _steps(name, phone, description)
    follow(citizen, steps[:-1])  # up to the consent question
    assert holds(tracker_events(system, sender), name, phone) == [name, phone]
    reply = citizen.ask("khong dong y", timeout=120)
    assert "không lưu" in reply, reply
    assert holds(tracker_events(system, sender), name, phone, description) == []
    # nothing about it waits in the Zalo inbox/outbox either, once answered and sent
    engine = sqlalchemy.create_engine(system.database_url)
    try:
        def texts() -> list[str]:
            with engine.connect() as connection:
                return [row[0] or "" for row in connection.execute(sqlalchemy.text(
                    "select text from zalo_inbox where user_id = :u union all "
                    "select text from zalo_outbox where user_id = :u"), {"u": citizen.user_id})]
        wait_for(lambda: holds(texts(), name, phone) == [], 60, "Zalo inbox/outbox texts cleared")
    finally:
        engine.dispose()
