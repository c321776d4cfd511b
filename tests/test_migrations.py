from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine
from sqlmodel import SQLModel

import kb.models  # noqa: F401
from kb.build import migrate


def test_migrating_a_blank_database_matches_the_models(tmp_path: Path) -> None:
    db = tmp_path / "blank.sqlite"
    migrate(db)
    engine = create_engine(f"sqlite:///{db}")
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    engine.dispose()
    assert diff == []


def test_migrations_are_idempotent(tmp_path: Path) -> None:
    db = tmp_path / "blank.sqlite"
    migrate(db)
    migrate(db)
    assert db.stat().st_size > 0
