"""case_status_form: reading the code and the digits, the lookup against a fake api, through Action.run."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.clients.api_client import LegalAidApiClient
from actions.status_actions import (
    ActionCheckCaseStatus,
    ActionReadStatusRequest,
    ValidateCaseStatusForm,
    find_code,
    find_last4,
)

NEUTRAL = "Không tìm thấy hồ sơ khớp với mã hồ sơ và 4 số cuối số điện thoại bạn nhập."


def tracker(text: str = "", slots: dict | None = None, requested: str | None = None, events=None) -> Tracker:
    return Tracker(
        sender_id="web-2", slots={"requested_slot": requested, **(slots or {})},
        latest_message={"text": text, "intent": {"name": "check_case_status"}},
        events=events or [], paused=False, followup_action=None,
        active_loop={"name": "case_status_form"} if requested else {}, latest_action_name="action_listen",
    )


def run(action, trk: Tracker):
    dispatcher = CollectingDispatcher()
    domain = {"forms": {"case_status_form": {"required_slots": ["status_case_code", "status_phone_last4"]}}}
    events = asyncio.run(action.run(dispatcher, trk, domain))
    return dispatcher, {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


@pytest.mark.parametrize(("text", "code", "last4"), [
    ("TGPL-2026-K7QM4X 5678", "TGPL-2026-K7QM4X", "5678"),
    ("tra cuu ho so tgpl 2026 k7qm4x, 4 so cuoi 5678", "TGPL-2026-K7QM4X", "5678"),
    ("ma ho so TGPL2026-HXR3PW so cuoi la 0912 345 678", "TGPL-2026-HXR3PW", "5678"),
    ("TGPL-2026-000042 5678", "TGPL-2026-000042", "5678"),
    ("tra cuu ho so tgpl 2026 42, 4 so cuoi 5678", "TGPL-2026-000042", "5678"),
    ("ma ho so TGPL-2026-000042", "TGPL-2026-000042", None),
    ("ho so cua toi den dau roi", None, None),
])
def test_code_and_digits_from_the_first_message(text, code, last4):
    _, slots = run(ActionReadStatusRequest(), tracker(text))
    assert slots == {"status_case_code": code, "status_phone_last4": last4}


def test_helpers():
    assert find_code("tgpl-2026-7")[0] == "TGPL-2026-000007"
    assert find_code("2026-K7QM4X")[0] == "TGPL-2026-K7QM4X"
    assert find_last4("so cua toi 0912 345 678") == "5678"
    assert find_last4("12") is None


def test_the_action_server_parses_codes_with_the_api_s_module():
    """One source of truth for the code format: knowledge.case_code, which the api re-exports."""
    from knowledge import case_code

    for _ in range(200):
        code = case_code.new_code(2026)
        text = f"tra cứu {code.lower()} 1234"
        assert find_code(text) == case_code.find_code(text) and find_code(text)[0] == code


def _validate(slot: str, text: str):
    events = [{"event": "action", "name": "action_listen"}, {"event": "user", "text": text},
              {"event": "slot", "name": slot, "value": text}]
    trk = tracker(text, {slot: text}, requested=slot, events=events)
    dispatcher, slots = run(ValidateCaseStatusForm(), trk)
    return dispatcher, {k: v for k, v in slots.items() if k != "requested_slot"}


def test_form_validation_reads_code_and_digits_or_asks_again():
    assert _validate("status_case_code", "TGPL-2026-000042 5678")[1] == {
        "status_case_code": "TGPL-2026-000042", "status_phone_last4": "5678"}
    assert _validate("status_case_code", "tgpl-2026-k7qm4x")[1] == {"status_case_code": "TGPL-2026-K7QM4X"}
    dispatcher, slots = _validate("status_case_code", "khong nho")
    assert slots == {"status_case_code": None} and "TGPL-2026-K7QM4X" in dispatcher.messages[0]["text"]
    dispatcher, slots = _validate("status_case_code", "TGPL-2026-K7QM0X")  # 0 is never in a code
    assert slots == {"status_case_code": None} and "chưa đúng dạng" in dispatcher.messages[0]["text"]
    assert _validate("status_phone_last4", "5678")[1] == {"status_phone_last4": "5678"}
    assert _validate("status_phone_last4", "abc")[1] == {"status_phone_last4": None}


def _lookup(handler):
    client = LegalAidApiClient(base_url="http://api", transport=httpx.MockTransport(handler))
    slots = {"status_case_code": "TGPL-2026-000042", "status_phone_last4": "5678"}
    return run(ActionCheckCaseStatus(client), tracker(slots=slots))


def test_status_is_told_in_plain_vietnamese():
    seen = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append((request.url.path, json.loads(request.content)))
        return httpx.Response(200, json={
            "found": True, "code": "TGPL-2026-000042", "status": "accepted", "status_label": "Đã thụ lý",
            "message": "Hồ sơ TGPL-2026-000042: Đã thụ lý. Trung tâm đã nhận giải quyết."})

    dispatcher, slots = _lookup(handler)
    assert seen == [("/api/v1/cases/status", {"code": "TGPL-2026-000042", "phone_last4": "5678"})]
    assert dispatcher.messages[0]["text"].startswith("Hồ sơ TGPL-2026-000042: Đã thụ lý")
    assert slots == {"status_case_code": None, "status_phone_last4": None}


def test_wrong_pair_gets_the_neutral_answer():
    dispatcher, _ = _lookup(lambda r: httpx.Response(200, json={"found": False, "message": NEUTRAL}))
    assert dispatcher.messages[0]["text"] == NEUTRAL


def test_api_down_apologises():
    def handler(request):
        raise httpx.ConnectError("refused", request=request)

    dispatcher, _ = _lookup(handler)
    assert dispatcher.messages[0]["text"].startswith("Xin lỗi")


def test_a_locked_code_gets_the_api_s_try_later_answer():
    locked = "Mã hồ sơ này đã bị nhập sai nhiều lần nên tạm thời bị khóa tra cứu. Bạn thử lại sau 15 phút."
    answer = {"found": False, "locked": True, "message": locked}
    dispatcher, slots = _lookup(lambda r: httpx.Response(200, json=answer))
    assert dispatcher.messages[0]["text"] == locked
    assert slots == {"status_case_code": None, "status_phone_last4": None}
