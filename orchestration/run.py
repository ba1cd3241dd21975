"""Materialise the asset graph in this process: what `devmetrics demo` and `devmetrics backfill`
run, with the same definitions `dagster dev` serves (only the resources are pointed elsewhere).

Runs are recorded in the Dagster instance of $DAGSTER_HOME when it is set (so they show in the
UI), otherwise in a throwaway in-memory instance.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, nullcontext, redirect_stderr, redirect_stdout
from dataclasses import dataclass, field
from pathlib import Path

import dagster as dg

from orchestration.definitions import definitions
from orchestration.defs.resources import DevMetricsSettings, GitHubSettings
from orchestration.lib.dbt_args import build_tags

QUIET = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}


def load_definitions(
    settings: DevMetricsSettings | None = None,
    github: GitHubSettings | None = None,
) -> dg.Definitions:
    """The project's Definitions, with `settings` and `github` replacing the environment's."""
    defs = definitions()
    resources = dict(defs.resources or {})
    if settings is not None:
        resources["settings"] = settings
    if github is not None:
        resources["github"] = github
    return dg.Definitions(
        assets=defs.assets,
        asset_checks=defs.asset_checks,
        jobs=defs.jobs,
        schedules=defs.schedules,
        sensors=defs.sensors,
        resources=resources,
    )


def instance() -> dg.DagsterInstance:
    if os.environ.get("DAGSTER_HOME"):
        return dg.DagsterInstance.get()
    return dg.DagsterInstance.ephemeral()


def materialize_graph(
    defs: dg.Definitions,
    as_of: str = "",
    full_refresh: bool = False,
    dagster_instance: dg.DagsterInstance | None = None,
    quiet: bool = False,
) -> dg.ExecuteInProcessResult:
    """Every asset of `defs` and every asset check, in dependency order, in this process;
    `quiet` keeps Dagster's and dbt's own logs out of the terminal."""
    job = defs.resolve_implicit_global_asset_job_def()
    with silenced() if quiet else nullcontext():
        return job.execute_in_process(
            run_config=QUIET if quiet else None,
            tags=build_tags(as_of, full_refresh),
            instance=dagster_instance or instance(),
            raise_on_error=False,
        )


@contextmanager
def silenced() -> Iterator[None]:
    """Python logging below WARNING off, stdout and stderr to /dev/null, then restored."""
    muted = logging.root.manager.disable
    logging.disable(logging.INFO)
    try:
        with open(os.devnull, "w") as devnull, redirect_stdout(devnull), redirect_stderr(devnull):
            yield
    finally:
        logging.disable(muted)


def run_backfill(
    defs: dg.Definitions,
    partition_keys: Sequence[str],
    dagster_instance: dg.DagsterInstance | None = None,
) -> list[dg.ExecuteInProcessResult]:
    """Run `github_backfill` for each month in order: every month is loaded (cursors untouched),
    and the marts are rebuilt once, after the last month. Stops at the first failed run."""
    job = defs.resolve_job_def("github_backfill")
    results = []
    for index, key in enumerate(partition_keys):
        last = index == len(partition_keys) - 1
        result = job.execute_in_process(
            partition_key=key,
            op_selection=None if last else ["extract_month"],
            instance=dagster_instance or instance(),
            raise_on_error=False,
        )
        results.append(result)
        if not result.success:
            break
    return results


@dataclass
class GraphOutcome:
    """What a materialisation of the whole graph did, for people rather than for Dagster."""

    success: bool
    run_id: str
    materialized: int
    checks_passed: int
    checks_failed: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


def outcome_of(result: dg.ExecuteInProcessResult) -> GraphOutcome:
    evaluations = result.get_asset_check_evaluations()
    failures = []
    for event in result.all_events:
        if event.is_step_failure and event.step_failure_data.error:
            failures.append(f"{event.step_key}: {event.step_failure_data.error.message.strip()}")
    return GraphOutcome(
        success=result.success,
        run_id=result.run_id,
        materialized=len({e.asset_key for e in result.get_asset_materialization_events()}),
        checks_passed=sum(e.passed for e in evaluations),
        checks_failed=[e.asset_check_key.to_user_string() for e in evaluations if not e.passed],
        failures=failures,
    )


def materialize_against(
    warehouse: Path, org: str, api_url: str, token: str, as_of: str = ""
) -> GraphOutcome:
    """The whole graph against the GitHub API at `api_url` (the demo's emulator), into
    `warehouse`, quietly: Dagster's and dbt's own logs stay out of the terminal."""
    with silenced():  # loading may run `dbt parse` (a changed project): not the demo's story
        defs = load_definitions(
            DevMetricsSettings(warehouse=str(warehouse)),
            GitHubSettings(org=org, tokens=token, api_url=api_url),
        )
    return outcome_of(materialize_graph(defs, as_of=as_of, quiet=True))
