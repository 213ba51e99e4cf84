"""GET /healthz reports each component; the docs and the web chat page are served."""

from __future__ import annotations


def test_health_reports_components(make_client):
    body = make_client().get("/healthz").json()
    assert body["components"]["rasa"] == "ok"
    assert body["components"]["actions"] == "ok"
    assert body["components"]["index"] in {"ok", "starting", "missing"}
    assert body["status"] in {"ok", "starting", "degraded"}


def test_health_while_rasa_loads_is_starting_not_down(make_client, fake_rasa):
    fake_rasa.down_hosts = {"rasa-a:5005"}
    body = make_client(rasa_startup_grace_seconds=600).get("/healthz").json()
    assert body["components"]["rasa"] == "starting"
    assert body["status"] in {"starting", "degraded"}


def test_health_after_grace_reports_rasa_down_and_degraded(make_client, fake_rasa):
    fake_rasa.down_hosts = {"rasa-a:5005"}
    body = make_client(rasa_startup_grace_seconds=0).get("/healthz").json()
    assert body == {"status": "degraded", "components": body["components"]}
    assert body["components"]["rasa"] == "down"


def test_openapi_docs_and_chat_page_are_served(make_client):
    client = make_client()
    assert client.get("/docs").status_code == 200
    assert "/api/v1/chat" in client.get("/openapi.json").json()["paths"]
    page = client.get("/")
    assert page.status_code == 200
    assert "Trợ lý trợ giúp pháp lý" in page.text
