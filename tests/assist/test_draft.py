"""Case fields read from a caller's words (api.assist.draft), and the intent parser on its own."""

from __future__ import annotations

import re

import pytest

from api.assist.draft import GROUPS, group_code, read_contact, topic_field
from api.cases.provinces import match_province


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Tôi là Nguyễn Văn An, số 0912 345 678, ở xã Tân Lập, tỉnh Lào Cai",
            ("Nguyễn Văn An", "0912345678", "Lào Cai", "Xã Tân Lập"),
        ),
        (
            "Em tên là Trần Thị Bình, sđt 0987.654.321, nhà em ở phường Bến Thành TP HCM",
            ("Trần Thị Bình", "0987654321", "Thành phố Hồ Chí Minh", "Phường Bến Thành"),
        ),
        ("Họ tên: Lò Văn Páo. Xã Mường Tè tỉnh Lai Châu", ("Lò Văn Páo", None, "Lai Châu", "Xã Mường Tè")),
        ("goi so +84 912 345 678, o ha noi", (None, "0912345678", "Hà Nội", None)),
        ("Quê tôi Thái Bình", (None, None, "Hưng Yên", None)),  # merged in 2025
        ("ở xã Tân Lập Thành phố Hà Nội", (None, None, "Hà Nội", "Xã Tân Lập")),
        ("phường 5 quận 3", (None, None, None, "Phường 5")),
        ("anh Sơn là hàng xóm nhà tôi", (None, None, None, None)),  # "Sơn là" is not Sơn La
        ("tôi là người Thái, xa nhà", (None, None, None, None)),
        ("số 12345 nhà 4 người", (None, None, None, None)),
        ("tôi là người cao tuổi", (None, None, None, None)),
    ],
)
def test_read_contact(text: str, expected: tuple) -> None:
    contact = read_contact(text)
    assert (contact.full_name, contact.phone, contact.province, contact.commune) == expected


def test_groups_cover_every_route_and_fit_the_case_field() -> None:
    from knowledge.rules.eligibility import ROUTES

    assert {route.id for route in ROUTES} == set(GROUPS)
    codes = [code for code, _ in GROUPS.values()]
    assert len(set(codes)) == len(codes) and all(len(code) <= 64 for code in codes)
    assert group_code("2") == "khoan_2_ho_ngheo" and group_code("9") is None


def test_topic_cues() -> None:
    assert topic_field("bi hang xom lan dat") == "dat_dai"
    assert topic_field("hỏi chuyện thời tiết") is None


def test_provinces_of_the_form_are_the_34_units() -> None:
    from api.routes.assist import operator_meta

    meta = operator_meta()
    assert len(meta["provinces"]) == 34
    assert all(match_province(name) == name for name in meta["provinces"])


def test_the_draft_reads_with_the_one_vocabulary() -> None:
    """No phone rule, province words or topic cues of its own (knowledge/vocabulary.py has them)."""
    from pathlib import Path

    from knowledge.vocabulary import find_province, topic_in_story

    source = (Path(__file__).resolve().parents[2] / "api/assist/draft.py").read_text(encoding="utf-8")
    assert "+84" not in source and "0084" not in source  # the phone pattern
    assert not {"hanoi", "saigon", "tphcm", "lan dat", "nuoi con"} & set(re.findall(r'"([^"]+)"', source))
    # in a story a province must be written as a name (or follow "ở", "tỉnh"…): the option matters
    assert find_province("anh Sơn là hàng xóm nhà tôi") == "Sơn La"
    assert find_province("anh Sơn là hàng xóm nhà tôi", as_names=True) is None
    assert find_province("nhà ở sơn la", as_names=True) == "Sơn La"
    assert topic_in_story("công ty chưa trả lương hai tháng") == "lao_dong"
    assert topic_in_story("hoàn cảnh gia đình khó khăn") is None  # narrower than the intake's cues
