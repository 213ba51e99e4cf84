"""`python -m api ...`: tokens create/list/revoke and the retention purge."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from api.cases.cli import main
from api.cases.crud import submit_case, update_case
from api.cases.models import Case, StaffToken
from api.cases.schemas import CaseCreate, CaseUpdate
from api.cases.security import hash_token
from api.core.db import Database
from tests.cases.conftest import case_body

REPO = Path(__file__).resolve().parents[2]


def run(capsys: pytest.CaptureFixture[str], db_url: str, *args: str) -> tuple[int, str, str]:
    code = main(["--database-url", db_url, *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_token_create_list_revoke(capsys, db_url: str, database: Database, client: TestClient) -> None:
    code, out, err = run(
        capsys, db_url, "tokens", "create", "--role", "reviewer", "--name", "Hà Thị Lan  - Sơn La"
    )
    assert code == 0 and "chỉ hiện MỘT lần" in err
    secret = out.strip().splitlines()[-1]
    assert secret.startswith("tgpl_") and len(secret) > 40
    with database.session() as session:
        token = session.scalar(select(StaffToken).where(StaffToken.name == "Hà Thị Lan - Sơn La"))
        assert token.role == "reviewer" and token.token_hash == hash_token(secret) != secret
    headers = {"Authorization": f"Bearer {secret}"}
    assert client.get("/api/v1/cases.csv", headers=headers).status_code == 200

    code, out, _ = run(capsys, db_url, "tokens", "list")
    assert code == 0 and "Hà Thị Lan - Sơn La" in out and "active" in out and secret not in out

    code, out, _ = run(capsys, db_url, "tokens", "revoke", str(token.id))
    assert code == 0 and "Đã thu hồi" in out
    assert client.get("/api/v1/cases", headers=headers).status_code == 401
    assert "revoked" in run(capsys, db_url, "tokens", "list")[1]
    assert run(capsys, db_url, "tokens", "revoke", "9999")[0] == 1


def test_purge(capsys, db_url: str, database: Database) -> None:
    old = datetime.now(UTC) - timedelta(days=100)
    with database.session() as session:
        for i, status in enumerate(["closed", "rejected", "new"]):
            case, _ = submit_case(
                session, data=CaseCreate(**case_body(description=f"Vụ việc số {i}")), actor="t", now=old
            )
            steps = {
                "closed": [
                    CaseUpdate(status="accepted"),
                    CaseUpdate(status="in_progress"),
                    CaseUpdate(status="closed", outcome="Đã tư vấn xong"),
                ],
                "rejected": [CaseUpdate(status="rejected", rejection_reason="Không thuộc diện trợ giúp")],
                "new": [],
            }[status]
            for step in steps:
                update_case(session, case=case, changes=step, actor="t")
            case.updated_at = old
            session.commit()
    assert run(capsys, db_url, "cases", "purge", "--older-than", "365")[1].startswith("Đã xoá 0 ")
    code, out, _ = run(capsys, db_url, "cases", "purge", "--older-than", "90")
    assert code == 0 and out.startswith("Đã xoá 2 ")
    with database.session() as session:
        assert [c.status for c in session.scalars(select(Case))] == ["new"]


def test_module_entry_point_on_a_fresh_sqlite_file(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh' / 'cases.db'}"
    env = os.environ | {"DATABASE_URL": url}
    result = subprocess.run(
        [sys.executable, "-m", "api", "tokens", "create", "--role", "operator", "--name", "Action server"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].startswith("tgpl_")
    assert (tmp_path / "fresh" / "cases.db").exists()


def test_alembic_command_line_reads_database_url(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cli' / 'cases.db'}"
    env = os.environ | {"DATABASE_URL": url}
    alembic = Path(sys.executable).with_name("alembic")
    for args in (["upgrade", "head"], ["check"]):
        result = subprocess.run(
            [str(alembic), *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=60, check=False
        )
        assert result.returncode == 0, result.stderr
    assert "No new upgrade operations detected" in result.stdout + result.stderr
