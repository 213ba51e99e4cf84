"""Issue 11 in the case store, through the api on SQLite and PostgreSQL: a duplicate submission
cannot take a case over (6), the status lookup locks a code after wrong tries and logs no digits
(7), reads of personal data are audited for admins (11), extreme dates are 422, not 500 (9)."""

from __future__ import annotations

import csv
import io
import json
import logging
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from api.cases.schemas import CaseCreate
from api.core.config import Settings
from api.main import create_app
from tests.cases.conftest import Staff, case_body

OWNER = case_body()
# Same phone and story (spelt differently), someone else's name and province, through the web.
STRANGER = case_body(
    channel="web",
    full_name="Trần Thị Mạo Danh",
    phone="+84 912 345 678",
    province="Hà Nội",
    commune="Phường Hoàn Kiếm",
    description="gia dinh toi bi hang xom lan chiem dat ruong, toi muon duoc tro giup phap ly",
)


def post_case(client: TestClient, headers: dict, body: dict, key: str | None = None):
    extra = {"Idempotency-Key": key} if key else {}
    return client.post("/api/v1/cases", json=body, headers=headers | extra)


def lookup(client: TestClient, code: str, last4: str):
    return client.post("/api/v1/cases/status", json={"code": code, "phone_last4": last4})


# ---------- 6. duplicates ----------


def test_a_stranger_with_the_same_phone_and_story_gets_no_code_and_changes_nothing(
    client: TestClient, staff: Staff
) -> None:
    made = post_case(client, staff.action_server, OWNER, key="zalo-owner:1")
    assert made.status_code == 201
    code = made.json()["code"]

    duplicate = post_case(client, staff.action_server, STRANGER, key="web-stranger:1")
    assert duplicate.status_code == 200
    body = duplicate.json()
    # the action server's CaseReceipt reads data["code"]: still there, empty
    assert body["code"] == "" and body["created"] is False and body["status"] is None
    assert "ghi nhận" in body["message"] and "số điện thoại" in body["message"]
    for secret in (code, "Nguyễn Văn An", "Lào Cai", "trước đó", "Mới"):
        assert secret not in duplicate.text
    # retried (same Idempotency-Key): the same neutral answer, still no code
    assert post_case(client, staff.action_server, STRANGER, key="web-stranger:1").json() == body

    detail = client.get(f"/api/v1/cases/{code}", headers=staff.reviewer).json()
    assert (detail["full_name"], detail["province"], detail["commune"], detail["channel"]) == (
        "Nguyễn Văn An", "Lào Cai", "Xã Bảo Hà", "zalo"
    )
    assert detail["description"] == OWNER["description"]
    events = [e for e in detail["events"] if e["action"] == "resubmitted"]
    assert len(events) == 1, detail["events"]
    submitted = events[0]["changes"]["submitted"]
    assert submitted["full_name"] == "Trần Thị Mạo Danh" and submitted["channel"] == "web"
    assert submitted["province"] == "Hà Nội" and submitted["commune"] == "Phường Hoàn Kiếm"
    assert events[0]["at"] and "web" in events[0]["note"]
    assert client.get("/api/v1/cases", headers=staff.operator).json()["count"] == 1
    # the owner's status lookup is not affected
    assert lookup(client, code, "5678").json()["found"] is True


def test_the_same_person_retrying_the_same_submission_gets_the_same_code(
    client: TestClient, staff: Staff
) -> None:
    made = post_case(client, staff.action_server, OWNER, key="rasa-sender-1:0")
    retried = post_case(client, staff.action_server, OWNER, key="rasa-sender-1:0")
    by_field = post_case(client, staff.operator, OWNER | {"client_request_id": "rasa-sender-1:0"})
    assert (made.status_code, retried.status_code, by_field.status_code) == (201, 200, 200)
    assert made.json()["code"] == retried.json()["code"] == by_field.json()["code"] != ""
    assert retried.json()["created"] is False and made.json()["code"] in retried.json()["message"]
    without_key = post_case(client, staff.operator, OWNER)  # nothing proves it is the same person
    assert without_key.status_code == 200 and without_key.json()["code"] == ""


# ---------- 7. status lookup ----------


@pytest.fixture
def two_replicas(
    db_url: str, database, settings_for: Callable[..., Settings]
) -> Iterator[tuple[TestClient, TestClient]]:
    """Two api instances on one case store, as in production behind a load balancer."""
    one, two = (TestClient(create_app(settings_for(db_url))) for _ in range(2))
    with one, two:
        yield one, two


