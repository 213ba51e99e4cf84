"""Bearer-token dependencies of the staff endpoints: 401 without a valid token, 403 without the role."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, HTTPException
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.cases.security import Principal, Role, authenticate
from api.deps import SessionDep, SettingsDep

_bearer = HTTPBearer(auto_error=False, description="Mã truy cập của cán bộ (staff token)")

UNAUTHORIZED = "Bạn cần mã truy cập hợp lệ (Authorization: Bearer <token>) để dùng chức năng này."
FORBIDDEN = "Mã truy cập của bạn không có quyền thực hiện thao tác này."


def get_principal(
    session: SessionDep,
    settings: SettingsDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    principal = None
    if credentials is not None and credentials.credentials.strip():
        principal = authenticate(session, secret=credentials.credentials.strip(), settings=settings)
    if principal is None:
        raise HTTPException(status_code=401, detail=UNAUTHORIZED, headers={"WWW-Authenticate": "Bearer"})
    return principal


def require_role(role: Role) -> Callable[[Principal], Principal]:
    def _check(principal: Annotated[Principal, Depends(get_principal)]) -> Principal:
        if not principal.can(role):
            raise HTTPException(status_code=403, detail=FORBIDDEN)
        return principal

    return _check


OperatorDep = Annotated[Principal, Depends(require_role(Role.operator))]
ReviewerDep = Annotated[Principal, Depends(require_role(Role.reviewer))]
AdminDep = Annotated[Principal, Depends(require_role(Role.admin))]
