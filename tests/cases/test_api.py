"""The case api through TestClient, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import re
import threading
from collections.abc import Callable

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import update

from api.cases.models import StaffToken
from api.cases.security import Role, create_token, revoke_token
from api.core.config import Settings
from api.core.db import Database
from api.main import create_app
from knowledge.case_code import CODE_PATTERN
from tests.cases.conftest import ACTION_TOKEN, Staff, case_body

PUBLIC = {("POST", "/api/v1/cases/status")}
STAFF_PREFIXES = ("/api/v1/cases", "/api/v1/stats", "/api/v1/audit", "/api/v1/me")


def submit(client: TestClient, headers: dict, **overrides):
    return client.post("/api/v1/cases", json=case_body(**overrides), headers=headers)


def staff_routes(app) -> list[tuple[str, str]]:
    """(method, path) of every route under the staff prefixes, included routers flattened."""
    try:  # FastAPI >= 0.16x keeps included routers as one entry in app.routes
        from fastapi.routing import iter_route_contexts

        contexts = [(c.path, c.methods) for c in iter_route_contexts(app.routes)]
    except ImportError:
        contexts = [(r.path, r.methods) for r in app.routes if isinstance(r, APIRoute)]
    return [
        (method, path)
        for path, methods in contexts
        if path and path.startswith(STAFF_PREFIXES)
        for method in sorted(methods or ())
        if (method, path) not in PUBLIC and method != "HEAD"
    ]


@pytest.mark.parametrize("token", [None, "", "sai-ma", "Basic abc", ACTION_TOKEN + "x"])
def test_every_staff_route_refuses_without_a_valid_token(
    client: TestClient, staff: Staff, token: str | None
) -> None:
    routes = staff_routes(client.app)
    assert len(routes) >= 6, routes
    for method, path in routes:
        url = re.sub(r"\{[^}]+\}", "TGPL-2026-000001", path)
        if token is None:
            headers = {}
        elif token.startswith("Basic"):
            headers = {"Authorization": token}
        else:
            headers = {"Authorization": f"Bearer {token}"}
        response = client.request(method, url, headers=headers, json=case_body())
        assert response.status_code == 401, (method, path, response.text)
        assert response.headers["www-authenticate"] == "Bearer"
        assert "mã truy cập" in response.json()["detail"]


def test_roles(client: TestClient, staff: Staff) -> None:
    code = submit(client, staff.operator).json()["code"]
    for headers in (staff.operator, staff.action_server, staff.reviewer, staff.admin):
        assert client.get("/api/v1/cases", headers=headers).status_code == 200
        assert client.get(f"/api/v1/cases/{code}", headers=headers).status_code == 200
        assert client.get("/api/v1/stats", headers=headers).status_code == 200
    for headers in (staff.operator, staff.action_server):
        assert client.patch(f"/api/v1/cases/{code}", json={"note": "x"}, headers=headers).status_code == 403
        forbidden = client.get("/api/v1/cases.csv", headers=headers)
        assert forbidden.status_code == 403 and "không có quyền" in forbidden.json()["detail"]
    assert (
        client.patch(f"/api/v1/cases/{code}", json={"note": "đã xem"}, headers=staff.reviewer).status_code
        == 200
    )
    assert client.get("/api/v1/cases.csv", headers=staff.admin).status_code == 200


def test_revoked_token_is_refused(client: TestClient, database: Database) -> None:
    with database.session() as session:
        token, secret = create_token(session, name="Cán bộ nghỉ việc", role=Role.reviewer)
        headers = {"Authorization": f"Bearer {secret}"}
        assert client.get("/api/v1/stats", headers=headers).status_code == 200
        revoke_token(session, token_id=token.id)
    assert client.get("/api/v1/stats", headers=headers).status_code == 401


def test_token_with_a_role_this_version_does_not_know_is_refused_not_a_500(
    client: TestClient, database: Database
) -> None:
    with database.session() as session:
        token, secret = create_token(session, name="Vai trò lạ", role=Role.operator)
        session.execute(update(StaffToken).where(StaffToken.id == token.id).values(role="auditor"))
        session.commit()
    response = client.get("/api/v1/stats", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 401


@pytest.mark.parametrize(
    ("environment", "value", "accepted"),
    [
        ("production", "changeme", False),
        ("production", "short-token-123", False),
        ("production", "x" * 40, False),
        ("production", "Zq3v-8PwLr2mT9sKx4Yb7NcA", True),
        ("development", "changeme", True),
    ],
)
def test_env_admin_token_strength(
    db_url: str, settings_for: Callable[..., Settings], environment: str, value: str, accepted: bool
) -> None:
    settings = settings_for(db_url, environment=environment, api_admin_token=value)
    with TestClient(create_app(settings)) as client:
        response = client.get("/api/v1/stats", headers={"Authorization": f"Bearer {value}"})
    assert response.status_code == (200 if accepted else 401)


def test_submit_validation_in_vietnamese(client: TestClient, staff: Staff) -> None:
    response = submit(client, staff.operator, consent=False)
    assert response.status_code == 422 and "đồng ý" in response.json()["detail"]
    response = submit(client, staff.operator, phone="12345")
    assert response.status_code == 422 and "Số điện thoại không hợp lệ" in response.json()["detail"]
    response = submit(client, staff.operator, province="Sao Hỏa")
    assert response.status_code == 422 and "tỉnh/thành phố" in response.json()["detail"]
    response = submit(client, staff.operator, channel="fax")
    assert response.status_code == 422


def test_submit_dedup_and_idempotency(client: TestClient, staff: Staff) -> None:
    first = submit(client, staff.action_server)
    assert first.status_code == 201 and CODE_PATTERN.fullmatch(first.json()["code"])
    assert first.json()["created"] is True and first.json()["code"] in first.json()["message"]
    again = submit(
        client,
        staff.action_server,
        description="gia dinh toi bi hang xom lan chiem dat ruong, toi muon duoc tro giup phap ly",
        phone="+84912345678",
    )
    assert again.status_code == 200 and again.json()["code"] == ""  # a duplicate: no code told
    assert again.json()["created"] is False and first.json()["code"] not in again.text

    key = {"Idempotency-Key": "rasa-sender-9f2c:3"}
    other = dict(phone="0388 777 666", description="Xin hỏi thủ tục nhận con nuôi.")
    made = client.post("/api/v1/cases", json=case_body(**other), headers=staff.operator | key)
    retried = client.post("/api/v1/cases", json=case_body(**other), headers=staff.operator | key)
    assert (made.status_code, retried.status_code) == (201, 200)
    assert made.json()["code"] == retried.json()["code"] != first.json()["code"]
    conflict = client.post("/api/v1/cases", json=case_body(description="Khác"), headers=staff.operator | key)
    assert conflict.status_code == 409
    assert client.get("/api/v1/cases", headers=staff.operator).json()["count"] == 2


def test_concurrent_submits_with_one_key(client: TestClient, staff: Staff) -> None:
    barrier = threading.Barrier(5)
    statuses: list[tuple[int, str]] = []
    headers = staff.action_server | {"Idempotency-Key": "zalo-msg-7788"}

    def send() -> None:
        barrier.wait()
        response = client.post("/api/v1/cases", json=case_body(channel="web"), headers=headers)
        statuses.append((response.status_code, response.json().get("code", "")))

    threads = [threading.Thread(target=send) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(s for s, _ in statuses) == [200, 200, 200, 200, 201]
    assert len({c for _, c in statuses}) == 1
    assert client.get("/api/v1/cases", headers=staff.operator).json()["count"] == 1


def test_list_masks_and_pages(client: TestClient, staff: Staff) -> None:
    submit(client, staff.operator)
    submit(
        client,
        staff.operator,
        full_name="Hoàng Thị Mỷ",
        phone="0987654367",
        province="sai gon",
        commune="Phường Chợ Lớn",
        description="Công ty nợ lương, không đóng bảo hiểm xã hội.",
    )
    body = client.get("/api/v1/cases", params={"limit": 1}, headers=staff.reviewer).json()
    assert body["count"] == 2 and len(body["data"]) == 1
    newest = body["data"][0]
    assert newest["full_name"] == "Hoàng T** M**" and newest["phone"] == "098*******"
    assert newest["province"] == "Thành phố Hồ Chí Minh" and newest["status_label"] == "Mới"
    found = client.get("/api/v1/cases", params={"q": "NO LUONG", "province": "hcm"}, headers=staff.operator)
    assert found.json()["count"] == 1
    assert client.get("/api/v1/cases", params={"q": "cho lon"}, headers=staff.operator).json()["count"] == 1
    assert (
        client.get("/api/v1/cases", params={"status": "closed"}, headers=staff.operator).json()["count"] == 0
    )
    assert client.get("/api/v1/cases", params={"limit": 500}, headers=staff.operator).status_code == 422
    assert client.get("/api/v1/cases", params={"status": "xyz"}, headers=staff.operator).status_code == 422


def test_detail_masking_by_role_and_history(client: TestClient, staff: Staff) -> None:
    code = submit(client, staff.operator).json()["code"]
    operator_view = client.get(f"/api/v1/cases/{code}", headers=staff.operator).json()
    assert operator_view["full_name"] == "Nguyễn V** A**" and operator_view["phone"] == "091*******"
    reviewer_view = client.get(f"/api/v1/cases/{code.lower()}", headers=staff.reviewer).json()
    assert reviewer_view["full_name"] == "Nguyễn Văn An" and reviewer_view["phone"] == "+84912345678"
    assert [e["action"] for e in reviewer_view["events"]] == ["created"]
    assert reviewer_view["events"][0]["actor"] == "Tổng đài 1900 (operator)"
    assert client.get("/api/v1/cases/TGPL-2026-999999", headers=staff.reviewer).status_code == 404


def test_patch_flow(client: TestClient, staff: Staff) -> None:
    code = submit(client, staff.operator).json()["code"]
    url = f"/api/v1/cases/{code}"
    response = client.patch(url, json={"status": "closed", "outcome": "x"}, headers=staff.reviewer)
    assert response.status_code == 409
    assert response.json()["detail"] == "Không thể chuyển hồ sơ từ trạng thái 'Mới' sang 'Đã đóng'."
    response = client.patch(url, json={"status": "rejected"}, headers=staff.reviewer)
    assert response.status_code == 422 and "lý do" in response.json()["detail"]
    assert client.patch(url, json={}, headers=staff.reviewer).status_code == 422
    steps = [
        {"status": "accepted", "assignee": "Luật sư Lường Văn Thắng"},
        {"status": "in_progress", "note": "Đã hẹn gặp tại UBND xã"},
        {"status": "closed", "outcome": "Hòa giải thành, hai bên ký biên bản."},
    ]
    for step in steps:
        response = client.patch(url, json=step, headers=staff.reviewer)
        assert response.status_code == 200, response.text
    detail = response.json()
    assert detail["status"] == "closed" and detail["status_label"] == "Đã đóng"
    assert [e["to_status"] for e in detail["events"]] == ["new", "accepted", "in_progress", "closed"]
    assert client.patch(url, json={"status": "accepted"}, headers=staff.admin).status_code == 409


def test_csv_export(client: TestClient, staff: Staff) -> None:
    submit(client, staff.operator)
    submit(
        client,
        staff.operator,
        full_name='=HYPERLINK("x")',
        phone="0214 3820 123",
        province="Điện Biên",
        description="Tranh chap dat rung cong dong",
    )
    response = client.get("/api/v1/cases.csv", headers=staff.reviewer)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Mã hồ sơ", "Ngày tiếp nhận (giờ Việt Nam)", "Kênh"] and len(rows) == 3
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", rows[1][1])
    names = {row[4] for row in rows[1:]}
    assert names == {"Nguyễn Văn An", '\'=HYPERLINK("x")'}
    assert {row[5] for row in rows[1:]} == {"0912 345 678", "021 4382 0123"}
    filtered = client.get("/api/v1/cases.csv", params={"province": "dien bien"}, headers=staff.reviewer)
    assert len(list(csv.reader(io.StringIO(filtered.content.decode("utf-8-sig"))))) == 2


def test_stats(client: TestClient, staff: Staff) -> None:
    submit(client, staff.operator)
    submit(
        client,
        staff.operator,
        phone="0977000111",
        province="Cà Mau",
        eligibility_group=None,
        topic="hôn nhân gia đình",
        description="Chong bo di, toi muon ly hon va nuoi con",
    )
    code = submit(client, staff.operator, phone="0977000222", description="Hỏi về đất").json()["code"]
    client.patch(
        f"/api/v1/cases/{code}",
        json={"status": "referred", "referred_to": "Phòng Tư pháp huyện"},
        headers=staff.reviewer,
    )
    stats = client.get("/api/v1/stats", headers=staff.operator).json()
    assert stats["total"] == 3
    assert stats["by_status"] == {"new": 2, "referred": 1}
    assert stats["by_province"] == {"Cà Mau": 1, "Lào Cai": 2}
    assert stats["by_eligibility_group"] == {"(không rõ)": 1, "khoan_2_ho_ngheo": 2}
    assert stats["by_topic"] == {"hon_nhan_gia_dinh": 1, "dat_dai": 2}  # labels posted, codes stored
    assert sum(stats["by_month"].values()) == 3
    only_new = client.get("/api/v1/stats", params={"status": "new"}, headers=staff.operator).json()
    assert only_new["total"] == 2


def test_citizen_status_lookup_reveals_nothing_on_a_wrong_pair(client: TestClient, staff: Staff) -> None:
    code = submit(client, staff.operator).json()["code"]
    ok = client.post("/api/v1/cases/status", json={"code": f" {code.lower()} ", "phone_last4": "5678"})
    assert ok.status_code == 200 and ok.json()["found"] is True and ok.json()["status_label"] == "Mới"
    assert "đã nhận yêu cầu" in ok.json()["message"]
    wrong_pair = client.post("/api/v1/cases/status", json={"code": code, "phone_last4": "0000"})
    unknown = client.post("/api/v1/cases/status", json={"code": "TGPL-2026-424242", "phone_last4": "5678"})
    assert wrong_pair.status_code == unknown.status_code == 200
    assert wrong_pair.content == unknown.content
    assert wrong_pair.json()["found"] is False and code not in wrong_pair.text
    assert client.post("/api/v1/cases/status", json={"code": code, "phone_last4": "56"}).status_code == 422


def test_database_down_gives_503_and_the_rest_of_the_api_lives(
    settings_for: Callable[..., Settings], tmp_path
) -> None:
    settings = settings_for("postgresql+psycopg2://postgres@127.0.0.1:1/nowhere?connect_timeout=2")
    with TestClient(create_app(settings)) as client:
        response = client.get("/api/v1/stats", headers={"Authorization": f"Bearer {ACTION_TOKEN}"})
        assert response.status_code == 503 and "chưa sẵn sàng" in response.json()["detail"]
        assert client.get("/").status_code == 200


def test_unassign_and_operator_sees_masked_history(client: TestClient, staff: Staff) -> None:
    code = submit(client, staff.operator).json()["code"]
    submit(client, staff.operator, full_name="Nguyễn Văn Anh")  # duplicate: recorded, the case kept
    url = f"/api/v1/cases/{code}"
    assert client.patch(url, json={"assignee": "Trợ giúp viên Đinh Thị Hằng"}, headers=staff.reviewer).json()[
        "assignee"
    ]
    cleared = client.patch(url, json={"assignee": None}, headers=staff.reviewer).json()
    assert cleared["assignee"] is None
    assert cleared["events"][-1]["changes"] == {"assignee": ["Trợ giúp viên Đinh Thị Hằng", None]}
    operator_view = client.get(url, headers=staff.operator).json()
    resubmitted = next(e for e in operator_view["events"] if e["action"] == "resubmitted")
    assert resubmitted["changes"]["submitted"]["full_name"] == "Nguyễn V** A**"
    reviewer_view = client.get(url, headers=staff.reviewer).json()
    resubmitted = next(e for e in reviewer_view["events"] if e["action"] == "resubmitted")
    assert resubmitted["changes"]["submitted"]["full_name"] == "Nguyễn Văn Anh"
    assert reviewer_view["full_name"] == "Nguyễn Văn An"


def test_database_gone_after_start_up_is_a_503_to_retry_not_a_500(
    client: TestClient, staff: Staff, db_url: str
) -> None:
    """A database that stops answering (restart, network cut) after the api is ready: the case api
    answers 503 with Retry-After and a Vietnamese message, so the action server keeps the answers
    and the citizen can resend ("Gửi lại"), and a staff page can retry."""
    if not db_url.startswith("sqlite"):
        pytest.skip("one database kind is enough: the handler does not depend on it")
    from sqlalchemy import create_engine

    client.app.state.db.sessions.configure(bind=create_engine("postgresql+psycopg2://nobody@127.0.0.1:1/x"))
    created = client.post("/api/v1/cases", json=case_body(), headers=staff.action_server)
    listed = client.get("/api/v1/cases", headers=staff.reviewer)  # the token lookup needs the database
    for response in (created, listed):
        assert response.status_code == 503, response.text
        assert response.headers["Retry-After"] == "5"
        assert "tạm gián đoạn" in response.json()["detail"]
