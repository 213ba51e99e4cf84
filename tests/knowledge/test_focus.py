"""knowledge.focus: the sentences of an answer that fit the question, within a word budget."""

from __future__ import annotations

from knowledge.focus import best_clause, clauses, focus

NOTICE = (
    "Phải báo trước ít nhất 45 ngày (hợp đồng không thời hạn), 30 ngày (hợp đồng 12 đến 36 tháng), "
    "03 ngày làm việc (dưới 12 tháng) (khoản 1 Điều 35 Bộ luật Lao động). Được nghỉ ngay, không cần "
    "báo trước, khi: bị trả thiếu lương hoặc trả chậm; bị ngược đãi, đánh đập, nhục mạ, cưỡng bức lao "
    "động; bị quấy rối tình dục; bị bố trí sai công việc, nơi làm đã thỏa thuận (khoản 2 Điều 35). "
    "Nghỉ sai luật thì mất trợ cấp thôi việc, phải bồi thường nửa tháng lương (Điều 40)."
)


def test_the_first_sentence_stays_and_the_one_that_answers_is_chosen() -> None:
    head, rest = focus(NOTICE, "công ty nợ lương, tôi nghỉ việc luôn không cần báo trước được không", 60)
    assert head.startswith("Phải báo trước ít nhất 45 ngày")
    assert "không cần báo trước" in head and "trả thiếu lương" in head
    assert len(head.split()) <= 60 and rest and "Nghỉ sai luật" in rest


def test_a_long_sentence_is_kept_in_part_up_to_a_semicolon() -> None:
    head, _rest = focus(NOTICE, "không cần báo trước khi nào", 50)
    assert "trả chậm …" in head  # cut after its first part, and says so
    assert "quấy rối" not in head


def test_everything_fits_nothing_is_cut() -> None:
    assert focus("Có. Ngắn thôi.", "gì cũng được", 80) == ("Có. Ngắn thôi.", None)


def test_the_rest_of_an_answer_only_when_it_shares_a_word_with_the_question() -> None:
    rest = "Khi khám đúng tuyến, quỹ trả 95% chi phí. Tỉnh có thể hỗ trợ thêm."
    assert focus(rest, "đi khám thì được trả bao nhiêu", 40, keep_first=False)[0].startswith("Khi khám")
    assert focus(rest, "nộp đơn ở đâu", 40, keep_first=False) == ("", rest)


def test_the_clause_of_a_statute_that_answers() -> None:
    article = ("Điều 98. Tiền lương làm thêm giờ\n1. Làm thêm giờ vào ngày thường, ít nhất bằng 150%.\n"
               "2. Làm việc vào ban đêm thì được trả thêm ít nhất bằng 30%.\n3. Chính phủ quy định chi tiết.")
    assert [number for number, _ in clauses(article)] == ["1", "2", "3"]
    assert best_clause(article, "làm ban đêm được trả thêm bao nhiêu")[0] == "2"
    assert best_clause(article, "làm thêm giờ ngày thường trả bao nhiêu")[0] == "1"


LIST = (
    "Được trợ cấp xã hội hằng tháng gồm: trẻ em dưới 16 tuổi không có nguồn nuôi dưỡng (mồ côi, bị bỏ "
    "rơi); trẻ em nhiễm HIV thuộc hộ nghèo; người đơn thân thuộc hộ nghèo, cận nghèo đang nuôi con nhỏ; "
    "người khuyết tật nặng và đặc biệt nặng; trẻ em dưới 3 tuổi thuộc hộ nghèo ở xã đặc biệt khó khăn; "
    "người nhiễm HIV thuộc hộ nghèo không có thu nhập ổn định. Hãy hỏi Ủy ban nhân dân xã."
)


def test_a_list_item_far_down_comes_with_the_head_of_its_list_not_with_all_items_before_it() -> None:
    head, rest = focus(LIST, "nguoi nhiem hiv khong co thu nhap co dc tro cap ko", 40)
    assert head.startswith("Được trợ cấp xã hội hằng tháng gồm")
    assert "không có thu nhập ổn định" in head
    assert "khuyết tật" not in head and rest and "khuyết tật" in rest
    assert len(head.split()) <= 40
