"""`POST /api/v1/assist` with TestClient: auth, validation, Rasa up/down, index loaded or not,
eligibility, poverty, suggested questions, case draft, privacy of the logs."""

from __future__ import annotations

import logging
import unicodedata
from dataclasses import replace
from datetime import datetime

import pytest

from api.cases.auth import get_principal
from api.cases.timezone import VN_TZ
from knowledge.rules import standard_on
from tests.assist.conftest import ADMIN_TOKEN, RASA_A, RASA_B, Assist
from tests.assist.fakes import FakeIndex, parse_reply

ELDERLY_STORY = "ba ay 70 tuoi, ho can ngheo, bi hang xom lan dat"
POVERTY_STORY = "nha 4 nguoi o nong thon thu nhap 5 trieu"
CONTACT_STORY = (
    "Tôi là Nguyễn Văn An, số điện thoại 0912 345 678, ở xã Tân Lập, tỉnh Lào Cai. "
    "Mẹ tôi 72 tuổi, hộ cận nghèo, bị hàng xóm lấn chiếm đất."
)


# ---------- auth ----------


def test_without_token_401(assist: Assist) -> None:
    response = assist.post(ELDERLY_STORY, token=None)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert "mã truy cập" in response.json()["detail"]
    assert assist.rasa.parse_calls() == 0 and assist.index.queries == []


def test_wrong_token_401(assist: Assist) -> None:
    assert assist.post(ELDERLY_STORY, token="tgpl_not-a-real-token").status_code == 401


def test_role_below_operator_403(assist: Assist) -> None:
    class Guest:  # a principal whose role is not operator or above
        name, actor = "guest", "guest (guest)"

        def can(self, role) -> bool:
            return False

    assist.client.app.dependency_overrides[get_principal] = lambda: Guest()
    try:
        response = assist.post(ELDERLY_STORY)
    finally:
        del assist.client.app.dependency_overrides[get_principal]
    assert response.status_code == 403
    assert "không có quyền" in response.json()["detail"]


@pytest.mark.parametrize("who", ["operator", "admin"])
def test_operator_and_admin_allowed(assist: Assist, who: str) -> None:
    response = assist.post(ELDERLY_STORY, token="operator" if who == "operator" else ADMIN_TOKEN)
    assert response.status_code == 200, response.text


# ---------- validation ----------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Nội dung đang trống"),
        ("   \n ", "Nội dung đang trống"),
        ("a" * 2001, "tối đa 2000 ký tự"),
        (123, "Giá trị không hợp lệ"),
    ],
)
def test_invalid_text_422_in_vietnamese(assist: Assist, text: object, message: str) -> None:
    response = assist.post(text)
    assert response.status_code == 422
    assert message in response.json()["detail"]


def test_missing_text_422(assist: Assist) -> None:
    response = assist.client.post(
        "/api/v1/assist", json={}, headers={"Authorization": f"Bearer {assist.operator}"}
    )
    assert response.status_code == 422 and "text" in response.json()["detail"]


def test_text_is_nfc_and_2000_chars_pass(assist: Assist) -> None:
    decomposed = unicodedata.normalize("NFD", "Bà ấy 70 tuổi, hộ cận nghèo")
    body = assist.post(decomposed).json()
    assert body["case_draft"]["description"] == "Bà ấy 70 tuổi, hộ cận nghèo"
    assert assist.rasa.received[-1][1] == {"text": "Bà ấy 70 tuổi, hộ cận nghèo"}
    assert assist.post("x" * 2000).status_code == 200


# ---------- intent ----------


def test_intent_from_first_rasa_replica(assist: Assist) -> None:
    body = assist.post(ELDERLY_STORY).json()
    assert body["intent"] == {
        "name": "ask_legal_aid_eligibility", "confidence": 0.93,
        "label": "Hỏi có được trợ giúp pháp lý không", "source": "rasa",
    }
    assert assist.rasa.received == [(RASA_A, {"text": ELDERLY_STORY})]
    assert body["notes"] == []


def test_next_replica_when_first_is_down(assist: Assist) -> None:
    assist.rasa.down_hosts.add(RASA_A)
    body = assist.post(ELDERLY_STORY).json()
    assert body["intent"]["name"] == "ask_legal_aid_eligibility"
    assert [host for host, _ in assist.rasa.received] == [RASA_A, RASA_B]


