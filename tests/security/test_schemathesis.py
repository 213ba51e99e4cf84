"""Property-based run over the app's OpenAPI schema (schemathesis, in-process ASGI): no answer of
any operation is a server error. 503 is allowed only as the designed "not ready" answer (missing
knowledge index) with `Retry-After`. Staff operations are called with the admin token.

The strategies are wider than schemathesis' defaults, which never generate what broke the api
(issue 11, finding 9):

* every free-text string of a request body (no format, enum or pattern) gets the format
  `x-user-text`: ordinary text, or text with a lone UTF-16 surrogate (`"\ud800"`, valid JSON,
  not encodable as UTF-8; schemathesis leaves surrogates out even with `codec=None`);
* `format: date` (query parameters such as `created_from`, `on_date`) is drawn from the extreme
  dates 0001-01-01 and 9999-12-31 (and a few other edges) as often as from ordinary dates.

Query strings cannot carry a surrogate (the URL must be UTF-8; Starlette decodes bad bytes as
U+FFFD), so only bodies get the text format.
"""

from __future__ import annotations

import copy
import time
from datetime import date
from pathlib import Path

import httpx
import pytest

from api.core.config import Settings
from api.main import create_app
from tests.security.conftest import ADMIN, ADMIN_TOKEN, CHAT_SECRET, fake_rasa

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from schemathesis.python import asgi as schemathesis_asgi  # noqa: E402
from schemathesis.specs.openapi import unregister_string_format  # noqa: E402

MAX_EXAMPLES = 25
TIME_BUDGET_SECONDS = 90
TEXT_FORMAT = "x-user-text"
LONE_SURROGATES = st.sampled_from(["\ud800", "\udbff", "\udc00", "\udfff"])
TEXT_WITH_SURROGATES = st.one_of(
    st.text(max_size=40),
    st.tuples(st.text(max_size=10), LONE_SURROGATES, st.text(max_size=10)).map("".join),
)
EDGE_DATES = ["0001-01-01", "9999-12-31", "1970-01-01", "1999-12-31", "2100-12-31", "2101-01-01"]
DATES = st.one_of(st.sampled_from(EDGE_DATES), st.dates().map(date.isoformat))
_CONSTRAINED = {"format", "enum", "pattern", "const"}


def _app(tmp_path: Path):
    return create_app(
        Settings(
            rasa_urls="http://rasa-a:5005",
            action_server_url="http://actions:5055",
            knowledge_data_dir=tmp_path / "no-index",
            database_url=f"sqlite:///{tmp_path}/cases.db",
            environment="production",
            api_admin_token=ADMIN_TOKEN,
            chat_session_secret=CHAT_SECRET,
            rate_limit_per_ip_per_minute=0,
        ),
        http=httpx.AsyncClient(transport=httpx.MockTransport(fake_rasa)),
    )


def _free_text(schema: dict) -> list[dict]:
    """The plain string schemas of one property (directly or inside anyOf/oneOf, e.g. `str | None`)."""
    options = schema.get("anyOf") or schema.get("oneOf") or [schema]
    return [o for o in options if o.get("type") == "string" and not _CONSTRAINED & o.keys()]


def _is_date(schema: dict) -> bool:
    return any(o.get("format") == "date" for o in schema.get("anyOf") or schema.get("oneOf") or [schema])


def widened_schema(app) -> dict:
    """The app's OpenAPI schema with `x-user-text` on every free-text property of a body model and
    explicit examples 0001-01-01 / 9999-12-31 for every date parameter (always tried, not by luck)."""
    raw = copy.deepcopy(app.openapi())
    for model in raw.get("components", {}).get("schemas", {}).values():
        for prop in model.get("properties", {}).values():
            for option in _free_text(prop):
                option["format"] = TEXT_FORMAT
    for operations in raw.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if _is_date(parameter.get("schema", {})):
                    first, last = EDGE_DATES[:2]
                    parameter["examples"] = {"first": {"value": first}, "last": {"value": last}}
    return raw


def test_the_widened_schema_reaches_the_text_inputs(tmp_path: Path) -> None:
    models = widened_schema(_app(tmp_path))["components"]["schemas"]
    assert models["ChatRequest"]["properties"]["text"]["format"] == TEXT_FORMAT
    assert models["AssistRequest"]["properties"]["text"]["format"] == TEXT_FORMAT
    parameters = widened_schema(_app(tmp_path))["paths"]["/api/v1/cases"]["get"]["parameters"]
    created_from = next(p for p in parameters if p["name"] == "created_from")
    assert [e["value"] for e in created_from["examples"].values()] == ["0001-01-01", "9999-12-31"]


def test_no_server_error_on_any_operation(tmp_path: Path) -> None:
    app = _app(tmp_path)
    schemathesis.openapi.format(TEXT_FORMAT, TEXT_WITH_SURROGATES)
    schemathesis.openapi.format("date", DATES)
    schema = schemathesis.openapi.from_dict(widened_schema(app))
    schema.app = app  # what from_asgi does: calls go to the app in-process
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
        unregister_string_format(TEXT_FORMAT)
        unregister_string_format("date")
    assert operations >= 8
    assert failures == [], "\n".join(failures[:10])
    assert time.monotonic() - started < TIME_BUDGET_SECONDS


def test_huge_skip_is_refused_not_a_server_error(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    with TestClient(_app(tmp_path), raise_server_exceptions=False) as client:
        response = client.get("/api/v1/cases", params={"skip": 2**65}, headers=ADMIN)
    assert response.status_code == 422
