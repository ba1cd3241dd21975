"""Per-repository extraction: the sensor registers one partition per repository of the
organisation, a partition's run loads exactly that repository, and token slots are stable."""

from __future__ import annotations

import dagster as dg
import duckdb

from orchestration.defs.partitions import repositories
from orchestration.defs.repositories.sensors import github_repository_partitions
from orchestration.defs.resources import DevMetricsSettings, GitHubSettings
from orchestration.lib.tokens import TOKEN_TAG, token_count, token_slot, tokens_from_slot
from orchestration.run import load_definitions


def test_sensor_registers_each_repository_once(make_emulator):
    gh = make_emulator(scale=0.1, seed=7)
    github = GitHubSettings(org=gh.store.org.login, tokens="t", api_url=gh.api_url)
    instance = dg.DagsterInstance.ephemeral()
    context = dg.build_sensor_context(instance=instance, resources={"github": github})
    result = github_repository_partitions(context)
    (request,) = result.dynamic_partitions_requests
    expected = sorted(f"{gh.store.org.login}/{name}" for name in gh.store.repos)
    assert sorted(request.partition_keys) == expected
    instance.add_dynamic_partitions(repositories.name, list(request.partition_keys))
    again = github_repository_partitions(
        dg.build_sensor_context(instance=instance, resources={"github": github})
    )
    assert isinstance(again, dg.SkipReason)


def test_a_repository_partition_loads_only_that_repository(make_emulator, tmp_path):
    gh = make_emulator(scale=0.1, seed=7)
    name = sorted(gh.store.repos)[0]
    full_name = f"{gh.store.org.login}/{name}"
    warehouse = tmp_path / "w.duckdb"
    defs = load_definitions(
        DevMetricsSettings(warehouse=str(warehouse)),
        GitHubSettings(org=gh.store.org.login, tokens="t", api_url=gh.api_url),
    )
    instance = dg.DagsterInstance.ephemeral()
    instance.add_dynamic_partitions(repositories.name, [full_name])
    job = defs.resolve_job_def("github_repository_extract")
    result = job.execute_in_process(partition_key=full_name, instance=instance)
    assert result.success
    assert result.dagster_run.tags[TOKEN_TAG] == "0"
    with duckdb.connect(str(warehouse), read_only=True) as con:
        loaded = con.execute("select distinct repository from github_raw.pull_requests").fetchall()
        (prs,) = con.execute("select count(*) from github_raw.pull_requests").fetchone()
    assert loaded == [(full_name,)]
    assert prs == len(gh.store.repos[name].pulls)
    keys = {e.asset_key.path[-1] for e in result.get_asset_materialization_events()}
    assert {"pull_requests", "commits", "repositories"} <= keys


def test_token_slots_are_stable_and_rotate_the_token_list():
    assert token_count("a, b,,c") == 3 and token_count(None) == 0
    slots = {token_slot(f"acme/repo-{i}", 3) for i in range(30)}
    assert slots == {0, 1, 2}
    assert token_slot("acme/api", 3) == token_slot("ACME/api", 3)
    assert tokens_from_slot("a,b,c", 1) == "b,c,a"
    assert tokens_from_slot(None, 2) is None