def test_a_code_is_locked_after_5_wrong_tries_on_any_replica(
    two_replicas: tuple[TestClient, TestClient], staff: Staff
) -> None:
    one, two = two_replicas
    code = post_case(one, staff.action_server, OWNER).json()["code"]
    other = post_case(one, staff.action_server, OWNER | {"phone": "0977 000 111"}).json()["code"]
    answers = [lookup(replica, code, f"{1000 + n}").json() for n, replica in enumerate([one, two] * 3)]
    assert [a["locked"] for a in answers] == [False] * 4 + [True] * 2
    assert all(a["found"] is False for a in answers)
    locked = lookup(two, code, "5678").json()  # the right pair, but the code is locked
    assert locked["found"] is False and locked["locked"] is True and locked["status"] is None
    assert "thử lại sau 15 phút" in locked["message"] and code not in str(locked)
    assert lookup(one, other, "0111").json()["found"] is True  # other codes are not affected

    # an unknown code locks the same way: the lock says nothing about whether a case exists
    unknown = "TGPL-2026-ZZZZZZ"
    unknown_answers = [lookup(one, unknown, f"{2000 + n}") for n in range(6)]
    assert [a.json()["locked"] for a in unknown_answers] == [False] * 4 + [True] * 2
    assert unknown_answers[-1].content == lookup(one, code, "1234").content


def test_a_right_answer_clears_the_count_and_the_lock_ends(session: Session) -> None:
    from api.cases.crud import submit_case
    from api.cases.lookup import LookupPolicy, guarded_lookup

    case, _ = submit_case(session, data=CaseCreate(**OWNER), actor="test")
    policy = LookupPolicy(max_failures=5, lock=timedelta(minutes=15))
    start = datetime.now(UTC)

    def attempt(last4: str, minutes: float):
        return guarded_lookup(
            session, code=case.code, phone_last4=last4, policy=policy, now=start + timedelta(minutes=minutes)
        )

    for n in range(4):
        assert attempt("0000", n).case is None
    assert attempt("5678", 4).case.id == case.id  # right: the count starts again
    for n in range(4):
        assert not attempt("0000", 5 + n).locked
    assert attempt("0000", 9).locked
    assert attempt("5678", 23).locked  # 14 minutes into the lock
    assert attempt("5678", 24.5).case.id == case.id  # the lock is over
    # wrong tries spread wider than the window never lock
    for n in range(10):
        assert not attempt("0000", 30 + 16 * n).locked


def test_concurrent_wrong_tries_are_all_counted(database, session: Session) -> None:
    """Ten wrong tries at once (several replicas, many workers): exactly five are answered before
    the lock, the rest are refused; none is lost to a race."""
    import threading

    from api.cases.crud import submit_case
    from api.cases.lookup import LookupPolicy, guarded_lookup

    case, _ = submit_case(session, data=CaseCreate(**OWNER), actor="test")
    policy = LookupPolicy(max_failures=5, lock=timedelta(minutes=15))
    barrier = threading.Barrier(10)
    results: list[bool] = []
    errors: list[BaseException] = []

    def attempt(n: int) -> None:
        try:
            with database.session() as own:
                barrier.wait()
                result = guarded_lookup(own, code=case.code, phone_last4=f"{1000 + n}", policy=policy)
                results.append(result.locked)
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    assert sorted(results) == [False] * 4 + [True] * 6


def test_lock_settings_come_from_the_environment(
    db_url: str, database, settings_for: Callable[..., Settings], staff: Staff
) -> None:
    settings = settings_for(db_url, case_lookup_max_failures=2, case_lookup_lock_minutes=30)
    with TestClient(create_app(settings)) as client:
        code = post_case(client, staff.action_server, OWNER).json()["code"]
        assert [lookup(client, code, "1111").json()["locked"] for _ in range(2)] == [False, True]
        assert "30 phút" in lookup(client, code, "5678").json()["message"]


def test_failed_lookups_are_logged_without_the_digits_or_the_person(
    client: TestClient, staff: Staff, caplog: pytest.LogCaptureFixture
) -> None:
    code = post_case(client, staff.action_server, OWNER).json()["code"]
    caplog.set_level(logging.INFO)
    caplog.clear()
    for _ in range(5):
        lookup(client, code, "8137")
    lookup(client, code, "5678")
    lines = [record.getMessage() for record in caplog.records]
    failed = [line for line in lines if "lookup" in line.lower()]
    assert len(failed) >= 6 and any("locked" in line for line in failed), lines
    assert any(code in line for line in failed)
    for line in lines:
        for secret in ("8137", "5678", "912345678", "Nguyễn", "Văn An"):
            assert secret not in line, line


# ---------- 11. audit of personal-data reads ----------


