"""legal_aid_request_form: validation, the submit against a fake api (httpx.MockTransport), Action.run."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.clients.api_client import LegalAidApiClient
from actions.intake_actions import (
    INTAKE_SLOTS,
    ActionAskIntakeConfirm,
    ActionIntakeStart,
    ActionSubmitLegalAidRequest,
    ValidateLegalAidRequestForm,
    clean_name,
    idempotency_key,
    parse_group,
    parse_topic,
    parse_yes_no,
)
from knowledge.rules.places import match_province, normalize_phone

FORM = "legal_aid_request_form"
FILLED = {
    "intake_full_name": "Nguyen Van An",
    "intake_phone": "0912345678",
    "intake_province": "Lào Cai",
    "intake_commune": "xa Tan Lap",
    "intake_group": "khoan_2_ho_ngheo",
    "intake_topic": "dat_dai",
    "intake_description": "nha hang xom lan sang dat nha toi 2 met",
    "intake_consent": True,
    "intake_confirm": True,
    "intake_nonce": "nonce-1",
}


def tracker(slots: dict[str, Any], text: str = "", *, sender: str = "web-1", requested: str | None = None,
            events: list | None = None) -> Tracker:
    return Tracker(
        sender_id=sender,
        slots={"requested_slot": requested, **slots},
        latest_message={"text": text, "intent": {"name": "inform"}},
        events=events or [], paused=False, followup_action=None,
        active_loop={"name": FORM} if requested else {}, latest_action_name="action_listen",
    )


def run(action, trk: Tracker) -> tuple[CollectingDispatcher, list[dict]]:
    dispatcher = CollectingDispatcher()
    domain = {"forms": {FORM: {"required_slots": list(INTAKE_SLOTS)}}}
    events = asyncio.run(action.run(dispatcher, trk, domain))
    return dispatcher, events


def slot_events(events: list[dict]) -> dict[str, Any]:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def validate(slot: str, text: str, slots: dict | None = None) -> tuple[CollectingDispatcher, dict]:
    """Run the form validation action as Rasa does after action_extract_slots filled *slot*."""
    filled = dict(slots or {})
    events = [{"event": "action", "name": "action_listen"}, {"event": "user", "text": text},
              {"event": "slot", "name": slot, "value": text}]
    trk = tracker({**filled, slot: text}, text, requested=slot, events=events)
    dispatcher, out = run(ValidateLegalAidRequestForm(), trk)
    return dispatcher, {k: v for k, v in slot_events(out).items() if k != "requested_slot"}


# --- pure helpers -----------------------------------------------------------------------------

@pytest.mark.parametrize("raw", ["0912345678", "0912 345 678", "0912.345.678", "+84912345678",
                                 "+84 912 345 678", "84912345678", "so e la 0987.654.321 a"])
def test_phone_forms_accepted(raw):
    assert normalize_phone(raw) in {"0912345678", "0987654321"}


@pytest.mark.parametrize("raw", ["12345", "091234567", "09123456789", "0112345678", "abc", ""])
def test_bad_phones_refused(raw):
    assert normalize_phone(raw) is None


@pytest.mark.parametrize(("text", "name"), [
    ("ha noi", "Hà Nội"), ("HN", "Hà Nội"), ("hcm", "Thành phố Hồ Chí Minh"),
    ("sài gòn", "Thành phố Hồ Chí Minh"), ("tp hcm", "Thành phố Hồ Chí Minh"),
    ("tinh dak lak", "Đắk Lắk"), ("o lao cai a", "Lào Cai"), ("quang nam", "Đà Nẵng"),
    ("can tho", "Cần Thơ"), ("thua thien hue", "Huế"),
])
def test_province_without_diacritics_and_short_names(text, name):
    assert match_province(text) == name


def test_names_groups_topics_yes_no():
    assert clean_name("toi ten la nguyen van an") == "Nguyen Van An"
    assert clean_name("Lò Thị Mai") == "Lò Thị Mai"
    assert clean_name("0912345678") is None
    assert parse_group("Hộ nghèo") == "khoan_2_ho_ngheo"
    assert parse_group("nguoi khuyet tat") == "khoan_7d_nguoi_khuyet_tat"
    assert parse_group("Không rõ") == "khong_ro"
    assert parse_group("nha toi ho can ngheo") == "ho_can_ngheo"
    assert parse_group("Nạn nhân mua bán người") == "khoan_6a_nan_nhan_mua_ban_nguoi"  # from 01/7/2025
    assert parse_group("chi toi bi mua ban nguoi") == "khoan_6a_nan_nhan_mua_ban_nguoi"
    assert parse_topic("dat dai") == "dat_dai"  # a code of knowledge.vocabulary TOPICS
    assert parse_topic("Hôn nhân gia đình") == "hon_nhan_gia_dinh"
    assert parse_topic("chuyen vay muon tien") == "dan_su" and parse_topic("xyz") is None
    assert parse_yes_no("Đồng ý") is True and parse_yes_no("dong y") is True
    assert parse_yes_no("Không đồng ý") is False and parse_yes_no("ko dong y") is False
    assert parse_yes_no("hmm") is None


# --- form validation --------------------------------------------------------------------------

def test_bad_phone_is_asked_again_kindly():
    dispatcher, slots = validate("intake_phone", "12345")
    assert slots == {"intake_phone": None}
    assert "chưa đúng" in dispatcher.messages[0]["text"]


def test_phone_with_dots_is_normalised():
    _, slots = validate("intake_phone", "+84 912.345.678")
    assert slots == {"intake_phone": "0912345678"}


def test_province_matched_or_asked_again():
    assert validate("intake_province", "sai gon")[1] == {"intake_province": "Thành phố Hồ Chí Minh"}
    dispatcher, slots = validate("intake_province", "atlantis")
    assert slots == {"intake_province": None} and "34 tỉnh" in dispatcher.messages[0]["text"]


def test_consent_yes_no_and_unclear():
    assert validate("intake_consent", "Đồng ý")[1] == {"intake_consent": True}
    assert validate("intake_consent", "khong dong y")[1] == {"intake_consent": False}
    dispatcher, slots = validate("intake_consent", "de toi nghi da")
    assert slots == {"intake_consent": None} and dispatcher.messages[0]["buttons"]


def test_no_consent_ends_the_form_without_confirmation():
    form = ValidateLegalAidRequestForm()
    trk = tracker({**FILLED, "intake_consent": False, "intake_confirm": None}, requested="intake_consent")
    slots = asyncio.run(form.required_slots(list(INTAKE_SLOTS), CollectingDispatcher(), trk, {}))
    assert slots[-1] == "intake_consent"
    before = {k: v for k, v in FILLED.items() if k not in ("intake_consent", "intake_confirm")}
    events = [{"event": "action", "name": "action_listen"}, {"event": "user", "text": "Không đồng ý"},
              {"event": "slot", "name": "intake_consent", "value": "Không đồng ý"}]
    trk = tracker({**before, "intake_consent": "Không đồng ý"}, "Không đồng ý", requested="intake_consent",
                  events=events)
    _, out = run(ValidateLegalAidRequestForm(), trk)
    assert slot_events(out) == {"intake_consent": False, "requested_slot": None}


def test_confirmation_send_and_corrections():
    for text in ["Gửi", "gui", "gui di", "gui lai"]:
        assert validate("intake_confirm", text, FILLED)[1] == {"intake_confirm": True}
    for text, slot in [("Sửa tỉnh", "intake_province"), ("sua so dien thoai", "intake_phone"),
                       ("Sửa họ tên", "intake_full_name"), ("Sửa nội dung", "intake_description")]:
        assert validate("intake_confirm", text, FILLED)[1] == {"intake_confirm": None, slot: None}
    dispatcher, slots = validate("intake_confirm", "abc", FILLED)
    assert slots == {"intake_confirm": None} and dispatcher.messages


def test_confirmation_shows_the_full_phone_to_its_owner_and_logs_nothing(caplog):
    caplog.set_level("DEBUG")
    dispatcher, _ = run(ActionAskIntakeConfirm(), tracker(FILLED))
    message = dispatcher.messages[0]
    assert "0912345678" in message["text"] and "Nguyen Van An" in message["text"]
    assert "0912345678" not in caplog.text and "Nguyen Van An" not in caplog.text
    assert "Lào Cai" in message["text"] and "Khoản 2" in message["text"]
    titles = [b["title"] for b in message["buttons"]]
    assert titles[:4] == ["Gửi", "Sửa họ tên", "Sửa số điện thoại", "Sửa tỉnh"]


def test_start_sets_a_nonce_and_reuses_the_screening_group():
    screened = {"eligibility_facts": {"elderly": True, "near_poor_household": True}}
    _, events = run(ActionIntakeStart(), tracker(screened))
    slots = slot_events(events)
    assert slots["intake_nonce"] and slots["intake_group"] == "khoan_7c_nguoi_cao_tuoi"
    _, events = run(ActionIntakeStart(), tracker({}))
    assert "intake_group" not in {k for k, v in slot_events(events).items() if v is not None}


# --- submit -----------------------------------------------------------------------------------

class FakeApi:
    def __init__(self, fail: int = 0) -> None:
        self.fail = fail
        self.requests: list[httpx.Request] = []
        self.codes: dict[str, str] = {}

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.fail:
            self.fail -= 1
            raise httpx.ConnectError("refused", request=request)
        key = request.headers["Idempotency-Key"]
        created = key not in self.codes
        if created:
            self.codes[key] = f"TGPL-2026-{len(self.codes) + 1:06d}"
        code = self.codes[key]
        return httpx.Response(201 if created else 200, json={
            "code": code, "status": "new", "status_label": "Mới", "created": created, "message": "ok"})


def submit(api: FakeApi, slots: dict, sender: str = "web-1") -> tuple[CollectingDispatcher, list[dict]]:
    client = LegalAidApiClient(base_url="http://api", transport=httpx.MockTransport(api), token="tok-123")
    return run(ActionSubmitLegalAidRequest(client), tracker(slots, sender=sender))


def test_submit_sends_the_case_with_bearer_token_and_tells_the_code():
    api = FakeApi()
    dispatcher, events = submit(api, FILLED)
    request = api.requests[0]
    assert request.method == "POST" and request.url.path == "/api/v1/cases"
    assert request.headers["Authorization"] == "Bearer tok-123"
    assert request.headers["Idempotency-Key"] == idempotency_key("web-1", "nonce-1")
    assert json.loads(request.content) == {
        "channel": "web", "full_name": "Nguyen Van An", "phone": "0912345678", "province": "Lào Cai",
        "commune": "xa Tan Lap", "eligibility_group": "khoan_2_ho_ngheo", "topic": "dat_dai",
        "description": "nha hang xom lan sang dat nha toi 2 met", "consent": True,
    }
    text = dispatcher.messages[0]["text"]
    assert "TGPL-2026-000001" in text and "4 số cuối" in text
    slots = slot_events(events)
    assert slots["case_code"] == "TGPL-2026-000001" and slots["intake_full_name"] is None


def test_zalo_sender_and_unknown_group_and_commune():
    api = FakeApi()
    submit(api, {**FILLED, "intake_group": "khong_ro", "intake_commune": "khong ro"}, sender="zalo:123")
    body = json.loads(api.requests[0].content)
    assert body["channel"] == "zalo" and body["eligibility_group"] is None and body["commune"] is None


def test_api_down_apologises_keeps_answers_and_retry_uses_the_same_key():
    api = FakeApi(fail=1)
    dispatcher, events = submit(api, FILLED)
    assert dispatcher.messages[0]["text"].startswith("Xin lỗi")
    assert dispatcher.messages[0]["buttons"] == [{"title": "Gửi lại", "payload": "/intake_retry"}]
    assert events == []  # nothing cleared: the answers stay in the slots
    dispatcher, events = submit(api, FILLED)  # "Gửi lại"
    assert "TGPL-2026-000001" in dispatcher.messages[0]["text"]
    keys = {r.headers["Idempotency-Key"] for r in api.requests}
    assert len(api.requests) == 2 and len(keys) == 1
    _, _ = submit(api, FILLED)  # a second retry of the same form: same case, never a second one
    assert len(api.codes) == 1


def test_server_error_also_keeps_the_answers():
    def handler(request):
        return httpx.Response(503, json={"detail": "db down"})
    client = LegalAidApiClient(base_url="http://api", transport=httpx.MockTransport(handler), token="t")
    dispatcher, events = run(ActionSubmitLegalAidRequest(client), tracker(FILLED))
    assert events == [] and dispatcher.messages[0]["buttons"][0]["title"] == "Gửi lại"


def test_without_consent_nothing_is_sent():
    api = FakeApi()
    dispatcher, events = submit(api, {**FILLED, "intake_consent": False, "intake_confirm": None})
    assert api.requests == []
    text = dispatcher.messages[0]["text"]
    assert "không lưu" in text and "hòa giải" in text
    assert slot_events(events)["intake_full_name"] is None


def test_retry_with_nothing_pending_sends_nothing():
    api = FakeApi()
    dispatcher, _ = submit(api, {"case_code": "TGPL-2026-000009"})
    assert api.requests == [] and "TGPL-2026-000009" in dispatcher.messages[0]["text"]


def test_no_name_or_phone_in_logs(caplog):
    caplog.set_level("DEBUG")
    submit(FakeApi(fail=1), FILLED)
    submit(FakeApi(), FILLED)
    assert "Nguyen Van An" not in caplog.text and "0912345678" not in caplog.text


def test_slots_emptied_before_the_form_are_not_checked_nor_defaulted():
    """action_intake_start empties every field: the activation must not answer "bad name" etc.
    nor fill a default topic."""
    events = [{"event": "action", "name": "action_listen"}, {"event": "user", "text": "toi can tgpl"}]
    events += [{"event": "slot", "name": slot, "value": None} for slot in INTAKE_SLOTS]
    trk = tracker({}, "toi can tgpl", requested=None, events=events)
    trk.active_loop = {"name": FORM}
    dispatcher, out = run(ValidateLegalAidRequestForm(), trk)
    assert dispatcher.messages == []
    assert all(value is None for value in slot_events(out).values())


# --- the end of an intake as the tracker store sees it (bot/conversation_privacy.py) ------------

def recorded(action_name: str, events: list[dict]) -> list[dict]:
    """The events Rasa stores for one run of the action: its ActionExecuted, then what it returned."""
    return [{"event": "action", "name": "action_intake_start"}, {"event": "user", "text": "Nguyen Van An"},
            {"event": "slot", "name": "intake_full_name", "value": "Nguyen Van An"},
            {"event": "action", "name": action_name}, *events]


@pytest.mark.parametrize("case", ["submitted", "refused", "cancelled", "api down", "nothing to send"])
def test_the_tracker_store_recognises_when_an_intake_is_over(case):
    from actions.intake_actions import ActionIntakeCancel
    from bot.conversation_privacy import closed_intakes, redact

    if case == "cancelled":
        _, events = run(ActionIntakeCancel(), tracker(FILLED))
        name = "action_intake_cancel"
    else:
        slots = {"submitted": FILLED, "api down": FILLED, "nothing to send": {},
                 "refused": {**FILLED, "intake_consent": False, "intake_confirm": None}}[case]
        _, events = submit(FakeApi(fail=1 if case == "api down" else 0), slots)
        name = "action_submit_legal_aid_request"
    stored = recorded(name, events)
    over = case in ("submitted", "refused", "cancelled")
    assert bool(closed_intakes(stored)) is over
    assert ("Nguyen Van An" in json.dumps(redact(stored))) is not over


def test_intake_groups_cover_every_route_in_force_and_the_near_poor():
    """Issue 13: no route of Điều 7 can only be answered "Không rõ"; hộ cận nghèo is offered."""
    from datetime import date

    from knowledge.rules.eligibility import routes_on
    from knowledge.rules.groups import GROUPS, group_label, intake_group_options

    for day in (date(2025, 6, 30), date(2026, 12, 2)):
        codes = {code for _, code in intake_group_options(day)}
        assert {GROUPS[route.id][0] for route in routes_on(day)} <= codes, day
        assert {"ho_can_ngheo", "khong_ro"} <= codes
        assert all(group_label(code) for code in codes - {"khong_ro"})
    assert "khoan_7g_mua_ban_nguoi" in {c for _, c in intake_group_options(date(2025, 6, 30))}
    assert "khoan_7g_mua_ban_nguoi" not in {c for _, c in intake_group_options(date(2026, 12, 2))}


def test_a_duplicate_submission_gets_the_neutral_receipt_without_any_code():
    """Issue 11 finding 6: the api answers a duplicate with code "" and a neutral message; the
    citizen is never told "Mã hồ sơ của bạn: ." nor given someone else's code."""
    neutral = "Yêu cầu của bạn đã được ghi nhận. Cán bộ sẽ liên hệ qua số điện thoại bạn đã cung cấp."

    def duplicate(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"code": "", "created": False, "status": None, "message": neutral})

    client = LegalAidApiClient(base_url="http://api", transport=httpx.MockTransport(duplicate), token="t")
    dispatcher, events = run(ActionSubmitLegalAidRequest(client), tracker(FILLED, sender="web-9"))
    texts = [m.get("text") or "" for m in dispatcher.messages]
    assert texts == [neutral]
    assert not any("Mã hồ sơ" in text or "TGPL-" in text for text in texts)
    assert {"event": "slot", "timestamp": None, "name": "case_code", "value": None} in events
