"""Alembic environment: the same tables and settings as the application."""

from alembic import context
from sqlalchemy import create_engine, pool
from sqlmodel import SQLModel

import kb.models  # noqa: F401  (registers the tables on SQLModel.metadata)
from kb.settings import Settings

config = context.config
url = config.get_main_option("sqlalchemy.url") or f"sqlite:///{Settings().db}"
target_metadata = SQLModel.metadata


def run_migrations_offline() -> None:
    context.configure(url=url, target_metadata=target_metadata, render_as_batch=True, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