def test_case_views_and_csv_exports_are_audited_for_admins(client: TestClient, staff: Staff) -> None:
    code = post_case(client, staff.action_server, OWNER).json()["code"]
    post_case(client, staff.action_server, OWNER | {"phone": "0977000111", "province": "Cà Mau"})
    assert client.get("/api/v1/audit", headers=staff.admin).json() == {"data": [], "count": 0}

    client.get(f"/api/v1/cases/{code}", headers=staff.reviewer)
    client.get(f"/api/v1/cases/{code.lower()}", headers=staff.operator)
    filters = {"province": "lao cai", "created_from": "2026-01-01"}
    exported = client.get("/api/v1/cases.csv", params=filters, headers=staff.reviewer)
    assert len(list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))) == 2
    client.get("/api/v1/cases", headers=staff.reviewer)  # lists (masked) are not audited

    audit = client.get("/api/v1/audit", headers=staff.admin)
    assert audit.status_code == 200 and audit.headers["cache-control"] == "no-store"
    rows = audit.json()["data"]
    assert audit.json()["count"] == 3
    export, operator_view, reviewer_view = rows  # newest first
    assert reviewer_view["action"] == "case_viewed" and reviewer_view["case_code"] == code
    assert reviewer_view["actor"] == "Lò Thị Mai - TT TGPL Lai Châu (reviewer)" and reviewer_view["full_data"]
    assert reviewer_view["token_id"] is not None and reviewer_view["at"]
    assert operator_view["actor"] == "Tổng đài 1900 (operator)" and operator_view["full_data"] is False
    assert export["action"] == "cases_exported" and export["row_count"] == 1 and export["case_code"] is None
    assert export["filters"] == {"province": "Lào Cai", "created_from": "2026-01-01"}

    only_exports = client.get("/api/v1/audit", params={"action": "cases_exported"}, headers=staff.admin)
    only_exports = only_exports.json()
    assert [r["action"] for r in only_exports["data"]] == ["cases_exported"]
    by_case = client.get("/api/v1/audit", params={"case_code": code.lower()}, headers=staff.admin).json()
    assert by_case["count"] == 2
    for headers in (staff.reviewer, staff.operator, staff.action_server):
        assert client.get("/api/v1/audit", headers=headers).status_code == 403
    assert client.get("/api/v1/audit").status_code == 401


def test_a_patch_that_changes_nothing_still_leaves_a_trace(client: TestClient, staff: Staff) -> None:
    code = post_case(client, staff.action_server, OWNER).json()["code"]
    same = client.patch(f"/api/v1/cases/{code}", json={"status": "new"}, headers=staff.reviewer)
    assert same.status_code == 200 and same.json()["full_name"] == "Nguyễn Văn An"
    client.patch(f"/api/v1/cases/{code}", json={"note": "Đã gọi"}, headers=staff.reviewer)  # an event
    rows = client.get("/api/v1/audit", headers=staff.admin).json()["data"]
    assert [(r["action"], r["case_code"]) for r in rows] == [("case_viewed", code)]


def test_me_tells_the_dashboard_who_is_signed_in(client: TestClient, staff: Staff) -> None:
    me = client.get("/api/v1/me", headers=staff.admin)
    assert me.json() == {"name": "env:API_ADMIN_TOKEN", "role": "admin"}
    assert client.get("/api/v1/me", headers=staff.reviewer).json()["role"] == "reviewer"
    assert client.get("/api/v1/me").status_code == 401


# ---------- 9. extreme dates ----------


@pytest.mark.parametrize("path", ["/api/v1/cases", "/api/v1/stats", "/api/v1/cases.csv"])
@pytest.mark.parametrize(
    "params",
    [
        {"created_from": "0001-01-01"},
        {"created_to": "9999-12-31"},
        {"created_from": "1999-12-31"},
        {"created_to": "2101-01-01"},
        {"created_from": "0001-01-01", "created_to": "9999-12-31"},
    ],
)
def test_extreme_dates_are_422_in_vietnamese(
    client: TestClient, staff: Staff, path: str, params: dict
) -> None:
    response = client.get(path, params=params, headers=staff.reviewer)
    assert response.status_code == 422, response.text
    assert "Ngày không hợp lệ" in response.json()["detail"] and "2000" in response.json()["detail"]


def test_dates_at_the_ends_of_the_range_are_accepted(client: TestClient, staff: Staff) -> None:
    post_case(client, staff.action_server, OWNER)
    params = {"created_from": "2000-01-01", "created_to": "2100-12-31"}
    for path in ("/api/v1/cases", "/api/v1/stats", "/api/v1/cases.csv"):
        assert client.get(path, params=params, headers=staff.reviewer).status_code == 200


@pytest.mark.parametrize(
    "consent_at",
    ["0001-01-01T00:00:00+07:00", "9999-12-31T23:59:59-07:00", "2999-01-01T00:00:00Z", "1990-05-01T08:00Z"],
)
def test_extreme_consent_times_are_422(client: TestClient, staff: Staff, consent_at: str) -> None:
    response = post_case(client, staff.action_server, OWNER | {"consent_at": consent_at})
    assert response.status_code == 422, response.text
    assert "consent_at" in response.json()["detail"]


@pytest.mark.parametrize("field", ["full_name", "description", "commune", "client_request_id"])
def test_a_lone_surrogate_in_a_case_is_422_not_500(client: TestClient, staff: Staff, field: str) -> None:
    def post_raw(path: str, body: dict, headers: dict | None = None):
        # json.dumps escapes the surrogate as \\ud800, as a client would send it
        headers = {"Content-Type": "application/json"} | (headers or {})
        return client.post(path, content=json.dumps(body), headers=headers)

    response = post_raw("/api/v1/cases", OWNER | {field: "Nguyễn \ud800 An"}, staff.action_server)
    assert response.status_code == 422 and "Unicode" in response.json()["detail"]
    status = post_raw("/api/v1/cases/status", {"code": "TGPL-2026-\ud800", "phone_last4": "1234"})
    assert status.status_code == 422 and "Unicode" in status.json()["detail"]
