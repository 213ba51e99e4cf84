"""The token-checked REST channel (bot/channels.py) in a real Sanic server on 127.0.0.1.

Rasa's `--auth-token` does not cover input channels: with the plain `rest:` channel anyone who
reached Rasa could speak as any sender (`zalo:<id>` included). The channel must refuse every
request without `Authorization: Bearer <RASA_AUTH_TOKEN>` before the message is handled, and
leave the rest of Rasa's app alone.
"""

from __future__ import annotations

import asyncio
import secrets
import socket

import httpx
import pytest
from rasa.shared.exceptions import RasaException
from sanic import Sanic, response

from bot.channels import TokenRestInput

TOKEN = "rasa-" + secrets.token_urlsafe(24)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _serve_and_call(calls: list[tuple[str, str, dict]]) -> tuple[list[httpx.Response], list[str]]:
    """Mount the channel as Rasa does (/webhooks/rest) next to another route; make *calls*."""
    handled: list[str] = []

    async def on_new_message(message) -> None:  # type: ignore[no-untyped-def]
        handled.append(f"{message.sender_id}:{message.text}")
        await message.output_channel.send_text_message(message.sender_id, "đã nhận")

    app = Sanic(f"channel_test_{secrets.token_hex(4)}")
    channel = TokenRestInput(TOKEN)
    app.blueprint(channel.blueprint(on_new_message), url_prefix=f"/webhooks/{channel.name()}")

    @app.get("/")
    async def root(_request):  # type: ignore[no-untyped-def]
        return response.text("Hello from Rasa")

    async def run() -> list[httpx.Response]:
        port = _free_port()
        server = await app.create_server(host="127.0.0.1", port=port, return_asyncio_server=True)
        assert server is not None
        await server.startup()
        try:
            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as http:
                return [await http.request(method, path, **kwargs) for method, path, kwargs in calls]
        finally:
            server.close()
            await server.wait_closed()

    return asyncio.run(run()), handled


def test_the_channel_refuses_without_the_token_and_answers_with_it() -> None:
    speak = {"sender": "zalo:8731456120345678901", "message": "tôi muốn hủy hồ sơ"}
    wrong = TOKEN[:-1] + ("A" if TOKEN[-1] != "A" else "B")
    responses, handled = _serve_and_call([
        ("POST", "/webhooks/rest/webhook", {"json": speak}),
        ("POST", "/webhooks/rest/webhook", {"json": speak, "headers": {"Authorization": f"Bearer {wrong}"}}),
        ("POST", "/webhooks/rest/webhook", {"json": speak, "headers": {"Authorization": TOKEN}}),
        ("POST", "/webhooks/rest/webhook", {"json": speak, "params": {"token": TOKEN}}),
        ("GET", "/webhooks/rest/", {}),
        ("POST", "/webhooks/rest/webhook", {"json": speak, "headers": {"Authorization": f"Bearer {TOKEN}"}}),
        ("GET", "/", {}),
    ])
    statuses = [r.status_code for r in responses]
    assert statuses == [401, 401, 401, 401, 401, 200, 200], statuses
    assert responses[0].headers["www-authenticate"] == "Bearer"
    assert responses[5].json() == [{"recipient_id": speak["sender"], "text": "đã nhận"}]
    assert handled == [f"{speak['sender']}:{speak['message']}"]  # only the authenticated one was handled


def test_the_channel_keeps_rasas_rest_name_and_needs_a_token(monkeypatch: pytest.MonkeyPatch) -> None:
    assert TokenRestInput.name() == "rest"  # same URL /webhooks/rest/webhook, same input_channel
    monkeypatch.setenv("RASA_AUTH_TOKEN", TOKEN)
    assert TokenRestInput.from_credentials(None)._token == TOKEN
    monkeypatch.setenv("RASA_AUTH_TOKEN", " ")
    with pytest.raises(RasaException, match="RASA_AUTH_TOKEN"):
        TokenRestInput.from_credentials({})


def test_credentials_register_this_channel_and_not_the_open_one() -> None:
    from pathlib import Path

    from rasa.shared.utils.io import read_config_file

    channels = read_config_file(str(Path(__file__).resolve().parents[2] / "credentials.yml"))
    assert list(channels) == ["bot.channels.TokenRestInput"]
