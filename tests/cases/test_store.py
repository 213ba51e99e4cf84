"""The case store on SQLite and PostgreSQL: migrations, codes, dedup, idempotency, purge, stats."""

from __future__ import annotations

import re
import threading
from datetime import UTC, datetime, timedelta

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, inspect, select
from sqlalchemy.orm import Session

from api.cases import crud
from api.cases.crud import IdempotencyConflict, lookup_for_citizen, purge_cases, submit_case, update_case
from api.cases.models import Base, Case, CaseEvent
from api.cases.queries import case_stats, list_cases
from api.cases.schemas import CaseCreate, CaseFilters, CaseUpdate
from api.cases.status import CaseStatus, TransitionError
from api.core.db import Database
from knowledge.case_code import is_valid_code
from tests.cases.conftest import case_body

ACTOR = "test (reviewer)"


def make(**overrides) -> CaseCreate:
    return CaseCreate(**case_body(**overrides))


def test_fresh_sqlite_file_is_created_and_migrated(tmp_path) -> None:
    path = tmp_path / "nested" / "folder" / "cases.db"
    database = Database(f"sqlite:///{path}")
    assert database.ensure_ready(), database.error
    assert path.exists()
    assert {"cases", "case_events", "staff_tokens", "case_sequences", "alembic_version"} <= set(
        inspect(database.engine).get_table_names()
    )
    assert Database(f"sqlite:///{path}").ensure_ready()  # second start: already at head
    database.dispose()


def test_migrations_match_models(database: Database) -> None:
    with database.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_codes_are_random_unique_and_carry_the_year(session: Session) -> None:
    codes = []
    for n in range(8):
        case, created = submit_case(session, data=make(description=f"Vụ việc số {n}"), actor=ACTOR)
        assert created and is_valid_code(case.code)
        assert re.fullmatch(r"TGPL-\d{4}-[2-9A-HJ-NP-Z]{6}", case.code)
        codes.append(case.code)
    assert codes[0].startswith(f"TGPL-{datetime.now(UTC).year}-") and len(set(codes)) == 8
    assert not any(code[-6:].isdigit() for code in codes)  # never the old sequential form
    # Vietnam time decides the year: 31 Dec 2030 20:00 UTC is already 2031 in Hà Nội
    new_year_eve = datetime(2030, 12, 31, 20, tzinfo=UTC)
    late, _ = submit_case(session, data=make(description="Vụ việc năm sau"), actor=ACTOR, now=new_year_eve)
    assert late.code.startswith("TGPL-2031-")


