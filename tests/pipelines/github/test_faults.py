"""Every fault profile of the emulator (and all of them at once) ends with tables identical to the
fault-free run of the same organisation."""

from __future__ import annotations

import pytest
from conftest import SCALE, SEED
from extract_helpers import assert_same_tables, duplicate_keys, extract, snapshot

# profile -> run_emulator settings; budgets and windows small enough to be hit, short enough
# that waiting for the reset takes seconds
PROFILES = {
    "5xx": {"fault_rate": 0.15},
    "secondary-rate-limit": {"fault_rate": 0.15},
    # a GraphQL budget must still cover the costliest single query (a page of 100 PRs with
    # their nested lists costs about 106 points), or no wait can ever let it through
    "exhausted": {"core_limit": 4, "graphql_limit": 150, "reset_seconds": 1.0},
    "graphql-502-large-pages": {"large_page": 50},
    "graphql-rate-limited": {"graphql_limit": 150, "reset_seconds": 1.0},
    "drop-connections": {"fault_rate": 0.15},
}


@pytest.mark.parametrize(
    "profile",
    sorted(PROFILES),
)
def test_fault_profile_ends_with_the_fault_free_tables(
    make_emulator, tmp_path, clean_load, profile
):
    gh = make_emulator(scale=SCALE, seed=SEED, faults=profile, **PROFILES[profile])
    warehouse = tmp_path / "warehouse.duckdb"
    result = extract(gh, warehouse)
    assert result.report.ok, result.report.failures
    assert gh.stats()["faults_injected"] or profile in {"exhausted", "graphql-rate-limited"}
    assert_same_tables(snapshot(warehouse), clean_load.tables)
    assert duplicate_keys(warehouse) == {}


@pytest.mark.parametrize(
    "profiles",
    [
        pytest.param(sorted(PROFILES), id="all"),
    ],
)
def test_fault_profiles_combined_end_with_the_fault_free_tables(
    make_emulator, tmp_path, clean_load, profiles
):
    gh = make_emulator(
        scale=SCALE,
        seed=SEED,
        faults=",".join(profiles),
        fault_rate=0.08,
        core_limit=6,
        graphql_limit=150,
        reset_seconds=1.0,
    )
    warehouse = tmp_path / "warehouse.duckdb"
    result = extract(gh, warehouse)
    assert result.report.ok
    assert len(gh.stats()["faults_injected"]) >= 2
    assert_same_tables(snapshot(warehouse), clean_load.tables)
