"""`GET /healthz`: is every part of the system up?"""

from __future__ import annotations

import httpx
from fastapi import APIRouter

from api.deps import RasaDep, SettingsDep, StateDep
from api.schemas import HealthResponse

router = APIRouter(tags=["health"])


async def _action_server_state(http: httpx.AsyncClient, url: str, *, young: bool) -> str:
    try:
        response = await http.get(f"{url.rstrip('/')}/health", timeout=2.0)
        if response.status_code == 200:
            return "ok"
    except httpx.HTTPError:
        pass
    return "starting" if young else "down"


@router.get("/healthz", response_model=HealthResponse)
async def healthz(state: StateDep, settings: SettingsDep, rasa: RasaDep) -> HealthResponse:
    young = state.uptime() < settings.rasa_startup_grace_seconds
    rasa_state = "ok" if await rasa.is_ready() else ("starting" if young else "down")
    actions_state = await _action_server_state(state.http, settings.action_server_url, young=young)
    state.knowledge.start_loading()
    components = {"rasa": rasa_state, "actions": actions_state, "index": state.knowledge.state}
    if all(value == "ok" for value in components.values()):
        status = "ok"
    elif "down" in components.values() or components["index"] == "missing":
        status = "degraded"
    else:
        status = "starting"
    return HealthResponse(status=status, components=components)
