"""Property-based run over the app's OpenAPI schema (schemathesis, in-process ASGI): no answer of
any operation is a server error. 503 is allowed only as the designed "not ready" answer (missing
knowledge index) with `Retry-After`. Staff operations are called with the admin token."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest

from api.core.config import Settings
from api.main import create_app
from tests.security.conftest import ADMIN, ADMIN_TOKEN, fake_rasa

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from schemathesis.python import asgi as schemathesis_asgi  # noqa: E402

MAX_EXAMPLES = 25
TIME_BUDGET_SECONDS = 90


def _app(tmp_path: Path):
    return create_app(
        Settings(
            rasa_urls="http://rasa-a:5005",
            action_server_url="http://actions:5055",
            knowledge_data_dir=tmp_path / "no-index",
            database_url=f"sqlite:///{tmp_path}/cases.db",
            environment="production",
            api_admin_token=ADMIN_TOKEN,
            rate_limit_per_ip_per_minute=0,
        ),
        http=httpx.AsyncClient(transport=httpx.MockTransport(fake_rasa)),
    )


def test_no_server_error_on_any_operation(tmp_path: Path) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", _app(tmp_path))
    started = time.monotonic()
    failures: list[str] = []
    operations = 0
    try:
        for result in schema.get_all_operations():
            operation = result.ok()
            operations += 1

            @given(case=operation.as_strategy())
            @settings(
                max_examples=MAX_EXAMPLES,
                deadline=None,
                database=None,
                derandomize=True,  # the same examples every run: no flaky failures
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            def run(case) -> None:
                try:
                    response = case.call(headers=ADMIN)
                except Exception as error:  # noqa: BLE001 - an exception escaping the app is a 500
                    failures.append(f"{case.method} {case.formatted_path} {case.query} -> {error!r}"[:300])
                    return
                status = response.status_code
                designed_503 = status == 503 and "retry-after" in {k.lower() for k in response.headers}
                if status >= 500 and not designed_503:
                    failures.append(f"{case.method} {case.formatted_path} -> {status}: {response.text[:200]}")

            run()
    finally:
        schemathesis_asgi.shutdown_lifespans()
    assert operations >= 8
    assert failures == [], "\n".join(failures[:10])
    assert time.monotonic() - started < TIME_BUDGET_SECONDS


def test_huge_skip_is_refused_not_a_server_error(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    with TestClient(_app(tmp_path), raise_server_exceptions=False) as client:
        response = client.get("/api/v1/cases", params={"skip": 2**65}, headers=ADMIN)
    assert response.status_code == 422
