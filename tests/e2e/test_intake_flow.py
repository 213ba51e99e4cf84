"""A citizen asks for legal aid in the chat, typed without diacritics, and later checks the status.

Rasa, the action server and the api run for real (fixture `system` in conftest.py, its own case
store): the conversation must create exactly ONE case that a reviewer sees with every field
right, and the status a reviewer sets must be what the citizen reads in the chat.
"""

from __future__ import annotations

import re

import httpx
import pytest

from tests.e2e.conftest import ADMIN_TOKEN
from tests.harness.chat import WebCitizen

pytestmark = pytest.mark.slow
STAFF = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
CODE = re.compile(r"TGPL-\d{4}-[0-9A-Z]{6}")  # random codes (knowledge/case_code.py)


def chat(api: str, sender: WebCitizen, text: str) -> tuple[str, list[str]]:
    response = sender.send(text)  # the server issues the conversation id, sent back by WebCitizen
    assert response.status_code == 200, response.text
    messages = response.json()["messages"]
    buttons = [b["title"] for m in messages for b in m.get("buttons", [])]
    return "\n".join(m["text"] for m in messages), buttons


def test_request_in_chat_creates_one_case_and_the_status_is_readable(system):
    api = system
    sender = WebCitizen(api)
    description = "hang xom lan dat nha toi, xay tuong rao sang dat nha toi 2 met"

    text, _ = chat(api, sender, "chao ad")
    assert "Xin chào" in text
    text, _ = chat(api, sender, "toi muon gui yeu cau tro giup phap ly")
    assert "họ và tên" in text, text
    text, _ = chat(api, sender, "nguyen van binh")
    assert "Số điện thoại" in text, text
    text, _ = chat(api, sender, "12345")  # a wrong number is asked again kindly
    assert "chưa đúng" in text, text
    text, _ = chat(api, sender, "0912.345.678")
    assert "tỉnh" in text, text
    text, _ = chat(api, sender, "lao cai")
    assert "xã" in text, text
    text, buttons = chat(api, sender, "xa tan lap")
    assert "Hộ nghèo" in buttons and "Không rõ" in buttons, (text, buttons)
    text, buttons = chat(api, sender, "ho ngheo")
    assert "Đất đai" in buttons, (text, buttons)
    text, _ = chat(api, sender, "dat dai")
    assert "kể" in text, text
    text, buttons = chat(api, sender, description)
    assert "13/2023/NĐ-CP" in text and buttons == ["Đồng ý", "Không đồng ý"], (text, buttons)
    text, buttons = chat(api, sender, "dong y")
    assert "0912345678" in text and "Lào Cai" in text, text  # the citizen's own phone, in full
    assert buttons[:4] == ["Gửi", "Sửa họ tên", "Sửa số điện thoại", "Sửa tỉnh"], buttons
    text, _ = chat(api, sender, "gui")
    codes = CODE.findall(text)
    assert codes, text
    code = codes[0]
    assert "4 số cuối" in text

    # a retry after success creates nothing new
    text, _ = chat(api, sender, "gui lai")
    assert code in text, text

    listed = httpx.get(f"{api}/api/v1/cases", headers=STAFF, timeout=30).json()
    assert listed["count"] == 1, listed
    case = listed["data"][0]
    assert case["code"] == code and case["channel"] == "web" and case["status"] == "new"
    assert case["province"] == "Lào Cai" and case["commune"] == "xa tan lap"
    assert case["eligibility_group"] == "khoan_2_ho_ngheo" and case["topic"] == "dat_dai"
    assert case["description"] == description
    assert case["phone"] != "+84912345678" and "5678" not in case["phone"]  # masked in lists
    detail = httpx.get(f"{api}/api/v1/cases/{code}", headers=STAFF, timeout=30).json()
    assert detail["full_name"] == "Nguyen Van Binh" and detail["phone"] == "+84912345678"

    # the reviewer accepts the case; the citizen reads it in the chat
    patched = httpx.patch(
        f"{api}/api/v1/cases/{code}", headers=STAFF, json={"status": "accepted"}, timeout=30
    )
    assert patched.status_code == 200, patched.text
    text, _ = chat(api, sender, f"tra cuu ho so {code} 5678")
    assert f"Hồ sơ {code}: Đã thụ lý" in text, text

    # asked step by step, with the wrong digits: the api's neutral answer
    text, _ = chat(api, sender, "tra cuu ho so")
    assert "mã hồ sơ" in text, text
    text, _ = chat(api, sender, code)
    assert "4 số cuối" in text, text
    text, _ = chat(api, sender, "1111")
    assert "Không tìm thấy hồ sơ khớp" in text, text


def test_no_consent_stores_nothing(system):
    api = system
    sender = WebCitizen(api)
    before = httpx.get(f"{api}/api/v1/cases", headers=STAFF, timeout=30).json()["count"]
    for message in ["toi can tgpl", "lo thi mai", "0987 654 321", "dak lak", "khong ro", "Không rõ", "khác",
                    "nguoi ta lua toi mat 20 trieu"]:
        chat(api, sender, message)
    text, _ = chat(api, sender, "khong dong y")
    assert "không lưu" in text and "hòa giải" in text, text
    after = httpx.get(f"{api}/api/v1/cases", headers=STAFF, timeout=30).json()["count"]
    assert after == before
