"""Tokens refused when wrong (even of the right length), SQL-injection strings stored verbatim,
and no citizen's name or phone number in any log line of a full intake and a chat."""

from __future__ import annotations

import csv
import io
import logging
import re
import unicodedata
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from api.zalo.signature import SIGNATURE_HEADER
from tests.security.conftest import ADMIN, ADMIN_TOKEN, case_body
from tests.zalo.conftest import (  # noqa: F401 - fixtures used by name
    ZaloApp,
    event,
    fake_rasa,
    fake_zalo,
    signed,
    zapp,
)

INJECTIONS = ["'; DROP TABLE cases; --", '" OR 1=1 --']


def _flip(text: str, index: int) -> str:
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    index %= len(text)
    char = text[index]
    other = alphabet[(alphabet.index(char) + 1) % len(alphabet)] if char in alphabet else "A"
    return text[:index] + other + text[index + 1:]


@pytest.mark.parametrize("index", [0, 4, 17, -1], ids=["first", "after-prefix", "middle", "last"])
def test_wrong_admin_token_of_the_same_length_is_refused(
    make_client: Callable[..., TestClient], index: int
) -> None:
    client = make_client()
    wrong = _flip(ADMIN_TOKEN, index)
    assert len(wrong) == len(ADMIN_TOKEN) and wrong != ADMIN_TOKEN
    headers = {"Authorization": f"Bearer {wrong}"}
    assert client.get("/api/v1/cases", headers=headers).status_code == 401
    assert client.post("/api/v1/cases", json=case_body(), headers=headers).status_code == 401
    assert client.get("/api/v1/cases", headers=ADMIN).status_code == 200  # the right one works


@pytest.mark.parametrize("index", [0, 31, 63], ids=["first", "middle", "last"])
def test_zalo_signature_wrong_in_one_hex_digit_is_refused(zapp: ZaloApp, index: int) -> None:  # noqa: F811
    zapp.start()
    raw, headers = signed(event(text="xin chào"))
    scheme, mac = headers[SIGNATURE_HEADER].split("=", 1)
    digit = mac[index]
    wrong = mac[:index] + ("0" if digit != "0" else "1") + mac[index + 1:]
    assert len(wrong) == len(mac)
    assert zapp.client is not None
    response = zapp.client.post(
        "/webhooks/zalo", content=raw, headers=headers | {SIGNATURE_HEADER: f"{scheme}={wrong}"}
    )
    assert response.status_code == 401
    assert zapp.inbox() == []


def test_sql_injection_strings_are_stored_and_read_back_verbatim(
    make_client: Callable[..., TestClient],
) -> None:
    client = make_client()
    description, commune = INJECTIONS
    body = case_body(description=description, commune=commune)
    created = client.post("/api/v1/cases", json=body, headers=ADMIN)
    assert created.status_code == 201, created.text
    code = created.json()["code"]
    detail = client.get(f"/api/v1/cases/{code}", headers=ADMIN).json()
    assert detail["description"] == description and detail["commune"] == commune
    note = client.patch(f"/api/v1/cases/{code}", json={"note": INJECTIONS[0]}, headers=ADMIN)
    assert note.status_code == 200
    rows = list(csv.reader(io.StringIO(client.get("/api/v1/cases.csv", headers=ADMIN).text.lstrip("\ufeff"))))
    assert any(description in row and commune in row for row in rows)
    for q in INJECTIONS:  # as search words they match only the case that contains them
        found = client.get("/api/v1/cases", params={"q": q}, headers=ADMIN)
        assert found.status_code == 200
        assert [c["code"] for c in found.json()["data"]] == [code]
    client.post("/api/v1/cases", json=case_body(description="Tranh chấp hợp đồng lao động."), headers=ADMIN)
    assert client.get("/api/v1/cases", headers=ADMIN).json()["count"] == 2  # the table is still there
    for bad_code in INJECTIONS:
        lookup = client.post("/api/v1/cases/status", json={"code": bad_code, "phone_last4": "5678"})
        assert lookup.status_code in (200, 422) and lookup.json().get("found") in (None, False)


NAME = "Phạm Thị Thu Hương"
PHONE = "0987 654 321"


def _phone_forms(phone: str) -> list[str]:
    digits = re.sub(r"\D", "", phone)
    national = digits[1:]
    return [digits, "+84" + national, "84" + national, national, phone, "+84 " + phone[1:],
            f"{digits[:4]}.{digits[4:7]}.{digits[7:]}"]


def test_no_name_or_phone_number_in_any_log_line(
    make_client: Callable[..., TestClient], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    for name in ("uvicorn", "uvicorn.access", "uvicorn.error", "sqlalchemy", "sqlalchemy.engine",
                 "sqlalchemy.pool", "httpx", "httpcore", "fastapi", "api", "alembic"):
        caplog.set_level(logging.DEBUG, logger=name)
    client = make_client()
    created = client.post("/api/v1/cases", json=case_body(full_name=NAME, phone=PHONE), headers=ADMIN)
    assert created.status_code == 201, created.text
    code = created.json()["code"]
    again = client.post("/api/v1/cases", json=case_body(full_name=NAME, phone=PHONE), headers=ADMIN)
    assert again.status_code == 200  # the duplicate path logs too
    detail = client.get(f"/api/v1/cases/{code}", headers=ADMIN).json()
    assert detail["full_name"] == NAME
    patched = client.patch(
        f"/api/v1/cases/{code}", json={"note": f"Đã gọi lại cho {NAME} số {PHONE}"}, headers=ADMIN
    )
    assert patched.status_code == 200
    exported = client.get("/api/v1/cases.csv", headers=ADMIN)
    assert NAME in exported.text  # the data is really there...
    assert client.post("/api/v1/cases/status", json={"code": code, "phone_last4": "4321"}).json()["found"]
    message = f"Tôi là {NAME}, số điện thoại {PHONE}, +84987654321"
    chat = client.post("/api/v1/chat", json={"text": message})
    assert chat.status_code == 200
    bad = client.post("/api/v1/cases", json=case_body(full_name=NAME, phone="12"), headers=ADMIN)
    assert bad.status_code == 422

    records = caplog.records
    assert any(r.name.startswith("sqlalchemy.engine") for r in records)  # the capture really works
    logged = "\n".join(
        f"{r.name} {r.getMessage()} {r.exc_text or ''} {getattr(r, 'args', '')}" for r in records
    )
    texts = [logged, unicodedata.normalize("NFC", logged)]
    forbidden = [NAME, unicodedata.normalize("NFD", NAME), "Thu Hương", *_phone_forms(PHONE)]
    for text in texts:
        for value in forbidden:
            assert value not in text, f"{value!r} found in the logs"