def test_a_code_already_taken_is_never_given_twice(session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    first, _ = submit_case(session, data=make(), actor=ACTOR)
    drawn = iter([first.code, first.code, "TGPL-2026-ABCDEF"])
    monkeypatch.setattr(crud, "new_code", lambda year: next(drawn))
    second, created = submit_case(session, data=make(description="Một vụ việc khác"), actor=ACTOR)
    assert created and second.code == "TGPL-2026-ABCDEF"


def test_old_sequential_codes_stay_valid(session: Session) -> None:
    case, _ = submit_case(session, data=make(), actor=ACTOR)
    case.code = "TGPL-2026-000042"  # a case registered before random codes
    session.commit()
    assert lookup_for_citizen(session, code="TGPL-2026-000042", phone_last4="5678").id == case.id


def test_times_are_aware_utc_and_events_appended(session: Session) -> None:
    case, _ = submit_case(session, data=make(), actor=ACTOR)
    session.expire_all()
    stored = session.scalar(select(Case).where(Case.code == case.code))
    assert stored.created_at.tzinfo is not None and stored.created_at.utcoffset() == timedelta(0)
    assert stored.consent and stored.consent_at.tzinfo is not None
    assert [e.action for e in stored.events] == ["created"]
    assert stored.phone == "+84912345678" and stored.province == "Lào Cai"


def test_same_phone_and_description_within_24h_is_recorded_and_the_case_kept(session: Session) -> None:
    """Whoever sends the same phone and story again may be a stranger: the stored identity stays,
    staff see what was sent, when and through which channel."""
    now = datetime.now(UTC)
    case, created = submit_case(session, data=make(), actor=ACTOR, now=now)
    description = "gia dinh toi bi hang xom lan chiem dat ruong  toi muon duoc tro giup phap ly"
    stranger = make(
        channel="web", full_name="Kẻ Mạo Danh", phone="+84 912 345 678", province="Hà Nội",
        commune="Xã Phong Hải", description=description,
    )
    again, created_again = submit_case(
        session, data=stranger, actor=ACTOR, now=now + timedelta(hours=3), idempotency_key="web-stranger-1"
    )
    assert created and not created_again and again.id == case.id
    assert not crud.is_same_request(again, idempotency_key="web-stranger-1", data=stranger)
    session.expire_all()
    stored = session.get(Case, case.id)
    assert (stored.full_name, stored.province, stored.commune) == ("Nguyễn Văn An", "Lào Cai", "Xã Bảo Hà")
    assert stored.description.startswith("Gia đình tôi") and stored.updated_at == case.updated_at
    events = session.scalars(
        select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id)
    ).all()
    assert [e.action for e in events] == ["created", "resubmitted"]
    assert events[1].at == now + timedelta(hours=3) and "web" in events[1].note
    assert events[1].changes["submitted"] == {
        "channel": "web", "full_name": "Kẻ Mạo Danh", "province": "Hà Nội", "commune": "Xã Phong Hải",
        "eligibility_group": "khoan_2_ho_ngheo", "topic": "dat_dai", "description": description,
    }
    # the same submission retried (same Idempotency-Key): no second event
    submit_case(
        session, data=stranger, actor=ACTOR, now=now + timedelta(hours=3), idempotency_key="web-stranger-1"
    )
    assert session.scalar(select(func.count(CaseEvent.id)).where(CaseEvent.case_id == case.id)) == 2
    later, created_later = submit_case(session, data=make(), actor=ACTOR, now=now + timedelta(hours=25))
    assert created_later and later.code != case.code
    assert session.scalar(select(func.count(Case.id))) == 2


def test_duplicate_of_a_finished_case_opens_a_new_one(session: Session) -> None:
    case, _ = submit_case(session, data=make(), actor=ACTOR)
    update_case(
        session,
        case=case,
        changes=CaseUpdate(status="rejected", rejection_reason="Không thuộc diện"),
        actor=ACTOR,
    )
    again, created = submit_case(session, data=make(), actor=ACTOR)
    assert created and again.code != case.code


def test_idempotency_key(session: Session) -> None:
    case, created = submit_case(session, data=make(), actor=ACTOR, idempotency_key="zalo-msg-001")
    # a retry much later (no dedup window) still returns the same case
    again, created_again = submit_case(
        session, data=make(), actor=ACTOR, idempotency_key="zalo-msg-001", dedup_window=timedelta(0)
    )
    assert created and not created_again and again.code == case.code
    by_field, _ = submit_case(session, data=make(client_request_id="zalo-msg-001"), actor=ACTOR)
    assert by_field.code == case.code
    with pytest.raises(IdempotencyConflict):
        submit_case(
            session, data=make(description="Chuyện khác hẳn"), actor=ACTOR, idempotency_key="zalo-msg-001"
        )


