from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kb.build import build
from kb.service import KnowledgeBase
from kb.settings import ROOT

SOURCES = ROOT / "kb" / "sources"
FIXTURES = Path(__file__).parent / "fixtures"
DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def built_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped documents built once into a real SQLite file."""
    db = tmp_path_factory.mktemp("kb") / "kb.sqlite"
    build(SOURCES, db)
    return db


@pytest.fixture(scope="session")
def kb(built_db: Path) -> KnowledgeBase:
    return KnowledgeBase(built_db)


@pytest.fixture
def sources_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped documents."""
    target = tmp_path / "sources"
    shutil.copytree(SOURCES, target)
    return target
