"""Base of the custom actions that call the api (the system of record) over HTTP."""

from __future__ import annotations

from abc import ABC, abstractmethod

from rasa_sdk import Action

from actions.clients.api_client import LegalAidApiClient


class ApiAction(Action, ABC):
    """An action with a `LegalAidApiClient`: injected in tests, built from the environment otherwise.

    Abstract, so the action server does not register it as an action of its own.
    """

    def __init__(self, client: LegalAidApiClient | None = None) -> None:
        self._client = client

    @abstractmethod
    def name(self) -> str: ...

    @property
    def client(self) -> LegalAidApiClient:
        if self._client is None:
            self._client = LegalAidApiClient.from_env()
        return self._client
