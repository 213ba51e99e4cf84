"""Alembic environment. The URL comes from the caller (`api.core.db.upgrade_database`) or,
for the `alembic` command line, from the api settings (`DATABASE_URL`)."""

from __future__ import annotations

from alembic import context

import api.zalo.models  # noqa: F401  (registers the Zalo tables on the shared metadata)
from api.cases.models import Base, UTCDateTime
from api.core.config import get_settings
from api.core.db import make_engine

config = context.config
target_metadata = Base.metadata


def _url() -> str:
    return config.attributes.get("database_url") or get_settings().database_url


def _render_item(kind: str, obj: object, autogen_context: object) -> str | bool:
    """Autogenerate writes our UTC column type as the plain type it stores."""
    if kind == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def _configure(**kwargs) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        target_metadata=target_metadata,
        compare_type=True,
        render_item=_render_item,
        render_as_batch=True,  # ALTER TABLE on SQLite goes through a table copy
        **kwargs,
    )


def run_migrations_offline() -> None:
    _configure(url=_url(), literal_binds=True, dialect_opts={"paramstyle": "named"})
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection=connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = make_engine(_url())
    try:
        with engine.connect() as connection:
            _configure(connection=connection)
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
