"""facts_from_text(): what citizens type, with and without diacritics, slang and negation."""

from __future__ import annotations

from typing import Any

import pytest

from knowledge.rules.eligibility import Status, assess, facts_from_text
from knowledge.rules.facts import BUSINESS_FIELD

CASES: list[tuple[str, dict[str, Any]]] = [
    # poor / near-poor, and "hộ cận nghèo" containing "nghèo"
    ("Tôi là hộ nghèo", {"poor_household": True}),
    ("toi la ho ngheo", {"poor_household": True}),
    ("nhà tôi có sổ hộ nghèo", {"poor_household": True}),
    ("nha toi ho ngheo co dc tgpl ko", {"poor_household": True}),
    ("Nhà tôi hộ cận nghèo", {"near_poor_household": True, "poor_household": None}),
    ("nha toi ho can ngheo", {"near_poor_household": True, "poor_household": None}),
    ("gia đình thuộc diện cận nghèo", {"near_poor_household": True, "poor_household": None}),
    ("hcn", {"near_poor_household": True}),
    # negation
    ("không phải hộ nghèo", {"poor_household": False}),
    ("ko phai ho ngheo", {"poor_household": False}),
    ("k phải hộ nghèo", {"poor_household": False}),
    ("nha toi chua phai ho ngheo", {"poor_household": False}),
    (
        "nhà tôi không phải hộ nghèo mà là hộ cận nghèo",
        {"poor_household": False, "near_poor_household": True},
    ),
    ("khong phai ho can ngheo ma la ho ngheo", {"poor_household": True, "near_poor_household": False}),
    ("nhà tôi đã thoát nghèo", {"poor_household": False}),
    ("toi ko bi khuyet tat", {"disability": False}),
    ("tôi không nhiễm HIV", {"hiv": False}),
    (
        "tôi bị bạo lực gia đình nhưng không phải hộ nghèo",
        {"domestic_violence_victim": True, "poor_household": False},
    ),
    # uncertain or general questions: nobody said they are in the group
    ("Hộ nghèo có được trợ giúp pháp lý không?", {"poor_household": None}),
    ("người khuyết tật có được trợ giúp pháp lý miễn phí không", {"disability": None}),
    ("toi khong biet nha minh co phai ho ngheo khong", {"poor_household": None}),
    ("nguoi khuyet tat nhu toi co duoc tro giup khong", {"disability": True}),
    # age, children, elderly, who needs help
    ("mẹ tôi 70 tuổi", {"age": 70, "subject": "mẹ"}),
    ("me toi 70 tuoi", {"age": 70, "subject": "mẹ"}),
    ("con tôi 15 tuổi", {"age": 15, "subject": "con"}),
    ("con toi 15 tuoi", {"age": 15, "subject": "con"}),
    ("tôi năm nay 65 tuổi", {"age": 65, "subject": None}),
    ("me toi hon 60 tuoi", {"elderly": True, "age": None}),
    ("bé nhà tôi dưới 16 tuổi", {"child": True}),
    ("toi la nguoi cao tuoi", {"elderly": True}),
    ("tôi 40 tuổi, mẹ tôi 70 tuổi", {"age": None}),
    ("Con trai tôi 16 tuổi bị bắt", {"age": 16, "accused": True, "subject": "con"}),
    # groups
    ("tôi bị khuyết tật", {"disability": True}),
    ("toi bi khuyet tat", {"disability": True}),
    (
        "Mẹ tôi bị khuyết tật, nhà cận nghèo",
        {"disability": True, "near_poor_household": True, "subject": "mẹ"},
    ),
    (
        "toi la nguoi dan toc thai o xa dac biet kho khan",
        {"ethnic_minority": True, "lives_in_disadvantaged_area": True},
    ),
    (
        "Tôi là người dân tộc Thái ở xã đặc biệt khó khăn",
        {"ethnic_minority": True, "lives_in_disadvantaged_area": True},
    ),
    ("Dân tộc Mông, ở bản đặc biệt khó khăn", {"ethnic_minority": True, "lives_in_disadvantaged_area": True}),
    ("toi la dtts o vung dbkk", {"ethnic_minority": True, "lives_in_disadvantaged_area": True}),
    ("tôi là người Kinh", {"ethnic_minority": False}),
    ("tôi là người Thái Bình", {"ethnic_minority": None}),
    ("gia đình tôi có hoàn cảnh đặc biệt khó khăn", {"lives_in_disadvantaged_area": None}),
    ("chồng đánh tôi", {"domestic_violence_victim": True}),
    ("chong danh toi", {"domestic_violence_victim": True}),
    ("em bị chồng đánh suốt", {"domestic_violence_victim": True}),
    ("bố tôi đánh bạc", {"domestic_violence_victim": None}),
    ("tôi bị bạo hành gia đình", {"domestic_violence_victim": True}),
    ("nhiễm HIV", {"hiv": True}),
    ("nhiem hiv", {"hiv": True}),
    ("tôi bị lừa bán sang Trung Quốc", {"trafficking_victim": True}),
    ("nan nhan mua ban nguoi", {"trafficking_victim": True}),
    ("toi bi nhiem chat doc da cam", {"agent_orange": True}),
    ("tôi đã cầm sổ đỏ đi cầm cố", {"agent_orange": None}),
    ("tôi là thương binh", {"revolutionary_merit": True}),
    ("người có công với cách mạng", {"revolutionary_merit": True}),
    ("bố tôi là liệt sĩ", {"martyr_relative": True}),
    ("toi la vo liet si", {"martyr_relative": True}),
    ("ông tôi là liệt sĩ", {"martyr_relative": None}),
    ("đang hưởng trợ cấp xã hội hàng tháng", {"monthly_social_allowance": True}),
    ("dang huong tro cap xa hoi hang thang", {"monthly_social_allowance": True}),
    ("tôi nhận trợ cấp thất nghiệp", {"monthly_social_allowance": None}),
    ("tôi bị tạm giam", {"accused": True, "field": "hinh_su"}),
    ("con toi la bi can", {"accused": True}),
    ("em bị bắt nạt ở trường", {"accused": None, "concrete_matter_directly_concerning": None}),
    ("con gái tôi 17 tuổi bị xâm hại", {"victim_in_criminal_case": True, "age": 17}),
    # field of law (Điều 27) and concrete matter (Điều 30)
    ("tranh chap hop dong mua ban hang hoa cua cong ty", {"field": BUSINESS_FIELD}),
    ("Tranh chấp hợp đồng mua bán hàng hóa của công ty", {"field": BUSINESS_FIELD}),
    ("tôi kinh doanh bị đối tác quỵt tiền", {"field": BUSINESS_FIELD}),
    ("Tôi làm đại lý bán phân bón, bị công ty giao hàng sai hợp đồng", {"field": BUSINESS_FIELD}),
    ("công ty nợ lương tôi 3 tháng", {"field": "lao_dong", "concrete_matter_directly_concerning": True}),
    ("hàng xóm lấn chiếm đất nhà tôi", {"field": "dat_dai", "concrete_matter_directly_concerning": True}),
    ("tôi muốn ly hôn", {"field": "hon_nhan_gia_dinh", "concrete_matter_directly_concerning": True}),
    ("tôi chỉ muốn tìm hiểu pháp luật thôi", {"concrete_matter_directly_concerning": False}),
    ("điều kiện được trợ giúp pháp lý là gì", {"concrete_matter_directly_concerning": None}),
    # a condition asked about is not a fact ("có cần là hộ nghèo mới được…?")
    ("nha khong ngheo. gia dinh co can la ho ngheo moi dc cu nguoi bao chua ko", {"poor_household": None}),
    ("Có phải là hộ nghèo mới được trợ giúp không?", {"poor_household": None}),
    ("nhà tôi cần phải là hộ cận nghèo mới được à", {"near_poor_household": None}),
    # ways of saying a group that were missed: "người Mông" without the h, "mẹ Việt Nam anh hùng"
    # without "bà", trafficking told with who did it; "người mong muốn" is no people's name
    ("tôi là người Mông ở bản vùng cao", {"ethnic_minority": True}),
    ("toi la nguoi co ho o lam dong", {"ethnic_minority": True}),
    ("nguoi mong muon duoc giup do thi lam sao", {"ethnic_minority": None}),
    ("me toi la me viet nam anh hung", {"revolutionary_merit": True}),
    ("em gai toi bi nguoi ta lua ban sang trung quoc", {"trafficking_victim": True}),
    ("con toi moi 3 thang tuoi bi nguoi ta danh", {"age": 0}),
    ("con trai toi bi bai nao tu nho", {"disability": True}),
    ("toi bi cam quang", {"disability": None}),
    ("ck em say ruou hay danh dap e", {"domestic_violence_victim": True}),
    ("chong toi di lam xa, bo toi danh bac", {"domestic_violence_victim": None}),
    # nothing said
    ("xin chào", {}),
    ("", {}),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_facts_from_text(text: str, expected: dict[str, Any]) -> None:
    facts = facts_from_text(text)
    for name, value in expected.items():
        assert getattr(facts, name) == value, (text, name, facts.known())
    if not expected:
        assert facts.known() == {}


END_TO_END = [
    ("tôi là hộ nghèo, hàng xóm lấn đất", Status.ELIGIBLE, [("2", None)]),
    ("Mẹ tôi 70 tuổi, nhà hộ cận nghèo", Status.ELIGIBLE, [("7", "c")]),
    ("con toi 15 tuoi bi danh", Status.ELIGIBLE, [("3", None)]),
    ("Con trai tôi 16 tuổi bị công an bắt", Status.ELIGIBLE, [("5", None)]),
    ("nha toi ho can ngheo", Status.NEED_MORE_INFO, []),
    (
        "nhà tôi hộ nghèo, tranh chấp hợp đồng mua bán hàng hóa của công ty",
        Status.NOT_ELIGIBLE,
        [("2", None)],
    ),
    ("chong danh toi, nha toi ho can ngheo", Status.ELIGIBLE, [("7", "e")]),
]


@pytest.mark.parametrize(("text", "status", "clauses"), END_TO_END)
def test_text_to_result(text: str, status: Status, clauses: list[tuple[str, str | None]]) -> None:
    result = assess(facts_from_text(text))
    assert result.status is status, result.explanation
    assert [(m.clause, m.point) for m in result.matches] == clauses
