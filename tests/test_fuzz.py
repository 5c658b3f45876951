"""Property-based fuzzing of the JSON API from its own OpenAPI schema (schemathesis), in process.

Every operation in /openapi.json gets schemathesis's generated inputs (any string as a path value, any
list of strings as ?outlet=); half the cases swap in real values (days of the timeline, milestone and
outlet slugs, article ids, known outlets to filter by) so the 200 bodies are checked too. Every response
must be below 500, have a documented status and content type, and match its schema.
The run is bounded and deterministic: a fixed seed, derandomized, no example database, no network.
Hypothesis drives schemathesis's strategies directly (schemathesis's own pytest plugin does not run under
the pytest this project uses).
"""

from __future__ import annotations

import datetime as dt

import pytest
import schemathesis
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st
from schemathesis.config import SchemathesisConfig

from app.config import settings_from_env
from app.extract.catalog import Catalog
from app.web.app import create_app

FUZZ_SEED = 20160912  # the truce's first day: any fixed seed makes every run test the same cases
MAX_EXAMPLES = 60  # per operation: enough to find a 5xx, short enough for every CI run
# The operations as the schema lists them (creating the app opens no database).
OPERATIONS = sorted(create_app(settings_from_env({}, database_url="sqlite://")).openapi()["paths"])
FIRST_DAY = dt.date(2016, 9, 1)  # real values: a stretch a little wider than the ceasefire window
DAYS = 45


def real_values(catalog: Catalog, path: str) -> list[str]:
    """Values of the path's parameter that name something (or nearly: days outside the window are 404s)."""
    if path.startswith("/days/"):
        return [(FIRST_DAY + dt.timedelta(n)).isoformat() for n in range(DAYS)]
    if path.startswith("/milestones/"):
        return [m.slug for m in catalog.milestones]
    if path.startswith("/outlets/"):
        return [o.slug for o in catalog.outlets]
    if path.startswith("/articles/"):
        return [str(n) for n in range(1, 8)]
    return []


@pytest.fixture
def api_schema(seeded_settings):
    """The app's own /openapi.json; requests go in process to the app over the shared seeded database."""
    config = SchemathesisConfig.from_dict({"seed": FUZZ_SEED, "generation": {"deterministic": True}})
    return schemathesis.openapi.from_asgi("/openapi.json", create_app(seeded_settings), config=config)


@pytest.mark.parametrize("path", OPERATIONS)
def test_api_never_fails_and_matches_its_schema(api_schema, catalog: Catalog, path: str) -> None:
    operation = api_schema[path]["GET"]
    values = real_values(catalog, path)
    slugs = [o.slug for o in catalog.outlets]
    statuses: list[int] = []

    @seed(FUZZ_SEED)
    @settings(max_examples=MAX_EXAMPLES, derandomize=True, database=None, deadline=None,
              suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(),
           real=st.one_of(st.none(), st.sampled_from(values)) if values else st.none(),
           outlets=st.one_of(st.none(), st.lists(st.sampled_from(slugs), max_size=3)))
    def fuzz(case, real: str | None, outlets: list[str] | None) -> None:
        if real is not None:
            for name in case.path_parameters or {}:
                case.path_parameters[name] = real
        if outlets is not None and "outlet" in (case.query or {}):
            case.query["outlet"] = outlets
        response = case.call_and_validate()  # no 5xx; status and content type documented; body matches
        assert response.status_code < 500, (case.formatted_path, response.text[:200])
        statuses.append(response.status_code)

    fuzz()
    assert len(statuses) >= MAX_EXAMPLES // 2, f"too few cases for GET {path}: {len(statuses)}"
    assert 200 in statuses and 404 in statuses, f"GET {path} never reached both a page and a 404: {statuses}"
