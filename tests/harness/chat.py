"""A citizen in the web chat (`POST /api/v1/chat`), for the system tests.

The server issues the conversation id: the first message goes without one, the answer carries
`conversation_id`, which every later message sends back. Only this class knows the request and
answer shapes, so that a change of the chat API is adapted here once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import httpx

# The six topic chips of the web chat's first screen (issue 14 item 3: the greeting utter_greet of
# domain.yml), as the api, the page and the whole system's browser test expect them.
FIRST_SCREEN_TOPICS = [
    "Tôi có được trợ giúp pháp lý miễn phí không?",
    "Hòa giải tranh chấp",
    "Chuẩn nghèo",
    "Thi hành án",
    "Gửi yêu cầu",
    "Gặp cán bộ",
]


@dataclass
class WebCitizen:
    """One person in the web chat of the api at *api*; each instance is a conversation of its own."""

    api: str
    timeout: float = 90.0
    conversation_id: str | None = None
    said: list[str] = field(default_factory=list)

    def send(self, text: str) -> httpx.Response:
        body: dict[str, str] = {"text": text}
        if self.conversation_id:
            body["conversation_id"] = self.conversation_id
        response = httpx.post(f"{self.api}/api/v1/chat", json=body, timeout=self.timeout)
        if response.status_code == 200:
            self.conversation_id = response.json().get("conversation_id") or self.conversation_id
            self.said.append(text)
        return response

    def messages(self, text: str) -> list[dict]:
        """Say *text*; the bot's messages (text and buttons). Anything but 200 fails the test."""
        response = self.send(text)
        assert response.status_code == 200, (text, response.status_code, response.text)
        return response.json()["messages"]

    def ask(self, text: str) -> str:
        """Say *text*; the bot's answer as one text, button titles included (one per line)."""
        lines = []
        for message in self.messages(text):
            lines.append(message["text"])
            lines.extend(button["title"] for button in message.get("buttons") or [])
        return "\n".join(lines)
