"""Issue 14, items 8–10 and 13 on the case store: codes only (labels accepted as input), the caller
beside the beneficiary, the report fields, the first-contact and acceptance times, phone search in
any spelling, and migration 0005 over rows written before it (SQLite and PostgreSQL)."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, text

from api.cases.crypto import active_keyring
from api.cases.models import Case
from api.cases.rekey import check_keys, rotate_keys
from api.core.db import Database, make_engine, upgrade_database
from tests.cases.conftest import Staff, case_body
from tests.cases.test_encryption import fresh_url  # noqa: F401 - the fixture: a database at no revision

CALLER = {"caller_name": "Lý Văn Hùng", "caller_phone": "0977 111 222", "caller_relation": "con"}


def submit(client: TestClient, staff: Staff, **overrides) -> tuple[int, dict]:
    response = client.post("/api/v1/cases", json=case_body(**overrides), headers=staff.action_server)
    return response.status_code, response.json()


def test_only_known_codes_are_stored(client: TestClient, staff: Staff) -> None:
    status, answer = submit(client, staff, topic="chuyện linh tinh")
    assert status == 422 and answer["detail"].startswith("Lĩnh vực không hợp lệ: 'chuyện linh tinh'")
    assert "dat_dai" in answer["detail"]  # the known codes are listed
    status, answer = submit(client, staff, eligibility_group="khoan_9_ai_cung_duoc")
    assert status == 422 and "Diện được trợ giúp không hợp lệ" in answer["detail"]
    wrong = (("caller_relation", "bạn nhậu"), ("beneficiary_gender", "x"), ("legal_aid_form", "kiện"))
    for field, value in wrong:
        status, answer = submit(client, staff, **{field: value})
        assert status == 422 and "không hợp lệ" in answer["detail"], field
    status, answer = submit(client, staff, topic="Hôn nhân gia đình", eligibility_group="Hộ nghèo",
                            legal_aid_form="Tư vấn pháp luật", beneficiary_gender="Nữ")
    assert status == 201, answer
    detail = client.get(f"/api/v1/cases/{answer['code']}", headers=staff.reviewer).json()
    stored = tuple(detail[f] for f in ("topic", "eligibility_group", "legal_aid_form", "beneficiary_gender"))
    assert stored == ("hon_nhan_gia_dinh", "khoan_2_ho_ngheo", "tu_van_phap_luat", "nu")
    status, answer = submit(client, staff, eligibility_group="khong_ro", description="Một việc khác hẳn.")
    assert status == 201
    unknown = client.get(f"/api/v1/cases/{answer['code']}", headers=staff.reviewer).json()
    assert unknown["eligibility_group"] is None
    filtered = client.get("/api/v1/cases", params={"topic": "lĩnh vực không có"}, headers=staff.operator)
    assert filtered.status_code == 422


def test_caller_and_beneficiary_are_two_people(client: TestClient, staff: Staff, database: Database) -> None:
    status, answer = submit(client, staff, channel="hotline", **CALLER)
    assert status == 201
    code = answer["code"]
    full = client.get(f"/api/v1/cases/{code}", headers=staff.reviewer).json()
    assert (full["full_name"], full["phone"]) == ("Nguyễn Văn An", "+84912345678")  # the beneficiary
    assert (full["caller_name"], full["caller_phone"], full["caller_relation"]) == (
        "Lý Văn Hùng", "+84977111222", "con")
    listed = client.get("/api/v1/cases", headers=staff.operator).json()["data"][0]
    assert (listed["caller_name"], listed["caller_phone"]) == ("Lý V** H**", "097*******")
    with database.engine.connect() as connection:
        raw = json.dumps(list(connection.execute(text("SELECT caller_name, caller_phone FROM cases")).one()))
    assert "Hùng" not in raw and "977111222" not in raw and "gAAAAA" in raw  # encrypted at rest
    # The beneficiary called themself: no caller is kept, whatever else was typed.
    status, answer = submit(client, staff, description="Tôi tự gọi.", caller_name="Nguyễn Văn An",
                            caller_relation="ban_than")
    assert status == 201
    own = client.get(f"/api/v1/cases/{answer['code']}", headers=staff.reviewer).json()
    assert own["caller_name"] is None and own["caller_relation"] is None


@pytest.mark.parametrize("typed", ["0977 111 222", "+84977111222", "84-977-111-222", "(+84) 0977.111.222"])
def test_search_by_phone_in_any_spelling(client: TestClient, staff: Staff, typed: str) -> None:
    caller_case = submit(client, staff, **CALLER)[1]["code"]
    own_case = submit(client, staff, phone="0977111222", description="Chính chủ gọi.")[1]["code"]
    submit(client, staff, phone="0988 000 111", description="Người khác.")
    for params in ({"phone": typed}, {"q": typed}):
        page = client.get("/api/v1/cases", params=params, headers=staff.operator).json()
        assert {c["code"] for c in page["data"]} == {caller_case, own_case}, params
    bad = client.get("/api/v1/cases", params={"phone": "12345"}, headers=staff.operator)
    assert bad.status_code == 422 and "Số điện thoại không hợp lệ" in bad.json()["detail"]


def test_report_fields_times_and_masking(client: TestClient, staff: Staff) -> None:
    status, answer = submit(client, staff, beneficiary_birth_year=1950, ethnicity="Mông")
    assert status == 422 and "ethnicity_consent" in answer["detail"]
    status, answer = submit(client, staff, beneficiary_birth_year=1850)
    assert status == 422 and "Năm sinh không hợp lệ" in answer["detail"]
    status, answer = submit(client, staff, beneficiary_birth_year=1950, ethnicity="Mông",
                            ethnicity_consent=True, beneficiary_gender="nam", **CALLER)
    assert status == 201
    code = answer["code"]
    operator = client.get(f"/api/v1/cases/{code}", headers=staff.operator).json()
    assert operator["beneficiary_birth_year"] is None and operator["ethnicity"] is None  # masked
    assert operator["first_contact_at"] is None and operator["accepted_at"] is None

    before = datetime.now(UTC) - timedelta(seconds=5)
    accepted = client.patch(f"/api/v1/cases/{code}", json={"status": "accepted"}, headers=staff.reviewer)
    accepted = accepted.json()
    contact, acceptance = (datetime.fromisoformat(accepted[f]) for f in ("first_contact_at", "accepted_at"))
    assert contact == acceptance and contact >= before
    changed = client.patch(f"/api/v1/cases/{code}", headers=staff.reviewer, json={
        "legal_aid_form": "dai_dien_ngoai_to_tung", "first_contact_at": "2026-12-01T08:30:00+07:00",
        "beneficiary_birth_year": 1951, "topic": "dat_dai"})
    assert changed.status_code == 200, changed.text
    detail = changed.json()
    assert detail["legal_aid_form"] == "dai_dien_ngoai_to_tung" and detail["beneficiary_birth_year"] == 1951
    assert datetime.fromisoformat(detail["first_contact_at"]) == datetime(2026, 12, 1, 1, 30, tzinfo=UTC)
    assert datetime.fromisoformat(detail["accepted_at"]) == acceptance  # set once
    event = detail["events"][-1]
    assert event["changes"]["beneficiary_birth_year"] == ["1950", 1951] or event["changes"][
        "beneficiary_birth_year"] == ["1950", "1951"]
    masked = client.get(f"/api/v1/cases/{code}", headers=staff.operator).json()["events"][-1]["changes"]
    assert masked["beneficiary_birth_year"] == ["***", "***"]  # operators do not see it in the history
    bad = client.patch(f"/api/v1/cases/{code}", json={"outcome_code": "thang_kien"}, headers=staff.reviewer)
    assert bad.status_code == 422 and "Kết quả vụ việc không hợp lệ" in bad.json()["detail"]
    client.patch(f"/api/v1/cases/{code}", json={"status": "in_progress"}, headers=staff.reviewer)
    closed = client.patch(f"/api/v1/cases/{code}", headers=staff.reviewer, json={
        "status": "closed", "outcome": "Đã tư vấn, làm đơn.", "outcome_code": "hoan_thanh"}).json()
    assert closed["outcome_code"] == "hoan_thanh"

    stats = client.get("/api/v1/stats", headers=staff.operator).json()
    assert stats["by_outcome"] == {"hoan_thanh": 1}
    assert stats["by_legal_aid_form"] == {"dai_dien_ngoai_to_tung": 1}
    assert stats["by_channel"] == {"zalo": 1}
    rows = list(csv.DictReader(io.StringIO(
        client.get("/api/v1/cases.csv", headers=staff.reviewer).content.decode("utf-8-sig"))))
    row = rows[0]
    assert (row["Kênh"], row["Lĩnh vực"], row["Diện được trợ giúp"]) == (
        "Zalo", "Đất đai", "Khoản 2 — Người thuộc hộ nghèo")
    assert row["Căn cứ (Luật Trợ giúp pháp lý)"] == "khoản 2 Điều 7"
    assert (row["Hình thức trợ giúp pháp lý"], row["Kết quả"], row["Giới tính"]) == (
        "Đại diện ngoài tố tụng", "Đã thực hiện xong yêu cầu trợ giúp pháp lý", "Nam")
    caller = (row["Người yêu cầu (người gọi)"], row["Số điện thoại người gọi"],
              row["Quan hệ với người được trợ giúp"])
    assert caller == ("Lý Văn Hùng", "0977 111 222", "Con")
    person = (row["Năm sinh"], row["Dân tộc"], row["Liên hệ lần đầu (giờ Việt Nam)"])
    assert person == ("1951", "Mông", "2026-12-01 08:30")


def test_rotation_recomputes_the_caller_index(database: Database, client: TestClient, staff: Staff) -> None:
    submit(client, staff, **CALLER)
    keyring = active_keyring()
    with database.session() as session:
        session.execute(text("UPDATE cases SET caller_phone_index = 'stale'"))
        session.commit()
        assert check_keys(session, keyring)["cases"].stale_index == 1
        rotate_keys(session, keyring)
        assert check_keys(session, keyring)["cases"].stale_index == 0
        case = session.scalars(select(Case)).one()
        assert case.caller_phone_index == keyring.phone_index("0977111222")


def test_migration_0005_maps_old_values_to_codes_and_backfills_the_times(fresh_url: str) -> None:  # noqa: F811
    engine = make_engine(fresh_url)
    upgrade_database(engine, "0004")
    keyring = active_keyring()
    old = [("đất đai", "khoan_2_ho_ngheo"), ("hôn nhân gia đình", "Hộ nghèo"), ("nợ, hợp đồng", "khong_ro"),
           ("thi hành án", None), ("chuyện gì đó", "nhóm lạ"), (None, "khoan_7c_nguoi_cao_tuoi")]
    at = datetime(2026, 11, 30, 3, 0)
    with engine.begin() as connection:
        for i, (topic, group) in enumerate(old, 1):
            connection.execute(text(
                "INSERT INTO cases (id, code, channel, full_name, phone, phone_index, province, description, "
                "consent, consent_at, status, dedup_key, search_text, created_at, updated_at, topic, "
                "eligibility_group) VALUES (:id, :code, 'web', :x, :x, 'i', 'Lào Cai', :x, true, :at, "
                ":status, "
                ":dedup, :x, :at, :at, :topic, :group)"
            ), {"id": i, "code": f"TGPL-2026-{i:06d}", "x": keyring.encrypt("x"), "at": at, "topic": topic,
                "group": group, "status": "accepted" if i == 1 else "new", "dedup": f"d{i}"})
        connection.execute(text(
            "INSERT INTO case_events (case_id, at, actor, action, from_status, to_status) VALUES "
            "(1, :created, 't', 'created', NULL, 'new'), "
            "(1, :accepted, 't', 'status_changed', 'new', 'accepted')"
        ), {"created": at, "accepted": at + timedelta(hours=2)})
    database = Database(fresh_url)  # as at api start-up: alembic upgrade head
    assert database.ensure_ready(), database.error
    with database.session() as session:
        cases = session.scalars(select(Case).order_by(Case.id)).all()
        assert [(c.topic, c.eligibility_group) for c in cases] == [
            ("dat_dai", "khoan_2_ho_ngheo"), ("hon_nhan_gia_dinh", "khoan_2_ho_ngheo"), ("dan_su", None),
            ("thi_hanh_an", None), ("khac", None), (None, "khoan_7c_nguoi_cao_tuoi")]
        first = cases[0]
        assert first.accepted_at == first.first_contact_at == datetime(2026, 11, 30, 5, 0, tzinfo=UTC)
        assert all(c.accepted_at is None and c.first_contact_at is None for c in cases[1:])
    database.dispose()
    engine.dispose()
