"""Citations of the legal provisions the rule engine applies.

Every provision used by :mod:`knowledge.rules` is named here once, with the wording checked
against ``/work/shared/corpus/phapdien`` (provenance lines such as
"(Điều 7 Luật số 11/2017/QH14, có hiệu lực thi hành kể từ ngày 01/01/2018)").
The poverty decrees (07/2021/NĐ-CP, 351/2025/NĐ-CP) are not in the corpus: their numbers come
from the facts the project gave and are marked ``source="project"``.

>>> TGPL_ARTICLE_7.at(clause="7", point="c").label()
'điểm c khoản 7 Điều 7 Luật Trợ giúp pháp lý số 11/2017/QH14'
"""

from __future__ import annotations

from dataclasses import dataclass, replace

__all__ = [
    "CHILDREN_LAW_ARTICLE_1",
    "ELDERLY_LAW_ARTICLE_2",
    "GRASSROOTS_MEDIATION_LAW",
    "LEGAL_CONSULTATION_DECREE_ARTICLE_10",
    "POVERTY_DECREE_07_2021",
    "POVERTY_DECREE_351_2025",
    "TGPL_ARTICLE_7",
    "TGPL_ARTICLE_27",
    "TGPL_ARTICLE_30",
    "TGPL_DECREE_144_ARTICLE_2",
    "TRAFFICKING_LAW_2024",
    "Citation",
]


@dataclass(frozen=True)
class Citation:
    """One provision: document number, its short title, article, and optionally clause and point.

    ``source`` is ``"corpus"`` when the text was read in the Pháp điển corpus, ``"project"`` when
    the fact was given by the project and could not be checked there.
    """

    document: str
    title: str
    article: str | None = None
    clause: str | None = None
    point: str | None = None
    source: str = "corpus"

    def at(self, *, clause: str | None = None, point: str | None = None) -> Citation:
        """The same article narrowed to a clause (khoản) and point (điểm)."""
        return replace(self, clause=clause, point=point)

    def label(self) -> str:
        """Vietnamese reference, most specific part first.

        >>> TGPL_DECREE_144_ARTICLE_2.label()
        'Điều 2 Nghị định số 144/2017/NĐ-CP'
        """
        parts = []
        if self.point:
            parts.append(f"điểm {self.point}")
        if self.clause:
            parts.append(f"khoản {self.clause}")
        if self.article:
            parts.append(f"Điều {self.article}")
        parts.append(f"{self.title} số {self.document}")
        return " ".join(parts)


TGPL_ARTICLE_7 = Citation("11/2017/QH14", "Luật Trợ giúp pháp lý", "7")
TGPL_ARTICLE_27 = Citation("11/2017/QH14", "Luật Trợ giúp pháp lý", "27", clause="1")
TGPL_ARTICLE_30 = Citation("11/2017/QH14", "Luật Trợ giúp pháp lý", "30", clause="1")
TGPL_DECREE_144_ARTICLE_2 = Citation("144/2017/NĐ-CP", "Nghị định", "2")
# "Trẻ em là người dưới 16 tuổi." (Điều 1 Luật Trẻ em số 102/2016/QH13)
CHILDREN_LAW_ARTICLE_1 = Citation("102/2016/QH13", "Luật Trẻ em", "1")
# "Người cao tuổi ... là công dân Việt Nam từ đủ 60 tuổi trở lên." (Điều 2 Luật số 39/2009/QH12)
ELDERLY_LAW_ARTICLE_2 = Citation("39/2009/QH12", "Luật Người cao tuổi", "2")
# Hòa giải ở cơ sở (Luật số 35/2013/QH13), scope in Điều 3.
GRASSROOTS_MEDIATION_LAW = Citation("35/2013/QH13", "Luật Hòa giải ở cơ sở", "3")
# "Nhà nước khuyến khích Trung tâm tư vấn pháp luật thực hiện tư vấn pháp luật miễn phí cho người
# nghèo ..." (Điều 10 Nghị định số 77/2008/NĐ-CP).
LEGAL_CONSULTATION_DECREE_ARTICLE_10 = Citation("77/2008/NĐ-CP", "Nghị định", "10")
POVERTY_DECREE_07_2021 = Citation("07/2021/NĐ-CP", "Nghị định", source="project")
POVERTY_DECREE_351_2025 = Citation("351/2025/NĐ-CP", "Nghị định", source="project")
# Luật Phòng, chống mua bán người 53/2024/QH15 added khoản 6a to Điều 7 Luật TGPL from 01/7/2025;
# not in the corpus: the fact is in knowledge/data/amendments.yml with its source.
TRAFFICKING_LAW_2024 = Citation("53/2024/QH15", "Luật Phòng, chống mua bán người", source="project")