def test_idempotency_unique_constraint_race(session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    """The key check missed a concurrent insert: the unique constraint and IntegrityError decide."""
    case, _ = submit_case(session, data=make(), actor=ACTOR, idempotency_key="hotline-77")
    real = crud._by_idempotency_key
    calls = iter([None])
    monkeypatch.setattr(crud, "_by_idempotency_key", lambda s, k, d: next(calls, None) or real(s, k, d))
    again, created = submit_case(
        session, data=make(), actor=ACTOR, idempotency_key="hotline-77", dedup_window=timedelta(0)
    )
    assert not created and again.code == case.code
    assert session.scalar(select(func.count(Case.id))) == 1


@pytest.mark.parametrize("with_key", [True, False], ids=["idempotency-key", "dedup"])
def test_concurrent_submits_create_one_case(database: Database, with_key: bool) -> None:
    workers = 6
    barrier = threading.Barrier(workers)
    results: list[tuple[str, bool]] = []
    errors: list[BaseException] = []

    def submit() -> None:
        try:
            with database.session() as session:
                barrier.wait()
                case, created = submit_case(
                    session, data=make(), actor=ACTOR, idempotency_key="web-42" if with_key else None
                )
                results.append((case.code, created))
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=submit) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    assert len({code for code, _ in results}) == 1
    assert sorted(created for _, created in results) == [False] * (workers - 1) + [True]
    with database.session() as session:
        assert session.scalar(select(func.count(Case.id))) == 1


def test_update_rules_and_audit(session: Session) -> None:
    case, _ = submit_case(session, data=make(), actor=ACTOR)
    with pytest.raises(TransitionError):
        update_case(session, case=case, changes=CaseUpdate(status="closed", outcome="x"), actor=ACTOR)
    session.rollback()
    update_case(
        session, case=case, changes=CaseUpdate(status="accepted", assignee="LS Vàng A Sính"), actor=ACTOR
    )
    update_case(session, case=case, changes=CaseUpdate(status="in_progress", note="Đã gọi điện"), actor=ACTOR)
    update_case(
        session, case=case, changes=CaseUpdate(status="closed", outcome="Hòa giải thành"), actor=ACTOR
    )
    session.expire_all()
    events = session.scalar(select(Case).where(Case.code == case.code)).events
    assert [(e.action, e.from_status, e.to_status) for e in events] == [
        ("created", None, "new"),
        ("status_changed", "new", "accepted"),
        ("status_changed", "accepted", "in_progress"),
        ("status_changed", "in_progress", "closed"),
    ]
    assert events[1].changes == {"assignee": [None, "LS Vàng A Sính"]} and events[2].note == "Đã gọi điện"


def test_citizen_lookup(session: Session) -> None:
    case, _ = submit_case(session, data=make(), actor=ACTOR)
    assert lookup_for_citizen(session, code=case.code, phone_last4="5678").code == case.code
    assert lookup_for_citizen(session, code=case.code, phone_last4="5679") is None
    assert lookup_for_citizen(session, code="TGPL-1999-000001", phone_last4="5678") is None


def test_filters_search_and_stats(session: Session) -> None:
    submit_case(session, data=make(), actor=ACTOR)
    submit_case(
        session,
        data=make(
            full_name="Hoàng Thị Mỷ",
            phone="0987 654 321",
            province="tp hcm",
            commune="Phường Bến Thành",
            eligibility_group="khoan_4_dan_toc_thieu_so",
            topic="lao động",
            description="Công ty nợ lương ba tháng, không trả bảo hiểm xã hội.",
        ),
        actor=ACTOR,
    )
    submit_case(
        session,
        data=make(
            full_name="Sung A Pao",
            phone="0333111222",
            province="lao cai",
            commune="Xa Y Ty",
            eligibility_group=None,
            topic=None,
            description="hoi ve thu tuc ly hon",
        ),
        actor=ACTOR,
    )

    def codes(**kw) -> int:
        return list_cases(session, filters=CaseFilters(**kw))[1]

    assert codes() == 3
    assert codes(province="Lào Cai") == 2 and codes(province="sài gòn") == 1
    assert codes(q="no luong") == 1 and codes(q="LẤN CHIẾM") == 1 and codes(q="y tý") == 1
    assert codes(q="bao ha ruong") == 1 and codes(q="100%") == 0
    assert codes(topic="lao động", eligibility_group="khoan_4_dan_toc_thieu_so") == 1
    today = datetime.now(UTC).date()
    assert codes(created_from=today - timedelta(days=1), created_to=today + timedelta(days=1)) == 3
    assert codes(created_to=today - timedelta(days=2)) == 0
    page, count = list_cases(session, filters=CaseFilters(), skip=1, limit=1)
    assert count == 3 and len(page) == 1
    stats = case_stats(session, filters=CaseFilters())
    assert stats["total"] == 3 and stats["by_status"] == {"new": 3}
    assert stats["by_province"] == {"Lào Cai": 2, "Thành phố Hồ Chí Minh": 1}
    assert stats["by_topic"]["(không rõ)"] == 1 and stats["by_eligibility_group"]["khoan_2_ho_ngheo"] == 1
    assert sum(stats["by_month"].values()) == 3


