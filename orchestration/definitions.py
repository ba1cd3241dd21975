"""The Dagster code location: every Dagster object defined at the top level of a module under
`orchestration/defs/` (assets, checks, jobs, schedules, sensors, and `@dg.definitions` functions
that add resources) is loaded here. `dagster dev` from the project root finds this file through
`[tool.dagster]` in pyproject.toml."""

from pathlib import Path

import dagster as dg

from orchestration import defs


@dg.definitions
def definitions() -> dg.Definitions:
    return dg.load_defs(defs_root=defs, project_root=Path(__file__).resolve().parents[1])
