from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

SCHEMA = Path(__file__).resolve().parents[3] / "docs" / "api" / "openapi.yaml"


@pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="the committed schema is generated on the default SQLite; "
    "PostgreSQL reports narrower integer ranges for the same fields",
)
def test_committed_openapi_schema_matches_the_code(tmp_path):
    fresh = tmp_path / "openapi.yaml"
    call_command("spectacular", "--file", str(fresh), "--validate", "--fail-on-warn")
    assert fresh.read_text(encoding="utf-8") == SCHEMA.read_text(encoding="utf-8"), (
        "The API changed: run `make schema` and commit docs/api/openapi.yaml"
    )


def test_schema_and_docs_are_served(client):
    assert client.get("/api/schema/").status_code == 200
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert b"cdn" not in docs.content.lower()
