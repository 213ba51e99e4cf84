"""The messages of one web conversation, from Rasa's tracker (`GET /conversations/<id>/tracker`).

`history_from_events` is pure: Rasa's serialised events → the messages the page shows, oldest
first, with their times. A button the person tapped is shown by its title (the payload, e.g.
`/request_legal_aid`, is what Rasa heard; the first screen's topics count too); a command that
no button explains is left out. Events before the last `restart` are not shown. What the
tracker store redacted stays redacted (bot/conversation_privacy.py). At most `MAX_MESSAGES`
of the latest messages.

`fetch_events` asks each Rasa replica in turn (Rasa's HTTP API, `--enable-api`, with its token);
`RasaUnavailableError` when none answers.
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

import httpx

from api.clients.rasa import RasaClient, RasaUnavailableError, auth_params
from api.schemas import Button
from api.webchat.schemas import HistoryMessage

log = logging.getLogger(__name__)

MAX_MESSAGES = 200
TRACKER_TIMEOUT_SECONDS = 5.0


def _nfc(value: object) -> str:
    return unicodedata.normalize("NFC", str(value or ""))


def _when(event: Mapping[str, Any]) -> datetime:
    stamp = event.get("timestamp")
    try:
        return datetime.fromtimestamp(float(stamp), tz=UTC)
    except (TypeError, ValueError, OverflowError):
        return datetime.now(tz=UTC)


def _buttons(event: Mapping[str, Any]) -> list[Button]:
    data = event.get("data") or {}
    raw = data.get("buttons") if isinstance(data, Mapping) else None
    return [
        Button(title=_nfc(b.get("title")), payload=_nfc(b.get("payload")))
        for b in raw or []
        if isinstance(b, Mapping)
    ]


def history_from_events(
    events: Iterable[Mapping[str, Any]], first_screen: Iterable[Button] = ()
) -> list[HistoryMessage]:
    """Rasa events → the page's messages (see the module docstring). *first_screen*: the buttons
    the page showed before the conversation began (the greeting's topics), which Rasa never saw."""
    messages: list[HistoryMessage] = []
    seeded = {b.payload: b.title for b in first_screen}
    titles = dict(seeded)  # payload → title of the buttons shown so far (the latest wins)
    for event in events:
        kind = event.get("event")
        if kind == "restart":
            messages, titles = [], dict(seeded)
        elif kind == "bot":
            buttons = _buttons(event)
            text = _nfc(event.get("text"))
            titles.update({b.payload: b.title for b in buttons})
            if text or buttons:
                messages.append(HistoryMessage(role="bot", text=text, buttons=buttons, at=_when(event)))
        elif kind == "user":
            text = _nfc(event.get("text")).strip()
            shown = titles.get(text) or ("" if text.startswith("/") else text)
            if shown:
                messages.append(HistoryMessage(role="user", text=shown, at=_when(event)))
    return messages[-MAX_MESSAGES:]


async def fetch_events(rasa: RasaClient, sender_id: str) -> list[dict[str, Any]]:
    """The stored events of *sender_id* (an unknown conversation has none)."""
    path = f"/conversations/{quote(sender_id, safe=':')}/tracker"  # Rasa does not unquote %3A
    params = auth_params(rasa.token) | {"include_events": "ALL"}
    last_error = "no replica"
    for base in rasa.base_urls:
        try:
            response = await rasa.http.get(base + path, params=params, timeout=TRACKER_TIMEOUT_SECONDS)
        except httpx.HTTPError as error:
            last_error = type(error).__name__
            continue
        if response.status_code != 200:
            last_error = f"HTTP {response.status_code}"
            continue
        body = response.json()
        events = body.get("events") if isinstance(body, dict) else None
        return [e for e in events or [] if isinstance(e, dict)]
    log.warning("Web chat history: no Rasa replica gave the tracker (%s)", last_error)
    raise RasaUnavailableError(last_error)