@pytest.mark.parametrize("failure", ["down_hosts", "loading_hosts", "slow_hosts"])
def test_rasa_unavailable_still_answers(assist: Assist, failure: str) -> None:
    getattr(assist.rasa, failure).update({RASA_A, RASA_B})
    response = assist.post(ELDERLY_STORY)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["intent"]["name"] == "unknown" and body["intent"]["confidence"] == 0.0
    assert body["intent"]["source"] == "unavailable"
    assert any("ý định" in note for note in body["notes"])
    assert body["eligibility"]["status"] == "eligible"  # the rest of the console works
    assert body["answer"] and body["passages"]


def test_failed_replica_is_skipped_for_a_while_then_used_again(assist: Assist, monkeypatch) -> None:
    import api.assist.intent as intent_module

    clock = [1000.0]
    monkeypatch.setattr(intent_module.time, "monotonic", lambda: clock[0])
    assist.rasa.slow_hosts.update({RASA_A, RASA_B})
    assist.post(ELDERLY_STORY)
    assert assist.rasa.parse_calls() == 2
    assist.post(ELDERLY_STORY)  # both in cooldown: no call, no waiting
    assert assist.rasa.parse_calls() == 2
    assist.rasa.slow_hosts.clear()
    clock[0] += intent_module.COOLDOWN_SECONDS + 0.1
    assert assist.post(ELDERLY_STORY).json()["intent"]["source"] == "rasa"


def test_rasa_answer_without_intent_is_unknown(assist: Assist) -> None:
    assist.rasa.reply = lambda body: {"text": body["text"], "intent": None, "entities": []}
    assert assist.post(ELDERLY_STORY).json()["intent"]["name"] == "unknown"


def test_rasa_timeout_setting_is_used(make_assist, fake_rasa) -> None:
    import api.assist.intent as intent_module

    seen: list[object] = []
    original = intent_module.parse_intent

    async def spy(http, base_urls, text, *, timeout, health, **kwargs):
        seen.append(timeout)
        return await original(http, base_urls, text, timeout=timeout, health=health, **kwargs)

    assist = make_assist(index=FakeIndex(), assist_rasa_timeout_seconds=0.7)
    import api.routes.assist as route_module

    route_module.parse_intent, saved = spy, route_module.parse_intent
    try:
        assist.post(ELDERLY_STORY)
    finally:
        route_module.parse_intent = saved
    assert seen == [0.7]


# ---------- knowledge ----------


def test_answer_citations_and_passages_like_search(assist: Assist) -> None:
    body = assist.post(ELDERLY_STORY).json()
    assert body["knowledge"] == "ok"
    assert body["confident"] is True
    # the chat's own understanding of the story: its messages, then every citation with its date
    chat = assist.client.post("/api/v1/understand", json={"text": ELDERLY_STORY}).json()
    assert body["answer"].startswith("\n\n".join(m["text"] for m in chat["messages"]))
    assert body["answer"].endswith("\n\nCăn cứ: " + "; ".join(chat["citations"]))
    assert "Điều 7 Luật Trợ giúp pháp lý số 11/2017/QH14 (hiệu lực từ 01/01/2018)" in body["citations"][0]
    search = assist.client.get("/api/v1/search", params={"q": ELDERLY_STORY, "k": 5}).json()["results"]
    assert body["passages"] == search  # same shape and values as /api/v1/search
    assert set(body["passages"][0]) == {"id", "text", "score", "citation"}
    assert set(body["passages"][0]["citation"]) == {
        "document_number", "document_title", "article", "effective_date", "source", "status",
    }


def test_a_pasted_story_gets_the_chat_s_answers_and_its_next_question(assist: Assist) -> None:
    story = ("Chồng tôi là con liệt sĩ, bị công an bắt tuần trước. Nhà tôi khó khăn lắm. "
             "Chồng tôi có được trợ giúp pháp lý không, thủ tục yêu cầu thế nào?")
    body = assist.post(story).json()
    chat = assist.client.post("/api/v1/understand", json={"text": story}).json()
    assert chat["kind"] == "eligibility"
    for message in chat["messages"]:
        assert message["text"] in body["answer"]
    asked = chat["messages"][-1]["text"]  # the one question that would settle it
    assert body["suggested_questions"][0] == asked


