"""Error handlers: every error reaches the client as a short Vietnamese message, never a trace."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

from api.core.headers import API_SECURITY_HEADERS

log = logging.getLogger(__name__)

DATABASE_DOWN = "Hệ thống lưu trữ đang tạm gián đoạn. Bạn vui lòng thử lại sau ít phút."
DATABASE_RETRY_AFTER_SECONDS = 5
_JSON_ERROR_TYPES = {"json_invalid", "json_type", "model_attributes_type", "dict_type"}


def _validation_message(exc: RequestValidationError) -> str:
    messages: list[str] = []
    for error in exc.errors():
        kind = error.get("type", "")
        location = [str(part) for part in error.get("loc", ()) if part != "body"]
        if kind in _JSON_ERROR_TYPES:
            messages.append("Dữ liệu gửi lên không phải JSON hợp lệ.")
        elif kind == "value_error":
            messages.append(str(error.get("ctx", {}).get("error", error.get("msg", ""))))
        elif kind == "missing":
            messages.append(f"Thiếu trường bắt buộc: {'.'.join(location)}.")
        else:
            messages.append(f"Giá trị không hợp lệ ở trường {'.'.join(location) or 'dữ liệu'}.")
    return " ".join(dict.fromkeys(messages)) or "Yêu cầu không hợp lệ."


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def _on_validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse(status_code=422, content={"detail": _validation_message(exc)})

    @app.exception_handler(OperationalError)
    @app.exception_handler(InterfaceError)
    async def _on_database_down(request: Request, exc: DBAPIError) -> JSONResponse:
        # the database is unreachable or restarting (a lost connection, a refused one): worth a
        # retry, so 503 + Retry-After rather than 500; the statement and its values are not logged
        log.warning("Database unavailable on %s %s: %s", request.method, request.url.path,
                    type(exc.orig).__name__ if exc.orig is not None else type(exc).__name__)
        return JSONResponse(
            status_code=503, content={"detail": DATABASE_DOWN},
            headers={"Retry-After": str(DATABASE_RETRY_AFTER_SECONDS)},
        )

    @app.exception_handler(Exception)
    async def _on_unexpected_error(request: Request, exc: Exception) -> JSONResponse:
        log.exception("Unexpected error on %s %s", request.method, request.url.path)
        return JSONResponse(  # answered outside the middleware stack: its own security headers
            status_code=500,
            content={"detail": "Xin lỗi, hệ thống gặp lỗi. Bạn vui lòng thử lại sau."},
            headers=API_SECURITY_HEADERS,
        )
