"""Base of the `action_ask_<slot>` actions: one question, optional buttons, for one form slot."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher


class AskAction(Action, ABC):
    """Asks for `slot` with `question()` and `buttons()`.

    Abstract until a subclass names its `slot`, so the action server registers only the
    concrete ask actions.
    """

    @property
    @abstractmethod
    def slot(self) -> str: ...

    def name(self) -> str:
        return f"action_ask_{self.slot}"

    def question(self, tracker: Tracker) -> str:
        raise NotImplementedError

    def buttons(self) -> list[dict[str, str]]:
        return []

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        dispatcher.utter_message(text=self.question(tracker), buttons=self.buttons())
        return []
