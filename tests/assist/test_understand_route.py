"""POST /api/v1/understand through the real app (fake index): 2,000 characters, 422s, service token."""

from __future__ import annotations

from tests.assist.fakes import FakeIndex


def test_understand_route(make_assist) -> None:
    console = make_assist(index=FakeIndex())
    client = console.client
    story = ("x " * 900) + "Nhà tôi hộ nghèo, tôi có được trợ giúp pháp lý không?"
    ok = client.post("/api/v1/understand", json={"text": story[-2000:]})
    assert ok.status_code == 200, ok.text
    body = ok.json()
    assert body["kind"] == "eligibility" and body["messages"][0]["text"].startswith("Có.")
    assert client.post("/api/v1/understand", json={"text": "a" * 2001}).status_code == 422
    empty = client.post("/api/v1/understand", json={"text": "   "})
    assert empty.status_code == 422 and "trống" in empty.json()["detail"]
