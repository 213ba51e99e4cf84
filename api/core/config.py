"""Settings of the api, read once from the environment (and an optional `.env` file)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parents[2]


class Settings(BaseSettings):
    """Every knob of the api. Names map to upper-case environment variables."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    environment: str = Field("development", description="development | production")
    rasa_urls: str = Field(
        "http://127.0.0.1:5005",
        description="Comma-separated base URLs of the Rasa servers (several replicas allowed).",
    )
    action_server_url: str = Field(
        "http://127.0.0.1:5055",
        description="Action server base URL: /healthz and the check before each message (empty = no check).",
    )
    action_server_check_cache_seconds: float = Field(
        2.0, ge=0, description="An 'up' answer of the action server's GET /health is trusted this long."
    )
    action_server_check_timeout_seconds: float = Field(
        1.0, gt=0, description="Timeout of the action server health check done before a message."
    )
    rasa_auth_token: SecretStr | None = Field(
        None, description="Rasa's --auth-token: the api sends it to the HTTP API and the REST channel."
    )
    rasa_timeout_seconds: float = 30.0
    rasa_startup_grace_seconds: float = Field(
        240.0, description="While the api is younger than this, an unreachable Rasa counts as loading."
    )
    assist_rasa_timeout_seconds: float = Field(
        1.0, description="Hotline console (/api/v1/assist): timeout of one Rasa /model/parse call."
    )
    knowledge_data_dir: Path | None = None
    max_message_chars: int = 2000
    public_url: str = "http://localhost:8000"
    # Web chat conversations (api/core/chat_sessions.py): server-issued, signed, expiring ids
    chat_session_secret: SecretStr | None = Field(
        None, description="HMAC key of web chat conversation ids (≥ 32 chars outside development)."
    )
    chat_session_idle_hours: float = Field(24.0, gt=0, description="A web conversation unused this long ends")
    chat_session_max_hours: float = Field(
        168.0, gt=0, description="A web conversation ends this long after it began, however used."
    )
    # Legal-aid case store (api/cases)
    database_url: str = Field(
        default_factory=lambda: f"sqlite:///{REPO_ROOT / 'data' / 'cases.db'}",
        description="SQLAlchemy URL of the case store: a SQLite file or postgresql+psycopg2://…",
    )
    database_migrate_on_startup: bool = Field(True, description="Run `alembic upgrade head` at start-up.")
    api_admin_token: SecretStr | None = Field(None, description="Bootstrap admin bearer token.")
    action_server_token: SecretStr | None = Field(
        None, description="Action server operator and service token (its calls skip the per-IP limit)."
    )
    case_encryption_keys: SecretStr | None = Field(
        None, description="Fernet keys of the personal columns, comma-separated: first encrypts, all decrypt."
    )
    case_blind_index_key: SecretStr | None = Field(
        None, description="HMAC key of the phone blind index and dedup key (≥ 32 chars; see rotate-keys)."
    )
    case_dedup_window_hours: float = Field(
        24.0, description="Same phone and description within this window is recorded on the open case."
    )
    case_lookup_max_failures: int = Field(
        5, ge=1, le=100, description="Wrong status lookups of one case code before it is locked."
    )
    case_lookup_lock_minutes: float = Field(
        15.0, gt=0, le=24 * 60, description="How long a case code stays locked for status lookups."
    )
    # Zalo Official Account channel (api/zalo, api/routes/zalo.py)
    zalo_app_id: str = Field("", description="Zalo app id (OAuth refresh; key of the stored tokens).")
    zalo_oa_secret_key: SecretStr | None = Field(
        None, description="OA secret key: verifies X-ZEvent-Signature. Unset = Zalo channel off."
    )
    zalo_app_secret: SecretStr | None = Field(None, description="App secret key (OAuth token refresh).")
    zalo_access_token: SecretStr | None = Field(None, description="Initial OA access token.")
    zalo_refresh_token: SecretStr | None = Field(None, description="Initial OA refresh token.")
    zalo_api_base: str = "https://openapi.zalo.me"
    zalo_oauth_base: str = "https://oauth.zaloapp.com"
    zalo_max_event_age_seconds: float = Field(300.0, description="Older signed events are replays (401).")
    zalo_worker_mode: str = Field(
        "in-process",
        description="in-process: the api runs the Zalo worker; external: `python -m api.zalo` does "
        "(PostgreSQL only: the webhook wakes it with NOTIFY).",
        pattern="^(in-process|external)$",
    )
    zalo_worker_poll_seconds: float = Field(1.0, description="Idle worker polls the inbox/outbox this often.")
    zalo_worker_concurrency: int = Field(8, ge=1, description="Conversations handled at the same time.")
    zalo_worker_lease_seconds: float = Field(
        120.0, description="A claimed item whose worker died is taken over after this long."
    )
    zalo_retry_base_seconds: float = Field(2.0, description="First retry delay (doubles each attempt).")
    zalo_retry_max_seconds: float = Field(300.0, description="Cap of the retry delay.")
    zalo_send_max_attempts: int = Field(20, ge=1, description="A reply still undelivered after this is dead.")
    zalo_send_backoff_seconds: float = Field(0.5, description="Backoff between quick in-call send retries.")
    zalo_http_timeout_seconds: float = 10.0
    zalo_retention_days: float = Field(30.0, description="Handled inbox/outbox rows are purged after this.")
    # Abuse limits and CORS (api/core/limits.py, api/core/middleware.py)
    rate_limit_per_ip_per_minute: int = Field(
        60, ge=0, description="Public endpoints (chat, search, answer, case status) per client IP. 0 = off."
    )
    rate_limit_per_zalo_user_per_minute: int = Field(
        20, ge=0, description="Zalo events per sender; more are acknowledged (200) but dropped. 0 = off."
    )
    max_request_body_bytes: int = Field(64 * 1024, ge=0, description="Larger bodies get 413. 0 = off.")
    cors_origins: str = Field("", description="Comma-separated CORS origins; empty = same-origin only.")

    @property
    def rasa_url_list(self) -> list[str]:
        return [u.strip().rstrip("/") for u in self.rasa_urls.split(",") if u.strip()]

    @property
    def cors_origin_list(self) -> list[str]:
        return [o.strip().rstrip("/") for o in self.cors_origins.split(",") if o.strip()]


@lru_cache
def get_settings() -> Settings:
    return Settings()