def test_long_story_is_searched_by_its_last_500_chars(assist: Assist) -> None:
    story = "Chuyện dài. " * 160 + "Hỏi về hòa giải ở cơ sở."
    assert 500 < len(story) <= 2000
    assist.post(story)
    query = assist.index.queries[-1]
    assert len(query) <= 500 and query.endswith("hòa giải ở cơ sở.")


def test_index_not_loaded_yet(make_assist) -> None:
    assist = make_assist(index=None)
    response = assist.post(ELDERLY_STORY)
    assert response.status_code == 200
    body = response.json()
    assert body["answer"] == "" and body["passages"] == [] and body["citations"] == []
    assert body["knowledge"] in ("starting", "missing")
    assert any("Kho tri thức đang được nạp" in note for note in body["notes"])
    assert body["eligibility"]["status"] == "eligible"
    assert body["intent"]["name"] == "ask_legal_aid_eligibility"


def test_index_failure_is_a_note(make_assist) -> None:
    assist = make_assist(index=FakeIndex(fail=True))
    body = assist.post(ELDERLY_STORY).json()
    assert body["answer"] == "" and body["passages"] == []
    assert any("Không tìm được câu trả lời" in note for note in body["notes"])


# ---------- eligibility, poverty, questions, draft ----------


def test_elderly_near_poor_story_is_eligible_under_khoan_7_point_c(assist: Assist) -> None:
    body = assist.post(ELDERLY_STORY).json()
    eligibility = body["eligibility"]
    assert eligibility["status"] == "eligible"
    assert eligibility["status_label"] == "Thuộc diện được trợ giúp pháp lý"
    match = eligibility["matches"][0]
    assert match["route"] == "7c"
    assert match["clause"] == "điểm c khoản 7 Điều 7 Luật Trợ giúp pháp lý số 11/2017/QH14"
    assert "Điều 2 Nghị định số 144/2017/NĐ-CP" in match["citations"]
    assert eligibility["known"] == {"age": 70, "near_poor_household": True, "field": "dat_dai"}
    assert eligibility["known_text"] == ["70 tuổi", "Thuộc hộ cận nghèo", "Lĩnh vực: đất đai"]
    assert eligibility["missing_facts"] == ["concrete_matter_directly_concerning"]
    assert eligibility["missing"] == ["Có vụ việc cụ thể liên quan trực tiếp đến quyền lợi của mình không?"]
    assert eligibility["explanation"].startswith("Bạn thuộc diện được trợ giúp pháp lý theo điểm c khoản 7")
    assert body["poverty"] is None
    assert body["suggested_questions"] == [
        "Bạn có đang gặp một việc cụ thể (tranh chấp, vụ án, bị xâm phạm quyền lợi...) cần giúp không?"
    ]
    draft = body["case_draft"]
    assert draft["eligibility_group"] == "khoan_7c_nguoi_cao_tuoi"
    assert draft["eligibility_group_label"] == "Điểm c khoản 7 — Người cao tuổi"
    assert draft["topic"] == "dat_dai" and draft["channel"] == "hotline"  # a code of the one vocabulary
    assert draft["description"] == ELDERLY_STORY


def test_poverty_income_per_person(assist: Assist) -> None:
    body = assist.post(POVERTY_STORY).json()
    poverty = body["poverty"]
    line = standard_on(datetime.now(VN_TZ).date()).poverty_line["rural"]
    assert poverty["household_size"] == 4 and poverty["household_income"] == 5_000_000
    assert poverty["income_per_person"] == 1_250_000
    assert poverty["income_per_person_text"] == "1.250.000 đồng/người/tháng"
    assert poverty["area"] == "rural" and poverty["poverty_line"] == line
    assert "1.250.000 đồng/người/tháng" in poverty["explanation"]
    assert poverty["category"] == "poor_or_near_poor"
    assert body["eligibility"]["status"] == "need_more_info"
    # the eligibility engine's next questions, no poverty question (all three were said)
    assert body["suggested_questions"][0].startswith("Bạn (hoặc người cần giúp) thuộc nhóm nào")
    assert not any("bao nhiêu người" in q for q in body["suggested_questions"])


