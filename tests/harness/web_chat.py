"""One citizen's web chat conversation through `POST /api/v1/chat`, for tests against a running api.

The server issues the conversation id (issue 11, finding 8): the first message goes without one,
each answer's `conversation_id` is sent back with the next message (as an API client without
cookies does; the web page uses the HttpOnly cookie instead).

    conversation = WebConversation("http://127.0.0.1:8000")
    response = conversation.send("xin chao")
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx


@dataclass
class WebConversation:
    api: str
    timeout: float = 90.0
    conversation_id: str | None = None

    def send(self, text: str) -> httpx.Response:
        body: dict[str, str] = {"text": text}
        if self.conversation_id:
            body["conversation_id"] = self.conversation_id
        response = httpx.post(f"{self.api}/api/v1/chat", json=body, timeout=self.timeout)
        if response.status_code == 200:
            self.conversation_id = response.json()["conversation_id"]
        return response


_CONVERSATIONS: dict[tuple[str, str], WebConversation] = {}


def web_chat(api: str, name: str, text: str, *, timeout: float = 90.0) -> httpx.Response:
    """Send *text* in the conversation a test calls *name* (started on its first message)."""
    conversation = _CONVERSATIONS.setdefault((api, name), WebConversation(api, timeout))
    return conversation.send(text)
