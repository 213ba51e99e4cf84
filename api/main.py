"""The FastAPI application: chat gateway, health, knowledge search and the web chat page."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from api.cases.crypto import install_keyring
from api.cases.security import env_principals
from api.clients.action_server import ActionServerHealth
from api.core.chat_sessions import chat_sessions_from_settings
from api.core.config import Settings, get_settings
from api.core.db import Database
from api.core.errors import install_error_handlers
from api.core.headers import SecurityHeadersMiddleware
from api.core.limits import SlidingWindowLimiter
from api.core.middleware import (
    SecurityMiddleware,
    hide_sqlalchemy_rows,
    quiet_http_client_logs,
    service_tokens,
)
from api.core.state import AppState, KnowledgeHolder
from api.routes import assist as assist_routes
from api.routes import cases, chat, health, pages, search, understand
from api.routes import documents as document_routes
from api.routes import reports as report_routes
from api.routes import zalo as zalo_routes
from api.zalo.worker import start_zalo_worker


def create_app(settings: Settings | None = None, *, http: httpx.AsyncClient | None = None) -> FastAPI:
    """Build the app. Tests pass their own settings and an httpx client with a fake transport."""
    settings = settings or get_settings()
    install_keyring(settings)  # KeyConfigError: no start without case encryption keys (dev keys: dev only)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        client = http or httpx.AsyncClient(timeout=settings.rasa_timeout_seconds)
        knowledge = KnowledgeHolder(settings.knowledge_data_dir)
        actions = ActionServerHealth.from_settings(settings, client)
        app.state.app_state = AppState(http=client, knowledge=knowledge, actions=actions)
        knowledge.start_loading()
        app.state.db = Database(settings.database_url, migrate=settings.database_migrate_on_startup)
        app.state.db.ensure_ready()  # alembic upgrade head; if it fails, case endpoints answer 503
        env_principals(settings, report=True)
        # None unless ZALO_OA_SECRET_KEY is set
        zalo_worker = start_zalo_worker(app, settings, client, actions)
        try:
            yield
        finally:
            if zalo_worker is not None:
                await zalo_worker.stop()
            app.state.db.dispose()
            if http is None:
                await client.aclose()

    # Swagger UI and ReDoc load their scripts from a CDN (and staff would paste tokens there):
    # development only; production answers 404 (the OpenAPI schema itself stays at /openapi.json)
    development = settings.environment == "development"
    app = FastAPI(
        title="Trợ lý trợ giúp pháp lý",
        description="Vietnamese legal-aid assistant: chat gateway to Rasa, knowledge search with citations.",
        version="0.1.0",
        lifespan=lifespan,
        docs_url="/docs" if development else None,
        redoc_url="/redoc" if development else None,
    )
    app.dependency_overrides[get_settings] = lambda: settings
    app.state.chat_sessions = chat_sessions_from_settings(settings, report=True)  # None: web chat off
    install_error_handlers(app)
    # Abuse limits (README "Security"): body size, per-IP and per-Zalo-user rate limits, CORS.
    hide_sqlalchemy_rows()
    quiet_http_client_logs()
    app.state.zalo_user_limiter = SlidingWindowLimiter(settings.rate_limit_per_zalo_user_per_minute, 60.0)
    app.add_middleware(
        SecurityMiddleware,
        max_body_bytes=settings.max_request_body_bytes,
        ip_limiter=SlidingWindowLimiter(settings.rate_limit_per_ip_per_minute, 60.0),
        service_tokens=service_tokens(settings),  # the action server: not counted per IP
    )
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.cors_origin_list,
        allow_methods=["GET", "POST", "PATCH"],
        allow_headers=["Authorization", "Content-Type", "Idempotency-Key"],
        max_age=600,
    )
    app.add_middleware(SecurityHeadersMiddleware)  # outermost: also on 413/429 and CORS answers
    app.include_router(health.router)
    app.include_router(chat.router)
    app.include_router(search.router)
    app.include_router(understand.router)  # POST /api/v1/understand (whole messages, issue 12)
    app.include_router(cases.router)
    app.include_router(report_routes.router)  # centre reports: tables, CSV, .xlsx (issue 14 item 11)
    app.include_router(document_routes.router)  # a case's printable documents and PDFs (issue 14 item 12)
    app.include_router(zalo_routes.router)
    app.include_router(pages.router)  # staff dashboard at /center
    app.include_router(assist_routes.router)  # hotline operator assistant (POST /api/v1/assist)
    app.include_router(assist_routes.page_router)  # hotline operator console at /operator
    app.include_router(chat.page_router)  # the web chat page at /
    return app
