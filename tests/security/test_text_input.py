"""A lone surrogate in typed text is a 422 in Vietnamese, never a 500 (issue 11, finding 9).

JSON may carry `"\\ud800"`; Python decodes it, UTF-8 cannot encode it, so it used to fail when the
text went on to Rasa (web chat) or into the analysis (hotline console) and reached the client as 500.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from api.core.text import INVALID_CHARACTERS, UserText, clean_text
from tests.security.conftest import ADMIN

LONE = [b"\\ud800", b"xin ch\\u00e0o \\udfff", b"\\udc00\\ud800", b"0912 345 678 \\ud83d"]  # no pair


def _post(client: TestClient, path: str, raw_json: bytes, headers: dict | None = None):
    headers = {"content-type": "application/json", **(headers or {})}
    return client.post(path, content=raw_json, headers=headers)


@pytest.fixture
def client(make_client: Callable[..., TestClient]) -> TestClient:
    return make_client()  # a 500 raises in the test client: the test fails


@pytest.mark.parametrize("text", LONE)
def test_lone_surrogate_in_chat_text_is_422(client: TestClient, text: bytes) -> None:
    response = _post(client, "/api/v1/chat", b'{"text": "' + text + b'"}')
    assert response.status_code == 422, response.text
    assert response.json() == {"detail": INVALID_CHARACTERS}


@pytest.mark.parametrize("text", LONE)
def test_lone_surrogate_in_assist_text_is_422(client: TestClient, text: bytes) -> None:
    response = _post(client, "/api/v1/assist", b'{"text": "' + text + b'"}', ADMIN)
    assert response.status_code == 422, response.text
    assert response.json() == {"detail": INVALID_CHARACTERS}


def test_a_surrogate_pair_is_an_ordinary_character(client: TestClient) -> None:
    response = _post(client, "/api/v1/chat", b'{"text": "c\\u1ea3m \\u01a1n \\ud83d\\ude4f"}')  # "cảm ơn 🙏"
    assert response.status_code == 200, response.text


def test_one_type_for_every_text_field() -> None:
    from pydantic import BaseModel, ValidationError

    class Model(BaseModel):
        text: UserText

    assert Model(text="Hòa giải").text == clean_text("Hòa giải")
    with pytest.raises(ValidationError, match="không hợp lệ"):
        Model(text="a\ud800")


class _Index:
    """A knowledge index that finds nothing (the index itself is not what is tested here)."""

    def search(self, query: str, **_: object) -> list:
        query.encode("utf-8")  # what the real index does with the text, one way or another
        return []


def test_lone_surrogate_in_a_posted_question_is_422(make_client: Callable[..., TestClient]) -> None:
    from api.deps import get_knowledge_index

    client = make_client()
    client.app.dependency_overrides[get_knowledge_index] = _Index
    assert _post(client, "/api/v1/answer", b'{"q": "h\\u1ed9 ngh\\u00e8o"}').status_code == 200
    response = _post(client, "/api/v1/answer", b'{"q": "h\\u1ed9 ngh\\u00e8o \\ud800"}')
    assert response.status_code == 422, response.text
    assert response.json() == {"detail": INVALID_CHARACTERS}
