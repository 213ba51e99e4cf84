"""An intake conversation as Rasa records it (serialised events), for the privacy tests.

The shapes follow what Rasa 3.6 stores: after each user message `action_extract_slots` sets the
requested slot to the raw text, then the form's validation sets the cleaned value; the submit /
cancel actions' bot messages and slot events follow their `ActionExecuted`.
"""

from __future__ import annotations

from typing import Any

NAME_TYPED = "toi ten la Nguyen Van Binh"
NAME = "Nguyen Van Binh"
PHONE_TYPED = "0912.345.678"
PHONE = "0912345678"
COMMUNE = "xa Tan Lap"
DESCRIPTION = "hang xom lan dat nha toi, xay tuong rao sang dat nha toi 2 met"
CODE = "TGPL-2026-K7Q2M9"
SECRETS = (NAME, "Binh", PHONE, "345.678", "345 678", "912345678", COMMUNE, DESCRIPTION)
INTAKE_SLOTS = ("intake_full_name", "intake_phone", "intake_province", "intake_commune", "intake_group",
                "intake_topic", "intake_description", "intake_consent", "intake_confirm")

_clock = [1_800_000_000.0]


def _t() -> float:
    _clock[0] += 1.0
    return _clock[0]


def user(text: str, intent: str = "inform", entities: list | None = None) -> dict[str, Any]:
    return {"event": "user", "timestamp": _t(), "text": text, "input_channel": "rest", "message_id": "m",
            "metadata": {}, "parse_data": {"intent": {"name": intent, "confidence": 0.9},
                                           "entities": entities or [], "text": text, "message_id": "m",
                                           "metadata": {}}}


def bot(text: str) -> dict[str, Any]:
    return {"event": "bot", "timestamp": _t(), "text": text, "data": {"buttons": []}, "metadata": {}}


def action(name: str) -> dict[str, Any]:
    return {"event": "action", "timestamp": _t(), "name": name, "policy": "RulePolicy", "confidence": 1.0}


def slot(name: str, value: Any) -> dict[str, Any]:
    return {"event": "slot", "timestamp": _t(), "name": name, "value": value}


def loop(name: str | None) -> dict[str, Any]:
    return {"event": "active_loop", "timestamp": _t(), "name": name}


def reset() -> list[dict[str, Any]]:
    return [slot(s, None) for s in INTAKE_SLOTS] + [slot("intake_nonce", None)]


def answer(raw: str, requested: str, value: Any, next_slot: str | None) -> list[dict[str, Any]]:
    events = [user(raw), action("action_extract_slots"), slot(requested, raw),
              action("legal_aid_request_form"), slot(requested, value), slot("requested_slot", next_slot)]
    if next_slot:
        events += [action(f"action_ask_{next_slot}"), bot(f"câu hỏi {next_slot}"), action("action_listen")]
    return events


def intake_until_confirmation(nonce: str = "n1") -> list[dict[str, Any]]:
    """From the request to the summary the citizen is asked to confirm."""
    events = [action("action_listen"), user("toi muon gui yeu cau tro giup phap ly", "request_legal_aid"),
              action("utter_request_legal_aid"), bot("Tôi sẽ hỏi vài thông tin."),
              action("action_intake_start"), *reset(), slot("intake_nonce", nonce),
              action("legal_aid_request_form"), loop("legal_aid_request_form"),
              slot("requested_slot", "intake_full_name"), action("action_ask_intake_full_name"),
              bot("Bạn cho tôi biết họ và tên"), action("action_listen")]
    events += answer(NAME_TYPED, "intake_full_name", NAME, "intake_phone")
    events += answer(PHONE_TYPED, "intake_phone", PHONE, "intake_province")
    events += answer("lao cai", "intake_province", "Lào Cai", "intake_commune")
    events += answer(COMMUNE, "intake_commune", COMMUNE, "intake_group")
    events += answer("ho ngheo", "intake_group", "khoan_2_ho_ngheo", "intake_topic")
    events += answer("dat dai", "intake_topic", "đất đai", "intake_description")
    events += answer(DESCRIPTION, "intake_description", DESCRIPTION, "intake_consent")
    events += answer("dong y", "intake_consent", True, None)
    events += [slot("requested_slot", "intake_confirm"), action("action_ask_intake_confirm"),
               bot(f"• Họ tên: {NAME}\n• Số điện thoại: {PHONE}\n• Xã/phường: {COMMUNE}\n"
                   f"• Nội dung: {DESCRIPTION}"), action("action_listen")]
    return events


def submitted() -> list[dict[str, Any]]:
    return [*answer("gui", "intake_confirm", True, None), loop(None),
            action("action_submit_legal_aid_request"), bot(f"Mã hồ sơ của bạn: {CODE}."), *reset(),
            slot("case_code", CODE), action("action_listen")]


def submit_failed() -> list[dict[str, Any]]:
    return [*answer("gui", "intake_confirm", True, None), loop(None),
            action("action_submit_legal_aid_request"), bot("Xin lỗi, hệ thống đang gặp trục trặc"),
            action("action_listen")]


def retried() -> list[dict[str, Any]]:
    return [user("/intake_retry", "intake_retry"), action("action_submit_legal_aid_request"),
            bot(f"Mã hồ sơ của bạn: {CODE}."), *reset(), slot("case_code", CODE), action("action_listen")]


def cancelled() -> list[dict[str, Any]]:
    return [user("thoi", "stop"), action("action_deactivate_loop"), loop(None),
            slot("requested_slot", None), action("action_intake_cancel"), bot("Tôi đã dừng việc gửi yêu cầu"),
            *reset(), slot("requested_slot", None), action("action_listen")]


def refused_consent() -> list[dict[str, Any]]:
    """The intake up to the description, then "không đồng ý": the form ends, the submit refuses."""
    events = intake_until_confirmation()
    consent = next(i for i, e in enumerate(events) if e.get("event") == "user" and e["text"] == "dong y")
    events = events[:consent]
    events += [*answer("khong dong y", "intake_consent", False, None), loop(None),
               action("action_submit_legal_aid_request"), bot("Tôi tôn trọng lựa chọn của bạn"), *reset(),
               slot("requested_slot", None), action("action_listen")]
    return events
