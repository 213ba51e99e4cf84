"""FastAPI dependencies: settings, clients and stores are injected, never built at import."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from sqlalchemy.orm import Session

from api.clients.action_server import ActionServerHealth
from api.clients.rasa import RasaClient
from api.core.config import Settings, get_settings
from api.core.db import Database
from api.core.state import AppState

SettingsDep = Annotated[Settings, Depends(get_settings)]


def get_state(request: Request) -> AppState:
    return request.app.state.app_state


StateDep = Annotated[AppState, Depends(get_state)]


def get_rasa_client(state: StateDep, settings: SettingsDep) -> RasaClient:
    return RasaClient.from_settings(settings, state.http)


RasaDep = Annotated[RasaClient, Depends(get_rasa_client)]


def get_action_server_health(state: StateDep) -> ActionServerHealth:
    return state.actions


ActionServerDep = Annotated[ActionServerHealth, Depends(get_action_server_health)]


def get_knowledge_index(state: StateDep):  # -> knowledge.search.KnowledgeIndex
    holder = state.knowledge
    if holder.index is None:
        holder.start_loading()
        raise HTTPException(
            status_code=503,
            detail="Kho tri thức đang được nạp hoặc chưa được xây dựng. Bạn vui lòng thử lại sau ít phút.",
            headers={"Retry-After": "30"},
        )
    return holder.index


# Case store (api/cases): one Database per app, one session per request.


def get_database(request: Request) -> Database:
    return request.app.state.db


DatabaseDep = Annotated[Database, Depends(get_database)]


def get_session(db: DatabaseDep) -> Iterator[Session]:
    if not db.ensure_ready():
        raise HTTPException(
            status_code=503,
            detail="Kho hồ sơ tạm thời chưa sẵn sàng. Bạn vui lòng thử lại sau ít phút.",
            headers={"Retry-After": "30"},
        )
    with db.session() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]
