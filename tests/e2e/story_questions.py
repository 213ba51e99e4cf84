"""Long stories, one per topic of the realistic set, written for the conversation tests (not taken
from bench/data/realistic.yml): (topic, story, a fact the answer must hold — compared after
knowledge.text.fold)."""

from __future__ import annotations

STORIES: list[tuple[str, str, str]] = [
    ("legal_aid_eligibility",
     "Bố tôi năm nay 72 tuổi, nhà tôi có sổ hộ cận nghèo từ năm ngoái. Ông bị người cháu lừa ký giấy "
     "bán mảnh vườn mà không biết. Bây giờ bố tôi có được nhà nước cử luật sư giúp miễn phí không?",
     "điểm c khoản 7 Điều 7"),
    ("legal_aid_procedure",
     "Mẹ tôi thuộc hộ nghèo, đang bị người ta kiện đòi nợ. Tôi muốn làm hồ sơ xin trợ giúp pháp lý "
     "cho mẹ. Hồ sơ gồm những giấy tờ gì?",
     "đơn yêu cầu"),
    ("mediation",
     "nha hang xom de nuoc thai chay sang vuon nha toi may thang nay, noi mai ko nghe. toi ko muon ra "
     "toa vi la hang xom lau nam. o thon co ai dung ra hoa giai giup ko, co mat phi ko",
     "tổ hòa giải"),
    ("poverty_benefits",
     "Gia đình tôi ở xã miền núi, mới được công nhận hộ nghèo năm nay. Con tôi đi khám bệnh thì thẻ "
     "bảo hiểm y tế có được nhà nước đóng không?",
     "ngân sách nhà nước đóng bảo hiểm y tế"),
    ("civil_enforcement",
     "Tòa đã xử người hàng xóm phải trả tôi 30 triệu tiền vay từ năm ngoái, bản án có hiệu lực rồi mà "
     "anh ta không trả. Tôi phải làm đơn yêu cầu thi hành án gửi ở đâu?",
     "cơ quan thi hành án dân sự"),
    ("inheritance",
     "ong ba noi toi mat deu ko de lai di chuc, de lai 1 manh dat. bo toi co 5 anh chi em, co nguoi "
     "doi chia, co nguoi khong. vay dat nay chia cho ai va chia the nao",
     "hàng thừa kế thứ nhất"),
    ("divorce",
     "Chồng tôi đi làm xa 3 năm không về, không gửi tiền, tôi muốn ly hôn mà anh ấy không chịu ký "
     "đơn. Tôi có ly hôn một mình được không, nộp đơn ở tòa nào?",
     "nơi bị đơn"),
    ("child_custody_support",
     "Tôi ly hôn được một năm, con 5 tuổi ở với tôi. Chồng cũ từ đó không đưa đồng nào cho con. Anh "
     "ta có bắt buộc phải cấp dưỡng nuôi con không?",
     "cấp dưỡng"),
    ("domestic_violence",
     "Chồng tôi hay say rượu rồi đánh tôi, tuần trước tôi phải đi viện khâu đầu. Tôi sợ lắm nhưng "
     "không biết phải báo cho ai để được bảo vệ?",
     "công an"),
    ("labour",
     "Tôi làm công nhân may được 2 năm, công ty nợ lương tôi 3 tháng rồi, hỏi thì bảo đợi. Tôi có "
     "được nghỉ việc luôn mà không cần báo trước không?",
     "không cần báo trước"),
    ("social_allowance",
     "ba noi toi 82 tuoi, khong co luong huu, song voi chau. nghe noi nguoi tren 80 tuoi duoc tro cap "
     "hang thang, lam ho so xin o dau",
     "Ủy ban nhân dân"),
    ("civil_registration",
     "Vợ chồng tôi sinh cháu được 4 tháng mà chưa đi làm giấy khai sinh vì bận làm rẫy. Bây giờ đi "
     "đăng ký khai sinh ở đâu, có bị phạt hay mất lệ phí không?",
     "Ủy ban nhân dân cấp xã"),
    ("language_interpreter",
     "Tôi là người Khmer, không rành tiếng Việt. Tôi đang bị kiện ra tòa vì tranh chấp ruộng với "
     "người khác. Ra tòa tôi có được nói tiếng Khmer và có người phiên dịch không?",
     "phiên dịch"),
]

# One message, three sub-questions: three answers, each with its own basis.
MULTI_QUESTION = (
    "Nhà tôi là hộ nghèo, bị hàng xóm lấn đất. Tôi muốn xin trợ giúp pháp lý: nộp hồ sơ gồm những giấy "
    "tờ gì, gửi cho ai, và bao lâu thì trung tâm trả lời?"
)
# Too vague for one answer: the likely topics as buttons.
VAGUE = "hoi ve thu tuc giay to"
