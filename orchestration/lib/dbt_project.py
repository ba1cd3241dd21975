"""The dbt project as Dagster sees it, and its manifest prepared at load time.

`dagster dev` from a fresh clone must just work, and a model edited since the last load must show
up: the manifest is (re)built with `dbt parse` whenever it is missing or older than any file of
the project. Each process parses into a folder of its own and moves the manifest into
`dbt_project/target/dagster/` atomically, so concurrent loads (webserver, daemon, run workers)
and `devmetrics transform` never see a half-written file. A deployment that ships a prepared
manifest never parses.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from dagster_dbt import DbtCliResource, DbtProject

from pipelines.transform import DBT_PROJECT_DIR

DBT_EXECUTABLE = str(
    Path(sys.executable).parent / "dbt"
)  # the venv's, whether or not it is on PATH
PROJECT_FILES = ("models", "macros", "seeds", "data-tests", "dbt_project.yml", "profiles.yml")

DBT_PROJECT = DbtProject(
    project_dir=DBT_PROJECT_DIR,
    profiles_dir=DBT_PROJECT_DIR,
    target=os.environ.get("DEVMETRICS_DBT_TARGET", "duckdb"),
    target_path=Path("target") / "dagster",
)


def newest_source_mtime(project_dir: Path) -> float:
    """The latest modification time of any file the manifest is parsed from."""
    newest = 0.0
    for name in PROJECT_FILES:
        path = project_dir / name
        files = path.rglob("*") if path.is_dir() else [path]
        for file in files:
            if file.is_file():
                newest = max(newest, file.stat().st_mtime)
    return newest


def manifest_is_stale(project: DbtProject) -> bool:
    manifest = Path(project.manifest_path)
    if not manifest.exists():
        return True
    return manifest.stat().st_mtime < newest_source_mtime(Path(project.project_dir))


def prepared_manifest(project: DbtProject = DBT_PROJECT) -> Path:
    """The path of an up-to-date manifest.json, running `dbt parse` first when needed."""
    manifest = Path(project.manifest_path)
    if manifest_is_stale(project):
        scratch = Path(project.project_dir) / "target" / f"dagster-parse-{os.getpid()}"
        dbt = DbtCliResource(project_dir=project, dbt_executable=DBT_EXECUTABLE)
        dbt.cli(["parse", "--quiet"], target_path=scratch).wait()
        manifest.parent.mkdir(parents=True, exist_ok=True)
        os.replace(scratch / "manifest.json", manifest)
        shutil.rmtree(scratch, ignore_errors=True)
    return manifest