def test_poverty_question_asks_what_is_missing(assist: Assist) -> None:
    assist.rasa.reply = lambda body: parse_reply("ask_poverty_standard", 0.88)
    body = assist.post("Cho tôi hỏi nhà tôi 3 người thì có phải hộ nghèo không").json()
    assert body["poverty"] is None
    questions = body["suggested_questions"]
    assert "Tổng thu nhập mỗi tháng của cả hộ khoảng bao nhiêu tiền?" in questions
    assert "Gia đình sống ở nông thôn hay thành thị (phường, thị trấn)?" in questions
    assert not any("bao nhiêu người" in q for q in questions)


def test_poverty_without_area_gives_both_lines(assist: Assist) -> None:
    poverty = assist.post("gia dinh 3 nguoi thu nhap 4 trieu").json()["poverty"]
    assert poverty["area"] is None and poverty["poverty_line"] is None
    assert poverty["income_per_person"] == 1_333_333
    assert set(poverty["poverty_lines"]) == {"rural", "urban"}
    assert "nông thôn hay thành thị" in poverty["explanation"]


def test_case_draft_from_what_the_caller_said(assist: Assist) -> None:
    draft = assist.post(CONTACT_STORY).json()["case_draft"]
    assert draft == {
        "channel": "hotline", "full_name": "Nguyễn Văn An", "phone": "0912345678", "province": "Lào Cai",
        "commune": "Xã Tân Lập", "eligibility_group": "khoan_7c_nguoi_cao_tuoi",
        "eligibility_group_label": "Điểm c khoản 7 — Người cao tuổi",
        "topic": "dat_dai", "topic_label": "Đất đai",
        "description": CONTACT_STORY,
    }


def test_draft_is_accepted_by_the_case_api(assist: Assist) -> None:
    draft = assist.post(CONTACT_STORY).json()["case_draft"]
    body = {k: v for k, v in draft.items() if k != "eligibility_group_label" and v is not None}
    headers = {"Authorization": f"Bearer {assist.operator}"}
    created = assist.client.post("/api/v1/cases", json=body | {"consent": True}, headers=headers)
    assert created.status_code == 201, created.text
    refused = assist.client.post("/api/v1/cases", json=body | {"consent": False}, headers=headers)
    assert refused.status_code == 422


def test_nothing_the_caller_said_is_logged(make_assist, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    assist = make_assist(index=FakeIndex(fail=True))
    assist.rasa.down_hosts.add(RASA_A)
    assist.rasa.loading_hosts.add(RASA_B)
    assert assist.post(CONTACT_STORY).status_code == 200
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "Rasa parse on" in logged  # something was logged…
    for secret in ("Nguyễn Văn An", "0912", "345 678", "Tân Lập", "lấn chiếm", "72 tuổi"):
        assert secret not in logged  # …but nothing of the call


class _EndedTextIndex(FakeIndex):
    """The fake index, plus an ended decree carrying the status the real index gives it."""

    def search(self, query: str, k: int = 5, **kwargs):
        hits = super().search(query, k, **kwargs)
        ended = replace(hits[0], id="62/2015/NĐ-CP:9", extra={"status": "hết hiệu lực từ 01/07/2026 (…)"})
        return [ended, *hits[1:]]


def test_search_and_console_passages_show_each_citation_status(make_assist) -> None:
    """Issue 13: a text no longer in force is never shown without 'hết hiệu lực' (search, console)."""
    console = make_assist(index=_EndedTextIndex())
    results = console.client.get("/api/v1/search", params={"q": "tro giup ho ngheo"}).json()["results"]
    assert results[0]["citation"]["status"].startswith("hết hiệu lực từ 01/07/2026")
    assert all(r["citation"]["status"] == "" for r in results[1:])
    passages = console.post("Bà cụ 70 tuổi hộ nghèo hỏi trợ giúp pháp lý").json()["passages"]
    assert passages[0]["citation"]["status"].startswith("hết hiệu lực từ 01/07/2026")
