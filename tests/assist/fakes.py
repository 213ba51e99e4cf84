"""Fakes of the assist tests: a tiny knowledge index and a Rasa replica behind httpx.MockTransport."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import httpx

from knowledge.search import Hit
from knowledge.text import fold

ARTICLE_7 = (
    "Điều 7. Người được trợ giúp pháp lý\n"
    "1. Người có công với cách mạng.\n2. Người thuộc hộ nghèo.\n3. Trẻ em.\n"
    "7. Người thuộc một trong các trường hợp sau đây có khó khăn về tài chính: ... c) Người cao tuổi; ..."
)
ARTICLE_30 = (
    "Điều 30. Yêu cầu trợ giúp pháp lý\n"
    "1. Người yêu cầu trợ giúp pháp lý phải có vụ việc cụ thể liên quan trực tiếp đến quyền và lợi ích."
)
MEDIATION = (
    "Điều 3. Phạm vi hòa giải ở cơ sở\n"
    "Hòa giải ở cơ sở được tiến hành đối với các mâu thuẫn, tranh chấp, vi phạm pháp luật, "
    "trừ các trường hợp pháp luật quy định không được hòa giải."
)


def _hit(doc_id: str, text: str, score: float, number: str, title: str, article: str, dense: float) -> Hit:
    return Hit(
        id=doc_id, text=text, score=score, source="statute", title=text.split("\n", 1)[0],
        citation={
            "document_number": number, "document_title": title, "document_type": "Luật",
            "article": article, "effective_date": "2018-01-01", "source": "phapdien",
        },
        dense_score=dense,
    )


DOCS = (
    ("tgpl-7", ARTICLE_7, "11/2017/QH14", "Luật Trợ giúp pháp lý", "7", ("tro giup", "ngheo", "tuoi", "dat")),
    ("tgpl-30", ARTICLE_30, "11/2017/QH14", "Luật Trợ giúp pháp lý", "30", ("yeu cau", "thu tuc")),
    ("hoa-giai-3", MEDIATION, "35/2013/QH13", "Luật Hòa giải ở cơ sở", "3", ("hoa giai", "hang xom")),
)


@dataclass
class FakeIndex:
    """`.search(query, k, on_date=)` like knowledge.search.KnowledgeIndex: word overlap scores,
    the best hit far enough ahead to be a confident answer."""

    queries: list[str] = field(default_factory=list)
    fail: bool = False

    def search(self, query: str, k: int = 5, *, on_date: date | None = None, **_: object) -> list[Hit]:
        self.queries.append(query)
        if self.fail:
            raise RuntimeError("index broken")
        words = fold(query)
        ranked = sorted(DOCS, key=lambda d: -sum(cue in words for cue in d[5]))
        return [
            _hit(doc_id, text, 1.3 - 0.4 * rank, number, title, article, 0.9 - 0.1 * rank)
            for rank, (doc_id, text, number, title, article, _) in enumerate(ranked[:k])
        ]


def parse_reply(name: str = "ask_legal_aid_eligibility", confidence: float = 0.93) -> dict:
    return {
        "text": "", "intent": {"name": name, "confidence": confidence},
        "intent_ranking": [{"name": name, "confidence": confidence}], "entities": [],
    }


@dataclass
class FakeRasa:
    """Rasa replicas (`--enable-api`): `POST /model/parse`; per-host failure modes."""

    reply: Callable[[dict], dict] = lambda body: parse_reply()
    down_hosts: set[str] = field(default_factory=set)  # connection refused
    loading_hosts: set[str] = field(default_factory=set)  # 409: no model loaded yet
    slow_hosts: set[str] = field(default_factory=set)  # read timeout
    received: list[tuple[str, dict]] = field(default_factory=list)

    def handle(self, request: httpx.Request) -> httpx.Response:
        host = f"{request.url.host}:{request.url.port}"
        self.received.append((host, json.loads(request.content) if request.content else {}))
        if host in self.down_hosts:
            raise httpx.ConnectError("connection refused", request=request)
        if host in self.slow_hosts:
            raise httpx.ReadTimeout("timed out", request=request)
        if host in self.loading_hosts:
            return httpx.Response(409, json={"message": "No agent loaded"})
        if request.url.path == "/model/parse" and request.method == "POST":
            return httpx.Response(200, json=self.reply(json.loads(request.content)))
        return httpx.Response(404)

    def parse_calls(self, host: str | None = None) -> int:
        return sum(1 for h, _ in self.received if host is None or h == host)
