"""Schemathesis against the live OpenAPI document: no 500s, and responses match the schema."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import unsupported_method

from app.main import create_app
from kb.build import build
from kb.settings import Settings
from tests.conftest import SOURCES


def _app():
    import tempfile
    from pathlib import Path

    db = Path(tempfile.mkdtemp()) / "kb.sqlite"
    build(SOURCES, db)
    return create_app(Settings(db=db))


schema = schemathesis.openapi.from_asgi("/schema/openapi.json", _app())


@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_holds_its_schema(case) -> None:
    response = case.call()
    assert response.status_code < 500, response.text
    # OPTIONS is answered by the framework for CORS preflight, with an Allow header
    excluded = [unsupported_method] if case.method.upper() == "OPTIONS" else []
    case.validate_response(response, excluded_checks=excluded)
