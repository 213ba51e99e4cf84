"""Rasa replies → Zalo text: buttons become numbered options, text is split at 2000 characters."""

from __future__ import annotations

import re

MAX_ZALO_TEXT = 2000
_NUMBER_ANSWER = re.compile(r"^\s*(\d{1,2})\s*[.)]?\s*$")


def render(messages: list[dict]) -> tuple[list[str], list[dict]]:
    """Texts to send, and the buttons offered (in the order they were numbered)."""
    texts: list[str] = []
    offered: list[dict] = []
    for message in messages:
        text = (message.get("text") or "").strip()
        buttons = message.get("buttons") or []
        if buttons:
            lines = []
            for button in buttons:
                offered.append(button)
                lines.append(f"{len(offered)}. {button.get('title', '')}")
            hint = "(Trả lời bằng số để chọn)"
            text = "\n".join([part for part in (text, *lines, hint) if part])
        if text:
            texts.extend(split_text(text))
    return texts, offered


def split_text(text: str, limit: int = MAX_ZALO_TEXT) -> list[str]:
    """Split at paragraph, line or word boundaries so that no part exceeds *limit*."""
    parts: list[str] = []
    while len(text) > limit:
        cut = max(text.rfind("\n", 0, limit), text.rfind(" ", 0, limit))
        if cut <= 0:
            cut = limit
        parts.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    if text:
        parts.append(text)
    return parts


def resolve_numbered_answer(text: str, offered: list[dict]) -> str:
    """"2" after numbered options → that button's payload; anything else is returned unchanged."""
    match = _NUMBER_ANSWER.match(text)
    if not match or not offered:
        return text
    index = int(match.group(1)) - 1
    if 0 <= index < len(offered):
        return str(offered[index].get("payload") or offered[index].get("title") or text)
    return text