def test_month_is_counted_in_vietnam_time(session: Session) -> None:
    # 31 Jan 2026 20:00 UTC is 1 Feb 03:00 in Viet Nam
    submit_case(session, data=make(), actor=ACTOR, now=datetime(2026, 1, 31, 20, 0, tzinfo=UTC))
    assert case_stats(session, filters=CaseFilters())["by_month"] == {"2026-02": 1}


def test_purge_removes_old_finished_cases_and_events(session: Session) -> None:
    old = datetime.now(UTC) - timedelta(days=400)
    finished, _ = submit_case(session, data=make(description="Vụ cũ đã xong"), actor=ACTOR, now=old)
    update_case(
        session,
        case=finished,
        changes=CaseUpdate(status="rejected", rejection_reason="Ngoài phạm vi"),
        actor=ACTOR,
    )
    finished.updated_at = old
    open_old, _ = submit_case(session, data=make(description="Vụ cũ còn mở"), actor=ACTOR, now=old)
    recent, _ = submit_case(session, data=make(description="Vụ mới đóng"), actor=ACTOR)
    update_case(
        session, case=recent, changes=CaseUpdate(status="referred", referred_to="Hội Luật gia"), actor=ACTOR
    )
    session.commit()
    assert purge_cases(session, older_than_days=365) == 1
    remaining = set(session.scalars(select(Case.code)))
    assert remaining == {open_old.code, recent.code}
    assert session.scalar(select(func.count(CaseEvent.id)).where(CaseEvent.case_id == finished.id)) == 0
    assert (
        CaseStatus(session.scalar(select(Case.status).where(Case.code == recent.code))) == CaseStatus.referred
    )


def test_an_open_read_does_not_block_a_write(database: Database) -> None:
    """Readers use a deferred BEGIN (WAL on SQLite): a long CSV export never stalls a submit."""
    with database.session() as reader, database.session() as writer:
        assert list_cases(reader, filters=CaseFilters())[1] == 0  # read transaction left open
        started = datetime.now(UTC)
        _, created = submit_case(writer, data=make(), actor=ACTOR)
        assert created and datetime.now(UTC) - started < timedelta(seconds=5)
        reader.commit()
        assert list_cases(reader, filters=CaseFilters())[1] == 1


def test_new_sqlite_file_is_private(tmp_path) -> None:
    path = tmp_path / "private" / "cases.db"
    database = Database(f"sqlite:///{path}")
    assert database.ensure_ready()
    database.dispose()
    assert path.stat().st_mode & 0o077 == 0


def test_database_errors_do_not_carry_citizen_data(session: Session) -> None:
    from sqlalchemy.exc import IntegrityError

    case, _ = submit_case(session, data=make(), actor=ACTOR)
    session.add(
        Case(
            **{c: getattr(case, c) for c in ("code", "channel", "full_name", "phone", "province")},
            description="x",
            consent=True,
            consent_at=case.consent_at,
            dedup_key="k",
            search_text="",
        )
    )
    with pytest.raises(IntegrityError) as info:
        session.flush()
    assert "Nguyễn Văn An" not in str(info.value) and "+84912345678" not in str(info.value)
    session.rollback()
